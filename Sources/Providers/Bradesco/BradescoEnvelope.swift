/// The SOAP envelope Bradesco's "registro online" answers in, whatever the HTTP status:
/// `Envelope/Body/registrarTituloResponse/return`, where `return` holds the answer JSON as text
/// (``BradescoAnswer``). The elements are matched by namespace, not by prefix.
enum BradescoEnvelope {
    static let soap = "http://schemas.xmlsoap.org/soap/envelope/"
    static let service = "http://ws.registrotitulo.ibpj.web.bradesco.com.br/"

    /// The answer JSON of `body`; nil when the body is not that envelope.
    static func answerJSON(_ body: [UInt8]) -> String? {
        guard let tree = try? XMLTree.parse(body) else { return nil }
        return tree.text("/soap:Envelope/soap:Body/b:registrarTituloResponse/return",
                         namespaces: ["soap": soap, "b": service])
    }
}
