import BoletoJSON
import Foundation
import Testing
@testable import ReferenceService

@Suite("Operations: health, readiness, metrics, OpenAPI, logs")
struct OperationsTests {
    @Test("liveness, readiness and robots.txt answer without a key; metrics are Prometheus text", arguments: ServiceBackend.available)
    func health(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let live = try await service.get("/_health_check", key: "")
            #expect(live.status == 200)
            let ready = try await service.get("/health/ready", key: "")
            #expect(ready.status == 200)
            #expect(ready.json["checks"]?["database"]?.string == "ok")
            #expect(ready.json["checks"]?["queue"]?.string == "ok")
            let robots = try await service.get("/robots.txt", key: "")
            #expect(robots.text == "User-Agent: *\nDisallow: /\n")
            _ = try await service.post("/boletos", Body.boleto())
            let metrics = try await service.get("/metrics", key: "")
            #expect(metrics.status == 200)
            #expect(metrics.headers["Content-Type"].first?.hasPrefix("text/plain") == true)
            #expect(metrics.text.contains(#"boleto_http_requests_total{method="POST",route="/boletos",status="201"} 1"#))
            #expect(metrics.text.contains(#"boleto_boletos_created_total{issuer="sandbox"} 1"#))
            switch backend {
            case .embedded:
                // Without SQS the boleto's queue_url notification waits in the outbox, and readiness says so.
                #expect(metrics.text.contains(#"boleto_outbox_jobs{kind="sqs"} 1"#))
                #expect(ready.json["checks"]?["sqs"]?.string == "not_configured")
                let readyAfter = try await service.get("/health/ready", key: "")
                #expect(readyAfter.json["checks"]?["sqs_notifications_waiting"]?.int == 1)
            case .production:
                // With SQS it is delivered, and nothing is left waiting.
                #expect(ready.json["checks"]?["sqs"]?.string == "ok")
                var waiting: Int64?
                let deadline = Date().addingTimeInterval(10)
                repeat {
                    waiting = try await service.get("/health/ready", key: "").json["checks"]?["sqs_notifications_waiting"]?.int
                    if waiting == 0 { break }
                    try await Task.sleep(for: .milliseconds(50))
                } while Date() < deadline
                #expect(waiting == 0)
            }
        }
    }

    @Test("readiness fails when the database is gone")
    func notReady() async throws {
        let service = try await TestService().start()
        try await service.service.store.close()
        let ready = try await service.get("/health/ready", key: "")
        #expect(ready.status == 503)
        #expect(ready.json["checks"]?["database"]?.string == "unavailable")
        await service.stop()
    }

    @Test("/openapi.json is OpenAPI 3.1 and documents exactly the routes the service answers", arguments: ServiceBackend.available)
    func openAPI(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let reply = try await service.get("/openapi.json", key: "")
            #expect(reply.status == 200)
            let document = reply.json
            #expect(document["openapi"]?.string == "3.1.0")
            guard case .object(let paths)? = document["paths"] else { Issue.record("no paths"); return }
            let documented = Set(paths.flatMap { path, item -> [String] in
                guard case .object(let operations) = item else { return [] }
                let template = path.replacingOccurrences(of: "{id}", with: ":id").replacingOccurrences(of: "{external_id}", with: ":id")
                    .replacingOccurrences(of: "{secret}", with: ":id").replacingOccurrences(of: "{token}", with: ":id")
                return operations.map(\.0).filter { ["get", "post", "patch", "put", "delete"].contains($0) }
                    .map { "\($0.uppercased()) \(template)" }
            })
            let served = Set(Routes.table.map { "\($0.method.rawValue) \($0.template)" })
            #expect(documented == served)
            // Every event type the service writes is in the schema's enum, and nothing else.
            let types = document["components"]?["schemas"]?["BoletoEvent"]?["properties"]?["type"]?["enum"]
            guard case .array(let values)? = types else { Issue.record("no BoletoEvent.type enum"); return }
            #expect(Set(values.compactMap(\.string)) == Set(BoletoEvent.Kind.allCases.map(\.rawValue)))
            #expect(values.count == BoletoEvent.Kind.allCases.count)
        }
    }

    @Test("no CPF/CNPJ, names, keys or secrets reach the logs of a full create, list, payment and webhook", arguments: ServiceBackend.available)
    func noPersonalDataInLogs(_ backend: ServiceBackend) async throws {
        let receiver = try await WebhookReceiver().start()
        try await withService(backend) { service in
            let created = try await service.post("/boletos", Body.boleto([("webhook_url", .string(receiver.url))]),
                                                 headers: [("X-Sandbox-Scenario", "transient")])
            let id = try #require(created.json["id"]?.string)
            _ = try await service.waitForBoleto(id) { $0["status"]?.string == "registered" }
            _ = try await receiver.waitFor(2)
            _ = try await service.get("/boletos?payer_document_number=11144477735")
            _ = try await service.request(.PATCH, "/boletos/\(id)", json: #"{"paid_amount": 2000}"#)
            _ = try await service.get("/boletos", key: "bk_0000000000000000_" + String(repeating: "z", count: 40))
            let logs = service.logs.all.joined(separator: "\n")
            #expect(logs.contains(id))
            #expect(logs.contains("registration attempt"))
            for secret in ["11144477735", "111.444.777-35", "11222333000181", "11.222.333/0001-81", "Maria", "Joaquina",
                           "Loja Exemplo", "Fidêncio", "04551", service.apiKey, service.client.webhookSecret,
                           String(repeating: "z", count: 40)] {
                #expect(!logs.contains(secret), "\(secret) appears in the logs")
            }
        }
        await receiver.stop()
    }
}
