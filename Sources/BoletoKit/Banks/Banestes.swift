/// Banestes (021), "chave ASBACE".
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–27 | 8 | nosso número |
/// | 28–38 | 11 | conta + dígito |
/// | 39 | 1 | tipo de cobrança (`wallet_variation`, default `2`): 2 sem registro, 3 caucionada, 4–7 com registro |
/// | 40–42 | 3 | `021` |
/// | 43–44 | 2 | duplo dígito ASBACE of positions 20–42 |
///
/// Printed `NNNNNNNN-D1D2`: D1 = modulo 11 (standard) of the nosso número, D2 = modulo 11 (standard) of the
/// nosso número followed by D1. `account` may carry its DV, or it comes in `account_dv`.
public struct Banestes: BankLayout {
    public var code: String { "021" }
    public var name: String { "Banestes" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        let nossoNumero = try input.nossoNumero(width: 8)
        guard let account = input.account, !account.isEmpty else { throw .missing("account") }
        var freeField = nossoNumero
        freeField.append(try Digits.field(account + (input.accountDV ?? ""), width: 11, name: "account"))
        let kind = try Digits.field(input.walletVariation, width: 1, name: "wallet_variation", default: "2")
        guard (2...7).contains(kind[0]) else {
            throw .invalid("wallet_variation", "The Banestes tipo de cobrança must be 2 to 7.")
        }
        freeField.append(kind)
        freeField.append(literal: "021")
        let (first, second) = DoubleCheckDigit.of(freeField)
        freeField.append(first)
        freeField.append(second)
        let d1 = Modulo11.checkDigit(of: nossoNumero)
        var withD1 = nossoNumero
        withD1.append(d1)
        let d2 = Modulo11.checkDigit(of: withD1)
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)-\(d1)\(d2)")
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, account: freeField[8..<18].description,
                    accountDV: freeField[18..<19].description,
                    walletVariation: freeField[19..<20].description, nossoNumero: freeField[0..<8].description)
    }
}
