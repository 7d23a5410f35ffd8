import _CryptoExtras
import Foundation
import SwiftASN1
@_spi(CMS) import X509

/// Signs a request body the way a bank requires; the Bradesco adapter takes one.
///
/// The protocol lets a deployment keep its key elsewhere (an HSM, a signing service): an implementation only has
/// to return the DER of a CMS SignedData over `content`.
public protocol Signer: Sendable {
    /// The DER of a CMS (PKCS#7) SignedData whose encapsulated content is `content`.
    func sign(_ content: [UInt8]) throws -> [UInt8]
}

/// A company certificate with its private key and the certificates between it and its root, as a bank's
/// signature requires: Bradesco's "registro online" takes an ICP-Brasil A1 e-CNPJ or e-CPF.
public struct SigningIdentity: Sendable {
    /// The company's certificate.
    public let certificate: Certificate
    /// Its RSA private key.
    public let privateKey: _RSA.Signing.PrivateKey
    /// Intermediate certificates to embed next to it.
    public let chain: [Certificate]

    /// An identity from its parts; throws when the key is not the certificate's.
    public init(certificate: Certificate, privateKey: _RSA.Signing.PrivateKey, chain: [Certificate] = []) throws(ProviderConfigurationError) {
        guard certificate.publicKey == Certificate.PublicKey(privateKey.publicKey) else {
            throw ProviderConfigurationError("The private key does not belong to the certificate.")
        }
        self.certificate = certificate
        self.privateKey = privateKey
        self.chain = chain
    }

    /// An identity from a PEM certificate (the first of the text; any others are the chain) and a PEM RSA key
    /// (PKCS#1 or PKCS#8).
    public init(certificatePEM: String, keyPEM: String) throws(ProviderConfigurationError) {
        let certificates: [Certificate]
        do {
            certificates = try PEMDocument.parseMultiple(pemString: certificatePEM).map { try Certificate(pemDocument: $0) }
        } catch {
            throw ProviderConfigurationError("The certificate is not a PEM X.509 certificate.")
        }
        guard let first = certificates.first else { throw ProviderConfigurationError("The certificate file holds no certificate.") }
        guard let key = try? _RSA.Signing.PrivateKey(pemRepresentation: keyPEM) else {
            throw ProviderConfigurationError("The key is not a PEM RSA private key.")
        }
        try self.init(certificate: first, privateKey: key, chain: Array(certificates.dropFirst()))
    }
}

/// CMS SignedData with RSA and SHA-256, the content attached and the signer's certificate (and chain) embedded,
/// with the signed attributes content type, message digest and signing time (RFC 5652). It uses
/// swift-certificates' CMS, which is SPI: the package pins that dependency's exact version.
public struct CMSSigner: Signer {
    let identity: SigningIdentity
    let clock: @Sendable () -> Date

    /// A signer for `identity`; `clock` gives the signing time.
    public init(identity: SigningIdentity, clock: @escaping @Sendable () -> Date = { Date() }) {
        self.identity = identity
        self.clock = clock
    }

    public func sign(_ content: [UInt8]) throws -> [UInt8] {
        try CMS.sign(content, signatureAlgorithm: .sha256WithRSAEncryption,
                     additionalIntermediateCertificates: identity.chain, certificate: identity.certificate,
                     privateKey: Certificate.PrivateKey(identity.privateKey), signingTime: clock(), detached: false)
    }
}
