import Foundation

/// The JSON that Bradesco's "registro online" returns inside its SOAP envelope
/// (`registrarTituloResponse/return`), and what it means to us. Every value is a string; messages are HTML-encoded
/// twice (`Solicita&amp;ccedil;&amp;atilde;o atendida`). Certificate and format errors come with HTTP 500, so
/// the body is read whatever the status.
///
/// | `cdErro` | meaning | outcome |
/// |---|---|---|
/// | `0` | registered | ``RegistrationOutcome/registered(barcode:digitableLine:nossoNumero:bankURL:)`` |
/// | `69` | TITULO JA CADASTRADO | ``RegistrationOutcome/alreadyRegistered(code:message:)``, reconciled |
/// | `800`, `810` | "Erro Certificado / Formatacao dos campos da mensagem invalida", which succeeds on retry | transient |
/// | `-99` | Serviço indisponível | transient |
/// | `1290030` | Fim anormal do programa | transient |
/// | any code with "SERVICO TEMPORARIAMENTE NAO DISPONIVEL" | the bank's own outage | transient |
/// | anything else | the bank's refusal | ``RegistrationOutcome/refused(code:message:)`` with the decoded message |
public struct BradescoAnswer: Sendable, Hashable {
    /// `cdErro`.
    public var code: String
    /// `msgErro`, decoded.
    public var message: String
    /// `linhaDigitavel`, as the bank formats it.
    public var digitableLine: String?

    /// Codes Bradesco answers for failures that a later attempt gets past.
    static let transientCodes: Set<String> = ["800", "810", "-99", "1290030"]

    /// Reads the answer JSON; nil when it is not the bank's JSON (an empty body, an HTML error page).
    public init?(json text: String) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any],
              let code = object["cdErro"] as? String else { return nil }
        self.code = code.trimmingCharacters(in: .whitespaces)
        message = HTMLEntities.decode(HTMLEntities.decode((object["msgErro"] as? String) ?? ""))
            .trimmingCharacters(in: .whitespaces)
        digitableLine = (object["linhaDigitavel"] as? String).flatMap { $0.isEmpty ? nil : $0 }
    }

    /// What the answer means for `request`. A success whose line is not the one the request computes is
    /// `misconfigured`: the account data we hold differ from the bank's.
    public func outcome(for request: RegistrationRequest) -> RegistrationOutcome {
        switch code {
        case "0":
            let ours = request.boleto.digitableLine.formatted
            if let line = digitableLine, line.filter(\.isNumber) != ours.filter(\.isNumber) {
                return .misconfigured(reason: "Bradesco registered the title with a digitable line other than ours.")
            }
            return .registered(barcode: request.boleto.barcode.description, digitableLine: ours,
                               nossoNumero: request.boleto.nossoNumero, bankURL: nil)
        case "69":
            return .alreadyRegistered(code: code, message: message)
        case _ where Self.transientCodes.contains(code) || message.uppercased().contains("TEMPORARIAMENTE NAO DISPONIVEL"):
            // The code alone: a transient reason is kept in events and logs, and the message is the bank's free text.
            return .transient(reason: "Bradesco answered \(code), a temporary failure.")
        default:
            return .refused(code: code, message: message)
        }
    }
}
