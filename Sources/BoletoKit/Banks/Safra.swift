/// Safra (422).
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20 | 1 | sistema `7` |
/// | 21–24 | 4 | agência |
/// | 25 | 1 | dígito da agência |
/// | 26–33 | 8 | conta |
/// | 34 | 1 | dígito da conta |
/// | 35–42 | 8 | nosso número |
/// | 43 | 1 | dígito do nosso número |
/// | 44 | 1 | tipo de cobrança `2` (registrada) |
///
/// Nosso-número DV: modulo 11, weights 2–9; remainder 0 → `1`, remainder 1 → `0`, otherwise `11 − r`.
/// Printed `NNNNNNNN-D`.
public struct Safra: BankLayout {
    public var code: String { "422" }
    public var name: String { "Safra" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        var freeField = Digits()
        freeField.append(7)
        freeField.append(try Digits.field(input.agency, width: 4, name: "agency"))
        freeField.append(try Digits.field(input.agencyDV, width: 1, name: "agency_dv"))
        freeField.append(try Digits.field(input.account, width: 8, name: "account"))
        freeField.append(try Digits.field(input.accountDV, width: 1, name: "account_dv"))
        let nossoNumero = try input.nossoNumero(width: 8)
        let r = Modulo11.remainder(of: nossoNumero)
        let dv = r == 0 ? 1 : r == 1 ? 0 : 11 - r
        freeField.append(nossoNumero)
        freeField.append(dv)
        freeField.append(2)
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)-\(dv)")
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, agency: freeField[1..<5].description,
                    agencyDV: freeField[5..<6].description, account: freeField[6..<14].description,
                    accountDV: freeField[14..<15].description, nossoNumero: freeField[15..<23].description)
    }
}
