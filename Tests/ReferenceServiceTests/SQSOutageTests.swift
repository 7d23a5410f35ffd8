import BoletoJSON
import Foundation
import Testing
@testable import ReferenceService
@testable import SQS

/// SQS unreachable for a while (a proxy in front of moto, cut and restored) while boletos are issued on Postgres.
@Suite("SQS unreachable for a while", .enabled(if: SQSServer.shouldRun && StoreBackend.available.contains(.postgres)))
struct SQSOutageTests {
    @Test("creates keep answering 201 while SQS is unreachable; once it is back every registration and notification is delivered")
    func outage() async throws {
        let direct = try SQSServer.client()
        let proxy = try await TCPProxy(upstream: direct.configuration.endpoint).start()
        let production = try await ServiceBackend.productionSettings()
        let owner = try await SQSServer.retrying { try await direct.createQueue(name: "outage-owner-\(UUID().uuidString.prefix(8).lowercased())") }
        var configuration = direct.configuration
        configuration.endpoint = proxy.url
        let proxied = configuration
        let service = try await TestService(databaseURL: production.databaseURL) { settings in
            production.adjust(&settings)
            settings.aws = proxied
            settings.sqsTimeout = .seconds(2)
            settings.retryBase = .milliseconds(50)
            settings.retryMax = .milliseconds(500)
        }.start()

        func create(_ index: Int, scenario: String) async throws -> (id: String, status: Int, seconds: Double) {
            let started = Date()
            let reply = try await service.post("/boletos", Body.boleto([("queue_url", .string(owner)), ("reference_id", .string("outage-\(index)"))]),
                                               headers: [("X-Sandbox-Scenario", scenario)])
            return (reply.json["id"]?.string ?? "", reply.status, Date().timeIntervalSince(started))
        }
        var ids: [String] = []
        ids.append(try await create(0, scenario: "registered").id)

        await proxy.cut()
        var slowest = 0.0, statuses: [Int] = []
        for index in 1...20 {
            let created = try await create(index, scenario: index % 2 == 0 ? "registered" : "transient")
            statuses.append(created.status)
            slowest = max(slowest, created.seconds)
            ids.append(created.id)
        }
        #expect(statuses.allSatisfy { $0 == 201 })
        let ready = try await service.get("/health/ready", key: "")
        #expect(ready.status == 503)
        #expect(ready.json["checks"]?["sqs"]?.string == "unavailable")
        // While SQS is away, the work waits in the outbox: registrations to relay and owners' notifications.
        try await Task.sleep(for: .seconds(3))
        let waiting = try await service.service.store.pendingJobCounts()
        #expect(waiting[.register, default: 0] == 10)
        #expect(waiting[.sqs, default: 0] >= 20)
        let pendingDuringOutage = try await service.get("/boletos?status=pending_registration&count=1").headers["X-Total-Count"].first
        #expect(pendingDuringOutage == "10")

        proxy.restore()
        let outageEnded = Date()
        // Every boleto becomes registered, and the owner's queue gets one message per status change.
        var registered = 0
        while registered < ids.count && Date().timeIntervalSince(outageEnded) < 60 {
            registered = Int(try await service.get("/boletos?status=registered&count=1").headers["X-Total-Count"].first ?? "") ?? 0
            if registered < ids.count { try await Task.sleep(for: .milliseconds(100)) }
        }
        var expected: [String: Set<String>] = [:]
        for id in ids {
            let events = try await service.get("/boletos/\(id)/events").json.array ?? []
            expected[id] = Set(events.filter { $0["type"]?.string == "status_changed" }.compactMap { $0["status"]?.string })
        }
        var received: [String: Set<String>] = [:]
        var messages = 0
        while Date().timeIntervalSince(outageEnded) < 60,
              !ids.allSatisfy({ expected[$0, default: []].isSubset(of: received[$0, default: []]) }) {
            for message in try await direct.receiveMessages(queueURL: owner, maxMessages: 10, waitSeconds: 1, visibilityTimeout: 60) {
                messages += 1
                let body = (try? JSON.parse(message.body)) ?? .null
                if let id = body["boleto_id"]?.string, let status = body["status"]?.string { received[id, default: []].insert(status) }
            }
        }
        let missing = ids.filter { !expected[$0, default: []].isSubset(of: received[$0, default: []]) }.count
        // Registered boletos keep their reconcile job; everything else drains.
        func pending() async throws -> [JobKind: Int] { try await service.service.store.pendingJobCounts().filter { $0.key != .reconcile } }
        var left = try await pending()
        let drainDeadline = Date().addingTimeInterval(10)
        while left.values.reduce(0, +) > 0 && Date() < drainDeadline {
            try await Task.sleep(for: .milliseconds(100))
            left = try await pending()
        }
        print("sqs outage: \(ids.count) boletos, \(statuses.count) created during the outage (slowest \(String(format: "%.2f", slowest)) s), "
              + "\(waiting[.register, default: 0]) registrations and \(waiting[.sqs, default: 0]) notifications waited; "
              + "\(registered) registered and \(messages) owner messages after \(String(format: "%.1f", Date().timeIntervalSince(outageEnded))) s, "
              + "\(missing) boletos missing a notification")
        #expect(slowest < 5)
        #expect(registered == ids.count)
        #expect(missing == 0)
        #expect(left.values.reduce(0, +) == 0)
        #expect(try await service.get("/health/ready", key: "").status == 200)
        await service.stop()
        await proxy.stop()
    }
}
