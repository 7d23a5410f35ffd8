import BoletoJSON
import BoletoKit
import FakeBanks
import Foundation
import Providers
import Testing
@testable import ReferenceService

/// Changes of registered boletos over real HTTP on both backends (`PATCH /boletos/:id`): the sandbox and BB's and
/// Itaú's fakes take them through their APIs; `cnab` boletos carry them as remessa movements confirmed by retornos;
/// what a bank cannot carry is a 409 naming why, a broken rule a 400 naming the field.
@Suite("Changes after registration")
struct ChangeServiceTests {
    /// The barcode BoletoKit computes for a boleto's stored input with a new due date and amount.
    static func barcode(of record: BoletoRecord, due: String, amount: Int64) throws -> String {
        var input = ProviderDirectory.input(record)
        input.dueDate = CalendarDate(iso: due)
        input.amountCents = amount
        return try Boleto(input).barcode.description
    }

    static func events(_ service: TestService, _ id: String) async throws -> [JSON] {
        try await service.get("/boletos/\(id)/events").json.array ?? []
    }

    @Test("sandbox: the boleto takes the new due date, amount, abatimento and protest with its barcode computed again; events and a notification name the change",
          arguments: ServiceBackend.available)
    func sandbox(_ backend: ServiceBackend) async throws {
        let receiver = try await WebhookReceiver().start()
        try await withService(backend) { service in
            let created = try await service.post("/boletos", Body.boleto([("queue_url", .null), ("webhook_url", .string(receiver.url)),
                                                                          ("amount", .int(10_000))]))
            #expect(created.json["status"]?.string == "registered", "\(created.text)")
            let id = try #require(created.json["id"]?.string)
            _ = try await receiver.waitFor(1)
            let due = Body.date(30)
            let changed = try await service.patch("/boletos/\(id)", .object([
                ("expiration_date", .string(due)), ("amount", .int(12_345)), ("abatement", .int(500)), ("protest_days", .int(7)),
            ]))
            #expect(changed.status == 200, "\(changed.text)")
            #expect(changed.json["expiration_date"]?.string == due && changed.json["amount"]?.int == 12_345)
            #expect(changed.json["abatement"]?.int == 500 && changed.json["protest_days"]?.int == 7)
            #expect(changed.json["pending_change"] == .null)
            let record = try #require(try await service.service.store.boleto(id: id, clientID: nil))
            #expect(changed.json["barcode"]?.string == (try Self.barcode(of: record, due: due, amount: 12_345)))
            #expect(changed.json["barcode"]?.string != created.json["barcode"]?.string)
            #expect(changed.json["digitable_line"]?.string == record.digitableLine)
            let events = try await Self.events(service, id)
            let types = events.compactMap { $0["type"]?.string }
            #expect(types.suffix(2) == ["change_requested", "changed"])
            let detail = try #require(events.last?["detail"])
            #expect(detail["fields"]?.array?.compactMap(\.string) == ["expiration_date", "amount", "abatement", "protest_days"])
            #expect(detail["previous_amount"]?.int == 10_000 && detail["previous_expiration_date"]?.string == created.json["expiration_date"]?.string)
            let deliveries = try await receiver.waitFor(2)
            let note = try JSON.parse(deliveries[1].body)
            #expect(note["event"]?.string == "changed" && note["change_id"]?.string == detail["change_id"]?.string)
            #expect(note["status"]?.string == "registered")

            // Withdrawing: null protest_days, 0 abatement, [] discounts.
            let withdrawn = try await service.patch("/boletos/\(id)", .object([("protest_days", .null), ("abatement", .int(0))]))
            #expect(withdrawn.status == 200, "\(withdrawn.text)")
            #expect(withdrawn.json["protest_days"] == .null && withdrawn.json["abatement"] == .null)
            let nothing = try await service.patch("/boletos/\(id)", .object([("write_off_days", .null)]))
            #expect(nothing.status == 400 && nothing.json["errors"]?.array?.first?["field"]?.string == "protest_days", "\(nothing.text)")
        }
        await receiver.stop()
    }

    @Test("a new due date moves the reconciler's schedule with it: due tomorrow, the bank is asked within hours, not a day",
          arguments: ServiceBackend.available)
    func reconcileFollowsDueDate(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let created = try await service.post("/boletos", Body.boleto())
            let id = try #require(created.json["id"]?.string)
            let store = service.service.store
            func reconcileAt() async throws -> Date? {
                let jobs = try await store.jobs(boletoID: id).filter { $0.kind == .reconcile }
                #expect(jobs.count == 1)
                return jobs.first.flatMap { Timestamp.parse($0.availableAt) }
            }
            // Due in ten days: the early window, a day between queries.
            let before = try #require(try await reconcileAt())
            #expect(before.timeIntervalSinceNow > 20 * 3600, "\(before)")
            let changed = try await service.patch("/boletos/\(id)", .object([("expiration_date", .string(Body.date(1)))]))
            #expect(changed.status == 200, "\(changed.text)")
            // Due tomorrow: the near window, three hours.
            let after = try #require(try await reconcileAt())
            #expect(after.timeIntervalSinceNow > 2 * 3600 && after.timeIntervalSinceNow <= 3 * 3600 + 60, "\(after)")
        }
    }

    @Test("bad changes are 400s naming the field, or 409s, and change nothing", arguments: ServiceBackend.available)
    func refusals(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let created = try await service.post("/boletos", Body.boleto())
            let id = try #require(created.json["id"]?.string)
            func field(_ body: JSON) async throws -> (Int, String?) {
                let reply = try await service.patch("/boletos/\(id)", body)
                return (reply.status, reply.json["errors"]?.array?.first?["field"]?.string)
            }
            #expect(try await field(.object([("expiration_date", .string(Body.date(-1)))])) == (400, "expiration_date"))
            #expect(try await field(.object([("expiration_date", .string("2027-02-30"))])) == (400, "expiration_date"))
            #expect(try await field(.object([("amount", .int(0))])) == (400, "amount"))
            #expect(try await field(.object([("amount", .int(3000)), ("paid_amount", .int(10))])) == (400, "body"))
            #expect(try await field(.object([("protest_days", .int(5)), ("write_off_days", .int(30))])) == (400, "write_off_days"))
            #expect(try await field(.object([("discounts", .array([.object([("type", .string("amount")), ("value", .int(100)),
                                                                            ("until", .string(Body.date(40)))])]))])) == (400, "discounts[0].until"))
            #expect(try await field(.object([("abatement", .int(5000))])) == (400, "abatement"))
            #expect(try await field(.object([("discounts", .null)])) == (400, "discounts"))
            let four = (1...4).map { day in JSON.object([("type", .string("amount")), ("value", .int(Int64(100 - day))),
                                                         ("until", .string(Body.date(day)))]) }
            #expect(try await field(.object([("discounts", .array(four))])) == (400, "discounts"))
            let unchanged = try await service.get("/boletos/\(id)")
            #expect(unchanged.json["amount"]?.int == 2000 && unchanged.json["barcode"] == created.json["barcode"])
            #expect(try await Self.events(service, id).allSatisfy { $0["type"]?.string != "change_requested" })

            _ = try await service.post("/boletos/\(id)/cancel", .object([]))
            let canceled = try await service.patch("/boletos/\(id)", .object([("amount", .int(3000))]))
            #expect(canceled.status == 409, "\(canceled.text)")
            let issued = try await service.post("/boletos", Body.boleto([("register", .bool(false))]))
            let notRegistered = try await service.patch("/boletos/\(issued.json["id"]?.string ?? "")", .object([("amount", .int(3000))]))
            #expect(notRegistered.status == 409 && notRegistered.text.contains("Cancel it and issue a new one"), "\(notRegistered.text)")
        }
    }

    @Test("Banco do Brasil: one PATCH of flags at the bank; a write-off change is a 409; BB's refusal is a 409 with a change_refused event",
          arguments: ServiceBackend.available)
    func bancoDoBrasil(_ backend: ServiceBackend) async throws {
        let (fake, bb) = try await BancoDoBrasilServiceTests.fakeBB()
        try await withService(backend, { $0.bancoDoBrasil = bb }) { service in
            let created = try await service.post("/boletos", BancoDoBrasilServiceTests.boleto())
            #expect(created.json["status"]?.string == "registered", "\(created.text)")
            let id = try #require(created.json["id"]?.string)
            let due = Body.date(25)
            let changed = try await service.patch("/boletos/\(id)", .object([("expiration_date", .string(due)), ("protest_days", .int(10))]))
            #expect(changed.status == 200, "\(changed.text)")
            let title = try #require(await fake.titles.values.first)
            #expect(title.dueDate.description == due && title.changes.count == 1)
            #expect(changed.json["barcode"]?.string == title.barcode && changed.json["expiration_date"]?.string == due)
            #expect(title.terms["quantidadeDiasProtesto"] == .int(10))

            let writeOff = try await service.patch("/boletos/\(id)", .object([("write_off_days", .int(30))]))
            #expect(writeOff.status == 409 && writeOff.json["errors"]?.array?.first?["field"]?.string == "write_off_days", "\(writeOff.text)")

            await fake.pay(title.id)
            let refused = try await service.patch("/boletos/\(id)", .object([("amount", .int(20_000))]))
            #expect(refused.status == 409 && refused.text.contains("F063"), "\(refused.text)")
            let after = try await service.get("/boletos/\(id)")
            #expect(after.json["amount"]?.int == 15_990 && after.json["pending_change"] == .null)
            let last = try #require(try await Self.events(service, id).last)
            #expect(last["type"]?.string == "change_refused" && last["detail"]?["issuer_response_code"]?.string == "F063")
        }
        try await fake.stop()
    }

    @Test("a change whose answer is lost: 202 pending, and the worker's alter job asks again until the boleto takes it",
          arguments: ServiceBackend.available)
    func lostAnswer(_ backend: ServiceBackend) async throws {
        let (fake, bb) = try await BancoDoBrasilServiceTests.fakeBB()
        try await withService(backend, { $0.bancoDoBrasil = bb; $0.registerDeadline = .seconds(1) }) { service in
            let created = try await service.post("/boletos", BancoDoBrasilServiceTests.boleto())
            let id = try #require(created.json["id"]?.string)
            // On a loaded machine the registration itself may outlive the one-second deadline: the worker finishes it.
            let registered = try await service.waitForBoleto(id, seconds: 20) { $0["status"]?.string == "registered" }
            #expect(registered["status"]?.string == "registered")
            // BB applies the change but its answer arrives after the deadline.
            await fake.script(["registers-then-times-out"])
            let due = Body.date(35)
            let pending = try await service.patch("/boletos/\(id)", .object([("expiration_date", .string(due))]))
            #expect(pending.status == 202, "\(pending.text)")
            #expect(pending.json["pending_change"]?["fields"]?.array?.compactMap(\.string) == ["expiration_date"])
            #expect(pending.json["expiration_date"] == created.json["expiration_date"])
            #expect(try await service.patch("/boletos/\(id)", .object([("amount", .int(100))])).status == 409, "one pending change at a time")
            let taken = try await service.waitForBoleto(id, seconds: 20) { $0["pending_change"] == .null }
            #expect(taken["expiration_date"]?.string == due)
            let title = try #require(await fake.titles.values.first)
            #expect(taken["barcode"]?.string == title.barcode)
            #expect(try await service.service.store.jobs(boletoID: id).allSatisfy { $0.kind != .alter })
        }
        try await fake.stop()
    }

    @Test("Itaú: one instruction per change; two at once is a 409 before any call", arguments: ServiceBackend.available)
    func itau(_ backend: ServiceBackend) async throws {
        let (fake, itau) = try await ItauServiceTests.fakeItau()
        try await withService(backend, { $0.itau = itau }) { service in
            let created = try await service.post("/boletos", ItauServiceTests.boleto())
            #expect(created.json["status"]?.string == "registered", "\(created.text)")
            let id = try #require(created.json["id"]?.string)
            let both = try await service.patch("/boletos/\(id)", .object([("expiration_date", .string(Body.date(20))), ("amount", .int(3000))]))
            #expect(both.status == 409 && both.json["errors"]?.array?.first?["field"]?.string == "amount", "\(both.text)")
            let protest = try await service.patch("/boletos/\(id)", .object([("protest_days", .int(5))]))
            #expect(protest.status == 409, "\(protest.text)")
            #expect(await fake.requests.allSatisfy { $0.method != "PATCH" })
            let changed = try await service.patch("/boletos/\(id)", .object([("amount", .int(3000))]))
            #expect(changed.status == 200, "\(changed.text)")
            let title = try #require(await fake.titles.values.first)
            #expect(title.amountCents == 3000 && changed.json["barcode"]?.string == title.barcode)
        }
        try await fake.stop()
    }

    @Test("cnab: a change waits for the next remessa as its movement, and the retorno's confirmation applies it; a rejection drops it; cancel is a pedido de baixa",
          arguments: ServiceBackend.available)
    func cnab(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let externalID = try await CNABServiceTests.configure(service, bank: "237")
            let created = try await service.post("/boletos", CNABServiceTests.boleto(externalID, [("amount", .int(5000))]))
            let id = try #require(created.json["id"]?.string)
            let number = try CNABServiceTests.bradescoNumber(created.json)
            #expect(try await service.post("/remessas", .object([("external_id", .string(externalID))])).status == 201)
            let registered = try CNABServiceTests.bradescoRetorno([(number, "02", 5000, 0, "")])
            #expect(try await CNABServiceTests.retorno(service, externalID, registered).status == 201)

            // Bradesco's CNAB 400 has no discount movement.
            let discounts = try await service.patch("/boletos/\(id)", .object([("discounts", .array([.object([
                ("type", .string("amount")), ("value", .int(100)), ("until", .string(Body.date(5)))])]))]))
            #expect(discounts.status == 409 && discounts.text.contains("237 CNAB 400"), "\(discounts.text)")
            let two = try await service.patch("/boletos/\(id)", .object([("expiration_date", .string(Body.date(20))), ("abatement", .int(100))]))
            #expect(two.status == 409, "\(two.text)")

            let due = Body.date(40)
            let requested = try await service.patch("/boletos/\(id)", .object([("expiration_date", .string(due))]))
            #expect(requested.status == 202, "\(requested.text)")
            #expect(requested.json["expiration_date"] == created.json["expiration_date"])
            #expect(requested.json["pending_change"]?["movement"]?.string == "06")
            #expect(requested.json["pending_change"]?["fields"]?.array?.compactMap(\.string) == ["expiration_date"])
            #expect(try await service.patch("/boletos/\(id)", .object([("abatement", .int(100))])).status == 409)

            let remessa = try await service.post("/remessas", .object([("external_id", .string(externalID))]))
            #expect(remessa.status == 201 && remessa.json["boleto_ids"]?.array?.compactMap(\.string) == [id], "\(remessa.text)")
            let file = try await service.get("/remessas/\(remessa.json["id"]?.string ?? "")").text
            let detail = try #require(file.components(separatedBy: "\r\n").first { $0.hasPrefix("1") })
            let bytes = Array(detail.utf8)
            #expect(String(decoding: bytes[108..<110], as: UTF8.self) == "06")
            let dueDate = try #require(CalendarDate(iso: due))
            let ddmmyy = String(format: "%02d%02d%02d", dueDate.day, dueDate.month, dueDate.year % 100)
            #expect(String(decoding: bytes[120..<126], as: UTF8.self) == ddmmyy)
            let sent = try await service.get("/boletos/\(id)")
            #expect(sent.json["status"]?.string == "registered")
            #expect(sent.json["pending_change"]?["remessa_id"]?.string == remessa.json["id"]?.string)
            // The remessa is not written twice.
            #expect(try await service.post("/remessas", .object([("external_id", .string(externalID))])).status == 204)

            let confirmed = try CNABServiceTests.bradescoRetorno([(number, "14", 5000, 0, "")])
            #expect(try await CNABServiceTests.retorno(service, externalID, confirmed).status == 201)
            let changed = try await service.get("/boletos/\(id)")
            #expect(changed.json["expiration_date"]?.string == due && changed.json["pending_change"] == .null)
            let record = try #require(try await service.service.store.boleto(id: id, clientID: nil))
            #expect(changed.json["barcode"]?.string == (try Self.barcode(of: record, due: due, amount: 5000)))
            #expect(try await Self.events(service, id).compactMap { $0["type"]?.string }.contains("changed"))

            // An abatimento the bank rejects (32, instrução rejeitada): dropped, the boleto as it was.
            #expect(try await service.patch("/boletos/\(id)", .object([("abatement", .int(250))])).status == 202)
            _ = try await service.post("/remessas", .object([("external_id", .string(externalID))]))
            let rejected = try CNABServiceTests.bradescoRetorno([(number, "32", 5000, 0, "10")])
            #expect(try await CNABServiceTests.retorno(service, externalID, rejected).status == 201)
            let dropped = try await service.get("/boletos/\(id)")
            #expect(dropped.json["abatement"] == .null && dropped.json["pending_change"] == .null)
            #expect(try await Self.events(service, id).last?["type"]?.string == "change_refused")

            // Cancel: a pedido de baixa (02) in the next remessa; the retorno's baixa cancels.
            let cancel = try await service.post("/boletos/\(id)/cancel", .object([]))
            #expect(cancel.status == 202 && cancel.json["pending_change"]?["movement"]?.string == "02", "\(cancel.text)")
            let baixa = try await service.post("/remessas", .object([("external_id", .string(externalID))]))
            let baixaFile = try await service.get("/remessas/\(baixa.json["id"]?.string ?? "")").text
            let baixaDetail = try #require(baixaFile.components(separatedBy: "\r\n").first { $0.hasPrefix("1") })
            #expect(String(decoding: Array(baixaDetail.utf8)[108..<110], as: UTF8.self) == "02")
            let writtenOff = try CNABServiceTests.bradescoRetorno([(number, "10", 5000, 0, "")])
            #expect(try await CNABServiceTests.retorno(service, externalID, writtenOff).status == 201)
            let canceled = try await service.get("/boletos/\(id)")
            #expect(canceled.json["status"]?.string == "canceled" && canceled.json["pending_change"] == .null)
            // Three requests (a due date, an abatimento, a pedido de baixa); the retornos settled two of them.
            let metrics = try await service.get("/metrics").text
            for line in [#"boleto_changes_total{issuer="cnab",result="requested"} 3"#, #"boleto_changes_total{issuer="cnab",result="changed"} 1"#,
                         #"boleto_changes_total{issuer="cnab",result="refused"} 1"#] {
                #expect(metrics.contains(line), "\(line)")
            }
        }
    }
}
