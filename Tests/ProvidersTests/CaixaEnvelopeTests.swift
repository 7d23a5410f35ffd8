import BoletoKit
import Foundation
import Testing
@testable import Providers

/// What the Caixa adapter writes: the SOAP envelope's namespaces, structure and values, read back with
/// namespace-aware XPath, and the field rules checked before sending.
@Suite("Caixa SIGCB envelope and fields")
struct CaixaEnvelopeTests {
    typealias F = CaixaFixtures

    static let namespaces = [
        "soapenv": "http://schemas.xmlsoap.org/soap/envelope/",
        "ext": "http://caixa.gov.br/sibar/manutencao_cobranca_bancaria/boleto/externo",
        "sib": "http://caixa.gov.br/sibar",
    ]
    static let header = "/soapenv:Envelope/soapenv:Body/ext:SERVICO_ENTRADA/sib:HEADER"
    static let titulo = "/soapenv:Envelope/soapenv:Body/ext:SERVICO_ENTRADA/DADOS/INCLUI_BOLETO/TITULO"
    /// 2027-01-15T08:00:00Z, 05:00 in São Paulo.
    static let now = Date(timeIntervalSince1970: 1_800_000_000)
    static let settings = CaixaEnvelope.Settings(versao: "1.0", usuarioServico: "SGCBS02P", sistemaOrigem: "SIGCB")

    static func envelope(_ request: RegistrationRequest) throws -> XMLTree {
        let title = try #require(CaixaFields.title(for: request, issueDate: request.issueDate ?? F.issueDate))
        return try XMLTree.parse(CaixaEnvelope.incluiBoleto(title, settings: settings, now: now))
    }

    @Test("INCLUI_BOLETO: the header in the sibar namespace, its fields unqualified, the hash of the title")
    func header() throws {
        let tree = try Self.envelope(try CaixaFixtures.request())
        let ns = Self.namespaces
        #expect(tree.count("/soapenv:Envelope/soapenv:Body/ext:SERVICO_ENTRADA/sib:HEADER", namespaces: ns) == 1)
        #expect(tree.count(Self.header + "/sib:VERSAO", namespaces: ns) == 0)
        #expect(tree.text(Self.header + "/VERSAO", namespaces: ns) == "1.0")
        // base64(SHA-256("0200656" + "14000000000000123" + "15012027" + "000000000002000" + "00732159000109")).
        #expect(tree.text(Self.header + "/AUTENTICACAO", namespaces: ns) == "cQV21ojrsoYCp6pIT4F6o5zAWkwgsme+8NWIm02v+/c=")
        #expect(tree.text(Self.header + "/USUARIO_SERVICO", namespaces: ns) == "SGCBS02P")
        #expect(tree.text(Self.header + "/OPERACAO", namespaces: ns) == "INCLUI_BOLETO")
        #expect(tree.text(Self.header + "/SISTEMA_ORIGEM", namespaces: ns) == "SIGCB")
        #expect(tree.text(Self.header + "/UNIDADE", namespaces: ns) == "1679")
        #expect(tree.text(Self.header + "/DATA_HORA", namespaces: ns) == "20270115050000")
        #expect(tree.count(Self.header + "/*", namespaces: ns) == 7)
        // Nothing is in the wrong namespace: the envelope is not the service's and the service's element is not SOAP's.
        #expect(tree.count("/soapenv:Envelope/soapenv:Body/soapenv:SERVICO_ENTRADA", namespaces: ns) == 0)
        #expect(tree.count("/soapenv:Envelope/soapenv:Body/ext:SERVICO_ENTRADA/ext:DADOS", namespaces: ns) == 0)
    }

    @Test("INCLUI_BOLETO: the title's fields, free text cleaned, the address and the instructions")
    func title() throws {
        let tree = try Self.envelope(try CaixaFixtures.request())
        let ns = Self.namespaces
        func text(_ path: String) -> String? { tree.text(Self.titulo + path, namespaces: ns) }
        #expect(tree.text("/soapenv:Envelope/soapenv:Body/ext:SERVICO_ENTRADA/DADOS/INCLUI_BOLETO/CODIGO_BENEFICIARIO",
                          namespaces: ns) == "0200656")
        #expect(text("/NOSSO_NUMERO") == "14000000000000123")
        #expect(text("/NUMERO_DOCUMENTO") == "00000000123")
        #expect(text("/DATA_VENCIMENTO") == "2027-01-15")
        #expect(text("/VALOR") == "20.00")
        #expect(text("/TIPO_ESPECIE") == "99")
        #expect(text("/FLAG_ACEITE") == "S")
        #expect(text("/DATA_EMISSAO") == "2026-12-01")
        #expect(text("/JUROS_MORA/TIPO") == "ISENTO")
        #expect(text("/POS_VENCIMENTO/ACAO") == "DEVOLVER")
        #expect(text("/CODIGO_MOEDA") == "9")
        #expect(text("/PAGADOR/CPF") == F.payerCPF)
        #expect(text("/PAGADOR/NOME") == "Jose da Conceicao")
        #expect(tree.count(Self.titulo + "/PAGADOR/CNPJ", namespaces: ns) == 0)
        #expect(text("/PAGADOR/ENDERECO/LOGRADOURO") == "Rua da Assuncao de Sa 123 Secao A, s 02")
        #expect(text("/PAGADOR/ENDERECO/BAIRRO") == "Acai")
        #expect(text("/PAGADOR/ENDERECO/CIDADE") == "Belem do Para")
        #expect(text("/PAGADOR/ENDERECO/UF") == "PA")
        #expect(text("/PAGADOR/ENDERECO/CEP") == "66010000")
        let lines = ["Nao receber apos o vencimento.", "Multa de 2 apos o vencimento"]
        #expect(tree.texts(Self.titulo + "/FICHA_COMPENSACAO/MENSAGENS/MENSAGEM", namespaces: ns) == lines)
        #expect(tree.texts(Self.titulo + "/RECIBO_PAGADOR/MENSAGENS/MENSAGEM", namespaces: ns) == lines)
    }

    @Test("INCLUI_BOLETO: a company payer is CNPJ + RAZAO_SOCIAL; XML specials never reach the bank")
    func companyAndSpecials() throws {
        let tree = try Self.envelope(try CaixaFixtures.request(payerName: "Ana & <Cia>", payerDocument: F.otherCompany, instructions: nil))
        let ns = Self.namespaces
        #expect(tree.text(Self.titulo + "/PAGADOR/CNPJ", namespaces: ns) == F.otherCompany)
        #expect(tree.text(Self.titulo + "/PAGADOR/RAZAO_SOCIAL", namespaces: ns) == "Ana Cia", "specials become spaces between words, and runs of spaces one")
        #expect(tree.count(Self.titulo + "/PAGADOR/CPF", namespaces: ns) == 0)
        #expect(tree.count(Self.titulo + "/PAGADOR/NOME", namespaces: ns) == 0)
        #expect(tree.count(Self.titulo + "/FICHA_COMPENSACAO", namespaces: ns) == 0)
        #expect(tree.count(Self.titulo + "/RECIBO_PAGADOR", namespaces: ns) == 0)
    }

    @Test("BAIXA_BOLETO: the title's key, and the hash with zeros for date and value")
    func writeOff() throws {
        let request = try CaixaFixtures.request()
        let key = try #require(CaixaFields.key(for: request))
        let tree = try XMLTree.parse(CaixaEnvelope.baixaBoleto(key, beneficiaryDocument: F.companyDocument,
                                                               settings: Self.settings, now: Self.now))
        let ns = Self.namespaces
        #expect(tree.text(Self.header + "/OPERACAO", namespaces: ns) == "BAIXA_BOLETO")
        // base64(SHA-256("0200656" + "14000000000000123" + 8 zeros + 15 zeros + "00732159000109")).
        #expect(tree.text(Self.header + "/AUTENTICACAO", namespaces: ns) == "90Tx9MFeoiGrZJVu3PqwTtpcZHZG1wRpmPUih5NV+NA=")
        let operation = "/soapenv:Envelope/soapenv:Body/ext:SERVICO_ENTRADA/DADOS/BAIXA_BOLETO"
        #expect(tree.text(operation + "/CODIGO_BENEFICIARIO", namespaces: ns) == "0200656")
        #expect(tree.text(operation + "/NOSSO_NUMERO", namespaces: ns) == "14000000000000123")
        #expect(tree.count(operation + "/*", namespaces: ns) == 2)
    }

    @Test("values: VALOR with two decimals, the nosso número as 17 digits from 15 or 17, the code padded to 7")
    func values() throws {
        #expect(CaixaEnvelope.amount(1000) == "10.00")
        #expect(CaixaEnvelope.amount(5) == "0.05")
        #expect(CaixaEnvelope.amount(123_456) == "1234.56")
        let seventeen = try CaixaFixtures.request(nossoNumero: "14000000000000123").input
        let short = try CaixaFixtures.request(nossoNumero: "123").input
        let sevenDigits = try CaixaFixtures.request(beneficiaryCode: "1234567").input
        #expect(CaixaFields.nossoNumero(seventeen) == "14000000000000123")
        #expect(CaixaFields.nossoNumero(short) == "14000000000000123")
        #expect(CaixaFields.beneficiaryCode(short) == "0200656")
        #expect(CaixaFields.beneficiaryCode(sevenDigits) == "1234567")
    }

    // MARK: Field rules

    @Test("a complete request has no problem")
    func noProblems() throws {
        let request = try CaixaFixtures.request()
        #expect(CaixaFields.problems(in: request) == [])
    }

    @Test("each rule names its field and never the value", arguments: [
        (RequestField.payerName, try CaixaFixtures.request(payerName: String(repeating: "A", count: 41))),
        (RequestField.payerName, try CaixaFixtures.request(payerName: "🙂🙂")),
        (.payerDocument, try CaixaFixtures.request(payerDocument: nil)),
        (.payerAddress, try CaixaFixtures.request(address: nil)),
        (.payerAddressPart(.street), try CaixaFixtures.request(address: PostalAddress(
            zipcode: "66010000", street: "Avenida Governador José Malcher", streetNumber: "1234",
            complementary: "Apto 1201", neighborhood: "Nazaré", city: "Belém", state: "PA"))),
        (.payerAddressPart(.neighborhood), try CaixaFixtures.request(address: PostalAddress(
            zipcode: "66010000", street: "Rua A", streetNumber: "1", complementary: nil,
            neighborhood: "Jardim das Flores", city: "Belém", state: "PA"))),
        (.payerAddressPart(.city), try CaixaFixtures.request(address: PostalAddress(
            zipcode: "66010000", street: "Rua A", streetNumber: "1", complementary: nil,
            neighborhood: "Centro", city: "São José dos Campos", state: "SP"))),
        (.payerAddressPart(.state), try CaixaFixtures.request(address: PostalAddress(
            zipcode: "66010000", street: "Rua A", streetNumber: "1", complementary: nil,
            neighborhood: "Centro", city: "Belém", state: "XX"))),
        (.payerAddressPart(.zipcode), try CaixaFixtures.request(address: PostalAddress(
            zipcode: "6601-000", street: "Rua A", streetNumber: "1", complementary: nil,
            neighborhood: "Centro", city: "Belém", state: "PA"))),
        (.instructions, try CaixaFixtures.request(instructions: "Primeira linha\nSegunda linha\nTerceira linha")),
        (.wallet, try CaixaFixtures.request(wallet: "24")),
        (.agency, try CaixaFixtures.request(agency: "12345")),
    ])
    func problem(_ field: RequestField, _ request: RegistrationRequest) {
        let problems = CaixaFields.problems(in: request)
        #expect(problems.map(\.field) == [field])
        for problem in problems {
            #expect(!problem.message.contains("AAAA"))
            #expect(!problem.message.contains("Malcher"))
            #expect(!problem.message.contains("Flores"))
        }
    }

    @Test("instructions: wrapped at spaces and line breaks into lines of 40; a long word is split")
    func messages() {
        let forty = String(repeating: "x", count: 40)
        #expect(CaixaFields.messages(nil) == [])
        #expect(CaixaFields.messages("  ") == [])
        #expect(CaixaFields.messages(forty + " y") == [forty, "y"])
        #expect(CaixaFields.messages(forty + "zz") == [forty, "zz"])
        #expect(CaixaFields.messages("Pagar até 10/01\r\nNão receber em cheque") == ["Pagar ate 10/01", "Nao receber em cheque"])
        #expect(CaixaFields.messages("Campo de instrucoes - max 40 caracteres ok") == ["Campo de instrucoes - max 40 caracteres", "ok"])
    }

    @Test("no beneficiary document, or an alphanumeric one, cannot be hashed")
    func beneficiaryDocument() throws {
        let request = try CaixaFixtures.request()
        let without = try CaixaFixtures.request(beneficiaryDocument: nil)
        #expect(CaixaFields.beneficiaryDocument(request) == F.companyDocument)
        #expect(CaixaFields.beneficiaryDocument(without) == nil)
    }
}
