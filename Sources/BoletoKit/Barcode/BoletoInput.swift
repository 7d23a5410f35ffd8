/// The issuer's data for one boleto, in BoletoKit's canonical form (the same for every bank).
///
/// All identifiers are strings of digits. Zero-padding is optional: each value is left-padded to the width of its
/// slot in the bank's layout, and a longer value is accepted only when its extra leading digits are zeros.
/// `nossoNumero` never includes the bank's check digit: BoletoKit computes every DV. Which fields a bank needs is
/// listed on each bank's type (see ``BankLayout``); fields a bank does not use are ignored.
public struct BoletoInput: Hashable, Sendable {
    /// FEBRABAN bank code, 3 digits (`"001"`, `"237"`).
    public var bank: String
    /// Amount in cents, 0…9 999 999 999; `0` encodes no amount.
    public var amountCents: Int64
    /// Due date; `nil` for a boleto with no due date (factor `0000`).
    public var dueDate: CalendarDate?
    /// Agency (cooperative for Sicredi and Sicoob).
    public var agency: String?
    /// The agency's check digit, as the bank prints it.
    public var agencyDV: String?
    /// Account.
    public var account: String?
    /// The account's check digit, as the bank prints it.
    public var accountDV: String?
    /// The bank's agreement or beneficiary identifier ("convênio", "código do beneficiário", "código do cedente").
    public var beneficiaryCode: String?
    /// "Carteira": the collection product.
    public var wallet: String?
    /// "Variação de carteira" (BB), "tipo de cobrança" (Banestes), portfolio (Citibank).
    public var walletVariation: String?
    /// "Nosso número": the issuer's sequence number, without the bank's check digit(s).
    public var nossoNumero: String
    /// Bank-specific fields: `posto`, `byte`, `ios`, `modality`, `seu_numero`, `operation`, `kind`, `year`,
    /// `emission_date`, `beneficiary_document`.
    public var extra: [String: String]

    /// The names `extra` may hold (`document_number` is accepted as an alias of `seu_numero`).
    public static let extraFieldNames: Set<String> = [
        "posto", "byte", "ios", "modality", "seu_numero", "document_number", "operation", "kind", "year",
        "emission_date", "beneficiary_document",
    ]

    public init(bank: String, amountCents: Int64, dueDate: CalendarDate?, agency: String? = nil,
                agencyDV: String? = nil, account: String? = nil, accountDV: String? = nil,
                beneficiaryCode: String? = nil, wallet: String? = nil, walletVariation: String? = nil,
                nossoNumero: String, extra: [String: String] = [:]) {
        self.bank = bank
        self.amountCents = amountCents
        self.dueDate = dueDate
        self.agency = agency
        self.agencyDV = agencyDV
        self.account = account
        self.accountDV = accountDV
        self.beneficiaryCode = beneficiaryCode
        self.wallet = wallet
        self.walletVariation = walletVariation
        self.nossoNumero = nossoNumero
        self.extra = extra
    }

    /// An `extra` value, with an empty string read as absent.
    func extra(_ name: String) -> String? {
        guard let value = extra[name], !value.isEmpty else { return nil }
        return value
    }
}
