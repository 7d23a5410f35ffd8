import BoletoJSON
import Foundation
import Providers
import Testing
@testable import ReferenceService

@Suite("Worker, outbox and notifications")
struct WorkerTests {
    @Test("transient → pending_registration → worker → registered, each change a webhook the receiver can verify", arguments: ServiceBackend.available)
    func asyncRegistrationWithWebhook(_ backend: ServiceBackend) async throws {
        let receiver = try await WebhookReceiver().start()
        try await withService(backend) { service in
            let created = try await service.post("/boletos", Body.boleto([("webhook_url", .string(receiver.url))]),
                                                 headers: [("X-Sandbox-Scenario", "transient")])
            #expect(created.status == 201)
            #expect(created.json["status"]?.string == "pending_registration")
            let id = try #require(created.json["id"]?.string)
            let settled = try await service.waitForBoleto(id) { $0["status"]?.string == "registered" }
            #expect(settled["status"]?.string == "registered")
            let deliveries = try await receiver.waitFor(2)
            #expect(deliveries.count == 2)
            let bodies = deliveries.map { (try? JSON.parse($0.body)) ?? .null }
            #expect(bodies.map { $0["status"]?.string } == ["pending_registration", "registered"])
            #expect(bodies.allSatisfy { $0["boleto_id"]?.string == id && $0["reference_id"]?.string == "order-42" })
            let now = Int(Date().timeIntervalSince1970)
            for delivery in deliveries {
                let signature = try #require(delivery.signature)
                #expect(WebhookSignature.verify(header: signature, body: delivery.body, secret: service.client.webhookSecret, now: now))
                #expect(!WebhookSignature.verify(header: signature, body: delivery.body + " ", secret: service.client.webhookSecret, now: now))
                #expect(!WebhookSignature.verify(header: signature, body: delivery.body, secret: "whsec_wrong", now: now))
                #expect(!WebhookSignature.verify(header: signature, body: delivery.body, secret: service.client.webhookSecret, now: now + 3600))
            }
            let events = try await service.get("/boletos/\(id)/events").json.array ?? []
            #expect(Set(deliveries.compactMap(\.eventID)) == Set(events.dropFirst().compactMap { $0["id"]?.string }))
            #expect(events.map { $0["status"]?.string ?? "" } == ["issued", "pending_registration", "registered"])
            switch backend {
            case .embedded:
                // The webhook jobs are gone; the SQS notifications wait, visible in the outbox, beside the registered
                // boleto's reconcile job.
                let jobs = try await service.service.store.jobs(boletoID: id)
                #expect(jobs.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.reconcile, .sqs, .sqs])
            case .production:
                // With SQS the queue_url notifications are delivered too, and only the reconcile job stays.
                var jobs: [OutboxJob] = []
                let deadline = Date().addingTimeInterval(10)
                repeat {
                    jobs = try await service.service.store.jobs(boletoID: id)
                    if jobs.map(\.kind) == [.reconcile] { break }
                    try await Task.sleep(for: .milliseconds(50))
                } while Date() < deadline
                #expect(jobs.map(\.kind) == [.reconcile])
            }
        }
        await receiver.stop()
    }

    @Test("a webhook that fails is retried until it succeeds", arguments: ServiceBackend.available)
    func webhookRetry(_ backend: ServiceBackend) async throws {
        let receiver = try await WebhookReceiver(failures: 3).start()
        try await withService(backend) { service in
            let created = try await service.post("/boletos", Body.boleto([("webhook_url", .string(receiver.url)), ("queue_url", .null)]),
                                                 headers: [("X-Sandbox-Scenario", "refused")])
            #expect(created.json["status"]?.string == "refused")
            #expect(created.json["issuer_response_code"]?.string == "SBX01")
            let deliveries = try await receiver.waitFor(4)
            #expect(deliveries.count == 4)
            #expect(Set(deliveries.map(\.body)).count == 1)
            #expect(Set(deliveries.compactMap(\.eventID)).count == 1)
            let id = try #require(created.json["id"]?.string)
            let deadline = Date().addingTimeInterval(5)
            while try await !service.service.store.jobs(boletoID: id).isEmpty, Date() < deadline {
                try await Task.sleep(for: .milliseconds(20))
            }
            #expect(try await service.service.store.jobs(boletoID: id).isEmpty)
        }
        await receiver.stop()
    }

    @Test("a bank that stays unavailable sends the job to the dead-letter table, shown in /metrics and the events", arguments: ServiceBackend.available)
    func deadLetter(_ backend: ServiceBackend) async throws {
        try await withService(backend, { $0.registerMaxAttempts = 3 }) { service in
            let created = try await service.post("/boletos", Body.boleto(), headers: [("X-Sandbox-Scenario", "unavailable")])
            let id = try #require(created.json["id"]?.string)
            let deadline = Date().addingTimeInterval(30)
            var events: [JSON] = []
            while Date() < deadline {
                events = try await service.get("/boletos/\(id)/events").json.array ?? []
                if events.contains(where: { $0["type"]?.string == "registration_dead_lettered" }) { break }
                try await Task.sleep(for: .milliseconds(25))
            }
            #expect(events.map { $0["type"]?.string ?? "" } == ["created", "status_changed", "registration_attempt_failed",
                                                                 "registration_attempt_failed", "registration_dead_lettered"])
            #expect(events.last?["detail"]?["attempts"]?.int == 3)
            let boleto = try await service.get("/boletos/\(id)").json
            #expect(boleto["status"]?.string == "pending_registration")
            let metrics = try await service.get("/metrics").text
            #expect(metrics.contains(#"boleto_dead_letter_jobs{kind="register"} 1"#))
            #expect(metrics.contains(#"boleto_jobs_dead_lettered_total{kind="register"} 1"#))
            #expect(metrics.contains(#"boleto_registration_attempts_total{issuer="sandbox",outcome="transient"} 3"#))
            #expect(try await service.service.store.jobs(boletoID: id).allSatisfy { $0.kind != .register })
        }
    }

    @Test("a bank slower than the deadline: pending, then the retry's 'already registered' reconciles to registered", arguments: ServiceBackend.available)
    func slowBankReconciles(_ backend: ServiceBackend) async throws {
        // The bank takes 5 s and the deadline is 0.2 s, so even a loaded machine passes the deadline first.
        try await withService(backend, {
            $0.registerDeadline = .milliseconds(200)
            $0.sandboxSlowDelay = .seconds(5)
        }) { service in
            // The slow call never answers within the deadline, so the only way to registered is the worker's retry
            // and its "already registered" answer. (On a loaded machine the worker may win before the 201 is sent,
            // so the 201 itself may already say registered.)
            let created = try await service.post("/boletos", Body.boleto(), headers: [("X-Sandbox-Scenario", "slow")])
            #expect(["pending_registration", "registered"].contains(created.json["status"]?.string ?? ""))
            let id = try #require(created.json["id"]?.string)
            let settled = try await service.waitForBoleto(id) { $0["status"]?.string == "registered" }
            #expect(settled["status"]?.string == "registered")
            #expect(settled["issuer_response_code"]?.string == "SBX69")
            let events = try await service.get("/boletos/\(id)/events").json.array ?? []
            #expect(events.contains { $0["status"]?.string == "registered" && $0["detail"]?["reconciled"] == .bool(true) })
            #expect(!events.contains { $0["type"]?.string == "registration_attempt_failed" && $0["status"]?.string == "registered" })
        }
    }

    @Test("the worker registers only issued or pending boletos", arguments: ServiceBackend.available)
    func onlyPending(_ backend: ServiceBackend) async throws {
        try await withService(backend, { $0.runWorker = false }) { service in
            let created = try await service.post("/boletos", Body.boleto(), headers: [("X-Sandbox-Scenario", "transient")])
            let id = try #require(created.json["id"]?.string)
            #expect(created.json["status"]?.string == "pending_registration")
            // A worker holds the register job when the boleto is refused by other means (the status machine removes
            // the stored job with that move): the job it holds must not register the boleto.
            var job = try #require(try await service.service.store.jobs(boletoID: id).first { $0.kind == .register })
            _ = try await service.service.service.transition(id, to: .refused, detail: .object([]))
            job.attempts = 1
            await service.service.worker.runJob(job)
            #expect(try await service.get("/boletos/\(id)").json["status"]?.string == "refused")
            #expect(try await service.service.store.jobs(boletoID: id).allSatisfy { $0.kind != .register })
            let record = try #require(try await service.service.store.boleto(id: id, clientID: nil))
            #expect(await service.service.sandbox.attemptCount(for: try RegistrationRequest(record)) == 1)
        }
    }

    @Test("restarting the process keeps every boleto and job; the restarted worker finishes the work")
    func restart() async throws {
        let first = try await TestService({ $0.runWorker = false }).start()
        var ids: [String] = []
        for index in 0..<3 {
            let reply = try await first.post("/boletos", Body.boleto(), headers: [("X-Sandbox-Scenario", index == 0 ? "registered" : "transient")])
            ids.append(try #require(reply.json["id"]?.string))
        }
        let before = try await first.get("/boletos").text
        let key = first.apiKey
        await first.stop()

        // Restarted without a worker, everything is as it was: the boletos and their register jobs.
        let second = TestService(directory: first.directory) { $0.runWorker = false }
        try await second.start(createKey: false)
        let after = try await second.get("/boletos", key: key)
        #expect(after.status == 200)
        #expect(after.json == (try JSON.parse(before)))
        for id in ids.dropFirst() {
            #expect(try await second.service.store.jobs(boletoID: id).contains { $0.kind == .register })
        }
        await second.stop()
        // Restarted with its worker, the pending registrations complete.
        let third = TestService(directory: first.directory)
        try await third.start(createKey: false)
        for id in ids {
            let status = try await waitStatus(third, id: id, key: key)
            #expect(status == "registered", "\(id)")
        }
        await third.stop()
    }

    private func waitStatus(_ service: TestService, id: String, key: String) async throws -> String? {
        let deadline = Date().addingTimeInterval(10)
        while true {
            let status = try await service.get("/boletos/\(id)", key: key).json["status"]?.string
            if status == "registered" || Date() > deadline { return status }
            try await Task.sleep(for: .milliseconds(25))
        }
    }
}
