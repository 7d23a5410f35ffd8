import BoletoKit
import Providers
import Testing

/// The sandbox bank's contract: the provider protocol's outcomes, chosen by hint, with state per title.
@Suite("Sandbox bank")
struct SandboxBankTests {
    private func request(title: String, scenario: SandboxScenario? = nil, account: String = "9721") throws -> RegistrationRequest {
        let input = BoletoInput(bank: "237", amountCents: 2000, dueDate: CalendarDate(iso: "2027-01-15"),
                                agency: "3381", account: account, wallet: "26", nossoNumero: title)
        return RegistrationRequest(requestKey: "bol_\(title)", input: input, boleto: try Boleto(input),
                                   hints: scenario.map { [SandboxScenario.hintKey: $0.rawValue] } ?? [:])
    }

    @Test("registers once; a second registration of the title is 'already registered'; other titles are independent")
    func registersOnce() async throws {
        let bank = SandboxBank()
        let first = try request(title: "1")
        guard case .registered(let barcode, let line, let nossoNumero, nil, nil) = await bank.register(first) else {
            Issue.record("not registered"); return
        }
        #expect(barcode == first.boleto.barcode.description)
        #expect(line == first.boleto.digitableLine.formatted)
        #expect(nossoNumero == "26/00000000001-7")
        #expect(await bank.register(first) == .alreadyRegistered(code: "SBX69", message: "Title already registered."))
        // The same nosso número in another account is another title.
        if case .registered = await bank.register(try request(title: "1", account: "1234")) {} else { Issue.record("other account") }
        #expect(await bank.attemptCount(for: first) == 2)
    }

    @Test("refused and unavailable answer the same on every attempt; transient only on the first")
    func scenarios() async throws {
        let bank = SandboxBank()
        let refused = try request(title: "2", scenario: .refused)
        for _ in 0..<2 {
            #expect(await bank.register(refused) == .refused(code: "SBX01", message: "The sandbox bank refused the title (scenario refused)."))
        }
        let unavailable = try request(title: "3", scenario: .unavailable)
        for _ in 0..<3 {
            guard case .transient = await bank.register(unavailable) else { Issue.record("unavailable registered"); return }
        }
        let transient = try request(title: "4", scenario: .transient)
        guard case .transient = await bank.register(transient) else { Issue.record("first attempt succeeded"); return }
        guard case .registered = await bank.register(transient) else { Issue.record("second attempt failed"); return }
    }

    @Test("slow records the title before answering late; abandoning the call leaves it registered")
    func slow() async throws {
        let bank = SandboxBank(slowDelay: .seconds(30))
        let slow = try request(title: "5", scenario: .slow)
        let call = Task { await bank.register(slow) }
        try await Task.sleep(for: .milliseconds(100))
        call.cancel()
        guard case .transient = await call.value else { Issue.record("the abandoned call did not answer transient"); return }
        // The bank kept the title, as a real bank that registered it and timed out would.
        #expect(await bank.register(slow) == .alreadyRegistered(code: "SBX69", message: "Title already registered."))
        let quick = SandboxBank(slowDelay: .milliseconds(10))
        guard case .registered = await quick.register(try request(title: "6", scenario: .slow)) else {
            Issue.record("slow did not register"); return
        }
    }

    @Test("cancels only titles it holds, once")
    func cancel() async throws {
        let bank = SandboxBank()
        let title = try request(title: "7")
        #expect(await bank.cancel(title) == .refused(code: "SBX04", message: "The sandbox bank does not hold this title."))
        _ = await bank.register(title)
        #expect(await bank.cancel(title) == .canceled)
        #expect(await bank.cancel(title) == .alreadyCanceled(code: "SBX05", message: "Title already canceled."))
    }

    @Test("answers queries (BoletoQuerier): not found, registered, then written off")
    func query() async throws {
        let bank = SandboxBank()
        let title = try request(title: "9")
        #expect(await bank.query(title) == .notFound)
        _ = await bank.register(title)
        #expect(await bank.query(title) == .found(status: "REGISTRADO", barcode: title.boleto.barcode.description,
                                                  digitableLine: title.boleto.digitableLine.formatted, state: .open))
        _ = await bank.cancel(title)
        guard case .found(let status, _, _, let state, nil) = await bank.query(title) else { Issue.record("not found after cancel"); return }
        #expect(status == "BAIXADO" && state == .writtenOff)
        // The capability is in the type: a caller learns it without calling.
        let registrar: any BoletoRegistrar = bank
        #expect(registrar is any BoletoQuerier && registrar is any BoletoCanceler)
    }

    @Test("an unknown scenario hint registers, like no hint")
    func unknownHint() async throws {
        var request = try request(title: "8")
        request.hints[SandboxScenario.hintKey] = "sometimes"
        guard case .registered = await SandboxBank().register(request) else { Issue.record("not registered"); return }
    }
}
