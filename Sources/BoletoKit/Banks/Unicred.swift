/// Unicred (136).
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–23 | 4 | agência |
/// | 24–33 | 10 | conta + dígito |
/// | 34–43 | 10 | nosso número |
/// | 44 | 1 | dígito do nosso número: modulo 11, standard |
///
/// Printed `NNNNNNNNNN-D`. `account` may carry its DV, or it comes in `account_dv`.
public struct Unicred: BankLayout {
    public var code: String { "136" }
    public var name: String { "Unicred" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        var freeField = try Digits.field(input.agency, width: 4, name: "agency")
        guard let account = input.account, !account.isEmpty else { throw .missing("account") }
        freeField.append(try Digits.field(account + (input.accountDV ?? ""), width: 10, name: "account"))
        let nossoNumero = try input.nossoNumero(width: 10)
        let dv = Modulo11.checkDigit(of: nossoNumero)
        freeField.append(nossoNumero)
        freeField.append(dv)
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)-\(dv)")
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, agency: freeField[0..<4].description,
                    account: freeField[4..<13].description, accountDV: freeField[13..<14].description, nossoNumero: freeField[14..<24].description)
    }
}
