/// Uniprime (084): the Bradesco layout.
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–23 | 4 | agência |
/// | 24–25 | 2 | carteira |
/// | 26–36 | 11 | nosso número |
/// | 37–43 | 7 | conta |
/// | 44 | 1 | zero |
///
/// Nosso-número DV as Bradesco's (modulo 11, weights 2–7, `P` for remainder 1). Printed `CC/NNNNNNNNNNN-D`.
public struct Uniprime: BankLayout {
    public var code: String { "084" }
    public var name: String { "Uniprime" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        try BradescoStyleLayout.encode(input)
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BradescoStyleLayout.decode(freeField, bank: code)
    }
}
