import BoletoKit
import FakeBanks
import Foundation
import Providers
import Testing

/// The Bradesco adapter against the fake Bradesco over loopback HTTPS: every outcome class and every scenario.
@Suite("Bradesco registro online against the fake bank")
struct BradescoRegistrationTests {
    @Test("A boleto is registered, with the JSON the bank requires and BoletoKit's barcode")
    func registers() async throws {
        let (fake, url) = try await BradescoFixtures.fake()
        let adapter = try BradescoFixtures.adapter(url)
        let request = try BradescoFixtures.request()
        let outcome = await adapter.register(request)
        #expect(outcome == .registered(barcode: request.boleto.barcode.description, digitableLine: request.boleto.digitableLine.formatted,
                                       nossoNumero: request.boleto.nossoNumero, bankURL: nil))
        let titles = await fake.titles
        let rejections = await fake.rejections
        #expect(titles.count == 1, "rejections: \(rejections)")
        let fields = try #require(titles["338100000000009721/12345"])
        #expect(fields["nomePagador"] == "Jessica6 YOLANDO 1/10 da Silva", "the fraction slash NFKC leaves is folded to a slash")
        #expect(fields["municipioPagador"] == "São Paulo")
        #expect(fields["vlNominalTitulo"] == "12345")
        #expect(fields["nuCPFCNPJ"] == "11222333" && fields["filialCPFCNPJ"] == "0001" && fields["ctrlCPFCNPJ"] == "81")
        #expect(fields["nuCpfcnpjPagador"] == "00011144477735" && fields["cdIndCpfcnpjPagador"] == "1")
        #expect(fields["cepPagador"] == "01310" && fields["complementoCepPagador"] == "100")
        let due = try #require(request.input.dueDate)
        #expect(fields["dtVencimentoTitulo"] == String(format: "%02d.%02d.%04d", due.day, due.month, due.year))
        try await adapter.shutdown()
        try await fake.stop()
    }

    @Test("The same title again is 'already registered' (69), which callers reconcile")
    func duplicate() async throws {
        let (fake, url) = try await BradescoFixtures.fake()
        let adapter = try BradescoFixtures.adapter(url)
        let request = try BradescoFixtures.request()
        guard case .registered = await adapter.register(request) else { Issue.record("first registration failed"); return }
        #expect(await adapter.register(request) == .alreadyRegistered(code: "69", message: "TITULO JA CADASTRADO"))
        #expect(await fake.titles.count == 1)
        try await adapter.shutdown()
        try await fake.stop()
    }

    @Test("A registration that times out is transient, and its retry reconciles through 69")
    func timeoutThenReconciled() async throws {
        let (fake, url) = try await BradescoFixtures.fake(delay: .seconds(3))
        let slow = try BradescoFixtures.adapter(url, scenario: "registers-then-times-out", timeout: .seconds(1))
        let request = try BradescoFixtures.request()
        let first = await slow.register(request)
        guard case .transient = first else { Issue.record("a timeout must be transient, got \(first)"); return }
        let retry = try BradescoFixtures.adapter(url)
        #expect(await retry.register(request) == .alreadyRegistered(code: "69", message: "TITULO JA CADASTRADO"))
        try await slow.shutdown()
        try await retry.shutdown()
        try await fake.stop()
    }

    @Test("'Serviço temporariamente não disponível' is transient, and the retry finds the title registered")
    func temporarilyUnavailableThenReconciled() async throws {
        let (fake, url) = try await BradescoFixtures.fake()
        let flaky = try BradescoFixtures.adapter(url, scenario: "temporarily-unavailable")
        let request = try BradescoFixtures.request()
        #expect(await flaky.register(request) == .transient(reason: "Bradesco answered 9100, a temporary failure."))
        let retry = try BradescoFixtures.adapter(url)
        #expect(await retry.register(request) == .alreadyRegistered(code: "69", message: "TITULO JA CADASTRADO"))
        try await flaky.shutdown()
        try await retry.shutdown()
        try await fake.stop()
    }

    @Test("A bank slower than the timeout is transient, never refused")
    func timeout() async throws {
        let (fake, url) = try await BradescoFixtures.fake(delay: .seconds(3))
        let adapter = try BradescoFixtures.adapter(url, scenario: "timeout", timeout: .seconds(1))
        let outcome = await adapter.register(try BradescoFixtures.request())
        #expect(outcome == .transient(reason: "The bank did not answer within 1.0 seconds."))
        try await adapter.shutdown()
        try await fake.stop()
    }

    @Test("Every failure scenario maps onto its outcome class", arguments: [
        ("server-error", RegistrationOutcome.transient(reason: "Bradesco answered HTTP 500 without its answer envelope.")),
        ("malformed", .transient(reason: "Bradesco answered HTTP 200 with a body that is not its answer envelope.")),
        ("not-found", .misconfigured(reason: "Bradesco answered HTTP 404; check the endpoint URL.")),
        ("certificate-error", .transient(reason: "Bradesco answered 810, a temporary failure.")),
        ("unavailable", .transient(reason: "Bradesco answered -99, a temporary failure.")),
        ("abnormal-end", .transient(reason: "Bradesco answered 1290030, a temporary failure.")),
        ("refused", .refused(code: "40", message: "Número CGC/CPF inválido")),
    ])
    func scenarios(scenario: String, expected: RegistrationOutcome) async throws {
        let (fake, url) = try await BradescoFixtures.fake()
        let adapter = try BradescoFixtures.adapter(url, scenario: scenario)
        #expect(await adapter.register(try BradescoFixtures.request()) == expected)
        #expect(await fake.calls == 1)
        try await adapter.shutdown()
        try await fake.stop()
    }

    @Test("A signature the bank does not trust is answered 810 and nothing is registered")
    func untrustedSignature() async throws {
        let (fake, url) = try await BradescoFixtures.fake()
        let stranger = try TestPKI.selfSigned(named: "Someone else")
        let signer = CMSSigner(identity: try SigningIdentity(certificate: stranger.certificate, privateKey: stranger.key))
        let adapter = try BradescoFixtures.adapter(url, signer: signer)
        #expect(await adapter.register(try BradescoFixtures.request()) == .transient(reason: "Bradesco answered 810, a temporary failure."))
        #expect(await fake.titles.isEmpty)
        #expect(await fake.rejections == ["the signature does not verify against the trusted certificates"])
        try await adapter.shutdown()
        try await fake.stop()
    }

    @Test("A bank certificate that does not verify is a misconfiguration, and nothing reaches the bank")
    func untrustedBank() async throws {
        let (fake, url) = try await BradescoFixtures.fake()
        let adapter = try BradescoFixtures.adapter(url, trusting: false)
        let outcome = await adapter.register(try BradescoFixtures.request())
        guard case .misconfigured(let reason) = outcome else { Issue.record("expected misconfigured, got \(outcome)"); return }
        #expect(reason.hasPrefix("TLS with the bank failed"))
        #expect(await fake.calls == 0)
        try await adapter.shutdown()
        try await fake.stop()
    }

    @Test("Fields the bank would reject are refused before anything is signed or sent, named by field")
    func fieldProblems() async throws {
        let (fake, url) = try await BradescoFixtures.fake()
        let adapter = try BradescoFixtures.adapter(url)
        var request = try BradescoFixtures.request(payerName: String(repeating: "A", count: 71))
        request.payerAddress?.neighborhood = String(repeating: "B", count: 41)
        request.beneficiary = nil
        #expect(adapter.problems(in: request).map(\.field) == [.beneficiary, .payerName, .payerAddressPart(.neighborhood)])
        #expect(await adapter.register(request) == .refused(code: "FIELDS", message:
            "beneficiary: is required by Bradesco (the beneficiary's CNPJ or CPF).; payerName: Bradesco takes at most 70 characters.; payerAddress.neighborhood: Bradesco takes at most 40 characters."))
        #expect(await fake.calls == 0)
        try await adapter.shutdown()
        try await fake.stop()
    }

    @Test("Control characters in free text reach the bank as spaces between words, and an alphanumeric CNPJ is never sent")
    func textAndDocuments() async throws {
        let (fake, url) = try await BradescoFixtures.fake()
        let adapter = try BradescoFixtures.adapter(url)
        var request = try BradescoFixtures.request(payerName: "Ana\tMaria")
        request.payerAddress?.street = "Rua A\tB\nC"
        _ = await adapter.register(request)
        let fields = try #require(await fake.titles.values.first)
        #expect(fields["logradouroPagador"] == "Rua A B C", "was `Rua ABC`")
        #expect(fields["nomePagador"] == "Ana Maria")
        var alphanumeric = try BradescoFixtures.request(nossoNumero: "00000012346")
        alphanumeric.payerDocument = try Document("12.ABC.345/01DE-35")
        alphanumeric.beneficiary = Beneficiary(document: try Document("12.ABC.345/01DE-35"))
        #expect(adapter.problems(in: alphanumeric).map(\.field) == [.payerDocument, .beneficiary])
        let calls = await fake.calls
        guard case .refused(let code, _) = await adapter.register(alphanumeric) else {
            Issue.record("an alphanumeric CNPJ was sent")
            return
        }
        #expect(code == "FIELDS")
        #expect(await fake.calls == calls)
        try await adapter.shutdown()
        try await fake.stop()
    }

    @Test("A bank URL must be https")
    func httpsOnly() {
        #expect(throws: ProviderConfigurationError.self) { try BankEndpoint(url: "http://127.0.0.1:8080/ibpjregistrotitulows/registrotitulo") }
        #expect(throws: ProviderConfigurationError.self) { try BankEndpoint(url: "ibpjregistrotitulows/registrotitulo") }
    }
}
