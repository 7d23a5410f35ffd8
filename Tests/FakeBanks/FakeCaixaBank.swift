import BoletoKit
import Crypto
import Foundation

/// Why the fake Caixa did not register (or write off) a title.
enum FakeCaixaFailure: Error {
    /// The bus's schema check failed: outer `X5` "(BK76) ERRO NA FORMATACAO DA MENSAGEM.", the detail in `EXCECAO`.
    case format(String)
    /// The bus does not let this beneficiary through: outer `X5` "(X5) USUARIO NAO AUTORIZADO A EXECUTAR A TRANSACAO".
    case unauthorized(String)
    /// SIGCB refused: inner `COD_RETORNO` 1 with this `RETORNO`.
    case refused(String)
}

/// The fake Caixa's state and rules; ``FakeCaixa`` is its public face.
actor FakeCaixaBank {
    static let headerOrder = ["VERSAO", "AUTENTICACAO", "USUARIO_SERVICO", "OPERACAO", "SISTEMA_ORIGEM", "UNIDADE", "DATA_HORA"]
    static let titleOrder = [
        "NOSSO_NUMERO", "NUMERO_DOCUMENTO", "DATA_VENCIMENTO", "VALOR", "TIPO_ESPECIE", "FLAG_ACEITE", "DATA_EMISSAO",
        "JUROS_MORA", "VALOR_ABATIMENTO", "POS_VENCIMENTO", "CODIGO_MOEDA", "PAGADOR", "SACADOR_AVALISTA", "MULTA",
        "DESCONTOS", "VALOR_IOF", "IDENTIFICACAO_EMPRESA", "FICHA_COMPENSACAO", "RECIBO_PAGADOR", "PAGAMENTO",
    ]
    static let titleRequired: Set<String> = [
        "NOSSO_NUMERO", "NUMERO_DOCUMENTO", "DATA_VENCIMENTO", "VALOR", "TIPO_ESPECIE", "FLAG_ACEITE", "DATA_EMISSAO",
        "JUROS_MORA", "VALOR_ABATIMENTO", "POS_VENCIMENTO", "CODIGO_MOEDA", "PAGADOR",
    ]
    static let punctuation: Set<Character> = [" ", "!", "'", "(", ")", "*", "+", ",", "-", ".", "/", ":", ";", "=", "?", "_"]

    let beneficiaryCode: String
    let beneficiaryDocument: String
    var delay: Duration
    private var script = FakeScenarioScript()
    var calls = 0
    var requests: [FakeRequest] = []
    var rejections: [String] = []
    var titles: [String: FakeCaixa.Title] = [:]
    var registeredCount = 0
    private var sequence: Int64 = 0

    init(beneficiaryCode: String, beneficiaryDocument: String, delay: Duration) {
        self.beneficiaryCode = Self.pad(beneficiaryCode.filter { $0.isASCII && $0.isNumber }, 7)
        self.beneficiaryDocument = beneficiaryDocument.filter { $0.isASCII && $0.isNumber }
        self.delay = delay
    }

    func setDelay(_ delay: Duration) { self.delay = delay }

    func script(_ scenarios: [String]) { script.append(scenarios) }

    // MARK: Requests

    func handle(_ request: FakeRequest) -> FakeResponse {
        calls += 1
        requests.append(request)
        guard request.path == FakeCaixa.path else { return reject(404, "no service at \(request.path)") }
        guard request.method == "POST" else { return reject(405, "the service takes POST only") }
        let scenario = script.next(for: request)
        switch scenario ?? "" {
        case "", FakeCaixa.Scenario.registersThenTimesOut:
            break
        case FakeCaixa.Scenario.timeout:
            return FakeResponse(status: 200, text: FakeCaixaAnswers.busFailure(
                FakeCaixaAnswers.Header(), code: "X5", message: "(X5) TRANSACAO TEMPORARIAMENTE INDISPONIVEL"), delay: delay)
        case FakeCaixa.Scenario.serverError:
            return FakeResponse(status: 500, contentType: "text/plain", text: "Internal Server Error")
        case FakeCaixa.Scenario.soapFault:
            return FakeResponse(status: 500, text: FakeCaixaAnswers.fault)
        case FakeCaixa.Scenario.gatewayTimeout:
            return FakeResponse(status: 504, contentType: "text/html", text: "<html><body>504 Gateway Time-out</body></html>")
        case FakeCaixa.Scenario.malformed:
            let whole = FakeCaixaAnswers.included(FakeCaixaAnswers.Header(), barcode: "10493726700000010002006561000100040992226984",
                                                  line: "10492006506100010004209922269841372670000001000",
                                                  nossoNumero: "14000000099222698", url: "https://boletoonline.caixa.gov.br/")
            return FakeResponse(status: 200, text: String(whole.prefix(whole.count / 2)))
        case FakeCaixa.Scenario.busError:
            return FakeResponse(status: 200, text: FakeCaixaAnswers.busFailure(
                FakeCaixaAnswers.Header(), code: "X5", message: "(X5) TRANSACAO TEMPORARIAMENTE INDISPONIVEL"))
        case FakeCaixa.Scenario.refused:
            return FakeResponse(status: 200, text: FakeCaixaAnswers.refusal(FakeCaixaAnswers.Header(), FakeCaixa.Messages.dueBeforeIssue))
        case let other:
            return reject(400, "unknown scenario \(other)")
        }
        var response = process(request)
        if scenario == FakeCaixa.Scenario.registersThenTimesOut { response.delay = delay }
        return response
    }

    /// A transport-level refusal (wrong path, method or headers): plain text with `status`.
    private func reject(_ status: Int, _ reason: String) -> FakeResponse {
        rejections.append("http \(status): \(reason)")
        return FakeResponse(status: status, contentType: "text/plain", text: "fake Caixa: \(reason)")
    }

    private func process(_ request: FakeRequest) -> FakeResponse {
        let mediaType = (request.header("Content-Type") ?? "").split(separator: ";").first
            .map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard mediaType == "text/xml" else { return reject(415, "Content-Type must be text/xml") }
        let action = (request.header("SOAPAction") ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        guard !action.isEmpty else { return reject(400, "a SOAPAction header is required") }
        var echoed = FakeCaixaAnswers.Header()
        do {
            guard let envelope = FakeXMLElement.parse(request.body) else {
                throw FakeCaixaFailure.format("the body is not well-formed XML")
            }
            let (headerElement, dados) = try Self.entrada(envelope)
            let header = try Self.readHeader(headerElement)
            echoed = header
            switch header.operacao {
            case "INCLUI_BOLETO": return try include(dados, header: header)
            case "BAIXA_BOLETO": return try writeOff(dados, header: header)
            case "ALTERA_BOLETO": return try alter(dados, header: header)
            default: throw FakeCaixaFailure.format("HEADER/OPERACAO must be INCLUI_BOLETO, ALTERA_BOLETO or BAIXA_BOLETO")
            }
        } catch let failure as FakeCaixaFailure {
            return answer(failure, echoed)
        } catch {
            return answer(.format("unexpected error"), echoed)
        }
    }

    private func answer(_ failure: FakeCaixaFailure, _ header: FakeCaixaAnswers.Header) -> FakeResponse {
        switch failure {
        case .format(let detail):
            rejections.append("format: \(detail)")
            return FakeResponse(status: 200, text: FakeCaixaAnswers.busFailure(
                header, code: "X5", message: "(BK76) ERRO NA FORMATACAO DA MENSAGEM.", exception: "fake Caixa schema check: \(detail)"))
        case .unauthorized(let detail):
            rejections.append("unauthorized: \(detail)")
            return FakeResponse(status: 200, text: FakeCaixaAnswers.busFailure(
                header, code: "X5", message: "(X5) USUARIO NAO AUTORIZADO A EXECUTAR A TRANSACAO"))
        case .refused(let message):
            rejections.append("refused: \(message)")
            return FakeResponse(status: 200, text: FakeCaixaAnswers.refusal(header, message))
        }
    }

    // MARK: Envelope and header

    /// `Envelope/Body/SERVICO_ENTRADA`'s `HEADER` and `DADOS`, every namespace checked.
    static func entrada(_ envelope: FakeXMLElement) throws -> (FakeXMLElement, FakeXMLElement) {
        let soap = FakeCaixaAnswers.soap
        guard envelope.name == "Envelope", envelope.namespace == soap else {
            throw FakeCaixaFailure.format("the root must be Envelope in \(soap)")
        }
        let allowed = envelope.children.allSatisfy { ($0.name == "Header" || $0.name == "Body") && $0.namespace == soap }
        guard allowed, let body = envelope.one("Body", in: soap) else {
            throw FakeCaixaFailure.format("Envelope must hold one Body in \(soap)")
        }
        guard body.children.count == 1, let entrada = body.one("SERVICO_ENTRADA", in: FakeCaixaAnswers.service) else {
            throw FakeCaixaFailure.format("Body must hold one SERVICO_ENTRADA in \(FakeCaixaAnswers.service)")
        }
        guard entrada.children.count == 2, entrada.children[0].name == "HEADER",
              let header = entrada.one("HEADER", in: FakeCaixaAnswers.sibar), let dados = entrada.one("DADOS") else {
            throw FakeCaixaFailure.format("SERVICO_ENTRADA must hold HEADER in \(FakeCaixaAnswers.sibar), then an unqualified DADOS")
        }
        return (header, dados)
    }

    static func readHeader(_ element: FakeXMLElement) throws -> FakeCaixaAnswers.Header {
        try checkChildren(element, path: "HEADER", order: headerOrder, required: Set(headerOrder))
        func value(_ name: String) -> String { element.one(name)?.text ?? "" }
        var header = FakeCaixaAnswers.Header()
        header.versao = value("VERSAO")
        header.autenticacao = value("AUTENTICACAO")
        header.usuarioServico = value("USUARIO_SERVICO")
        header.operacao = value("OPERACAO")
        header.unidade = value("UNIDADE")
        header.dataHora = value("DATA_HORA")
        guard !header.versao.isEmpty, !header.autenticacao.isEmpty, !header.usuarioServico.isEmpty else {
            throw FakeCaixaFailure.format("HEADER/VERSAO, AUTENTICACAO and USUARIO_SERVICO must not be empty")
        }
        guard value("SISTEMA_ORIGEM") == "SIGCB" else { throw FakeCaixaFailure.format("HEADER/SISTEMA_ORIGEM must be SIGCB") }
        guard isDigits(header.unidade, count: 4) else { throw FakeCaixaFailure.format("HEADER/UNIDADE must be 4 digits") }
        guard isDigits(header.dataHora, count: 14) else {
            throw FakeCaixaFailure.format("HEADER/DATA_HORA must be yyyyMMddHHmmss, 14 digits")
        }
        return header
    }

    /// `element`'s children: unqualified, each named in `order`, in that order, at most once, and every `required`
    /// one present.
    static func checkChildren(_ element: FakeXMLElement, path: String, order: [String], required: Set<String>) throws {
        var last = -1
        var seen: Set<String> = []
        for child in element.children {
            guard child.namespace == nil else { throw FakeCaixaFailure.format("\(path)/\(child.name) must be unqualified") }
            guard let index = order.firstIndex(of: child.name) else {
                throw FakeCaixaFailure.format("\(path)/\(child.name) is not in the schema")
            }
            guard index > last else { throw FakeCaixaFailure.format("\(path)/\(child.name) is repeated or out of order") }
            last = index
            seen.insert(child.name)
        }
        let missing = required.subtracting(seen)
        guard missing.isEmpty else {
            throw FakeCaixaFailure.format("\(path) lacks \(missing.sorted().joined(separator: ", "))")
        }
    }

    // MARK: INCLUI_BOLETO

    private func include(_ dados: FakeXMLElement, header: FakeCaixaAnswers.Header) throws -> FakeResponse {
        guard dados.children.count == 1, let operation = dados.one("INCLUI_BOLETO") else {
            throw FakeCaixaFailure.format("DADOS must hold INCLUI_BOLETO")
        }
        try Self.checkChildren(operation, path: "INCLUI_BOLETO", order: ["CODIGO_BENEFICIARIO", "TITULO"],
                               required: ["CODIGO_BENEFICIARIO", "TITULO"])
        let code = operation.one("CODIGO_BENEFICIARIO")?.text ?? ""
        guard Self.isDigits(code, count: 7) else { throw FakeCaixaFailure.format("CODIGO_BENEFICIARIO must be 7 digits") }
        guard let titulo = operation.one("TITULO") else { throw FakeCaixaFailure.format("INCLUI_BOLETO lacks TITULO") }
        let title = try Self.readTitle(titulo)

        guard code == beneficiaryCode else { throw FakeCaixaFailure.unauthorized("CODIGO_BENEFICIARIO is not this fake's beneficiary") }
        let expected = Self.hash(code: code, nossoNumero: title.nossoNumero, dueDate: title.dueDate, cents: title.cents,
                                 document: beneficiaryDocument)
        guard header.autenticacao == expected else { throw FakeCaixaFailure.refused(FakeCaixa.Messages.hashDivergent) }
        guard title.freeText.allSatisfy(Self.isCaixaText) else { throw FakeCaixaFailure.refused(FakeCaixa.Messages.invalidCharacter) }
        guard title.dueDate >= title.issueDate else { throw FakeCaixaFailure.refused(FakeCaixa.Messages.dueBeforeIssue) }
        let number = title.nossoNumero == "0" ? assignNumber() : title.nossoNumero
        guard titles[number] == nil else { throw FakeCaixaFailure.refused(FakeCaixa.Messages.duplicate) }
        let input = BoletoInput(bank: "104", amountCents: title.cents, dueDate: title.dueDate, beneficiaryCode: code,
                                wallet: "14", nossoNumero: String(number.dropFirst(2)))
        guard let boleto = try? Boleto(input) else { throw FakeCaixaFailure.format("BoletoKit makes no barcode for this title") }
        let url = "https://boletoonline.caixa.gov.br/ecobranca/SIGCB/imprimir/\(code)/\(number)"
        titles[number] = FakeCaixa.Title(
            nossoNumero: number, beneficiaryCode: code, dueDate: title.dueDate.description, amountCents: title.cents,
            payerName: title.payerName, payerDocument: title.payerDocument, barcode: boleto.barcode.description,
            digitableLine: boleto.digitableLine.description, url: url, canceled: false, terms: title.terms)
        registeredCount += 1
        return FakeResponse(status: 200, text: FakeCaixaAnswers.included(
            header, barcode: boleto.barcode.description, line: boleto.digitableLine.description, nossoNumero: number, url: url))
    }

    /// `14` and the next 15-digit number no title holds.
    private func assignNumber() -> String {
        var number: String
        repeat {
            sequence += 1
            number = "14" + Self.pad(String(sequence), 15)
        } while titles[number] != nil
        return number
    }

    /// A `TITULO` as the fake read it.
    struct Incoming {
        var nossoNumero: String
        var dueDate: CalendarDate
        var issueDate: CalendarDate
        var cents: Int64
        var payerName: String
        var payerDocument: String
        /// Every free-text value, for the character check.
        var freeText: [String]
        /// The term elements, by path.
        var terms: [String: String] = [:]
    }

    static func readTitle(_ titulo: FakeXMLElement) throws -> Incoming {
        try checkChildren(titulo, path: "TITULO", order: titleOrder, required: titleRequired)
        func value(_ name: String) -> String { titulo.one(name)?.text ?? "" }
        let nossoNumero = value("NOSSO_NUMERO")
        guard nossoNumero == "0" || (isDigits(nossoNumero, count: 17) && nossoNumero.hasPrefix("14")) else {
            throw FakeCaixaFailure.format("TITULO/NOSSO_NUMERO must be 0 or 17 digits starting with 14")
        }
        let documentNumber = value("NUMERO_DOCUMENTO")
        guard (1...11).contains(documentNumber.count) else {
            throw FakeCaixaFailure.format("TITULO/NUMERO_DOCUMENTO must have 1 to 11 characters")
        }
        guard let dueDate = Self.date(value("DATA_VENCIMENTO")) else {
            throw FakeCaixaFailure.format("TITULO/DATA_VENCIMENTO must be YYYY-MM-DD")
        }
        guard let amount = Self.cents(value("VALOR")), amount > 0 else {
            throw FakeCaixaFailure.format("TITULO/VALOR must be a positive amount with 2 decimals (10.00)")
        }
        guard isDigits(value("TIPO_ESPECIE"), count: 2) else { throw FakeCaixaFailure.format("TITULO/TIPO_ESPECIE must be 2 digits") }
        guard ["S", "N"].contains(value("FLAG_ACEITE")) else { throw FakeCaixaFailure.format("TITULO/FLAG_ACEITE must be S or N") }
        guard let issueDate = Self.date(value("DATA_EMISSAO")) else {
            throw FakeCaixaFailure.format("TITULO/DATA_EMISSAO must be YYYY-MM-DD")
        }
        if let interest = titulo.one("JUROS_MORA") { try checkInterest(interest) }
        guard isDecimal(value("VALOR_ABATIMENTO")) else { throw FakeCaixaFailure.format("TITULO/VALOR_ABATIMENTO must be a number") }
        if let afterDue = titulo.one("POS_VENCIMENTO") { try checkAfterDue(afterDue) }
        let terms = try readTerms(titulo, dueDate: dueDate, cents: Self.cents(value("VALOR")) ?? 0)
        guard value("CODIGO_MOEDA") == "9" else { throw FakeCaixaFailure.format("TITULO/CODIGO_MOEDA must be 9") }
        guard let payerElement = titulo.one("PAGADOR") else { throw FakeCaixaFailure.format("TITULO lacks PAGADOR") }
        let payer = try readPayer(payerElement)
        var freeText = payer.freeText + [documentNumber]
        for (part, limit) in [("FICHA_COMPENSACAO", 2), ("RECIBO_PAGADOR", 4)] {
            if let element = titulo.one(part) { freeText += try messages(element, path: "TITULO/\(part)", limit: limit) }
        }
        return Incoming(nossoNumero: nossoNumero, dueDate: dueDate, issueDate: issueDate, cents: amount, payerName: payer.name,
                     payerDocument: payer.document, freeText: freeText, terms: terms)
    }

    /// The term elements, checked as SIGCB's clients describe them: `JUROS_MORA` with a `DATA` after the due date for any
    /// `TIPO` but `ISENTO`, `PERCENTUAL` for `TAXA_MENSAL` and `VALOR` for `VALOR_POR_DIA`; `MULTA{DATA after the due
    /// date, VALOR or PERCENTUAL}`; `DESCONTOS` with 1 or 2 `DESCONTO{DATA not after the due date, increasing, VALOR or
    /// PERCENTUAL}`; `VALOR_ABATIMENTO` below the amount. Answers them by path.
    static func readTerms(_ titulo: FakeXMLElement, dueDate: CalendarDate, cents: Int64) throws -> [String: String] {
        var terms: [String: String] = [:]
        func record(_ element: FakeXMLElement, _ path: String) {
            for child in element.children { terms[path + "/" + child.name] = child.text }
        }
        func decimal(_ text: String?) -> Double? { text.flatMap { isDecimal($0, decimals: 4) ? Double($0) : nil } }
        if let interest = titulo.one("JUROS_MORA") {
            record(interest, "JUROS_MORA")
            switch interest.one("TIPO")?.text ?? "" {
            case "TAXA_MENSAL", "VALOR_POR_DIA":
                guard let start = Self.date(interest.one("DATA")?.text ?? ""), start > dueDate else {
                    throw FakeCaixaFailure.format("TITULO/JUROS_MORA/DATA must be a date after DATA_VENCIMENTO")
                }
                let needed = interest.one("TIPO")?.text == "TAXA_MENSAL" ? "PERCENTUAL" : "VALOR"
                guard (decimal(interest.one(needed)?.text) ?? 0) > 0 else {
                    throw FakeCaixaFailure.format("TITULO/JUROS_MORA/\(needed) must be above zero for this TIPO")
                }
            default:
                break
            }
        }
        if let fine = titulo.one("MULTA") {
            try checkChildren(fine, path: "TITULO/MULTA", order: ["DATA", "VALOR", "PERCENTUAL"], required: ["DATA"])
            record(fine, "MULTA")
            guard let start = Self.date(fine.one("DATA")?.text ?? ""), start > dueDate else {
                throw FakeCaixaFailure.format("TITULO/MULTA/DATA must be a date after DATA_VENCIMENTO")
            }
            guard (fine.one("VALOR") == nil) != (fine.one("PERCENTUAL") == nil),
                  (decimal(fine.one("VALOR")?.text ?? fine.one("PERCENTUAL")?.text) ?? 0) > 0 else {
                throw FakeCaixaFailure.format("TITULO/MULTA takes VALOR or PERCENTUAL, above zero")
            }
        }
        if let discounts = titulo.one("DESCONTOS") {
            guard (1...2).contains(discounts.children.count), discounts.children.allSatisfy({ $0.name == "DESCONTO" && $0.namespace == nil }) else {
                throw FakeCaixaFailure.format("TITULO/DESCONTOS takes 1 or 2 DESCONTO")
            }
            var last: CalendarDate?
            for (index, discount) in discounts.children.enumerated() {
                let path = "TITULO/DESCONTOS/DESCONTO[\(index + 1)]"
                try checkChildren(discount, path: path, order: ["DATA", "VALOR", "PERCENTUAL"], required: ["DATA"])
                record(discount, "DESCONTOS/DESCONTO[\(index + 1)]")
                guard let day = Self.date(discount.one("DATA")?.text ?? ""), day <= dueDate, last.map({ day > $0 }) ?? true else {
                    throw FakeCaixaFailure.format("\(path)/DATA must be a date up to DATA_VENCIMENTO, after the previous discount's")
                }
                last = day
                guard (discount.one("VALOR") == nil) != (discount.one("PERCENTUAL") == nil),
                      (decimal(discount.one("VALOR")?.text ?? discount.one("PERCENTUAL")?.text) ?? 0) > 0 else {
                    throw FakeCaixaFailure.format("\(path) takes VALOR or PERCENTUAL, above zero")
                }
            }
        }
        let abatement = titulo.one("VALOR_ABATIMENTO")?.text ?? "0"
        terms["VALOR_ABATIMENTO"] = abatement
        if let value = Self.cents(abatement), value >= cents, value > 0 {
            throw FakeCaixaFailure.format("TITULO/VALOR_ABATIMENTO must be below VALOR")
        }
        if let afterDue = titulo.one("POS_VENCIMENTO") { record(afterDue, "POS_VENCIMENTO") }
        return terms
    }

    static func checkInterest(_ interest: FakeXMLElement) throws {
        try checkChildren(interest, path: "TITULO/JUROS_MORA", order: ["TIPO", "DATA", "VALOR", "PERCENTUAL"], required: ["TIPO"])
        guard ["ISENTO", "VALOR_POR_DIA", "TAXA_MENSAL"].contains(interest.one("TIPO")?.text ?? "") else {
            throw FakeCaixaFailure.format("TITULO/JUROS_MORA/TIPO must be ISENTO, VALOR_POR_DIA or TAXA_MENSAL")
        }
        for name in ["VALOR", "PERCENTUAL"] {
            if let value = interest.one(name)?.text, !isDecimal(value, decimals: name == "PERCENTUAL" ? 4 : 2) {
                throw FakeCaixaFailure.format("TITULO/JUROS_MORA/\(name) must be a number")
            }
        }
    }

    static func checkAfterDue(_ afterDue: FakeXMLElement) throws {
        try checkChildren(afterDue, path: "TITULO/POS_VENCIMENTO", order: ["ACAO", "NUMERO_DIAS"], required: ["ACAO", "NUMERO_DIAS"])
        guard ["DEVOLVER", "PROTESTAR"].contains(afterDue.one("ACAO")?.text ?? "") else {
            throw FakeCaixaFailure.format("TITULO/POS_VENCIMENTO/ACAO must be DEVOLVER or PROTESTAR")
        }
        let days = afterDue.one("NUMERO_DIAS")?.text ?? ""
        guard (1...3).contains(days.count), days.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FakeCaixaFailure.format("TITULO/POS_VENCIMENTO/NUMERO_DIAS must be 1 to 3 digits")
        }
    }

    struct Payer {
        var name: String
        var document: String
        var freeText: [String]
    }

    static func readPayer(_ payer: FakeXMLElement) throws -> Payer {
        try checkChildren(payer, path: "PAGADOR", order: ["CPF", "NOME", "CNPJ", "RAZAO_SOCIAL", "ENDERECO"], required: ["ENDERECO"])
        let names = Set(payer.children.map(\.name))
        let document: String
        let name: String
        if names.isSuperset(of: ["CPF", "NOME"]), names.isDisjoint(with: ["CNPJ", "RAZAO_SOCIAL"]) {
            document = payer.one("CPF")?.text ?? ""
            name = payer.one("NOME")?.text ?? ""
            guard isDigits(document, count: 11), (try? Document(document))?.kind == .cpf else {
                throw FakeCaixaFailure.format("PAGADOR/CPF must be a valid CPF, 11 digits")
            }
        } else if names.isSuperset(of: ["CNPJ", "RAZAO_SOCIAL"]), names.isDisjoint(with: ["CPF", "NOME"]) {
            document = payer.one("CNPJ")?.text ?? ""
            name = payer.one("RAZAO_SOCIAL")?.text ?? ""
            guard isDigits(document, count: 14), (try? Document(document))?.kind == .cnpj else {
                throw FakeCaixaFailure.format("PAGADOR/CNPJ must be a valid CNPJ, 14 digits")
            }
        } else {
            throw FakeCaixaFailure.format("PAGADOR must hold CPF and NOME, or CNPJ and RAZAO_SOCIAL")
        }
        guard (1...40).contains(name.count) else { throw FakeCaixaFailure.format("PAGADOR/NOME or RAZAO_SOCIAL must have 1 to 40 characters") }
        guard let address = payer.one("ENDERECO") else { throw FakeCaixaFailure.format("PAGADOR lacks ENDERECO") }
        let fields = ["LOGRADOURO", "BAIRRO", "CIDADE", "UF", "CEP"]
        try checkChildren(address, path: "PAGADOR/ENDERECO", order: fields, required: Set(fields))
        func value(_ field: String) -> String { address.one(field)?.text ?? "" }
        for (field, limit) in [("LOGRADOURO", 40), ("BAIRRO", 15), ("CIDADE", 15)] where !(1...limit).contains(value(field).count) {
            throw FakeCaixaFailure.format("PAGADOR/ENDERECO/\(field) must have 1 to \(limit) characters")
        }
        let state = value("UF")
        guard state.count == 2, state.allSatisfy({ $0.isASCII && $0.isUppercase }) else {
            throw FakeCaixaFailure.format("PAGADOR/ENDERECO/UF must be 2 upper-case letters")
        }
        guard isDigits(value("CEP"), count: 8) else { throw FakeCaixaFailure.format("PAGADOR/ENDERECO/CEP must be 8 digits") }
        return Payer(name: name, document: document,
                     freeText: [name, value("LOGRADOURO"), value("BAIRRO"), value("CIDADE")])
    }

    /// The `MENSAGEM` lines of `FICHA_COMPENSACAO` or `RECIBO_PAGADOR`: 1 to `limit`, each 1 to 40 characters.
    static func messages(_ part: FakeXMLElement, path: String, limit: Int) throws -> [String] {
        guard part.children.count == 1, let holder = part.one("MENSAGENS") else {
            throw FakeCaixaFailure.format("\(path) must hold MENSAGENS")
        }
        let lines = holder.all("MENSAGEM")
        guard lines.count == holder.children.count, (1...limit).contains(lines.count) else {
            throw FakeCaixaFailure.format("\(path)/MENSAGENS must hold 1 to \(limit) MENSAGEM")
        }
        for line in lines where !(1...40).contains(line.text.count) {
            throw FakeCaixaFailure.format("\(path)/MENSAGENS/MENSAGEM must have 1 to 40 characters")
        }
        return lines.map(\.text)
    }

    // MARK: BAIXA_BOLETO

    private func writeOff(_ dados: FakeXMLElement, header: FakeCaixaAnswers.Header) throws -> FakeResponse {
        guard dados.children.count == 1, let operation = dados.one("BAIXA_BOLETO") else {
            throw FakeCaixaFailure.format("DADOS must hold BAIXA_BOLETO")
        }
        try Self.checkChildren(operation, path: "BAIXA_BOLETO", order: ["CODIGO_BENEFICIARIO", "NOSSO_NUMERO"],
                               required: ["CODIGO_BENEFICIARIO", "NOSSO_NUMERO"])
        let code = operation.one("CODIGO_BENEFICIARIO")?.text ?? ""
        let number = operation.one("NOSSO_NUMERO")?.text ?? ""
        guard Self.isDigits(code, count: 7) else { throw FakeCaixaFailure.format("CODIGO_BENEFICIARIO must be 7 digits") }
        guard Self.isDigits(number, count: 17), number.hasPrefix("14") else {
            throw FakeCaixaFailure.format("BAIXA_BOLETO/NOSSO_NUMERO must be 17 digits starting with 14")
        }
        guard code == beneficiaryCode else { throw FakeCaixaFailure.unauthorized("CODIGO_BENEFICIARIO is not this fake's beneficiary") }
        let expected = Self.hash(code: code, nossoNumero: number, dueDate: nil, cents: nil, document: beneficiaryDocument)
        guard header.autenticacao == expected else { throw FakeCaixaFailure.refused(FakeCaixa.Messages.hashDivergent) }
        guard var title = titles[number] else { throw FakeCaixaFailure.refused(FakeCaixa.Messages.notRegistered) }
        guard !title.canceled else { throw FakeCaixaFailure.refused(FakeCaixa.Messages.notOpen) }
        title.canceled = true
        titles[number] = title
        return FakeResponse(status: 200, text: FakeCaixaAnswers.writtenOff(header))
    }

    // MARK: ALTERA_BOLETO

    /// `altera_boleto_titulo_entrada_Type`: every element optional but `NOSSO_NUMERO`, in `INCLUI_BOLETO`'s order
    /// without `DATA_EMISSAO` and `CODIGO_MOEDA`.
    static let alterOrder = titleOrder.filter { $0 != "DATA_EMISSAO" && $0 != "CODIGO_MOEDA" }

    /// Changes an open title: the hash covers the due date and amount sent (the title's own when absent); a new due
    /// date or amount computes the barcode again; `VALOR_ABATIMENTO`, `POS_VENCIMENTO` and `DESCONTOS` replace the
    /// title's. Answers `ALTERA_BOLETO{CODIGO_BARRAS, LINHA_DIGITAVEL}`.
    private func alter(_ dados: FakeXMLElement, header: FakeCaixaAnswers.Header) throws -> FakeResponse {
        guard dados.children.count == 1, let operation = dados.one("ALTERA_BOLETO") else {
            throw FakeCaixaFailure.format("DADOS must hold ALTERA_BOLETO")
        }
        try Self.checkChildren(operation, path: "ALTERA_BOLETO", order: ["CODIGO_BENEFICIARIO", "TITULO"],
                               required: ["CODIGO_BENEFICIARIO", "TITULO"])
        let code = operation.one("CODIGO_BENEFICIARIO")?.text ?? ""
        guard Self.isDigits(code, count: 7) else { throw FakeCaixaFailure.format("CODIGO_BENEFICIARIO must be 7 digits") }
        guard let titulo = operation.one("TITULO") else { throw FakeCaixaFailure.format("ALTERA_BOLETO lacks TITULO") }
        try Self.checkChildren(titulo, path: "ALTERA_BOLETO/TITULO", order: Self.alterOrder, required: ["NOSSO_NUMERO"])
        let number = titulo.one("NOSSO_NUMERO")?.text ?? ""
        guard Self.isDigits(number, count: 17), number.hasPrefix("14") else {
            throw FakeCaixaFailure.format("ALTERA_BOLETO/TITULO/NOSSO_NUMERO must be 17 digits starting with 14")
        }
        guard code == beneficiaryCode else { throw FakeCaixaFailure.unauthorized("CODIGO_BENEFICIARIO is not this fake's beneficiary") }
        guard var title = titles[number] else { throw FakeCaixaFailure.refused(FakeCaixa.Messages.notRegistered) }
        var due = Self.date(title.dueDate) ?? CalendarDate(year: 2000, month: 1, day: 1)!
        var cents = title.amountCents
        if let text = titulo.one("DATA_VENCIMENTO")?.text {
            guard let date = Self.date(text) else { throw FakeCaixaFailure.format("TITULO/DATA_VENCIMENTO must be YYYY-MM-DD") }
            due = date
        }
        if let text = titulo.one("VALOR")?.text {
            guard let value = Self.cents(text), value > 0 else {
                throw FakeCaixaFailure.format("TITULO/VALOR must be a positive amount with 2 decimals (10.00)")
            }
            cents = value
        }
        let expected = Self.hash(code: code, nossoNumero: number, dueDate: due, cents: cents, document: beneficiaryDocument)
        guard header.autenticacao == expected else { throw FakeCaixaFailure.refused(FakeCaixa.Messages.hashDivergent) }
        guard !title.canceled else { throw FakeCaixaFailure.refused(FakeCaixa.Messages.notOpen) }
        if let afterDue = titulo.one("POS_VENCIMENTO") { try Self.checkAfterDue(afterDue) }
        if let abatement = titulo.one("VALOR_ABATIMENTO")?.text {
            guard Self.isDecimal(abatement), (Self.cents(abatement) ?? 0) < cents else {
                throw FakeCaixaFailure.format("TITULO/VALOR_ABATIMENTO must be a number below VALOR")
            }
        }
        let changed = try Self.readTerms(titulo, dueDate: due, cents: cents)
        if titulo.one("VALOR_ABATIMENTO") != nil { title.terms["VALOR_ABATIMENTO"] = changed["VALOR_ABATIMENTO"] }
        if titulo.one("POS_VENCIMENTO") != nil {
            for key in title.terms.keys where key.hasPrefix("POS_VENCIMENTO/") { title.terms[key] = nil }
            for (key, value) in changed where key.hasPrefix("POS_VENCIMENTO/") { title.terms[key] = value }
        }
        if titulo.one("DESCONTOS") != nil {
            for key in title.terms.keys where key.hasPrefix("DESCONTOS/") { title.terms[key] = nil }
            for (key, value) in changed where key.hasPrefix("DESCONTOS/") { title.terms[key] = value }
        }
        let input = BoletoInput(bank: "104", amountCents: cents, dueDate: due, beneficiaryCode: code, wallet: "14",
                                nossoNumero: String(number.dropFirst(2)))
        guard let boleto = try? Boleto(input) else { throw FakeCaixaFailure.format("BoletoKit makes no barcode for this title") }
        title.dueDate = due.description
        title.amountCents = cents
        title.barcode = boleto.barcode.description
        title.digitableLine = boleto.digitableLine.description
        title.changes += 1
        titles[number] = title
        return FakeResponse(status: 200, text: FakeCaixaAnswers.altered(header, barcode: title.barcode, line: title.digitableLine))
    }

    // MARK: Values

    /// `AUTENTICACAO`, computed here from the request's fields and the fake's beneficiary document: base64 of the
    /// SHA-256 of code(7) + nosso número(17) + ddMMyyyy (zeros without a date) + centavos(15) + document(14).
    static func hash(code: String, nossoNumero: String, dueDate: CalendarDate?, cents: Int64?, document: String) -> String {
        let date = dueDate.map { pad(String($0.day), 2) + pad(String($0.month), 2) + pad(String($0.year), 4) }
            ?? String(repeating: "0", count: 8)
        let text = pad(code, 7) + pad(nossoNumero, 17) + date + pad(String(cents ?? 0), 15) + pad(document, 14)
        return Data(SHA256.hash(data: Data(text.utf8))).base64EncodedString()
    }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static func isDigits(_ text: String, count: Int) -> Bool {
        text.count == count && text.allSatisfy { $0.isASCII && $0.isNumber }
    }

    static func date(_ text: String) -> CalendarDate? {
        CalendarDate(iso: text)
    }

    /// `10.00` → 1000; nil unless digits, a dot and exactly two decimals.
    static func cents(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[0].count <= 13, parts[1].count == 2,
              parts.allSatisfy({ $0.allSatisfy { $0.isASCII && $0.isNumber } }),
              let reais = Int64(parts[0]), let centavos = Int64(parts[1]) else { return nil }
        return reais * 100 + centavos
    }

    /// Digits, optionally a dot and one or two decimals.
    /// A number with a dot and up to `decimals` decimals (2 for amounts; percentages take 4).
    static func isDecimal(_ text: String, decimals: Int = 2) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), !parts[0].isEmpty, parts.count == 1 || (1...decimals).contains(parts[1].count) else {
            return false
        }
        return parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
    }

    /// Whether every character of `text` is one Caixa accepts in free text.
    static func isCaixaText(_ text: String) -> Bool {
        text.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || punctuation.contains($0) }
    }
}
