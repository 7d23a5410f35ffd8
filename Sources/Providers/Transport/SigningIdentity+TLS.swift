import _CryptoExtras
import NIOSSL
import SwiftASN1
import X509

extension SigningIdentity {
    /// The identity as a TLS client credential: its certificate and chain, and its key. The same A1 certificate that
    /// signs a Bradesco request authenticates an Itaú or BB connection (mutual TLS).
    func tlsCredentials() throws(ProviderConfigurationError) -> (chain: [NIOSSLCertificate], key: NIOSSLPrivateKey) {
        do {
            var chain: [NIOSSLCertificate] = []
            for certificate in [certificate] + self.chain {
                var serializer = DER.Serializer()
                try serializer.serialize(certificate)
                chain.append(try NIOSSLCertificate(bytes: serializer.serializedBytes, format: .der))
            }
            let key = try NIOSSLPrivateKey(bytes: Array(privateKey.pemRepresentation.utf8), format: .pem)
            return (chain, key)
        } catch {
            throw ProviderConfigurationError("The client certificate or key cannot be used for TLS.")
        }
    }
}
