/// Banco do Nordeste (004).
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–23 | 4 | agência |
/// | 24–30 | 7 | conta |
/// | 31 | 1 | dígito da conta |
/// | 32–38 | 7 | nosso número |
/// | 39 | 1 | dígito do nosso número |
/// | 40–41 | 2 | carteira (default `21`) |
/// | 42–44 | 3 | zeros |
///
/// Nosso-número DV: modulo 11 of the nosso número, weights 2–8, standard mapping. Printed `NNNNNNN-D`.
public struct BancoDoNordeste: BankLayout {
    public var code: String { "004" }
    public var name: String { "Banco do Nordeste" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        var freeField = try Digits.field(input.agency, width: 4, name: "agency")
        freeField.append(try Digits.field(input.account, width: 7, name: "account"))
        freeField.append(try Digits.field(input.accountDV, width: 1, name: "account_dv"))
        let nossoNumero = try input.nossoNumero(width: 7)
        let dv = Modulo11.checkDigit(of: nossoNumero, maxWeight: 8)
        freeField.append(nossoNumero)
        freeField.append(dv)
        freeField.append(try Digits.field(input.wallet, width: 2, name: "wallet", default: "21"))
        freeField.append(literal: "000")
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)-\(dv)")
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, agency: freeField[0..<4].description,
                    account: freeField[4..<11].description, accountDV: freeField[11..<12].description,
                    wallet: freeField[20..<22].description, nossoNumero: freeField[12..<19].description)
    }
}
