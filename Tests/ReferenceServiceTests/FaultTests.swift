import BoletoJSON
import Foundation
import Testing
@testable import ReferenceService

/// Fault tests: processes killed with SIGKILL while they work. Bounded in time; each prints its counts.
@Suite("Faults", .enabled(if: StoreBackend.available.contains(.postgres)))
struct FaultTests {
    @Test("kill -9: 500 boletos, the worker killed 5 times; all final, each registered exactly once, every change notified")
    func killNine() async throws {
        let bank = try await SandboxBankServer(slowDelay: .milliseconds(300)).start()
        let receiver = try await WebhookReceiver().start()
        let url = try await StoreBackend.freshDatabase()
        let environment = [
            "BOLETO_DATABASE_URL": url, "BOLETO_DATABASE_WAIT_MS": "60000", "BOLETO_SANDBOX_URL": bank.url, "BOLETO_LOG_LEVEL": "error",
            "BOLETO_REGISTER_DEADLINE_MS": "100", "BOLETO_PROVIDER_TIMEOUT_MS": "2000", "BOLETO_JOB_LEASE_MS": "3000",
            "BOLETO_WEBHOOK_TIMEOUT_MS": "2000", "BOLETO_ALLOW_PRIVATE_TARGETS": "true", "BOLETO_RETRY_BASE_MS": "50", "BOLETO_RETRY_MAX_MS": "500",
            "BOLETO_WORKER_POLL_MS": "20", "BOLETO_WORKER_CONCURRENCY": "16", "BOLETO_REGISTER_MAX_ATTEMPTS": "1000",
        ]
        let key = try #require(try CommandLineTests.runOnce(["apikey", "create", "faults"], environment: environment)
            .split(separator: "\n").last.map(String.init))
        let serve = try await ServeProcess.start(environment: environment.merging(["BOLETO_WORKER": "false"]) { $1 })
        let api = TestServiceClient(port: serve.port, key: key)
        let worker = try WorkerSupervisor(environment: environment)

        // Issue 500 boletos, 16 at a time, while the worker is killed at random moments.
        let scenarios = ["registered", "transient", "transient", "slow"]
        let killer = Task { () async throws -> Int in
            var kills = 0
            while kills < 5 {
                try await Task.sleep(for: .milliseconds(Int.random(in: 300...900)))
                try worker.killAndRestart()
                kills += 1
            }
            return kills
        }
        var ids: [String] = []
        for batch in stride(from: 0, to: 500, by: 16) {
            let created = try await withThrowingTaskGroup(of: String?.self) { group in
                for index in batch..<min(batch + 16, 500) {
                    group.addTask {
                        let body = Body.boleto([("webhook_url", .string(receiver.url)), ("queue_url", .null),
                                                ("reference_id", .string("fault-\(index)"))]).text
                        let reply = try await api.post("/boletos", body: body, headers: [("X-Sandbox-Scenario", scenarios[index % 4])])
                        return reply.status == 201 ? reply.json["id"]?.string : nil
                    }
                }
                return try await group.reduce(into: [String]()) { if let id = $1 { $0.append(id) } }
            }
            ids += created
        }
        #expect(ids.count == 500)
        let kills = try await killer.value

        // Every boleto becomes final.
        var registered = 0
        let deadline = Date().addingTimeInterval(90)
        while Date() < deadline {
            registered = Int(try await api.get("/boletos?status=registered&count=1").headers["X-Total-Count"].first ?? "") ?? 0
            if registered == 500 { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        // Each status change of each boleto reached the owner at least once.
        var notified: [String: Set<String>] = [:]
        var expected: [String: Set<String>] = [:]
        var titles: Set<String> = []
        for id in ids {
            let boleto = try await api.get("/boletos/\(id)").json
            titles.insert("\(boleto["issuer_agency"]?.string ?? "")/\(boleto["issuer_account"]?.string ?? "")/\(boleto["title_id"]?.int ?? 0)")
            let events = try await api.get("/boletos/\(id)/events").json.array ?? []
            expected[id] = Set(events.filter { $0["type"]?.string == "status_changed" }.compactMap { $0["status"]?.string })
        }
        let notifyDeadline = Date().addingTimeInterval(60)
        while Date() < notifyDeadline {
            notified = [:]
            for delivery in receiver.deliveries {
                let json = (try? JSON.parse(delivery.body)) ?? .null
                if let id = json["boleto_id"]?.string, let status = json["status"]?.string { notified[id, default: []].insert(status) }
            }
            if ids.allSatisfy({ expected[$0, default: []].isSubset(of: notified[$0, default: []]) }) { break }
            try await Task.sleep(for: .milliseconds(200))
        }
        let accepted = bank.acceptedByTitle
        let missingNotifications = ids.filter { !expected[$0, default: []].isSubset(of: notified[$0, default: []]) }.count
        print("kill -9: \(kills) kills, \(ids.count) boletos, \(registered) registered, \(accepted.count) titles accepted by the bank, "
              + "\(accepted.values.filter { $0 > 1 }.count) accepted twice, \(bank.callCount) bank calls, "
              + "\(receiver.deliveries.count) webhooks, \(missingNotifications) boletos missing a notification")
        #expect(kills == 5)
        #expect(registered == 500)
        #expect(accepted.count == 500)
        #expect(accepted.values.allSatisfy { $0 == 1 })
        // The bank holds exactly our 500 titles: no boleto under two numbers, no number for two boletos.
        #expect(Set(accepted.keys) == titles)
        #expect(titles.count == 500)
        #expect(missingNotifications == 0)

        worker.stop()
        serve.stop()
        _ = serve.wait()
        await receiver.stop()
        await bank.stop()
    }

}

/// A `boleto worker` child process that can be killed with SIGKILL and started again.
final class WorkerSupervisor: @unchecked Sendable {
    private let environment: [String: String]
    private let lock = NSLock()
    private var process: Process

    init(environment: [String: String]) throws {
        self.environment = environment
        process = try Self.start(environment)
    }

    static func start(_ environment: [String: String]) throws -> Process {
        let worker = Process()
        worker.executableURL = try CommandLineTests.requireBinary()
        worker.arguments = ["worker"]
        worker.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        worker.standardOutput = FileHandle.nullDevice
        worker.standardError = FileHandle.nullDevice
        try worker.run()
        return worker
    }

    func killAndRestart() throws {
        let old = lock.withLock { process }
        kill(old.processIdentifier, SIGKILL)
        old.waitUntilExit()
        let new = try Self.start(environment)
        lock.withLock { process = new }
    }

    func stop() {
        let current = lock.withLock { process }
        current.terminate()
        current.waitUntilExit()
    }
}
