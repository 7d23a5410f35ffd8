import BoletoJSON
import Foundation
import Providers
import Testing
@testable import ReferenceService

@Suite("GET, PATCH, cancel and events")
struct QueryAndLifecycleTests {
    @Test("GET /boletos pages newest first, filters, counts the total in a header and bounds page and count", arguments: ServiceBackend.available)
    func listing(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            var ids: [String] = []
            for index in 0..<5 {
                let reply = try await service.post("/boletos", Body.boleto([
                    ("reference_id", .string("ref-\(index % 2)")),
                    ("register", .bool(index != 4)),
                    ("payer_document_number", .string(index == 3 ? "52998224725" : "11144477735")),
                ]))
                ids.append(try #require(reply.json["id"]?.string))
            }
            let all = try await service.get("/boletos")
            #expect(all.status == 200)
            #expect(all.headers["X-Total-Count"].first == "5")
            #expect(all.json.array?.compactMap { $0["id"]?.string } == ids.reversed())
            let page2 = try await service.get("/boletos?count=2&page=2")
            #expect(page2.json.array?.compactMap { $0["id"]?.string } == [ids[2], ids[1]])
            #expect(page2.headers["X-Total-Count"].first == "5")
            let page9 = try await service.get("/boletos?count=2&page=9")
            #expect(page9.json.array?.isEmpty == true)
            let issued = try await service.get("/boletos?status=issued")
            #expect(issued.json.array?.compactMap { $0["id"]?.string } == [ids[4]])
            let byReference = try await service.get("/boletos?reference_id=ref-1")
            #expect(byReference.headers["X-Total-Count"].first == "2")
            let byDocument = try await service.get("/boletos?payer_document_number=529.982.247-25")
            #expect(byDocument.json.array?.compactMap { $0["id"]?.string } == [ids[3]])
            let byTitle = try await service.get("/boletos?title_id=2&issuer=sandbox")
            #expect(byTitle.json.array?.compactMap { $0["id"]?.string } == [ids[1]])
            let token = try #require(all.json.array?.first?["token"]?.string)
            let byToken = try await service.get("/boletos?token=\(token)")
            #expect(byToken.json.array?.count == 1)
            let future = try await service.get("/boletos?created_at_from=2099-01-01")
            #expect(future.headers["X-Total-Count"].first == "0")
            let past = try await service.get("/boletos?created_at_from=2020-01-01T00:00:00Z&created_at_to=2099-01-01")
            #expect(past.headers["X-Total-Count"].first == "5")
            for (query, field) in [("count=0", "count"), ("count=101", "count"), ("page=0", "page"), ("page=x", "page"),
                                   ("status=lost", "status"), ("title_id=-1", "title_id"), ("created_at_to=soon", "created_at_to"),
                                   ("colour=blue", "colour")] {
                let reply = try await service.get("/boletos?\(query)")
                #expect(reply.status == 400, "\(query)")
                #expect(reply.errorFields == [field], "\(query)")
            }
        }
    }

    @Test("GET /boletos/:id answers the resource or 404", arguments: ServiceBackend.available)
    func show(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let created = try await service.post("/boletos", Body.boleto())
            let id = try #require(created.json["id"]?.string)
            let shown = try await service.get("/boletos/\(id)")
            #expect(shown.status == 200)
            #expect(shown.json == created.json)
            let missing = try await service.get("/boletos/bol_doesnotexist")
            #expect(missing.status == 404)
            #expect(missing.errorTypes == ["not_found"])
        }
    }

    @Test("PATCH records paid_amount (0 included) and bank_response_code, moves registered → paid, and records every change", arguments: ServiceBackend.available)
    func patch(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let created = try await service.post("/boletos", Body.boleto([("amount", .int(5000))]))
            let id = try #require(created.json["id"]?.string)
            let partial = try await service.request(.PATCH, "/boletos/\(id)", json: #"{"paid_amount": 1000, "bank_response_code": "00"}"#)
            #expect(partial.status == 200)
            #expect(partial.json["paid_amount"]?.int == 1000)
            #expect(partial.json["bank_response_code"]?.string == "00")
            #expect(partial.json["status"]?.string == "registered")
            let zero = try await service.request(.PATCH, "/boletos/\(id)", json: #"{"paid_amount": 0, "bank_response_code": ""}"#)
            #expect(zero.json["paid_amount"]?.int == 0)
            #expect(zero.json["bank_response_code"]?.string == "")
            let paid = try await service.request(.PATCH, "/boletos/\(id)", json: #"{"paid_amount": 5000}"#)
            #expect(paid.json["status"]?.string == "paid")
            // A change of a paid boleto is a conflict, not a bad request.
            #expect(try await service.request(.PATCH, "/boletos/\(id)", json: #"{"amount": 1}"#).status == 409)
            for body in [#"{"paid_amount": -1}"#, #"{"paid_amount": null}"#, #"{"paid_amount": "10"}"#, "{}", #"{"bank_response_code": 5}"#] {
                let bad = try await service.request(.PATCH, "/boletos/\(id)", json: body)
                #expect(bad.status == 400, "\(body)")
            }
            let missing = try await service.request(.PATCH, "/boletos/bol_nope", json: #"{"paid_amount": 1}"#)
            #expect(missing.status == 404)
            let events = try await service.get("/boletos/\(id)/events").json.array ?? []
            #expect(events.map { $0["type"]?.string ?? "" } == ["created", "status_changed", "updated", "updated", "updated", "status_changed"])
            #expect(events.map { $0["status"]?.string ?? "" } == ["issued", "registered", "registered", "registered", "registered", "paid"])
            #expect(events[3]["detail"]?["paid_amount"]?.int == 0)
            #expect(events[3]["detail"]?["previous_paid_amount"]?.int == 1000)
            #expect(events.last?["previous_status"]?.string == "registered")
        }
    }

    @Test("payment integrity: a paid boleto's paid_amount never changes, and canceled or refused boletos take no payment (409, nothing written)",
          arguments: ServiceBackend.available)
    func paymentIntegrity(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            func paidAmount(_ id: String) async throws -> Int64? { try await service.get("/boletos/\(id)").json["paid_amount"]?.int }
            func eventCount(_ id: String) async throws -> Int { try await service.get("/boletos/\(id)/events").json.array?.count ?? -1 }
            func refuses(_ id: String, _ body: String) async throws {
                let before = try await service.get("/boletos/\(id)").json
                let events = try await eventCount(id)
                let reply = try await service.request(.PATCH, "/boletos/\(id)", json: body)
                #expect(reply.status == 409, "\(body): \(reply.text)")
                #expect(reply.errorTypes == ["conflict"])
                #expect(reply.json["errors"]?.array?.first?["field"]?.string == "paid_amount")
                #expect(try await service.get("/boletos/\(id)").json == before, "nothing changed after \(body)")
                #expect(try await eventCount(id) == events)
            }
            // The finding: 9999999999 paid the boleto, then 5 lowered it.
            let paid = try #require(try await service.post("/boletos", Body.boleto([("amount", .int(5000))])).json["id"]?.string)
            #expect(try await service.request(.PATCH, "/boletos/\(paid)", json: #"{"paid_amount": 9999999999}"#).json["status"]?.string == "paid")
            for body in [#"{"paid_amount": 5}"#, #"{"paid_amount": 0}"#, #"{"paid_amount": 9999999998}"#,
                         #"{"paid_amount": 5, "bank_response_code": "09"}"#] {
                try await refuses(paid, body)
            }
            #expect(try await paidAmount(paid) == 9_999_999_999)
            // Nor is it raised once paid.
            let exact = try #require(try await service.post("/boletos", Body.boleto([("amount", .int(5000))])).json["id"]?.string)
            #expect(try await service.request(.PATCH, "/boletos/\(exact)", json: #"{"paid_amount": 5000}"#).json["status"]?.string == "paid")
            try await refuses(exact, #"{"paid_amount": 6000}"#)
            // The same amount again is no change (a retried PATCH), and other fields still change.
            let events = try await eventCount(paid)
            let same = try await service.request(.PATCH, "/boletos/\(paid)", json: #"{"paid_amount": 9999999999}"#)
            #expect(same.status == 200)
            #expect(try await eventCount(paid) == events)
            let code = try await service.request(.PATCH, "/boletos/\(paid)", json: #"{"bank_response_code": "00"}"#)
            #expect(code.status == 200)
            #expect(code.json["bank_response_code"]?.string == "00")

            let canceled = try #require(try await service.post("/boletos", Body.boleto()).json["id"]?.string)
            #expect(try await service.request(.POST, "/boletos/\(canceled)/cancel").json["status"]?.string == "canceled")
            try await refuses(canceled, #"{"paid_amount": 2000}"#)
            try await refuses(canceled, #"{"paid_amount": 1}"#)
            #expect(try await paidAmount(canceled) == 0)

            let refused = try #require(try await service.post("/boletos", Body.boleto(), headers: [("X-Sandbox-Scenario", "refused")])
                .json["id"]?.string)
            try await refuses(refused, #"{"paid_amount": 2000}"#)
            #expect(try await service.request(.PATCH, "/boletos/\(refused)", json: #"{"paid_amount": 0}"#).status == 200,
                    "the amount it holds is no change")
        }
    }

    @Test("cancel: registered and unregistered boletos are canceled, others conflict, a second cancel is harmless", arguments: ServiceBackend.available)
    func cancel(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let registered = try await service.post("/boletos", Body.boleto()).json
            let id = try #require(registered["id"]?.string)
            let canceled = try await service.request(.POST, "/boletos/\(id)/cancel")
            #expect(canceled.status == 200)
            #expect(canceled.json["status"]?.string == "canceled")
            let again = try await service.request(.POST, "/boletos/\(id)/cancel")
            #expect(again.status == 200)
            #expect(again.json["status"]?.string == "canceled")
            // The sandbox bank wrote the title off: it reports a second cancel as already canceled.
            let request = try RegistrationRequest(try #require(try await service.service.store.boleto(id: id, clientID: nil)))
            #expect(await service.service.sandbox.cancel(request) == .alreadyCanceled(code: "SBX05", message: "Title already canceled."))

            let unregistered = try await service.post("/boletos", Body.boleto([("register", .bool(false))])).json
            let local = try await service.request(.POST, "/boletos/\(unregistered["id"]!.string!)/cancel")
            #expect(local.json["status"]?.string == "canceled")

            let refused = try await service.post("/boletos", Body.boleto(), headers: [("X-Sandbox-Scenario", "refused")]).json
            #expect(refused["status"]?.string == "refused")
            let conflict = try await service.request(.POST, "/boletos/\(refused["id"]!.string!)/cancel")
            #expect(conflict.status == 409)
            #expect(conflict.errorTypes == ["conflict"])

            let missing = try await service.request(.POST, "/boletos/bol_nope/cancel")
            #expect(missing.status == 404)
            let badBody = try await service.request(.POST, "/boletos/\(id)/cancel", json: #"{"reason": "x"}"#)
            #expect(badBody.status == 400)

            let events = try await service.get("/boletos/\(id)/events").json.array ?? []
            #expect(events.last?["status"]?.string == "canceled")
            #expect(events.last?["previous_status"]?.string == "registered")
        }
    }
}
