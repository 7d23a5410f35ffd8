import BoletoKit
import FakeBanks
import Foundation
import Testing
@testable import Providers

/// The Caixa SIGCB adapter against the fake Caixa over real loopback HTTPS: every outcome class and every scenario.
@Suite("Caixa SIGCB over HTTPS", .serialized)
struct CaixaTests {
    typealias F = CaixaFixtures

    // MARK: Registered

    @Test("registered: the bank's barcode, line, nosso número and URL, equal to BoletoKit's")
    func registered() async throws {
        try await F.withBank { fake, adapter in
            let request = try F.request()
            let outcome = await adapter.register(request)
            let number = F.caixaNumber("000000000000123")
            #expect(outcome == .registered(
                barcode: request.boleto.barcode.description, digitableLine: request.boleto.digitableLine.formatted,
                nossoNumero: number, bankURL: "https://boletoonline.caixa.gov.br/ecobranca/SIGCB/imprimir/0200656/\(number)"))
            #expect(await fake.rejections == [])
            #expect(await fake.registeredCount == 1)
            let title = try #require(await fake.titles[number])
            #expect(title.payerName == "Jose da Conceicao")
            #expect(title.payerDocument == F.payerCPF)
            #expect(title.amountCents == 2000)
            #expect(title.dueDate == "2027-01-15")
            #expect(title.barcode == request.boleto.barcode.description)
            let sent = try #require(await fake.requests.first)
            #expect(sent.header("SOAPAction") == "IncluiBoleto")
            #expect(sent.header("Content-Type")?.hasPrefix("text/xml") == true)
        }
    }

    @Test("registered: boleto-api's recorded Caixa answer (200656, 14000000099222698, 2017-08-30, R$ 10,00)")
    func boletoAPIFixture() async throws {
        try await F.withBank { fake, adapter in
            let request = try F.request(nossoNumero: "000000099222698", amountCents: 1000,
                                        dueDate: CalendarDate(year: 2017, month: 8, day: 30)!,
                                        issueDate: CalendarDate(year: 2017, month: 7, day: 18)!)
            #expect(request.boleto.barcode.description == "10493726700000010002006561000100040992226984")
            guard case .registered(let barcode, let line, let number, let url, nil) = await adapter.register(request) else {
                let rejections = await fake.rejections
                Issue.record("expected registered; the fake said \(rejections)")
                return
            }
            #expect(barcode == "10493726700000010002006561000100040992226984")
            #expect(line.filter(\.isNumber) == "10492006506100010004209922269841372670000001000")
            #expect(number == "14000000099222698")
            #expect(url == "https://boletoonline.caixa.gov.br/ecobranca/SIGCB/imprimir/0200656/14000000099222698")
        }
    }

    @Test("registered: a company payer goes as CNPJ and RAZAO_SOCIAL")
    func companyPayer() async throws {
        try await F.withBank { fake, adapter in
            let request = try F.request(payerName: "Comércio & Filhos Ltda", payerDocument: F.otherCompany)
            guard case .registered = await adapter.register(request) else {
                let rejections = await fake.rejections
                Issue.record("expected registered; the fake said \(rejections)")
                return
            }
            let title = try #require(await fake.titles[F.caixaNumber("000000000000123")])
            #expect(title.payerDocument == F.otherCompany)
            #expect(title.payerName == "Comercio Filhos Ltda")
        }
    }

    // MARK: Refused, misconfigured, already registered

    @Test("refused: SIGCB's own rule (due date before the issue date), with its code and message")
    func refused() async throws {
        try await F.withBank { fake, adapter in
            let request = try F.request(issueDate: CalendarDate(year: 2027, month: 2, day: 1)!)
            #expect(await adapter.register(request) == .refused(code: "31", message: FakeCaixa.Messages.dueBeforeIssue))
            #expect(await fake.registeredCount == 0)
        }
    }

    @Test("misconfigured: a beneficiary document the bank does not have for the code is (54) HASH DIVERGENTE")
    func hashDivergent() async throws {
        try await F.withBank { fake, adapter in
            let outcome = await adapter.register(try F.request(beneficiaryDocument: F.otherCompany))
            guard case .misconfigured(let reason) = outcome else {
                Issue.record("expected misconfigured, got \(outcome)")
                return
            }
            #expect(reason.contains("HASH DIVERGENTE"))
            #expect(await fake.rejections == ["refused: " + FakeCaixa.Messages.hashDivergent])
            #expect(await fake.registeredCount == 0)
        }
    }

    @Test("misconfigured: a código do beneficiário the bus does not know (X5 USUARIO NAO AUTORIZADO)")
    func unknownBeneficiary() async throws {
        try await F.withBank { fake, adapter in
            let outcome = await adapter.register(try F.request(beneficiaryCode: "200657"))
            guard case .misconfigured(let reason) = outcome else {
                Issue.record("expected misconfigured, got \(outcome)")
                return
            }
            #expect(reason.contains("X5"))
            #expect(await fake.registeredCount == 0)
        }
    }

    @Test("already registered: the same nosso número again is SIGCB's (38)")
    func duplicate() async throws {
        try await F.withBank { fake, adapter in
            let request = try F.request()
            guard case .registered = await adapter.register(request) else {
                let rejections = await fake.rejections
                Issue.record("expected the first call to register; the fake said \(rejections)")
                return
            }
            #expect(await adapter.register(request) == .alreadyRegistered(code: "38", message: FakeCaixa.Messages.duplicate))
            #expect(await fake.registeredCount == 1)
            #expect(await fake.calls == 2)
        }
    }

    // MARK: Transient

    @Test("transient: no answer within the timeout, never refused", .timeLimit(.minutes(1)))
    func timeout() async throws {
        try await F.withBank(delay: .seconds(3), timeout: .seconds(1), headers: [FakeCaixa.Scenario.header: FakeCaixa.Scenario.timeout]) { fake, adapter in
            let started = ContinuousClock.now
            let outcome = await adapter.register(try F.request())
            guard case .transient = outcome else {
                Issue.record("expected transient, got \(outcome)")
                return
            }
            #expect(ContinuousClock.now - started < .seconds(3))
            // Never sent twice. Under a loaded suite the one-second limit can pass before the TLS handshake ends,
            // so the fake may not have seen the request at all.
            #expect(await fake.calls <= 1)
            #expect(await fake.registeredCount == 0)
        }
    }

    @Test("reconciliation: the bank registers but the answer comes too late; the retry is already registered",
          .timeLimit(.minutes(1)))
    func registersThenTimesOut() async throws {
        // The answer comes 6 s late against a 2 s timeout: room for the retry's prompt answer on a loaded machine.
        try await F.withBank(delay: .seconds(6), timeout: .seconds(2)) { fake, adapter in
            await fake.script([FakeCaixa.Scenario.registersThenTimesOut])
            let request = try F.request()
            let first = await adapter.register(request)
            guard case .transient = first else {
                Issue.record("expected transient, got \(first)")
                return
            }
            // The fake registers when it handles the request, which on a loaded machine can come after the client's
            // 1 s timeout: wait for it (bounded) rather than race it.
            let deadline = ContinuousClock.now + .seconds(15)
            while await fake.registeredCount == 0, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(20)) }
            #expect(await fake.registeredCount == 1)
            #expect(await adapter.register(request) == .alreadyRegistered(code: "38", message: FakeCaixa.Messages.duplicate))
            #expect(await fake.registeredCount == 1)
            #expect(await fake.calls == 2)
        }
    }

    @Test("transient: 500, SOAP Fault, 504, a truncated body and the bus's own failure", arguments: [
        FakeCaixa.Scenario.serverError, FakeCaixa.Scenario.soapFault, FakeCaixa.Scenario.gatewayTimeout,
        FakeCaixa.Scenario.malformed, FakeCaixa.Scenario.busError,
    ])
    func transientScenarios(_ scenario: String) async throws {
        try await F.withBank(headers: [FakeCaixa.Scenario.header: scenario]) { fake, adapter in
            let outcome = await adapter.register(try F.request())
            guard case .transient(let reason) = outcome else {
                Issue.record("expected transient for \(scenario), got \(outcome)")
                return
            }
            switch scenario {
            case FakeCaixa.Scenario.soapFault: #expect(reason.contains("500") && reason.contains("SOAP Fault"))
            case FakeCaixa.Scenario.gatewayTimeout: #expect(reason.contains("504"))
            case FakeCaixa.Scenario.busError: #expect(reason.contains("X5"))
            default: break
            }
            #expect(await fake.calls == 1)
            #expect(await fake.registeredCount == 0)
        }
    }

    @Test("scripted scenarios apply to requests without the header, in order, then the bank behaves")
    func scripted() async throws {
        try await F.withBank { fake, adapter in
            await fake.script([FakeCaixa.Scenario.gatewayTimeout, FakeCaixa.Scenario.busError])
            let request = try F.request()
            guard case .transient = await adapter.register(request), case .transient = await adapter.register(request) else {
                Issue.record("expected two transient outcomes")
                return
            }
            guard case .registered = await adapter.register(request) else {
                let rejections = await fake.rejections
                Issue.record("expected the third call to register; the fake said \(rejections)")
                return
            }
            #expect(await fake.calls == 3)
        }
    }

    // MARK: Misconfigured transport

    @Test("misconfigured: a bank certificate from an untrusted CA; the fake received nothing")
    func untrusted() async throws {
        try await F.withBank(trusted: false) { fake, adapter in
            let outcome = await adapter.register(try F.request())
            guard case .misconfigured = outcome else {
                Issue.record("expected misconfigured, got \(outcome)")
                return
            }
            #expect(await fake.calls == 0)
        }
    }

    @Test("misconfigured: a wrong URL (HTTP 404)")
    func wrongPath() async throws {
        try await F.withBank(path: "/sibar/ManutencaoCobrancaBancaria/Boleto") { fake, adapter in
            let outcome = await adapter.register(try F.request())
            guard case .misconfigured(let reason) = outcome else {
                Issue.record("expected misconfigured, got \(outcome)")
                return
            }
            #expect(reason.contains("404"))
            #expect(await fake.registeredCount == 0)
        }
    }

    // MARK: Nothing sent

    @Test("field problems: refused with FIELDS, naming the fields and not the values; the fake received nothing")
    func fieldProblems() async throws {
        try await F.withBank { fake, adapter in
            let longName = "Maria Aparecida dos Santos Oliveira Pereira"  // 43 characters
            let outcome = await adapter.register(try F.request(payerName: longName, address: nil))
            guard case .refused(let code, let message) = outcome else {
                Issue.record("expected refused, got \(outcome)")
                return
            }
            #expect(code == "FIELDS")
            #expect(message.contains("payerName"))
            #expect(message.contains("payerAddress"))
            #expect(!message.contains("Aparecida"))
            #expect(await fake.calls == 0)
        }
    }

    @Test("misconfigured: no beneficiary document for the hash; the fake received nothing")
    func noBeneficiary() async throws {
        try await F.withBank { fake, adapter in
            guard case .misconfigured = await adapter.register(try F.request(beneficiaryDocument: nil)) else {
                Issue.record("expected misconfigured")
                return
            }
            #expect(await fake.calls == 0)
        }
    }

    // MARK: BAIXA_BOLETO

    @Test("cancel: a registered title is written off; a second write-off answers already written off; an unknown title is refused")
    func cancel() async throws {
        try await F.withBank { fake, adapter in
            let request = try F.request()
            guard case .registered = await adapter.register(request) else {
                let rejections = await fake.rejections
                Issue.record("expected registered; the fake said \(rejections)")
                return
            }
            #expect(await adapter.cancel(request) == .canceled)
            #expect(await fake.titles[F.caixaNumber("000000000000123")]?.canceled == true)
            // The second write-off: the title is not open any more, which a retry of a lost answer reconciles.
            #expect(await adapter.cancel(request) == .alreadyCanceled(code: "48", message: FakeCaixa.Messages.notOpen))
            let unknown = try F.request(nossoNumero: "000000000000999")
            #expect(await adapter.cancel(unknown) == .refused(code: "47", message: FakeCaixa.Messages.notRegistered))
            let sent = try #require(await fake.requests.dropFirst().first)
            #expect(sent.header("SOAPAction") == "BaixaBoleto")
        }
    }

    @Test("change: ALTERA_BOLETO with the hash over the new due date and amount; the bank's barcode is BoletoKit's; a written-off title is refused")
    func alter() async throws {
        try await F.withBank { fake, adapter in
            let request = try F.request()
            guard case .registered = await adapter.register(request) else {
                let rejections = await fake.rejections
                Issue.record("expected registered; the fake said \(rejections)")
                return
            }
            let number = F.caixaNumber("000000000000123")
            let due = CalendarDate(year: 2027, month: 2, day: 20)!
            let discount = BoletoTerms.Discount(kind: .amount, amountCents: 100, until: CalendarDate(year: 2027, month: 2, day: 10)!)
            let change = BoletoAlteration(dueDate: due, amountCents: 2_500, discounts: [discount], abatementCents: 200,
                                          afterDue: .protest(days: 10))
            #expect(await adapter.alter(request, change) == .altered)
            #expect(await fake.rejections == [])
            let title = try #require(await fake.titles[number])
            let expected = try request.altered(by: change).boleto
            #expect(title.dueDate == "2027-02-20" && title.amountCents == 2_500 && title.changes == 1)
            #expect(title.barcode == expected.barcode.description)
            #expect(title.terms["VALOR_ABATIMENTO"] == "2.00")
            #expect(title.terms["POS_VENCIMENTO/ACAO"] == "PROTESTAR" && title.terms["POS_VENCIMENTO/NUMERO_DIAS"] == "10")
            #expect(title.terms["DESCONTOS/DESCONTO[1]/DATA"] == "2027-02-10" && title.terms["DESCONTOS/DESCONTO[1]/VALOR"] == "1.00")
            let sent = try #require(await fake.requests.last)
            #expect(sent.header("SOAPAction") == "AlteraBoleto")
            // Only what changes goes: no DATA_EMISSAO, CODIGO_MOEDA, PAGADOR or JUROS_MORA.
            let body = String(decoding: sent.body, as: UTF8.self)
            #expect(body.contains("<OPERACAO>ALTERA_BOLETO</OPERACAO>") && !body.contains("DATA_EMISSAO") && !body.contains("PAGADOR"))
            #expect(!body.contains("JUROS_MORA") && !body.contains("CODIGO_MOEDA"))

            // A due date alone: the abatimento and discounts the title has stay.
            #expect(await adapter.alter(try request.altered(by: change), BoletoAlteration(dueDate: CalendarDate(year: 2027, month: 2, day: 25)!)) == .altered)
            #expect(await fake.titles[number]?.terms["VALOR_ABATIMENTO"] == "2.00")
            // Withdrawing every discount has no SIGCB form: refused before sending.
            let count = await fake.requests.count
            guard case .refused(CaixaSIGCB.fieldsCode, _) = await adapter.alter(request, BoletoAlteration(discounts: [])) else {
                Issue.record("withdrawing every discount must be refused before sending")
                return
            }
            #expect(await fake.requests.count == count)
            _ = await adapter.cancel(request)
            #expect(await adapter.alter(request, BoletoAlteration(amountCents: 3_000)) == .refused(code: "48", message: FakeCaixa.Messages.notOpen))
        }
    }

    @Test("cancel: the wrong beneficiary document is refused (54); a 504 is transient")
    func cancelFailures() async throws {
        try await F.withBank { fake, adapter in
            let request = try F.request()
            guard case .registered = await adapter.register(request) else {
                let rejections = await fake.rejections
                Issue.record("expected registered; the fake said \(rejections)")
                return
            }
            let wrong = try F.request(beneficiaryDocument: F.otherCompany)
            #expect(await adapter.cancel(wrong) == .refused(code: "54", message: FakeCaixa.Messages.hashDivergent))
            await fake.script([FakeCaixa.Scenario.gatewayTimeout])
            guard case .transient = await adapter.cancel(request) else {
                Issue.record("expected transient")
                return
            }
            #expect(await fake.titles[F.caixaNumber("000000000000123")]?.canceled == false)
        }
    }
}
