import BoletoKit
import FakeBanks
import Foundation
@testable import Providers
import Testing

/// The Banco do Brasil API Cobranças v2 adapter against the strict fake BB over loopback HTTPS: register with PIX,
/// field checks before sending, both error shapes, reconciliation of lost answers by query, token expiry, query and
/// write-off.
@Suite("Banco do Brasil Cobranças v2", .serialized)
struct BancoDoBrasilTests {
    static let pki: TestPKI = try! TestPKI()
    static let convenio: Int64 = 3_128_557
    static let appKey = "d27b77f9-app-key"
    static let secret = "bb-client-secret-never-shown"
    static let dueDate = CalendarDate(year: 2027, month: 1, day: 15)!

    static func request(nossoNumero: String = "1", amountCents: Int64 = 12_345, convenio: String = String(convenio),
                        variation: String? = "35", payerDocument: String? = "52998224725", pix: Bool = true) throws -> RegistrationRequest {
        let input = BoletoInput(bank: "001", amountCents: amountCents, dueDate: dueDate, beneficiaryCode: convenio, wallet: "17",
                                walletVariation: variation, nossoNumero: nossoNumero)
        return RegistrationRequest(requestKey: "bol_bb_\(nossoNumero)", input: input, boleto: try Boleto(input),
                                   payerName: "Maria da Silva", payerDocument: try payerDocument.map { try Document($0) },
                                   payerAddress: PostalAddress(zipcode: "70040-912", street: "SBS Quadra 1", streetNumber: "1",
                                                               complementary: nil, neighborhood: "Asa Sul", city: "Brasília", state: "DF"),
                                   instructions: "Não receber após 30 dias do vencimento.\nSegunda linha",
                                   issueDate: CalendarDate(year: 2026, month: 12, day: 7)!)
    }

    /// The fake and an adapter for it (`scenario` as a header on every call), both stopped afterwards.
    static func withBank<T>(scenario: String? = nil, appKey: String = appKey, secret: String = secret, timeout: Duration = .seconds(10),
                            connectTimeout: Duration = .seconds(5),
                            _ body: (FakeBancoDoBrasil, BancoDoBrasilCobranca) async throws -> T) async throws -> T {
        let fake = FakeBancoDoBrasil(applicationKey: Self.appKey, convenio: convenio, clientID: "bb-client", clientSecret: Self.secret,
                                     delay: .seconds(3))
        let (api, token) = try await fake.start(identity: pki.server)
        let credentials = try OAuthClientCredentials(tokenURL: token, clientID: "bb-client", clientSecret: secret,
                                                     scope: "cobrancas.boletos-info cobrancas.boletos-requisicao", authentication: .basic)
        let endpoint = try BankEndpoint(url: api, timeout: timeout, connectTimeout: connectTimeout, additionalTrustRoots: [pki.authority.certificatePEM])
        let adapter = try BancoDoBrasilCobranca(configuration: .init(api: endpoint, credentials: credentials, applicationKey: appKey,
                                                                     extraHeaders: scenario.map { ["X-Fake-Scenario": $0] } ?? [:]))
        do {
            let result = try await body(fake, adapter)
            try await adapter.shutdown()
            try await fake.stop()
            return result
        } catch {
            try? await adapter.shutdown()
            try? await fake.stop()
            throw error
        }
    }

    @Test("register: BB's barcode and line are BoletoKit's, the PIX BR Code comes back and parses, the body is what the manual says")
    func register() async throws {
        try await Self.withBank { fake, adapter in
            let request = try Self.request()
            let outcome = await adapter.register(request)
            guard case .registered(let barcode, let line, let number, let url, let pix?) = outcome else {
                Issue.record("expected registered with PIX, got \(outcome)")
                return
            }
            #expect(barcode == request.boleto.barcode.description && line == request.boleto.digitableLine.description)
            #expect(number == request.boleto.nossoNumero)
            #expect(url?.contains("00031285570000000001") == true)
            let code = try PixBRCode.parse(pix)
            #expect(code.amountCents == 12_345)
            #expect(await fake.rejections == [])
            let sent = try #require(await fake.requests.first)
            #expect(sent.path.hasPrefix("/cobrancas/v2/boletos?gw-dev-app-key=\(Self.appKey)"))
            let body = try #require(try JSONSerialization.jsonObject(with: Data(sent.body)) as? [String: Any])
            #expect(body["numeroTituloCliente"] as? String == "00031285570000000001")
            #expect(body["dataVencimento"] as? String == "15.01.2027" && body["dataEmissao"] as? String == "07.12.2026")
            #expect((body["valorOriginal"] as? NSNumber)?.doubleValue == 123.45)
            #expect(body["mensagemBloquetoOcorrencia"] as? String == "Não receber após 30 dias do ve")
            #expect(body["indicadorPix"] as? String == "S")
            #expect((body["pagador"] as? [String: Any])?["tipoInscricao"] as? NSNumber == 1)
            #expect(await fake.oauth.tokenRequests == 1)
        }
    }

    @Test("scenarios: refused carries BB's code, slow still registers, and a token expiring on every call is retried once")
    func scenarios() async throws {
        try await Self.withBank(scenario: "refused") { _, adapter in
            guard case .refused(let code, _) = await adapter.register(try Self.request()) else { Issue.record("not refused"); return }
            #expect(code == "F099")
        }
        try await Self.withBank(scenario: "slow") { fake, adapter in
            guard case .registered = await adapter.register(try Self.request()) else { Issue.record("slow was not registered"); return }
            #expect(await fake.titles.count == 1)
        }
        try await Self.withBank(scenario: "expired-token") { fake, adapter in
            if case .registered = await adapter.register(try Self.request()) { Issue.record("registered with a void token") }
            #expect(await fake.oauth.tokenRequests == 2, "one fresh token after the 401, and no more")
            #expect(await fake.titles.isEmpty)
        }
    }

    @Test("100 concurrent registrations fetch one token; a token expired at the bank mid-run costs one more")
    func tokens() async throws {
        // Generous timeouts: 100 registrations share the client's connection pool, and a loaded CI machine must not
        // turn the wait for a connection into a transient outcome; the test is about tokens.
        try await Self.withBank(timeout: .seconds(60), connectTimeout: .seconds(60)) { fake, adapter in
            let outcomes = try await withThrowingTaskGroup(of: RegistrationOutcome.self) { group in
                for number in 1...100 { group.addTask { await adapter.register(try Self.request(nossoNumero: String(number))) } }
                var all: [RegistrationOutcome] = []
                for try await outcome in group { all.append(outcome) }
                return all
            }
            let failed = outcomes.filter { if case .registered = $0 { false } else { true } }
            #expect(failed.isEmpty, "\(failed.count) not registered, such as \(String(describing: failed.first))")
            #expect(await fake.oauth.tokenRequests == 1)
            await fake.oauth.revokeAll()
            guard case .registered = await adapter.register(try Self.request(nossoNumero: "101")) else {
                Issue.record("the registration after the token expired failed")
                return
            }
            #expect(await fake.oauth.tokenRequests == 2)
        }
    }

    @Test("what BB would refuse is refused before sending, naming the field; BB's own refusals carry its code, in both shapes")
    func refusals() async throws {
        try await Self.withBank { fake, adapter in
            for request in [try Self.request(convenio: "12345678"), try Self.request(variation: nil), try Self.request(payerDocument: nil),
                            try Self.request(amountCents: 0)] {
                guard case .refused("FIELDS", let message) = await adapter.register(request) else {
                    Issue.record("expected FIELDS")
                    continue
                }
                #expect(!message.isEmpty)
            }
            #expect(await fake.requests.isEmpty)
            #expect(await fake.oauth.tokenRequests == 0)
            // The 17-digit nosso número that starts with the convênio is the same title as its last 10 digits.
            let long = try Self.request(nossoNumero: "3128557" + "0000000007")
            #expect(BancoDoBrasilRequest.titleID(long) == "00031285570000000007")
            guard case .registered = await adapter.register(long) else {
                Issue.record("the 17-digit nosso número was not registered")
                return
            }
        }
        // A convênio that is not the beneficiary's at BB: refused with BB's code and message, in either shape.
        for scenario in [nil, "old-error-shape"] {
            try await Self.withBank(scenario: scenario) { _, adapter in
                let outcome = await adapter.register(try Self.request(convenio: "7654321"))
                #expect(outcome == .refused(code: "F010", message: "Convênio inexistente ou não pertence ao cliente."), "\(scenario ?? "new shape")")
            }
        }
    }

    @Test("a lost answer: 503 and a timeout are transient; the retry of a title BB kept is already registered")
    func transientAndReconciled() async throws {
        try await Self.withBank(scenario: "server-error") { _, adapter in
            guard case .transient = await adapter.register(try Self.request()) else {
                Issue.record("a 503 was not transient")
                return
            }
        }
        try await Self.withBank { fake, adapter in
            let request = try Self.request()
            // The first attempt times out after BB kept the title. Its token is fetched first, so that only the
            // registration itself can run out of time, however slow the machine.
            var api = adapter.configuration.api
            api.timeout = .milliseconds(1500)
            let slow = try BancoDoBrasilCobranca(configuration: .init(api: api, credentials: adapter.configuration.credentials,
                                                                      applicationKey: Self.appKey, extraHeaders: ["X-Fake-Scenario": "registers-then-times-out"]))
            _ = await slow.tokens.token()
            guard case .transient = await slow.register(request) else {
                Issue.record("a registration whose answer timed out was not transient")
                try await slow.shutdown()
                return
            }
            try await slow.shutdown()
            #expect(await fake.titles.count == 1)
            guard case .alreadyRegistered(let code, _) = await adapter.register(request) else {
                Issue.record("the retry was not reconciled")
                return
            }
            #expect(code == "F030")
            // A different title with the same id is not reconciled: BB's refusal stands.
            let other = try Self.request(amountCents: 999)
            #expect(await adapter.register(other) == .refused(code: "F030", message: "Título já registrado para este convênio."))
        }
    }

    @Test("query: NORMAL, LIQUIDADO (at BB or elsewhere), BAIXADO, and not found")
    func query() async throws {
        try await Self.withBank { fake, adapter in
            let request = try Self.request()
            #expect(await adapter.query(request) == .notFound)
            _ = await adapter.register(request)
            #expect(await adapter.query(request) == .found(status: "NORMAL", barcode: request.boleto.barcode.description,
                                                           digitableLine: request.boleto.digitableLine.description, state: .open))
            await fake.pay("00031285570000000001", elsewhere: true)
            guard case .found("LIQUIDADO", _, _, .paid, let payment?) = await adapter.query(request) else {
                Issue.record("a paid title was not LIQUIDADO with its payment")
                return
            }
            // The fake credits the payment on the due date, through channel 101.
            #expect(payment == BankPayment(amountCents: 12_345, date: Self.dueDate, channel: "101"))
        }
        try await Self.withBank(scenario: "written-off") { _, adapter in
            let request = try Self.request()
            _ = await adapter.register(request)
            guard case .found("BAIXADO", _, _, .writtenOff, nil) = await adapter.query(request) else {
                Issue.record("a written-off title was not BAIXADO")
                return
            }
        }
    }

    @Test("change: one PATCH of flags; the fake recomputes the barcode BoletoKit computes for the new due date and amount")
    func alter() async throws {
        try await Self.withBank { fake, adapter in
            let request = try Self.request()
            _ = await adapter.register(request)
            let due = CalendarDate(year: 2027, month: 2, day: 10)!
            let discount = BoletoTerms.Discount(kind: .amount, amountCents: 500, until: CalendarDate(year: 2027, month: 2, day: 1)!)
            let change = BoletoAlteration(dueDate: due, amountCents: 15_000, discounts: [discount], abatementCents: 250,
                                          afterDue: .protest(days: 10))
            #expect(await adapter.alter(request, change) == .altered)
            let title = try #require(await fake.titles["00031285570000000001"])
            var input = request.input
            input.amountCents = 15_000
            input.dueDate = due
            let expected = try Boleto(input)
            #expect(title.barcode == expected.barcode.description && title.digitableLine == expected.digitableLine.description)
            let sent = try #require(await fake.requests.last)
            #expect(sent.method == "PATCH" && sent.path.hasPrefix("/cobrancas/v2/boletos/00031285570000000001?gw-dev-app-key="))
            let body = try #require(try JSONSerialization.jsonObject(with: Data(sent.body)) as? [String: Any])
            #expect(body["numeroConvenio"] as? Int == Int(Self.convenio))
            for flag in ["indicadorNovaDataVencimento", "indicadorNovoValorNominal", "indicadorAtribuirDesconto",
                         "indicadorIncluirAbatimento", "indicadorProtestar"] {
                #expect(body[flag] as? String == "S", "\(flag)")
            }
            #expect(body["indicadorCobrarJuros"] as? String == "N" && body["indicadorCancelarProtesto"] as? String == "N")
            #expect((body["alteracaoData"] as? [String: Any])?["novaDataVencimento"] as? String == "10.02.2027")
            #expect(((body["alteracaoValor"] as? [String: Any])?["novoValorNominal"] as? NSNumber)?.doubleValue == 150.0)
            let sentDiscount = try #require(body["desconto"] as? [String: Any])
            #expect(sentDiscount["tipoPrimeiroDesconto"] as? Int == 1 && sentDiscount["dataPrimeiroDesconto"] as? String == "01.02.2027")
            #expect((sentDiscount["valorPrimeiroDesconto"] as? NSNumber)?.doubleValue == 5.0)
            #expect(((body["abatimento"] as? [String: Any])?["valorAbatimento"] as? NSNumber)?.doubleValue == 2.5)
            #expect((body["protesto"] as? [String: Any])?["quantidadeDiasProtesto"] as? Int == 10)

            // The abatimento now exists: a new value is an alteration, not an inclusion; withdrawing a protest cancels it.
            var withTerms = request
            withTerms.terms = BoletoTerms(abatementCents: 250, afterDue: .protest(days: 10))
            #expect(await adapter.alter(withTerms, BoletoAlteration(abatementCents: 300, afterDue: BoletoAlteration.AfterDue.none)) == .altered)
            let secondRequest = try #require(await fake.requests.last)
            let second = try #require(try JSONSerialization.jsonObject(with: Data(secondRequest.body)) as? [String: Any])
            #expect(second["indicadorAlterarAbatimento"] as? String == "S" && second["indicadorIncluirAbatimento"] as? String == "N")
            #expect(second["indicadorCancelarProtesto"] as? String == "S")
            #expect(await fake.titles["00031285570000000001"]?.changes.count == 2)

            // Including an abatimento on a title that has one is BB's refusal, carried with its code.
            #expect(await adapter.alter(request, BoletoAlteration(abatementCents: 100))
                == .refused(code: "F070", message: "abatimento.valorAbatimento positivo, para título sem abatimento."))
            await fake.pay("00031285570000000001")
            #expect(await adapter.alter(request, BoletoAlteration(amountCents: 100))
                == .refused(code: "F063", message: "Título baixado ou liquidado não pode ser alterado."))
        }
    }

    @Test("write-off: canceled, a retry already canceled, a paid title refused")
    func cancel() async throws {
        try await Self.withBank { fake, adapter in
            let request = try Self.request()
            _ = await adapter.register(request)
            #expect(await adapter.cancel(request) == .canceled)
            #expect(await adapter.cancel(request) == .alreadyCanceled(code: "F052", message: "Título já baixado."))
            let paid = try Self.request(nossoNumero: "2")
            _ = await adapter.register(paid)
            await fake.pay("00031285570000000002")
            #expect(await adapter.cancel(paid) == .refused(code: "F053", message: "Título liquidado não pode ser baixado."))
        }
    }

    @Test("a wrong application key or secret is misconfigured, and neither appears in the reason")
    func misconfigured() async throws {
        try await Self.withBank(appKey: "wrong-key") { _, adapter in
            guard case .misconfigured(let reason) = await adapter.register(try Self.request()) else {
                Issue.record("a wrong application key was not misconfigured")
                return
            }
            #expect(reason.contains("403") && !reason.contains("wrong-key"))
        }
        try await Self.withBank(secret: "not-the-secret") { _, adapter in
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
