/// Banco Inter (077).
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–23 | 4 | agência |
/// | 24–26 | 3 | carteira: 110, 112 |
/// | 27–33 | 7 | operação (`extra.operation`) |
/// | 34–43 | 10 | nosso número |
/// | 44 | 1 | DV: modulo 10 of agência(4) + carteira(3) + nosso número(10) |
///
/// Printed `AAAA<agency_dv>/CCC/NNNNNNNNNN-D`, e.g. `00019/110/0000000001-4`.
public struct Inter: BankLayout {
    public var code: String { "077" }
    public var name: String { "Inter" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        try OperationLayout.encode(input)
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        OperationLayout.decode(freeField, bank: code)
    }
}

/// The layout Inter and Daycoval share: agência, carteira, operação, nosso número and a modulo-10 DV.
enum OperationLayout {
    static func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        let agency = try Digits.field(input.agency, width: 4, name: "agency")
        let wallet = try Digits.field(input.wallet, width: 3, name: "wallet")
        let operation = try input.extraDigits("operation", width: 7)
        let nossoNumero = try input.nossoNumero(width: 10)
        let dv = Modulo10.checkDigit(of: agency + wallet + nossoNumero)
        var freeField = agency
        freeField.append(wallet)
        freeField.append(operation)
        freeField.append(nossoNumero)
        freeField.append(dv)
        var agencyDV = ""
        if let given = input.agencyDV, !given.isEmpty {
            agencyDV = try Digits.field(given, width: 1, name: "agency_dv").description
        }
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(agency)\(agencyDV)/\(wallet)/\(nossoNumero)-\(dv)")
    }

    static func decode(_ freeField: Digits, bank: String) -> BoletoInput {
        BoletoInput(bank: bank, amountCents: 0, dueDate: nil, agency: freeField[0..<4].description,
                    wallet: freeField[4..<7].description, nossoNumero: freeField[14..<24].description,
                    extra: ["operation": freeField[7..<14].description])
    }
}
