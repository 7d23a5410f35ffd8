import BoletoJSON
import BoletoKit
import FakeBanks
import Foundation
@testable import Providers
import Testing

/// The Itaú Boletos adapter against the strict fake Itaú over loopback HTTPS with mutual TLS: register (with and
/// without PIX, answers wrapped in `data` or not), the `validacao` dry run, the client certificate required, field
/// checks before sending, reconciliation of lost answers by query, query states and write-off.
@Suite("Itaú Boletos", .serialized)
struct ItauTests {
    static let pki: TestPKI = try! TestPKI()
    /// The beneficiary's client certificate, issued by the CA the fake trusts.
    static let client: TestPKI.Identity = try! pki.company(named: "Beneficiária")
    static let clientID = "itau-client-7f3a"
    static let secret = "itau-client-secret-never-shown"
    static let agency = "0057"
    static let account = "12345"
    static let dueDate = CalendarDate(year: 2027, month: 1, day: 15)!

    static func request(nossoNumero: String = "1", amountCents: Int64 = 12_345, agency: String = agency,
                        payerDocument: String? = "52998224725") throws -> RegistrationRequest {
        let input = BoletoInput(bank: "341", amountCents: amountCents, dueDate: dueDate, agency: agency, account: account, wallet: "109",
                                nossoNumero: nossoNumero)
        return RegistrationRequest(requestKey: "bol_itau_\(nossoNumero)", input: input, boleto: try Boleto(input),
                                   payerName: "Maria da Silva", payerDocument: try payerDocument.map { try Document($0) },
                                   payerAddress: PostalAddress(zipcode: "04538-132", street: "Avenida Brigadeiro Faria Lima", streetNumber: "3500",
                                                               complementary: "Torre Norte, 12º andar", neighborhood: "Itaim Bibi",
                                                               city: "São Paulo", state: "SP"),
                                   issueDate: CalendarDate(year: 2026, month: 12, day: 7)!)
    }

    /// `id_beneficiario` as BoletoKit's barcode implies it: agência, conta (7) and the DAC at barcode position 41.
    static func beneficiaryID(_ request: RegistrationRequest) -> String {
        agency + "00" + account + String(Array(request.boleto.barcode.description)[40])
    }

    /// An adapter for the fake at `urls`, presenting `identity` (`scenario` as a header on every API call).
    static func adapter(_ urls: (api: String, query: String, token: String), identity: TestPKI.Identity = client, secret: String = secret,
                        scenario: String? = nil, timeout: Duration = .seconds(10), pix: Bool = false) throws -> ItauBoletos {
        let credentials = try OAuthClientCredentials(tokenURL: urls.token, clientID: clientID, clientSecret: secret, authentication: .form)
        let endpoint = try BankEndpoint(url: urls.api, timeout: timeout, connectTimeout: .seconds(5), additionalTrustRoots: [pki.authority.certificatePEM])
        let signing = try SigningIdentity(certificatePEM: identity.certificatePEM, keyPEM: identity.keyPEM)
        return try ItauBoletos(configuration: .init(api: endpoint, queryURL: urls.query, credentials: credentials, clientIdentity: signing,
                                                    pix: pix, extraHeaders: scenario.map { ["X-Fake-Scenario": $0] } ?? [:]))
    }

    /// The fake and an adapter for it, both stopped afterwards.
    static func withBank<T>(scenario: String? = nil, identity: TestPKI.Identity = client, secret: String = secret,
                            timeout: Duration = .seconds(10), pix: Bool = false,
                            _ body: (FakeItau, ItauBoletos, (api: String, query: String, token: String)) async throws -> T) async throws -> T {
        let fake = FakeItau(agency: agency, account: account, clientID: clientID, clientSecret: Self.secret, delay: .seconds(3))
        let urls = try await fake.start(identity: pki.server, clientAuthority: pki.authority)
        var made: ItauBoletos?
        do {
            let adapter = try Self.adapter(urls, identity: identity, secret: secret, scenario: scenario, timeout: timeout, pix: pix)
            made = adapter
            let result = try await body(fake, adapter, urls)
            try await adapter.shutdown()
            try await fake.stop()
            return result
        } catch {
            try? await made?.shutdown()
            try? await fake.stop()
            throw error
        }
    }

    /// The string at `path` in `json`, taking the first element of any list on the way.
    static func text(_ json: JSON?, _ path: String...) -> String? {
        var current = json
        for key in path {
            if case .array(let items)? = current { current = items.first }
            current = current?[key]
        }
        if case .string(let value)? = current { return value }
        return nil
    }

    @Test("register: Itaú's barcode and line are BoletoKit's, wrapped in data or not; the body and headers are what the sources say")
    func register() async throws {
        try await Self.withBank { fake, adapter, _ in
            let first = try Self.request()
            let outcome = await adapter.register(first)
            guard case .registered(let barcode, let line, let number, let url, let pix) = outcome else {
                Issue.record("expected registered, got \(outcome)")
                return
            }
            #expect(barcode == first.boleto.barcode.description && line == first.boleto.digitableLine.description)
            #expect(number == first.boleto.nossoNumero && url == nil && pix == nil)
            // The fake's second answer is not wrapped in `data`.
            guard case .registered = await adapter.register(try Self.request(nossoNumero: "2")) else {
                Issue.record("the unwrapped answer was not read")
                return
            }
            #expect(await fake.rejections == [])
            #expect(await fake.titles.count == 2)
            #expect(await fake.oauth.tokenRequests == 1)

            let requests = await fake.requests
            #expect(requests.count == 2)
            let sent = try #require(requests.first)
            #expect(sent.method == "POST" && sent.path == "/cash_management/v2/boletos")
            #expect(sent.header("x-itau-apikey") == Self.clientID)
            #expect(sent.header("authorization")?.hasPrefix("Bearer ") == true)
            #expect(sent.header("content-type")?.hasPrefix("application/json") == true)
            let correlations = requests.compactMap { $0.header("x-itau-correlationID") }
            let flows = requests.compactMap { $0.header("x-itau-flowID") }
            #expect(correlations.count == 2 && Set(correlations).count == 2 && correlations.allSatisfy { UUID(uuidString: $0) != nil })
            #expect(flows.count == 2 && Set(flows).count == 1 && UUID(uuidString: flows[0]) != nil)

            let body = try JSON.parse(utf8: sent.body)
            #expect(Self.text(body, "data", "etapa_processo_boleto") == "efetivacao")
            #expect(Self.text(body, "data", "beneficiario", "id_beneficiario") == Self.beneficiaryID(first))
            #expect(Self.text(body, "data", "beneficiario", "id_beneficiario") == (await fake.beneficiaryID))
            #expect(Self.text(body, "data", "dado_boleto", "descricao_instrumento_cobranca") == "boleto")
            #expect(Self.text(body, "data", "dado_boleto", "codigo_carteira") == "109")
            #expect(Self.text(body, "data", "dado_boleto", "valor_total_titulo") == "00000000000012345")
            #expect(Self.text(body, "data", "dado_boleto", "codigo_especie") == "01")
            #expect(Self.text(body, "data", "dado_boleto", "data_emissao") == "2026-12-07")
            #expect(Self.text(body, "data", "dado_boleto", "texto_seu_numero") == "00000001")
            #expect(Self.text(body, "data", "dado_boleto", "dados_individuais_boleto", "numero_nosso_numero") == "00000001")
            #expect(Self.text(body, "data", "dado_boleto", "dados_individuais_boleto", "data_vencimento") == "2027-01-15")
            #expect(Self.text(body, "data", "dado_boleto", "dados_individuais_boleto", "valor_titulo") == "00000000000012345")
            #expect(Self.text(body, "data", "dado_boleto", "pagador", "pessoa", "nome_pessoa") == "Maria da Silva")
            #expect(Self.text(body, "data", "dado_boleto", "pagador", "pessoa", "tipo_pessoa", "codigo_tipo_pessoa") == "F")
            #expect(Self.text(body, "data", "dado_boleto", "pagador", "pessoa", "tipo_pessoa", "numero_cadastro_pessoa_fisica") == "52998224725")
            let street = try #require(Self.text(body, "data", "dado_boleto", "pagador", "endereco", "nome_logradouro"))
            #expect(street.count == 45 && street.hasPrefix("Avenida Brigadeiro Faria Lima 3500 Torre"))
            #expect(Self.text(body, "data", "dado_boleto", "pagador", "endereco", "nome_cidade") == "São Paulo")
            #expect(Self.text(body, "data", "dado_boleto", "pagador", "endereco", "sigla_UF") == "SP")
            #expect(Self.text(body, "data", "dado_boleto", "pagador", "endereco", "numero_CEP") == "04538132")
        }
    }

    @Test("boleto_pix: the PIX copy-and-paste text comes back and parses as a BR Code of the title's amount")
    func pix() async throws {
        try await Self.withBank(pix: true) { fake, adapter, _ in
            let outcome = await adapter.register(try Self.request())
            guard case .registered(_, _, _, _, let pix?) = outcome else {
                Issue.record("expected registered with PIX, got \(outcome)")
                return
            }
            let code = try PixBRCode.parse(pix)
            #expect(code.amountCents == 12_345)
            let body = try JSON.parse(utf8: try #require(await fake.requests.first).body)
            #expect(Self.text(body, "data", "dado_boleto", "descricao_instrumento_cobranca") == "boleto_pix")
        }
    }

    @Test("validacao: Itaú checks the fields and registers nothing; its refusal carries the status and message")
    func validation() async throws {
        try await Self.withBank { fake, adapter, _ in
            let request = try Self.request()
            #expect(await adapter.validate(request) == .accepted)
            #expect(await fake.validations == 1)
            #expect(await fake.titles.isEmpty)
            let body = try JSON.parse(utf8: try #require(await fake.requests.first).body)
            #expect(Self.text(body, "data", "etapa_processo_boleto") == "validacao")
            #expect(await adapter.query(request) == .notFound)
            // Another agência is another account: not this beneficiary's.
            let elsewhere = try Self.request(agency: "0058")
            #expect(await adapter.validate(elsewhere) == .refused(code: "422", message: "Beneficiário não pertence ao cliente."))
            var undated = request
            undated.input.dueDate = nil
            guard case .refused("FIELDS", _) = await adapter.validate(undated) else {
                Issue.record("a request without a due date was sent for validation")
                return
            }
            #expect(await fake.requests.count == 3)
        }
    }

    @Test("mutual TLS is required: an untrusted client certificate is misconfigured and nothing reaches Itaú")
    func mutualTLS() async throws {
        try await Self.withBank(identity: try TestPKI.selfSigned(named: "Intrusa")) { fake, adapter, _ in
            guard case .misconfigured(let reason) = await adapter.register(try Self.request()) else {
                Issue.record("a connection with an untrusted client certificate registered")
                return
            }
            #expect(reason.contains("TLS"))
            guard case .refused("CONFIG", _) = await adapter.cancel(try Self.request()) else {
                Issue.record("a cancel without mutual TLS was not refused as CONFIG")
                return
            }
            #expect(await fake.requests.isEmpty)
            #expect(await fake.oauth.tokenRequests == 0)
        }
    }

    @Test("what Itaú would refuse is refused before sending, naming the field")
    func fields() async throws {
        try await Self.withBank { fake, adapter, _ in
            let good = try Self.request()
            #expect(adapter.problems(in: good) == [])
            #expect(ItauRequest.titleID(good) == Self.beneficiaryID(good) + "109" + "00000001")
            var otherBank = good
            otherBank.input.bank = "237"
            var longAccount = good
            longAccount.input.account = "12345678"
            var longNumber = good
            longNumber.input.nossoNumero = "123456789"
            var wideWallet = good
            wideWallet.input.wallet = "1090"
            var undated = good
            undated.input.dueDate = nil
            var unnamed = good
            unnamed.payerName = " "
            var shortCEP = good
            shortCEP.payerAddress?.zipcode = "0453"
            let cases: [(RegistrationRequest, String)] = [
                (otherBank, "input.bank"), (longAccount, "input.account"), (longNumber, "input.nossoNumero"), (wideWallet, "input.wallet"),
                (undated, "input.dueDate"), (unnamed, "payerName"), (try Self.request(payerDocument: nil), "payerDocument"),
                (try Self.request(amountCents: 0), "input.amountCents"), (shortCEP, "payerAddress.zipcode"),
            ]
            for (request, field) in cases {
                guard case .refused("FIELDS", let message) = await adapter.register(request) else {
                    Issue.record("expected FIELDS for \(field)")
                    continue
                }
                #expect(message.contains(field), "\(message)")
            }
            #expect(await fake.requests.isEmpty)
            #expect(await fake.oauth.tokenRequests == 0)
        }
    }

    @Test("a lost answer: 503 and a timeout are transient; the retry of a title Itaú kept is already registered")
    func transientAndReconciled() async throws {
        try await Self.withBank(scenario: "server-error") { _, adapter, _ in
            guard case .transient = await adapter.register(try Self.request()) else {
                Issue.record("a 503 was not transient")
                return
            }
        }
        try await Self.withBank(scenario: "timeout", timeout: .seconds(1)) { fake, adapter, _ in
            guard case .transient = await adapter.register(try Self.request()) else {
                Issue.record("a timeout was not transient")
                return
            }
            #expect(await fake.titles.isEmpty)
        }
        try await Self.withBank { fake, adapter, urls in
            let request = try Self.request()
            // The first attempt times out after Itaú kept the title. Its token is fetched first, so that only the
            // registration itself can run out of time, however slow the machine.
            let slow = try Self.adapter(urls, scenario: "registers-then-times-out", timeout: .milliseconds(1500))
            _ = await slow.tokens.token()
            let first = await slow.register(request)
            try await slow.shutdown()
            guard case .transient = first else {
                Issue.record("a registration whose answer timed out was not transient")
                return
            }
            #expect(await fake.titles.count == 1)
            #expect(await adapter.register(request) == .alreadyRegistered(code: "422", message: "Título já registrado."))
            // A different title under the same id is not reconciled: Itaú's refusal stands.
            let other = try Self.request(amountCents: 999)
            #expect(await adapter.register(other) == .refused(code: "422", message: "Título já registrado."))
        }
    }

    @Test("scenarios: refused carries Itaú's status, slow still registers, paid-elsewhere is Paga, and a token expiring on every call is retried once")
    func scenarios() async throws {
        try await Self.withBank(scenario: "refused") { _, adapter, _ in
            guard case .refused(let code, _) = await adapter.register(try Self.request()) else { Issue.record("not refused"); return }
            #expect(code == "422")
        }
        try await Self.withBank(scenario: "slow") { fake, adapter, _ in
            guard case .registered = await adapter.register(try Self.request()) else { Issue.record("slow was not registered"); return }
            #expect(await fake.titles.count == 1)
        }
        try await Self.withBank(scenario: "paid-elsewhere") { _, adapter, _ in
            let request = try Self.request()
            _ = await adapter.register(request)
            guard case .found(_, _, _, .paid, _) = await adapter.query(request) else { Issue.record("not paid"); return }
        }
        try await Self.withBank(scenario: "expired-token") { fake, adapter, _ in
            if case .registered = await adapter.register(try Self.request()) { Issue.record("registered with a void token") }
            #expect(await fake.oauth.tokenRequests == 2, "one fresh token after the 401, and no more")
            #expect(await fake.titles.isEmpty)
        }
    }

    @Test("query: Em Aberto with the barcode, Paga, Baixada and not found, with answers wrapped in data or not")
    func query() async throws {
        try await Self.withBank { fake, adapter, _ in
            let request = try Self.request()
            #expect(await adapter.query(request) == .notFound)
            let sent = try #require(await fake.requests.last)
            #expect(sent.method == "GET"
                && sent.path == "/boletoscash/v2/boletos?id_beneficiario=\(Self.beneficiaryID(request))&codigo_carteira=109&nosso_numero=00000001")
            _ = await adapter.register(request)
            #expect(await adapter.query(request) == .found(status: "Em Aberto", barcode: request.boleto.barcode.description,
                                                           digitableLine: request.boleto.digitableLine.description, state: .open))
            let id = try #require(ItauRequest.titleID(request))
            await fake.pay(id)
            guard case .found("Paga", _, _, .paid, let payment?) = await adapter.query(request) else {
                Issue.record("a paid title was not Paga with its payment")
                return
            }
            #expect(payment.amountCents == request.input.amountCents && payment.date == request.input.dueDate)
        }
        try await Self.withBank(scenario: "written-off") { _, adapter, _ in
            let request = try Self.request()
            _ = await adapter.register(request)
            guard case .found("Baixada", _, _, .writtenOff, nil) = await adapter.query(request) else {
                Issue.record("a written-off title was not Baixada")
                return
            }
        }
        try await Self.withBank(scenario: "unwrapped") { _, adapter, _ in
            let request = try Self.request()
            #expect(await adapter.query(request) == .notFound)
            guard case .registered = await adapter.register(request) else {
                Issue.record("an unwrapped registration answer was not read")
                return
            }
            #expect(await adapter.query(request) == .found(status: "Em Aberto", barcode: request.boleto.barcode.description,
                                                           digitableLine: request.boleto.digitableLine.description, state: .open))
        }
    }

    @Test("change: one PATCH per instruction with decimal strings; the fake recomputes the barcode; several at once is refused before sending")
    func alter() async throws {
        try await Self.withBank { fake, adapter, _ in
            let request = try Self.request()
            _ = await adapter.register(request)
            let id = try #require(ItauRequest.titleID(request))
            let due = CalendarDate(year: 2027, month: 2, day: 10)!
            #expect(await adapter.alter(request, BoletoAlteration(dueDate: due)) == .altered)
            #expect(await adapter.alter(request, BoletoAlteration(amountCents: 25_000)) == .altered)
            #expect(await adapter.alter(request, BoletoAlteration(abatementCents: 1_050)) == .altered)
            let discount = BoletoTerms.Discount(kind: .percent, percent: Percent(2.5), until: CalendarDate(year: 2027, month: 2, day: 1)!)
            #expect(await adapter.alter(request, BoletoAlteration(discounts: [discount])) == .altered)
            let title = try #require(await fake.titles[id])
            var input = request.input
            input.amountCents = 25_000
            input.dueDate = due
            #expect(title.barcode == (try Boleto(input)).barcode.description)
            let patches = await fake.requests.filter { $0.method == "PATCH" }
            #expect(patches.map(\.path) == ["data_vencimento", "valor_nominal", "abatimento", "desconto"].map { "/cash_management/v2/boletos/\(id)/\($0)" })
            let bodies = try patches.map { try #require(try JSONSerialization.jsonObject(with: Data($0.body)) as? [String: Any]) }
            #expect(bodies[0]["data_vencimento"] as? String == "2027-02-10")
            #expect(bodies[1]["valor_titulo"] as? String == "250.00")
            #expect(bodies[2]["valor_abatimento"] as? String == "10.50")
            #expect(bodies[3]["codigo_tipo_desconto"] as? String == "02")
            #expect((bodies[3]["descontos"] as? [[String: Any]])?.first?["percentual_desconto"] as? String == "2.50000")
            #expect(await fake.rejections == [])

            let count = await fake.requests.count
            guard case .refused("FIELDS", _) = await adapter.alter(request, BoletoAlteration(dueDate: due, amountCents: 1)) else {
                Issue.record("two instructions in one change must be refused before sending")
                return
            }
            #expect(await fake.requests.count == count)
            #expect(!adapter.carriesSeveralKinds && !adapter.alterable.contains(.protest))
            // A due date in the past is Itaú's refusal.
            #expect(await adapter.alter(request, BoletoAlteration(dueDate: CalendarDate(year: 2020, month: 1, day: 1)!))
                == .refused(code: "400", message: "data_vencimento no formato AAAA-MM-DD, a partir de hoje."))
        }
    }

    @Test("write-off: PATCH …/baixa answers 204 and is canceled; a retry is already canceled; paid and unknown titles are refused")
    func cancel() async throws {
        try await Self.withBank { fake, adapter, _ in
            let request = try Self.request()
            _ = await adapter.register(request)
            let id = try #require(ItauRequest.titleID(request))
            #expect(await adapter.cancel(request) == .canceled)
            #expect(await fake.titles[id]?.status == "Baixada")
            let sent = try #require(await fake.requests.last)
            #expect(sent.method == "PATCH" && sent.path == "/cash_management/v2/boletos/\(id)/baixa")
            #expect(await adapter.cancel(request) == .alreadyCanceled(code: "422", message: "Título já baixado."))
            let paid = try Self.request(nossoNumero: "2")
            _ = await adapter.register(paid)
            let paidID = try #require(ItauRequest.titleID(paid))
            await fake.pay(paidID)
            #expect(await adapter.cancel(paid) == .refused(code: "422", message: "Título liquidado não pode ser baixado."))
            let unknown = try Self.request(nossoNumero: "3")
            #expect(await adapter.cancel(unknown) == .refused(code: "404", message: "Boleto não encontrado."))
        }
    }

    @Test("a wrong secret is misconfigured, naming the OAuth error and never the secret")
    func misconfigured() async throws {
        try await Self.withBank(secret: "not-the-secret") { _, adapter, _ in
            guard case .misconfigured(let reason) = await adapter.register(try Self.request()) else {
                Issue.record("a wrong secret was not misconfigured")
                return
            }
            #expect(reason.contains("invalid_client") && !reason.contains("not-the-secret"))
            guard case .refused("CONFIG", _) = await adapter.cancel(try Self.request()) else {
                Issue.record("a cancel without a token was not refused as CONFIG")
                return
            }
        }
    }
}
