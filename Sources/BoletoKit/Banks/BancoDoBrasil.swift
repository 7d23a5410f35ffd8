/// Banco do Brasil (001). The length of the convênio (`beneficiary_code`) selects the layout.
///
/// | convênio | free field (25) | printed nosso número |
/// |---|---|---|
/// | 4 digits | convênio(4) + nosso número(7) + agência(4) + conta(8) + carteira(2) | `CCCCNNNNNNN-D` |
/// | 6 digits, nosso número ≤ 5 digits | convênio(6) + nosso número(5) + agência(4) + conta(8) + carteira(2) | `CCCCCCNNNNN-D` |
/// | 6 digits, `extra.kind` `nn17` | convênio(6) + nosso número(17) + `21` (código de serviço) | nosso número(17) |
/// | 7 digits | `000000` + convênio(7) + nosso número(10) + carteira(2) | convênio + nosso número (17) |
/// | 8 digits | `000000` + convênio(8) + nosso número(9) + carteira(2) | convênio + nosso número (17) |
///
/// Nosso-número DV (convênio 4 and 6): modulo 11 of convênio + nosso número, weights 2–9, `11 − r`, remainder 0
/// → `0`, remainder 1 → `X`. A nosso número of more than 5 significant digits with a 6-digit convênio implies
/// `nn17`. For convênios 7 and 8, a 17-digit nosso número that starts with the convênio is accepted.
public struct BancoDoBrasil: BankLayout {
    public var code: String { "001" }
    public var name: String { "Banco do Brasil" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        guard let convenioText = input.beneficiaryCode, !convenioText.isEmpty else {
            throw .missing("beneficiary_code", " (the convênio)")
        }
        guard Digits(convenioText) != nil else {
            throw BoletoError(.invalidCharacters, field: "beneficiary_code", "The field beneficiary_code must contain digits only.")
        }
        let wallet = try Digits.field(input.wallet, width: 2, name: "wallet")
        if let kind = input.extra("kind"), kind != "nn17" || convenioText.utf8.count != 6 {
            throw .invalid("extra.kind", "The only Banco do Brasil kind is nn17, for a 6-digit convênio.")
        }
        switch convenioText.utf8.count {
        case 4, 6:
            let convenio = Digits(convenioText)!
            let significant = Digits.significantCount(input.nossoNumero) ?? 0
            if convenio.count == 6 && (input.extra("kind") == "nn17" || significant > 5) {
                let nossoNumero = try input.nossoNumero(width: 17)
                var freeField = convenio + nossoNumero
                freeField.append(literal: "21")
                return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)")
            }
            let nossoNumero = try input.nossoNumero(width: convenio.count == 4 ? 7 : 5)
            let agency = try Digits.field(input.agency, width: 4, name: "agency")
            let account = try Digits.field(input.account, width: 8, name: "account")
            var freeField = convenio + nossoNumero
            freeField.append(agency)
            freeField.append(account)
            freeField.append(wallet)
            let r = Modulo11.remainder(of: convenio + nossoNumero)
            let dv = r == 0 ? CheckDigit(0) : r == 1 ? CheckDigit(letter: "X") : CheckDigit(11 - r)
            return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(convenio)\(nossoNumero)-\(dv)")
        case 7, 8:
            let convenio = Digits(convenioText)!
            var nossoNumeroText = input.nossoNumero
            if nossoNumeroText.utf8.count == 17 && nossoNumeroText.hasPrefix(convenioText) {
                nossoNumeroText = String(nossoNumeroText.dropFirst(convenio.count))
            }
            let nossoNumero = try Digits.field(nossoNumeroText, width: 17 - convenio.count, name: "nosso_numero")
            var freeField = Digits()
            freeField.append(literal: "000000")
            freeField.append(convenio)
            freeField.append(nossoNumero)
            freeField.append(wallet)
            return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(convenio)\(nossoNumero)")
        default:
            throw .invalid("beneficiary_code", "The Banco do Brasil convênio must have 4, 6, 7 or 8 digits.")
        }
    }

    /// Reads `000000…` as convênio 7, a field ending in `21` as convênio 6 with a 17-digit nosso número, and
    /// anything else as convênio 6 with a 5-digit one.
    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        if freeField[0..<6].isAllZeros {
            return BoletoInput(bank: code, amountCents: 0, dueDate: nil, beneficiaryCode: freeField[6..<13].description,
                               wallet: freeField[23..<25].description, nossoNumero: freeField[13..<23].description)
        }
        if freeField[23] == 2 && freeField[24] == 1 {
            return BoletoInput(bank: code, amountCents: 0, dueDate: nil, beneficiaryCode: freeField[0..<6].description,
                               wallet: "21", nossoNumero: freeField[6..<23].description, extra: ["kind": "nn17"])
        }
        return BoletoInput(bank: code, amountCents: 0, dueDate: nil, agency: freeField[11..<15].description,
                           account: freeField[15..<23].description, beneficiaryCode: freeField[0..<6].description,
                           wallet: freeField[23..<25].description, nossoNumero: freeField[6..<11].description)
    }
}
