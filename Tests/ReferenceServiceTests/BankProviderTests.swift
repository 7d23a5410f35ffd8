import BoletoJSON
import FakeBanks
import Foundation
import Providers
import Testing
@testable import ReferenceService

/// The service against the fake Bradesco over loopback HTTPS, on both configurations: a boleto registered at
/// once, one refused, and one the bank could not take at once, registered by the worker.
@Suite("The service with the Bradesco provider")
struct BankProviderTests {
    static let pki = try! TestPKI()
    static let company = try! pki.company(named: "LOJA EXEMPLO LTDA:11222333000181")

    /// A running fake Bradesco and the settings change that points the service at it.
    static func fakeBradesco() async throws -> (FakeBradesco, BradescoRegistroOnline.Configuration) {
        let fake = FakeBradesco(trustRoots: [pki.authority.certificate])
        let url = try await fake.start(identity: pki.server)
        let endpoint = try BankEndpoint(url: url, timeout: .seconds(5), additionalTrustRoots: [pki.authority.certificatePEM])
        let signer = CMSSigner(identity: try SigningIdentity(certificate: company.certificate, privateKey: company.key))
        return (fake, .init(endpoint: endpoint, signer: signer))
    }

    /// A configuration for the Bradesco beneficiary; returns its external_id.
    static func configure(_ service: TestService) async throws -> String {
        let reply = try await service.post("/configurations", .object([
            ("external_id", .string("loja-exemplo")), ("issuer", .string("bradesco")), ("issuer_account", .string("0009721")),
            ("issuer_agency", .string("3381")), ("issuer_wallet", .string("09")),
            ("beneficiary_document_number", .string("11.222.333/0001-81")),
        ]))
        #expect(reply.status == 201, "\(reply.text)")
        #expect(reply.json["beneficiary_document_number"]?.string == "11222333000181")
        return "loja-exemplo"
    }

    static func boleto(_ externalID: String, _ changes: [(String, JSON)] = []) -> JSON {
        Body.boleto([("external_id", .string(externalID)), ("issuer", .null), ("issuer_account", .null),
                     ("issuer_agency", .null), ("issuer_wallet", .null)] + changes)
    }

    @Test("registered at once: the bank holds the title and the boleto shows BoletoKit's line", arguments: ServiceBackend.available)
    func registered(_ backend: ServiceBackend) async throws {
        let (fake, bradesco) = try await Self.fakeBradesco()
        try await withService(backend, { $0.bradesco = bradesco }) { service in
            let externalID = try await Self.configure(service)
            let created = try await service.post("/boletos", Self.boleto(externalID))
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["status"]?.string == "registered")
            #expect(created.json["issuer"]?.string == "bradesco")
            #expect(created.json["beneficiary_document_number"]?.string == "11222333000181")
            let titles = await fake.titles
            #expect(titles.count == 1)
            let fields = try #require(titles.values.first)
            #expect(fields["nomePagador"] == "Maria Joaquina da Silva")
            #expect(fields["nuCPFCNPJ"] == "11222333")
            #expect(FakeBradesco.digitableLine(fields) == created.json["digitable_line"]?.string)
        }
        try await fake.stop()
    }

    @Test("refused: the bank's code and decoded message reach the boleto", arguments: ServiceBackend.available)
    func refused(_ backend: ServiceBackend) async throws {
        let (fake, bradesco) = try await Self.fakeBradesco()
        await fake.script(["refused"])
        try await withService(backend, { $0.bradesco = bradesco }) { service in
            let created = try await service.post("/boletos", Self.boleto(try await Self.configure(service)))
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["status"]?.string == "refused")
            #expect(created.json["issuer_response_code"]?.string == "40")
            let id = try #require(created.json["id"]?.string)
            let events = try await service.get("/boletos/\(id)/events").json.array ?? []
            #expect(events.last?.text.contains("Número CGC/CPF inválido") == true, "\(events.last?.text ?? "")")
        }
        try await fake.stop()
    }

    @Test("transient → pending_registration → worker → registered, the bank holding one title", arguments: ServiceBackend.available)
    func transientThenRegistered(_ backend: ServiceBackend) async throws {
        let (fake, bradesco) = try await Self.fakeBradesco()
        await fake.script(["unavailable"])
        try await withService(backend, { $0.bradesco = bradesco }) { service in
            let created = try await service.post("/boletos", Self.boleto(try await Self.configure(service)))
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["status"]?.string == "pending_registration")
            let id = try #require(created.json["id"]?.string)
            let settled = try await service.waitForBoleto(id) { $0["status"]?.string == "registered" }
            #expect(settled["status"]?.string == "registered")
            #expect(await fake.calls == 2)
            #expect(await fake.titles.count == 1)
        }
        try await fake.stop()
    }

    @Test("the bank's field rules and the beneficiary are checked when the boleto is created (400 with the field)")
    func validation() async throws {
        let (fake, bradesco) = try await Self.fakeBradesco()
        try await withService(.embedded, { $0.bradesco = bradesco }) { service in
            let noBeneficiary = try await service.post("/configurations", .object([
                ("external_id", .string("x")), ("issuer", .string("bradesco")), ("issuer_account", .string("0009721")),
                ("issuer_agency", .string("3381")), ("issuer_wallet", .string("09")),
            ]))
            #expect(noBeneficiary.status == 400)
            #expect(noBeneficiary.text.contains("beneficiary_document_number"))
            let externalID = try await Self.configure(service)
            let long = try await service.post("/boletos", Self.boleto(externalID, [("payer_name", .string(String(repeating: "A", count: 71)))]))
            #expect(long.status == 400, "\(long.text)")
            #expect(long.json["errors"]?.array?.first?["field"]?.string == "payer_name")
            let caixa = try await service.post("/boletos", Body.boleto([("issuer", .string("caixa"))]))
            #expect(caixa.status == 400)
            #expect(caixa.text.contains("caixa is not enabled"))
            // Issue 15, finding 9: the protocol carries the payer's document as digits; an alphanumeric CNPJ used to
            // be sent as nuCpfcnpjPagador "12ABC34501DE35".
            let alphanumeric = try await service.post("/boletos", Self.boleto(externalID, [
                ("payer_document_type", .string("cnpj")), ("payer_document_number", .string("12.ABC.345/01DE-35")),
            ]))
            #expect(alphanumeric.status == 400, "\(alphanumeric.text)")
            #expect(alphanumeric.json["errors"]?.array?.first?["field"]?.string == "payer_document_number")
            #expect(alphanumeric.text.contains("Bradesco"))
            #expect(await fake.calls == 0)
        }
        try await fake.stop()
    }

    @Test("bank settings: an http URL or a missing certificate stops the service from starting, naming the variable")
    func settings() throws {
        #expect(throws: ServiceSettings.InvalidSetting.self) {
            try ServiceSettings.fromEnvironment(["BOLETO_BRADESCO_URL": "http://bank.example/registro", "BOLETO_BRADESCO_PFX": "/dev/null"])
        }
        do {
            _ = try ServiceSettings.fromEnvironment(["BOLETO_BRADESCO_URL": "https://bank.example/registro"])
            Issue.record("a Bradesco URL without a certificate was accepted")
        } catch let error as ServiceSettings.InvalidSetting {
            #expect(error.variable == "BOLETO_BRADESCO_PFX")
        }
        do {
            _ = try ServiceSettings.fromEnvironment(["BOLETO_BRADESCO_URL": "https://bank.example/registro",
                                                     "BOLETO_BRADESCO_PFX": "/dev/null", "BOLETO_BRADESCO_PFX_PASSWORD": "hunter2"])
            Issue.record("an empty PKCS#12 file was accepted")
        } catch let error as ServiceSettings.InvalidSetting {
            #expect(error.variable == "BOLETO_BRADESCO_PFX")
            #expect(!error.description.contains("hunter2"))
        }
    }

    // MARK: Caixa

    /// A running fake Caixa for boleto-api's fixture beneficiary (código 200656) and the adapter settings for it.
    static func fakeCaixa(delay: Duration = .seconds(5)) async throws -> (FakeCaixa, CaixaSIGCB.Configuration) {
        let fake = try await FakeCaixa(identity: pki.server, beneficiaryCode: "200656", beneficiaryDocument: "00732159000109",
                                       delay: delay)
        let endpoint = try BankEndpoint(url: fake.url, timeout: .seconds(5), additionalTrustRoots: [pki.authority.certificatePEM])
        return (fake, .init(endpoint: endpoint, usuarioServico: "SGCBS01D"))
    }

    static func configureCaixa(_ service: TestService) async throws -> String {
        let reply = try await service.post("/configurations", .object([
            ("external_id", .string("loja-caixa")), ("issuer", .string("caixa")), ("issuer_account", .string("200656")),
            ("issuer_agency", .string("1679")), ("issuer_wallet", .string("14")),
            ("beneficiary_document_number", .string("00.732.159/0001-09")),
        ]))
        #expect(reply.status == 201, "\(reply.text)")
        return "loja-caixa"
    }

    @Test("caixa: registered with the bank's URL, changed (ALTERA_BOLETO), then canceled at the bank (BAIXA_BOLETO)", arguments: ServiceBackend.available)
    func caixaRegisteredAndCanceled(_ backend: ServiceBackend) async throws {
        let (fake, caixa) = try await Self.fakeCaixa()
        try await withService(backend, { $0.caixa = caixa }) { service in
            let created = try await service.post("/boletos", Self.boleto(try await Self.configureCaixa(service)))
            #expect(created.status == 201, "\(created.text)")
            let rejections = await fake.rejections
            #expect(created.json["status"]?.string == "registered", "\(rejections)")
            #expect(created.json["bank"]?.string == "104")
            let titles = await fake.titles
            #expect(titles.count == 1)
            let id = try #require(created.json["id"]?.string)
            let read = try await service.get("/boletos/\(id)").json
            #expect(read["boleto_url"]?.string?.hasPrefix("https://") == true, "\(read.text)")
            // A change through ALTERA_BOLETO: the bank's barcode is the one the service computes again.
            let due = Body.date(30)
            let changed = try await service.patch("/boletos/\(id)", .object([("expiration_date", .string(due)), ("abatement", .int(100))]))
            let rejected = await fake.rejections
            #expect(changed.status == 200, "\(changed.text) \(rejected)")
            let title = try #require(await fake.titles.values.first)
            #expect(title.dueDate == due && title.changes == 1 && changed.json["barcode"]?.string == title.barcode)
            let canceled = try await service.post("/boletos/\(id)/cancel", .object([]))
            #expect(canceled.status == 200, "\(canceled.text)")
            #expect(canceled.json["status"]?.string == "canceled")
        }
        try await fake.stop()
    }

    @Test("caixa: free text is folded before anything is dropped: fullwidth letters, ligatures and ordinals reach the bank as letters",
          arguments: ServiceBackend.available)
    func caixaFoldedText(_ backend: ServiceBackend) async throws {
        let (fake, caixa) = try await Self.fakeCaixa()
        try await withService(backend, { $0.caixa = caixa }) { service in
            let created = try await service.post("/boletos", Self.boleto(try await Self.configureCaixa(service), [
                ("payer_name", .string("Ｓão  ﬁlho nº 5")),
            ]))
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["status"]?.string == "registered")
            let title = try #require(await fake.titles.values.first)
            #expect(title.payerName == "Sao filho no 5", "was `ao  lho n  5`")
        }
        try await fake.stop()
    }

    /// Issue 15, finding 10: the bank writes the title off but its answer comes after the deadline. The service used
    /// to answer 503, then 409 to the retry ("already written off"), leaving the boleto `registered` for good.
    @Test("caixa: a cancel whose answer is lost is reconciled, by the client's retry or by the worker",
          arguments: ServiceBackend.available)
    func caixaLostCancel(_ backend: ServiceBackend) async throws {
        let (fake, caixa) = try await Self.fakeCaixa(delay: .seconds(6))
        try await withService(backend, { $0.caixa = caixa; $0.registerDeadline = .seconds(2) }) { service in
            let externalID = try await Self.configureCaixa(service)
            var ids: [String] = []
            for _ in 0..<2 {
                let created = try await service.post("/boletos", Self.boleto(externalID))
                let id = try #require(created.json["id"]?.string)
                // Registered at once, or by the worker when a loaded machine passed the deadline.
                _ = try await service.waitForBoleto(id, seconds: 20) { $0["status"]?.string == "registered" }
                ids.append(id)
            }
            func writtenOff() async -> Int { await fake.titles.values.filter(\.canceled).count }
            func lostCancel(_ id: String) async throws {
                await fake.script([FakeCaixa.Scenario.registersThenTimesOut])
                let written = await writtenOff()
                let first = try await service.request(.POST, "/boletos/\(id)/cancel")
                #expect(first.status == 202, "\(first.text)")
                #expect(first.json["status"]?.string == "registered", "not canceled until the bank says so")
                let deadline = ContinuousClock.now + .seconds(10)
                while await writtenOff() == written, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
                #expect(await writtenOff() == written + 1, "the bank wrote it off; only its answer was lost")
            }

            // The client retries: the bank says the title is no longer open, and the boleto settles as canceled.
            try await lostCancel(ids[0])
            let retry = try await service.request(.POST, "/boletos/\(ids[0])/cancel")
            #expect(retry.status == 200, "\(retry.text)")
            #expect(retry.json["status"]?.string == "canceled")
            let events = try await service.get("/boletos/\(ids[0])/events").json.array ?? []
            #expect(events.suffix(3).map { $0["type"]?.string ?? "" } == ["cancel_requested", "cancel_requested", "status_changed"])
            #expect(events.last?["detail"]?["issuer_response_code"]?.string == "48")
            #expect(try await service.service.store.jobs(boletoID: ids[0]).filter { $0.kind == .cancel }.isEmpty, "the pending cancel is settled")

            // Nobody retries: the worker's cancel job asks again after the deadline and settles it the same way.
            try await lostCancel(ids[1])
            let canceled = try await service.waitForBoleto(ids[1], seconds: 20) { $0["status"]?.string == "canceled" }
            #expect(canceled["status"]?.string == "canceled")
            #expect(try await service.service.store.jobs(boletoID: ids[1]).filter { $0.kind == .cancel }.isEmpty)
        }
        try await fake.stop()
    }

    @Test("caixa: refused with SIGCB's code; transient → pending_registration → worker → registered", arguments: ServiceBackend.available)
    func caixaRefusedAndTransient(_ backend: ServiceBackend) async throws {
        let (fake, caixa) = try await Self.fakeCaixa()
        await fake.script([FakeCaixa.Scenario.refused, FakeCaixa.Scenario.busError])
        try await withService(backend, { $0.caixa = caixa }) { service in
            let externalID = try await Self.configureCaixa(service)
            let refused = try await service.post("/boletos", Self.boleto(externalID))
            #expect(refused.json["status"]?.string == "refused", "\(refused.text)")
            #expect(refused.json["issuer_response_code"]?.string == "31")
            let pending = try await service.post("/boletos", Self.boleto(externalID))
            #expect(pending.json["status"]?.string == "pending_registration", "\(pending.text)")
            let id = try #require(pending.json["id"]?.string)
            let settled = try await service.waitForBoleto(id) { $0["status"]?.string == "registered" }
            #expect(settled["status"]?.string == "registered")
            #expect(await fake.registeredCount == 1)
        }
        try await fake.stop()
    }
}
