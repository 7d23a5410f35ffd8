/// A fake Caixa SIGCB (`ManutencaoCobrancaBancaria/Boleto/Externo` on the SIBAR bus) over real HTTPS on loopback,
/// as strict as the bank's clients show it to be. It shares no code with the adapter it checks: it parses with
/// Foundation's XML parser and hashes with swift-crypto.
///
/// **Checks, in order** (a failure answers as the bus or SIGCB would, and is recorded in ``rejections``):
///
/// | check | answer |
/// |---|---|
/// | path ``path``, `POST`, `Content-Type: text/xml`, a `SOAPAction` | HTTP 404, 405, 415, 400 (plain text) |
/// | `soapenv:Envelope/soapenv:Body/ext:SERVICO_ENTRADA/{sib:HEADER, DADOS}` with both Caixa namespaces; every `HEADER` field (`OPERACAO` `INCLUI_BOLETO`, `ALTERA_BOLETO` or `BAIXA_BOLETO`, `SISTEMA_ORIGEM` `SIGCB`, `UNIDADE` 4 digits, `DATA_HORA` 14 digits); the `TITULO` fields in schema order with their formats (`NOSSO_NUMERO` 17 digits starting with 14, or 0; dates `YYYY-MM-DD`; `VALOR` `10.00`; `PAGADOR` `CPF`+`NOME` or `CNPJ`+`RAZAO_SOCIAL` with valid documents; `ENDERECO`); lengths `NOME`/`RAZAO_SOCIAL` 40, `LOGRADOURO` 40, `BAIRRO` 15, `CIDADE` 15, `MENSAGEM` 40 (2 on the ficha, 4 on the recibo) | outer `X5` "(BK76) ERRO NA FORMATACAO DA MENSAGEM.", the detail in `EXCECAO` (the bus's schema check) |
/// | `CODIGO_BENEFICIARIO` is the fake's | outer `X5` "(X5) USUARIO NAO AUTORIZADO A EXECUTAR A TRANSACAO" |
/// | `AUTENTICACAO` recomputed with the fake's beneficiary document (zeros for date and value on `BAIXA_BOLETO`) | ``Messages/hashDivergent`` |
/// | free text in Caixa's characters (`A–Z a–z 0–9`, space, `! ' ( ) * + , - . / : ; = ? _`) | ``Messages/invalidCharacter`` |
/// | `DATA_VENCIMENTO` not before `DATA_EMISSAO` | ``Messages/dueBeforeIssue`` |
/// | `NOSSO_NUMERO` not yet registered | ``Messages/duplicate`` |
///
/// A title that passes is kept (``titles``) and answered with the barcode and line BoletoKit computes for the
/// request's beneficiary code, wallet 14, nosso número, due date and amount, and the URL
/// `https://boletoonline.caixa.gov.br/ecobranca/SIGCB/imprimir/<code>/<nosso número>`. A `NOSSO_NUMERO` of 0 gets
/// `14` + the next free 15-digit number. `BAIXA_BOLETO` of a kept title writes it off; of an unknown one answers
/// ``Messages/notRegistered``; of a written-off one ``Messages/notOpen``. `ALTERA_BOLETO` (Caixa's
/// `altera_boleto_titulo_entrada_Type`: every `TITULO` element optional but `NOSSO_NUMERO`, in `INCLUI_BOLETO`'s order
/// without `DATA_EMISSAO` and `CODIGO_MOEDA`; the hash over the due date and amount sent) changes an open title's due
/// date, amount, abatimento, `POS_VENCIMENTO` and discounts, computes its barcode again and answers it.
///
/// **Failures on request**: the `X-Fake-Scenario` header, or, for requests without it, the scenarios given to
/// ``script(_:)``, consumed in order (see ``Scenario``).
public final class FakeCaixa: Sendable {
    /// Where the service listens.
    public static let path = "/sibar/ManutencaoCobrancaBancaria/Boleto/Externo"

    /// The failures the fake plays on request.
    public enum Scenario {
        /// The request header that picks a scenario.
        public static let header = "X-Fake-Scenario"
        /// Nothing is processed; the bus's "temporarily unavailable" answer comes after the fake's delay.
        public static let timeout = "timeout"
        /// HTTP 500, plain text.
        public static let serverError = "server-error"
        /// HTTP 500 with a SOAP Fault.
        public static let soapFault = "soap-fault"
        /// HTTP 504.
        public static let gatewayTimeout = "gateway-timeout"
        /// HTTP 200 with half an answer: not well-formed XML.
        public static let malformed = "malformed"
        /// HTTP 200 with the bus's own failure: outer `COD_RETORNO` `X5`, "(X5) TRANSACAO TEMPORARIAMENTE INDISPONIVEL".
        public static let busError = "bus-error"
        /// The request is processed (a valid title is kept) and its answer comes after the fake's delay, so a client
        /// with a shorter timeout never sees it: the reconciliation case.
        public static let registersThenTimesOut = "registers-then-times-out"
        /// Nothing is processed; SIGCB refuses the title (inner `COD_RETORNO` 1, ``Messages/dueBeforeIssue``).
        public static let refused = "refused"
    }

    /// SIGCB's messages (inner `COD_RETORNO` 1) the fake answers with. The hash, character, duplicate and unknown
    /// title texts are the bank's, as its public clients match them; ``dueBeforeIssue`` and ``notOpen`` are fixture
    /// choices.
    public enum Messages {
        /// `AUTENTICACAO` is not the hash of the title with the beneficiary's document.
        public static let hashDivergent = "(54) OPERACAO NAO PERMITIDA - HASH DIVERGENTE"
        /// Free text outside Caixa's characters.
        public static let invalidCharacter = "(66) CARACTER INVALIDO"
        /// The nosso número is already registered.
        public static let duplicate = "(38) NOSSO NUMERO JA CADASTRADO PARA O BENEFICIARIO"
        /// `BAIXA_BOLETO` of a nosso número the beneficiary does not have.
        public static let notRegistered = "(47) NOSSO NUMERO NAO CADASTRADO PARA O BENEFICIARIO"
        /// The due date is before the issue date (a fixture choice).
        public static let dueBeforeIssue = "(31) DATA DE VENCIMENTO ANTERIOR A DATA DE EMISSAO"
        /// `BAIXA_BOLETO` of a title already written off (a fixture choice).
        public static let notOpen = "(48) BAIXA NAO PERMITIDA - TITULO NAO ESTA EM ABERTO"
    }

    /// A title the fake holds.
    public struct Title: Sendable, Hashable {
        /// `NOSSO_NUMERO`, 17 digits.
        public var nossoNumero: String
        /// `CODIGO_BENEFICIARIO`, 7 digits.
        public var beneficiaryCode: String
        /// `YYYY-MM-DD`.
        public var dueDate: String
        /// `VALOR` in centavos.
        public var amountCents: Int64
        /// `NOME` or `RAZAO_SOCIAL`, as received.
        public var payerName: String
        /// The payer's CPF or CNPJ digits.
        public var payerDocument: String
        /// The barcode answered, 44 digits.
        public var barcode: String
        /// The line answered, 47 digits.
        public var digitableLine: String
        /// The URL answered.
        public var url: String
        /// Whether `BAIXA_BOLETO` wrote it off.
        public var canceled: Bool
        /// How many `ALTERA_BOLETO` calls changed it.
        public var changes = 0
        /// The term elements as received, by path (`JUROS_MORA/TIPO`, `MULTA/PERCENTUAL`, `DESCONTOS/DESCONTO[1]/DATA`,
        /// `VALOR_ABATIMENTO`, `POS_VENCIMENTO/ACAO`).
        public var terms: [String: String] = [:]
    }

    private let bank: FakeCaixaBank
    private let server: FakeBankServer

    /// The service's URL (`https://127.0.0.1:<port>/sibar/ManutencaoCobrancaBancaria/Boleto/Externo`).
    public var url: String { server.url(Self.path) }

    /// Starts the fake with `identity` as its TLS certificate, for the beneficiary `beneficiaryCode` (6 or 7
    /// digits) whose CPF/CNPJ is `beneficiaryDocument`; slow answers (``Scenario/timeout``,
    /// ``Scenario/registersThenTimesOut``) come after `delay`.
    public init(identity: TestPKI.Identity, beneficiaryCode: String, beneficiaryDocument: String,
                delay: Duration = .seconds(5)) async throws {
        let bank = FakeCaixaBank(beneficiaryCode: beneficiaryCode, beneficiaryDocument: beneficiaryDocument, delay: delay)
        self.bank = bank
        server = try await FakeBankServer(identity: identity) { request in await bank.handle(request) }
    }

    /// Changes how long slow answers take.
    public func setDelay(_ delay: Duration) async { await bank.setDelay(delay) }

    /// Queues scenarios for the next requests that carry no `X-Fake-Scenario` header, one each, in order.
    public func script(_ scenarios: [String]) async { await bank.script(scenarios) }

    /// Requests received, whatever became of them.
    public var calls: Int { get async { await bank.calls } }
    /// Titles registered (`INCLUI_BOLETO` answered with success).
    public var registeredCount: Int { get async { await bank.registeredCount } }
    /// The titles held, by 17-digit nosso número.
    public var titles: [String: Title] { get async { await bank.titles } }
    /// Every request received, in order.
    public var requests: [FakeRequest] { get async { await bank.requests } }
    /// Why requests were not served, in order (`format: …`, `unauthorized: …`, `refused: …`, `http 415: …`).
    public var rejections: [String] { get async { await bank.rejections } }

    /// Stops listening.
    public func stop() async throws { try await server.stop() }
}
