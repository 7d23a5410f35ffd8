import Foundation

/// A value stored as JSON text (sorted keys) in one column.
protocol JSONColumn: Codable {}

extension JSONColumn {
    /// The column's text.
    func encoded() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(self), as: UTF8.self)
    }

    /// The value of a column's text; nil for NULL (or text this version cannot read).
    static func decode(_ text: String?) -> Self? {
        guard let text else { return nil }
        return try? JSONDecoder().decode(Self.self, from: Data(text.utf8))
    }
}

/// The CNAB facts of a `cnab` configuration: what its remessa files carry besides the boletos, and what some banks'
/// barcodes need besides agency, account and wallet. Stored as JSON on the configuration, and copied onto each
/// boleto issued through it (the barcode was computed with them).
public struct CNABSettings: Sendable, Hashable, JSONColumn {
    /// `240` or `400`.
    public var layout: String
    /// Nome da empresa in the file header, in the CNAB character set once normalised.
    public var companyName: String
    /// Bradesco's código da empresa, Santander's código de transmissão.
    public var companyCode: String?
    /// Convênio (Banco do Brasil), código do beneficiário (Santander, Sicoob, Sicredi).
    public var beneficiaryCode: String?
    /// The agency's check digit, where the layout carries it.
    public var agencyDV: String?
    /// The account's check digit, where the layout carries it.
    public var accountDV: String?
    /// Banco do Brasil's código da carteira of segment P; Santander CNAB 400's one-digit código da carteira (its
    /// barcode's three-digit carteira stays the configuration's wallet).
    public var walletCode: String?
    /// Banco do Brasil's variação da carteira.
    public var walletVariation: String?
    /// Extra barcode fields of the bank, as in the canonical input's `extra` (Sicredi's `posto`).
    public var extra: [String: String]?
    /// The sequence number (NSA) of the first remessa the service writes for this configuration; later files count
    /// on from the last one written. Raising it skips numbers forward; a number already written is never reused.
    public var firstSequence: Int

    enum CodingKeys: String, CodingKey {
        case layout, companyName = "company_name", companyCode = "company_code", beneficiaryCode = "beneficiary_code"
        case agencyDV = "agency_dv", accountDV = "account_dv", walletCode = "wallet_code"
        case walletVariation = "wallet_variation", extra, firstSequence = "first_sequence"
    }
}

/// A remessa file the service wrote (a row of `remessas`). The boletos it carries are in `remessa_boletos`.
public struct RemessaRecord: Sendable, Hashable {
    /// `rem_…`.
    public var id: String
    public var clientID: String
    /// The configuration (beneficiary account) it was written for.
    public var configurationID: String
    /// The configuration's external id, as it was then.
    public var externalID: String
    /// The bank's FEBRABAN code.
    public var bank: String
    /// `240` or `400`.
    public var layout: String
    /// The file's sequence number (NSA), unique per configuration.
    public var sequence: Int
    /// The boletos it carries, in file order.
    public var boletoIDs: [String]
    /// The sum of their amounts, in cents.
    public var totalAmount: Int64
    /// The file itself (ASCII).
    public var content: String
    /// Lower-case hex SHA-256 of `content`.
    public var sha256: String
    public var createdAt: String
}

/// A retorno file the service applied (a row of `retornos`): one per client and file content, so the same file
/// uploaded again changes nothing and answers the first upload's result.
public struct RetornoRecord: Sendable, Hashable {
    /// `ret_…`.
    public var id: String
    public var clientID: String
    /// The configuration it was applied to.
    public var configurationID: String
    /// Lower-case hex SHA-256 of the uploaded bytes.
    public var sha256: String
    /// The bank's FEBRABAN code read from the file.
    public var bank: String
    /// `240` or `400`.
    public var layout: String
    /// How many titles the file held.
    public var titleCount: Int
    /// The response of the first upload (JSON text).
    public var result: String
    public var createdAt: String
}
