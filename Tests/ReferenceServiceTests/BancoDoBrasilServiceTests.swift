import BoletoJSON
import BoletoKit
import FakeBanks
import Foundation
import Providers
import Testing
@testable import ReferenceService

/// The service with issuer `bb` against the fake Banco do Brasil over loopback HTTPS, on both backends: registered
/// with the bank's PIX code, refused with BB's code, a 503 registered later by the worker, and a write-off at BB.
@Suite("The service with the Banco do Brasil provider")
struct BancoDoBrasilServiceTests {
    static let pki = try! TestPKI()
    static let convenio: Int64 = 3_128_557

    /// A running fake BB and the service settings that point at it (`scenario` sent on every call).
    static func fakeBB(scenario: String? = nil) async throws -> (FakeBancoDoBrasil, ServiceSettings.BancoDoBrasilSettings) {
        let fake = FakeBancoDoBrasil(applicationKey: "app-key", convenio: convenio, clientID: "client", clientSecret: "secret")
        let (api, token) = try await fake.start(identity: pki.server)
        let endpoint = try BankEndpoint(url: api, timeout: .seconds(5), additionalTrustRoots: [pki.authority.certificatePEM])
        let credentials = try OAuthClientCredentials(tokenURL: token, clientID: "client", clientSecret: "secret",
                                                     scope: "cobrancas.boletos-info cobrancas.boletos-requisicao", authentication: .basic)
        let configuration = BancoDoBrasilCobranca.Configuration(api: endpoint, credentials: credentials, applicationKey: "app-key",
                                                                extraHeaders: scenario.map { ["X-Fake-Scenario": $0] } ?? [:])
        return (fake, .init(configuration: configuration, convenio: String(convenio), walletVariation: "35"))
    }

    static func boleto(_ changes: [(String, JSON)] = []) -> JSON {
        Body.boleto([("issuer", .string("bb")), ("issuer_wallet", .string("17")), ("amount", .int(15_990))] + changes)
    }

    @Test("registered at once with BB's PIX code, the title id and barcode BoletoKit computed from the convênio", arguments: ServiceBackend.available)
    func registered(_ backend: ServiceBackend) async throws {
        let (fake, bb) = try await Self.fakeBB()
        try await withService(backend, { $0.bancoDoBrasil = bb }) { service in
            let created = try await service.post("/boletos", Self.boleto())
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["status"]?.string == "registered")
            #expect(created.json["issuer"]?.string == "bb" && created.json["bank"]?.string == "001")
            let titles = await fake.titles
            let title = try #require(titles.values.first)
            #expect(titles.count == 1 && title.id.hasPrefix("0003128557"))
            #expect(created.json["barcode"]?.string == title.barcode)
            // The PIX code is the one BB issued for the title, not one built by the service.
            let pix = try #require(created.json["pix_qr_code"]?.string)
            #expect(pix.contains("fake-bb.example/v2/cobv/\(title.id)"))
            #expect(try PixBRCode.parse(pix).amountCents == 15_990)
            // It survives a read from the store.
            let id = try #require(created.json["id"]?.string)
            #expect(try await service.get("/boletos/\(id)").json["pix_qr_code"]?.string == pix)
            #expect(await fake.oauth.tokenRequests == 1)
        }
        try await fake.stop()
    }

    @Test("refused with BB's code; a 503 leaves the boleto pending_registration for the worker", arguments: ServiceBackend.available)
    func refusedAndTransient(_ backend: ServiceBackend) async throws {
        let (fake, bb) = try await Self.fakeBB()
        var wrong = bb
        wrong.convenio = "7654321"
        try await withService(backend, { $0.bancoDoBrasil = wrong }) { service in
            let created = try await service.post("/boletos", Self.boleto())
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["status"]?.string == "refused")
            #expect(created.json["issuer_response_code"]?.string == "F010")
        }
        try await fake.stop()

        let (unavailable, flaky) = try await Self.fakeBB(scenario: "server-error")
        try await withService(backend, { $0.bancoDoBrasil = flaky }) { service in
            let created = try await service.post("/boletos", Self.boleto())
            #expect(created.json["status"]?.string == "pending_registration", "\(created.text)")
            #expect(await unavailable.titles.isEmpty)
        }
        try await unavailable.stop()
    }

    @Test("cancel: BB writes the title off and the boleto is canceled", arguments: ServiceBackend.available)
    func cancel(_ backend: ServiceBackend) async throws {
        let (fake, bb) = try await Self.fakeBB()
        try await withService(backend, { $0.bancoDoBrasil = bb }) { service in
            let created = try await service.post("/boletos", Self.boleto())
            let id = try #require(created.json["id"]?.string)
            let canceled = try await service.post("/boletos/\(id)/cancel", .object([]))
            #expect(canceled.status == 200, "\(canceled.text)")
            #expect(canceled.json["status"]?.string == "canceled")
            #expect(await fake.titles.values.first?.state == 7)
        }
        try await fake.stop()
    }

    @Test("BOLETO_BB_* settings: each missing or malformed value stops the start naming its variable, never the secret")
    func settings() throws {
        let complete = ["BOLETO_BB_API_URL": "https://api.hm.bb.com.br/cobrancas/v2", "BOLETO_BB_TOKEN_URL": "https://oauth.hm.bb.com.br/oauth/token",
                        "BOLETO_BB_CLIENT_ID": "client", "BOLETO_BB_CLIENT_SECRET": "s3cr3t-bb", "BOLETO_BB_APP_KEY": "key",
                        "BOLETO_BB_CONVENIO": "3128557", "BOLETO_BB_WALLET_VARIATION": "35", "BOLETO_BB_APP_KEY_PARAMETER": "gw-app-key"]
        let settings = try #require(try ServiceSettings.fromEnvironment(complete).bancoDoBrasil)
        #expect(settings.convenio == "3128557" && settings.walletVariation == "35")
        #expect(settings.configuration.applicationKeyParameter == "gw-app-key" && settings.configuration.pix)
        #expect(!String(describing: settings.configuration.credentials).contains("s3cr3t-bb"))
        for (variable, value) in [("BOLETO_BB_CONVENIO", "312855"), ("BOLETO_BB_CONVENIO", nil), ("BOLETO_BB_WALLET_VARIATION", "3a"),
                                  ("BOLETO_BB_CLIENT_SECRET", nil), ("BOLETO_BB_APP_KEY", nil), ("BOLETO_BB_TOKEN_URL", "http://oauth.example"),
                                  ("BOLETO_BB_API_URL", "http://api.example")] {
            var environment = complete
            environment[variable] = value
            do {
                _ = try ServiceSettings.fromEnvironment(environment)
                Issue.record("\(variable) = \(value ?? "unset") was accepted")
            } catch let error as ServiceSettings.InvalidSetting {
                #expect(error.variable == variable, "\(variable): \(error)")
                #expect(!error.description.contains("s3cr3t-bb"))
            }
        }
        #expect(try ServiceSettings.fromEnvironment([:]).bancoDoBrasil == nil)
    }
}
