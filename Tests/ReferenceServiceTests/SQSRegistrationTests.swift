import BoletoJSON
import Foundation
import Providers
import Testing
@testable import ReferenceService
@testable import SQS

/// Registrations over SQS: the outbox relay, the consumer, idempotency and the DLQ (moto).
@Suite("Registrations over SQS", .enabled(if: SQSServer.shouldRun))
struct SQSRegistrationTests {
    static func queues(maxReceiveCount: Int = 5) async throws -> (client: SQSClient, name: String, urls: (queue: String, deadLetter: String)) {
        let client = try SQSServer.client()
        let name = "reg-\(UUID().uuidString.prefix(8).lowercased())"
        let urls = try await SQSServer.retrying {
            try await QueueSetup.create(client: client, name: name, maxReceiveCount: maxReceiveCount, visibilityTimeoutSeconds: 30)
        }
        return (client, name, urls)
    }

    static func sqsMode(_ client: SQSClient, _ name: String) -> (inout ServiceSettings) -> Void {
        { settings in
            settings.queue = .sqs
            settings.aws = client.configuration
            settings.sqsRegisterQueue = name
            settings.sqsWaitSeconds = 1
            settings.sqsVisibilitySeconds = 2
        }
    }

    @Test("a pending boleto goes through the relay and the SQS consumer to registered; the queue ends empty", arguments: StoreBackend.available)
    func relayAndConsume(_ backend: StoreBackend) async throws {
        let (client, name, urls) = try await Self.queues()
        try await withService(store: backend, Self.sqsMode(client, name)) { service in
            let created = try await service.post("/boletos", Body.boleto(), headers: [("X-Sandbox-Scenario", "transient")])
            #expect(created.json["status"]?.string == "pending_registration")
            let id = try #require(created.json["id"]?.string)
            let settled = try await service.waitForBoleto(id) { $0["status"]?.string == "registered" }
            #expect(settled["status"]?.string == "registered")
            let events = try await service.get("/boletos/\(id)/events").json.array ?? []
            #expect(events.last?["detail"]?["attempt"]?.int == 2)
            #expect(try await service.service.store.jobs(boletoID: id).allSatisfy { $0.kind != .register })
            let attributes = try await client.queueAttributes(queueURL: urls.queue)
            #expect(attributes["ApproximateNumberOfMessages"] == "0")
            #expect(attributes["ApproximateNumberOfMessagesNotVisible"] == "0")
        }
    }

    @Test("a message for a boleto that is already final is acknowledged and registers nothing")
    func duplicateMessage() async throws {
        let (client, name, urls) = try await Self.queues()
        try await withService(store: .sqlite, Self.sqsMode(client, name)) { service in
            let created = try await service.post("/boletos", Body.boleto())
            let id = try #require(created.json["id"]?.string)
            #expect(created.json["status"]?.string == "registered")
            let body = RegistrationQueue.Body(boletoID: id, jobID: "job_duplicate", attempts: 1)
            try await client.sendMessage(queueURL: urls.queue, body: body.text)
            let deadline = Date().addingTimeInterval(10)
            while Date() < deadline {
                let attributes = try await client.queueAttributes(queueURL: urls.queue)
                if attributes["ApproximateNumberOfMessages"] == "0" && attributes["ApproximateNumberOfMessagesNotVisible"] == "0" { break }
                try await Task.sleep(for: .milliseconds(100))
            }
            #expect(try await client.queueAttributes(queueURL: urls.queue)["ApproximateNumberOfMessages"] == "0")
            let record = try #require(try await service.service.store.boleto(id: id, clientID: nil))
            #expect(await service.service.sandbox.attemptCount(for: try RegistrationRequest(record)) == 1)
            #expect(try await service.get("/boletos/\(id)/events").json.array?.count == 2)
        }
    }

    @Test("a poison message is never acknowledged and ends in the DLQ")
    func poison() async throws {
        let (client, name, urls) = try await Self.queues(maxReceiveCount: 2)
        try await withService(store: .sqlite, Self.sqsMode(client, name)) { _ in
            try await client.sendMessage(queueURL: urls.queue, body: "not a registration")
            var dead: [SQSClient.Message] = []
            let deadline = Date().addingTimeInterval(20)
            while dead.isEmpty && Date() < deadline {
                dead = try await client.receiveMessages(queueURL: urls.deadLetter, waitSeconds: 1)
            }
            #expect(dead.map(\.body) == ["not a registration"])
        }
    }
}

/// `boleto serve` without a worker and a separate `boleto worker`, on Postgres and SQS, as in production.
@Suite("Separate worker process", .enabled(if: SQSServer.shouldRun && StoreBackend.available.contains(.postgres)))
struct WorkerProcessTests {
    @Test("serve (BOLETO_WORKER=false) issues; boleto worker registers over SQS; both stop on SIGTERM")
    func separateWorker() async throws {
        let url = try await StoreBackend.freshDatabase()
        let (client, name, _) = try await SQSRegistrationTests.queues()
        let environment = [
            "BOLETO_DATABASE_URL": url, "BOLETO_DATABASE_WAIT_MS": "60000", "BOLETO_QUEUE": "sqs", "BOLETO_SQS_REGISTER_QUEUE": name, "BOLETO_SQS_WAIT_SECONDS": "1",
            "AWS_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "test", "AWS_SECRET_ACCESS_KEY": "test",
            "AWS_ENDPOINT_URL_SQS": client.configuration.endpoint.absoluteString, "BOLETO_RETRY_BASE_MS": "50",
            "BOLETO_LOG_LEVEL": "warning",
        ]
        let key = try #require(try CommandLineTests.runOnce(["apikey", "create", "w"], environment: environment)
            .split(separator: "\n").last.map(String.init))
        let serve = try await ServeProcess.start(environment: environment.merging(["BOLETO_WORKER": "false"]) { $1 })
        let api = TestServiceClient(port: serve.port, key: key)
        // Without a worker the boleto stays pending.
        let created = try await api.post("/boletos", body: Body.boleto().text, headers: [("X-Sandbox-Scenario", "transient")])
        #expect(created.json["status"]?.string == "pending_registration")
        let id = try #require(created.json["id"]?.string)
        try await Task.sleep(for: .seconds(1))
        #expect(try await api.get("/boletos/\(id)").json["status"]?.string == "pending_registration")
        let worker = try WorkerSupervisor.start(environment)
        var status: String?
        let deadline = Date().addingTimeInterval(30)
        while Date() < deadline {
            status = try await api.get("/boletos/\(id)").json["status"]?.string
            if status == "registered" { break }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(status == "registered")
        worker.terminate()
        worker.waitUntilExit()
        #expect(worker.terminationStatus == 0)
        serve.stop()
        #expect(serve.wait() == 0)
    }
}
