/// Banco Real (356), legacy: titles still in circulation are read, new ones follow this layout.
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–23 | 4 | agência |
/// | 24–30 | 7 | conta |
/// | 31 | 1 | dígitão: modulo 10 of nosso número(13) + agência(4) + conta(7) |
/// | 32–44 | 13 | nosso número |
///
/// Printed: the nosso número (13 digits).
public struct Real: BankLayout {
    public var code: String { "356" }
    public var name: String { "Real (legacy)" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        let agency = try Digits.field(input.agency, width: 4, name: "agency")
        let account = try Digits.field(input.account, width: 7, name: "account")
        let nossoNumero = try input.nossoNumero(width: 13)
        var freeField = agency + account
        freeField.append(Modulo10.checkDigit(of: nossoNumero + agency + account))
        freeField.append(nossoNumero)
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)")
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, agency: freeField[0..<4].description,
                    account: freeField[4..<11].description, nossoNumero: freeField[12..<25].description)
    }
}
