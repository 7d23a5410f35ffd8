import BoletoKit
import FakeBanks
import Foundation
import Providers
import Testing
@_spi(CMS) import X509

/// The CMS signer and the PKCS#12 reader, checked with certificates made at test time and with files written by
/// the `openssl` command (the way certificate authorities and Windows export them).
@Suite("Signing: CMS SignedData and PKCS#12 company certificates")
struct SigningTests {
    let company = BradescoFixtures.company

    @Test("The signature is attached, RSA-SHA256, verifiable with the signer's certificate embedded")
    func cmsAttached() async throws {
        let content = Array(#"{"nuTitulo":"12345"}"#.utf8)
        let der = try BradescoFixtures.signer.sign(content)
        let result = await CMS.isValidAttachedSignature(signatureBytes: der,
                                                        trustRoots: CertificateStore([BradescoFixtures.pki.authority.certificate])) {
            RFC5280Policy()
        }
        guard case .success(let valid) = result else { Issue.record("the signature does not verify: \(result)"); return }
        #expect(valid.signer == company.certificate)
        // The content travels inside the signature, byte for byte.
        #expect(der.firstRange(of: content) != nil)
        let elsewhere = await CMS.isValidAttachedSignature(signatureBytes: der,
                                                           trustRoots: CertificateStore([try TestPKI.selfSigned(named: "Other CA").certificate])) {
            RFC5280Policy()
        }
        guard case .failure = elsewhere else { Issue.record("a signature must not verify against another root"); return }
    }

    @Test("A key that is not the certificate's is refused")
    func mismatchedKey() throws {
        let other = try TestPKI.selfSigned(named: "Other")
        #expect(throws: ProviderConfigurationError("The private key does not belong to the certificate.")) {
            try SigningIdentity(certificate: company.certificate, privateKey: other.key)
        }
    }

    @Test("PEM certificate and key files are read")
    func pem() throws {
        let identity = try SigningIdentity(certificatePEM: company.certificatePEM, keyPEM: company.keyPEM)
        #expect(identity.certificate == company.certificate)
        #expect(throws: ProviderConfigurationError.self) { try SigningIdentity(certificatePEM: "not a certificate", keyPEM: company.keyPEM) }
    }

    @Test("PKCS#12 files are read, modern (AES-256) and legacy (RC2-40 / 3DES, SHA-1 MAC) alike", arguments: [
        ["-keypbe", "AES-256-CBC", "-certpbe", "AES-256-CBC", "-macalg", "sha256"],
        ["-legacy"],
        ["-keypbe", "PBE-SHA1-3DES", "-certpbe", "PBE-SHA1-RC2-40", "-macalg", "sha1", "-legacy"],
    ])
    func pkcs12(options: [String]) async throws {
        let file = try OpenSSL.pkcs12(company, chain: BradescoFixtures.pki.authority, password: "s3nh@-Forte", options: options)
        let identity = try SigningIdentity(pkcs12: file, password: "s3nh@-Forte")
        #expect(identity.certificate == company.certificate)
        #expect(identity.chain.isEmpty, "the CA's own certificate is not embedded")
        // The key read from the file signs what the fake bank accepts.
        let (fake, url) = try await BradescoFixtures.fake()
        let adapter = try BradescoFixtures.adapter(url, signer: CMSSigner(identity: identity))
        guard case .registered = await adapter.register(try BradescoFixtures.request()) else {
            Issue.record("a signature with the PKCS#12 key was not accepted: \(await fake.rejections)")
            return
        }
        try await adapter.shutdown()
        try await fake.stop()
    }

    @Test("A wrong password and a file that is not PKCS#12 get clear errors that never carry the password")
    func pkcs12Errors() throws {
        let file = try OpenSSL.pkcs12(company, chain: nil, password: "right-password", options: ["-legacy"])
        do {
            _ = try SigningIdentity(pkcs12: file, password: "wrong-password")
            Issue.record("a wrong password was accepted")
        } catch {
            #expect(error.description == "The PKCS#12 password is wrong (or the file was altered).")
            #expect(!error.description.contains("wrong-password"))
        }
        #expect(throws: ProviderConfigurationError("The certificate file is not a PKCS#12 (.pfx) file.")) {
            try SigningIdentity(pkcs12: Array("-----BEGIN CERTIFICATE-----".utf8), password: "x")
        }
    }
}

/// The `openssl` command, for PKCS#12 files written as certificate authorities write them.
enum OpenSSL {
    struct Failed: Error, CustomStringConvertible { let description: String }

    static func pkcs12(_ identity: TestPKI.Identity, chain: TestPKI.Identity?, password: String, options: [String]) throws -> [UInt8] {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("boletokit-pkcs12-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("certificate.pem")
        let key = directory.appendingPathComponent("key.pem")
        let output = directory.appendingPathComponent("company.pfx")
        try Data((identity.certificatePEM + "\n" + (chain?.certificatePEM ?? "")).utf8).write(to: certificate)
        try Data(identity.keyPEM.utf8).write(to: key)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl", "pkcs12", "-export", "-in", certificate.path, "-inkey", key.path, "-out", output.path,
                             "-passout", "pass:\(password)"] + options
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failed(description: "openssl pkcs12 \(options.joined(separator: " ")) exited with \(process.terminationStatus)")
        }
        return Array(try Data(contentsOf: output))
    }
}
