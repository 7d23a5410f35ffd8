import BoletoKit
import Testing
@testable import Providers

/// Bradesco's answer JSON and its classification: every row of the table in `BradescoAnswer`.
@Suite("Bradesco answers")
struct BradescoAnswerTests {
    static func request() throws -> RegistrationRequest {
        let input = BoletoInput(bank: "237", amountCents: 2000, dueDate: CalendarDate(year: 2027, month: 1, day: 15),
                                agency: "3381", account: "9721", wallet: "26", nossoNumero: "42")
        return RegistrationRequest(requestKey: "bol_test", input: input, boleto: try Boleto(input))
    }

    static func answer(_ code: String, _ message: String = "", line: String? = nil) -> String {
        let quoted = message.replacingOccurrences(of: "\"", with: "\\\"")
        return #"{"cdErro":"\#(code)","msgErro":"\#(quoted)""# + (line.map { #","linhaDigitavel":"\#($0)""# } ?? "") + "}"
    }

    @Test("cdErro 0 with our line: registered, with our barcode and line")
    func registered() throws {
        let request = try Self.request()
        let answer = try #require(BradescoAnswer(json: Self.answer("0", "Solicita&amp;ccedil;&amp;atilde;o atendida",
                                                                   line: request.boleto.digitableLine.formatted)))
        #expect(answer.message == "Solicitação atendida")
        #expect(answer.outcome(for: request) == .registered(barcode: request.boleto.barcode.description,
                                                             digitableLine: request.boleto.digitableLine.formatted,
                                                             nossoNumero: request.boleto.nossoNumero, bankURL: nil))
    }

    @Test("cdErro 0 with another line: misconfigured, never registered under a line we would not print")
    func otherLine() throws {
        let request = try Self.request()
        let answer = try #require(BradescoAnswer(json: Self.answer("0", line: "23792.65602 90000.001231 45005.393702 6 74230000000200")))
        guard case .misconfigured = answer.outcome(for: request) else {
            Issue.record("expected misconfigured, got \(answer.outcome(for: request))")
            return
        }
    }

    @Test("cdErro 69 (TITULO JA CADASTRADO): already registered, to reconcile")
    func alreadyRegistered() throws {
        let answer = try #require(BradescoAnswer(json: Self.answer("69", "TITULO JA CADASTRADO")))
        #expect(answer.outcome(for: try Self.request()) == .alreadyRegistered(code: "69", message: "TITULO JA CADASTRADO"))
    }

    @Test("the documented temporary failures are transient", arguments: [
        ("800", "Erro Certificado"), ("810", "Formatacao dos campos da mensagem invalida [0x1]"),
        ("-99", "Servi&amp;ccedil;o indispon&amp;iacute;vel"), ("1290030", "Fim anormal do programa"),
        ("9100", "SERVICO TEMPORARIAMENTE NAO DISPONIVEL - 9100 (2)"),
    ])
    func transient(_ code: String, _ message: String) throws {
        let answer = try #require(BradescoAnswer(json: Self.answer(code, message)))
        guard case .transient(let reason) = answer.outcome(for: try Self.request()) else {
            Issue.record("expected transient for \(code)")
            return
        }
        #expect(reason.contains(code))
    }

    @Test("any other code is a refusal with the decoded message")
    func refused() throws {
        let answer = try #require(BradescoAnswer(json: Self.answer("40", "N&amp;uacute;mero CGC/CPF inv&amp;aacute;lido")))
        #expect(answer.outcome(for: try Self.request()) == .refused(code: "40", message: "Número CGC/CPF inválido"))
    }

    @Test("not the bank's JSON: no answer (an HTML page, an empty body, a number where a string belongs)", arguments: [
        "<html>Service Unavailable</html>", "", #"{"cdErro":0,"msgErro":"x"}"#, #"{"msgErro":"x"}"#,
    ])
    func notAnAnswer(_ body: String) {
        #expect(BradescoAnswer(json: body) == nil)
    }

    @Test("HTML references: named Latin-1, decimal and hexadecimal; unknown ones kept")
    func entities() {
        #expect(HTMLEntities.decode("S&atilde;o Jos&eacute; &amp; Cia &#231;&#xE7; &bogus; & fim") == "São José & Cia çç &bogus; & fim")
    }
}
