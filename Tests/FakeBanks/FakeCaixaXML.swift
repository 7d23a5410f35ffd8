#if canImport(FoundationXML)
import FoundationXML
#endif
import Foundation

/// An element of a request the fake Caixa received, read with Foundation's XML parser (never with the adapter's
/// code): its local name, its namespace URI (nil when unqualified), its text and its child elements.
struct FakeXMLElement: Sendable {
    let name: String
    let namespace: String?
    let text: String
    let children: [FakeXMLElement]

    /// The root element of `bytes`; nil when they are not well-formed XML.
    static func parse(_ bytes: [UInt8]) -> FakeXMLElement? {
        guard !bytes.isEmpty, let document = try? XMLDocument(data: Data(bytes), options: []),
              let root = document.rootElement() else { return nil }
        return FakeXMLElement(root)
    }

    private init(_ element: XMLElement) {
        let qualified = element.name ?? ""
        name = qualified.split(separator: ":").last.map(String.init) ?? qualified
        namespace = element.uri.flatMap { $0.isEmpty ? nil : $0 }
        text = element.stringValue ?? ""
        var children: [FakeXMLElement] = []
        for node in element.children ?? [] where node.kind == .element {
            if let child = node as? XMLElement { children.append(FakeXMLElement(child)) }
        }
        self.children = children
    }

    /// The children called `name` in `namespace` (nil: unqualified).
    func all(_ name: String, in namespace: String? = nil) -> [FakeXMLElement] {
        children.filter { $0.name == name && $0.namespace == namespace }
    }

    /// The one child called `name` in `namespace`; nil when there is none or several.
    func one(_ name: String, in namespace: String? = nil) -> FakeXMLElement? {
        let found = all(name, in: namespace)
        return found.count == 1 ? found[0] : nil
    }
}

/// The bodies the fake Caixa answers with, in the shape of the SIBAR bus's answers (`manutencaocobrancabancaria:
/// SERVICO_SAIDA`, as boleto-api's recorded mock and the bank's clients show it).
enum FakeCaixaAnswers {
    static let soap = "http://schemas.xmlsoap.org/soap/envelope/"
    static let service = "http://caixa.gov.br/sibar/manutencao_cobranca_bancaria/boleto/externo"
    static let sibar = "http://caixa.gov.br/sibar"

    /// The request header fields echoed in an answer.
    struct Header: Sendable {
        var versao = "1.0"
        var autenticacao = ""
        var usuarioServico = ""
        var operacao = "SEM_OPERACAO"
        var unidade = ""
        var dataHora = ""
    }

    /// `text` with the XML specials escaped.
    static func escape(_ text: String) -> String {
        var out = ""
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            default: out.append(character)
            }
        }
        return out
    }

    /// `<name>text</name>`, escaped.
    static func element(_ name: String, _ text: String) -> String {
        text.isEmpty ? "<\(name)/>" : "<\(name)>\(escape(text))</\(name)>"
    }

    /// A whole answer: the echoed header, the bus's code, origin and message, then `dados` (already XML).
    static func answer(_ header: Header, busCode: String, origin: String, busMessage: String, dados: String) -> String {
        """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="\(soap)">
           <soapenv:Body>
              <manutencaocobrancabancaria:SERVICO_SAIDA xmlns:manutencaocobrancabancaria="\(service)" xmlns:sibar_base="\(sibar)">
                 <sibar_base:HEADER>
                    \(element("VERSAO", header.versao))
                    \(element("AUTENTICACAO", header.autenticacao))
                    \(element("USUARIO_SERVICO", header.usuarioServico))
                    \(element("OPERACAO", header.operacao))
                    <SISTEMA_ORIGEM>SIGCB</SISTEMA_ORIGEM>
                    \(element("UNIDADE", header.unidade))
                    \(element("DATA_HORA", header.dataHora))
                 </sibar_base:HEADER>
                 \(element("COD_RETORNO", busCode))
                 \(element("ORIGEM_RETORNO", origin))
                 \(element("MSG_RETORNO", busMessage))
                 <DADOS>\(dados)</DADOS>
              </manutencaocobrancabancaria:SERVICO_SAIDA>
           </soapenv:Body>
        </soapenv:Envelope>
        """
    }

    /// `CONTROLE_NEGOCIAL` with SIGCB's `code` and `message`.
    static func control(code: String, message: String) -> String {
        "<CONTROLE_NEGOCIAL><ORIGEM_RETORNO>SIGCB</ORIGEM_RETORNO>\(element("COD_RETORNO", code))"
            + "<MENSAGENS>\(element("RETORNO", message))</MENSAGENS></CONTROLE_NEGOCIAL>"
    }

    /// SIGCB's refusal (inner code 1) with `message`, such as "(54) OPERACAO NAO PERMITIDA - HASH DIVERGENTE".
    static func refusal(_ header: Header, _ message: String) -> String {
        answer(header, busCode: "00", origin: "MANUTENCAO_COBRANCA_BANCARIA", busMessage: "",
               dados: control(code: "1", message: message))
    }

    /// A successful `INCLUI_BOLETO`.
    static func included(_ header: Header, barcode: String, line: String, nossoNumero: String, url: String) -> String {
        answer(header, busCode: "00", origin: "MANUTENCAO_COBRANCA_BANCARIA", busMessage: "",
               dados: control(code: "0", message: "(0) OPERACAO EFETUADA")
                   + "<INCLUI_BOLETO>\(element("CODIGO_BARRAS", barcode))\(element("LINHA_DIGITAVEL", line))"
                   + "\(element("NOSSO_NUMERO", nossoNumero))\(element("URL", url))</INCLUI_BOLETO>")
    }

    /// A successful `ALTERA_BOLETO`: the title's barcode and line as they now are.
    static func altered(_ header: Header, barcode: String, line: String) -> String {
        answer(header, busCode: "00", origin: "MANUTENCAO_COBRANCA_BANCARIA", busMessage: "",
               dados: control(code: "0", message: "(0) OPERACAO EFETUADA")
                   + "<ALTERA_BOLETO>\(element("CODIGO_BARRAS", barcode))\(element("LINHA_DIGITAVEL", line))</ALTERA_BOLETO>")
    }

    /// A successful `BAIXA_BOLETO`.
    static func writtenOff(_ header: Header) -> String {
        answer(header, busCode: "00", origin: "MANUTENCAO_COBRANCA_BANCARIA", busMessage: "",
               dados: control(code: "0", message: "(0) OPERACAO EFETUADA"))
    }

    /// The bus's own failure: an outer code other than `00`, with `exception` in `DADOS/EXCECAO` when given.
    static func busFailure(_ header: Header, code: String, message: String, exception: String? = nil) -> String {
        answer(header, busCode: code, origin: "BROKER-FAKE", busMessage: message,
               dados: exception.map { element("EXCECAO", $0) } ?? "")
    }

    /// A SOAP 1.1 Fault, as the bus's broker answers with HTTP 500.
    static let fault = """
        <?xml version="1.0" encoding="UTF-8"?>
        <soapenv:Envelope xmlns:soapenv="\(soap)"><soapenv:Body><soapenv:Fault>\
        <faultcode>soapenv:Server</faultcode><faultstring>BIP3113E: Exception detected in message flow (fake Caixa)</faultstring>\
        </soapenv:Fault></soapenv:Body></soapenv:Envelope>
        """
}
