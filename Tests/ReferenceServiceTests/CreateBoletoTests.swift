import BoletoJSON
import BoletoKit
import Foundation
import Testing
@testable import ReferenceService

@Suite("POST /boletos")
struct CreateBoletoTests {
    @Test("a valid boleto is registered synchronously and answered whole, its barcode encoding its data", arguments: ServiceBackend.available)
    func createsRegisteredBoleto(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let reply = try await service.post("/boletos", Body.boleto())
            #expect(reply.status == 201)
            let boleto = reply.json
            #expect(boleto["object"]?.string == "boleto")
            #expect(boleto["id"]?.string?.hasPrefix("bol_") == true)
            #expect(boleto["token"]?.string?.hasPrefix("sandbox_") == true)
            #expect(boleto["status"]?.string == "registered")
            #expect(boleto["title_id"]?.int == 1)
            #expect(boleto["amount"]?.int == 2000)
            #expect(boleto["paid_amount"]?.int == 0)
            #expect(boleto["payer_document_number"]?.string == "11144477735")
            #expect(boleto["payer_address"]?["zipcode"]?.string == "04551010")
            #expect(boleto["payer_address"]?["street_number"]?.string == "308")
            #expect(boleto["created_at"]?.string?.hasSuffix("Z") == true)
            // The barcode and line are BoletoKit's, and they encode what was asked for.
            let line = try #require(boleto["digitable_line"]?.string)
            guard case .bank(let parsed) = try BoletoParser.parse(line) else { Issue.record("not a bank line"); return }
            #expect(parsed.barcode.description == boleto["barcode"]?.string)
            #expect(parsed.amountCents == 2000)
            #expect(parsed.dueDate(reference: .todayInSaoPaulo())?.description == boleto["expiration_date"]?.string)
            #expect(boleto["expiration_date"]?.string == Body.date(10))
            #expect(parsed.bankFields?.nossoNumero.hasSuffix("1") == true)
            // Title ids are allocated one after the other in the beneficiary account.
            let second = try await service.post("/boletos", Body.boleto())
            #expect(second.json["title_id"]?.int == 2)
            let otherAccount = try await service.post("/boletos", Body.boleto([("issuer_account", .string("1234"))]))
            #expect(otherAccount.json["title_id"]?.int == 1)
        }
    }

    @Test("the stored due date is the São Paulo date of an evening date-time, and the barcode encodes that date", arguments: ServiceBackend.available)
    func saoPauloEvening(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let day = Body.date(20)
            // 22:30 in São Paulo is 01:30 UTC of the next day: a UTC-based system would encode the wrong date.
            for text in ["\(day)T22:30:00-03:00", "\(day)T22:30:00", nextDayUTC(day) + "T01:30:00Z"] {
                let reply = try await service.post("/boletos", Body.boleto([("expiration_date", .string(text))]))
                #expect(reply.status == 201, "\(text)")
                #expect(reply.json["expiration_date"]?.string == day, "\(text)")
                let line = try #require(reply.json["digitable_line"]?.string)
                guard case .bank(let parsed) = try BoletoParser.parse(line) else { Issue.record("not a bank line"); return }
                #expect(parsed.dueDate(reference: .todayInSaoPaulo())?.description == day, "\(text)")
                let stored = try #require(try await service.service.store.boleto(id: reply.json["id"]!.string!, clientID: nil))
                #expect(stored.dueDate == day)
            }
        }
    }

    @Test("superbowleto's JavaScript date string is accepted", arguments: ServiceBackend.available)
    func javaScriptDate(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let day = try #require(CalendarDate(iso: Body.date(30)))
            let weekday = ["Thu", "Fri", "Sat", "Sun", "Mon", "Tue", "Wed"][((day.daysSinceUnixEpoch % 7) + 7) % 7]
            let month = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"][day.month - 1]
            let text = "\(weekday) \(month) \(String(format: "%02d", day.day)) \(day.year) 18:46:59 GMT-0300 (-03)"
            let reply = try await service.post("/boletos", Body.boleto([("expiration_date", .string(text))]))
            #expect(reply.status == 201)
            #expect(reply.json["expiration_date"]?.string == day.description)
        }
    }

    @Test("every validation error is reported at once, with its field path", arguments: ServiceBackend.available)
    func allErrorsAtOnce(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let reply = try await service.post("/boletos", Body.boleto([
                ("queue_url", .string("https://example.com/not-a-queue")),
                ("amount", .int(0)),
                ("payer_document_number", .string("111.444.777-36")),
                ("payer_address", .object([("zipcode", .string("123")), ("street", .string("Rua A")), ("street_number", .string("1")),
                                           ("neighborhood", .string("Centro")), ("city", .string("Santos")), ("state", .string("XX"))])),
                ("interest", .object([("percentage", .double(120)), ("days", .int(-1)), ("extra", .int(1))])),
                ("unknown_field", .string("x")),
                ("issuer_wallet", .null),
            ]))
            #expect(reply.status == 400)
            #expect(reply.errorTypes.allSatisfy { $0 == "invalid_parameter" })
            #expect(Set(reply.errorFields) == [
                "queue_url", "amount", "payer_document_number", "payer_address.zipcode", "payer_address.state",
                "interest.percentage", "interest.days", "interest.extra", "unknown_field", "issuer_wallet",
            ])
            // Error messages never echo the values sent.
            #expect(!reply.text.contains("111.444.777-36") && !reply.text.contains("11144477736"))
        }
    }

    @Test("amount bounds, required fields, document kinds and queue or webhook URLs", arguments: ServiceBackend.available)
    func fieldRules(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let cases: [([(String, JSON)], [String])] = [
                ([("amount", .int(10_000_000_000))], ["amount"]),
                ([("amount", .int(-5))], ["amount"]),
                ([("amount", .double(10.5))], ["amount"]),
                ([("amount", .string("2000"))], ["amount"]),
                ([("amount", .null)], ["amount"]),
                ([("payer_document_type", .string("cnpj"))], ["payer_document_number"]),
                ([("payer_document_type", .string("rg"))], ["payer_document_type"]),
                ([("payer_name", .null), ("payer_document_number", .null)], ["payer_name", "payer_document_number"]),
                ([("company_document_number", .string("11.222.333/0001-82"))], ["company_document_number"]),
                ([("queue_url", .null)], ["queue_url"]),
                ([("queue_url", .string("https://sqs.us-east-1.amazonaws.com/12345/boletos"))], ["queue_url"]),
                ([("webhook_url", .string("ftp://example.com/x"))], ["webhook_url"]),
                ([("issuer", .string("bradesco"))], ["issuer"]),
                ([("issuer_agency", .string("33a1"))], ["issuer_agency"]),
                ([("issuer_account", .int(9721))], ["issuer_account"]),
                ([("issuer_wallet", .null)], ["issuer_wallet"]),
                ([("register", .string("yes"))], ["register"]),
                ([("title_id", .int(0))], ["title_id"]),
                ([("instructions", .string(String(repeating: "x", count: 1001)))], ["instructions"]),
            ]
            for (changes, fields) in cases {
                let reply = try await service.post("/boletos", Body.boleto(changes))
                #expect(reply.status == 400, "\(changes)")
                #expect(Set(reply.errorFields) == Set(fields), "\(changes): \(reply.text)")
            }
            // Null is not absence for the account fields: it would silently take a configuration's value.
            var withNull = Body.boleto().text
            withNull.removeLast()
            withNull += #","title_id":null,"issuer_account":null}"#
            let nullAccount = try await service.request(.POST, "/boletos", json: withNull.replacingOccurrences(of: #""issuer_account":"9721","#, with: ""))
            #expect(nullAccount.status == 400)
            #expect(nullAccount.errorFields == ["issuer_account"])
            // A webhook alone is enough; an alphanumeric CNPJ is a CNPJ.
            let webhookOnly = try await service.post("/boletos", Body.boleto([
                ("queue_url", .null), ("webhook_url", .string("https://example.com/hooks")),
                ("payer_document_type", .string("cnpj")), ("payer_document_number", .string("12.ABC.345/01DE-35")),
            ]))
            #expect(webhookOnly.status == 201, "\(webhookOnly.text)")
            #expect(webhookOnly.json["payer_document_number"]?.string == "12ABC34501DE35")
            // Without registration, payer data is optional and the boleto stays issued.
            let unregistered = try await service.post("/boletos", Body.boleto([
                ("register", .bool(false)), ("payer_name", .null), ("payer_document_type", .null), ("payer_document_number", .null),
            ]))
            #expect(unregistered.status == 201)
            #expect(unregistered.json["status"]?.string == "issued")
            let jobs = try await service.service.store.jobs(boletoID: unregistered.json["id"]!.string!)
            #expect(jobs.isEmpty)
        }
    }

    @Test("the due date must be today or later and inside the factor window", arguments: ServiceBackend.available)
    func dueDateWindow(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            for (date, status) in [(Body.date(-1), 400), (Body.date(0), 201), (Body.date(5500), 201), (Body.date(5501), 400),
                                   ("2026-02-30", 400), ("tomorrow", 400)] {
                let reply = try await service.post("/boletos", Body.boleto([("expiration_date", .string(date))]))
                #expect(reply.status == status, "\(date): \(reply.text)")
                if status == 400 { #expect(reply.errorFields == ["expiration_date"]) }
            }
            let number = try await service.post("/boletos", Body.boleto([("expiration_date", .int(1_700_000_000_000))]))
            #expect(number.errorFields == ["expiration_date"])
        }
    }

    @Test("a repeated key, bytes that are not UTF-8, and a nested value that is not an object are refused, naming them",
          arguments: ServiceBackend.available)
    func strictBodies(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            // The same valid body is created once its repeated key is gone: the key alone is what was refused.
            var valid = Body.boleto().text
            valid.removeLast()
            let repeated = try await service.request(.POST, "/boletos", json: valid + #","amount":1,"amount":5}"#)
            #expect(repeated.status == 400)
            #expect(repeated.errorFields == ["amount"])
            #expect(repeated.json["errors"]?.array?.first?["message"]?.string == "amount is given more than once.")
            let nestedRepeat = try await service.post("/boletos", Body.boleto([("payer_address", .object([("city", .string("A")), ("city", .string("B"))]))]))
            #expect(nestedRepeat.errorFields.contains("payer_address.city"))
            #expect(nestedRepeat.text.contains("payer_address.city is given more than once."))
            #expect(try await service.request(.POST, "/boletos", json: valid + "}").status == 201)

            var latin1 = Array((valid + #","instructions":"S"#).utf8)
            latin1 += [0xE3, 0x6F] + Array(#""}"#.utf8)
            let notUTF8 = try await service.request(.POST, "/boletos", bytes: latin1)
            #expect(notUTF8.status == 400)
            #expect(notUTF8.errorTypes == ["invalid_json"])
            #expect(notUTF8.json["errors"]?.array?.first?["message"]?.string == "The request body is not valid UTF-8.")

            // Only the value's own error: not also every field an object there would have needed.
            let notObject = try await service.post("/boletos", Body.boleto([("payer_address", .int(5)), ("fine", .array([]))]))
            #expect(notObject.status == 400)
            #expect(Set(notObject.errorFields) == ["payer_address", "fine"])
            #expect(notObject.text.contains("payer_address must be a JSON object."))
            let config = try await service.post("/configurations", .object([
                ("external_id", .string("strict")), ("issuer", .string("cnab")), ("issuer_account", .string("9721")),
                ("issuer_agency", .string("3381")), ("issuer_wallet", .string("9")), ("cnab", .string("x")),
            ]))
            #expect(config.status == 400)
            #expect(config.errorFields == ["cnab"])
        }
    }

    @Test("malformed JSON, a non-object body, an oversized body, an unknown route and a wrong method", arguments: ServiceBackend.available)
    func protocolErrors(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let malformed = try await service.request(.POST, "/boletos", json: "{\"amount\": 2000,")
            #expect(malformed.status == 400)
            #expect(malformed.errorTypes == ["invalid_json"])
            #expect(malformed.errorFields == ["body"])
            let array = try await service.request(.POST, "/boletos", json: "[1, 2]")
            #expect(array.status == 400)
            #expect(array.errorFields == ["body"])
            let empty = try await service.request(.POST, "/boletos", json: "")
            #expect(empty.status == 400)
            let huge = try await service.request(.POST, "/boletos", json: "{\"instructions\":\"" + String(repeating: "a", count: 70_000) + "\"}")
            #expect(huge.status == 413)
            #expect(huge.errorTypes == ["payload_too_large"])
            let unknown = try await service.get("/boletos-nope")
            #expect(unknown.status == 404)
            #expect(unknown.errorTypes == ["not_found"])
            let deep = try await service.get("/boletos/x/y/z")
            #expect(deep.status == 404)
            let wrongMethod = try await service.request(.DELETE, "/boletos/bol_x")
            #expect(wrongMethod.status == 405)
            #expect(wrongMethod.errorTypes == ["method_not_allowed"])
            #expect(wrongMethod.headers["Allow"].first == "GET, PATCH")
            let put = try await service.request(.PUT, "/boletos", json: "{}")
            #expect(put.status == 405)
            // Nothing was stored by any of these.
            let list = try await service.get("/boletos")
            #expect(list.headers["X-Total-Count"].first == "0")
        }
    }

    @Test("a client-chosen title_id is used, is unique per beneficiary account, and the sequence skips it", arguments: ServiceBackend.available)
    func titleOverride(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let chosen = try await service.post("/boletos", Body.boleto([("title_id", .int(2))]))
            #expect(chosen.status == 201)
            #expect(chosen.json["title_id"]?.int == 2)
            let again = try await service.post("/boletos", Body.boleto([("title_id", .int(2))]))
            #expect(again.status == 409)
            #expect(again.errorFields == ["title_id"])
            let first = try await service.post("/boletos", Body.boleto())
            let next = try await service.post("/boletos", Body.boleto())
            #expect(first.json["title_id"]?.int == 1)
            #expect(next.json["title_id"]?.int == 3)
            // Too long for Bradesco's 11-digit nosso número is a field error from BoletoKit, not a 500.
            let long = try await service.post("/boletos", Body.boleto([("title_id", .int(99_999_999_999)), ("issuer_wallet", .string("123"))]))
            #expect(long.status == 400)
            #expect(long.errorFields == ["issuer_wallet"])
        }
    }

    private func nextDayUTC(_ day: String) -> String {
        CalendarDate(iso: day)!.adding(days: 1).description
    }
}
