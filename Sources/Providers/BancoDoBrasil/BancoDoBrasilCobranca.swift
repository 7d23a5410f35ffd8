import BoletoJSON
import BoletoKit
import Foundation
import NIOHTTP1

/// Banco do Brasil's API Cobranças v2 (REST, OAuth 2.0 client credentials with HTTP Basic; an application key,
/// `gw-dev-app-key`, on every call): register with the PIX QR code of the boleto híbrido, query and write off.
///
/// | what happened | register | query | cancel (`baixar`) |
/// |---|---|---|---|
/// | a field BB would refuse (``problems(in:)``) | `refused("FIELDS", …)`, nothing sent | `refused("FIELDS", …)` | `refused("FIELDS", …)` |
/// | 2xx | `registered`, with `qrCode.url` and `qrCode.emv`, after checking BB's barcode and line against BoletoKit's | `found` with the state's name | `canceled` |
/// | 2xx whose barcode differs from BoletoKit's | `misconfigured` (convênio, carteira or variação wrong): never registered silently | — | — |
/// | 2xx without the title | `transient` | `transient` | — |
/// | 400, 409 or 422 with `erros` | the title is queried: held with our barcode → `alreadyRegistered(code, …)`, else `refused(code, message)` | `refused(code, message)` | the title is queried: `BAIXADO` → `alreadyCanceled(code, …)`, else `refused(code, message)` |
/// | 404 | `misconfigured` (wrong URL) | `notFound` | `refused(code, message)` when `erros` came, else `refused("404", …)` |
/// | 401 after a new token, 403 | `misconfigured` | `misconfigured` | `refused("CONFIG", …)` |
/// | 408, 429, 5xx, no answer | `transient` | `transient` | `transient` |
/// | token refused, or TLS not verified | `misconfigured` | `misconfigured` | `refused("CONFIG", …)` |
///
/// Only convênios of 7 digits are taken (the title's id is `"000"` + convênio + a 10-digit nosso número).
public struct BancoDoBrasilCobranca: RegistrationValidating, BoletoCanceler, BoletoQuerier {
    /// Where BB is, and the beneficiary's credentials. Nothing is read from the environment.
    public struct Configuration: Sendable {
        /// The API's base URL, ending in `/cobrancas/v2` (production `https://api.bb.com.br/cobrancas/v2`, as
        /// BB's portal gives it; homologation `https://api.hm.bb.com.br/cobrancas/v2`).
        public var api: BankEndpoint
        /// The OAuth client (production token URL `https://oauth.bb.com.br/oauth/token`, `.basic`, scope
        /// `cobrancas.boletos-info cobrancas.boletos-requisicao`).
        public var credentials: OAuthClientCredentials
        /// The application key sent on every call.
        public var applicationKey: String
        /// The query parameter that carries it: `gw-dev-app-key` in production, `gw-app-key` in homologation.
        public var applicationKeyParameter: String
        /// A client certificate, when the beneficiary's BB contract asks for mutual TLS.
        public var clientIdentity: SigningIdentity?
        /// Whether titles are registered with a PIX QR code (`indicadorPix`).
        public var pix: Bool
        /// Headers sent with every API call (a gateway's own; the tests pick fake scenarios with them).
        public var extraHeaders: [String: String]

        public init(api: BankEndpoint, credentials: OAuthClientCredentials, applicationKey: String,
                    applicationKeyParameter: String = "gw-dev-app-key", clientIdentity: SigningIdentity? = nil, pix: Bool = true,
                    extraHeaders: [String: String] = [:]) {
            self.api = api
            self.credentials = credentials
            self.applicationKey = applicationKey
            self.applicationKeyParameter = applicationKeyParameter
            self.clientIdentity = clientIdentity
            self.pix = pix
            self.extraHeaders = extraHeaders
        }
    }

    let configuration: Configuration
    let connection: BankConnection
    /// The configuration's tokens, shared by every call.
    public let tokens: OAuthTokenSource

    /// An adapter; throws when a trust root, the client certificate or the application key is unusable.
    public init(configuration: Configuration) throws(ProviderConfigurationError) {
        guard !configuration.applicationKey.isEmpty else { throw ProviderConfigurationError("The BB application key must not be empty.") }
        self.configuration = configuration
        self.connection = try BankConnection(endpoint: configuration.api, clientIdentity: configuration.clientIdentity)
        self.tokens = OAuthTokenSource(credentials: configuration.credentials, connection: connection)
    }

    /// Closes the adapter's connections.
    public func shutdown() async throws { try await connection.shutdown() }

    /// The boleto terms this adapter sends; any other term is a problem, refused before sending.
    public static let termsSupport = BancoDoBrasilRequest.termsSupport

    public func problems(in request: RegistrationRequest) -> [FieldProblem] {
        BancoDoBrasilRequest.problems(in: request) + Self.termsSupport.problems(request.terms, bank: "Banco do Brasil")
    }

    public func register(_ request: RegistrationRequest) async -> RegistrationOutcome {
        if let refusal = refusalBeforeSending(request) { return refusal }
        guard let id = BancoDoBrasilRequest.titleID(request) else {
            return .refused(code: "FIELDS", message: "input.beneficiaryCode and input.nossoNumero make no Banco do Brasil title id")
        }
        let body = BancoDoBrasilRequest.body(request, today: CalendarDate.todayInSaoPaulo(), pix: configuration.pix)
        switch await call(.POST, "/boletos", body: body) {
        case .configuration(let reason): return .misconfigured(reason: reason)
        case .transient(let reason): return .transient(reason: reason)
        case .answered(let status, let json):
            switch status {
            case 200...299:
                guard let json, let line = AnswerFields.text(json["linhaDigitavel"]),
                      let barcode = AnswerFields.text(json["codigoBarraNumerico"]) else {
                    return .transient(reason: "Banco do Brasil answered HTTP \(status) without the registered title.")
                }
                guard AnswerFields.digits(barcode) == request.boleto.barcode.description,
                      AnswerFields.digits(line) == request.boleto.digitableLine.description else {
                    return .misconfigured(reason: "Banco do Brasil registered title \(id) with a barcode that differs from BoletoKit's: check the convênio, carteira and variação.")
                }
                return .registered(barcode: request.boleto.barcode.description, digitableLine: request.boleto.digitableLine.description,
                                   nossoNumero: request.boleto.nossoNumero, bankURL: AnswerFields.text(json["qrCode"]?["url"]),
                                   pixQRCode: AnswerFields.text(json["qrCode"]?["emv"]).flatMap { $0.isEmpty ? nil : $0 })
            case 400, 409, 422:
                guard let (code, message) = BancoDoBrasilAnswer.error(json) else {
                    return .misconfigured(reason: "Banco do Brasil answered HTTP \(status) without its error list.")
                }
                // A retry of a registration whose answer was lost: BB already holds the title, with our barcode.
                if case .found(_, let held, _, _, _) = await query(request), held.map(AnswerFields.digits) == request.boleto.barcode.description {
                    return .alreadyRegistered(code: code, message: message)
                }
                return .refused(code: code, message: message)
            default:
                return Self.registration(status: status)
            }
        }
    }

    public func query(_ request: RegistrationRequest) async -> QueryOutcome {
        guard let id = BancoDoBrasilRequest.titleID(request), let convenio = request.input.beneficiaryCode else {
            return .refused(code: "FIELDS", message: "input.beneficiaryCode and input.nossoNumero must make a BB title id")
        }
        switch await call(.GET, "/boletos/\(id)", query: [("numeroConvenio", convenio)]) {
        case .configuration(let reason): return .misconfigured(reason: reason)
        case .transient(let reason): return .transient(reason: reason)
        case .answered(let status, let json):
            switch status {
            case 200...299:
                guard let json, let state = BancoDoBrasilAnswer.integer(json["codigoEstadoTituloCobranca"]) else {
                    return .transient(reason: "Banco do Brasil answered HTTP \(status) without the title's state.")
                }
                let meaning = BancoDoBrasilAnswer.meaning(state)
                return .found(status: BancoDoBrasilAnswer.stateName(state),
                              barcode: AnswerFields.text(json["textoCodigoBarrasTituloCobranca"]).map(AnswerFields.digits),
                              digitableLine: AnswerFields.text(json["codigoLinhaDigitavel"]).map(AnswerFields.digits),
                              state: meaning, payment: meaning == .paid ? BancoDoBrasilAnswer.payment(json) : nil)
            case 404:
                return .notFound
            case 400, 409, 422:
                guard let (code, message) = BancoDoBrasilAnswer.error(json) else {
                    return .misconfigured(reason: "Banco do Brasil answered HTTP \(status) without its error list.")
                }
                return .refused(code: code, message: message)
            case 408, 429, 500...599:
                return .transient(reason: "Banco do Brasil answered HTTP \(status).")
            default:
                return .misconfigured(reason: "Banco do Brasil answered HTTP \(status): check the application key and the API URL.")
            }
        }
    }

    public func cancel(_ request: RegistrationRequest) async -> CancellationOutcome {
        guard let id = BancoDoBrasilRequest.titleID(request), let convenio = Int64(request.input.beneficiaryCode ?? "") else {
            return .refused(code: "FIELDS", message: "input.beneficiaryCode and input.nossoNumero must make a BB title id")
        }
        switch await call(.POST, "/boletos/\(id)/baixar", body: .object([("numeroConvenio", .int(convenio))])) {
        case .configuration(let reason): return .refused(code: "CONFIG", message: reason)
        case .transient(let reason): return .transient(reason: reason)
        case .answered(let status, let json):
            switch status {
            case 200...299:
                return .canceled
            case 400, 404, 409, 422:
                guard let (code, message) = BancoDoBrasilAnswer.error(json) else {
                    return .refused(code: String(status), message: "Banco do Brasil answered HTTP \(status) without its error list.")
                }
                // A retry of a write-off whose answer was lost: the title is already BAIXADO.
                if case .found(_, _, _, .writtenOff, _) = await query(request) { return .alreadyCanceled(code: code, message: message) }
                return .refused(code: code, message: message)
            case 408, 429, 500...599:
                return .transient(reason: "Banco do Brasil answered HTTP \(status).")
            default:
                return .refused(code: "CONFIG", message: "Banco do Brasil answered HTTP \(status): check the application key and the API URL.")
            }
        }
    }

    /// One API call: the application key in the query, JSON in and out, the bearer token (a 401 retried once).
    func call(_ method: HTTPMethod, _ path: String, query: [(String, String)] = [], body: JSON? = nil) async -> RESTReply {
        let url = configuration.api.url.appending(apiPath: path, query: [(configuration.applicationKeyParameter, configuration.applicationKey)] + query)
        var headers = [("Accept", "application/json")]
        if body != nil { headers.append(("Content-Type", "application/json")) }
        headers += configuration.extraHeaders.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return await tokens.sendJSON(method, url: url, headers: headers, body: body)
    }

    /// A registration answered with a status that carries no title and no error list.
    static func registration(status: Int) -> RegistrationOutcome {
        switch status {
        case 408, 429, 500...599: .transient(reason: "Banco do Brasil answered HTTP \(status).")
        default: .misconfigured(reason: "Banco do Brasil answered HTTP \(status): check the application key, the credentials and the API URL.")
        }
    }
}
