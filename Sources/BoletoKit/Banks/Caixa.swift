/// Caixa Econômica Federal (104): SIGCB (default), SINCO and SICOB, chosen by `extra.kind`.
///
/// **SIGCB** ("Leiaute SIGCB, campo livre"), `CC` = carteira (`14` registrada, `24` sem registro; `RG`/`SR`
/// accepted), `N` = nosso número(15):
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–26 | 7 | código do beneficiário(6) + DV, or a 7-digit código (from 1100000) without DV |
/// | 27–29 | 3 | N, digits 1–3 |
/// | 30 | 1 | CC, first digit (modalidade) |
/// | 31–33 | 3 | N, digits 4–6 |
/// | 34 | 1 | CC, second digit (emissão) |
/// | 35–43 | 9 | N, digits 7–15 |
/// | 44 | 1 | DV of positions 20–43 |
///
/// Printed `CCNNNNNNNNNNNNNNN-D`. **SINCO**: `1` + código(6) + `9` + nosso número(17); printed `9` + nosso número
/// + `-` + DV (an 18-digit nosso número starting with that `9` is accepted). **SICOB**: nosso número(10) + agência(4) + operação(3, `extra.operation`) + código(8); printed
/// `NNNNNNNNNN-D`. Every Caixa DV is modulo 11, weights 2–9, standard mapping.
public struct Caixa: BankLayout {
    public var code: String { "104" }
    public var name: String { "Caixa Econômica Federal" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        switch input.extra("kind") ?? "sigcb" {
        case "sigcb": return try sigcb(input)
        case "sinco": return try sinco(input)
        case "sicob": return try sicob(input)
        default: throw .invalid("extra.kind", "The Caixa kind must be sigcb, sinco or sicob.")
        }
    }

    private func sigcb(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        let walletText: String
        switch input.wallet?.uppercased() {
        case "14", "RG": walletText = "14"
        case "24", "SR": walletText = "24"
        case nil, "": throw .missing("wallet")
        default: throw .invalid("wallet", "The Caixa SIGCB carteira must be 14 (RG) or 24 (SR).")
        }
        let wallet = Digits(walletText)!
        var nossoNumeroText = input.nossoNumero
        if nossoNumeroText.utf8.count == 17 && nossoNumeroText.hasPrefix(walletText) {
            nossoNumeroText = String(nossoNumeroText.dropFirst(2))
        }
        let nossoNumero = try Digits.field(nossoNumeroText, width: 15, name: "nosso_numero")
        var freeField = try beneficiary(input.beneficiaryCode)
        freeField.append(nossoNumero[0..<3])
        freeField.append(wallet[0])
        freeField.append(nossoNumero[3..<6])
        freeField.append(wallet[1])
        freeField.append(nossoNumero[6..<15])
        freeField.append(Modulo11.checkDigit(of: freeField))
        let printed = wallet + nossoNumero
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(printed)-\(Modulo11.checkDigit(of: printed))")
    }

    /// The 7 leading digits of a SIGCB free field: a 6-digit código and its DV, or a 7-digit código.
    private func beneficiary(_ text: String?) throws(BoletoError) -> Digits {
        let code = try Digits.field(text, width: 7, name: "beneficiary_code")
        let value = code.int64Value
        if value <= 999_999 {
            var withDV = code[1..<7]
            withDV.append(Modulo11.checkDigit(of: withDV))
            return withDV
        }
        guard value >= 1_100_000 else {
            throw .invalid("beneficiary_code", "A 7-digit Caixa código do beneficiário starts at 1100000.")
        }
        return code
    }

    private func sinco(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        var nossoNumeroText = input.nossoNumero
        if nossoNumeroText.utf8.count == 18 && nossoNumeroText.hasPrefix("9") {
            nossoNumeroText = String(nossoNumeroText.dropFirst())  // the printed form's leading 9
        }
        let nossoNumero = try Digits.field(nossoNumeroText, width: 17, name: "nosso_numero")
        var freeField = Digits()
        freeField.append(1)
        freeField.append(try Digits.field(input.beneficiaryCode, width: 6, name: "beneficiary_code"))
        freeField.append(9)
        freeField.append(nossoNumero)
        var printed = Digits()
        printed.append(9)
        printed.append(nossoNumero)
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(printed)-\(Modulo11.checkDigit(of: printed))")
    }

    private func sicob(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        let nossoNumero = try input.nossoNumero(width: 10)
        var freeField = nossoNumero
        freeField.append(try Digits.field(input.agency, width: 4, name: "agency"))
        freeField.append(try input.extraDigits("operation", width: 3))
        freeField.append(try Digits.field(input.beneficiaryCode, width: 8, name: "beneficiary_code"))
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)-\(Modulo11.checkDigit(of: nossoNumero))")
    }

    /// Reads SIGCB when the carteira digits (positions 30 and 34) are 1 or 2 and 4, the código block is a 6-digit
    /// código with its DV or a 7-digit código, and the last digit checks;
    /// SINCO when the field starts with `1` and has `9` at its 8th digit, and SICOB otherwise.
    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        let first = freeField[0..<7]
        let sixWithDV = Modulo11.checkDigit(of: first[0..<6]) == first[6]
        let sigcb = (freeField[10] == 1 || freeField[10] == 2) && freeField[14] == 4
            && Modulo11.checkDigit(of: freeField[0..<24]) == freeField[24]
            && (sixWithDV || first.int64Value >= 1_100_000)
        if sigcb {
            let beneficiary = sixWithDV ? first[0..<6] : first
            let nossoNumero = freeField[7..<10] + freeField[11..<14] + freeField[15..<24]
            var wallet = Digits()
            wallet.append(freeField[10])
            wallet.append(freeField[14])
            return BoletoInput(bank: code, amountCents: 0, dueDate: nil, beneficiaryCode: beneficiary.description,
                               wallet: wallet.description, nossoNumero: nossoNumero.description)
        }
        if freeField[0] == 1 && freeField[7] == 9 {
            return BoletoInput(bank: code, amountCents: 0, dueDate: nil, beneficiaryCode: freeField[1..<7].description,
                               nossoNumero: freeField[8..<25].description, extra: ["kind": "sinco"])
        }
        return BoletoInput(bank: code, amountCents: 0, dueDate: nil, agency: freeField[10..<14].description,
                           beneficiaryCode: freeField[17..<25].description, nossoNumero: freeField[0..<10].description,
                           extra: ["kind": "sicob", "operation": freeField[14..<17].description])
    }
}
