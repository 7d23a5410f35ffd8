import BoletoKit
import Foundation

/// What Caixa's SIBAR bus answers to `INCLUI_BOLETO` and `BAIXA_BOLETO`, and what it means to us.
///
/// The answer is `soapenv:Envelope/soapenv:Body/SERVICO_SAIDA`, with `SERVICO_SAIDA` in the service's namespace
/// (`http://caixa.gov.br/sibar/manutencao_cobranca_bancaria/boleto/externo`, which the bank declares as
/// `manutencaocobrancabancaria`; the same URI without `/externo` is accepted too, as some clients' copies of the
/// schema name it). Elements are matched by namespace, never by prefix; everything under `SERVICO_SAIDA` is
/// unqualified:
///
/// ```
/// SERVICO_SAIDA { sibar_base:HEADER, COD_RETORNO, ORIGEM_RETORNO, MSG_RETORNO,
///                 DADOS { CONTROLE_NEGOCIAL { ORIGEM_RETORNO, COD_RETORNO, MENSAGENS { RETORNO } },
///                         INCLUI_BOLETO { CODIGO_BARRAS, LINHA_DIGITAVEL, NOSSO_NUMERO, URL } } }
/// ```
///
/// The outer `COD_RETORNO` is the bus's; the inner one (`CONTROLE_NEGOCIAL`) is SIGCB's, with the message
/// `RETORNO` whose leading `(NN)` is SIGCB's code.
///
/// **`INCLUI_BOLETO`:**
///
/// | answer | outcome |
/// |---|---|
/// | outer `00`, inner `0`, a valid barcode equal to ours and its line | ``RegistrationOutcome/registered(barcode:digitableLine:nossoNumero:bankURL:)`` with the bank's `CODIGO_BARRAS`, `LINHA_DIGITAVEL`, `NOSSO_NUMERO` (17 digits) and `URL` |
/// | outer `00`, inner `0`, a valid barcode other than ours | ``RegistrationOutcome/misconfigured(reason:)``: the beneficiary code or account data we hold differ from the bank's |
/// | outer `00`, inner `0`, a barcode that is not a valid boleto barcode, a line that is not its line, or no `INCLUI_BOLETO` | transient: a malformed answer; a retry reconciles through the duplicate answer |
/// | inner `1`, `(54) OPERACAO NAO PERMITIDA - HASH DIVERGENTE` | misconfigured: the configured beneficiary document (or code) is not the bank's |
/// | inner `1`, `(38) NOSSO NUMERO JA CADASTRADO PARA O BENEFICIARIO` | ``RegistrationOutcome/alreadyRegistered(code:message:)``, reconciled |
/// | inner `1`, anything else (`(66) CARACTER INVALIDO`, …) | ``RegistrationOutcome/refused(code:message:)`` with the `(NN)` code (the inner code when there is none) and `RETORNO` |
/// | inner `2` (SIGCB's internal error) or any other inner code | transient |
/// | outer code other than `00`, `MSG_RETORNO` saying `NAO AUTORIZADO` (`(X5) USUARIO NAO AUTORIZADO A EXECUTAR A TRANSACAO`) | misconfigured: the bus user or the beneficiary is not enabled for the service |
/// | any other outer code (`X5` "TRANSACAO TEMPORARIAMENTE INDISPONIVEL", `(BK76)` format errors, …) | transient, with the code only |
///
/// The duplicate answer's text is the one two independent public SIGCB clients match on (code 38); it is matched
/// by its code, or by `NOSSO NUMERO JA CADASTRADO` in the text (case, accents and spacing ignored).
///
/// **`BAIXA_BOLETO`:** outer `00` and inner `0` → ``CancellationOutcome/canceled``; inner `1` with code 48 or
/// `TITULO NAO ESTA EM ABERTO` / `JA BAIXADO` in the text (case, accents and spacing ignored) →
/// ``CancellationOutcome/alreadyCanceled(code:message:)``, the answer to a write-off of a title that is no longer
/// open; any other inner `1` → ``CancellationOutcome/refused(code:message:)`` (for example `(47) NOSSO NUMERO NAO
/// CADASTRADO PARA O BENEFICIARIO`); anything else → transient. A title that is not open may also be a paid one;
/// the service settles "already written off" as canceled only when it had asked for the write-off itself.
///
/// **Transport** (``CaixaSIGCB``): HTTP 2xx whose body is not this answer → transient (we cannot tell whether the
/// bank holds the title; a retry reconciles through code 38); 5xx, with or without a SOAP Fault, and 408/429 →
/// transient; other 3xx/4xx → misconfigured (a wrong URL or bus credentials); no answer, a timeout included →
/// transient, never refused; a bank certificate that does not verify → misconfigured.
public struct CaixaAnswer: Hashable, Sendable {
    /// The outer `COD_RETORNO` (the bus's).
    public var busCode: String
    /// The outer `MSG_RETORNO`.
    public var busMessage: String
    /// `DADOS/CONTROLE_NEGOCIAL/COD_RETORNO` (SIGCB's), when present.
    public var code: String?
    /// `DADOS/CONTROLE_NEGOCIAL/MENSAGENS/RETORNO`, each trimmed.
    public var messages: [String]
    /// `DADOS/INCLUI_BOLETO/CODIGO_BARRAS`.
    public var barcode: String?
    /// `DADOS/INCLUI_BOLETO/LINHA_DIGITAVEL`.
    public var digitableLine: String?
    /// `DADOS/INCLUI_BOLETO/NOSSO_NUMERO`.
    public var nossoNumero: String?
    /// `DADOS/INCLUI_BOLETO/URL`.
    public var url: String?

    /// The namespaces `SERVICO_SAIDA` is accepted in.
    static let answerNamespaces = [CaixaEnvelope.service, "http://caixa.gov.br/sibar/manutencao_cobranca_bancaria/boleto"]

    /// SIGCB's duplicate answer: "(38) NOSSO NUMERO JA CADASTRADO PARA O BENEFICIARIO".
    static let duplicateCode = "38"
    /// SIGCB's hash answer: "(54) OPERACAO NAO PERMITIDA - HASH DIVERGENTE".
    static let hashCode = "54"

    /// Reads an answer; nil when `body` is not a SOAP envelope holding `SERVICO_SAIDA` with a `COD_RETORNO`.
    public init?(xml body: [UInt8]) {
        guard let tree = try? XMLTree.parse(body) else { return nil }
        let base = "/s:Envelope/s:Body/m:SERVICO_SAIDA"
        guard let namespaces = Self.answerNamespaces.lazy.map({ ["s": CaixaEnvelope.soap, "m": $0] })
            .first(where: { tree.count(base, namespaces: $0) == 1 }) else { return nil }
        func first(_ path: String) -> String? {
            tree.texts(base + path, namespaces: namespaces).first.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }
        }
        guard let busCode = first("/COD_RETORNO"), !busCode.isEmpty else { return nil }
        self.busCode = busCode
        busMessage = first("/MSG_RETORNO") ?? ""
        code = first("/DADOS/CONTROLE_NEGOCIAL/COD_RETORNO")
        messages = tree.texts(base + "/DADOS/CONTROLE_NEGOCIAL/MENSAGENS/RETORNO", namespaces: namespaces)
            .map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        barcode = first("/DADOS/INCLUI_BOLETO/CODIGO_BARRAS")
        digitableLine = first("/DADOS/INCLUI_BOLETO/LINHA_DIGITAVEL")
        nossoNumero = first("/DADOS/INCLUI_BOLETO/NOSSO_NUMERO")
        url = first("/DADOS/INCLUI_BOLETO/URL")
    }

    /// Whether the bus let the request through (`00`).
    var busAccepted: Bool { !busCode.isEmpty && busCode.allSatisfy { $0 == "0" } }

    /// `RETORNO`, joined when SIGCB sent several.
    var message: String { messages.joined(separator: " / ") }

    /// SIGCB's code: the `NN` of the message's leading `(NN)`, or the inner `COD_RETORNO` when there is none.
    var refusalCode: String {
        if let first = messages.first, first.hasPrefix("("), let close = first.firstIndex(of: ")") {
            let inner = first[first.index(after: first.startIndex)..<close].trimmingCharacters(in: .whitespaces)
            if !inner.isEmpty { return inner }
        }
        return code ?? busCode
    }

    /// Whether a `BAIXA_BOLETO` refusal says the title is no longer open (already written off): code 48, or the text.
    var isNotOpen: Bool {
        let text = Self.normalized(messages.joined(separator: " "))
        return refusalCode == "48" || text.contains("NAO ESTA EM ABERTO") || text.contains("JA BAIXADO")
    }

    /// `text` upper-cased, without accents, with single spaces: what answers are matched on.
    static func normalized(_ text: String) -> String {
        CaixaText.clean(text).uppercased().split(separator: " ").joined(separator: " ")
    }

    /// What the answer to `INCLUI_BOLETO` means for `request` (see the table above).
    public func outcome(for request: RegistrationRequest) -> RegistrationOutcome {
        guard busAccepted else {
            if Self.normalized(busMessage).contains("NAO AUTORIZADO") {
                return .misconfigured(reason: "Caixa's SIBAR bus answered \(busCode): the service user or the beneficiary is not authorized for this operation.")
            }
            return .transient(reason: "Caixa's SIBAR bus answered COD_RETORNO \(busCode), a failure before SIGCB.")
        }
        switch code {
        case .some("0"):
            return registered(for: request)
        case .some("1"):
            let code = refusalCode
            let text = Self.normalized(message)
            if code == Self.hashCode || text.contains("HASH DIVERGENTE") {
                return .misconfigured(reason: "Caixa answered (\(code)) HASH DIVERGENTE: the beneficiary document or código do beneficiário configured is not the bank's.")
            }
            if code == Self.duplicateCode || text.contains("NOSSO NUMERO JA CADASTRADO") {
                return .alreadyRegistered(code: code, message: message)
            }
            return .refused(code: code, message: message)
        case nil:
            return .transient(reason: "Caixa answered without SIGCB's COD_RETORNO.")
        case let other?:
            return .transient(reason: "Caixa SIGCB answered COD_RETORNO \(other), an internal failure.")
        }
    }

    /// A success: the bank's barcode, checked, and equal to ours.
    private func registered(for request: RegistrationRequest) -> RegistrationOutcome {
        guard let barcodeText = barcode, barcodeText.count == 44, barcodeText.allSatisfy(\.isASCIIDigit),
              case .bank(let bank)? = try? BoletoParser.parse(barcodeText) else {
            return .transient(reason: "Caixa answered success with a CODIGO_BARRAS that is not a valid boleto barcode.")
        }
        guard let lineText = digitableLine, lineText.filter(\.isASCIIDigit).count == 47,
              case .bank(let line)? = try? BoletoParser.parse(lineText), line.barcode == bank.barcode else {
            return .transient(reason: "Caixa answered success with a LINHA_DIGITAVEL that is not its barcode's line.")
        }
        guard bank.barcode == request.boleto.barcode else {
            return .misconfigured(reason: "Caixa registered the title with a barcode other than ours: the código do beneficiário or agency configured differ from the bank's.")
        }
        let ours = CaixaFields.nossoNumero(request.input)
        let theirs = nossoNumero.flatMap { $0.count == 17 && $0.allSatisfy(\.isASCIIDigit) ? $0 : nil }
        let link = url.flatMap { $0.isEmpty ? nil : $0 }
        return .registered(barcode: bank.barcode.description, digitableLine: bank.digitableLine.formatted,
                           nossoNumero: theirs ?? ours ?? request.boleto.nossoNumero, bankURL: link)
    }

    /// What the answer to `BAIXA_BOLETO` means.
    public var cancellation: CancellationOutcome {
        guard busAccepted else {
            return .transient(reason: "Caixa's SIBAR bus answered COD_RETORNO \(busCode), a failure before SIGCB.")
        }
        switch code {
        case .some("0"): return .canceled
        case .some("1") where isNotOpen: return .alreadyCanceled(code: refusalCode, message: message)
        case .some("1"): return .refused(code: refusalCode, message: message)
        case nil: return .transient(reason: "Caixa answered without SIGCB's COD_RETORNO.")
        case let other?: return .transient(reason: "Caixa SIGCB answered COD_RETORNO \(other), an internal failure.")
        }
    }

    /// What the answer to `ALTERA_BOLETO` means: `0` the change is made, `1` a refusal with SIGCB's code.
    public var alteration: AlterationOutcome {
        guard busAccepted else {
            return .transient(reason: "Caixa's SIBAR bus answered COD_RETORNO \(busCode), a failure before SIGCB.")
        }
        switch code {
        case .some("0"): return .altered
        case .some("1"): return .refused(code: refusalCode, message: message)
        case nil: return .transient(reason: "Caixa answered without SIGCB's COD_RETORNO.")
        case let other?: return .transient(reason: "Caixa SIGCB answered COD_RETORNO \(other), an internal failure.")
        }
    }

    // MARK: Transport

    /// The outcome of an `INCLUI_BOLETO` call (see the table above).
    static func registration(_ reply: BankReply, for request: RegistrationRequest) -> RegistrationOutcome {
        switch reply {
        case .noAnswer(let reason):
            return .transient(reason: reason)
        case .untrusted(let reason):
            return .misconfigured(reason: reason)
        case .answered(let status, let body):
            switch status {
            case 200..<300:
                guard let answer = CaixaAnswer(xml: body) else {
                    return .transient(reason: "Caixa answered HTTP \(status) with a body that is not SIGCB's answer; whether it holds the title is unknown.")
                }
                return answer.outcome(for: request)
            case 408, 429, 500...:
                return .transient(reason: transportReason(status, body))
            default:
                return .misconfigured(reason: "Caixa answered HTTP \(status): check the endpoint URL and the bus credentials.")
            }
        }
    }

    /// The outcome of a `BAIXA_BOLETO` call: success and SIGCB's refusals as answered, anything else transient.
    static func cancellation(_ reply: BankReply) -> CancellationOutcome {
        read(reply, \.cancellation, transient: CancellationOutcome.transient(reason:))
    }

    /// The outcome of an `ALTERA_BOLETO` call.
    static func alteration(_ reply: BankReply) -> AlterationOutcome {
        read(reply, \.alteration, transient: AlterationOutcome.transient(reason:))
    }

    /// What a `BAIXA_BOLETO` or `ALTERA_BOLETO` reply means: the answer's own reading, or transient for no answer, an
    /// untrusted one, a status other than 2xx or a body that is not SIGCB's answer.
    private static func read<Outcome>(_ reply: BankReply, _ meaning: (CaixaAnswer) -> Outcome,
                                      transient: (String) -> Outcome) -> Outcome {
        switch reply {
        case .noAnswer(let reason), .untrusted(let reason):
            return transient(reason)
        case .answered(let status, let body):
            if (200..<300).contains(status), let answer = CaixaAnswer(xml: body) { return meaning(answer) }
            return transient(transportReason(status, body))
        }
    }

    /// "Caixa answered HTTP 500 with a SOAP Fault": the status, and whether the body was a fault; never its text.
    private static func transportReason(_ status: Int, _ body: [UInt8]) -> String {
        "Caixa answered HTTP \(status)" + (isFault(body) ? " with a SOAP Fault." : ".")
    }

    /// Whether `body` is a SOAP 1.1 Fault.
    static func isFault(_ body: [UInt8]) -> Bool {
        guard let tree = try? XMLTree.parse(body) else { return false }
        return tree.count("/s:Envelope/s:Body/s:Fault", namespaces: ["s": CaixaEnvelope.soap]) > 0
    }
}
