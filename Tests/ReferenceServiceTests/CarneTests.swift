import AsyncHTTPClient
import BoletoJSON
import BoletoKit
import Foundation
import Testing
@testable import ReferenceService

/// Carnês over real HTTP on both backends: N installments with one request and one idempotency key, all or nothing,
/// and the booklet PDF whose ITF symbols zbarimg reads, three to a page.
@Suite("Carnês")
struct CarneTests {
    /// A carnê body: the standard boleto's fields, with `count` monthly installments instead of a due date and amount.
    static func carne(_ count: Int, amount: Int64 = 10_000, changes: [(String, JSON)] = []) -> JSON {
        var fields: [(String, JSON)] = []
        if case .object(let pairs) = Body.boleto() { fields = pairs.filter { $0.0 != "expiration_date" && $0.0 != "amount" } }
        let installments = (0..<count).map { index in
            JSON.object([("expiration_date", .string(Body.date(10 + 30 * index))), ("amount", .int(amount + Int64(index)))])
        }
        return .object(fields + [("installments", .array(installments))] + changes)
    }

    @Test("N installments with one request: each a boleto with its due date, amount and place, registered by the worker; read back",
          arguments: ServiceBackend.available)
    func issued(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let created = try await service.post("/carnes", Self.carne(3))
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["object"]?.string == "carne" && created.json["installments"]?.int == 3)
            #expect(created.json["total_amount"]?.int == 30_003)
            let id = try #require(created.json["id"]?.string)
            let boletos = try #require(created.json["boletos"]?.array)
            #expect(boletos.map { $0["installment"]?.int } == [1, 2, 3] && boletos.allSatisfy { $0["carne_id"]?.string == id })
            #expect(boletos.map { $0["expiration_date"]?.string } == [Body.date(10), Body.date(40), Body.date(70)])
            #expect(boletos.map { $0["amount"]?.int } == [10_000, 10_001, 10_002])
            #expect(Set(boletos.compactMap { $0["title_id"]?.int }).count == 3)
            for boleto in boletos {
                let settled = try await service.waitForBoleto(try #require(boleto["id"]?.string)) { $0["status"]?.string == "registered" }
                #expect(settled["status"]?.string == "registered")
            }
            let read = try await service.get("/carnes/\(id)")
            #expect(read.status == 200 && read.json["boletos"]?.array?.count == 3)
            let other = try await service.newClient("other")
            #expect(try await service.get("/carnes/\(id)", key: other.key).status == 404)
        }
    }

    @Test("one key, one carnê: a retry answers it again; another body under the key is a 422", arguments: ServiceBackend.available)
    func idempotent(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let first = try await service.post("/carnes", Self.carne(2), headers: [("Idempotency-Key", "carne-1")])
            let again = try await service.post("/carnes", Self.carne(2), headers: [("Idempotency-Key", "carne-1")])
            #expect(first.status == 201 && again.status == 201 && again.json["id"] == first.json["id"], "\(again.text)")
            #expect(try await service.get("/boletos").json.array?.count == 2)
            let other = try await service.post("/carnes", Self.carne(3), headers: [("Idempotency-Key", "carne-1")])
            #expect(other.status == 422)
        }
    }

    @Test("bad installments are 400s naming them, and nothing is written", arguments: ServiceBackend.available)
    func refused(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            var installments = (0..<3).map { index in
                JSON.object([("expiration_date", .string(Body.date(10 + index))), ("amount", .int(1_000))])
            }
            installments[1] = .object([("expiration_date", .string("2020-01-01")), ("amount", .int(1_000))])
            installments[2] = .object([("expiration_date", .string(Body.date(5))), ("amount", .int(0))])
            var body = Self.carne(2)
            if case .object(var pairs) = body {
                pairs.removeAll { $0.0 == "installments" }
                body = .object(pairs + [("installments", .array(installments)), ("title_id", .int(5))])
            }
            let reply = try await service.post("/carnes", body)
            #expect(reply.status == 400)
            #expect(Set(reply.errorFields) == ["installments[1].expiration_date", "installments[2].amount", "title_id"], "\(reply.text)")
            #expect(try await service.post("/carnes", Self.carne(1)).errorFields == ["installments"])
            #expect(try await service.post("/carnes", Self.carne(2), headers: [("X-Sandbox-Scenario", "lucky")]).errorFields == ["X-Sandbox-Scenario"])
            #expect(try await service.post("/carnes", Self.carne(61)).errorFields == ["installments"])
            #expect(try await service.get("/boletos").json.array?.isEmpty == true)
        }
    }

    @Test("the store writes all of a carnê or nothing", arguments: StoreBackend.available)
    func allOrNothing(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let client = try await StoreContractTests.client(store)
            let carne = CarneRecord(id: Identifiers.make("crn"), clientID: client.id, boletoIDs: [], createdAt: Timestamp.now())
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                _ = try await store.createCarne(carne, account: StoreContractTests.account, count: 3, idempotency: nil) { titleIDs in
                    try titleIDs.enumerated().map { index, titleID in
                        if index == 2 { throw Refused() }
                        return (StoreContractTests.boleto(clientID: client.id, titleID: titleID), BoletoChange())
                    }
                }
            }
            #expect(try await store.boletos(clientID: client.id, filter: BoletoFilter(), page: 1, count: 10).total == 0)
            #expect(try await store.carne(clientID: client.id, id: carne.id) == nil)
            // The same through the insert: the third boleto's insert fails (its id is the first's), and none is kept.
            let failing = try await StoreContractTests.create(store, clientID: client.id)
            do {
                _ = try await store.createCarne(carne, account: StoreContractTests.account, count: 2, idempotency: nil) { titleIDs in
                    titleIDs.enumerated().map { index, titleID in
                        var boleto = StoreContractTests.boleto(clientID: client.id, titleID: titleID)
                        if index == 1 { boleto.id = failing.id }
                        return (boleto, BoletoChange())
                    }
                }
                Issue.record("a carnê with a taken boleto id was written")
            } catch {}
            #expect(try await store.boletos(clientID: client.id, filter: BoletoFilter(), page: 1, count: 10).total == 1)
        }
    }

    @Test("the booklet: three slips to an A4 page; zbarimg reads every installment's ITF")
    func booklet() async throws {
        try await withService(.embedded) { service in
            let created = try await service.post("/carnes", Self.carne(4))
            let id = try #require(created.json["id"]?.string)
            let barcodes = try #require(created.json["boletos"]?.array).compactMap { $0["barcode"]?.string }
            let pdf = try await service.get("/carnes/\(id)/pdf")
            #expect(pdf.status == 200 && pdf.header("Content-Type") == "application/pdf" && pdf.text.hasPrefix("%PDF-"))
            guard let pdftoppm = RenderingServiceTests.tool("pdftoppm"), let zbarimg = RenderingServiceTests.tool("zbarimg") else {
                if StoreBackend.isCI { Issue.record("pdftoppm and zbarimg are missing: scripts/test.sh installs them") }
                return
            }
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("carne-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            var request = HTTPClientRequest(url: service.baseURL + "/carnes/\(id)/pdf")
            request.headers.add(name: "x-api-key", value: service.apiKey)
            let response = try await TestService.http.execute(request, timeout: .seconds(30))
            let buffer = try await response.body.collect(upTo: 4 * 1024 * 1024)
            try Data(buffer.readableBytesView).write(to: URL(fileURLWithPath: directory + "/carne.pdf"))
            _ = try RenderingServiceTests.run(pdftoppm, ["-r", "200", "-png", directory + "/carne.pdf", directory + "/page"])
            func codes(_ page: String) throws -> [String] {
                try RenderingServiceTests.run(zbarimg, ["-q", page]).split(separator: "\n").filter { $0.hasPrefix("I2/5:") }.map { String($0.dropFirst(5)) }
            }
            #expect(Set(try codes(directory + "/page-1.png")) == Set(barcodes.prefix(3)))
            #expect(try codes(directory + "/page-2.png") == [barcodes[3]])
        }
    }
}
