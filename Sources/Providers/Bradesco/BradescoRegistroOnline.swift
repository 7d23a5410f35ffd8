import BoletoKit
import Foundation

/// Bradesco's "registro online" (Net Empresa, `ibpjregistrotitulows/registrotitulo`): the request JSON
/// (``BradescoRequest``) signed as CMS SignedData by a ``Signer`` and sent as one line of base64; the answer is
/// JSON inside a SOAP envelope.
///
/// | what happened | outcome |
/// |---|---|
/// | a field the bank would reject (``problems(in:)``) | `refused("FIELDS", …)`, nothing sent |
/// | the signer failed | `misconfigured` |
/// | HTTP 200 or 500 with the envelope | ``BradescoAnswer``'s table |
/// | HTTP 5xx without it, or a 200 that is not the envelope | `transient` |
/// | HTTP 4xx without it (wrong URL) | `misconfigured` |
/// | no answer (timeout, connection reset) | `transient`: the bank may hold the title, and a retry reconciles through `cdErro` 69 |
/// | the bank's TLS certificate does not verify | `misconfigured`, nothing sent |
///
/// Bradesco has no cancellation or query in this protocol, so the adapter is only a ``BoletoRegistrar``.
public struct BradescoRegistroOnline: RegistrationValidating {
    /// Where the bank is and how requests are signed. Nothing is read from the environment.
    public struct Configuration: Sendable {
        /// The bank's URL (production `https://cobranca.bradesconetempresa.b.br/ibpjregistrotitulows/registrotitulo`).
        public var endpoint: BankEndpoint
        /// The company certificate's signer.
        public var signer: any Signer
        /// Headers sent with every call (a gateway's own headers; the tests pick fake scenarios with them).
        public var extraHeaders: [String: String]

        /// A configuration from its parts.
        public init(endpoint: BankEndpoint, signer: any Signer, extraHeaders: [String: String] = [:]) {
            self.endpoint = endpoint
            self.signer = signer
            self.extraHeaders = extraHeaders
        }
    }

    let configuration: Configuration
    let connection: BankConnection

    /// An adapter; throws when the endpoint's trust roots are not PEM certificates.
    public init(configuration: Configuration) throws(ProviderConfigurationError) {
        self.configuration = configuration
        self.connection = try BankConnection(endpoint: configuration.endpoint)
    }

    /// Closes the adapter's connections.
    public func shutdown() async throws { try await connection.shutdown() }

    /// The boleto terms this adapter sends; any other term is a problem, refused before sending.
    public static let termsSupport = BradescoRequest.termsSupport

    public func problems(in request: RegistrationRequest) -> [FieldProblem] {
        BradescoRequest.problems(in: request)
    }

    /// The body sent for `request`: the base64 of the signed JSON.
    func body(_ request: RegistrationRequest) throws -> [UInt8] {
        Array(Data(try configuration.signer.sign(BradescoRequest.json(request))).base64EncodedString().utf8)
    }

    public func register(_ request: RegistrationRequest) async -> RegistrationOutcome {
        if let refusal = refusalBeforeSending(request) { return refusal }
        let body: [UInt8]
        do {
            body = try self.body(request)
        } catch {
            return .misconfigured(reason: "The request could not be signed (\(BankConnection.name(of: error))).")
        }
        var headers = [("Content-Type", "application/json")]
        headers += configuration.extraHeaders.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        switch await connection.post(body, headers: headers) {
        case .noAnswer(let reason):
            return .transient(reason: reason)
        case .untrusted(let reason):
            return .misconfigured(reason: reason)
        case .answered(let status, let answer):
            if let json = BradescoEnvelope.answerJSON(answer), let parsed = BradescoAnswer(json: json) {
                return parsed.outcome(for: request)
            }
            switch status {
            case 500...:
                return .transient(reason: "Bradesco answered HTTP \(status) without its answer envelope.")
            case 400..<500:
                return .misconfigured(reason: "Bradesco answered HTTP \(status); check the endpoint URL.")
            default:
                return .transient(reason: "Bradesco answered HTTP \(status) with a body that is not its answer envelope.")
            }
        }
    }
}
