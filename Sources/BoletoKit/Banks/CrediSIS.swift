/// CrediSIS (097).
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–24 | 5 | zeros |
/// | 25–27 | 3 | `097` |
/// | 28 | 1 | DV of the beneficiary's CPF/CNPJ |
/// | 29–32 | 4 | agência |
/// | 33–38 | 6 | convênio (`beneficiary_code`) |
/// | 39–44 | 6 | nosso número |
///
/// Document DV: modulo 11 of every digit of the beneficiary CPF (11) or CNPJ (14), check digits included,
/// weights 2–9, `11 − r`, remainder 0 → 0 and 1 → 1. The document (`extra.beneficiary_document`) must have 11 or
/// 14 digits; its own check digits are not verified, because the bank computes this DV over whatever document it
/// holds for the beneficiary (test fixtures use made-up numbers). Printed `097` + DV + agência + convênio + nosso número (20 digits).
public struct CrediSIS: BankLayout {
    public var code: String { "097" }
    public var name: String { "CrediSIS" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        guard let documentText = input.extra("beneficiary_document") else {
            throw .missing("extra.beneficiary_document")
        }
        let document = Document.normalized(documentText)
        guard let digits = Digits(document), digits.count == 11 || digits.count == 14 else {
            throw .invalid("extra.beneficiary_document", "The field extra.beneficiary_document must be the 11 digits of a CPF or the 14 of a numeric CNPJ.")
        }
        let r = Modulo11.remainder(of: digits)
        let documentDV = r < 2 ? r : 11 - r
        var printed = Digits()
        printed.append(literal: "097")
        printed.append(documentDV)
        printed.append(try Digits.field(input.agency, width: 4, name: "agency"))
        printed.append(try Digits.field(input.beneficiaryCode, width: 6, name: "beneficiary_code"))
        printed.append(try input.nossoNumero(width: 6))
        var freeField = Digits()
        freeField.append(literal: "00000")
        freeField.append(printed)
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(printed)")
    }

    /// The beneficiary document cannot be read back: only its check digit is in the free field.
    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, agency: freeField[9..<13].description,
                    beneficiaryCode: freeField[13..<19].description, nossoNumero: freeField[19..<25].description)
    }
}
