import BoletoJSON
import Foundation
import Providers
import Testing
@testable import ReferenceService

/// The `cnab` issuer over real HTTP on both configurations: boletos issued through a cnab configuration, the
/// remessa that carries them, and retornos (one written from the real Bradesco file's records, one real Caixa file)
/// that register, refuse and settle them, once per file.
@Suite("CNAB remessas and retornos in the service")
struct CNABServiceTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/cnab/\(name)")
        return [UInt8](try Data(contentsOf: url))
    }

    /// A cnab configuration of Bradesco (CNAB 400) or Caixa (CNAB 240); answers its external id.
    @discardableResult
    /// A `cnab` configuration of `bank` in the beneficiary account the fixtures' retornos name (Caixa: agency 01234,
    /// código do beneficiário 043210; Bradesco: agency 01467, account 0019669, código da empresa 4540691), unless
    /// `account` (agency, account) says otherwise.
    static func configure(_ service: TestService, bank: String, externalID: String = "loja-cnab",
                          cnab: [(String, JSON)] = [], account override: (agency: String, account: String)? = nil) async throws -> String {
        var account: [(String, JSON)] = bank == "104"
            ? [("issuer_account", .string("043210")), ("issuer_agency", .string("1234")), ("issuer_wallet", .string("14"))]
            : [("issuer_account", .string("0019669")), ("issuer_agency", .string("1467")), ("issuer_wallet", .string("09"))]
        if let override {
            account[0] = ("issuer_account", .string(override.account))
            account[1] = ("issuer_agency", .string(override.agency))
        }
        var settings: [(String, JSON)] = [("company_name", .string("Loja Exemplo Ltda"))]
        settings += bank == "237" ? [("company_code", .string("4540691")), ("account_dv", .string("7"))] : [("agency_dv", .string("0"))]
        for (key, value) in cnab {
            settings.removeAll { $0.0 == key }
            settings.append((key, value))
        }
        let reply = try await service.post("/configurations", .object([
            ("external_id", .string(externalID)), ("issuer", .string("cnab")), ("issuer_bank", .string(bank)),
            ("beneficiary_document_number", .string("11.222.333/0001-81")), ("cnab", .object(settings)),
        ] + account))
        #expect(reply.status == 201, "\(reply.text)")
        return externalID
    }

    static func boleto(_ externalID: String, _ changes: [(String, JSON)] = []) -> JSON {
        Body.boleto([("external_id", .string(externalID)), ("issuer", .null), ("issuer_account", .null),
                     ("issuer_agency", .null), ("issuer_wallet", .null)] + changes)
    }

    /// A Bradesco CNAB 400 retorno: the real file's header and trailer, and one detail per title written over the
    /// real file's first detail (nosso número 71-82, occurrence 109-110, face value 153-165, paid value 254-266,
    /// reasons 319-328, sequence 395-400).
    static func bradescoRetorno(_ titles: [(nossoNumero: String, code: String, face: Int64, paid: Int64, reasons: String)]) throws -> [UInt8] {
        let lines = String(decoding: try fixture("brcobranca-CNAB400BRADESCO.RET"), as: UTF8.self)
            .split(separator: "\r\n", omittingEmptySubsequences: true).map { Array($0.utf8) }
        func put(_ line: inout [UInt8], _ start: Int, _ end: Int, _ text: String) {
            let bytes = Array(text.utf8)
            precondition(bytes.count == end - start + 1)
            line.replaceSubrange((start - 1)...(end - 1), with: bytes)
        }
        func pad(_ value: Int64, _ width: Int) -> String { String(repeating: "0", count: max(0, width - String(value).count)) + String(value) }
        var out = [lines[0]]
        for title in titles {
            var line = lines[1]
            put(&line, 71, 82, title.nossoNumero)
            put(&line, 109, 110, title.code)
            put(&line, 153, 165, pad(title.face, 13))
            put(&line, 254, 266, pad(title.paid, 13))
            put(&line, 319, 328, title.reasons.padding(toLength: 10, withPad: "0", startingAt: 0))
            put(&line, 395, 400, pad(Int64(out.count + 1), 6))
            out.append(line)
        }
        var trailer = lines[lines.count - 1]
        put(&trailer, 395, 400, pad(Int64(out.count + 1), 6))
        out.append(trailer)
        return Array(out.map { String(decoding: $0, as: UTF8.self) }.joined(separator: "\r\n").utf8) + [0x0D, 0x0A]
    }

    /// The 12 characters of a Bradesco boleto's nosso número in a retorno: 11 digits and the DV BoletoKit printed.
    static func bradescoNumber(_ boleto: JSON) throws -> String {
        let titleID = try #require(boleto["title_id"]?.int)
        let dv = try #require(boleto["nosso_numero"]?.string?.split(separator: "-").last)
        let digits = String(titleID)
        return String(repeating: "0", count: 11 - digits.count) + digits + dv
    }

    static func retorno(_ service: TestService, _ externalID: String, _ bytes: [UInt8]) async throws -> Reply {
        try await service.post("/retornos", .object([("external_id", .string(externalID)),
                                                     ("content_base64", .string(Data(bytes).base64EncodedString()))]))
    }

    static func statusChanges(_ service: TestService, _ id: String) async throws -> [String] {
        try await service.get("/boletos/\(id)/events").json.array?.filter { $0["type"]?.string == "status_changed" }
            .compactMap { $0["status"]?.string } ?? []
    }

    @Test("Bradesco 400: boletos wait for a remessa, the remessa carries them, a retorno registers, pays and refuses them once",
          arguments: ServiceBackend.available)
    func bradescoRoundTrip(_ backend: ServiceBackend) async throws {
        let receiver = try await WebhookReceiver().start()
        try await withService(backend) { service in
            let externalID = try await Self.configure(service, bank: "237")
            var boletos: [JSON] = []
            for amount in [2000, 3500, 4100] as [Int64] {
                let hook: [(String, JSON)] = amount == 3500 ? [("webhook_url", .string(receiver.url))] : []
                let created = try await service.post("/boletos", Self.boleto(externalID, [("amount", .int(amount))] + hook))
                #expect(created.status == 201, "\(created.text)")
                #expect(created.json["status"]?.string == "issued")
                #expect(created.json["issuer"]?.string == "cnab")
                #expect(created.json["bank"]?.string == "237")
                boletos.append(created.json)
            }
            let ids = boletos.compactMap { $0["id"]?.string }
            // Issued and waiting for a remessa: no registration job runs for it.
            let store = service.service.store
            #expect(try await store.jobs(boletoID: ids[0]).allSatisfy { $0.kind != .register })
            let unregistered = try await service.post("/boletos", Self.boleto(externalID, [("register", .bool(false))]))
            #expect(unregistered.status == 201, "\(unregistered.text)")

            let remessa = try await service.post("/remessas", .object([("external_id", .string(externalID))]))
            #expect(remessa.status == 201, "\(remessa.text)")
            #expect(remessa.json["sequence"]?.int == 1)
            #expect(remessa.json["boleto_count"]?.int == 3)
            #expect(remessa.json["total_amount"]?.int == 9600)
            #expect(remessa.json["boleto_ids"]?.array?.compactMap(\.string) == ids)
            let remessaID = try #require(remessa.json["id"]?.string)

            let file = try await service.get("/remessas/\(remessaID)")
            #expect(file.status == 200)
            #expect(file.header("Content-Type")?.hasPrefix("text/plain") == true)
            let lines = file.text.components(separatedBy: "\r\n").dropLast()
            #expect(file.text.hasSuffix("\r\n"))
            #expect(lines.count == 5)
            #expect(lines.allSatisfy { $0.utf8.count == 400 })
            #expect(lines.first?.hasPrefix("01REMESSA01COBRANCA") == true)
            #expect(Identifiers.sha256(file.text) == remessa.json["sha256"]?.string)
            for (index, boleto) in boletos.enumerated() {
                let detail = Array(lines[index + 1].utf8)
                let number = try Self.bradescoNumber(boleto)
                #expect(String(decoding: detail[70..<82], as: UTF8.self) == number)
                #expect(String(decoding: detail[126..<139], as: UTF8.self)
                        == String(format: "%013d", boleto["amount"]?.int ?? -1))
                #expect(String(decoding: detail[234..<274], as: UTF8.self).hasPrefix("MARIA JOAQUINA DA SILVA"))
            }
            for id in ids {
                #expect(try await service.get("/boletos/\(id)").json["status"]?.string == "pending_registration")
            }
            // Nothing waits now: a second call writes no file and spends no sequence number.
            #expect(try await service.post("/remessas", .object([("external_id", .string(externalID))])).status == 204)

            let unknownNumber = "000009999990"
            let bytes = try Self.bradescoRetorno([
                (try Self.bradescoNumber(boletos[0]), "02", 2000, 0, ""),
                (try Self.bradescoNumber(boletos[1]), "06", 3500, 3400, ""),
                (try Self.bradescoNumber(boletos[2]), "03", 4100, 0, "08"),
                (unknownNumber, "06", 1000, 1000, ""),
            ])
            let applied = try await Self.retorno(service, externalID, bytes)
            #expect(applied.status == 201, "\(applied.text)")
            #expect(applied.json["bank"]?.string == "237")
            #expect(applied.json["title_count"]?.int == 4)
            #expect(applied.json["applied"]?.array?.compactMap { $0["boleto_id"]?.string } == ids)
            let unknown = try #require(applied.json["unknown"]?.array)
            #expect(unknown.count == 1)
            #expect(unknown.first?["nosso_numero"]?.string == unknownNumber)
            #expect(unknown.first?["paid_value_cents"]?.int == 1000)

            let registered = try await service.get("/boletos/\(ids[0])").json
            #expect(registered["status"]?.string == "registered")
            let paid = try await service.get("/boletos/\(ids[1])").json
            #expect(paid["status"]?.string == "paid")
            #expect(paid["paid_amount"]?.int == 3400)
            #expect(try await Self.statusChanges(service, ids[1]) == ["pending_registration", "registered", "paid"])
            let refused = try await service.get("/boletos/\(ids[2])").json
            #expect(refused["status"]?.string == "refused")
            #expect(refused["issuer_response_code"]?.string == "03")
            let refusal = try await service.get("/boletos/\(ids[2])/events").json.array?.last
            #expect(refusal?["detail"]?["reasons"]?.array?.compactMap(\.string).contains("08") == true, "\(refusal?.text ?? "")")
            // Each status change of the paid boleto reached its owner's webhook (the worker sends them concurrently,
            // so in any order; each carries its own event id).
            let deliveries = try await receiver.waitFor(3)
            #expect(deliveries.compactMap { (try? JSON.parse($0.body))?["status"]?.string }.sorted() == ["paid", "pending_registration", "registered"])
            #expect(Set(deliveries.compactMap(\.eventID)).count == 3)

            // The same file again: the first answer, and nothing changes.
            let eventsBefore = try await service.get("/boletos/\(ids[1])/events").json.array?.count
            let again = try await Self.retorno(service, externalID, bytes)
            #expect(again.status == 200)
            #expect(again.header("X-Retorno-Replayed") == "true")
            #expect(again.text == applied.text)
            #expect(try await service.get("/boletos/\(ids[1])/events").json.array?.count == eventsBefore)
            #expect(try await service.get("/boletos/\(ids[1])").json["paid_amount"]?.int == 3400)

            // A payment reported for a refused boleto is money the owner must see: a conflict and an event carrying the
            // amount; the payment rule keeps a refused boleto's paid_amount and status.
            let late = try await Self.retorno(service, externalID, try Self.bradescoRetorno([
                (try Self.bradescoNumber(boletos[2]), "06", 4100, 4100, ""),
            ]))
            #expect(late.status == 201, "\(late.text)")
            #expect(late.json["conflicts"]?.array?.first?["boleto_id"]?.string == ids[2])
            let stillRefused = try await service.get("/boletos/\(ids[2])").json
            #expect(stillRefused["status"]?.string == "refused")
            #expect(stillRefused["paid_amount"]?.int == 0)
            let reported = try await service.get("/boletos/\(ids[2])/events").json.array?.last
            #expect(reported?["type"]?.string == "retorno_occurrence")
            #expect(reported?["detail"]?["paid_amount"]?.int == 4100)
            // A second payment of the paid boleto, of another amount, is a conflict too: its paid_amount stays.
            let twice = try await Self.retorno(service, externalID, try Self.bradescoRetorno([
                (try Self.bradescoNumber(boletos[1]), "06", 3400, 5, ""),
            ]))
            #expect(twice.json["conflicts"]?.array?.first?["boleto_id"]?.string == ids[1], "\(twice.text)")
            #expect(try await service.get("/boletos/\(ids[1])").json["paid_amount"]?.int == 3400)

            // The next remessa counts on: sequence 2 for the next boleto.
            let fourth = try await service.post("/boletos", Self.boleto(externalID))
            #expect(fourth.status == 201)
            let second = try await service.post("/remessas", .object([("external_id", .string(externalID))]))
            #expect(second.status == 201, "\(second.text)")
            #expect(second.json["sequence"]?.int == 2)
            #expect(second.json["boleto_ids"]?.array?.compactMap(\.string) == [fourth.json["id"]?.string].compactMap { $0 })
        }
        await receiver.stop()
    }

    /// One account per remessa writer, with what its bank's barcode and header need.
    struct BankAccount: Sendable, CustomTestStringConvertible {
        let bank: String, layout: String, agency: String, account: String, wallet: String
        let cnab: [(String, JSON)]
        var testDescription: String { "\(bank)/\(layout)" }
    }

    static let accounts: [BankAccount] = [
        BankAccount(bank: "001", layout: "240", agency: "1234", account: "12345", wallet: "17",
                    cnab: [("beneficiary_code", .string("1234567")), ("agency_dv", .string("3")), ("account_dv", .string("5")),
                           ("wallet_code", .string("7")), ("wallet_variation", .string("019"))]),
        BankAccount(bank: "033", layout: "400", agency: "4042", account: "61900", wallet: "101",
                    cnab: [("company_code", .string("17777751042700080112")), ("beneficiary_code", .string("1234567")),
                           ("account_dv", .string("1")), ("wallet_code", .string("5"))]),
        BankAccount(bank: "033", layout: "240", agency: "0001", account: "013001234", wallet: "101",
                    cnab: [("company_code", .string("000100001234567")), ("beneficiary_code", .string("1234567")),
                           ("agency_dv", .string("9")), ("account_dv", .string("3"))]),
        BankAccount(bank: "104", layout: "240", agency: "1679", account: "200656", wallet: "14", cnab: [("agency_dv", .string("0"))]),
        BankAccount(bank: "237", layout: "400", agency: "1467", account: "0019669", wallet: "09",
                    cnab: [("company_code", .string("4540691")), ("account_dv", .string("7"))]),
        BankAccount(bank: "341", layout: "400", agency: "1234", account: "12345", wallet: "109", cnab: [("account_dv", .string("7"))]),
        BankAccount(bank: "748", layout: "240", agency: "0165", account: "00623", wallet: "1",
                    cnab: [("beneficiary_code", .string("00623")), ("account_dv", .string("8")), ("extra", .object([("posto", .string("02"))]))]),
        BankAccount(bank: "756", layout: "240", agency: "4327", account: "03666", wallet: "1",
                    cnab: [("beneficiary_code", .string("0229385")), ("agency_dv", .string("3")), ("account_dv", .string("8"))]),
    ]

    @Test("every remessa writer serves the cnab issuer: configuration, boleto, file", arguments: accounts)
    func everyBank(_ account: BankAccount) async throws {
        try await withService { service in
            let configured = try await service.post("/configurations", .object([
                ("external_id", .string("acct")), ("issuer", .string("cnab")), ("issuer_bank", .string(account.bank)),
                ("issuer_account", .string(account.account)), ("issuer_agency", .string(account.agency)),
                ("issuer_wallet", .string(account.wallet)), ("beneficiary_document_number", .string("11.222.333/0001-81")),
                ("cnab", .object([("company_name", .string("Loja Exemplo")), ("layout", .string(account.layout))] + account.cnab)),
            ]))
            #expect(configured.status == 201, "\(configured.text)")
            // Terms every layout carries: juros R$ 0,43 a day, a 2 % fine, an abatimento of R$ 0,12, protest after 5 days.
            let created = try await service.post("/boletos", Self.boleto("acct", [
                ("interest", .object([("type", .string("amount_per_day")), ("value", .int(43))])),
                ("fine", .object([("type", .string("percent")), ("value", .double(2))])), ("abatement", .int(12)),
                ("protest_days", .int(5)),
            ]))
            #expect(created.status == 201, "\(created.text)")
            #expect(created.json["bank"]?.string == account.bank)
            let remessa = try await service.post("/remessas", .object([("external_id", .string("acct"))]))
            #expect(remessa.status == 201, "\(remessa.text)")
            #expect(remessa.json["layout"]?.string == account.layout)
            let file = try await service.get("/remessas/\(remessa.json["id"]?.string ?? "")").text
            let lines = file.components(separatedBy: "\r\n").dropLast()
            #expect(lines.count >= 3)
            #expect(lines.allSatisfy { $0.utf8.count == Int(account.layout) }, "\(lines.map(\.utf8.count))")
            #expect(file.contains("MARIA JOAQUINA DA SILVA"))
            let detail = try #require(lines.first { Int(account.layout) == 400 ? $0.hasPrefix("1") : $0.dropFirst(13).hasPrefix("P") })
            let juros = Int(account.layout) == 400 ? (161, 173) : (127, 141), abatement = Int(account.layout) == 400 ? (206, 218) : (181, 195)
            func at(_ range: (Int, Int)) -> Int? { Int(String(Array(detail)[(range.0 - 1)..<range.1])) }
            #expect(at(juros) == 43, "\(account.bank) juros")
            #expect(at(abatement) == 12, "\(account.bank) abatimento")
        }
    }

    @Test("retornos of another beneficiary (header or titles) are refused and change nothing; other issuers' boletos are never a retorno's",
          arguments: ServiceBackend.available)
    func foreignRetornos(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            func unchanged(_ boleto: JSON) async throws {
                let id = try #require(boleto["id"]?.string)
                let now = try await service.get("/boletos/\(id)").json
                #expect(now["status"]?.string == "issued")
                #expect(now["paid_amount"]?.int == 0)
                #expect(try await service.get("/boletos/\(id)/events").json.array?.count == 1, "only its created event")
            }
            // The finding: a sandbox boleto (register false) in agency 3381, account 9721, and a Bradesco file whose
            // titles name agency 01467, account 0019669, uploaded to a cnab configuration of 3381/9721.
            let sandbox = try await service.post("/boletos", Body.boleto([("register", .bool(false))])).json
            #expect(sandbox["status"]?.string == "issued")
            let number = try Self.bradescoNumber(sandbox)
            let file = try Self.bradescoRetorno([(number, "02", 2000, 0, ""), (number, "06", 2000, 2000, "")])
            let elsewhere = try await Self.configure(service, bank: "237", externalID: "elsewhere", account: ("3381", "9721"))
            let refused = try await Self.retorno(service, elsewhere, file)
            #expect(refused.status == 400, "\(refused.text)")
            #expect(refused.json["errors"]?.array?.first?["field"]?.string == "content_base64")
            #expect(refused.text.contains("agency 01467"), "\(refused.text)")
            try await unchanged(sandbox)

            // The header's código da empresa names another contract.
            let otherCode = try await Self.configure(service, bank: "237", externalID: "other-code",
                                                     cnab: [("company_code", .string("999"))])
            let wrongCode = try await Self.retorno(service, otherCode, file)
            #expect(wrongCode.status == 400)
            #expect(wrongCode.text.contains("beneficiary code"), "\(wrongCode.text)")

            // The file's own account: accepted, but a sandbox boleto there is not a cnab boleto, so its title is unknown.
            let own = try await Self.configure(service, bank: "237")
            let sandboxThere = try await service.post("/boletos", Body.boleto([
                ("register", .bool(false)), ("issuer_agency", .string("1467")), ("issuer_account", .string("0019669")),
                ("issuer_wallet", .string("09")),
            ])).json
            let there = try Self.bradescoNumber(sandboxThere)
            let applied = try await Self.retorno(service, own, try Self.bradescoRetorno([(there, "02", 2000, 0, ""), (there, "06", 2000, 2000, "")]))
            #expect(applied.status == 201, "\(applied.text)")
            #expect(applied.json["applied"]?.array?.isEmpty == true)
            #expect(applied.json["unknown"]?.array?.count == 2)
            try await unchanged(sandboxThere)

            // CNAB 240: Caixa's header names agency 01234 and código do beneficiário 043210.
            let caixa = try Self.fixture("laravel-boleto-cnab240-caixa.ret")
            let otherAgency = try await Self.configure(service, bank: "104", externalID: "caixa-other-agency", account: ("1679", "043210"))
            let agencyReply = try await Self.retorno(service, otherAgency, caixa)
            #expect(agencyReply.status == 400)
            #expect(agencyReply.text.contains("header names agency 01234"), "\(agencyReply.text)")
            let otherBeneficiary = try await Self.configure(service, bank: "104", externalID: "caixa-other-code", account: ("1234", "200656"))
            #expect(try await Self.retorno(service, otherBeneficiary, caixa).text.contains("beneficiary code 043210"))
            let ownCaixa = try await Self.configure(service, bank: "104", externalID: "caixa-own")
            #expect(try await Self.retorno(service, ownCaixa, caixa).status == 201)
        }
    }

    @Test("Caixa 240: a real retorno of nine payments settles the boletos it names; a Bradesco file is refused",
          arguments: ServiceBackend.available)
    func caixaRetorno(_ backend: ServiceBackend) async throws {
        let bytes = try Self.fixture("laravel-boleto-cnab240-caixa.ret")
        let read = try CNABRetornoReader.read(bytes)
        try await withService(backend) { service in
            let externalID = try await Self.configure(service, bank: "104")
            // Boletos with the file's title ids (the nosso número without Caixa's modalidade), all but the last.
            var ids: [Int64: String] = [:]
            for title in read.titles.dropLast() {
                let number = try #require(title.issuerNumber)
                let created = try await service.post("/boletos", Self.boleto(externalID, [("title_id", .int(number)),
                                                                                           ("amount", .int(title.faceValueCents))]))
                #expect(created.status == 201, "\(created.text)")
                ids[number] = try #require(created.json["id"]?.string)
            }
            let remessa = try await service.post("/remessas", .object([("external_id", .string(externalID))]))
            #expect(remessa.status == 201, "\(remessa.text)")
            #expect(remessa.json["layout"]?.string == "240")
            let file = try await service.get("/remessas/\(try #require(remessa.json["id"]?.string))").text
            let lines = file.components(separatedBy: "\r\n").dropLast()
            #expect(lines.allSatisfy { $0.utf8.count == 240 })
            #expect(lines.count == 4 + 3 * ids.count, "header, lote header, P, Q and R per title, lote trailer, trailer")

            let applied = try await Self.retorno(service, externalID, bytes)
            #expect(applied.status == 201, "\(applied.text)")
            #expect(applied.json["layout"]?.string == "240")
            #expect(applied.json["applied"]?.array?.count == ids.count)
            #expect(applied.json["unknown"]?.array?.compactMap { $0["nosso_numero"]?.string } == [read.titles.last!.nossoNumero])
            for title in read.titles.dropLast() {
                let boleto = try await service.get("/boletos/\(ids[title.issuerNumber!]!)").json
                #expect(boleto["status"]?.string == "paid")
                #expect(boleto["paid_amount"]?.int == title.paidValueCents)
            }
            let wrongBank = try await Self.retorno(service, externalID, try Self.fixture("brcobranca-CNAB400BRADESCO.RET"))
            #expect(wrongBank.status == 400)
            #expect(wrongBank.json["errors"]?.array?.first?["field"]?.string == "content_base64")
            #expect(wrongBank.text.contains("a retorno of bank 237; the configuration is of bank 104"), "\(wrongBank.text)")
        }
    }

    @Test("Concurrent remessas never carry a boleto twice; concurrent uploads of one retorno apply it once",
          arguments: ServiceBackend.available)
    func concurrency(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let externalID = try await Self.configure(service, bank: "237")
            var boletos: [JSON] = []
            for _ in 0..<6 { boletos.append(try await service.post("/boletos", Self.boleto(externalID)).json) }
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<4 { group.addTask { try await service.post("/remessas", .object([("external_id", .string(externalID))])) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let made = replies.filter { $0.status == 201 }
            #expect(replies.allSatisfy { $0.status == 201 || $0.status == 204 }, "\(replies.map(\.status))")
            let carried = made.flatMap { $0.json["boleto_ids"]?.array?.compactMap(\.string) ?? [] }
            #expect(carried.count == 6 && Set(carried).count == 6)
            #expect(Set(made.compactMap { $0.json["sequence"]?.int }).count == made.count)

            let bytes = try Self.bradescoRetorno(try boletos.map { (try Self.bradescoNumber($0), "06", 2000, 2000, "") })
            let uploads = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<3 { group.addTask { try await Self.retorno(service, externalID, bytes) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(uploads.map(\.status).sorted() == [200, 200, 201], "\(uploads.map(\.text))")
            for boleto in boletos {
                let id = try #require(boleto["id"]?.string)
                #expect(try await Self.statusChanges(service, id) == ["pending_registration", "registered", "paid"])
            }
        }
    }

    @Test("bad cnab input gets a 400 naming the field, and nothing is written")
    func badInput() async throws {
        try await withService { service in
            func field(_ reply: Reply) -> String? { reply.json["errors"]?.array?.first?["field"]?.string }
            func configuration(_ pairs: [(String, JSON)]) -> JSON {
                var base: [(String, JSON)] = [
                    ("external_id", .string("x")), ("issuer", .string("cnab")), ("issuer_bank", .string("237")),
                    ("issuer_account", .string("0019669")), ("issuer_agency", .string("1467")), ("issuer_wallet", .string("09")),
                    ("beneficiary_document_number", .string("11.222.333/0001-81")),
                    ("cnab", .object([("company_name", .string("Loja")), ("company_code", .string("4540691"))])),
                ]
                for (key, value) in pairs {
                    base.removeAll { $0.0 == key }
                    if value != .null { base.append((key, value)) }
                }
                return .object(base)
            }
            let cases: [([(String, JSON)], String)] = [
                ([("issuer_bank", .null)], "issuer_bank"),
                ([("issuer_bank", .string("999"))], "issuer_bank"),
                ([("cnab", .null)], "cnab"),
                ([("issuer_bank", .string("033"))], "cnab.layout"),
                ([("issuer_bank", .string("033")), ("issuer_wallet", .string("101")),
                  ("cnab", .object([("company_name", .string("Loja")), ("layout", .string("400"))]))], "cnab.wallet_code"),
                ([("cnab", .object([("company_name", .string("Loja Exemplo de Artigos Domesticos Ltda"))]))], "cnab.company_name"),
                ([("cnab", .object([("company_name", .string("Loja")), ("company_code", .string("12a"))]))], "cnab.company_code"),
                ([("cnab", .object([("company_name", .string("Loja")), ("colour", .string("red"))]))], "cnab.colour"),
                ([("issuer", .string("sandbox")), ("issuer_bank", .null), ("beneficiary_document_number", .null)], "cnab"),
            ]
            for (change, expected) in cases {
                let reply = try await service.post("/configurations", configuration(change))
                #expect(reply.status == 400, "\(change): \(reply.text)")
                #expect(field(reply) == expected, "\(change): \(reply.text)")
            }
            #expect(try await service.get("/configurations/x").status == 404)

            let externalID = try await Self.configure(service, bank: "237")
            let noConfiguration = try await service.post("/boletos", Body.boleto([("issuer", .string("cnab"))]))
            #expect(noConfiguration.status == 400)
            #expect(field(noConfiguration) == "external_id", "\(noConfiguration.text)")
            // Bradesco's CNAB 400 carries juros as an amount a day only.
            let interest = try await service.post("/boletos", Self.boleto(externalID, [
                ("interest", .object([("type", .string("percent_per_month")), ("value", .double(1))])),
            ]))
            #expect(interest.status == 400)
            #expect(field(interest) == "interest.type", "\(interest.text)")
            #expect(interest.text.contains("Bradesco CNAB 400"), "\(interest.text)")
            let longName = try await service.post("/boletos", Self.boleto(externalID, [("payer_name", .string(String(repeating: "Maria ", count: 8)))]))
            #expect(longName.status == 400)
            #expect(field(longName) == "payer_name", "\(longName.text)")
            let noPayer = try await service.post("/boletos", Self.boleto(externalID, [("payer_address", .null)]))
            #expect(field(noPayer) == "payer_address", "\(noPayer.text)")
            // The remessa layouts carry the payer's document as digits: an alphanumeric CNPJ is refused at creation.
            let alphanumeric = try await service.post("/boletos", Self.boleto(externalID, [
                ("payer_document_type", .string("cnpj")), ("payer_document_number", .string("12.ABC.345/01DE-35")),
            ]))
            #expect(alphanumeric.status == 400, "\(alphanumeric.text)")
            #expect(field(alphanumeric) == "payer_document_number", "\(alphanumeric.text)")
            #expect(try await service.get("/boletos?issuer=cnab").json.array?.isEmpty == true)

            #expect(field(try await service.post("/remessas", .object([]))) == "external_id")
            #expect(field(try await service.post("/remessas", .object([("external_id", .string("nope"))]))) == "external_id")
            #expect(field(try await service.post("/remessas", .object([("external_id", .string(externalID)), ("limit", .int(0))]))) == "limit")
            #expect(try await service.get("/remessas/rem_nope").status == 404)
            let notBase64 = try await service.post("/retornos", .object([("external_id", .string(externalID)), ("content_base64", .string("***"))]))
            #expect(field(notBase64) == "content_base64")
            let notCNAB = try await Self.retorno(service, externalID, Array("hello\r\n".utf8))
            #expect(notCNAB.status == 400)
            #expect(field(notCNAB) == "content_base64")

            // An issued cnab boleto not yet in a remessa can be canceled here; a registered one only by a baixa.
            let created = try await service.post("/boletos", Self.boleto(externalID))
            let id = try #require(created.json["id"]?.string)
            let canceled = try await service.post("/boletos/\(id)/cancel", .object([]))
            #expect(canceled.json["status"]?.string == "canceled", "\(canceled.text)")
            let other = try await service.post("/boletos", Self.boleto(externalID))
            #expect(try await service.post("/remessas", .object([("external_id", .string(externalID))])).status == 201)
            _ = try await Self.retorno(service, externalID, try Self.bradescoRetorno([(try Self.bradescoNumber(other.json), "02", 2000, 0, "")]))
            let otherID = try #require(other.json["id"]?.string)
            #expect(try await service.get("/boletos/\(otherID)").json["status"]?.string == "registered")
            // A registered cnab boleto's cancel is a pedido de baixa for the next remessa: still registered until the retorno.
            let pendingCancel = try await service.post("/boletos/\(otherID)/cancel", .object([]))
            #expect(pendingCancel.status == 202, "\(pendingCancel.text)")
            #expect(pendingCancel.json["pending_change"]?["movement"]?.string == "02")
            #expect(try await service.get("/boletos/\(otherID)").json["status"]?.string == "registered")
            // Asking again answers the same pending request.
            let again = try await service.post("/boletos/\(otherID)/cancel", .object([]))
            #expect(again.status == 202 && again.json["pending_change"]?["id"] == pendingCancel.json["pending_change"]?["id"])
        }
    }
}
