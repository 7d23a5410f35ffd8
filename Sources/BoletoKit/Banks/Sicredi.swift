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
/// `2`. `nosso_numero` is the 5-digit sequence. Printed `AA/BSSSSS-D`, e.g. `19/200003-0`.
public struct Sicredi: BankLayout {
    public var code: String { "748" }
    public var name: String { "Sicredi" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        let kind = try Digits.field(input.wallet, width: 1, name: "wallet")
        guard kind[0] == 1 || kind[0] == 3 else {
            throw .invalid("wallet", "The Sicredi tipo de cobrança (wallet) must be 1 (com registro) or 3 (sem registro).")
        }
        let year: Digits
        if let given = input.extra("year") {
            year = try Digits.field(given, width: 2, name: "extra.year")
        } else if let emission = input.extra("emission_date") {
            guard let date = CalendarDate(iso: emission) else {
                throw BoletoError(.invalidDate, field: "extra.emission_date", "The field extra.emission_date must be a YYYY-MM-DD date.")
            }
            year = Digits(Int64(date.year % 100), width: 2)
        } else {
            throw .missing("extra.year", " (or extra.emission_date)")
        }
        let byte = try Digits.field(input.extra("byte"), width: 1, name: "extra.byte", default: "2")
        guard byte[0] >= 2 else { throw .invalid("extra.byte", "The Sicredi byte must be 2 to 9.") }
        let sequence = try input.nossoNumero(width: 5)
        let cooperative = try Digits.field(input.agency, width: 4, name: "agency")
        let posto = try input.extraDigits("posto", width: 2)
        let beneficiary = try Digits.field(input.beneficiaryCode, width: 5, name: "beneficiary_code")
        var nossoNumero = year + byte
        nossoNumero.append(sequence)
        let dv = Modulo11.checkDigit(of: cooperative + posto + beneficiary + nossoNumero)
        nossoNumero.append(dv)
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
}
