import Testing
@testable import Providers

/// The libxml2 wrapper the SOAP adapters read answers with: namespaces decide what XPath selects, and an answer
/// cannot make the parser expand entities or fetch anything.
@Suite("XMLTree (libxml2)")
struct XMLTreeTests {
    static let soap = "http://schemas.xmlsoap.org/soap/envelope/"

    @Test("XPath selects by namespace URI, whatever the prefix, and not an element outside it")
    func namespaces() throws {
        let tree = try XMLTree.parse(Array("""
            <e:Envelope xmlns:e="\(Self.soap)"><e:Body><x:A xmlns:x="urn:right">1</x:A><x:A xmlns:x="urn:wrong">2</x:A></e:Body></e:Envelope>
            """.utf8))
        #expect(tree.texts("/s:Envelope/s:Body/r:A", namespaces: ["s": Self.soap, "r": "urn:right"]) == ["1"])
        #expect(tree.text("/s:Envelope/s:Body/*", namespaces: ["s": Self.soap]) == nil, "two nodes are not one")
        #expect(tree.count("/s:Envelope/s:Body/*", namespaces: ["s": Self.soap]) == 2)
    }

    @Test("a document with a DTD (an entity bomb, an external entity) is refused")
    func noDTD() {
        let bomb = """
            <?xml version="1.0"?><!DOCTYPE r [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><r>&b;</r>
            """
        let external = """
            <?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>
            """
        for text in [bomb, external] {
            #expect(throws: XMLError(description: "The body declares a DTD, which is not accepted.")) { try XMLTree.parse(Array(text.utf8)) }
        }
    }

    @Test("what is not well-formed, or empty, is an error, not a tree")
    func malformed() {
        #expect(throws: XMLError.self) { try XMLTree.parse(Array("<a><b></a>".utf8)) }
        #expect(throws: XMLError(description: "The body is empty.")) { try XMLTree.parse([]) }
    }

    @Test("built documents escape text and put unqualified children in no namespace")
    func building() throws {
        let tree = XMLTree(root: "Envelope", prefix: "soapenv", namespace: Self.soap)
        let body = tree.root.element("Body", in: tree.rootNamespace)
        body.element("NOME", text: "A & B <C>")
        let text = String(decoding: tree.serialized(), as: UTF8.self)
        #expect(text.contains("<NOME>A &amp; B &lt;C&gt;</NOME>"))
        let parsed = try XMLTree.parse(tree.serialized())
        #expect(parsed.text("/s:Envelope/s:Body/NOME", namespaces: ["s": Self.soap]) == "A & B <C>")
    }
}
