/// Bradesco (237).
///
/// Free field ("Manual Bradesco de Boleto, campo livre"):
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–23 | 4 | agência beneficiária, sem dígito |
/// | 24–25 | 2 | carteira |
/// | 26–36 | 11 | nosso número, sem dígito |
/// | 37–43 | 7 | conta beneficiária, sem dígito |
/// | 44 | 1 | zero |
///
/// Nosso-número DV: modulo 11 of carteira(2) + nosso número(11), weights 2–7; remainder 0 → `0`, 1 → `P`.
/// Printed `CC/NNNNNNNNNNN-D`. Fields: `agency` (4), `account` (7), `wallet` (2), `nosso_numero` (11).
public struct Bradesco: BankLayout {
    public var code: String { "237" }
    public var name: String { "Bradesco" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        try BradescoStyleLayout.encode(input)
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        BradescoStyleLayout.decode(freeField, bank: code)
    }
}

extension Bradesco: FittableLayout {
    /// Agency, carteira and account, fitted once: the free field with them in place (nosso número zeros), and the
    /// carteira's share of the nosso-número DV.
    public struct Fitted: Sendable {
        let wallet: Digits
        /// Agency, carteira, eleven zeros, account and the final zero.
        let template: Digits
        /// The carteira's part of the modulo 11 sum: the remainder of carteira + eleven zeros, since zeros add nothing
        /// and the nosso número's weights, counted from the right, are the same with or without the carteira before it.
        let walletRemainder: Int
    }

    public func fit(_ beneficiary: BoletoInput) throws(BoletoError) -> Fitted {
        let agency = try Digits.field(beneficiary.agency, width: 4, name: "agency")
        let wallet = try Digits.field(beneficiary.wallet, width: 2, name: "wallet")
        let account = try Digits.field(beneficiary.account, width: 7, name: "account")
        let zeros = Digits(0, width: 11)
        return Fitted(wallet: wallet,
                      template: BradescoStyleLayout.assemble(agency: agency, wallet: wallet, nossoNumero: zeros, account: account).freeField,
                      walletRemainder: Modulo11.remainder(of: wallet + zeros, maxWeight: 7))
    }

    public func encode(_ fitted: Fitted, nossoNumero: NossoNumero) throws(BoletoError) -> FreeFieldEncoding {
        let number = try nossoNumero.digits(width: 11)
        var freeField = fitted.template
        freeField.replace(at: 6, with: number)
        let remainder = (fitted.walletRemainder + Modulo11.remainder(of: number, maxWeight: 7)) % 11
        return FreeFieldEncoding(freeField: freeField,
                                 nossoNumero: "\(fitted.wallet)/\(number)-\(BradescoStyleLayout.nossoNumeroDV(remainder: remainder))")
    }
}

/// The layout Bradesco and Uniprime share.
enum BradescoStyleLayout {
    static func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        let agency = try Digits.field(input.agency, width: 4, name: "agency")
        let wallet = try Digits.field(input.wallet, width: 2, name: "wallet")
        let nossoNumero = try input.nossoNumero(width: 11)
        let account = try Digits.field(input.account, width: 7, name: "account")
        return assemble(agency: agency, wallet: wallet, nossoNumero: nossoNumero, account: account)
    }

    /// The free field and printed nosso número of fitted fields.
    static func assemble(agency: Digits, wallet: Digits, nossoNumero: Digits, account: Digits) -> FreeFieldEncoding {
        var freeField = agency
        freeField.append(wallet)
        freeField.append(nossoNumero)
        freeField.append(account)
        freeField.append(0)
        let dv = nossoNumeroDV(remainder: Modulo11.remainder(of: wallet + nossoNumero, maxWeight: 7))
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(wallet)/\(nossoNumero)-\(dv)")
    }

    /// The nosso-número DV of a modulo 11 remainder (weights 2–7): 0 → `0`, 1 → `P`, otherwise 11 − remainder.
    @inline(__always)
    static func nossoNumeroDV(remainder r: Int) -> CheckDigit {
        r == 0 ? CheckDigit(0) : r == 1 ? CheckDigit(letter: "P") : CheckDigit(11 - r)
    }

    static func decode(_ freeField: Digits, bank: String) -> BoletoInput {
        BoletoInput(bank: bank, amountCents: 0, dueDate: nil, agency: freeField[0..<4].description,
                    account: freeField[17..<24].description, wallet: freeField[4..<6].description,
                    nossoNumero: freeField[6..<17].description)
    }
}
