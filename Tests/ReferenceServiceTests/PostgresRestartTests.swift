import AsyncHTTPClient
import BoletoJSON
import Foundation
import Testing
@testable import ReferenceService

/// Postgres stopped (crash-like, `pg_ctl stop -m immediate`) and started again while clients create boletos.
@Suite("Postgres restarted during traffic", .enabled(if: RestartablePostgres.shouldRun))
struct PostgresRestartTests {
    /// What the clients saw.
    actor Tally {
        var statuses: [Int: Int] = [:]
        /// Idempotency-Key → the boleto its 201 named.
        var created: [String: String] = [:]
        var unexpected: [String] = []
        var startedRequests = 0
        var timeouts = 0

        func count(_ status: Int) { statuses[status, default: 0] += 1 }
        func created(_ key: String, _ id: String) { created[key] = id }
        func unexpected(_ what: String) { unexpected.append(what) }
        func started() { startedRequests += 1 }
        func timedOut() { timeouts += 1 }
    }

    @Test("while Postgres restarts under traffic: 503s and never a 500, readiness reports it, recovery without a restart, nothing committed lost")
    func restartDuringTraffic() async throws {
        let url = try await RestartablePostgres.freshDatabase()
        // Requests give up on the database after 1 s, so the outage shows as 503s rather than slow answers.
        func start() async throws -> TestService {
            try await TestService(databaseURL: url) {
                $0.databaseWait = .seconds(1)
                $0.databaseStatementTimeout = .seconds(3)
                // A job the worker claimed just before the outage, and could not settle, runs again once its lease
                // ends: a short lease (still longer than a bank call) keeps that within the test's wait.
                $0.jobLease = max($0.providerTimeout, $0.webhookTimeout) + .seconds(1)
            }.start()
        }
        // The 1 s wait applies to the start's migrations too: on a machine busy with the rest of the suite, the first
        // connection can take longer, which is not what this test is about. Start again then.
        var running: TestService?
        for attempt in 1...5 where running == nil {
            do {
                running = try await start()
            } catch StoreError.unavailable where attempt < 5 {
                try await Task.sleep(for: .seconds(1))
            }
        }
        let service = try #require(running)
        let tally = Tally()
        let stopping = Flag()
        // Four clients, each creating boletos one after another. Like a careful integrator, a client retries a
        // 503 (or a 409 for a key still held) with the same Idempotency-Key until it gets its 201.
        let traffic = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for client in 0..<4 {
                    group.addTask {
                        var sequence = 0
                        while !stopping.isSet {
                            sequence += 1
                            let key = "restart-\(client)-\(sequence)"
                            await tally.started()
                            let giveUp = Date().addingTimeInterval(120)
                            while Date() < giveUp {
                                let reply: Reply
                                do {
                                    reply = try await service.post("/boletos", Body.boleto([("reference_id", .string(key))]),
                                                                   headers: [("Idempotency-Key", key)])
                                } catch let error as HTTPClientError where error == .deadlineExceeded {
                                    // No answer in 30 s (a retry waiting on the key of a request lost in the
                                    // outage): retried under the same key, as a client would.
                                    await tally.timedOut()
                                    continue
                                } catch {
                                    await tally.unexpected("\(key): \(error)")
                                    break
                                }
                                await tally.count(reply.status)
                                if reply.status == 201, let id = reply.json["id"]?.string {
                                    await tally.created(key, id)
                                    break
                                }
                                guard reply.status == 503 || reply.status == 409 else {
                                    await tally.unexpected("\(key): HTTP \(reply.status) \(reply.text)")
                                    break
                                }
                                try await Task.sleep(for: .milliseconds(100))
                            }
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        // Traffic is flowing when the database goes: at least 5 boletos created first (a loaded machine is slow).
        let warmUp = Date().addingTimeInterval(30)
        while await tally.created.count < 5 && Date() < warmUp { try await Task.sleep(for: .milliseconds(50)) }
        let beforeOutage = await tally.created.count
        #expect(beforeOutage >= 5)

        try await RestartablePostgres.control(["stop", "-m", "immediate"])
        let stoppedAt = Date()
        try await Task.sleep(for: .milliseconds(500))
        let ready = try await service.get("/health/ready", key: "")
        #expect(ready.status == 503)
        #expect(ready.json["checks"]?["database"]?.string == "unavailable")
        let duringOutage = try await service.post("/boletos", Body.boleto())
        #expect(duringOutage.status == 503)
        #expect(duringOutage.errorTypes == ["service_unavailable"])
        #expect(try await service.get("/_health_check", key: "").status == 200)
        try await Task.sleep(for: .seconds(2))

        try await RestartablePostgres.control(["start"])
        let startedAt = Date()
        var readyAgain = false
        while !readyAgain && Date().timeIntervalSince(startedAt) < 30 {
            readyAgain = try await service.get("/health/ready", key: "").status == 200
            if !readyAgain { try await Task.sleep(for: .milliseconds(100)) }
        }
        let recovery = Date().timeIntervalSince(startedAt)
        #expect(readyAgain)
        // And flowing again afterwards, without a restart: at least 5 more.
        let afterRecovery = await tally.created.count
        let coolDown = Date().addingTimeInterval(30)
        while await tally.created.count < afterRecovery + 5 && Date() < coolDown { try await Task.sleep(for: .milliseconds(50)) }
        stopping.set()
        try await traffic.value

        // Nothing committed is lost, nothing is created twice, and every request a client kept retrying succeeded.
        let statuses = await tally.statuses, created = await tally.created, unexpected = await tally.unexpected
        let started = await tally.startedRequests
        #expect(unexpected.isEmpty, "\(unexpected.prefix(5))")
        #expect(statuses[503, default: 0] > 0)
        #expect(created.count == started)
        #expect(Set(created.values).count == created.count)
        #expect(created.count >= afterRecovery + 5)
        #expect(try await service.get("/boletos?count=1").headers["X-Total-Count"].first == String(created.count))
        for (key, id) in created {
            let boleto = try await service.get("/boletos/\(id)").json
            #expect(boleto["reference_id"]?.string == key)
        }
        var registered = 0
        let deadline = Date().addingTimeInterval(30)
        while registered < created.count && Date() < deadline {
            registered = Int(try await service.get("/boletos?status=registered&count=1").headers["X-Total-Count"].first ?? "") ?? 0
            if registered < created.count { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(registered == created.count)
        print("postgres restart: down \(String(format: "%.1f", startedAt.timeIntervalSince(stoppedAt))) s, ready again "
              + "\(String(format: "%.1f", recovery)) s after start; \(created.count) boletos (\(beforeOutage) before the outage), "
              + "statuses \(statuses.sorted { $0.key < $1.key }.map { "\($0.key)×\($0.value)" }.joined(separator: " ")), "
              + "\(await tally.timeouts) client timeouts, \(registered) registered, \(unexpected.count) unexpected answers")
        await service.stop()
    }
}

/// A flag set once, read from any task.
final class Flag: @unchecked Sendable {
    private let lock = NSLock()
    private var value = false
    var isSet: Bool { lock.withLock { value } }
    func set() { lock.withLock { value = true } }
}
