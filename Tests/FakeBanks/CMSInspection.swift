import SwiftASN1

/// What the fake Bradesco reads out of a CMS SignedData by walking its DER, independently of the code that made
/// it: the attached content and every algorithm identifier used.
struct CMSInspection {
    /// The encapsulated content (`encapContentInfo.eContent`); nil when the signature is detached.
    var content: [UInt8]?
    /// Every object identifier in the structure, dotted.
    var identifiers: Set<String>

    static let signedData = "1.2.840.113549.1.7.2"
    static let sha256 = "2.16.840.1.101.3.4.2.1"
    static let sha256WithRSA = "1.2.840.113549.1.1.11"
    static let rsaEncryption = "1.2.840.113549.1.1.1"
    static let sha1 = "1.3.14.3.2.26"
    static let sha1WithRSA = "1.2.840.113549.1.1.5"

    init?(der: [UInt8]) {
        guard let root = try? DER.parse(der), case .constructed(let info) = root.content else { return nil }
        let parts = Array(info)
        guard parts.count == 2, let type = try? ASN1ObjectIdentifier(derEncoded: parts[0]),
              type.description == Self.signedData else { return nil }
        var identifiers: Set<String> = []
        Self.collect(root, into: &identifiers)
        self.identifiers = identifiers
        // ContentInfo.content [0] EXPLICIT → SignedData → encapContentInfo (3rd) → [0] EXPLICIT → OCTET STRING.
        guard case .constructed(let explicit) = parts[1].content, let signed = Array(explicit).first,
              case .constructed(let signedParts) = signed.content else { return nil }
        let fields = Array(signedParts)
        guard fields.count >= 4, case .constructed(let encap) = fields[2].content else { return nil }
        let encapParts = Array(encap)
        if encapParts.count == 2, case .constructed(let wrapped) = encapParts[1].content, let octets = Array(wrapped).first,
           let string = try? ASN1OctetString(derEncoded: octets) {
            content = Array(string.bytes)
        } else {
            content = nil
        }
    }

    private static func collect(_ node: ASN1Node, into identifiers: inout Set<String>) {
        switch node.content {
        case .primitive:
            if node.identifier == .objectIdentifier, let oid = try? ASN1ObjectIdentifier(derEncoded: node) {
                identifiers.insert(oid.description)
            }
        case .constructed(let children):
            for child in children { collect(child, into: &identifiers) }
        }
    }
}
