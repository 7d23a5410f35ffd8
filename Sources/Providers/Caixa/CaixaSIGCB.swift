import BoletoKit
import Foundation

/// Caixa Econômica Federal's SIGCB web service over the SIBAR bus (SOAP 1.1, no client certificate): registers
/// titles with `INCLUI_BOLETO` and writes them off with `BAIXA_BOLETO`, each authenticated by the
/// ``CaixaAuthentication`` hash of the title and the beneficiary's CPF/CNPJ.
///
/// What each request brings: the código do beneficiário (`request.input.beneficiaryCode`, 6 or 7 digits), the
/// agency (`request.input.agency`, the header's `UNIDADE`), wallet 14, the nosso número (15 digits, or 17 starting
/// with 14), the due date, the amount, the payer's name, CPF/CNPJ and address, the instructions, the issue date
/// (today in São Paulo when nil) and the beneficiary (`request.beneficiary`), whose document goes into the hash.
/// The envelope is ``CaixaEnvelope``'s, the field rules ``CaixaFields``', and the answers ``CaixaAnswer``'s.
///
/// | what happened | outcome |
/// |---|---|
/// | the request has no beneficiary document, or an alphanumeric one | ``RegistrationOutcome/misconfigured(reason:)``, nothing sent |
/// | a field SIGCB would reject (``problems(in:)``) | `refused(code: "FIELDS", message:)` with every problem, nothing sent |
/// | the bank answered | ``CaixaAnswer``'s table |
/// | no answer (timeout, connection reset) | transient: the bank may hold the title, and a retry reconciles through the duplicate answer (code 38) |
/// | the bank's TLS certificate does not verify | misconfigured, nothing sent |
///
/// `FIELDS` is this adapter's own code, never the bank's. ``cancel(_:)`` answers `refused(code: "FIELDS", …)`
/// when the title's beneficiary code, agency or nosso número is unusable and `refused(code: "CONFIG", …)` without a
/// beneficiary document, since a cancellation has no misconfigured outcome.
///
/// There is no query: `CONSULTA_BOLETO` lives at another service (`ConsultaCobrancaBancaria/Boleto`) and reports
/// the title's status only inside a free-text message, so this adapter is not a ``BoletoQuerier``.
///
/// Call ``shutdown()`` before dropping the adapter.
public struct CaixaSIGCB: BoletoAlterer, BoletoCanceler, RegistrationValidating {
    /// Where the bus is and how the adapter introduces itself. Nothing is read from the environment.
    public struct Configuration: Sendable {
        /// `ManutencaoCobrancaBancaria/Boleto/Externo` (production
        /// `https://barramento.caixa.gov.br/sibar/ManutencaoCobrancaBancaria/Boleto/Externo`, homologation
        /// `https://des.barramento.caixa.gov.br/…`), for registering and writing off titles.
        public var endpoint: BankEndpoint
        /// `HEADER/USUARIO_SERVICO`, the bus user: `SGCBS02P` in production (`SGCBS01D` in development).
        public var usuarioServico: String
        /// `HEADER/VERSAO`: `1.0`, what boleto-api sends; other clients send `2.0` (which adds payment rules) or
        /// later versions.
        public var versao: String
        /// `HEADER/SISTEMA_ORIGEM`: `SIGCB`.
        public var sistemaOrigem: String
        /// Headers sent with every call, for gateways in front of the bus that need their own (the tests pick
        /// fake-bank scenarios with `X-Fake-Scenario`). They never replace `Content-Type` or `SOAPAction`.
        public var extraHeaders: [String: String]

        /// A configuration from its parts.
        public init(endpoint: BankEndpoint, usuarioServico: String = "SGCBS02P", versao: String = "1.0",
                    sistemaOrigem: String = "SIGCB", extraHeaders: [String: String] = [:]) {
            self.endpoint = endpoint
            self.usuarioServico = usuarioServico
            self.versao = versao
            self.sistemaOrigem = sistemaOrigem
            self.extraHeaders = extraHeaders
        }
    }

    /// This adapter's code for a request refused before anything was sent.
    public static let fieldsCode = "FIELDS"
    /// This adapter's code for a cancellation refused because the request has no usable beneficiary document.
    public static let configurationCode = "CONFIG"

    /// The configuration the adapter was built with.
    public let configuration: Configuration
    let connection: BankConnection
    let now: @Sendable () -> Date

    /// An adapter; throws when the endpoint's trust roots are not PEM certificates.
    public init(configuration: Configuration) throws(ProviderConfigurationError) {
        try self.init(configuration: configuration, now: { Date() })
    }

    /// An adapter whose clock (`DATA_HORA`, and `DATA_EMISSAO` when a request has no issue date) is `now`.
    init(configuration: Configuration, now: @escaping @Sendable () -> Date) throws(ProviderConfigurationError) {
        self.configuration = configuration
        self.connection = try BankConnection(endpoint: configuration.endpoint)
        self.now = now
    }

    /// Closes the adapter's connections.
    public func shutdown() async throws { try await connection.shutdown() }

    /// Every problem SIGCB would reject the request's `INCLUI_BOLETO` for (``CaixaFields``' rules), each named by the
    /// service API's field; the messages never hold the values.
    /// The boleto terms this adapter sends; any other term is a problem, refused before sending.
    public static let termsSupport = CaixaFields.termsSupport

    public func problems(in request: RegistrationRequest) -> [FieldProblem] {
        CaixaFields.problems(in: request)
    }

    public func register(_ request: RegistrationRequest) async -> RegistrationOutcome {
        guard CaixaFields.beneficiaryDocument(request) != nil else {
            return .misconfigured(reason: Self.missingDocument)
        }
        if let refusal = refusalBeforeSending(request, code: Self.fieldsCode) { return refusal }
        let now = self.now()
        guard let title = CaixaFields.title(for: request, issueDate: request.issueDate ?? CalendarDate(now, in: .saoPaulo)) else {
            return .refused(code: Self.fieldsCode, message: "The request cannot be sent to Caixa SIGCB.")
        }
        let body = CaixaEnvelope.incluiBoleto(title, settings: settings, now: now)
        let reply = await connection.post(body, headers: headers(action: CaixaEnvelope.includeAction))
        return CaixaAnswer.registration(reply, for: request)
    }

    /// Writes the title off (`BAIXA_BOLETO`): it can no longer be paid.
    public func cancel(_ request: RegistrationRequest) async -> CancellationOutcome {
        guard let document = CaixaFields.beneficiaryDocument(request) else {
            return .refused(code: Self.configurationCode, message: Self.missingDocument)
        }
        let problems = CaixaFields.keyProblems(in: request)
        guard problems.isEmpty, let key = CaixaFields.key(for: request) else {
            return .refused(code: Self.fieldsCode, message: problems.map(\.description).joined(separator: "; "))
        }
        let body = CaixaEnvelope.baixaBoleto(key, beneficiaryDocument: document, settings: settings, now: now())
        let reply = await connection.post(body, headers: headers(action: CaixaEnvelope.writeOffAction))
        return CaixaAnswer.cancellation(reply)
    }

    /// What `ALTERA_BOLETO` changes: the due date, the amount, the discounts, the abatimento and the `POS_VENCIMENTO`
    /// action (protest or return after N days).
    public var alterable: Set<BoletoAlteration.Kind> { [.dueDate, .amount, .discounts, .abatement, .protest, .writeOff] }

    /// Changes the title (`ALTERA_BOLETO`, see ``CaixaEnvelope/alteraBoleto(_:kinds:settings:now:)``) as
    /// `alteration` leaves it. SIGCB keeps a title's discounts when `DESCONTOS` is absent, so withdrawing every
    /// discount is refused before sending.
    public func alter(_ request: RegistrationRequest, _ alteration: BoletoAlteration) async -> AlterationOutcome {
        guard CaixaFields.beneficiaryDocument(request) != nil else {
            return .refused(code: Self.configurationCode, message: Self.missingDocument)
        }
        if alteration.discounts?.isEmpty == true {
            return .refused(code: Self.fieldsCode, message: "Caixa SIGCB's ALTERA_BOLETO has no way to withdraw every discount.")
        }
        let now = self.now()
        guard let changed = try? request.altered(by: alteration),
              let title = CaixaFields.title(for: changed, issueDate: request.issueDate ?? CalendarDate(now, in: .saoPaulo)) else {
            return .refused(code: Self.fieldsCode, message: "The change cannot be sent to Caixa SIGCB.")
        }
        let problems = CaixaFields.problems(in: changed)
        guard problems.isEmpty else { return .refused(code: Self.fieldsCode, message: problems.map(\.description).joined(separator: "; ")) }
        let body = CaixaEnvelope.alteraBoleto(title, kinds: alteration.kinds(previous: request.terms), settings: settings, now: now)
        let reply = await connection.post(body, headers: headers(action: CaixaEnvelope.alterAction))
        return CaixaAnswer.alteration(reply)
    }

    static let missingDocument = "Caixa SIGCB needs the beneficiary's numeric CPF or CNPJ (request.beneficiary) for its hash."

    var settings: CaixaEnvelope.Settings {
        CaixaEnvelope.Settings(versao: configuration.versao, usuarioServico: configuration.usuarioServico,
                               sistemaOrigem: configuration.sistemaOrigem)
    }

    /// `Content-Type`, `SOAPAction`, then the configured extra headers in name order (any that would replace the
    /// protocol's own are left out).
    func headers(action: String) -> [(String, String)] {
        let reserved: Set<String> = ["content-type", "soapaction", "content-length", "host", "transfer-encoding"]
        var headers = [("Content-Type", "text/xml; charset=utf-8"), ("SOAPAction", action)]
        headers += configuration.extraHeaders.filter { !reserved.contains($0.key.lowercased()) }
            .sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        return headers
    }
}
