import BoletoJSON
import Foundation
import Testing
@testable import ReferenceService

/// The service's core flows on both stores: SQLite with the database queue, and Postgres.
@Suite("Core flows on every store")
struct BackendFlowTests {
    @Test("create, list, async registration with a webhook, payment, cancel", arguments: ServiceBackend.available)
    func coreFlows(_ backend: ServiceBackend) async throws {
        let receiver = try await WebhookReceiver().start()
        try await withService(backend) { service in
            let created = try await service.post("/boletos", Body.boleto())
            #expect(created.status == 201)
            #expect(created.json["status"]?.string == "registered")
            let id = try #require(created.json["id"]?.string)
            #expect(try await service.get("/boletos/\(id)").json == created.json)
            #expect(try await service.get("/boletos").headers["X-Total-Count"].first == "1")

            let pending = try await service.post("/boletos", Body.boleto([("webhook_url", .string(receiver.url))]),
                                                 headers: [("X-Sandbox-Scenario", "transient")])
            #expect(pending.json["status"]?.string == "pending_registration")
            #expect(pending.json["title_id"]?.int == 2)
            let pendingID = try #require(pending.json["id"]?.string)
            let settled = try await service.waitForBoleto(pendingID) { $0["status"]?.string == "registered" }
            #expect(settled["status"]?.string == "registered")
            let deliveries = try await receiver.waitFor(2)
            #expect(deliveries.count == 2)

            let paid = try await service.request(.PATCH, "/boletos/\(id)", json: #"{"paid_amount": 2000}"#)
            #expect(paid.json["status"]?.string == "paid")
            let canceled = try await service.request(.POST, "/boletos/\(pendingID)/cancel")
            #expect(canceled.json["status"]?.string == "canceled")
            let events = try await service.get("/boletos/\(pendingID)/events").json.array ?? []
            #expect(events.map { $0["status"]?.string ?? "" } == ["issued", "pending_registration", "registered", "registered", "canceled"])
            #expect(events.map { $0["type"]?.string ?? "" } == ["created", "status_changed", "status_changed", "cancel_requested", "status_changed"])
            #expect(try await service.get("/health/ready", key: "").status == 200)
        }
        await receiver.stop()
    }

    @Test("20 concurrent identical requests with one Idempotency-Key make one boleto", arguments: ServiceBackend.available)
    func idempotentBurst(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let body = Body.boleto()
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<20 { group.addTask { try await service.post("/boletos", body, headers: [("Idempotency-Key", "burst")]) } }
                return try await group.reduce(into: [Reply]()) { $0.append($1) }
            }
            #expect(replies.allSatisfy { $0.status == 201 })
            #expect(Set(replies.compactMap { $0.json["id"]?.string }).count == 1)
            #expect(try await service.get("/boletos").headers["X-Total-Count"].first == "1")
        }
    }
}

/// Two `boleto serve` processes on one Postgres database create boletos in the same beneficiary account at once.
@Suite("Two processes on one database", .enabled(if: StoreBackend.available.contains(.postgres)))
struct TwoProcessTests {
    @Test("concurrent creates through two processes never share a nosso número")
    func twoProcesses() async throws {
        let url = try await StoreBackend.freshDatabase()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("boleto-2p-\(UUID().uuidString)").path
        let environment = ["BOLETO_DATABASE_URL": url, "BOLETO_DATABASE_WAIT_MS": "60000", "BOLETO_DATA_DIR": directory, "BOLETO_LOG_LEVEL": "warning"]
        let key = try CommandLineTests.runOnce(["apikey", "create", "two"], environment: environment).split(separator: "\n").last.map(String.init)
        let apiKey = try #require(key)
        let first = try await ServeProcess.start(environment: environment)
        let second = try await ServeProcess.start(environment: environment)
        let clients = [TestServiceClient(port: first.port, key: apiKey), TestServiceClient(port: second.port, key: apiKey)]
        let body = Body.boleto().text
        let statuses = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in 0..<60 {
                group.addTask { try await clients[index % 2].post("/boletos", body: body).status }
            }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(statuses.allSatisfy { $0 == 201 })
        var titles: [Int64] = []
        for page in 1...2 {
            let list = try await clients[0].get("/boletos?count=100&page=\(page)")
            titles += (list.json.array ?? []).compactMap { $0["title_id"]?.int }
        }
        #expect(titles.count == 60)
        #expect(Set(titles).count == 60)
        // Each process takes numbers in order from blocks it reserves (BOLETO_TITLE_BLOCK_SIZE, 16): the blocks never
        // overlap, and at most the rest of one block per process is still unused.
        #expect(titles.allSatisfy { $0 >= 1 } && (titles.max() ?? 0) <= 60 + 2 * 15)
        first.stop()
        second.stop()
        #expect(first.wait() == 0)
        #expect(second.wait() == 0)
    }
}

/// A `boleto serve` child process on a free port.
final class ServeProcess: @unchecked Sendable {
    let process = Process()
    private(set) var port = 0

    static func start(environment: [String: String]) async throws -> ServeProcess {
        let serve = ServeProcess()
        serve.process.executableURL = try CommandLineTests.requireBinary()
        serve.process.arguments = ["serve", "--port", "0"]
        serve.process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        serve.process.standardOutput = out
        serve.process.standardError = FileHandle.nullDevice
        try serve.process.run()
        var text = ""
        while !text.contains("\n") {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let firstLine = text.split(separator: "\n").first.map(String.init) ?? ""
        serve.port = Int(firstLine.split(separator: ":").last ?? "") ?? 0
        return serve
    }

    func stop() { process.terminate() }

    func wait() -> Int32 {
        process.waitUntilExit()
        return process.terminationStatus
    }
}
