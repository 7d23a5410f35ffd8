import BoletoKit

/// What a bank answered when asked to register a boleto.
///
/// Every bank adapter maps its own protocol onto these outcomes, so callers handle banks alike.
public enum RegistrationOutcome: Hashable, Sendable {
    /// The bank holds the title. `bankURL` is where the bank serves its own copy, when it has one.
    case registered(barcode: String, digitableLine: String, nossoNumero: String, bankURL: String?)
    /// The bank already holds this title (a retry of a registration that reached it, such as Bradesco's `cdErro`
    /// 69). Callers reconcile this to registered.
    case alreadyRegistered(code: String, message: String)
    /// The bank refused the title; retrying the same request will not help.
    case refused(code: String, message: String)
    /// The bank could not answer now (timeout, 5xx, maintenance); the same request may succeed later.
    case transient(reason: String)
    /// The adapter's own configuration is wrong (credentials, account data).
    case misconfigured(reason: String)
}

/// What a bank answered when asked to cancel ("baixa") a registered boleto.
public enum CancellationOutcome: Hashable, Sendable {
    /// The bank wrote the title off; it can no longer be paid.
    case canceled
    /// The bank refused to cancel (already paid, unknown title, …).
    case refused(code: String, message: String)
    /// The bank could not answer now; the same request may succeed later.
    case transient(reason: String)
    /// This adapter cannot cancel titles through the bank's protocol.
    case unsupported
}

/// A postal address as banks take it.
public struct PostalAddress: Hashable, Sendable, Codable {
    /// CEP, 8 digits.
    public var zipcode: String
    /// Street (logradouro).
    public var street: String
    /// Number, as text (`308`, `S/N`).
    public var streetNumber: String
    /// Complement (apartment, floor).
    public var complementary: String?
    /// Bairro.
    public var neighborhood: String
    /// City.
    public var city: String
    /// UF, two upper-case letters.
    public var state: String

    /// An address from its parts.
    public init(zipcode: String, street: String, streetNumber: String, complementary: String?, neighborhood: String,
                city: String, state: String) {
        self.zipcode = zipcode
        self.street = street
        self.streetNumber = streetNumber
        self.complementary = complementary
        self.neighborhood = neighborhood
        self.city = city
        self.state = state
    }
}

/// Everything an adapter needs to register one boleto.
///
/// `requestKey` is stable across retries of the same boleto, so adapters whose bank accepts an idempotency or
/// request key can pass it on, and so a retry is recognisable as the same request.
public struct RegistrationRequest: Hashable, Sendable {
    /// A key that identifies this boleto's registration across retries (the service uses the boleto id).
    public var requestKey: String
    /// The issuer's data the barcode was computed from.
    public var input: BoletoInput
    /// The computed barcode, digitable line and printed nosso número.
    public var boleto: Boleto
    /// The payer ("pagador").
    public var payerName: String?
    /// The payer's CPF or CNPJ.
    public var payerDocument: Document?
    /// The payer's address.
    public var payerAddress: PostalAddress?
    /// Free-text instructions for the cashier.
    public var instructions: String?
    /// Adapter-specific hints chosen by the caller, such as the sandbox's scenario (`"scenario"`).
    public var hints: [String: String]

    /// A request from its parts.
    public init(requestKey: String, input: BoletoInput, boleto: Boleto, payerName: String? = nil,
                payerDocument: Document? = nil, payerAddress: PostalAddress? = nil, instructions: String? = nil,
                hints: [String: String] = [:]) {
        self.requestKey = requestKey
        self.input = input
        self.boleto = boleto
        self.payerName = payerName
        self.payerDocument = payerDocument
        self.payerAddress = payerAddress
        self.instructions = instructions
        self.hints = hints
    }
}

/// A bank adapter: registers and cancels boletos. Adapters never read the environment; credentials and accounts
/// are passed in.
public protocol BoletoRegistrar: Sendable {
    /// Registers the boleto with the bank. Implementations never throw: every failure maps onto an outcome.
    func register(_ request: RegistrationRequest) async -> RegistrationOutcome
    /// Cancels ("baixa") a registered boleto. The default answers ``CancellationOutcome/unsupported``.
    func cancel(_ request: RegistrationRequest) async -> CancellationOutcome
}

extension BoletoRegistrar {
    /// Answers ``CancellationOutcome/unsupported``.
    public func cancel(_ request: RegistrationRequest) async -> CancellationOutcome { .unsupported }
}
