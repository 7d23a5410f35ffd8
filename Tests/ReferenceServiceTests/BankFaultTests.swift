import BoletoJSON
import Foundation
import Testing
@testable import ReferenceService

/// A bank that times out, answers 5xx or answers garbage: boletos wait in `pending_registration`, retries stay
/// bounded, dead letters are visible and can be requeued, and everything is registered exactly once in the end.
@Suite("Bank faults")
struct BankFaultTests {
    /// `deadline` bounds every bank call: short where the bank stalls on purpose, long where it answers at once and
    /// each call must reach it even on a loaded machine.
    static func settings(bank: SandboxBankServer, maxAttempts: Int, deadline: Duration = .milliseconds(300)) -> (inout ServiceSettings) -> Void {
        { settings in
            settings.sandboxURL = bank.url
            settings.registerDeadline = deadline
            settings.providerTimeout = deadline + .milliseconds(100)
            settings.retryBase = .milliseconds(50)
            settings.retryMax = .milliseconds(200)
            settings.registerMaxAttempts = maxAttempts
        }
    }

    @Test("timeouts (with and without a registration behind them), 5xx and garbage: pending, then registered exactly once",
          arguments: ServiceBackend.available)
    func recovers(_ backend: ServiceBackend) async throws {
        let bank = try await SandboxBankServer().start()
        bank.setFaults([.registersThenStalls(.seconds(2)), .stalls(.seconds(2)), .serverError, .garbage, .truncated])
        try await withService(backend, Self.settings(bank: bank, maxAttempts: 200)) { service in
            var ids: [String] = []
            for index in 0..<20 {
                let created = try await service.post("/boletos", Body.boleto([("reference_id", .string("bank-fault-\(index)"))]))
                #expect(created.status == 201)
                #expect(created.json["status"]?.string == "pending_registration")
                ids += [created.json["id"]?.string].compactMap { $0 }
            }
            #expect(ids.count == 20)
            // While the bank misbehaves, the worker keeps trying and nothing settles.
            let faultDeadline = Date().addingTimeInterval(20)
            while bank.callCount < 60 && Date() < faultDeadline { try await Task.sleep(for: .milliseconds(50)) }
            let pending = try await service.get("/boletos?status=pending_registration&count=1").headers["X-Total-Count"].first
            #expect(pending == "20")
            let callsWhileFaulty = bank.callCount

            bank.setFaults([])
            for id in ids {
                let settled = try await service.waitForBoleto(id, seconds: 30) { $0["status"]?.string == "registered" }
                #expect(settled["status"]?.string == "registered")
            }
            var reconciled = 0, failures: Set<String> = []
            for id in ids {
                let events = try await service.get("/boletos/\(id)/events").json.array ?? []
                if events.last?["detail"]?["reconciled"] == .bool(true) { reconciled += 1 }
                for event in events where event["type"]?.string != "status_changed" || event["status"]?.string == "pending_registration" {
                    if let reason = event["detail"]?["reason"]?.string { failures.insert(Self.kind(of: reason)) }
                }
            }
            let accepted = bank.acceptedByTitle
            let registeredWhileFaulty = bank.registeredBehindStall.count
            print("bank faults (\(backend)): \(ids.count) boletos, \(callsWhileFaulty) bank calls while faulty, "
                  + "\(registeredWhileFaulty) registered behind a timeout, \(reconciled) reconciled, \(bank.callCount) calls in all, "
                  + "failures seen: \(failures.sorted())")
            #expect(accepted.count == 20)
            #expect(accepted.values.allSatisfy { $0 == 1 })
            // Every title the bank took behind a timeout came back as "already registered", and only those.
            #expect(reconciled == registeredWhileFaulty)
            #expect(registeredWhileFaulty > 0)
            #expect(failures == ["timeout", "HTTP 200", "HTTP 201", "HTTP 500"])
        }
        await bank.stop()
    }

    /// The kind of failure a `registration_attempt_failed` reason names.
    static func kind(of reason: String) -> String {
        if reason.contains("did not answer within") { return "timeout" }
        if let range = reason.range(of: #"HTTP \d{3}"#, options: .regularExpression) { return String(reason[range]) }
        return reason
    }

    @Test("a bank that keeps failing: exactly BOLETO_REGISTER_MAX_ATTEMPTS calls, then a visible dead letter, requeued once the bank is back",
          arguments: ServiceBackend.available)
    func boundedAndDeadLettered(_ backend: ServiceBackend) async throws {
        let bank = try await SandboxBankServer().start()
        bank.setFaults([.serverError])
        try await withService(backend, Self.settings(bank: bank, maxAttempts: 3, deadline: .seconds(5))) { service in
            var ids: [String] = []
            for index in 0..<3 {
                let created = try await service.post("/boletos", Body.boleto([("reference_id", .string("dead-\(index)"))]))
                #expect(created.json["status"]?.string == "pending_registration")
                ids += [created.json["id"]?.string].compactMap { $0 }
            }
            let deadline = Date().addingTimeInterval(30)
            var dead: [DeadLetter] = []
            while dead.count < 3 && Date() < deadline {
                dead = try await service.service.store.deadLetters(boletoID: nil, limit: 10)
                try await Task.sleep(for: .milliseconds(50))
            }
            // Bounded: no further calls once the attempts ran out.
            try await Task.sleep(for: .seconds(1))
            #expect(bank.callCount == 9)
            #expect(Set(dead.map(\.boletoID)) == Set(ids))
            for letter in dead { #expect(try await service.service.store.deadLetter(id: letter.id) == letter) }
            #expect(try await service.service.store.deadLetter(id: "job_none") == nil)
            // The last error is the bank's 500, or (on a loaded machine) the deadline that passed before it came.
            #expect(dead.allSatisfy { $0.kind == .register && $0.attempts == 3 }, "\(dead)")
            #expect(dead.allSatisfy { $0.lastError.contains("HTTP 500") || $0.lastError.contains("did not answer within") }, "\(dead)")
            // Visible: in the metrics, in each boleto's events, and through `boleto dead-letters list`.
            let metrics = try await service.get("/metrics", key: "").text
            #expect(metrics.contains(#"boleto_dead_letter_jobs{kind="register"} 3"#))
            for id in ids {
                let boleto = try await service.get("/boletos/\(id)").json
                #expect(boleto["status"]?.string == "pending_registration")
                let events = try await service.get("/boletos/\(id)/events").json.array ?? []
                #expect(events.last?["type"]?.string == "registration_dead_lettered")
                #expect(events.last?["detail"]?["attempts"]?.int == 3)
            }
            let environment = Self.storeEnvironment(service)
            let listed = try CommandLineTests.runOnce(["dead-letters", "list"], environment: environment)
            let lines = listed.split(separator: "\n")
            #expect(lines.first == "job\tkind\tboleto\tattempts\tdead_at\tlast_error")
            #expect(Set(lines.dropFirst().map { String($0.split(separator: "\t")[2]) }) == Set(ids))

            // The bank is back; the operator requeues one boleto's job, then the rest.
            bank.setFaults([])
            #expect(try CommandLineTests.runOnce(["dead-letters", "requeue", "--boleto", ids[0]], environment: environment)
                .contains("Requeued 1 job."))
            let first = try await service.waitForBoleto(ids[0], seconds: 20) { $0["status"]?.string == "registered" }
            #expect(first["status"]?.string == "registered")
            #expect(try await service.get("/boletos/\(ids[1])").json["status"]?.string == "pending_registration")
            #expect(try CommandLineTests.runOnce(["dead-letters", "requeue", "--all"], environment: environment)
                .contains("Requeued 2 jobs."))
            for id in ids.dropFirst() {
                let settled = try await service.waitForBoleto(id, seconds: 20) { $0["status"]?.string == "registered" }
                #expect(settled["status"]?.string == "registered")
            }
            #expect(try await service.service.store.deadLetters(boletoID: nil, limit: 10).isEmpty)
            #expect(bank.acceptedByTitle.count == 3)
            #expect(bank.acceptedByTitle.values.allSatisfy { $0 == 1 })
            print("bounded retries (\(backend)): 3 boletos, 9 failing calls, 3 dead letters, all requeued and registered")
        }
        await bank.stop()
    }

    /// The environment that points `boleto` at the same store as `service`.
    static func storeEnvironment(_ service: TestService) -> [String: String] {
        if let url = service.settings.databaseURL { return ["BOLETO_DATABASE_URL": url, "BOLETO_DATABASE_WAIT_MS": "60000"] }
        return ["BOLETO_DATA_DIR": service.directory]
    }
}
