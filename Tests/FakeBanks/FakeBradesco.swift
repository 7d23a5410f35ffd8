import BoletoKit
import Foundation
@_spi(CMS) import X509

/// A fake Bradesco "registro online" (`POST /ibpjregistrotitulows/registrotitulo` and
/// `…/registrotitulohomologacao`), as strict as the bank's documentation:
///
/// - the body is one line of standard base64 of a CMS SignedData with the JSON attached, signed with RSA and
///   SHA-256 (SHA-1 is rejected) by a certificate that chains to `trustRoots`; otherwise HTTP 500 with `cdErro`
///   810, as the bank answers;
/// - the JSON is an object whose values are all strings, without `\u` escapes, with every key the bank requires
///   in its format (810 otherwise), and no key it does not know;
/// - the beneficiary's and the payer's CPF/CNPJ check digits are verified (`cdErro` 40);
/// - a title seen before (same `nuNegociacao` and `nuTitulo`) answers 69 "TITULO JA CADASTRADO";
/// - a success answers `cdErro` 0 with the digitable line that BoletoKit computes from the request.
///
/// Scenarios (``FakeScenarioScript``): `timeout` and `registers-then-times-out` (the latter stores the title)
/// answer after ``delay``; `server-error` (500, an HTML page), `not-found` (404), `malformed` (200, a cut
/// envelope), `certificate-error` (500 + 810), `unavailable` (-99), `abnormal-end` (1290030),
/// `temporarily-unavailable` (stores the title, then answers "SERVICO TEMPORARIAMENTE NAO DISPONIVEL"), `refused`
/// (40).
public actor FakeBradesco {
    public static let paths: Set<String> = ["/ibpjregistrotitulows/registrotitulo", "/ibpjregistrotitulows/registrotitulohomologacao"]

    private var server: FakeBankServer?
    private let trustRoots: [Certificate]
    private var script = FakeScenarioScript()
    /// How long `timeout` scenarios hold the answer.
    public var delay: Duration = .seconds(5)
    /// Requests received.
    public private(set) var calls = 0
    /// Titles held, by `nuNegociacao/nuTitulo`, with the JSON they were registered with.
    public private(set) var titles: [String: [String: String]] = [:]
    /// Why requests were rejected, newest last (for test diagnostics).
    public private(set) var rejections: [String] = []

    /// A fake bank whose TLS certificate is `identity` and which trusts signatures chaining to `trustRoots`.
    public init(trustRoots: [Certificate]) {
        self.trustRoots = trustRoots
    }

    /// Starts listening; returns the registration URL.
    public func start(identity: TestPKI.Identity) async throws -> String {
        let server = try await FakeBankServer(identity: identity) { [weak self] request in
            guard let self else { return FakeResponse(status: 503, text: "") }
            return await self.handle(request)
        }
        self.server = server
        return server.url("/ibpjregistrotitulows/registrotitulohomologacao")
    }

    /// Stops listening.
    public func stop() async throws { try await server?.stop() }

    /// Scenarios for the next requests without an `X-Fake-Scenario` header.
    public func script(_ scenarios: [String]) { script.append(scenarios) }

    /// Sets how long `timeout` scenarios hold the answer.
    public func setDelay(_ delay: Duration) { self.delay = delay }

    func handle(_ request: FakeRequest) async -> FakeResponse {
        calls += 1
        guard request.method == "POST", Self.paths.contains(request.path) else {
            return FakeResponse(status: 404, contentType: "text/html", text: "<html><body>Not Found</body></html>")
        }
        let scenario = script.next(for: request)
        switch scenario {
        case "timeout":
            return Self.answer(["cdErro": "-99", "msgErro": "Serviço indisponível"], delay: delay)
        case "server-error":
            return FakeResponse(status: 500, contentType: "text/html", text: "<html><body>Internal Server Error</body></html>")
        case "not-found":
            return FakeResponse(status: 404, contentType: "text/html", text: "<html><body>Not Found</body></html>")
        case "malformed":
            return FakeResponse(status: 200, text: "<S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body><ns2:registrarTit")
        case "certificate-error":
            return Self.answer(["cdErro": "810", "msgErro": "Erro Certificado / Formatacao dos campos da mensagem invalida [0x02430001]"], status: 500)
        case "unavailable":
            return Self.answer(["cdErro": "-99", "msgErro": "Serviço indisponível"])
        case "abnormal-end":
            return Self.answer(["cdErro": "1290030", "msgErro": "Fim anormal do programa"])
        case "refused":
            return Self.answer(["cdErro": "40", "msgErro": "Número CGC/CPF inválido"])
        default:
            break
        }
        let fields: [String: String]
        switch await verify(request.body) {
        case .failure(let rejection):
            rejections.append(rejection.reason)
            return Self.answer(["cdErro": "810", "msgErro": "Erro Certificado / Formatacao dos campos da mensagem invalida [0x02430001]"], status: 500)
        case .success(let parsed):
            fields = parsed
        }
        if let problem = Self.formatProblem(fields) {
            rejections.append(problem)
            return Self.answer(["cdErro": "810", "msgErro": "Formatacao dos campos da mensagem invalida: \(problem)"], status: 500)
        }
        if !Self.documentsValid(fields) {
            rejections.append("a CPF/CNPJ check digit")
            return Self.answer(["cdErro": "40", "msgErro": "Número CGC/CPF inválido"])
        }
        let key = fields["nuNegociacao"]! + "/" + fields["nuTitulo"]!
        if titles[key] != nil {
            return Self.answer(["cdErro": "69", "msgErro": "TITULO JA CADASTRADO"])
        }
        guard let line = Self.digitableLine(fields) else {
            rejections.append("no boleto can be computed from the fields")
            return Self.answer(["cdErro": "810", "msgErro": "Formatacao dos campos da mensagem invalida"], status: 500)
        }
        titles[key] = fields
        switch scenario {
        case "registers-then-times-out":
            return Self.answer(["cdErro": "0", "msgErro": "Solicitação atendida", "linhaDigitavel": line], delay: delay)
        case "temporarily-unavailable":
            return Self.answer(["cdErro": "9100", "msgErro": "SERVICO TEMPORARIAMENTE NAO DISPONIVEL - 9100 (2)"])
        default:
            return Self.answer([
                "cdErro": "0", "msgErro": "Solicitação atendida", "idProduto": fields["idProduto"]!,
                "negociacao": fields["nuNegociacao"]!, "nuTituloGerado": fields["nuTitulo"]!, "linhaDigitavel": line,
                "statusTitulo": "01", "descStatusTitulo": "A VENCER/VENCIDO", "dtVencimento": fields["dtVencimentoTitulo"]!,
                "vlTitulo": fields["vlNominalTitulo"]!,
            ])
        }
    }

    /// Why a body is not what the bank accepts.
    struct Rejection: Error { let reason: String }

    /// The signed JSON's fields, or why the body is not what the bank accepts.
    func verify(_ body: [UInt8]) async -> Result<[String: String], Rejection> {
        let text = String(decoding: body, as: UTF8.self)
        guard !text.isEmpty, text.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || "+/=".contains($0)) }),
              let der = Data(base64Encoded: text) else {
            return .failure(Rejection(reason: "the body is not one line of standard base64"))
        }
        guard let cms = CMSInspection(der: Array(der)) else { return .failure(Rejection(reason: "the body is not a CMS SignedData")) }
        guard var content = cms.content else { return .failure(Rejection(reason: "the signature is detached")) }
        guard cms.identifiers.contains(CMSInspection.sha256),
              cms.identifiers.contains(CMSInspection.sha256WithRSA) || cms.identifiers.contains(CMSInspection.rsaEncryption),
              !cms.identifiers.contains(CMSInspection.sha1), !cms.identifiers.contains(CMSInspection.sha1WithRSA) else {
            return .failure(Rejection(reason: "the signature is not RSA with SHA-256"))
        }
        let result = await CMS.isValidAttachedSignature(signatureBytes: Array(der), trustRoots: CertificateStore(trustRoots)) {
            RFC5280Policy()
        }
        guard case .success = result else { return .failure(Rejection(reason: "the signature does not verify against the trusted certificates")) }
        // openssl_pkcs7_sign with PKCS7_TEXT prepends a MIME header to the content; the bank tolerates it.
        let mime = Array("Content-Type: text/plain\r\n\r\n".utf8)
        if content.starts(with: mime) { content.removeFirst(mime.count) }
        let json = String(decoding: content, as: UTF8.self)
        guard !json.contains("\\u") else { return .failure(Rejection(reason: "the JSON has \\u escapes, which the bank does not decode")) }
        guard let object = try? JSONSerialization.jsonObject(with: Data(content)) as? [String: Any] else {
            return .failure(Rejection(reason: "the content is not a JSON object"))
        }
        var fields: [String: String] = [:]
        for (key, value) in object {
            guard let string = value as? String, !(value is NSNumber) else { return .failure(Rejection(reason: "\(key) is not a string")) }
            fields[key] = string
        }
        return .success(fields)
    }

    static let required: Set<String> = [
        "nuCPFCNPJ", "filialCPFCNPJ", "ctrlCPFCNPJ", "cdTipoAcesso", "clubBanco", "cdTipoContrato", "idProduto",
        "nuNegociacao", "cdBanco", "tpRegistro", "nuTitulo", "nuCliente", "dtEmissaoTitulo", "dtVencimentoTitulo",
        "tpVencimento", "vlNominalTitulo", "cdEspecieTitulo", "nomePagador", "logradouroPagador", "nuLogradouroPagador",
        "bairroPagador", "municipioPagador", "ufPagador", "cepPagador", "cdIndCpfcnpjPagador", "nuCpfcnpjPagador",
    ]
    static let optional = Set(["complementoLogradouroPagador", "complementoCepPagador", "endEletronicoPagador"]).union(termKeys)
    /// The registration model's term keys: interest (`percentualJuros` 8 digits with 5 decimals or `vlJuros` cents, and
    /// `qtdeDiasJuros` up to 2 digits), fine (`percentualMulta` or `vlMulta`, `qtdeDiasMulta` up to 3 digits), up to
    /// three discounts (`percentualDescontoN` or `vlDescontoN`, with `dataLimiteDescontoN` `dd.MM.yyyy`), and
    /// `vlAbatimento` (cents).
    static let termKeys = Set(["percentualJuros", "vlJuros", "qtdeDiasJuros", "percentualMulta", "vlMulta", "qtdeDiasMulta", "vlAbatimento"]
        + (1...3).flatMap { ["percentualDesconto\($0)", "vlDesconto\($0)", "dataLimiteDesconto\($0)"] })

    /// The first rule the term keys break, or nil: formats, one of rate or amount per term, a discount's date with its
    /// value and not after the due date, discounts and abatimento below the amount.
    static func termProblem(_ fields: [String: String]) -> String? {
        func digits(_ key: String, _ count: ClosedRange<Int>) -> Bool {
            guard let value = fields[key] else { return true }
            return count.contains(value.count) && value.allSatisfy { $0.isASCII && $0.isNumber }
        }
        for key in ["percentualJuros", "percentualMulta", "percentualDesconto1", "percentualDesconto2", "percentualDesconto3"] where !digits(key, 8...8) {
            return "\(key) is not 8 digits"
        }
        for key in ["vlJuros", "vlMulta", "vlDesconto1", "vlDesconto2", "vlDesconto3", "vlAbatimento"] where !digits(key, 1...17) {
            return "\(key) is not cents"
        }
        if !digits("qtdeDiasJuros", 1...2) { return "qtdeDiasJuros is not 1 or 2 digits" }
        if !digits("qtdeDiasMulta", 1...3) { return "qtdeDiasMulta is not 1 to 3 digits" }
        for (rate, amount) in [("percentualJuros", "vlJuros"), ("percentualMulta", "vlMulta")] where fields[rate] != nil && fields[amount] != nil {
            return "\(rate) and \(amount) are both filled"
        }
        let nominal = Int64(fields["vlNominalTitulo"] ?? "") ?? 0
        let due = fields["dtVencimentoTitulo"].flatMap(date)
        for n in 1...3 {
            let rate = fields["percentualDesconto\(n)"], amount = fields["vlDesconto\(n)"], limit = fields["dataLimiteDesconto\(n)"]
            guard rate != nil || amount != nil || limit != nil else { continue }
            guard (rate == nil) != (amount == nil), let day = limit.flatMap(date), let due, day <= due else {
                return "discount \(n) needs a rate or an amount, and a dataLimiteDesconto\(n) up to the due date"
            }
            if let amount, (Int64(amount) ?? 0) >= nominal { return "vlDesconto\(n) is not below vlNominalTitulo" }
        }
        if let abatement = fields["vlAbatimento"], (Int64(abatement) ?? 0) >= nominal { return "vlAbatimento is not below vlNominalTitulo" }
        return nil
    }
    static let lengths: [String: Int] = [
        "nomePagador": 70, "logradouroPagador": 40, "nuLogradouroPagador": 10, "complementoLogradouroPagador": 15,
        "bairroPagador": 40, "municipioPagador": 30, "endEletronicoPagador": 70, "nuCliente": 10,
    ]

    /// The first rule the fields break, or nil.
    static func formatProblem(_ fields: [String: String]) -> String? {
        if let missing = required.subtracting(fields.keys).sorted().first { return "\(missing) is missing" }
        if let unknown = Set(fields.keys).subtracting(required).subtracting(optional).sorted().first { return "\(unknown) is not a field" }
        if let problem = termProblem(fields) { return problem }
        let fixed = ["cdTipoAcesso": "2", "clubBanco": "2269651", "cdTipoContrato": "48", "cdBanco": "237", "tpRegistro": "1", "tpVencimento": "0"]
        for (key, value) in fixed where fields[key] != value { return "\(key) must be \(value)" }
        func digits(_ key: String, _ count: ClosedRange<Int>) -> Bool {
            guard let value = fields[key] else { return false }
            return count.contains(value.count) && value.allSatisfy { $0.isASCII && $0.isNumber }
        }
        let shapes: [(String, ClosedRange<Int>)] = [
            ("idProduto", 2...2), ("nuNegociacao", 18...18), ("nuTitulo", 1...11), ("vlNominalTitulo", 1...17),
            ("cdEspecieTitulo", 2...2), ("cepPagador", 5...5), ("nuCpfcnpjPagador", 14...14), ("nuCPFCNPJ", 8...9),
            ("filialCPFCNPJ", 1...4), ("ctrlCPFCNPJ", 2...2),
        ]
        for (key, range) in shapes where !digits(key, range) { return "\(key) is not \(range) digits" }
        if let cep = fields["complementoCepPagador"], !(cep.count == 3 && cep.allSatisfy(\.isNumber)) { return "complementoCepPagador is not 3 digits" }
        if fields["nuNegociacao"]!.dropFirst(4).prefix(7) != "0000000" { return "nuNegociacao is not agência + 0000000 + conta" }
        for key in ["dtEmissaoTitulo", "dtVencimentoTitulo"] where date(fields[key]!) == nil { return "\(key) is not dd.MM.yyyy" }
        if date(fields["dtVencimentoTitulo"]!)! < date(fields["dtEmissaoTitulo"]!)! { return "the due date is before the issue date" }
        if !["1", "2"].contains(fields["cdIndCpfcnpjPagador"]!) { return "cdIndCpfcnpjPagador must be 1 or 2" }
        if fields["nomePagador"]!.trimmingCharacters(in: .whitespaces).isEmpty { return "nomePagador is empty" }
        if let uf = fields["ufPagador"], !(uf.count == 2 && uf.allSatisfy { $0.isASCII && $0.isUppercase }) { return "ufPagador is not a UF" }
        for (key, limit) in lengths where (fields[key]?.count ?? 0) > limit { return "\(key) is longer than \(limit)" }
        for (key, value) in fields where !value.unicodeScalars.allSatisfy({ (0x20...0x7E).contains($0.value) || (0xA0...0xFF).contains($0.value) }) {
            return "\(key) has characters outside Latin-1"
        }
        return nil
    }

    static func documentsValid(_ fields: [String: String]) -> Bool {
        let beneficiary = fields["filialCPFCNPJ"] == "0"
            ? fields["nuCPFCNPJ"]! + fields["ctrlCPFCNPJ"]!
            : fields["nuCPFCNPJ"]! + String(repeating: "0", count: 4 - fields["filialCPFCNPJ"]!.count) + fields["filialCPFCNPJ"]! + fields["ctrlCPFCNPJ"]!
        let payerDigits = fields["nuCpfcnpjPagador"]!
        let payer = fields["cdIndCpfcnpjPagador"] == "1" ? String(payerDigits.suffix(11)) : payerDigits
        return Document.isValid(beneficiary) && Document.isValid(payer)
    }

    static func date(_ text: String) -> CalendarDate? {
        let parts = text.split(separator: ".")
        guard parts.count == 3, parts[0].count == 2, parts[1].count == 2, parts[2].count == 4,
              let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else { return nil }
        return CalendarDate(iso: String(format: "%04d-%02d-%02d", year, month, day))
    }

    /// The line BoletoKit computes for the request: agência and conta from `nuNegociacao`, carteira from
    /// `idProduto`, nosso número from `nuTitulo`.
    public static func digitableLine(_ fields: [String: String]) -> String? {
        let negotiation = fields["nuNegociacao"]!
        let nossoNumero = fields["nuTitulo"]!
        let input = BoletoInput(bank: "237", amountCents: Int64(fields["vlNominalTitulo"]!) ?? 0,
                                dueDate: date(fields["dtVencimentoTitulo"]!), agency: String(negotiation.prefix(4)),
                                account: String(negotiation.suffix(7)), wallet: fields["idProduto"],
                                nossoNumero: String(repeating: "0", count: 11 - nossoNumero.count) + nossoNumero)
        return (try? Boleto(input))?.digitableLine.formatted
    }

    /// An answer envelope with `json` (messages double HTML-encoded) in `return`.
    static func answer(_ json: [String: String], status: Int = 200, delay: Duration = .zero) -> FakeResponse {
        var encoded = json
        if let message = json["msgErro"] { encoded["msgErro"] = FakeHTML.encode(FakeHTML.encode(message)) }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let text = String(decoding: (try? encoder.encode(encoded)) ?? Data(), as: UTF8.self)
        let envelope = "<?xml version='1.0' encoding='UTF-8'?><S:Envelope xmlns:S=\"http://schemas.xmlsoap.org/soap/envelope/\"><S:Body>"
            + "<ns2:registrarTituloResponse xmlns:ns2=\"http://ws.registrotitulo.ibpj.web.bradesco.com.br/\"><return>"
            + FakeHTML.xml(text) + "</return></ns2:registrarTituloResponse></S:Body></S:Envelope>"
        return FakeResponse(status: status, text: envelope, delay: delay)
    }
}
