import BoletoJSON
import Foundation
import Testing
@testable import ReferenceService
@testable import SQS

/// With `BOLETO_QUEUE=sqs`, owners' `queue_url` notifications reach their queue (moto).
@Suite("SQS notifications", .enabled(if: SQSServer.shouldRun))
struct SQSNotificationTests {
    @Test("every status change reaches the owner's queue, with the event id; readiness checks SQS", arguments: StoreBackend.available)
    func ownerQueue(_ backend: StoreBackend) async throws {
        let client = try SQSServer.client()
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let owner = try await SQSServer.retrying { try await client.createQueue(name: "owner-\(suffix)") }
        let register = "register-\(suffix)"
        let urls = try await SQSServer.retrying {
            try await QueueSetup.create(client: client, name: register, maxReceiveCount: 5, visibilityTimeoutSeconds: 30)
        }
        #expect(try await client.queueAttributes(queueURL: urls.queue)["RedrivePolicy"]?.contains("\"maxReceiveCount\"") == true)
        try await withService(store: backend, {
            $0.queue = .sqs
            $0.aws = client.configuration
            $0.sqsRegisterQueue = register
        }) { service in
            let created = try await service.post("/boletos", Body.boleto([("queue_url", .string(owner))]),
                                                 headers: [("X-Sandbox-Scenario", "transient")])
            let id = try #require(created.json["id"]?.string)
            _ = try await service.waitForBoleto(id) { $0["status"]?.string == "registered" }
            var messages: [SQSClient.Message] = []
            let deadline = Date().addingTimeInterval(15)
            while messages.count < 2 && Date() < deadline {
                messages += try await client.receiveMessages(queueURL: owner, maxMessages: 10, waitSeconds: 1, visibilityTimeout: 60)
            }
            let bodies = messages.map { (try? JSON.parse($0.body)) ?? .null }
            #expect(Set(bodies.compactMap { $0["status"]?.string }) == ["pending_registration", "registered"])
            #expect(bodies.allSatisfy { $0["boleto_id"]?.string == id && $0["reference_id"]?.string == "order-42" })
            let events = try await service.get("/boletos/\(id)/events").json.array ?? []
            #expect(Set(messages.compactMap { $0.messageAttributes["event_id"] }) == Set(events.dropFirst().compactMap { $0["id"]?.string }))
            // Delivered means deleted from the outbox (the registered boleto's reconcile job stays).
            let outboxDeadline = Date().addingTimeInterval(5)
            while try await service.service.store.jobs(boletoID: id).contains(where: { $0.kind == .sqs }), Date() < outboxDeadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await service.service.store.jobs(boletoID: id).allSatisfy { $0.kind == .reconcile })
            let ready = try await service.get("/health/ready", key: "")
            #expect(ready.status == 200)
            #expect(ready.json["checks"]?["sqs"]?.string == "ok")
        }
    }

    @Test("a notification to a queue that does not exist yet is kept and retried, then delivered once it exists")
    func missingQueueThenDelivered() async throws {
        let client = try SQSServer.client()
        let suffix = UUID().uuidString.prefix(8).lowercased()
        let account = URL(string: try await SQSServer.retrying { try await client.createQueue(name: "probe-\(suffix)") })!.pathComponents[1]
        let ownerName = "late-\(suffix)"
        let ownerURL = client.configuration.endpoint.absoluteString.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
            + "/\(account)/\(ownerName)"
        try await withService(store: .sqlite, {
            $0.queue = .sqs
            $0.aws = client.configuration
        }) { service in
            let created = try await service.post("/boletos", Body.boleto([("queue_url", .string(ownerURL))]),
                                                 headers: [("X-Sandbox-Scenario", "refused")])
            let id = try #require(created.json["id"]?.string)
            let deadline = Date().addingTimeInterval(10)
            var job: OutboxJob?
            while Date() < deadline {
                job = try await service.service.store.jobs(boletoID: id).first { $0.kind == .sqs }
                if (job?.attempts ?? 0) >= 2 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect((job?.attempts ?? 0) >= 2)
            #expect(job?.lastError?.contains("QueueDoesNotExist") == true || job?.lastError?.contains("NonExistentQueue") == true)
            _ = try await SQSServer.retrying { try await client.createQueue(name: ownerName) }
            var messages: [SQSClient.Message] = []
            let second = Date().addingTimeInterval(15)
            while messages.isEmpty && Date() < second {
                messages = try await client.receiveMessages(queueURL: ownerURL, waitSeconds: 1)
            }
            #expect(messages.count == 1)
            #expect(messages.first.flatMap { try? JSON.parse($0.body) }?["status"]?.string == "refused")
        }
    }
}
