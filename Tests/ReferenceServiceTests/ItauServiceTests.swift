import BoletoJSON
import BoletoKit
import FakeBanks
import Foundation
import Providers
import Testing
@testable import ReferenceService

/// The service with issuer `itau` against the fake Itaú (mutual TLS required) over loopback HTTPS, on both backends.
@Suite("The service with the Itaú provider")
struct ItauServiceTests {
    static let pki = try! TestPKI()
    static let client = try! pki.company(named: "Beneficiária Ltda")

    /// A running fake Itaú for agência 0057 conta 12345, and the adapter settings for it.
    static func fakeItau() async throws -> (FakeItau, ItauBoletos.Configuration) {
        let fake = FakeItau(agency: "0057", account: "12345", clientID: "itau-client", clientSecret: "itau-secret")
        let urls = try await fake.start(identity: pki.server, clientAuthority: pki.authority)
        let endpoint = try BankEndpoint(url: urls.api, timeout: .seconds(5), additionalTrustRoots: [pki.authority.certificatePEM])
        let credentials = try OAuthClientCredentials(tokenURL: urls.token, clientID: "itau-client", clientSecret: "itau-secret",
                                                     authentication: .form)
        let identity = try SigningIdentity(certificatePEM: client.certificatePEM, keyPEM: client.keyPEM)
        return (fake, .init(api: endpoint, queryURL: urls.query, credentials: credentials, clientIdentity: identity))
    }

    static func boleto(_ changes: [(String, JSON)] = []) -> JSON {
        Body.boleto([("issuer", .string("itau")), ("issuer_agency", .string("0057")), ("issuer_account", .string("12345")),
                     ("issuer_wallet", .string("109"))] + changes)
    }

    @Test("registered at once over mutual TLS, then written off at Itaú", arguments: ServiceBackend.available)
    func registeredThenCanceled(_ backend: ServiceBackend) async throws {
        let (fake, itau) = try await Self.fakeItau()
        try await withService(backend, { $0.itau = itau }) { service in
            let created = try await service.post("/boletos", Self.boleto())
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["status"]?.string == "registered")
            #expect(created.json["bank"]?.string == "341")
            let title = try #require(await fake.titles.values.first)
            #expect(created.json["barcode"]?.string == title.barcode)
            let id = try #require(created.json["id"]?.string)
            let canceled = try await service.post("/boletos/\(id)/cancel", .object([]))
            #expect(canceled.json["status"]?.string == "canceled", "\(canceled.text)")
        }
        try await fake.stop()
    }

    @Test("BOLETO_ITAU_* settings: the client certificate and the query URL are required, and errors never show the secret")
    func settings() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("itau-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let certificate = directory.appendingPathComponent("client.pem"), key = directory.appendingPathComponent("client.key")
        try Self.client.certificatePEM.write(to: certificate, atomically: true, encoding: .utf8)
        try Self.client.keyPEM.write(to: key, atomically: true, encoding: .utf8)
        let complete = ["BOLETO_ITAU_API_URL": "https://api.itau.com.br/cash_management/v2",
                        "BOLETO_ITAU_QUERY_URL": "https://secure.api.cloud.itau.com.br/boletoscash/v2",
                        "BOLETO_ITAU_TOKEN_URL": "https://sts.itau.com.br/api/oauth/token",
                        "BOLETO_ITAU_CLIENT_ID": "id", "BOLETO_ITAU_CLIENT_SECRET": "s3cr3t-itau",
                        "BOLETO_ITAU_CERTIFICATE": certificate.path, "BOLETO_ITAU_KEY": key.path]
        let settings = try #require(try ServiceSettings.fromEnvironment(complete).itau)
        #expect(settings.queryURL == "https://secure.api.cloud.itau.com.br/boletoscash/v2" && !settings.pix)
        for (variable, value) in [("BOLETO_ITAU_CERTIFICATE", nil), ("BOLETO_ITAU_KEY", nil), ("BOLETO_ITAU_QUERY_URL", nil),
                                  ("BOLETO_ITAU_QUERY_URL", "http://query.example"), ("BOLETO_ITAU_CLIENT_SECRET", nil)] as [(String, String?)] {
            var environment = complete
            environment[variable] = value
            let expected = variable == "BOLETO_ITAU_KEY" ? "BOLETO_ITAU_CERTIFICATE" : variable
            do {
                _ = try ServiceSettings.fromEnvironment(environment)
                Issue.record("\(variable) = \(value ?? "unset") was accepted")
            } catch let error as ServiceSettings.InvalidSetting {
                #expect(error.variable == expected, "\(variable): \(error)")
                #expect(!error.description.contains("s3cr3t-itau"))
            }
        }
    }
}
