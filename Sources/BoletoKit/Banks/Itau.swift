/// Itaú (341).
///
/// Normal carteiras ("Itaú, Especificação Técnica de boletos"):
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–22 | 3 | carteira |
/// | 23–30 | 8 | nosso número |
/// | 31 | 1 | DAC do nosso número |
/// | 32–35 | 4 | agência |
/// | 36–40 | 5 | conta |
/// | 41 | 1 | DAC agência/conta |
/// | 42–44 | 3 | zeros |
///
/// Special carteiras 106, 107, 122, 142, 143, 195, 196 and 198:
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–22 | 3 | carteira |
/// | 23–30 | 8 | nosso número |
/// | 31–37 | 7 | seu número |
/// | 38–42 | 5 | código do cliente |
/// | 43 | 1 | DAC (modulo 10 of positions 20–42) |
/// | 44 | 1 | zero |
///
/// Nosso-número DAC: modulo 10 of agência(4) + conta(5) + carteira(3) + nosso número(8); for carteiras 126, 131,
/// 146, 150 and 168, of carteira(3) + nosso número(8). DAC agência/conta: `account_dv` when given, otherwise
/// modulo 10 of agência(4) + conta(5). Printed `CCC/NNNNNNNN-D` for every carteira.
/// Fields: `agency` (4), `account` (5), `account_dv` (optional), `wallet` (3), `nosso_numero` (8); special
/// carteiras also `beneficiary_code` (5) and `extra.seu_numero` (7, alias `document_number`).
public struct Itau: BankLayout {
    public var code: String { "341" }
    public var name: String { "Itaú" }
    public init() {}

    /// Carteiras 106, 107, 122, 142, 143, 195, 196 and 198 (the special layout).
    static func isSpecial(_ wallet: Int64) -> Bool {
        switch wallet {
        case 106, 107, 122, 142, 143, 195, 196, 198: true
        default: false
        }
    }

    /// Carteiras 126, 131, 146, 150 and 168 (nosso-número DAC over carteira and nosso número only).
    static func hasWalletOnlyDAC(_ wallet: Int64) -> Bool {
        switch wallet {
        case 126, 131, 146, 150, 168: true
        default: false
        }
    }

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        let wallet = try Digits.field(input.wallet, width: 3, name: "wallet")
        let nossoNumero = try input.nossoNumero(width: 8)
        let agency = try Digits.field(input.agency, width: 4, name: "agency")
        let account = try Digits.field(input.account, width: 5, name: "account")
        let walletNumber = wallet.int64Value
        guard Self.isSpecial(walletNumber) else {
            return Self.normal(wallet: wallet, nossoNumero: nossoNumero, agency: agency, account: account,
                               accountDAC: try Self.accountDAC(input, agency: agency, account: account))
        }
        let dac = Self.nossoNumeroDAC(wallet: wallet, nossoNumero: nossoNumero, agency: agency, account: account)
        var freeField = wallet
        freeField.append(nossoNumero)
        let seuNumero = try Digits.field(input.extra("seu_numero") ?? input.extra("document_number"),
                                         width: 7, name: "extra.seu_numero")
        freeField.append(seuNumero)
        freeField.append(try Digits.field(input.beneficiaryCode, width: 5, name: "beneficiary_code"))
        freeField.append(Modulo10.checkDigit(of: freeField))
        freeField.append(0)
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(wallet)/\(nossoNumero)-\(dac)")
    }

    /// The nosso-número DAC: over agência, conta, carteira and nosso número, or carteira and nosso número only.
    static func nossoNumeroDAC(wallet: Digits, nossoNumero: Digits, agency: Digits, account: Digits) -> Int {
        hasWalletOnlyDAC(wallet.int64Value)
            ? Modulo10.checkDigit(of: wallet + nossoNumero)
            : Modulo10.checkDigit(of: agency + account + wallet + nossoNumero)
    }

    /// The agência/conta DAC: `account_dv` when given, otherwise modulo 10 of agência and conta.
    static func accountDAC(_ input: BoletoInput, agency: Digits, account: Digits) throws(BoletoError) -> Int {
        if let given = input.accountDV, !given.isEmpty {
            return Int(try Digits.field(given, width: 1, name: "account_dv").int64Value)
        }
        return Modulo10.checkDigit(of: agency + account)
    }

    /// The free field of a normal carteira from its fitted fields.
    static func normal(wallet: Digits, nossoNumero: Digits, agency: Digits, account: Digits, accountDAC: Int) -> FreeFieldEncoding {
        let dac = nossoNumeroDAC(wallet: wallet, nossoNumero: nossoNumero, agency: agency, account: account)
        var freeField = wallet
        freeField.append(nossoNumero)
        freeField.append(dac)
        freeField.append(agency)
        freeField.append(account)
        freeField.append(accountDAC)
        freeField.append(literal: "000")
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(wallet)/\(nossoNumero)-\(dac)")
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        let wallet = freeField[0..<3]
        if Self.isSpecial(wallet.int64Value) {
            return BoletoInput(bank: code, amountCents: 0, dueDate: nil, beneficiaryCode: freeField[18..<23].description,
                               wallet: wallet.description, nossoNumero: freeField[3..<11].description,
                               extra: ["seu_numero": freeField[11..<18].description])
        }
        return BoletoInput(bank: code, amountCents: 0, dueDate: nil, agency: freeField[12..<16].description,
                           account: freeField[16..<21].description, accountDV: freeField[21..<22].description,
                           wallet: wallet.description, nossoNumero: freeField[3..<11].description)
    }
}

extension Itau: FittableLayout {
    /// A beneficiary's fields, fitted once.
    public enum Fitted: Sendable {
        /// A normal carteira: carteira, agência, conta and the agência/conta DAC.
        case normal(wallet: Digits, agency: Digits, account: Digits, accountDAC: Int)
        /// A special carteira, whose free field holds the seu número and client code: computed from the whole input.
        case special(BoletoInput)
    }

    public func fit(_ beneficiary: BoletoInput) throws(BoletoError) -> Fitted {
        let wallet = try Digits.field(beneficiary.wallet, width: 3, name: "wallet")
        if Self.isSpecial(wallet.int64Value) { return .special(beneficiary) }
        let agency = try Digits.field(beneficiary.agency, width: 4, name: "agency")
        let account = try Digits.field(beneficiary.account, width: 5, name: "account")
        return .normal(wallet: wallet, agency: agency, account: account,
                       accountDAC: try Self.accountDAC(beneficiary, agency: agency, account: account))
    }

    public func encode(_ fitted: Fitted, nossoNumero: NossoNumero) throws(BoletoError) -> FreeFieldEncoding {
        switch fitted {
        case .normal(let wallet, let agency, let account, let accountDAC):
            return Self.normal(wallet: wallet, nossoNumero: try nossoNumero.digits(width: 8), agency: agency, account: account,
                               accountDAC: accountDAC)
        case .special(var input):
            input.nossoNumero = nossoNumero.text
            return try encode(input)
        }
    }
}
