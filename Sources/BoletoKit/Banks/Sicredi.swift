/// Sicredi (748).
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20 | 1 | tipo de cobrança (`wallet`): 1 com registro, 3 sem registro |
/// | 21 | 1 | carteira `1` |
/// | 22–30 | 9 | nosso número: ano(2) + byte(1, 2–9) + sequência(5) + DV(1) |
/// | 31–34 | 4 | cooperativa (`agency`) |
/// | 35–36 | 2 | posto (`extra.posto`) |
/// | 37–41 | 5 | código do beneficiário |
/// | 42 | 1 | `1` when there is an amount, else `0` |
/// | 43 | 1 | `0` |
/// | 44 | 1 | DV of positions 20–43: modulo 11, standard |
///
/// Nosso-número DV: modulo 11 (standard) of cooperativa(4) + posto(2) + código(5) + ano(2) + byte(1) +
/// sequência(5). The year comes from `extra.year` or the year of `extra.emission_date`; `extra.byte` defaults to
/// `2`. `nosso_numero` is the 5-digit sequence; byte + sequence (6 digits), year + byte + sequence (8) and the
/// full 9 digits with the DV are accepted too, and must agree with `extra`. Printed `AA/BSSSSS-D`, e.g. `19/200003-0`.
public struct Sicredi: BankLayout {
    public var code: String { "748" }
    public var name: String { "Sicredi" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        let kind = try Digits.field(input.wallet, width: 1, name: "wallet")
        guard kind[0] == 1 || kind[0] == 3 else {
            throw .invalid("wallet", "The Sicredi tipo de cobrança (wallet) must be 1 (com registro) or 3 (sem registro).")
        }
        let printed = try PrintedNossoNumero(input.nossoNumero)
        let year: Digits
        if let given = input.extra("year") {
            year = try Digits.field(given, width: 2, name: "extra.year")
        } else if let fromNossoNumero = printed.year {
            year = fromNossoNumero
        } else if let emission = input.extra("emission_date") {
            guard let date = CalendarDate(iso: emission) else {
                throw BoletoError(.invalidDate, field: "extra.emission_date", "The field extra.emission_date must be a YYYY-MM-DD date.")
            }
            year = Digits(Int64(date.year % 100), width: 2)
        } else {
            throw .missing("extra.year", " (or extra.emission_date)")
        }
        if let fromNossoNumero = printed.year, fromNossoNumero != year {
            throw .invalid("nosso_numero", "The year in nosso_numero differs from extra.year.")
        }
        let byte = try Digits.field(input.extra("byte") ?? printed.byte?.description, width: 1, name: "extra.byte",
                                    default: "2")
        guard byte[0] >= 2 else { throw .invalid("extra.byte", "The Sicredi byte must be 2 to 9.") }
        if let fromNossoNumero = printed.byte, fromNossoNumero != byte {
            throw .invalid("nosso_numero", "The byte in nosso_numero differs from extra.byte.")
        }
        let sequence = printed.sequence
        let cooperative = try Digits.field(input.agency, width: 4, name: "agency")
        let posto = try input.extraDigits("posto", width: 2)
        let beneficiary = try Digits.field(input.beneficiaryCode, width: 5, name: "beneficiary_code")
        var nossoNumero = year + byte
        nossoNumero.append(sequence)
        let dv = Modulo11.checkDigit(of: cooperative + posto + beneficiary + nossoNumero)
        nossoNumero.append(dv)
        if let given = printed.checkDigit, given != dv {
            throw BoletoError(.checkDigitMismatch, field: "nosso_numero",
                              "The check digit in nosso_numero does not match the Sicredi rule.")
        }
        var freeField = kind
        freeField.append(1)
        freeField.append(nossoNumero)
        freeField.append(cooperative)
        freeField.append(posto)
        freeField.append(beneficiary)
        freeField.append(input.amountCents > 0 ? 1 : 0)
        freeField.append(0)
        freeField.append(Modulo11.checkDigit(of: freeField))
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(year)/\(byte)\(sequence)-\(dv)")
    }

    /// The amount flag (position 42) is not read back: the amount is outside the free field.
    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, agency: freeField[11..<15].description,
                    beneficiaryCode: freeField[17..<22].description, wallet: freeField[0..<1].description,
                    nossoNumero: freeField[5..<10].description,
                    extra: ["year": freeField[2..<4].description, "byte": freeField[4..<5].description,
                            "posto": freeField[15..<17].description])
    }

    /// A Sicredi nosso número as issuers send it: the 5-digit sequence, or byte + sequence (6 digits), year + byte +
    /// sequence (8) or year + byte + sequence + DV (9).
    struct PrintedNossoNumero {
        var year: Digits?
        var byte: Digits?
        var sequence: Digits
        var checkDigit: Int?

        init(_ text: String) throws(BoletoError) {
            guard let digits = Digits(text) else {
                _ = try Digits.field(text, width: 5, name: "nosso_numero")  // throws the usual error
                throw .missing("nosso_numero")
            }
            let significant = Digits.significantCount(text) ?? 0
            switch digits.count {
            case _ where significant <= 5:
                sequence = try Digits.field(text, width: 5, name: "nosso_numero")
            case 6:
                byte = digits[0..<1]
                sequence = digits[1..<6]
            case 8:
                year = digits[0..<2]
                byte = digits[2..<3]
                sequence = digits[3..<8]
            case 9:
                year = digits[0..<2]
                byte = digits[2..<3]
                sequence = digits[3..<8]
                checkDigit = digits[8]
            default:
                throw BoletoError(.fieldTooLong, field: "nosso_numero",
                                  "A Sicredi nosso_numero is the 5-digit sequence, or year, byte, sequence and DV (up to 9 digits).")
            }
        }
    }
}
