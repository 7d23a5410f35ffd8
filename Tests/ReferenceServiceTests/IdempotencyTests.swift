import BoletoJSON
import Foundation
import Providers
import Testing
@testable import ReferenceService

@Suite("Idempotency-Key")
struct IdempotencyTests {
    @Test("the same key and body answer the stored response; another body with that key gets 422", arguments: ServiceBackend.available)
    func replay(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let body = Body.boleto()
            let first = try await service.post("/boletos", body, headers: [("Idempotency-Key", "order-42-attempt")])
            #expect(first.status == 201)
            let second = try await service.post("/boletos", body, headers: [("Idempotency-Key", "order-42-attempt")])
            #expect(second.status == 201)
            #expect(second.text == first.text)
            #expect(second.headers["Idempotent-Replayed"].first == "true")
            let changed = try await service.post("/boletos", Body.boleto([("amount", .int(2001))]),
                                                 headers: [("Idempotency-Key", "order-42-attempt")])
            #expect(changed.status == 422)
            #expect(changed.errorFields == ["Idempotency-Key"])
            #expect(try await service.get("/boletos").headers["X-Total-Count"].first == "1")
            // The sandbox saw one registration only.
            let record = try #require(try await service.service.store.boleto(id: first.json["id"]!.string!, clientID: nil))
            let request = try RegistrationRequest(record)
            #expect(await service.service.sandbox.attemptCount(for: request) == 1)
            // A validation failure is remembered too, and keys are per client.
            let invalid = try await service.post("/boletos", Body.boleto([("amount", .int(0))]), headers: [("Idempotency-Key", "k2")])
            let invalidAgain = try await service.post("/boletos", Body.boleto([("amount", .int(0))]), headers: [("Idempotency-Key", "k2")])
            #expect(invalid.status == 400 && invalidAgain.status == 400)
            #expect(invalidAgain.headers["Idempotent-Replayed"].first == "true")
            let other = try await service.newClient("other")
            let otherFirst = try await service.post("/boletos", body, key: other.key, headers: [("Idempotency-Key", "order-42-attempt")])
            #expect(otherFirst.status == 201)
            #expect(otherFirst.json["id"] != first.json["id"])
            let badKey = try await service.post("/boletos", body, headers: [("Idempotency-Key", String(repeating: "k", count: 256))])
            #expect(badKey.status == 400)
            #expect(badKey.errorFields == ["Idempotency-Key"])
        }
    }

    @Test("20 concurrent identical requests make exactly one boleto and one registration", arguments: ServiceBackend.available)
    func concurrent(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let body = Body.boleto()
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<20 {
                    group.addTask { try await service.post("/boletos", body, headers: [("Idempotency-Key", "burst-1")]) }
                }
                var replies: [Reply] = []
                for try await reply in group { replies.append(reply) }
                return replies
            }
            #expect(replies.allSatisfy { $0.status == 201 })
            #expect(Set(replies.compactMap { $0.json["id"]?.string }).count == 1)
            #expect(try await service.get("/boletos").headers["X-Total-Count"].first == "1")
            let id = try #require(replies.first?.json["id"]?.string)
            let record = try #require(try await service.service.store.boleto(id: id, clientID: nil))
            #expect(await service.service.sandbox.attemptCount(for: try RegistrationRequest(record)) == 1)
        }
    }

    @Test("configurations and cancels honour the key too", arguments: ServiceBackend.available)
    func otherPosts(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let configuration = JSON.object([("external_id", .string("m-1")), ("issuer", .string("sandbox")),
                                             ("issuer_account", .string("9721")), ("issuer_agency", .string("3381")),
                                             ("issuer_wallet", .string("26"))])
            let first = try await service.post("/configurations", configuration, headers: [("Idempotency-Key", "cfg")])
            let second = try await service.post("/configurations", configuration, headers: [("Idempotency-Key", "cfg")])
            #expect(first.status == 201 && second.status == 201)
            #expect(first.text == second.text)
            let boleto = try await service.post("/boletos", Body.boleto()).json
            let path = "/boletos/\(boleto["id"]!.string!)/cancel"
            let cancel = try await service.request(.POST, path, headers: [("Idempotency-Key", "c")])
            let cancelAgain = try await service.request(.POST, path, headers: [("Idempotency-Key", "c")])
            #expect(cancel.status == 200 && cancelAgain.text == cancel.text)
            let otherPath = try await service.request(.POST, "/boletos/bol_other/cancel", headers: [("Idempotency-Key", "c")])
            #expect(otherPath.status == 422)
        }
    }
}
