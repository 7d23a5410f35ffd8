import Foundation

/// The PIX receiver of a configuration's boletos híbridos: a key (static BR Code) or a location (dynamic), with the
/// merchant name and city the code carries. Stored as JSON on the configuration.
public struct PixSettings: Sendable, Hashable, JSONColumn {
    /// The Pix key: CPF, CNPJ, +55 phone, e-mail or random key.
    public var key: String?
    /// The PSP's location for a dynamic code, without `https://`.
    public var url: String?
    /// Merchant name (59), up to 25 characters.
    public var name: String
    /// Merchant city (60), up to 15 characters.
    public var city: String
}
