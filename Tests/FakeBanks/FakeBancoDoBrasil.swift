import BoletoJSON
import BoletoKit
import Foundation

/// A strict Banco do Brasil "API Cobranças v2" on loopback, written from the published descriptions
/// (`shared/docs/reference/bank-rest-apis.md`, `bank-protocols.md` §2.1b, and the `RespostaDetalhamentoBoleto` model of
/// BB's OpenAPI), not from the adapter:
///
/// - `POST /oauth/token`: a ``FakeOAuth`` with HTTP Basic client authentication and the scopes
///   `cobrancas.boletos-info` and `cobrancas.boletos-requisicao`.
/// - Every API call needs `gw-dev-app-key` (the configured key) in the query (else 403) and a live bearer token (else
///   401).
/// - `POST /cobrancas/v2/boletos` checks the body field by field (below), keeps the title, and answers 201 with
///   `numero`, `linhaDigitavel`, `codigoBarraNumerico` (computed by BoletoKit from the body), `numeroContratoCobranca`
///   and `qrCode{url, txId, emv}` (a dynamic PIX BR Code for `indicadorPix` `S`).
/// - `GET /cobrancas/v2/boletos/{id}?numeroConvenio=` answers the title's `codigoEstadoTituloCobranca` (1 normal,
///   6 liquidado, 7 baixado), `codigoLinhaDigitavel`, `textoCodigoBarrasTituloCobranca`, the amounts and, once paid,
///   `valorPagoSacado`, `dataCreditoLiquidacao` and `codigoCanalPagamento`; 404 for a title it does not hold.
/// - `POST /cobrancas/v2/boletos/{id}/baixar` `{numeroConvenio}` writes the title off (state 7); a title already
///   written off or paid is refused.
/// - `PATCH /cobrancas/v2/boletos/{id}` changes an open title (state 1): `numeroConvenio`, every `indicador…` flag
///   `S` or `N`, at least one `S`, and for each `S` its object (`alteracaoData{novaDataVencimento}`,
///   `alteracaoValor{novoValorNominal}`, `desconto{tipoPrimeiroDesconto…}`, `abatimento{valorAbatimento}`,
///   `alteracaoAbatimento{novoValorAbatimento}`, `protesto{quantidadeDiasProtesto}`); a new due date or amount computes
///   the barcode again. Each accepted body is kept in ``Title/changes``.
///
/// Errors use `{"erros":[{"codigo","versao","mensagem","ocorrencia"}]}`, or the older
/// `{"erros":[{"codigoMensagem","versaoMensagem","textoMensagem","codigoRetorno"}]}` under the scenario
/// `old-error-shape`. BB's own error codes are not in the sources read, so the codes are this fake's (`F…`).
///
/// Scenarios (`X-Fake-Scenario`, or for requests without it the next of ``script(_:)``): `server-error` (503, HTML), `timeout` (answers after ``delay``),
/// `registers-then-times-out` (keeps the title, answers after the delay), `paid` (the title is paid at BB right after
/// registering: state 6, channel 101), `paid-elsewhere` (paid through COMPE at another bank: state 6, liquidation
/// type 2), `written-off` (state 7 right after registering), `old-error-shape`, `refused` (400 `F099` on any call),
/// `slow` (answers after ``slowDelay``), `expired-token` (voids every issued token and answers 401 `invalid_token`).
public actor FakeBancoDoBrasil {
    /// A title as the fake holds it.
    public struct Title: Sendable {
        public var id: String
        public var amountCents: Int64
        public var dueDate: CalendarDate
        public var barcode: String
        public var digitableLine: String
        /// `codigoEstadoTituloCobranca`.
        public var state: Int
        public var paidCents: Int64?
        /// `codigoTipoLiquidacao` once paid (1 caixa, 2 COMPE, 4 PIX).
        public var liquidationType: Int?
        public var pix: Bool
        /// The term fields as BB received them (`jurosMora`, `multa`, `desconto`, `segundoDesconto`,
        /// `terceiroDesconto`, `valorAbatimento`, `quantidadeDiasProtesto`, `indicadorAceiteTituloVencido`,
        /// `numeroDiasLimiteRecebimento`).
        public var terms: [String: JSON] = [:]
        /// The carteira, for the barcode of a changed title.
        public var wallet: String = ""
        /// Every accepted change body, in order.
        public var changes: [JSON] = []
    }

    public let oauth: FakeOAuth
    public let applicationKey: String
    public let convenio: Int64
    /// How long `timeout` scenarios hold their answer.
    public var delay: Duration
    /// How long the `slow` scenario holds its answer (slower than usual, within a client's timeout).
    public var slowDelay: Duration = .milliseconds(400)
    public private(set) var titles: [String: Title] = [:]
    /// Every API request (token requests are counted by ``oauth``).
    public private(set) var requests: [FakeRequest] = []
    /// Why requests were refused, in order (for tests that expect none).
    public private(set) var rejections: [String] = []
    /// When each title query (`GET /boletos/{id}`) arrived, in order.
    public private(set) var queryTimes: [ContinuousClock.Instant] = []
    private var script = FakeScenarioScript()
    private var server: FakeBankServer?

    public init(applicationKey: String, convenio: Int64, clientID: String, clientSecret: String, delay: Duration = .seconds(3)) {
        self.oauth = FakeOAuth(authentication: .basic, clientID: clientID, clientSecret: clientSecret,
                               scopes: ["cobrancas.boletos-info", "cobrancas.boletos-requisicao"])
        self.applicationKey = applicationKey
        self.convenio = convenio
        self.delay = delay
    }

    /// Starts the fake; answers the API's base URL and the token URL.
    public func start(identity: TestPKI.Identity) async throws -> (api: String, token: String) {
        let server = try await FakeBankServer(identity: identity) { [self] request in
            await self.handle(request)
        }
        self.server = server
        return (server.url("/cobrancas/v2"), server.url("/oauth/token"))
    }

    public func stop() async throws { try await server?.stop() }

    /// Scenarios for the next requests without an `X-Fake-Scenario` header.
    public func script(_ scenarios: [String]) { script.append(scenarios) }

    /// Makes a held title paid, as if the payer had paid it (at BB unless `elsewhere`).
    public func pay(_ id: String, elsewhere: Bool = false) {
        guard var title = titles[id] else { return }
        title.state = 6
        title.paidCents = title.amountCents
        title.liquidationType = elsewhere ? 2 : 1
        titles[id] = title
    }

    /// Writes a held title off at the bank (state 7), as the beneficiary's own channel would.
    public func writeOff(_ id: String) { titles[id]?.state = 7 }

    func handle(_ request: FakeRequest) async -> FakeResponse {
        let (path, query) = Self.split(request.path)
        if path == "/oauth/token" { return await oauth.token(request) }
        requests.append(request)
        let scenario = script.next(for: request) ?? ""
        let oldShape = scenario == "old-error-shape"
        if scenario == "server-error" { return FakeResponse(status: 503, contentType: "text/html", text: "<html>503</html>") }
        guard query["gw-dev-app-key"] == applicationKey else {
            return refuse(403, "F403", "gw-dev-app-key ausente ou inválida.", oldShape)
        }
        guard await oauth.accepts(authorization: request.header("authorization")) else {
            return FakeResponse(status: 401, contentType: "application/json", text: #"{"error":"invalid_token"}"#)
        }
        if scenario == "expired-token" {
            // The token expires under the call: every issued token is void, and this call is a 401.
            await oauth.revokeAll()
            return FakeResponse(status: 401, contentType: "application/json", text: #"{"error":"invalid_token","error_description":"expired"}"#)
        }
        if scenario == "refused" { return refuse(400, "F099", "Título recusado pelo banco.", oldShape) }
        let parts = path.split(separator: "/").map(String.init)   // cobrancas, v2, boletos, {id}, baixar
        guard parts.count >= 3, parts[0] == "cobrancas", parts[1] == "v2", parts[2] == "boletos" else {
            return refuse(404, "F404", "Recurso inexistente.", oldShape)
        }
        var response: FakeResponse
        switch (request.method, parts.count) {
        case ("POST", 3): response = register(request.body, oldShape: oldShape)
        case ("GET", 4):
            queryTimes.append(.now)
            response = detail(parts[3], query: query, oldShape: oldShape)
        case ("POST", 5) where parts[4] == "baixar": response = writeOff(parts[3], body: request.body, oldShape: oldShape)
        case ("PATCH", 4): response = change(parts[3], body: request.body, oldShape: oldShape)
        default: return refuse(405, "F405", "Método não suportado.", oldShape)
        }
        if response.status == 201, case .string(let id)? = (try? JSON.parse(utf8: response.body))?["numero"] {
            switch scenario {
            case "paid": pay(id)
            case "paid-elsewhere": pay(id, elsewhere: true)
            case "written-off": titles[id]?.state = 7
            default: break
            }
        }
        if scenario == "timeout" || scenario == "registers-then-times-out" { response.delay = delay }
        if scenario == "slow" { response.delay = slowDelay }
        return response
    }

    private func register(_ body: [UInt8], oldShape: Bool) -> FakeResponse {
        guard let json = try? JSON.parse(utf8: body), case .object = json else {
            return refuse(400, "F001", "O corpo não é um objeto JSON.", oldShape)
        }
        func integer(_ key: String, in object: JSON? = nil) -> Int64? {
            if case .int(let value)? = (object ?? json)[key] { return value }
            return nil
        }
        func text(_ key: String, in object: JSON? = nil) -> String? {
            if case .string(let value)? = (object ?? json)[key] { return value }
            return nil
        }
        guard let convenio = integer("numeroConvenio"), convenio == self.convenio else {
            return refuse(400, "F010", "Convênio inexistente ou não pertence ao cliente.", oldShape)
        }
        guard let wallet = integer("numeroCarteira"), let variation = integer("numeroVariacaoCarteira") else {
            return refuse(400, "F011", "numeroCarteira e numeroVariacaoCarteira são obrigatórios e numéricos.", oldShape)
        }
        guard let modality = integer("codigoModalidade"), modality == 1 || modality == 4 else {
            return refuse(400, "F012", "codigoModalidade deve ser 1 ou 4.", oldShape)
        }
        guard let issued = text("dataEmissao").flatMap(Self.date), let due = text("dataVencimento").flatMap(Self.date) else {
            return refuse(400, "F013", "Datas no formato dd.mm.aaaa.", oldShape)
        }
        guard due >= issued else { return refuse(400, "F014", "Vencimento anterior à emissão.", oldShape) }
        let amount: Double? = switch json["valorOriginal"] {
        case .double(let value)?: value
        case .int(let value)?: Double(value)
        default: nil
        }
        guard let amount, let cents = Self.cents(amount), cents > 0 else {
            return refuse(400, "F015", "valorOriginal deve ser um número positivo com até duas casas decimais.", oldShape)
        }
        guard ["A", "N"].contains(text("codigoAceite") ?? ""), let kind = integer("codigoTipoTitulo"), (1...33).contains(kind) || kind == 99,
              ["S", "N"].contains(text("indicadorPermissaoRecebimentoParcial") ?? "N"), ["S", "N"].contains(text("indicadorPix") ?? "N") else {
            return refuse(400, "F016", "Indicador ou código fora do domínio.", oldShape)
        }
        if let own = text("numeroTituloBeneficiario"), own.contains(where: { !($0.isASCII && ($0.isUppercase || $0.isNumber || "-' ".contains($0))) }) {
            return refuse(400, "F017", "numeroTituloBeneficiario com caracteres não permitidos.", oldShape)
        }
        guard let id = text("numeroTituloCliente"), id.count == 20, id.allSatisfy(\.isNumber),
              id.hasPrefix("000" + String(format: "%07lld", convenio)) else {
            return refuse(400, "F018", "numeroTituloCliente deve ser 000 + convênio (7) + 10 dígitos.", oldShape)
        }
        if let message = text("mensagemBloquetoOcorrencia"), message.count > 30 {
            return refuse(400, "F019", "mensagemBloquetoOcorrencia com mais de 30 caracteres.", oldShape)
        }
        guard let payer = json["pagador"], case .object = payer, let payerKind = integer("tipoInscricao", in: payer),
              [1, 2].contains(payerKind), let document = integer("numeroInscricao", in: payer), document > 0,
              let name = text("nome", in: payer), !name.isEmpty else {
            return refuse(400, "F020", "Pagador: tipoInscricao 1 ou 2, numeroInscricao numérico e nome são obrigatórios.", oldShape)
        }
        if let refusal = Self.checkTerms(json, due: due, cents: cents) { return refuse(400, refusal.0, refusal.1, oldShape) }
        guard titles[id] == nil else { return refuse(400, "F030", "Título já registrado para este convênio.", oldShape) }
        let input = BoletoInput(bank: "001", amountCents: cents, dueDate: due, beneficiaryCode: String(convenio),
                                wallet: String(wallet), nossoNumero: String(id.suffix(10)))
        guard let boleto = try? Boleto(input) else { return refuse(400, "F031", "Título inválido.", oldShape) }
        let pix = text("indicadorPix") == "S"
        titles[id] = Title(id: id, amountCents: cents, dueDate: due, barcode: boleto.barcode.description,
                           digitableLine: boleto.digitableLine.description, state: 1, pix: pix,
                           terms: Dictionary(uniqueKeysWithValues: Self.termKeys.compactMap { key in json[key].map { (key, $0) } }),
                           wallet: String(wallet))
        var qrCode = #"{"url":"","txId":"","emv":""}"#
        if pix, let code = try? PixBRCode(url: "https://qrcode.fake-bb.example/v2/cobv/\(id)", name: "BENEFICIARIO FAKE",
                                          city: "BRASILIA", amountCents: cents) {
            qrCode = #"{"url":"qrcode.fake-bb.example/v2/cobv/\#(id)","txId":"\#(id)","emv":"\#(code.payload)"}"#
        }
        let answer = #"{"numero":"\#(id)","numeroCarteira":\#(wallet),"numeroVariacaoCarteira":\#(variation),"codigoCliente":"#
            + #"\#(convenio),"linhaDigitavel":"\#(boleto.digitableLine.description)","codigoBarraNumerico":"#
            + #""\#(boleto.barcode.description)","numeroContratoCobranca":"\#(convenio)","qrCode":\#(qrCode)}"#
        return FakeResponse(status: 201, contentType: "application/json", text: answer)
    }

    private func detail(_ id: String, query: [String: String], oldShape: Bool) -> FakeResponse {
        guard let requested = query["numeroConvenio"].flatMap({ Int64($0) }), requested == convenio else {
            return refuse(400, "F040", "numeroConvenio obrigatório e do cliente.", oldShape)
        }
        guard let title = titles[id] else { return refuse(404, "F041", "Título não encontrado.", oldShape) }
        var fields = [#""codigoEstadoTituloCobranca":\#(title.state)"#, #""codigoLinhaDigitavel":"\#(title.digitableLine)""#,
                      #""textoCodigoBarrasTituloCobranca":"\#(title.barcode)""#,
                      #""valorOriginalTituloCobranca":\#(Self.decimal(title.amountCents))"#,
                      #""dataVencimentoTituloCobranca":"\#(Self.text(title.dueDate))""#]
        if let paid = title.paidCents {
            fields += [#""valorPagoSacado":\#(Self.decimal(paid))"#, #""dataCreditoLiquidacao":"\#(Self.text(title.dueDate))""#,
                       #""codigoTipoLiquidacao":\#(title.liquidationType ?? 1)"#, #""codigoCanalPagamento":101"#]
        }
        return FakeResponse(status: 200, contentType: "application/json", text: "{" + fields.joined(separator: ",") + "}")
    }

    private func writeOff(_ id: String, body: [UInt8], oldShape: Bool) -> FakeResponse {
        guard let json = try? JSON.parse(utf8: body), case .int(let requested)? = json["numeroConvenio"], requested == convenio else {
            return refuse(400, "F050", "numeroConvenio obrigatório e do cliente.", oldShape)
        }
        guard let title = titles[id] else { return refuse(404, "F051", "Título não encontrado.", oldShape) }
        switch title.state {
        case 7: return refuse(400, "F052", "Título já baixado.", oldShape)
        case 6: return refuse(400, "F053", "Título liquidado não pode ser baixado.", oldShape)
        default:
            titles[id]?.state = 7
            return FakeResponse(status: 200, contentType: "application/json",
                                text: #"{"numeroContratoCobranca":"\#(convenio)","dataBaixa":"07.12.2026","horarioBaixa":"10:00:00"}"#)
        }
    }

    /// The flags of a change body BB lists.
    static let changeFlags = [
        "indicadorNovaDataVencimento", "indicadorNovoValorNominal", "indicadorAtribuirDesconto", "indicadorAlterarDesconto",
        "indicadorAlterarDataDesconto", "indicadorProtestar", "indicadorSustacaoProtesto", "indicadorCancelarProtesto",
        "indicadorIncluirAbatimento", "indicadorAlterarAbatimento", "indicadorCancelarAbatimento", "indicadorCobrarJuros",
        "indicadorDispensarJuros", "indicadorCobrarMulta", "indicadorDispensarMulta", "indicadorNegativar",
        "indicadorAlterarSeuNumero", "indicadorAlterarEnderecoPagador", "indicadorAlterarPrazoBoletoVencido",
    ]

    private func change(_ id: String, body: [UInt8], oldShape: Bool) -> FakeResponse {
        guard let json = try? JSON.parse(utf8: body), case .object = json else {
            return refuse(400, "F060", "O corpo não é um objeto JSON.", oldShape)
        }
        guard case .int(let requested)? = json["numeroConvenio"], requested == convenio else {
            return refuse(400, "F061", "numeroConvenio obrigatório e do cliente.", oldShape)
        }
        guard var title = titles[id] else { return refuse(404, "F062", "Título não encontrado.", oldShape) }
        guard title.state == 1 else { return refuse(400, "F063", "Título baixado ou liquidado não pode ser alterado.", oldShape) }
        var set: Set<String> = []
        for flag in Self.changeFlags {
            guard let value = json[flag] else { continue }
            guard case .string(let text) = value, ["S", "N"].contains(text) else { return refuse(400, "F064", "\(flag) deve ser S ou N.", oldShape) }
            if text == "S" { set.insert(flag) }
        }
        guard !set.isEmpty else { return refuse(400, "F065", "Nenhuma alteração indicada.", oldShape) }
        func number(_ value: JSON?) -> Double? {
            switch value {
            case .double(let number)?: number
            case .int(let number)?: Double(number)
            default: nil
            }
        }
        var due = title.dueDate, cents = title.amountCents
        if set.contains("indicadorNovaDataVencimento") {
            guard case .string(let text)? = json["alteracaoData"]?["novaDataVencimento"], let date = Self.date(text) else {
                return refuse(400, "F066", "alteracaoData.novaDataVencimento no formato dd.mm.aaaa.", oldShape)
            }
            due = date
        }
        if set.contains("indicadorNovoValorNominal") {
            guard let value = number(json["alteracaoValor"]?["novoValorNominal"]), let newCents = Self.cents(value), newCents > 0 else {
                return refuse(400, "F067", "alteracaoValor.novoValorNominal deve ser positivo com até duas casas.", oldShape)
            }
            cents = newCents
        }
        if set.contains("indicadorAtribuirDesconto") {
            guard let discount = json["desconto"], case .object = discount, case .int(let kind)? = discount["tipoPrimeiroDesconto"],
                  (0...3).contains(kind) else {
                return refuse(400, "F068", "desconto.tipoPrimeiroDesconto obrigatório (0 a 3).", oldShape)
            }
            if kind > 0 {
                guard case .string(let text)? = discount["dataPrimeiroDesconto"], let until = Self.date(text), until <= due,
                      number(discount[kind == 2 ? "percentualPrimeiroDesconto" : "valorPrimeiroDesconto"]).map({ $0 > 0 }) == true else {
                    return refuse(400, "F069", "desconto: data até o vencimento e valor ou percentual positivo.", oldShape)
                }
            }
        }
        if set.contains("indicadorIncluirAbatimento") {
            guard let value = number(json["abatimento"]?["valorAbatimento"]), value > 0, title.terms["valorAbatimento"] == nil else {
                return refuse(400, "F070", "abatimento.valorAbatimento positivo, para título sem abatimento.", oldShape)
            }
            title.terms["valorAbatimento"] = .double(value)
        }
        if set.contains("indicadorAlterarAbatimento") {
            guard let value = number(json["alteracaoAbatimento"]?["novoValorAbatimento"]), value > 0, title.terms["valorAbatimento"] != nil else {
                return refuse(400, "F071", "alteracaoAbatimento.novoValorAbatimento positivo, para título com abatimento.", oldShape)
            }
            title.terms["valorAbatimento"] = .double(value)
        }
        if set.contains("indicadorProtestar") {
            guard case .int(let days)? = json["protesto"]?["quantidadeDiasProtesto"], days > 0 else {
                return refuse(400, "F072", "protesto.quantidadeDiasProtesto positivo.", oldShape)
            }
            title.terms["quantidadeDiasProtesto"] = .int(days)
        }
        if due != title.dueDate || cents != title.amountCents {
            let input = BoletoInput(bank: "001", amountCents: cents, dueDate: due, beneficiaryCode: String(convenio),
                                    wallet: title.wallet, nossoNumero: String(id.suffix(10)))
            guard let boleto = try? Boleto(input) else { return refuse(400, "F073", "Título inválido.", oldShape) }
            title.dueDate = due
            title.amountCents = cents
            title.barcode = boleto.barcode.description
            title.digitableLine = boleto.digitableLine.description
        }
        title.changes.append(json)
        titles[id] = title
        return FakeResponse(status: 200, contentType: "application/json",
                            text: #"{"numeroContratoCobranca":"\#(convenio)","dataAtualizacao":"07.12.2026","horarioAtualizacao":"10:00:00"}"#)
    }

    private func refuse(_ status: Int, _ code: String, _ message: String, _ oldShape: Bool) -> FakeResponse {
        rejections.append("\(code) \(message)")
        let error = oldShape
            ? #"{"codigoMensagem":"\#(code)","versaoMensagem":"1","textoMensagem":"\#(message)","codigoRetorno":"\#(status)"}"#
            : #"{"codigo":"\#(code)","versao":"1","mensagem":"\#(message)","ocorrencia":"\#(UUID().uuidString)"}"#
        return FakeResponse(status: status, contentType: "application/json", text: #"{"erros":[\#(error)]}"#)
    }

    /// The path and the query's parameters (percent-decoded).
    /// The term fields of the model `RequisicaoRegistroBoletos`: `jurosMora{tipo 0 dispensar, 1 valor dia atraso,
    /// 2 taxa mensal, 3 isento; valor; porcentagem}`, `multa{tipo 0, 1 valor fixo, 2 percentual; data dd.mm.aaaa after the
    /// due date; valor; porcentagem}`, `desconto{tipo 0 sem, 1 valor fixo até a data, 2 percentual até a data, 3 por dia
    /// de antecipação; dataExpiracao not after the due date; valor; porcentagem}`, `segundoDesconto` and
    /// `terceiroDesconto` (`dataExpiracao`, `valor`/`porcentagem`, later dates, only after the first), `valorAbatimento`
    /// (the amount must exceed discount plus abatimento), `quantidadeDiasProtesto` (≥ 0), `indicadorAceiteTituloVencido`
    /// `S`/`N` with `numeroDiasLimiteRecebimento` (≥ 0). Answers the refusal's code and message.
    static let termKeys = ["jurosMora", "multa", "desconto", "segundoDesconto", "terceiroDesconto", "valorAbatimento",
                           "quantidadeDiasProtesto", "indicadorAceiteTituloVencido", "numeroDiasLimiteRecebimento"]

    static func checkTerms(_ json: JSON, due: CalendarDate, cents: Int64) -> (String, String)? {
        func number(_ value: JSON?) -> Double? {
            switch value {
            case .double(let number)?: number
            case .int(let number)?: Double(number)
            default: nil
            }
        }
        func integer(_ value: JSON?) -> Int64? { if case .int(let number)? = value { number } else { nil } }
        func text(_ value: JSON?) -> String? { if case .string(let string)? = value { string } else { nil } }
        if let juros = json["jurosMora"] {
            guard let kind = integer(juros["tipo"]), (0...3).contains(kind) else { return ("F040", "jurosMora.tipo deve ser 0, 1, 2 ou 3.") }
            if kind == 1, (number(juros["valor"]) ?? 0) <= 0 { return ("F040", "jurosMora.valor obrigatório para o tipo 1.") }
            if kind == 2, (number(juros["porcentagem"]) ?? 0) <= 0 { return ("F040", "jurosMora.porcentagem obrigatória para o tipo 2.") }
        }
        if let multa = json["multa"] {
            guard let kind = integer(multa["tipo"]), (0...2).contains(kind) else { return ("F041", "multa.tipo deve ser 0, 1 ou 2.") }
            if kind > 0 {
                guard let day = text(multa["data"]).flatMap(date), day > due else { return ("F041", "multa.data deve ser posterior ao vencimento.") }
                if kind == 1, (number(multa["valor"]) ?? 0) <= 0 { return ("F041", "multa.valor obrigatório para o tipo 1.") }
                if kind == 2, (number(multa["porcentagem"]) ?? 0) <= 0 { return ("F041", "multa.porcentagem obrigatória para o tipo 2.") }
            }
        }
        var discountTotal = 0.0, lastDate: CalendarDate?
        for key in ["desconto", "segundoDesconto", "terceiroDesconto"] {
            guard let discount = json[key] else { continue }
            let kind = key == "desconto" ? integer(discount["tipo"]) : integer(json["desconto"]?["tipo"])
            guard let kind, (0...3).contains(kind) else { return ("F042", "\(key): desconto.tipo deve ser 0 a 3, informado no primeiro desconto.") }
            guard kind == 1 || kind == 2 else { continue }
            guard let day = text(discount["dataExpiracao"]).flatMap(date), day <= due, day > (lastDate ?? CalendarDate(year: 1900, month: 1, day: 1)!) else {
                return ("F042", "\(key).dataExpiracao deve ser até o vencimento e posterior ao desconto anterior.")
            }
            lastDate = day
            guard let value = number(discount[kind == 1 ? "valor" : "porcentagem"]), value > 0 else {
                return ("F042", "\(key): \(kind == 1 ? "valor" : "porcentagem") obrigatório.")
            }
            if kind == 1 { discountTotal = max(discountTotal, value) }
        }
        let abatement = number(json["valorAbatimento"]) ?? 0
        if abatement < 0 || Double(cents) / 100 <= discountTotal + abatement {
            return ("F043", "valorOriginal deve ser maior que desconto mais abatimento.")
        }
        if let days = json["quantidadeDiasProtesto"], (integer(days) ?? -1) < 0 { return ("F044", "quantidadeDiasProtesto inválida.") }
        if let accept = json["indicadorAceiteTituloVencido"] {
            guard let flag = text(accept), ["S", "N"].contains(flag) else { return ("F045", "indicadorAceiteTituloVencido deve ser S ou N.") }
            if flag == "S", (integer(json["numeroDiasLimiteRecebimento"]) ?? -1) < 0 { return ("F045", "numeroDiasLimiteRecebimento inválido.") }
        }
        return nil
    }

    static func split(_ uri: String) -> (String, [String: String]) {
        guard let mark = uri.firstIndex(of: "?") else { return (uri, [:]) }
        var query: [String: String] = [:]
        for pair in uri[uri.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            if parts.count == 2, let name = parts[0].removingPercentEncoding, let value = parts[1].removingPercentEncoding { query[name] = value }
        }
        return (String(uri[..<mark]), query)
    }

    /// `dd.mm.aaaa`.
    static func date(_ text: String) -> CalendarDate? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, parts[0].count == 2, parts[1].count == 2, parts[2].count == 4,
              let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    static func text(_ date: CalendarDate) -> String {
        let iso = date.description.split(separator: "-")
        return "\(iso[2]).\(iso[1]).\(iso[0])"
    }

    /// Whole cents of a decimal with at most two places.
    static func cents(_ value: Double) -> Int64? {
        let cents = (value * 100).rounded()
        guard abs(value * 100 - cents) < 1e-6, cents < 1e13 else { return nil }
        return Int64(cents)
    }

    static func decimal(_ cents: Int64) -> String { String(format: "%lld.%02lld", cents / 100, cents % 100) }
}
