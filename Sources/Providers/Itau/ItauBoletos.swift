import BoletoJSON
import BoletoKit
import Foundation
import NIOHTTP1

/// Itaú's Boletos API (REST over mutual TLS; OAuth 2.0 client credentials in the form body; `x-itau-apikey`,
/// `x-itau-correlationID` and `x-itau-flowID` on every call): check the fields without registering (`validacao`),
/// register (`efetivacao`, with the PIX copy-and-paste text of a `boleto_pix`), query and write off (`baixa`).
///
/// Itaú's error format is not in the sources read, so outcomes depend on the HTTP status only, with a best-effort
/// message (`mensagem` or `message`, cut to 200 characters); a refusal's code is the status.
///
/// | what happened | register | ``validate(_:)`` | query | cancel (`baixa`) |
/// |---|---|---|---|---|
/// | a field Itaú would refuse (``problems(in:)``) | `refused("FIELDS", …)`, nothing sent | `refused("FIELDS", …)` | `refused("FIELDS", …)` | `refused("FIELDS", …)` |
/// | 2xx | `registered`, with the PIX text when Itaú sends one, after checking Itaú's barcode (and line) against BoletoKit's | `accepted` | `found` with `situacao_geral_boleto`; an empty list is `notFound` | `canceled` |
/// | 2xx whose barcode differs from BoletoKit's | `misconfigured` (agência, conta, DAC or carteira wrong): never registered silently | — | — | — |
/// | 2xx without a barcode, or a query answer without a list or a state | `transient` | — | `transient` | — |
/// | 400 or 422 | the title is queried: held with our barcode → `alreadyRegistered(status, …)`, else `refused(status, message)` | `refused(status, message)` | `refused(status, message)` | the title is queried: written off → `alreadyCanceled(status, …)`, else `refused(status, message)` |
/// | 404 | `misconfigured` (wrong URL) | `misconfigured` | `misconfigured` (the collection always exists) | like 400 |
/// | 401 after a new token, 403, another status | `misconfigured` | `misconfigured` | `misconfigured` | `refused("CONFIG", …)` |
/// | 408, 429, 5xx, no answer | `transient` | `transient` | `transient` | `transient` |
/// | token refused, or TLS not verified (either side's certificate) | `misconfigured` | `misconfigured` | `misconfigured` | `refused("CONFIG", …)` |
///
/// `id_beneficiario` is agência (4) + conta (7) + the conta's DAC; `id_boleto` adds carteira (3) and nosso número (8).
public struct ItauBoletos: RegistrationValidating, BoletoCanceler, BoletoQuerier {
    /// Where Itaú is, and the beneficiary's credentials and client certificate. Nothing is read from the environment.
    public struct Configuration: Sendable {
        /// The registration and instruction API's base URL, ending in `/cash_management/v2` (production
        /// `https://api.itau.com.br/cash_management/v2`). Its TLS settings apply to every call.
        public var api: BankEndpoint
        /// The query API's base URL, ending in `/boletoscash/v2` (production
        /// `https://secure.api.cloud.itau.com.br/boletoscash/v2`); `https` only.
        public var queryURL: String
        /// The OAuth client (production token URL `https://sts.itau.com.br/api/oauth/token`, `.form`). Its client id
        /// is also the `x-itau-apikey` of every call.
        public var credentials: OAuthClientCredentials
        /// The beneficiary's certificate: Itaú takes tokens and calls over mutual TLS only.
        public var clientIdentity: SigningIdentity
        /// Whether titles are registered as `boleto_pix`, with a PIX QR code.
        public var pix: Bool
        /// Headers sent with every API call (a gateway's own; the tests pick fake scenarios with them).
        public var extraHeaders: [String: String]

        public init(api: BankEndpoint, queryURL: String, credentials: OAuthClientCredentials, clientIdentity: SigningIdentity,
                    pix: Bool = false, extraHeaders: [String: String] = [:]) {
            self.api = api
            self.queryURL = queryURL
            self.credentials = credentials
            self.clientIdentity = clientIdentity
            self.pix = pix
            self.extraHeaders = extraHeaders
        }
    }

    /// What checking a title's fields at Itaú (`etapa_processo_boleto` `validacao`) came to. Nothing is registered.
    public enum FieldCheckOutcome: Hashable, Sendable {
        /// Itaú would register the title as it is.
        case accepted
        /// Itaú refused the fields (`FIELDS` when they were refused before sending; else the HTTP status).
        case refused(code: String, message: String)
        /// Itaú could not answer now.
        case transient(reason: String)
        /// The adapter's own configuration is wrong.
        case misconfigured(reason: String)
    }

    let configuration: Configuration
    let connection: BankConnection
    /// The query API's base URL.
    let queryURL: URL
    /// The `x-itau-flowID` of this adapter's calls (one flow per adapter); each call has its own correlation id.
    let flowID: String
    /// The configuration's tokens, shared by every call. The token request carries this adapter's `x-itau-flowID`
    /// and a correlation id of its own, unless the credentials' extra headers already name them.
    public let tokens: OAuthTokenSource

    /// An adapter; throws when the query URL is not `https`, a trust root or the client certificate is unusable.
    public init(configuration: Configuration) throws(ProviderConfigurationError) {
        guard let query = URL(string: configuration.queryURL), query.scheme?.lowercased() == "https", let host = query.host, !host.isEmpty else {
            throw ProviderConfigurationError("The Itaú query URL must be an absolute https URL.")
        }
        let flowID = UUID().uuidString
        let connection = try BankConnection(endpoint: configuration.api, clientIdentity: configuration.clientIdentity)
        var credentials = configuration.credentials
        let named = Set(credentials.extraHeaders.keys.map { $0.lowercased() })
        if !named.contains("x-itau-flowid") { credentials.extraHeaders["x-itau-flowID"] = flowID }
        if !named.contains("x-itau-correlationid") { credentials.extraHeaders["x-itau-correlationID"] = UUID().uuidString }
        self.configuration = configuration
        self.queryURL = query
        self.flowID = flowID
        self.connection = connection
        self.tokens = OAuthTokenSource(credentials: credentials, connection: connection)
    }

    /// Closes the adapter's connections.
    public func shutdown() async throws { try await connection.shutdown() }

    /// The boleto terms this adapter sends; any other term is a problem, refused before sending.
    public static let termsSupport = ItauRequest.termsSupport

    public func problems(in request: RegistrationRequest) -> [FieldProblem] {
        ItauRequest.problems(in: request) + Self.termsSupport.problems(request.terms, bank: "Itaú")
    }

    public func register(_ request: RegistrationRequest) async -> RegistrationOutcome {
        if let refusal = refusalBeforeSending(request) { return refusal }
        guard ItauRequest.titleID(request) != nil else {
            return .refused(code: "FIELDS", message: "input.agency, input.account, input.wallet and input.nossoNumero must make an Itaú title id")
        }
        let body = ItauRequest.body(request, step: .registration, today: CalendarDate.todayInSaoPaulo(), pix: configuration.pix)
        switch await call(.POST, configuration.api.url.appending(apiPath: "/boletos"), body: body) {
        case .configuration(let reason): return .misconfigured(reason: reason)
        case .transient(let reason): return .transient(reason: reason)
        case .answered(let status, let json):
            switch status {
            case 200...299:
                guard let barcode = ItauAnswer.barcode(json) else {
                    return .transient(reason: "Itaú answered HTTP \(status) without the registered title's barcode.")
                }
                let line = ItauAnswer.digitableLine(json)
                guard barcode == request.boleto.barcode.description, line == nil || line == request.boleto.digitableLine.description else {
                    return .misconfigured(reason: "Itaú registered the title with a barcode that differs from BoletoKit's: check the agência, conta, DAC and carteira.")
                }
                return .registered(barcode: request.boleto.barcode.description, digitableLine: request.boleto.digitableLine.description,
                                   nossoNumero: request.boleto.nossoNumero, bankURL: nil, pixQRCode: ItauAnswer.pixCode(json))
            case 400, 422:
                let message = ItauAnswer.message(json, status: status)
                // A retry of a registration whose answer was lost: Itaú already holds the title, with our barcode.
                if case .found(_, let held, _, _, _) = await query(request), held == request.boleto.barcode.description {
                    return .alreadyRegistered(code: String(status), message: message)
                }
                return .refused(code: String(status), message: message)
            default:
                let (isTransient, reason) = Self.unexpected(status)
                return isTransient ? .transient(reason: reason) : .misconfigured(reason: reason)
            }
        }
    }

    /// Sends the title with `etapa_processo_boleto` `validacao`: Itaú checks every field as it would register them,
    /// and registers nothing.
    public func validate(_ request: RegistrationRequest) async -> FieldCheckOutcome {
        let problems = problems(in: request)
        guard problems.isEmpty else { return .refused(code: "FIELDS", message: problems.map(\.description).joined(separator: "; ")) }
        let body = ItauRequest.body(request, step: .validation, today: CalendarDate.todayInSaoPaulo(), pix: configuration.pix)
        switch await call(.POST, configuration.api.url.appending(apiPath: "/boletos"), body: body) {
        case .configuration(let reason): return .misconfigured(reason: reason)
        case .transient(let reason): return .transient(reason: reason)
        case .answered(let status, let json):
            switch status {
            case 200...299: return .accepted
            case 400, 422: return .refused(code: String(status), message: ItauAnswer.message(json, status: status))
            default:
                let (isTransient, reason) = Self.unexpected(status)
                return isTransient ? .transient(reason: reason) : .misconfigured(reason: reason)
            }
        }
    }

    public func query(_ request: RegistrationRequest) async -> QueryOutcome {
        guard let beneficiary = ItauRequest.beneficiaryID(request), let wallet = ItauRequest.wallet(request),
              let number = ItauRequest.nossoNumero(request) else {
            return .refused(code: "FIELDS", message: "input.agency, input.account, input.wallet and input.nossoNumero must make an Itaú title id")
        }
        let url = queryURL.appending(apiPath: "/boletos", query: [("id_beneficiario", beneficiary), ("codigo_carteira", wallet), ("nosso_numero", number)])
        switch await call(.GET, url, body: nil) {
        case .configuration(let reason): return .misconfigured(reason: reason)
        case .transient(let reason): return .transient(reason: reason)
        case .answered(let status, let json):
            switch status {
            case 200...299:
                guard let titles = ItauAnswer.titles(json) else {
                    return .transient(reason: "Itaú answered HTTP \(status) without a list of titles.")
                }
                guard let title = titles.first else { return .notFound }
                guard let state = ItauAnswer.status(title) else {
                    return .transient(reason: "Itaú answered HTTP \(status) without the title's state.")
                }
                let meaning = ItauAnswer.meaning(state)
                return .found(status: state, barcode: ItauAnswer.barcode(title), digitableLine: ItauAnswer.digitableLine(title),
                              state: meaning, payment: meaning == .paid ? ItauAnswer.payment(title) : nil)
            case 400, 422:
                return .refused(code: String(status), message: ItauAnswer.message(json, status: status))
            default:
                let (isTransient, reason) = Self.unexpected(status)
                return isTransient ? .transient(reason: reason) : .misconfigured(reason: reason)
            }
        }
    }

    public func cancel(_ request: RegistrationRequest) async -> CancellationOutcome {
        guard let id = ItauRequest.titleID(request) else {
            return .refused(code: "FIELDS", message: "input.agency, input.account, input.wallet and input.nossoNumero must make an Itaú title id")
        }
        // The sources give no body for `baixa`; an empty object is sent.
        switch await call(.PATCH, configuration.api.url.appending(apiPath: "/boletos/\(id)/baixa"), body: .object([])) {
        case .configuration(let reason): return .refused(code: "CONFIG", message: reason)
        case .transient(let reason): return .transient(reason: reason)
        case .answered(let status, let json):
            switch status {
            case 200...299:
                return .canceled
            case 400, 404, 422:
                let message = ItauAnswer.message(json, status: status)
                // A retry of a write-off whose answer was lost: the title is already written off.
                if case .found(_, _, _, .writtenOff, _) = await query(request) {
                    return .alreadyCanceled(code: String(status), message: message)
                }
                return .refused(code: String(status), message: message)
            default:
                let (isTransient, reason) = Self.unexpected(status)
                return isTransient ? .transient(reason: reason) : .refused(code: "CONFIG", message: reason)
            }
        }
    }

    /// One API call: JSON in and out, the bearer token (a 401 retried once), the API key, this adapter's flow id and
    /// a new correlation id.
    func call(_ method: HTTPMethod, _ url: URL, body: JSON?) async -> RESTReply {
        var headers: [(String, String)] = [
            ("Accept", "application/json"),
            ("Content-Type", "application/json"),
            ("x-itau-apikey", configuration.credentials.clientID),
            ("x-itau-correlationID", UUID().uuidString),
            ("x-itau-flowID", flowID),
        ]
        headers += configuration.extraHeaders.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return await tokens.sendJSON(method, url: url, headers: headers, body: body)
    }

    /// A status with no meaning of its own for the call: transient for 408, 429 and 5xx, else a setting to fix.
    static func unexpected(_ status: Int) -> (isTransient: Bool, reason: String) {
        switch status {
        case 408, 429, 500...599: (true, "Itaú answered HTTP \(status).")
        case 404: (false, "Itaú answered HTTP 404: check the API URL.")
        default: (false, "Itaú answered HTTP \(status): check the client id (x-itau-apikey), the credentials, the client certificate and the API URL.")
        }
    }
}
