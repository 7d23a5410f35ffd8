import CLibXML2

/// Why XML could not be read.
public struct XMLError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What was wrong, with libxml2's line number when it gave one. Never contains the document's text.
    public var description: String
}

/// A namespace declared on a document being built.
struct XMLNamespace {
    let pointer: xmlNsPtr
}

/// An XML document, built or parsed with libxml2: elements are created as nodes (never as string templates, so
/// text is always escaped), and parsed documents are read with namespace-aware XPath.
///
/// Parsing never touches the network, substitutes no entities and refuses any document with a DTD, so an
/// answer cannot make the parser fetch a URL or expand entities.
final class XMLTree {
    let document: xmlDocPtr

    private static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    private init(document: xmlDocPtr) {
        self.document = document
    }

    deinit { xmlFreeDoc(document) }

    /// A new document whose root element is `name` in a namespace declared on it as `prefix`.
    convenience init(root name: String, prefix: String, namespace uri: String) {
        _ = Self.initialized
        let document = xmlNewDoc("1.0")!
        let root = xmlNewDocNode(document, nil, name, nil)!
        xmlDocSetRootElement(document, root)
        let namespace = xmlNewNs(root, uri, prefix)
        xmlSetNs(root, namespace)
        self.init(document: document)
    }

    /// Parses `bytes`; throws when they are not well-formed XML or carry a DTD.
    static func parse(_ bytes: [UInt8]) throws(XMLError) -> XMLTree {
        _ = initialized
        guard !bytes.isEmpty else { throw XMLError(description: "The body is empty.") }
        let options = Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOERROR.rawValue | XML_PARSE_NOWARNING.rawValue)
        let parsed = bytes.withUnsafeBufferPointer { buffer in
            buffer.baseAddress!.withMemoryRebound(to: CChar.self, capacity: buffer.count) {
                xmlReadMemory($0, Int32(buffer.count), nil, nil, options)
            }
        }
        guard let document = parsed else {
            let line = xmlGetLastError().map { Int($0.pointee.line) } ?? 0
            throw XMLError(description: line > 0 ? "The body is not well-formed XML (line \(line))." : "The body is not well-formed XML.")
        }
        let tree = XMLTree(document: document)
        guard document.pointee.intSubset == nil else { throw XMLError(description: "The body declares a DTD, which is not accepted.") }
        guard xmlDocGetRootElement(document) != nil else { throw XMLError(description: "The body has no root element.") }
        return tree
    }

    /// The root element.
    var root: XMLNode { XMLNode(pointer: xmlDocGetRootElement(document)!) }

    /// Declares `uri` as `prefix` on the root element.
    func declare(prefix: String, namespace uri: String) -> XMLNamespace {
        XMLNamespace(pointer: xmlNewNs(xmlDocGetRootElement(document), uri, prefix))
    }

    /// The namespace the root element is in.
    var rootNamespace: XMLNamespace { XMLNamespace(pointer: xmlDocGetRootElement(document)!.pointee.ns) }

    /// The document as UTF-8, with its XML declaration.
    func serialized() -> [UInt8] {
        var buffer: UnsafeMutablePointer<xmlChar>?
        var size: Int32 = 0
        xmlDocDumpMemoryEnc(document, &buffer, &size, "UTF-8")
        guard let buffer else { return [] }
        defer { boletokit_xml_free(buffer) }
        return Array(UnsafeBufferPointer(start: buffer, count: Int(size)))
    }

    /// The text of every node `path` selects. `namespaces` maps the prefixes `path` uses to their URIs; an
    /// element outside its namespace is not selected.
    func texts(_ path: String, namespaces: [String: String]) -> [String] {
        guard let context = xmlXPathNewContext(document) else { return [] }
        defer { xmlXPathFreeContext(context) }
        for (prefix, uri) in namespaces { xmlXPathRegisterNs(context, prefix, uri) }
        guard let result = xmlXPathEvalExpression(path, context) else { return [] }
        defer { xmlXPathFreeObject(result) }
        guard let nodes = result.pointee.nodesetval, nodes.pointee.nodeNr > 0 else { return [] }
        return (0..<Int(nodes.pointee.nodeNr)).map { XMLNode(pointer: nodes.pointee.nodeTab[$0]!).text }
    }

    /// The text of the one node `path` selects; nil when it selects none or several.
    func text(_ path: String, namespaces: [String: String]) -> String? {
        let found = texts(path, namespaces: namespaces)
        return found.count == 1 ? found[0] : nil
    }

    /// How many nodes `path` selects.
    func count(_ path: String, namespaces: [String: String]) -> Int {
        guard let context = xmlXPathNewContext(document) else { return 0 }
        defer { xmlXPathFreeContext(context) }
        for (prefix, uri) in namespaces { xmlXPathRegisterNs(context, prefix, uri) }
        guard let result = xmlXPathEvalExpression(path, context) else { return 0 }
        defer { xmlXPathFreeObject(result) }
        return Int(result.pointee.nodesetval?.pointee.nodeNr ?? 0)
    }
}

/// An element of an ``XMLTree``. It is valid while its tree is.
struct XMLNode {
    let pointer: xmlNodePtr

    /// Appends a child element, in `namespace` when given (unqualified otherwise), with `text` as its escaped
    /// content.
    @discardableResult
    func element(_ name: String, in namespace: XMLNamespace? = nil, text: String? = nil) -> XMLNode {
        let child = xmlNewTextChild(pointer, namespace?.pointer, name, text)!
        // libxml2 puts a child created without a namespace in its parent's; an unqualified element has none.
        if namespace == nil { xmlSetNs(child, nil) }
        return XMLNode(pointer: child)
    }

    /// The element's text, entities resolved.
    var text: String {
        guard let content = xmlNodeGetContent(pointer) else { return "" }
        defer { boletokit_xml_free(content) }
        return String(cString: content)
    }
}
