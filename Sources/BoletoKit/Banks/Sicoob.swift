/// Sicoob (756).
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20 | 1 | carteira |
/// | 21–24 | 4 | cooperativa (`agency`) |
/// | 25–26 | 2 | modalidade (`extra.modality`, default `01`) |
/// | 27–33 | 7 | código do cliente, with its DV (`beneficiary_code`) |
/// | 34–40 | 7 | nosso número |
/// | 41 | 1 | dígito do nosso número |
/// | 42–44 | 3 | parcela `001` |
///
/// Nosso-número DV: the 21 digits cooperativa(4) + código do cliente (zero-padded to 10) + nosso número(7),
/// multiplied by 3, 1, 9, 7, 3, 1, 9, 7… from the left; `r = S mod 11`; standard mapping. Printed `NNNNNNN-D`.
public struct Sicoob: BankLayout {
    public var code: String { "756" }
    public var name: String { "Sicoob" }
    public init() {}

    private static let weights = [3, 1, 9, 7]

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        let cooperative = try Digits.field(input.agency, width: 4, name: "agency")
        let client = try Digits.field(input.beneficiaryCode, width: 7, name: "beneficiary_code")
        let nossoNumero = try input.nossoNumero(width: 7)
        let weighted = cooperative + Digits(client.int64Value, width: 10) + nossoNumero
        var sum = 0
        for index in 0..<weighted.count { sum += weighted[index] * Self.weights[index % 4] }
        let r = sum % 11
        let dv = r < 2 ? 0 : 11 - r
        var freeField = try Digits.field(input.wallet, width: 1, name: "wallet")
        freeField.append(cooperative)
        freeField.append(try Digits.field(input.extra("modality"), width: 2, name: "extra.modality", default: "01"))
        freeField.append(client)
        freeField.append(nossoNumero)
        freeField.append(dv)
        freeField.append(literal: "001")
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)-\(dv)")
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, agency: freeField[1..<5].description,
                    beneficiaryCode: freeField[7..<14].description, wallet: freeField[0..<1].description,
                    nossoNumero: freeField[14..<21].description, extra: ["modality": freeField[5..<7].description])
    }
}
