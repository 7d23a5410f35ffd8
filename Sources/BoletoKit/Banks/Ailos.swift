/// Ailos (085).
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–25 | 6 | convênio (`beneficiary_code`) |
/// | 26–32 | 7 | conta |
/// | 33 | 1 | dígito da conta (modulo 11, standard, when absent) |
/// | 34–42 | 9 | nosso número |
/// | 43–44 | 2 | carteira (default `01`) |
///
/// Printed: conta + dígito + nosso número (17 digits).
public struct Ailos: BankLayout {
    public var code: String { "085" }
    public var name: String { "Ailos" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        var freeField = try Digits.field(input.beneficiaryCode, width: 6, name: "beneficiary_code")
        var account = try Digits.field(input.account, width: 7, name: "account")
        if let given = input.accountDV, !given.isEmpty {
            account.append(try Digits.field(given, width: 1, name: "account_dv"))
        } else {
            account.append(Modulo11.checkDigit(of: account))
        }
        let nossoNumero = try input.nossoNumero(width: 9)
        freeField.append(account)
        freeField.append(nossoNumero)
        freeField.append(try Digits.field(input.wallet, width: 2, name: "wallet", default: "01"))
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(account)\(nossoNumero)")
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, account: freeField[6..<13].description,
                    accountDV: freeField[13..<14].description, beneficiaryCode: freeField[0..<6].description,
                    wallet: freeField[23..<25].description, nossoNumero: freeField[14..<23].description)
    }
}
