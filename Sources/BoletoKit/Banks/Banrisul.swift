/// Banrisul (041).
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20 | 1 | produto `2` |
/// | 21 | 1 | constante `1` |
/// | 22–25 | 4 | agência |
/// | 26–32 | 7 | código do beneficiário |
/// | 33–40 | 8 | nosso número |
/// | 41–42 | 2 | constante `40` |
/// | 43–44 | 2 | NC: duplo dígito of positions 20–42 |
///
/// Printed `NNNNNNNN-NC`, NC being the double check digit of the nosso número.
public struct Banrisul: BankLayout {
    public var code: String { "041" }
    public var name: String { "Banrisul" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        var freeField = Digits()
        freeField.append(literal: "21")
        freeField.append(try Digits.field(input.agency, width: 4, name: "agency"))
        freeField.append(try Digits.field(input.beneficiaryCode, width: 7, name: "beneficiary_code"))
        let nossoNumero = try input.nossoNumero(width: 8)
        freeField.append(nossoNumero)
        freeField.append(literal: "40")
        let (first, second) = DoubleCheckDigit.of(freeField)
        freeField.append(first)
        freeField.append(second)
        let (n1, n2) = DoubleCheckDigit.of(nossoNumero)
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)-\(n1)\(n2)")
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, agency: freeField[2..<6].description,
                    beneficiaryCode: freeField[6..<13].description, nossoNumero: freeField[13..<21].description)
    }
}
