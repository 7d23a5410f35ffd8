import BoletoKit
import Foundation
import Testing
@testable import Providers

/// Caixa's answers and their classification: every row of the tables in `CaixaAnswer`, on bodies shaped like the
/// answer boleto-api recorded from the bank.
@Suite("Caixa SIGCB answers")
struct CaixaAnswerTests {
    static let service = "http://caixa.gov.br/sibar/manutencao_cobranca_bancaria/boleto/externo"
    static let fixtureBarcode = "10493726700000010002006561000100040992226984"
    static let fixtureLine = "10492006506100010004209922269841372670000001000"

    /// The request boleto-api's recorded answer is for.
    static func fixtureRequest() throws -> RegistrationRequest {
        try CaixaFixtures.request(nossoNumero: "000000099222698", amountCents: 1000,
                                  dueDate: CalendarDate(year: 2017, month: 8, day: 30)!,
                                  issueDate: CalendarDate(year: 2017, month: 7, day: 18)!)
    }

    /// An answer with the bus's `busCode`/`busMessage`, SIGCB's `code`/`message` (no `CONTROLE_NEGOCIAL` when nil) and
    /// `INCLUI_BOLETO` when `barcode` is given; `SERVICO_SAIDA` is declared with `prefix` in `namespace`.
    static func body(busCode: String = "00", busMessage: String = "", code: String? = "0",
                     message: String = "(0) OPERACAO EFETUADA", barcode: String? = CaixaAnswerTests.fixtureBarcode,
                     line: String = CaixaAnswerTests.fixtureLine, nossoNumero: String = "14000000099222698",
                     prefix: String = "manutencaocobrancabancaria", namespace: String = CaixaAnswerTests.service) -> [UInt8] {
        let control = code.map {
            "<CONTROLE_NEGOCIAL><ORIGEM_RETORNO>SIGCB</ORIGEM_RETORNO><COD_RETORNO>\($0)</COD_RETORNO>"
                + "<MENSAGENS><RETORNO>\(message)</RETORNO></MENSAGENS></CONTROLE_NEGOCIAL>"
        } ?? ""
        let boleto = barcode.map {
            "<INCLUI_BOLETO><CODIGO_BARRAS>\($0)</CODIGO_BARRAS><LINHA_DIGITAVEL>\(line)</LINHA_DIGITAVEL>"
                + "<NOSSO_NUMERO>\(nossoNumero)</NOSSO_NUMERO>"
                + "<URL>https://200.201.168.67:8010/ecobranca/SIGCB/imprimir/0200656/\(nossoNumero)</URL></INCLUI_BOLETO>"
        } ?? ""
        let text = """
            <?xml version="1.0" encoding="UTF-8"?>
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/">
               <soapenv:Body>
                  <\(prefix):SERVICO_SAIDA xmlns:\(prefix)="\(namespace)" xmlns:sibar_base="http://caixa.gov.br/sibar">
                     <sibar_base:HEADER><VERSAO>1.0</VERSAO><OPERACAO>INCLUI_BOLETO</OPERACAO><DATA_HORA>20170718150257</DATA_HORA></sibar_base:HEADER>
                     <COD_RETORNO>\(busCode)</COD_RETORNO>
                     <ORIGEM_RETORNO>MANUTENCAO_COBRANCA_BANCARIA</ORIGEM_RETORNO>
                     <MSG_RETORNO>\(busMessage)</MSG_RETORNO>
                     <DADOS>\(control)\(boleto)</DADOS>
                  </\(prefix):SERVICO_SAIDA>
               </soapenv:Body>
            </soapenv:Envelope>
            """
        return Array(text.utf8)
    }

    static func outcome(_ body: [UInt8]) throws -> RegistrationOutcome {
        let answer = try #require(CaixaAnswer(xml: body))
        return answer.outcome(for: try fixtureRequest())
    }

    @Test("success: the bank's barcode, formatted line, 17-digit nosso número and URL")
    func registered() throws {
        let request = try Self.fixtureRequest()
        let answer = try #require(CaixaAnswer(xml: Self.body()))
        #expect(answer.busCode == "00")
        #expect(answer.code == "0")
        #expect(answer.outcome(for: request) == .registered(
            barcode: Self.fixtureBarcode, digitableLine: request.boleto.digitableLine.formatted,
            nossoNumero: "14000000099222698",
            bankURL: "https://200.201.168.67:8010/ecobranca/SIGCB/imprimir/0200656/14000000099222698"))
    }

    @Test("the answer is found by namespace, whatever its prefix; not in another namespace")
    func namespaces() throws {
        #expect(CaixaAnswer(xml: Self.body(prefix: "x")) != nil)
        #expect(CaixaAnswer(xml: Self.body(namespace: "http://caixa.gov.br/sibar/manutencao_cobranca_bancaria/boleto")) != nil)
        #expect(CaixaAnswer(xml: Self.body(namespace: "http://example.com/other")) == nil)
        #expect(CaixaAnswer(xml: Array("<html>Bad Gateway</html>".utf8)) == nil)
        #expect(CaixaAnswer(xml: []) == nil)
    }

    @Test("success with a valid barcode other than ours: misconfigured")
    func otherBarcode() throws {
        // The same title for beneficiary 200657: a valid barcode, not the one we computed.
        let other = try CaixaFixtures.request(nossoNumero: "000000099222698", amountCents: 1000,
                                              dueDate: CalendarDate(year: 2017, month: 8, day: 30)!, beneficiaryCode: "200657")
        let body = Self.body(barcode: other.boleto.barcode.description, line: other.boleto.digitableLine.description)
        guard case .misconfigured = try Self.outcome(body) else {
            Issue.record("expected misconfigured")
            return
        }
    }

    static let badCheckDigitBarcode: String = String(fixtureBarcode.prefix(4)) + "4" + String(fixtureBarcode.dropFirst(5))
    static let otherLine: String = String(fixtureLine.prefix(46)) + "1"
    static let malformedSuccesses: [(String, String)] = [
        (badCheckDigitBarcode, fixtureLine), (fixtureBarcode, otherLine), (fixtureBarcode, "123"),
    ]

    @Test("success with a barcode whose check digit fails, or a line of another barcode: transient",
          arguments: CaixaAnswerTests.malformedSuccesses)
    func malformedSuccess(_ barcode: String, _ line: String) throws {
        guard case .transient = try Self.outcome(Self.body(barcode: barcode, line: line)) else {
            Issue.record("expected transient")
            return
        }
    }

    @Test("success without INCLUI_BOLETO: transient")
    func successWithoutTitle() throws {
        guard case .transient = try Self.outcome(Self.body(barcode: nil)) else {
            Issue.record("expected transient")
            return
        }
    }

    @Test("(54) HASH DIVERGENTE: misconfigured")
    func hashDivergent() throws {
        let outcome = try Self.outcome(Self.body(code: "1", message: "(54) OPERACAO NAO PERMITIDA - HASH DIVERGENTE", barcode: nil))
        guard case .misconfigured(let reason) = outcome else {
            Issue.record("expected misconfigured, got \(outcome)")
            return
        }
        #expect(reason.contains("54"))
    }

    @Test("the duplicate answer, by code or by text: already registered", arguments: [
        ("(38) NOSSO NUMERO JA CADASTRADO PARA O BENEFICIARIO", "38"),
        ("  (38)   Nosso número já cadastrado para o beneficiário ", "38"),
        ("NOSSO NUMERO JA CADASTRADO", "1"),
    ])
    func duplicate(_ message: String, _ code: String) throws {
        let outcome = try Self.outcome(Self.body(code: "1", message: message, barcode: nil))
        #expect(outcome == .alreadyRegistered(code: code, message: message.trimmingCharacters(in: .whitespacesAndNewlines)))
    }

    @Test("any other SIGCB refusal: refused with the (NN) code and the message")
    func refused() throws {
        #expect(try Self.outcome(Self.body(code: "1", message: "(66) CARACTER INVALIDO", barcode: nil))
            == .refused(code: "66", message: "(66) CARACTER INVALIDO"))
        #expect(try Self.outcome(Self.body(code: "1", message: "DATA DE VENCIMENTO INVALIDA", barcode: nil))
            == .refused(code: "1", message: "DATA DE VENCIMENTO INVALIDA"))
    }

    @Test("SIGCB's internal error, or no CONTROLE_NEGOCIAL: transient")
    func internalError() throws {
        for body in [Self.body(code: "2", message: "(2) ERRO INTERNO", barcode: nil), Self.body(code: nil, barcode: nil)] {
            guard case .transient = try Self.outcome(body) else {
                Issue.record("expected transient")
                return
            }
        }
    }

    @Test("the bus's own failures: transient with the code only; NAO AUTORIZADO: misconfigured")
    func busFailures() throws {
        let format = try Self.outcome(Self.body(busCode: "X5", busMessage: "(BK76) ERRO NA FORMATACAO DA MENSAGEM.", code: nil, barcode: nil))
        guard case .transient(let reason) = format else {
            Issue.record("expected transient, got \(format)")
            return
        }
        #expect(reason.contains("X5"))
        #expect(!reason.contains("FORMATACAO"))
        let unauthorized = try Self.outcome(Self.body(busCode: "X5", busMessage: "(X5) USUARIO NAO AUTORIZADO A EXECUTAR A TRANSACAO",
                                                      code: nil, barcode: nil))
        guard case .misconfigured = unauthorized else {
            Issue.record("expected misconfigured, got \(unauthorized)")
            return
        }
    }

    @Test("transport: 2xx garbage, 5xx, 408 and 429 transient; other 4xx and TLS misconfigured; no answer transient")
    func transport() throws {
        let request = try Self.fixtureRequest()
        func classify(_ reply: BankReply) -> RegistrationOutcome { CaixaAnswer.registration(reply, for: request) }
        let fault = Array("""
            <soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/"><soapenv:Body><soapenv:Fault>\
            <faultcode>soapenv:Server</faultcode><faultstring>x</faultstring></soapenv:Fault></soapenv:Body></soapenv:Envelope>
            """.utf8)
        guard case .transient(let faultReason) = classify(.answered(status: 500, body: fault)) else {
            Issue.record("expected transient for a SOAP Fault")
            return
        }
        #expect(faultReason.contains("SOAP Fault"))
        for reply in [BankReply.answered(status: 200, body: Array("<html/>".utf8)), .answered(status: 502, body: []),
                      .answered(status: 503, body: []), .answered(status: 504, body: []), .answered(status: 408, body: []),
                      .answered(status: 429, body: []), .noAnswer(reason: "The bank did not answer within 1 s.")] {
            guard case .transient = classify(reply) else {
                Issue.record("expected transient for \(reply)")
                continue
            }
        }
        for reply in [BankReply.answered(status: 404, body: []), .answered(status: 401, body: []),
                      .answered(status: 301, body: []), .untrusted(reason: "TLS with the bank failed.")] {
            guard case .misconfigured = classify(reply) else {
                Issue.record("expected misconfigured for \(reply)")
                continue
            }
        }
        #expect(classify(.answered(status: 200, body: Self.body())) == CaixaAnswer(xml: Self.body())?.outcome(for: request))
    }

    @Test("BAIXA_BOLETO: success canceled, SIGCB's refusal refused, anything else transient")
    func cancellation() {
        #expect(CaixaAnswer.cancellation(.answered(status: 200, body: Self.body(barcode: nil))) == .canceled)
        #expect(CaixaAnswer.cancellation(.answered(status: 200, body: Self.body(
            code: "1", message: "(47) NOSSO NUMERO NAO CADASTRADO PARA O BENEFICIARIO", barcode: nil)))
            == .refused(code: "47", message: "(47) NOSSO NUMERO NAO CADASTRADO PARA O BENEFICIARIO"))
        for reply in [BankReply.answered(status: 500, body: []), .answered(status: 404, body: []), .noAnswer(reason: "timeout"),
                      .answered(status: 200, body: Self.body(busCode: "X5", code: nil, barcode: nil))] {
            guard case .transient = CaixaAnswer.cancellation(reply) else {
                Issue.record("expected transient for \(reply)")
                continue
            }
        }
    }
}
