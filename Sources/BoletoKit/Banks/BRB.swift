/// BRB, Banco de Brasília (070), "chave ASBACE".
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–22 | 3 | incremento de posições (`000` for nosso números up to 6 digits) |
/// | 23–25 | 3 | agência |
/// | 26–32 | 7 | conta |
/// | 33 | 1 | carteira: 1 sem registro, 2 registrada |
/// | 34–39 | 6 | sequencial |
/// | 40–42 | 3 | `070` |
/// | 43–44 | 2 | duplo dígito ASBACE of positions 20–42 |
///
/// The nosso número has up to 9 digits: the last 6 are the sequencial, the 3 before them the incremento.
/// Printed: carteira + sequencial(6) + `070` + the two check digits of the chave (12 digits).
public struct BRB: BankLayout {
    public var code: String { "070" }
    public var name: String { "BRB" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        let nossoNumero = try input.nossoNumero(width: 9)
        let wallet = try Digits.field(input.wallet, width: 1, name: "wallet")
        guard wallet[0] == 1 || wallet[0] == 2 else {
            throw .invalid("wallet", "The BRB carteira must be 1 (sem registro) or 2 (registrada).")
        }
        var freeField = nossoNumero[0..<3]
        freeField.append(try Digits.field(input.agency, width: 3, name: "agency"))
        freeField.append(try Digits.field(input.account, width: 7, name: "account"))
        freeField.append(wallet)
        freeField.append(nossoNumero[3..<9])
        freeField.append(literal: "070")
        let (first, second) = DoubleCheckDigit.of(freeField)
        freeField.append(first)
        freeField.append(second)
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(freeField[13..<25])")
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, agency: freeField[3..<6].description,
                    account: freeField[6..<13].description, wallet: freeField[13..<14].description,
                    nossoNumero: (freeField[0..<3] + freeField[14..<20]).description)
    }
}
