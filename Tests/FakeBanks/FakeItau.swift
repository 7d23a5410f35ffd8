import BoletoJSON
import BoletoKit
import Foundation

/// A strict Itaú Boletos API on loopback, written from the published descriptions
/// (`shared/docs/reference/bank-rest-apis.md` "Itaú — boletos" and `bank-protocols.md` §2.7, "API Boletos v2 /
/// Bolecode"), not from the adapter. It runs on a ``FakeBankServer`` that requires a client certificate issued by the
/// test CA: mutual TLS on every request, token included.
///
/// - `POST /api/oauth/token`: a ``FakeOAuth`` with the credentials in the form body; `x-itau-correlationID` and
///   `x-itau-flowID` are required (else 400 `invalid_request`).
/// - Every API call needs `x-itau-correlationID` and `x-itau-flowID` (else 400), `x-itau-apikey` equal to the client
///   id (else 403) and a live bearer token (else 401); POST and PATCH need `Content-Type: application/json` (else 415).
/// - `POST /cash_management/v2/boletos` `{"data": {…}}` checks every field (types, lengths and formats: below).
///   `etapa_processo_boleto` `validacao` answers 200 and keeps nothing; `efetivacao` keeps the title and answers 200
///   with `id_boleto`, `etapa_processo_boleto`, `beneficiario`, `dado_boleto{…, dados_individuais_boleto[{
///   numero_nosso_numero, data_vencimento, valor_titulo, codigo_barras, numero_linha_digitavel}]}` (computed by
///   BoletoKit from the body) and, for `boleto_pix`, `pix_copia_e_cola` (a dynamic PIX BR Code). Successive
///   registration answers alternate: wrapped in `data`, then bare.
/// - `GET /boletoscash/v2/boletos?id_beneficiario=&codigo_carteira=&nosso_numero=` answers
///   `{"data":[{id_boleto, situacao_geral_boleto, codigo_carteira, numero_nosso_numero, data_vencimento, valor_titulo,
///   codigo_barras, numero_linha_digitavel}]}`, an empty list for a title it does not hold. The sources give no query
///   answer schema: this shape is the fake's own. `situacao_geral_boleto` is `Em Aberto`, `Paga` or `Baixada`.
/// - `PATCH /cash_management/v2/boletos/{id_boleto}/baixa` (an empty body or a JSON object) writes the title off and
///   answers 204; 404 for a title it does not hold, 422 for one already written off or paid.
/// - `PATCH /cash_management/v2/boletos/{id_boleto}/{instrução}` changes an open title and answers 204:
///   `data_vencimento` `{data_vencimento: "AAAA-MM-DD"}` (not before today), `valor_nominal` `{valor_titulo: "250.00"}`
///   (a decimal string, more than zero), `abatimento` `{valor_abatimento: "10.00"}` (below the amount),
///   `desconto` `{codigo_tipo_desconto: "00" | "01" | "02", descontos: [{data_desconto, valor_desconto |
///   percentual_desconto}]}` (at most 3, dates up to the due date). A new due date or amount computes the barcode
///   again; each accepted instruction is kept in ``Title/changes`` as `(instrução, body)`.
///
/// Field checks (each refused with 400): `etapa_processo_boleto` `validacao` or `efetivacao`;
/// `beneficiario.id_beneficiario` 12 digits; `descricao_instrumento_cobranca` `boleto` or `boleto_pix`;
/// `codigo_carteira` 3 digits; `valor_total_titulo` and `valor_titulo` 17 digits (cents, more than zero, equal);
/// `codigo_especie` 2 digits; `data_emissao` and `data_vencimento` `YYYY-MM-DD`, due on or after issue;
/// `texto_seu_numero` present; `pagador.pessoa.nome_pessoa` 1–50 characters; `codigo_tipo_pessoa` `F` with a valid
/// 11-digit `numero_cadastro_pessoa_fisica` or `J` with a valid 14-character
/// `numero_cadastro_nacional_pessoa_juridica`, never both; `pagador.endereco`, when present: `nome_logradouro` 1–45,
/// `nome_bairro` 1–15, `nome_cidade` 1–20, `sigla_UF` two capital letters, `numero_CEP` 8 digits;
/// `dados_individuais_boleto` one title (this fake takes one per request) with `numero_nosso_numero` 8 digits. Every
/// value is a JSON string. An `id_beneficiario` that is not this fake's account, a title already registered and a
/// carteira BoletoKit cannot lay out are refused with 422.
///
/// The error format is not in the sources read: this fake answers `{"codigo": "<status>", "mensagem": "…"}`.
///
/// Scenarios (`X-Fake-Scenario`): `server-error` (503, HTML), `timeout` (nothing done; a 504 after ``delay``),
/// `registers-then-times-out` (keeps the title, answers after the delay), `paid` (`Paga` right after registering),
/// `written-off` (`Baixada` right after registering), `unwrapped` (answers not wrapped in `data`), `paid-elsewhere`
/// (`Paga`: the query shows no difference), `refused` (422 on any call), `slow` (answers after ``slowDelay``),
/// `expired-token` (voids every issued token and answers 401). A paid title's query answer adds `valor_pago` (17-digit
/// cents) and `data_pagamento` (`YYYY-MM-DD`, the due date).
public actor FakeItau {
    /// A title as the fake holds it.
    public struct Title: Sendable {
        /// `id_boleto`: `id_beneficiario` + carteira + nosso número.
        public var id: String
        public var wallet: String
        public var nossoNumero: String
        public var amountCents: Int64
        public var dueDate: CalendarDate
        public var barcode: String
        public var digitableLine: String
        /// `situacao_geral_boleto`: `Em Aberto`, `Paga` or `Baixada`.
        public var status: String
        /// The PIX copy-and-paste text of a `boleto_pix`.
        public var pix: String?
        /// The term fields as Itaú received them: `juros`, `multa`, `desconto`, `valor_abatimento`, `protesto`, and the
        /// title's `data_limite_pagamento`.
        public var terms: [String: JSON] = [:]
        /// Every accepted change: the instruction and its body.
        public var changes: [(String, JSON)] = []
    }

    public let oauth: FakeOAuth
    public let clientID: String
    /// The beneficiary's `id_beneficiario`: agência (4) + conta (7) + DAC (modulo 10 of agência and conta).
    public let beneficiaryID: String
    /// How long `timeout` scenarios hold their answer.
    public var delay: Duration
    /// How long the `slow` scenario holds its answer (slower than usual, within a client's timeout).
    public var slowDelay: Duration = .milliseconds(400)
    public private(set) var titles: [String: Title] = [:]
    /// Every API request (token requests are counted by ``oauth``).
    public private(set) var requests: [FakeRequest] = []
    /// Why requests were refused, in order (for tests that expect none).
    public private(set) var rejections: [String] = []
    /// `validacao` requests that passed every check.
    public private(set) var validations = 0
    private var registrations = 0
    private var server: FakeBankServer?

    /// A fake for the account `agency` (4 digits) / `account` (up to 7 digits) and the OAuth client `clientID`.
    public init(agency: String, account: String, clientID: String, clientSecret: String, delay: Duration = .seconds(3)) {
        self.oauth = FakeOAuth(authentication: .form, clientID: clientID, clientSecret: clientSecret)
        self.clientID = clientID
        let branch = Digits(Int64(agency) ?? 0, width: 4)
        let number = Digits(Int64(account) ?? 0, width: 7)
        self.beneficiaryID = (branch + number).description + String(Modulo10.checkDigit(of: branch + number))
        self.delay = delay
    }

    /// Starts the fake, requiring client certificates issued by `clientAuthority`; answers the registration API's
    /// base URL, the query API's and the token URL.
    public func start(identity: TestPKI.Identity, clientAuthority: TestPKI.Identity) async throws -> (api: String, query: String, token: String) {
        let server = try await FakeBankServer(identity: identity, clientAuthorities: [clientAuthority]) { [self] request in
            await self.handle(request)
        }
        self.server = server
        return (server.url("/cash_management/v2"), server.url("/boletoscash/v2"), server.url("/api/oauth/token"))
    }

    public func stop() async throws { try await server?.stop() }

    /// Makes a held title paid, as if the payer had paid it.
    public func pay(_ id: String) { titles[id]?.status = "Paga" }

    static let termKeys = ["juros", "multa", "desconto", "valor_abatimento", "protesto"]

    /// The term fields, as Itaú's portal describes them: `juros{codigo_tipo_juros 05 isento, 90 percentual mensal, 91
    /// percentual diário, 92 percentual anual, 93 valor diário; percentual_juros 12 digits (5 decimals) for 90–92,
    /// valor_juros 17 digits for 93; data_juros after the due date}`, `multa{codigo_tipo_multa 01 valor fixo, 02
    /// percentual, 03 isento; valor_multa / percentual_multa; data_multa after the due date}`,
    /// `desconto{codigo_tipo_desconto 00, 01 valor fixo até a data, 02 percentual até a data; descontos[] of at most 3,
    /// each data_desconto not after the due date, in order, with valor_desconto (01) or percentual_desconto (02)}`,
    /// `valor_abatimento` (17 digits, below the amount), `protesto{protesto bool, quantidade_dias_protesto 1–99}`, and
    /// the title's `data_limite_pagamento` not before the due date. Every value a string but the booleans and day counts.
    static func termsProblem(_ boleto: JSON, item: JSON, due: CalendarDate, total: Int64) -> String? {
        func rate(_ value: JSON?) -> Int64? { string(value).flatMap { isDigits($0, 12) ? Int64($0) : nil } }
        if let juros = boleto["juros"] {
            guard let code = string(juros["codigo_tipo_juros"]), ["05", "90", "91", "92", "93"].contains(code) else {
                return "juros.codigo_tipo_juros deve ser 05, 90, 91, 92 ou 93."
            }
            if ["90", "91", "92"].contains(code), (rate(juros["percentual_juros"]) ?? 0) <= 0 { return "juros.percentual_juros: 12 dígitos, maior que zero." }
            if code == "93", (cents(juros["valor_juros"]) ?? 0) <= 0 { return "juros.valor_juros: 17 dígitos, maior que zero." }
            if let start = juros["data_juros"], (date(start).map { $0 <= due } ?? true) { return "juros.data_juros deve ser posterior ao vencimento." }
        }
        if let multa = boleto["multa"] {
            guard let code = string(multa["codigo_tipo_multa"]), ["01", "02", "03"].contains(code) else { return "multa.codigo_tipo_multa deve ser 01, 02 ou 03." }
            if code == "01", (cents(multa["valor_multa"]) ?? 0) <= 0 { return "multa.valor_multa: 17 dígitos, maior que zero." }
            if code == "02", (rate(multa["percentual_multa"]) ?? 0) <= 0 { return "multa.percentual_multa: 12 dígitos, maior que zero." }
            if let start = multa["data_multa"], (date(start).map { $0 <= due } ?? true) { return "multa.data_multa deve ser posterior ao vencimento." }
        }
        if let desconto = boleto["desconto"] {
            guard let code = string(desconto["codigo_tipo_desconto"]), ["00", "01", "02"].contains(code) else {
                return "desconto.codigo_tipo_desconto deve ser 00, 01 ou 02."
            }
            guard case .array(let list)? = desconto["descontos"], list.count <= 3, code == "00" || !list.isEmpty else {
                return "desconto.descontos: de 1 a 3 descontos."
            }
            var last: CalendarDate?
            for entry in list {
                guard let day = date(entry["data_desconto"]), day <= due, last.map({ day > $0 }) ?? true else {
                    return "desconto.descontos[].data_desconto até o vencimento, em ordem."
                }
                last = day
                if code == "01", (cents(entry["valor_desconto"]) ?? 0) <= 0 || (cents(entry["valor_desconto"]) ?? 0) >= total {
                    return "desconto.descontos[].valor_desconto: 17 dígitos, maior que zero e menor que o valor."
                }
                if code == "02", (rate(entry["percentual_desconto"]) ?? 0) <= 0 { return "desconto.descontos[].percentual_desconto: 12 dígitos." }
            }
        }
        if let abatement = boleto["valor_abatimento"], (cents(abatement).map { $0 <= 0 || $0 >= total } ?? true) {
            return "valor_abatimento: 17 dígitos, maior que zero e menor que o valor."
        }
        if let protest = boleto["protesto"] {
            guard case .bool(let on)? = protest["protesto"] else { return "protesto.protesto deve ser booleano." }
            if on, case .int(let days)? = protest["quantidade_dias_protesto"], (1...99).contains(days) {} else if on {
                return "protesto.quantidade_dias_protesto de 1 a 99."
            }
        }
        if let limit = item["data_limite_pagamento"], (date(limit).map { $0 < due } ?? true) {
            return "data_limite_pagamento no formato AAAA-MM-DD, a partir do vencimento."
        }
        return nil
    }

    func handle(_ request: FakeRequest) async -> FakeResponse {
        let (path, query) = FakeBancoDoBrasil.split(request.path)
        let traced = Self.present(request.header("x-itau-correlationID")) && Self.present(request.header("x-itau-flowID"))
        if path == "/api/oauth/token" {
            guard traced else {
                rejections.append("token without x-itau-correlationID or x-itau-flowID")
                return FakeOAuth.error(400, "invalid_request", "x-itau-correlationID and x-itau-flowID are required.")
            }
            return await oauth.token(request)
        }
        requests.append(request)
        let scenario = request.header("x-fake-scenario") ?? ""
        let unwrapped = scenario == "unwrapped"
        if scenario == "server-error" { return FakeResponse(status: 503, contentType: "text/html", text: "<html>503</html>") }
        if scenario == "timeout" { return FakeResponse(status: 504, contentType: "text/html", text: "<html>504</html>", delay: delay) }
        guard traced else { return refuse(400, "x-itau-correlationID e x-itau-flowID são obrigatórios.") }
        guard request.header("x-itau-apikey") == clientID else { return refuse(403, "x-itau-apikey ausente ou inválida.") }
        guard await oauth.accepts(authorization: request.header("authorization")) else {
            return FakeResponse(status: 401, contentType: "application/json", text: #"{"codigo":"401","mensagem":"Token inválido ou expirado."}"#)
        }
        if scenario == "expired-token" {
            // The token expires under the call: every issued token is void, and this call is a 401.
            await oauth.revokeAll()
            return FakeResponse(status: 401, contentType: "application/json", text: #"{"codigo":"401","mensagem":"Token expirado."}"#)
        }
        if scenario == "refused" { return refuse(422, "Título recusado pelo banco.") }
        if request.method == "POST" || request.method == "PATCH",
           request.header("content-type")?.lowercased().hasPrefix("application/json") != true {
            return refuse(415, "Content-Type deve ser application/json.")
        }
        let parts = path.split(separator: "/").map(String.init)   // cash_management, v2, boletos, {id}, baixa
        var response: FakeResponse
        switch request.method {
        case "POST" where path == "/cash_management/v2/boletos":
            response = register(request.body, scenario: scenario)
        case "PATCH" where parts.count == 5 && parts[0] == "cash_management" && parts[1] == "v2" && parts[2] == "boletos" && parts[4] == "baixa":
            response = writeOff(parts[3], body: request.body)
        case "PATCH" where parts.count == 5 && parts[0] == "cash_management" && parts[1] == "v2" && parts[2] == "boletos":
            response = change(parts[3], instruction: parts[4], body: request.body)
        case "GET" where path == "/boletoscash/v2/boletos":
            response = consult(query, unwrapped: unwrapped)
        default:
            return refuse(404, "Recurso inexistente.")
        }
        if scenario == "registers-then-times-out" { response.delay = delay }
        if scenario == "slow" { response.delay = slowDelay }
        return response
    }

    private func register(_ body: [UInt8], scenario: String) -> FakeResponse {
        guard let json = try? JSON.parse(utf8: body), let data = json["data"], case .object = data else {
            return refuse(400, #"O corpo deve ser {"data": {...}}."#)
        }
        guard let step = Self.string(data["etapa_processo_boleto"]), step == "validacao" || step == "efetivacao" else {
            return refuse(400, "etapa_processo_boleto deve ser validacao ou efetivacao.")
        }
        guard let beneficiary = Self.string(data["beneficiario"]?["id_beneficiario"]), Self.isDigits(beneficiary, 12) else {
            return refuse(400, "beneficiario.id_beneficiario deve ter 12 dígitos: agência, conta e DAC.")
        }
        guard let boleto = data["dado_boleto"], case .object = boleto else { return refuse(400, "dado_boleto é obrigatório.") }
        guard let instrument = Self.string(boleto["descricao_instrumento_cobranca"]), ["boleto", "boleto_pix"].contains(instrument) else {
            return refuse(400, "descricao_instrumento_cobranca deve ser boleto ou boleto_pix.")
        }
        guard let wallet = Self.string(boleto["codigo_carteira"]), Self.isDigits(wallet, 3) else {
            return refuse(400, "codigo_carteira deve ter 3 dígitos.")
        }
        guard let total = Self.cents(boleto["valor_total_titulo"]), total > 0 else {
            return refuse(400, "valor_total_titulo deve ter 17 dígitos, em centavos, e ser maior que zero.")
        }
        guard let kind = Self.string(boleto["codigo_especie"]), Self.isDigits(kind, 2) else {
            return refuse(400, "codigo_especie deve ter 2 dígitos.")
        }
        guard let issued = Self.date(boleto["data_emissao"]) else { return refuse(400, "data_emissao no formato AAAA-MM-DD.") }
        guard let own = Self.string(boleto["texto_seu_numero"]), !own.isEmpty else { return refuse(400, "texto_seu_numero é obrigatório.") }
        if let problem = Self.payerProblem(boleto["pagador"]) { return refuse(400, problem) }
        guard case .array(let items)? = boleto["dados_individuais_boleto"], items.count == 1, let item = items.first, case .object = item else {
            return refuse(400, "dados_individuais_boleto deve ter um boleto.")
        }
        guard let number = Self.string(item["numero_nosso_numero"]), Self.isDigits(number, 8) else {
            return refuse(400, "numero_nosso_numero deve ter 8 dígitos.")
        }
        guard let due = Self.date(item["data_vencimento"]) else { return refuse(400, "data_vencimento no formato AAAA-MM-DD.") }
        guard due >= issued else { return refuse(400, "Vencimento anterior à emissão.") }
        guard let value = Self.cents(item["valor_titulo"]), value == total else {
            return refuse(400, "valor_titulo deve ter 17 dígitos, em centavos, e ser igual a valor_total_titulo.")
        }
        if let problem = Self.termsProblem(boleto, item: item, due: due, total: total) { return refuse(400, problem) }
        guard beneficiary == beneficiaryID else { return refuse(422, "Beneficiário não pertence ao cliente.") }
        let id = beneficiary + wallet + number
        guard titles[id] == nil else { return refuse(422, "Título já registrado.") }
        let input = BoletoInput(bank: "341", amountCents: total, dueDate: due, agency: String(beneficiary.prefix(4)),
                                account: String(beneficiary.dropFirst(4).prefix(7)), accountDV: String(beneficiary.suffix(1)),
                                wallet: wallet, nossoNumero: number)
        guard let computed = try? Boleto(input) else { return refuse(422, "Carteira ou conta não aceita para este beneficiário.") }
        if step == "validacao" {
            validations += 1
            return answer(.object([("etapa_processo_boleto", .string(step)), ("beneficiario", .object([("id_beneficiario", .string(beneficiary))]))]),
                          wrapped: scenario != "unwrapped")
        }
        var pix: String?
        if instrument == "boleto_pix" {
            pix = (try? PixBRCode(url: "https://qrcode.fake-itau.example/boletos/\(id)", name: "BENEFICIARIO FAKE", city: "SAO PAULO",
                                  amountCents: total))?.payload
        }
        var title = Title(id: id, wallet: wallet, nossoNumero: number, amountCents: total, dueDate: due, barcode: computed.barcode.description,
                          digitableLine: computed.digitableLine.description, status: "Em Aberto", pix: pix)
        for key in Self.termKeys { if let value = boleto[key] { title.terms[key] = value } }
        if let limit = item["data_limite_pagamento"] { title.terms["data_limite_pagamento"] = limit }
        switch scenario {
        case "paid", "paid-elsewhere": title.status = "Paga"
        case "written-off": title.status = "Baixada"
        default: break
        }
        titles[id] = title
        registrations += 1
        var pairs: [(String, JSON)] = [
            ("id_boleto", .string(id)),
            ("etapa_processo_boleto", .string(step)),
            ("beneficiario", .object([("id_beneficiario", .string(beneficiary))])),
            ("dado_boleto", .object([
                ("descricao_instrumento_cobranca", .string(instrument)),
                ("codigo_carteira", .string(wallet)),
                ("valor_total_titulo", .string(Self.amount(total))),
                ("dados_individuais_boleto", .array([.object([
                    ("numero_nosso_numero", .string(number)),
                    ("data_vencimento", .string(due.description)),
                    ("valor_titulo", .string(Self.amount(total))),
                    ("codigo_barras", .string(title.barcode)),
                    ("numero_linha_digitavel", .string(title.digitableLine)),
                ])])),
            ])),
        ]
        if let pix { pairs.append(("pix_copia_e_cola", .string(pix))) }
        return answer(.object(pairs), wrapped: scenario != "unwrapped" && registrations % 2 == 1)
    }

    private func consult(_ query: [String: String], unwrapped: Bool) -> FakeResponse {
        guard let beneficiary = query["id_beneficiario"], Self.isDigits(beneficiary, 12), let wallet = query["codigo_carteira"],
              Self.isDigits(wallet, 3), let number = query["nosso_numero"], Self.isDigits(number, 8) else {
            return refuse(400, "id_beneficiario (12 dígitos), codigo_carteira (3) e nosso_numero (8) são obrigatórios.")
        }
        guard beneficiary == beneficiaryID else { return refuse(422, "Beneficiário não pertence ao cliente.") }
        var found: [JSON] = []
        if let title = titles[beneficiary + wallet + number] {
            found.append(.object([
                ("id_boleto", .string(title.id)),
                ("situacao_geral_boleto", .string(title.status)),
                ("codigo_carteira", .string(title.wallet)),
                ("numero_nosso_numero", .string(title.nossoNumero)),
                ("data_vencimento", .string(title.dueDate.description)),
                ("valor_titulo", .string(Self.amount(title.amountCents))),
                ("codigo_barras", .string(title.barcode)),
                ("numero_linha_digitavel", .string(title.digitableLine)),
            ] + (title.status == "Paga" ? [("valor_pago", .string(Self.amount(title.amountCents))),
                                          ("data_pagamento", .string(title.dueDate.description))] : [])))
        }
        return answer(.array(found), wrapped: !unwrapped)
    }

    private func writeOff(_ id: String, body: [UInt8]) -> FakeResponse {
        if !body.isEmpty {
            guard let json = try? JSON.parse(utf8: body), case .object = json else {
                return refuse(400, "O corpo, quando enviado, deve ser um objeto JSON.")
            }
        }
        guard Self.isDigits(id, 23) else { return refuse(400, "id_boleto deve ter 23 dígitos.") }
        guard let title = titles[id] else { return refuse(404, "Boleto não encontrado.") }
        switch title.status {
        case "Baixada": return refuse(422, "Título já baixado.")
        case "Paga": return refuse(422, "Título liquidado não pode ser baixado.")
        default:
            titles[id]?.status = "Baixada"
            return FakeResponse(status: 204, contentType: "application/json", body: [])
        }
    }

    /// A decimal string with two places (`"250.00"`) as cents.
    static func decimalCents(_ json: JSON?) -> Int64? {
        guard let text = string(json) else { return nil }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[1].count == 2, !parts[0].isEmpty, parts.allSatisfy({ $0.allSatisfy(\.isNumber) }),
              let whole = Int64(parts[0]), let cents = Int64(parts[1]) else { return nil }
        return whole * 100 + cents
    }

    private func change(_ id: String, instruction: String, body: [UInt8]) -> FakeResponse {
        guard let json = try? JSON.parse(utf8: body), case .object = json else { return refuse(400, "O corpo deve ser um objeto JSON.") }
        guard Self.isDigits(id, 23) else { return refuse(400, "id_boleto deve ter 23 dígitos.") }
        guard var title = titles[id] else { return refuse(404, "Boleto não encontrado.") }
        guard title.status == "Em Aberto" else { return refuse(422, "Título baixado ou liquidado não aceita instruções.") }
        var due = title.dueDate, cents = title.amountCents
        switch instruction {
        case "data_vencimento":
            guard let date = Self.date(json["data_vencimento"]), date >= CalendarDate.todayInSaoPaulo() else {
                return refuse(400, "data_vencimento no formato AAAA-MM-DD, a partir de hoje.")
            }
            due = date
        case "valor_nominal":
            guard let value = Self.decimalCents(json["valor_titulo"]), value > 0 else {
                return refuse(400, "valor_titulo deve ser um decimal com duas casas, maior que zero.")
            }
            cents = value
        case "abatimento":
            guard let value = Self.decimalCents(json["valor_abatimento"]), value < title.amountCents else {
                return refuse(400, "valor_abatimento deve ser um decimal com duas casas, menor que o valor do título.")
            }
            title.terms["valor_abatimento"] = .string(Self.amount(value))
        case "desconto":
            guard let code = Self.string(json["codigo_tipo_desconto"]), ["00", "01", "02"].contains(code),
                  case .array(let list)? = json["descontos"], list.count <= 3, (code == "00") == list.isEmpty else {
                return refuse(400, "codigo_tipo_desconto 00, 01 ou 02 e até 3 descontos (nenhum para 00).")
            }
            for item in list {
                let value = code == "01" ? Self.decimalCents(item["valor_desconto"]) : Self.string(item["percentual_desconto"]).flatMap { Double($0) }.map { Int64($0 * 100) }
                guard let until = Self.date(item["data_desconto"]), until <= due, (value ?? 0) > 0 else {
                    return refuse(400, "Cada desconto: data_desconto até o vencimento e valor_desconto ou percentual_desconto positivo.")
                }
            }
            title.terms["desconto"] = json
        default:
            return refuse(404, "Instrução inexistente.")
        }
        if due != title.dueDate || cents != title.amountCents {
            let beneficiary = String(id.prefix(12))
            let input = BoletoInput(bank: "341", amountCents: cents, dueDate: due, agency: String(beneficiary.prefix(4)),
                                    account: String(beneficiary.dropFirst(4).prefix(7)), accountDV: String(beneficiary.suffix(1)),
                                    wallet: title.wallet, nossoNumero: title.nossoNumero)
            guard let computed = try? Boleto(input) else { return refuse(422, "Título inválido.") }
            title.dueDate = due
            title.amountCents = cents
            title.barcode = computed.barcode.description
            title.digitableLine = computed.digitableLine.description
        }
        title.changes.append((instruction, json))
        titles[id] = title
        return FakeResponse(status: 204, contentType: "application/json", body: [])
    }

    /// What is wrong with `pagador`, or nil.
    static func payerProblem(_ payer: JSON?) -> String? {
        guard let payer, case .object = payer, let person = payer["pessoa"], case .object = person else { return "pagador.pessoa é obrigatório." }
        guard let name = string(person["nome_pessoa"]), (1...50).contains(name.count) else {
            return "nome_pessoa deve ter de 1 a 50 caracteres."
        }
        guard let type = person["tipo_pessoa"], case .object = type, let code = string(type["codigo_tipo_pessoa"]) else {
            return "tipo_pessoa.codigo_tipo_pessoa é obrigatório."
        }
        let cpfField = type["numero_cadastro_pessoa_fisica"], cnpjField = type["numero_cadastro_nacional_pessoa_juridica"]
        switch code {
        case "F":
            guard cnpjField == nil, let cpf = string(cpfField), isDigits(cpf, 11), Document.isValid(cpf) else {
                return "Pessoa física: numero_cadastro_pessoa_fisica com 11 dígitos válidos."
            }
        case "J":
            guard cpfField == nil, let cnpj = string(cnpjField), cnpj.utf8.count == 14,
                  cnpj.utf8.allSatisfy({ (48...57).contains($0) || (65...90).contains($0) }), Document.isValid(cnpj) else {
                return "Pessoa jurídica: numero_cadastro_nacional_pessoa_juridica com 14 caracteres válidos."
            }
        default:
            return "codigo_tipo_pessoa deve ser F ou J."
        }
        guard let address = payer["endereco"] else { return nil }
        guard case .object = address else { return "endereco deve ser um objeto." }
        for (key, limit) in [("nome_logradouro", 45), ("nome_bairro", 15), ("nome_cidade", 20)] {
            guard let text = string(address[key]), (1...limit).contains(text.count) else { return "\(key) deve ter de 1 a \(limit) caracteres." }
        }
        guard let state = string(address["sigla_UF"]), state.utf8.count == 2, state.utf8.allSatisfy({ (65...90).contains($0) }) else {
            return "sigla_UF deve ter duas letras maiúsculas."
        }
        guard let zipcode = string(address["numero_CEP"]), isDigits(zipcode, 8) else { return "numero_CEP deve ter 8 dígitos." }
        return nil
    }

    /// `content` as the answer, wrapped in `data` or bare.
    private func answer(_ content: JSON, wrapped: Bool) -> FakeResponse {
        FakeResponse(status: 200, contentType: "application/json", body: (wrapped ? .object([("data", content)]) : content).bytes)
    }

    private func refuse(_ status: Int, _ message: String) -> FakeResponse {
        rejections.append("\(status) \(message)")
        let body: JSON = .object([("codigo", .string(String(status))), ("mensagem", .string(message))])
        return FakeResponse(status: status, contentType: "application/json", body: body.bytes)
    }

    /// A JSON string's value; nil for any other type.
    static func string(_ json: JSON?) -> String? {
        if case .string(let value)? = json { return value }
        return nil
    }

    /// Whether `text` is exactly `count` ASCII digits.
    static func isDigits(_ text: String, _ count: Int) -> Bool {
        text.utf8.count == count && text.utf8.allSatisfy { (48...57).contains($0) }
    }

    /// The cents of a 17-digit amount string.
    static func cents(_ json: JSON?) -> Int64? {
        guard let text = string(json), isDigits(text, 17) else { return nil }
        return Int64(text)
    }

    /// A `YYYY-MM-DD` date string.
    static func date(_ json: JSON?) -> CalendarDate? {
        string(json).flatMap { CalendarDate(iso: $0) }
    }

    /// 17-digit cents.
    static func amount(_ cents: Int64) -> String { Digits(cents, width: 17).description }

    /// Whether a header is present and not blank.
    static func present(_ value: String?) -> Bool { !(value ?? "").trimmingCharacters(in: .whitespaces).isEmpty }
}
