/// Santander (033).
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20 | 1 | `9` |
/// | 21–27 | 7 | código do beneficiário |
/// | 28–39 | 12 | nosso número |
/// | 40 | 1 | dígito do nosso número |
/// | 41 | 1 | IOS (seguradoras; `0` otherwise) |
/// | 42–44 | 3 | carteira: 101, 102, 201… |
///
/// Nosso-número DV: modulo 11 of the nosso número(12), standard. Printed `NNNNNNNNNNNN-D`.
public struct Santander: BankLayout {
    public var code: String { "033" }
    public var name: String { "Santander" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        var freeField = Digits()
        freeField.append(9)
        freeField.append(try Digits.field(input.beneficiaryCode, width: 7, name: "beneficiary_code"))
        let nossoNumero = try input.nossoNumero(width: 12)
        let dv = Modulo11.checkDigit(of: nossoNumero)
        freeField.append(nossoNumero)
        freeField.append(dv)
        freeField.append(try Digits.field(input.extra("ios"), width: 1, name: "extra.ios", default: "0"))
        freeField.append(try Digits.field(input.wallet, width: 3, name: "wallet"))
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)-\(dv)")
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, beneficiaryCode: freeField[1..<8].description,
                    wallet: freeField[22..<25].description, nossoNumero: freeField[8..<20].description,
                    extra: ["ios": freeField[21..<22].description])
    }
}
