import Crypto
import _CryptoExtras
import Foundation
import SwiftASN1
import X509

/// Certificates and keys made at run time for tests and examples: a CA, a TLS server certificate for
/// `localhost`/`127.0.0.1` that the CA signs, and company (e-CNPJ style) signing certificates. Nothing here is
/// ever committed or meant for production.
public struct TestPKI: Sendable {
    /// An RSA key and the certificate for it.
    public struct Identity: Sendable {
        public let certificate: Certificate
        public let key: _RSA.Signing.PrivateKey

        /// The certificate, PEM.
        public var certificatePEM: String { (try? certificate.serializeAsPEM().pemString) ?? "" }
        /// The key, PKCS#8 PEM.
        public var keyPEM: String { key.pemRepresentation }
        /// The certificate, DER.
        public var certificateDER: [UInt8] {
            var serializer = DER.Serializer()
            try? serializer.serialize(certificate)
            return serializer.serializedBytes
        }
    }

    /// The CA that signs everything else.
    public let authority: Identity
    /// The TLS certificate of the fake banks.
    public let server: Identity

    /// A new CA and server certificate. RSA key generation takes a moment; make one per test suite.
    public init() throws {
        authority = try Self.authority(name: "BoletoKit Test CA")
        server = try Self.issue(commonName: "localhost", by: authority, server: true)
    }

    /// A company signing certificate, issued by this PKI's CA.
    public func company(named name: String) throws -> Identity {
        try Self.issue(commonName: name, by: authority, server: false)
    }

    /// A self-signed company certificate: one no bank trusts.
    public static func selfSigned(named name: String) throws -> Identity {
        try authority(name: name)
    }

    private static func authority(name: String) throws -> Identity {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let subject = try DistinguishedName { CommonName(name); OrganizationName("BoletoKit tests") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400 * 30),
            issuer: subject, subject: subject, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            },
            issuerPrivateKey: .init(key))
        return Identity(certificate: certificate, key: key)
    }

    private static func issue(commonName: String, by issuer: Identity, server: Bool) throws -> Identity {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        let subject = try DistinguishedName { CommonName(commonName); OrganizationName("BoletoKit tests") }
        let now = Date()
        let certificate = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
            notValidBefore: now.addingTimeInterval(-3600), notValidAfter: now.addingTimeInterval(86_400 * 30),
            issuer: issuer.certificate.subject, subject: subject, signatureAlgorithm: .sha256WithRSAEncryption,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true, keyEncipherment: server))
                if server {
                    try ExtendedKeyUsage([.serverAuth])
                    SubjectAlternativeNames([.dnsName("localhost"), .ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1]))])
                }
            },
            issuerPrivateKey: .init(issuer.key))
        return Identity(certificate: certificate, key: key)
    }
}
