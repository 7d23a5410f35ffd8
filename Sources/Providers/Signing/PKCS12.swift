import CPKCS12
import _CryptoExtras
import X509

extension SigningIdentity {
    /// An identity from a PKCS#12 (`.pfx`, `.p12`) file, the form in which certificate authorities deliver A1
    /// certificates. Files encrypted with the legacy algorithms (RC2-40, 3DES, SHA-1 MAC) that Windows and older
    /// authorities write are read too, through the system's OpenSSL (libssl-dev). Errors name the problem, never
    /// the password or the file's contents.
    public init(pkcs12 bytes: [UInt8], password: String) throws(ProviderConfigurationError) {
        var contents = boletokit_pkcs12_contents()
        var reason = [CChar](repeating: 0, count: 256)
        let status = bytes.withUnsafeBufferPointer { buffer in
            boletokit_pkcs12_read(buffer.baseAddress, buffer.count, password, &contents, &reason, reason.count)
        }
        defer { boletokit_pkcs12_free(&contents) }
        switch status {
        case BOLETOKIT_PKCS12_OK:
            break
        case BOLETOKIT_PKCS12_NOT_PKCS12:
            throw ProviderConfigurationError("The certificate file is not a PKCS#12 (.pfx) file.")
        case BOLETOKIT_PKCS12_WRONG_PASSWORD:
            throw ProviderConfigurationError("The PKCS#12 password is wrong (or the file was altered).")
        case BOLETOKIT_PKCS12_INCOMPLETE:
            throw ProviderConfigurationError("The PKCS#12 file holds no private key with its certificate.")
        default:
            let detail = String(decoding: reason.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            throw ProviderConfigurationError("The PKCS#12 file could not be read (OpenSSL: \(detail)).")
        }
        let keyDER = Array(UnsafeBufferPointer(start: contents.key, count: contents.key_length))
        let certificateDER = Array(UnsafeBufferPointer(start: contents.certificate, count: contents.certificate_length))
        var chain: [Certificate] = []
        var offset = 0
        for index in 0..<contents.chain_count {
            let length = contents.chain_lengths[index]
            let der = Array(UnsafeBufferPointer(start: contents.chain.advanced(by: offset), count: length))
            offset += length
            guard let certificate = try? Certificate(derEncoded: der) else {
                throw ProviderConfigurationError("A chain certificate in the PKCS#12 file is not valid X.509.")
            }
            chain.append(certificate)
        }
        guard let certificate = try? Certificate(derEncoded: certificateDER) else {
            throw ProviderConfigurationError("The PKCS#12 certificate is not valid X.509.")
        }
        guard let key = try? _RSA.Signing.PrivateKey(derRepresentation: keyDER) else {
            throw ProviderConfigurationError("The PKCS#12 private key is not an RSA key; Bradesco requires RSA.")
        }
        // The issuing CA's own certificate is not sent: the bank has its roots.
        try self.init(certificate: certificate, privateKey: key,
                      chain: chain.filter { $0.subject != $0.issuer })
    }
}
