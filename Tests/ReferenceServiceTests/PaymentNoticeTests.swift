import BoletoJSON
import BoletoKit
import FakeBanks
import Foundation
import Providers
import Testing
@testable import ReferenceService

/// Payments without a file, over real HTTP on both backends: a bank's notification makes the service ask the bank
/// and apply only its answer; the reconciler asks on its own schedule, within its per-bank rate; a wrong secret is a
/// 404 that leaves nothing but a metric.
@Suite("Payments learned from the bank: notifications and the reconciler")
struct PaymentNoticeTests {
    static let secret = "notify-0123456789abcdefghijklmnopqrstuv"

    /// Polls the boleto's events until one satisfies `condition`.
    static func waitForEvent(_ service: TestService, _ id: String, seconds: Double = 15,
                             _ condition: (JSON) -> Bool) async throws -> [JSON] {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let events = try await service.get("/boletos/\(id)/events").json.array ?? []
            if events.contains(where: condition) || Date() > deadline { return events }
            try await Task.sleep(for: .milliseconds(30))
        }
    }

    static func isQuery(_ event: JSON, source: String) -> Bool {
        event["type"]?.string == "bank_queried" && (event["detail"]?["source"]?.string == source)
    }

    @Test("sandbox: a wrong secret is a quiet 404; the right one makes the service ask the bank, and the paid boleto is notified",
          arguments: ServiceBackend.available)
    func sandboxNotification(_ backend: ServiceBackend) async throws {
        let receiver = try await WebhookReceiver().start()
        try await withService(backend, { $0.notificationSecrets = ["sandbox": Self.secret]; $0.reconcile.poll = .milliseconds(50) }) { service in
            let created = try await service.post("/boletos", Body.boleto([("webhook_url", .string(receiver.url)), ("amount", .int(4321))]),
                                                 headers: [("X-Sandbox-Scenario", "paid")])
            #expect(created.json["status"]?.string == "registered", "\(created.text)")
            let id = try #require(created.json["id"]?.string)
            let titleID = try #require(created.json["title_id"]?.int)
            let eventsBefore = try await service.get("/boletos/\(id)/events").json.array?.count

            // Wrong secrets, with any body: 404 exactly like an unknown path, no log line, one metric each.
            let unknown = try await service.post("/no/such/path", .object([]), key: "")
            for (path, contentType) in [("/banks/sandbox/notifications/wrong-\(Self.secret)", "application/json"),
                                        ("/banks/sandbox/notifications/\(Self.secret.dropLast())", "text/plain"),
                                        ("/banks/bb/notifications/\(Self.secret)", "application/json")] {
                let forged = try await service.request(.POST, path, json: #"{"title_id":\#(titleID)}"#, key: "",
                                                       headers: [("Content-Type", contentType)])
                #expect(forged.status == 404 && forged.text == unknown.text, "\(path): \(forged.status) \(forged.text)")
            }
            let metrics = try await service.get("/metrics", key: "").text
            #expect(metrics.contains(#"boleto_bank_notifications_total{bank="sandbox",result="rejected"} 2"#), "\(metrics)")
            #expect(metrics.contains(#"boleto_bank_notifications_total{bank="bb",result="rejected"} 1"#))
            let traces = service.logs.all.filter { $0.contains("/banks/") || $0.contains(Self.secret) }
            #expect(traces.isEmpty, "\(traces)")
            #expect(try await service.get("/boletos/\(id)/events").json.array?.count == eventsBefore)
            #expect(try await service.get("/boletos/\(id)").json["status"]?.string == "registered")

            // A body that names no title is a 400 (a misconfigured sender shows up in its delivery log).
            let empty = try await service.post("/banks/sandbox/notifications/\(Self.secret)", .object([("x", .int(1))]), key: "")
            #expect(empty.status == 400 && empty.json["errors"]?.array?.first?["field"]?.string == "body", "\(empty.text)")

            // The right secret: the body only names the title; the bank's answer (paid in full) is what applies.
            let notice = try await service.post("/banks/sandbox/notifications/\(Self.secret)",
                                                .object([("title_id", .int(titleID)), ("paid_amount", .int(1))]), key: "")
            #expect(notice.status == 202, "\(notice.text)")
            #expect(notice.json["received"]?.int == 1 && notice.json["queued"]?.int == 1)
            let paid = try await service.waitForBoleto(id) { $0["status"]?.string == "paid" }
            #expect(paid["status"]?.string == "paid")
            #expect(paid["paid_amount"]?.int == 4321, "the bank's amount, not the notification's")
            #expect(paid["payment_channel"]?.string == "SANDBOX")
            #expect(paid["payment_date"]?.string == CalendarDate.todayInSaoPaulo().description)
            let deliveries = try await receiver.waitFor(2)
            #expect(deliveries.compactMap { (try? JSON.parse($0.body))?["status"]?.string } == ["registered", "paid"])
            let events = try await service.get("/boletos/\(id)/events").json.array ?? []
            let query = try #require(events.first { Self.isQuery($0, source: "notification") })
            #expect(query["detail"]?["state"]?.string == "paid" && query["detail"]?["paid_amount"]?.int == 4321)
            #expect(events.last?["type"]?.string == "status_changed" && events.last?["status"]?.string == "paid")

            // Replayed: the boleto is no longer registered, so nothing is queued and nothing changes.
            let replay = try await service.post("/banks/sandbox/notifications/\(Self.secret)", .object([("title_id", .int(titleID))]), key: "")
            #expect(replay.status == 202 && replay.json["queued"]?.int == 0)
            #expect(try await service.get("/boletos/\(id)/events").json.array?.count == events.count)
        }
        await receiver.stop()
    }

    @Test("bb: a notification for an unpaid title changes nothing; once BB says paid, the boleto is paid with BB's amount and channel",
          arguments: ServiceBackend.available)
    func bancoDoBrasilNotification(_ backend: ServiceBackend) async throws {
        let (fake, bb) = try await BancoDoBrasilServiceTests.fakeBB()
        let receiver = try await WebhookReceiver().start()
        try await withService(backend, { $0.bancoDoBrasil = bb; $0.notificationSecrets = ["bb": Self.secret]; $0.reconcile.poll = .milliseconds(50) }) { service in
            let created = try await service.post("/boletos", BancoDoBrasilServiceTests.boleto([("webhook_url", .string(receiver.url))]))
            #expect(created.json["status"]?.string == "registered", "\(created.text)")
            let id = try #require(created.json["id"]?.string)
            let number = try #require(await fake.titles.keys.first)
            // BB's webhook shape: an array; its claims (paid, amounts) are ignored.
            let body = JSON.array([.object([("id", .string(number)), ("numeroConvenio", .int(BancoDoBrasilServiceTests.convenio)),
                                            ("codigoEstadoBaixaOperacional", .int(1)), ("valorPagoSacado", .double(1.0))])])
            let forged = try await service.post("/banks/bb/notifications/\(Self.secret)", body, key: "")
            #expect(forged.status == 202 && forged.json["queued"]?.int == 1, "\(forged.text)")
            let events = try await Self.waitForEvent(service, id) { Self.isQuery($0, source: "notification") }
            let query = try #require(events.first { Self.isQuery($0, source: "notification") })
            #expect(query["detail"]?["state"]?.string == "open" && query["detail"]?["bank_status"]?.string != nil, "\(query)")
            let unchanged = try await service.get("/boletos/\(id)").json
            #expect(unchanged["status"]?.string == "registered" && unchanged["paid_amount"]?.int == 0)

            // Another convênio's title names nothing of this service.
            let other = JSON.array([.object([("id", .string("0007654321" + number.suffix(10)))])])
            #expect(try await service.post("/banks/bb/notifications/\(Self.secret)", other, key: "").status == 400)

            await fake.pay(number, elsewhere: true)
            let notice = try await service.post("/banks/bb/notifications/\(Self.secret)", body, key: "")
            #expect(notice.status == 202 && notice.json["queued"]?.int == 1)
            let paid = try await service.waitForBoleto(id) { $0["status"]?.string == "paid" }
            #expect(paid["paid_amount"]?.int == 15_990 && paid["payment_channel"]?.string == "101")
            #expect(paid["payment_date"]?.string == created.json["expiration_date"]?.string)
            let deliveries = try await receiver.waitFor(2)
            #expect(deliveries.compactMap { (try? JSON.parse($0.body))?["status"]?.string } == ["registered", "paid"])
        }
        await receiver.stop()
        try await fake.stop()
    }

    @Test("itau: a notification naming the title by idBoleto makes the service ask Itaú; Paga becomes paid", arguments: ServiceBackend.available)
    func itauNotification(_ backend: ServiceBackend) async throws {
        let (fake, itau) = try await ItauServiceTests.fakeItau()
        try await withService(backend, { $0.itau = itau; $0.notificationSecrets = ["itau": Self.secret]; $0.reconcile.poll = .milliseconds(50) }) { service in
            let created = try await service.post("/boletos", ItauServiceTests.boleto([("amount", .int(7777))]))
            #expect(created.json["status"]?.string == "registered", "\(created.text)")
            let id = try #require(created.json["id"]?.string)
            let title = try #require(await fake.titles.values.first)
            await fake.pay(title.id)
            let body = JSON.object([("data", .object([("boletos", .array([.object([("idBoleto", .string(title.id)),
                                                                                   ("valorPagoTotalCobranca", .string("0.01"))])]))]))])
            let notice = try await service.post("/banks/itau/notifications/\(Self.secret)", body, key: "")
            #expect(notice.status == 202 && notice.json["queued"]?.int == 1, "\(notice.text)")
            let paid = try await service.waitForBoleto(id) { $0["status"]?.string == "paid" }
            #expect(paid["paid_amount"]?.int == 7777 && paid["payment_date"]?.string == created.json["expiration_date"]?.string)
        }
        try await fake.stop()
    }

    @Test("the reconciler finds a payment and a write-off no one notified, and records every query", arguments: ServiceBackend.available)
    func reconcilerFindsPayment(_ backend: ServiceBackend) async throws {
        let (fake, bb) = try await BancoDoBrasilServiceTests.fakeBB()
        try await withService(backend, { settings in
            settings.bancoDoBrasil = bb
            settings.reconcile.early = .milliseconds(100)
            settings.reconcile.near = .milliseconds(100)
            settings.reconcile.late = .milliseconds(100)
            settings.reconcile.perMinute = 600
            settings.reconcile.poll = .milliseconds(50)
        }) { service in
            var ids: [String] = []
            for _ in 0..<2 {
                let created = try await service.post("/boletos", BancoDoBrasilServiceTests.boleto())
                #expect(created.json["status"]?.string == "registered", "\(created.text)")
                ids.append(try #require(created.json["id"]?.string))
            }
            // A few scheduled queries of open titles: events, nothing else.
            _ = try await Self.waitForEvent(service, ids[0]) { Self.isQuery($0, source: "reconciler") }
            #expect(try await service.get("/boletos/\(ids[0])").json["status"]?.string == "registered")
            let numbers = await fake.titles.values.sorted { $0.id < $1.id }.map(\.id)
            await fake.pay(numbers[0])
            await fake.writeOff(numbers[1])
            let paid = try await service.waitForBoleto(ids[0]) { $0["status"]?.string == "paid" }
            #expect(paid["paid_amount"]?.int == 15_990)
            let canceled = try await service.waitForBoleto(ids[1]) { $0["status"]?.string == "canceled" }
            #expect(canceled["status"]?.string == "canceled")
            let events = try await service.get("/boletos/\(ids[0])/events").json.array ?? []
            let queries = events.filter { Self.isQuery($0, source: "reconciler") }
            #expect(queries.count >= 2, "every query is an event")
            #expect(queries.last?["detail"]?["state"]?.string == "paid")
            // Settled boletos are no longer asked about: their reconcile jobs are gone.
            for id in ids { #expect(try await service.service.store.jobs(boletoID: id).allSatisfy { $0.kind != .reconcile }) }
            let metrics = try await service.get("/metrics", key: "").text
            #expect(metrics.split(separator: "\n").contains { $0.hasPrefix("boleto_bank_queries_total{") && $0.contains(#"issuer="bb""#)
                && $0.contains(#"outcome="found""#) && $0.contains(#"source="reconciler""#) }, "\(metrics)")
        }
        try await fake.stop()
    }

    @Test("the reconciler's queries to one bank stay within BOLETO_RECONCILE_PER_MINUTE", arguments: ServiceBackend.available)
    func reconcilerRate(_ backend: ServiceBackend) async throws {
        let (fake, bb) = try await BancoDoBrasilServiceTests.fakeBB()
        let perMinute = 300   // one query every 200 ms
        try await withService(backend, { settings in
            settings.bancoDoBrasil = bb
            settings.reconcile.early = .milliseconds(1)
            settings.reconcile.near = .milliseconds(1)
            settings.reconcile.late = .milliseconds(1)
            settings.reconcile.perMinute = perMinute
            settings.reconcile.poll = .milliseconds(50)
        }) { service in
            for _ in 0..<6 {
                #expect(try await service.post("/boletos", BancoDoBrasilServiceTests.boleto()).json["status"]?.string == "registered")
            }
            // Six boletos always due: only the pace holds the queries back.
            let deadline = Date().addingTimeInterval(20)
            while await fake.queryTimes.count < 16, Date() < deadline { try await Task.sleep(for: .milliseconds(50)) }
        }
        let times = await fake.queryTimes
        #expect(times.count >= 16)
        let spacing = Duration.milliseconds(60_000 / perMinute)
        // Slots are `spacing` apart, so any second holds at most 5 (+1 at its edge); a loaded machine may delay one
        // arrival into the next's, hence one more. Unpaced, six always-due boletos would be asked dozens of times.
        let window = Duration.seconds(1)
        let busiest = times.indices.map { start in times[start...].prefix { $0 - times[start] < window }.count }.max() ?? 0
        #expect(busiest <= Int(window / spacing) + 2, "\(busiest) queries in one second; gaps \(zip(times.dropFirst(), times).map { $0 - $1 })")
        if let first = times.first, let last = times.last {
            #expect(times.count <= Int((last - first) / spacing) + 2, "\(times.count) queries in \(last - first)")
        }
        try await fake.stop()
    }

    @Test("bb: a 503 leaves the boleto pending and the worker registers it with BB's PIX; a token revoked mid-run is fetched again",
          arguments: ServiceBackend.available)
    func transientAndTokenExpiry(_ backend: ServiceBackend) async throws {
        let (fake, bb) = try await BancoDoBrasilServiceTests.fakeBB()
        await fake.script(["server-error"])
        try await withService(backend, { $0.bancoDoBrasil = bb }) { service in
            let created = try await service.post("/boletos", BancoDoBrasilServiceTests.boleto())
            #expect(created.json["status"]?.string == "pending_registration", "\(created.text)")
            let id = try #require(created.json["id"]?.string)
            let registered = try await service.waitForBoleto(id) { $0["status"]?.string == "registered" }
            #expect(registered["status"]?.string == "registered")
            let title = try #require(await fake.titles.values.first)
            #expect(registered["pix_qr_code"]?.string?.contains(title.id) == true)
            #expect(registered["barcode"]?.string == title.barcode)
            #expect(await fake.oauth.tokenRequests == 1)

            // The bank forgets every token (an expiry, a rotation): the next call's 401 fetches one new token.
            await fake.oauth.revokeAll()
            let next = try await service.post("/boletos", BancoDoBrasilServiceTests.boleto())
            #expect(next.json["status"]?.string == "registered", "\(next.text)")
            #expect(await fake.oauth.tokenRequests == 2)
            #expect(await fake.titles.count == 2)
        }
        try await fake.stop()
    }
}
