/// C6 Bank (336).
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–31 | 12 | código do beneficiário |
/// | 32–41 | 10 | nosso número |
/// | 42–43 | 2 | carteira |
/// | 44 | 1 | modalidade (`extra.modality`) |
///
/// Printed: the nosso número (10 digits).
public struct C6: BankLayout {
    public var code: String { "336" }
    public var name: String { "C6 Bank" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        var freeField = try Digits.field(input.beneficiaryCode, width: 12, name: "beneficiary_code")
        let nossoNumero = try input.nossoNumero(width: 10)
        freeField.append(nossoNumero)
        freeField.append(try Digits.field(input.wallet, width: 2, name: "wallet"))
        freeField.append(try input.extraDigits("modality", width: 1))
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)")
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, beneficiaryCode: freeField[0..<12].description,
                    wallet: freeField[22..<24].description, nossoNumero: freeField[12..<22].description,
                    extra: ["modality": freeField[24..<25].description])
    }
}
