import BoletoKit

/// What a bank answered when asked to register a boleto.
///
/// Every bank adapter maps its own protocol onto these four outcomes, so callers handle banks alike.
public enum RegistrationOutcome: Hashable, Sendable {
    /// The bank holds the title. `bankURL` is where the bank serves its own copy, when it has one.
    case registered(barcode: String, digitableLine: String, nossoNumero: String, bankURL: String?)
    /// The bank refused the title; retrying the same request will not help.
    case refused(code: String, message: String)
    /// The bank could not answer now (timeout, 5xx, maintenance); the same request may succeed later.
    case transient(reason: String)
    /// The adapter's own configuration is wrong (credentials, account data).
    case misconfigured(reason: String)
}

/// A bank adapter's core operation: registering a boleto. Adapters never read the environment; credentials and
/// accounts are passed in. (The adapters themselves arrive with the providers issue.)
public protocol BoletoRegistrar: Sendable {
    /// Registers the boleto computed from `input` with the bank.
    func register(_ input: BoletoInput, boleto: Boleto) async -> RegistrationOutcome
}
