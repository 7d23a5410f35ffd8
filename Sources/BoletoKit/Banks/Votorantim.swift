/// Banco Votorantim (655).
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–29 | 10 | código do convênio (`beneficiary_code`) |
/// | 30–32 | 3 | carteira |
/// | 33–42 | 10 | nosso número, as assigned by the bank (no DV computed) |
/// | 43–44 | 2 | zeros |
///
/// Printed: the nosso número (10 digits).
public struct Votorantim: BankLayout {
    public var code: String { "655" }
    public var name: String { "Votorantim" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        var freeField = try Digits.field(input.beneficiaryCode, width: 10, name: "beneficiary_code")
        freeField.append(try Digits.field(input.wallet, width: 3, name: "wallet"))
        let nossoNumero = try input.nossoNumero(width: 10)
        freeField.append(nossoNumero)
        freeField.append(literal: "00")
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)")
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, beneficiaryCode: freeField[0..<10].description,
                    wallet: freeField[10..<13].description, nossoNumero: freeField[13..<23].description)
    }
}
