/// Citibank (745).
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20 | 1 | produto (`wallet`): `3` |
/// | 21–23 | 3 | portfolio (`wallet_variation`) |
/// | 24–32 | 9 | conta cosmos (`beneficiary_code`, 10 digits) without its first digit |
/// | 33–43 | 11 | nosso número |
/// | 44 | 1 | dígito do nosso número: modulo 11, standard |
///
/// Printed `NNNNNNNNNNN-D`.
public struct Citibank: BankLayout {
    public var code: String { "745" }
    public var name: String { "Citibank" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        var freeField = try Digits.field(input.wallet, width: 1, name: "wallet")
        freeField.append(try Digits.field(input.walletVariation, width: 3, name: "wallet_variation"))
        freeField.append(try Digits.field(input.beneficiaryCode, width: 10, name: "beneficiary_code")[1..<10])
        let nossoNumero = try input.nossoNumero(width: 11)
        let dv = Modulo11.checkDigit(of: nossoNumero)
        freeField.append(nossoNumero)
        freeField.append(dv)
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)-\(dv)")
    }

    /// The first digit of the conta cosmos is not in the free field; it reads back as `0`.
    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BoletoInput(bank: code, amountCents: 0, dueDate: nil, beneficiaryCode: "0" + freeField[4..<13].description,
                    wallet: freeField[0..<1].description, walletVariation: freeField[1..<4].description,
                    nossoNumero: freeField[13..<24].description)
    }
}
