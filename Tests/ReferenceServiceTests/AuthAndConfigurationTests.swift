import BoletoJSON
import Foundation
import Testing
@testable import ReferenceService

@Suite("API keys, tenancy and configurations")
struct AuthAndConfigurationTests {
    @Test("a missing, malformed or wrong key gets 401 in the error format", arguments: ServiceBackend.available)
    func unauthorized(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            for key in ["", "abc123", "bk_0000000000000000_" + String(repeating: "a", count: 40),
                        String(service.apiKey.dropLast()) + (service.apiKey.hasSuffix("a") ? "b" : "a")] {
                let reply = try await service.get("/boletos", key: key)
                #expect(reply.status == 401)
                #expect(reply.json == (try JSON.parse(#"{"errors":[{"type":"authorization","message":"Unauthorized","field":null}]}"#)))
            }
            #expect(try await service.get("/boletos").status == 200)
            #expect(try await service.get("/_health_check", key: "").status == 200)
            // Keys are stored hashed.
            let stored = try #require(try await service.service.store.client(id: service.client.id))
            #expect(stored.keyHash != service.apiKey && stored.keyHash.count == 64)
        }
    }

    @Test("a client sees only its own boletos and configurations", arguments: ServiceBackend.available)
    func isolation(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let other = try await service.newClient("other")
            let mine = try await service.post("/boletos", Body.boleto()).json
            let id = try #require(mine["id"]?.string)
            #expect(try await service.get("/boletos/\(id)", key: other.key).status == 404)
            #expect(try await service.request(.PATCH, "/boletos/\(id)", json: #"{"paid_amount":1}"#, key: other.key).status == 404)
            #expect(try await service.request(.POST, "/boletos/\(id)/cancel", key: other.key).status == 404)
            #expect(try await service.get("/boletos/\(id)/events", key: other.key).status == 404)
            #expect(try await service.get("/boletos", key: other.key).headers["X-Total-Count"].first == "0")
            let configuration = JSON.object([("external_id", .string("merchant-1")), ("issuer", .string("sandbox")),
                                             ("issuer_account", .string("9721")), ("issuer_agency", .string("3381")),
                                             ("issuer_wallet", .string("26"))])
            let created = try await service.post("/configurations", configuration)
            #expect(created.status == 201)
            #expect(try await service.get("/configurations/merchant-1", key: other.key).status == 404)
            #expect(try await service.request(.PATCH, "/configurations/\(created.json["id"]!.string!)", json: #"{"issuer_wallet":"09"}"#,
                                              key: other.key).status == 404)
            // The same external_id is free for another client.
            #expect(try await service.post("/configurations", configuration, key: other.key).status == 201)
        }
    }

    @Test("configurations: create, read by external_id, patch by id, and boletos resolved through them", arguments: ServiceBackend.available)
    func configurations(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let body = JSON.object([("external_id", .string("merchant-7")), ("issuer", .string("sandbox")),
                                    ("issuer_account", .string("1234567")), ("issuer_agency", .string("0001")),
                                    ("issuer_wallet", .string("09")), ("sandbox_scenario", .string("transient"))])
            let created = try await service.post("/configurations", body)
            #expect(created.status == 201)
            #expect(created.json["object"]?.string == "configuration")
            let id = try #require(created.json["id"]?.string)
            #expect(id.hasPrefix("cf_"))
            #expect(try await service.post("/configurations", body).status == 409)
            let shown = try await service.get("/configurations/merchant-7")
            #expect(shown.json == created.json)
            let patched = try await service.request(.PATCH, "/configurations/\(id)", json: #"{"issuer_wallet":"06","sandbox_scenario":null}"#)
            #expect(patched.status == 200)
            #expect(patched.json["issuer_wallet"]?.string == "06")
            #expect(patched.json["sandbox_scenario"] == .null)
            for (body, field) in [(#"{"external_id":"x"}"#, "external_id"), (#"{"issuer_wallet":"6a"}"#, "issuer_wallet"),
                                  (#"{"issuer":"itau"}"#, "issuer"), (#"{"sandbox_scenario":"sometimes"}"#, "sandbox_scenario"),
                                  (#"{"issuer_wallet":null}"#, "issuer_wallet")] {
                let reply = try await service.request(.PATCH, "/configurations/\(id)", json: body)
                #expect(reply.status == 400, "\(body)")
                #expect(reply.errorFields == [field], "\(body)")
            }
            let missing = try await service.post("/configurations", .object([("external_id", .string("m"))]))
            #expect(Set(missing.errorFields) == ["issuer", "issuer_account", "issuer_agency", "issuer_wallet"])
            let nulls = try await service.post("/configurations", .object([
                ("external_id", .string("m")), ("issuer", .null), ("issuer_account", .null), ("issuer_agency", .string("1")),
                ("issuer_wallet", .string("09"))]))
            #expect(nulls.status == 400)
            #expect(Set(nulls.errorFields) == ["issuer", "issuer_account"])
            let badAccount = try await service.post("/configurations", .object([
                ("external_id", .string("m2")), ("issuer", .string("sandbox")), ("issuer_account", .string("123456789")),
                ("issuer_agency", .string("0001")), ("issuer_wallet", .string("09"))]))
            #expect(badAccount.status == 400)
            #expect(badAccount.errorFields == ["issuer_account"])

            // A boleto naming the configuration takes its account; sending a different one is an error, not a
            // silent rewrite.
            let resolved = try await service.post("/boletos", Body.boleto([
                ("external_id", .string("merchant-7")), ("issuer", .null), ("issuer_account", .null),
                ("issuer_agency", .null), ("issuer_wallet", .null)]))
            #expect(resolved.status == 201)
            #expect(resolved.json["issuer_account"]?.string == "1234567")
            #expect(resolved.json["issuer_wallet"]?.string == "06")
            let conflicting = try await service.post("/boletos", Body.boleto([("external_id", .string("merchant-7"))]))
            #expect(conflicting.status == 400)
            #expect(Set(conflicting.errorFields) == ["issuer_account", "issuer_agency", "issuer_wallet"])
            let noAccount = try await service.post("/boletos", Body.boleto([("external_id", .string("unknown")), ("issuer_account", .null)]))
            #expect(noAccount.errorFields == ["issuer_account"])
        }
    }
}
