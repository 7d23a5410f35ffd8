import BoletoJSON
import BoletoKit
import Foundation
import Providers
import Testing
@testable import ReferenceService

/// The boleto híbrido in CNAB files: the remessa asks the bank for the PIX charge (Santander 400's type-8 record, Itaú
/// 400's movement 71 and type-3 record), and
/// the retorno's PIX record (Bradesco's type 4 here) becomes the boleto's BR Code.
@Suite("PIX in remessas and retornos")
struct RemessaPixTests {
    @Test("a Santander 400 cnab configuration with a PIX key writes the type-8 record: the key, the boleto's txid, its exact amount",
          arguments: ServiceBackend.available)
    func santanderRemessa(_ backend: ServiceBackend) async throws {
        let account = try #require(CNABServiceTests.accounts.first { $0.bank == "033" && $0.layout == "400" })
        try await withService(backend) { service in
            let configured = try await service.post("/configurations", .object([
                ("external_id", .string("santander-pix")), ("issuer", .string("cnab")), ("issuer_bank", .string("033")),
                ("issuer_account", .string(account.account)), ("issuer_agency", .string(account.agency)),
                ("issuer_wallet", .string(account.wallet)), ("beneficiary_document_number", .string("11.222.333/0001-81")),
                ("beneficiary_name", .string("Loja Exemplo Ltda")),
                ("pix", .object([("key", .string("11222333000181")), ("name", .string("Loja Exemplo Ltda")), ("city", .string("São Paulo"))])),
                ("cnab", .object([("company_name", .string("Loja Exemplo")), ("layout", .string("400"))] + account.cnab)),
            ]))
            #expect(configured.status == 201, "\(configured.text)")
            let created = try await service.post("/boletos", CNABServiceTests.boleto("santander-pix", [("amount", .int(19_990))]))
            #expect(created.status == 201, "\(created.text)")
            let txid = String(try #require(created.json["id"]?.string).dropFirst(4))
            let remessa = try await service.post("/remessas", .object([("external_id", .string("santander-pix"))]))
            #expect(remessa.status == 201, "\(remessa.text)")
            let file = try await service.get("/remessas/\(remessa.json["id"]?.string ?? "")").text
            let lines = file.components(separatedBy: "\r\n").dropLast().map { Array($0.utf8) }
            func field(_ line: [UInt8], _ start: Int, _ end: Int) -> String { String(decoding: line[(start - 1)...(end - 1)], as: UTF8.self) }
            let titleIndex = try #require(lines.firstIndex { $0.first == UInt8(ascii: "1") })
            let pix = lines[titleIndex + 1]
            #expect(pix.count == 400 && field(pix, 1, 1) == "8")
            #expect(field(pix, 2, 3) == "03" && field(pix, 6, 6) == "2", "exactly the amount")
            #expect(field(pix, 7, 19) == "0000000019990" && field(pix, 25, 37) == "0000000019990")
            #expect(field(pix, 43, 43) == "2", "a CNPJ key")
            #expect(field(pix, 44, 120).trimmingCharacters(in: .whitespaces) == "11222333000181")
            #expect(field(pix, 121, 155).trimmingCharacters(in: .whitespaces) == txid)
        }
    }

    @Test("an Itaú 400 cnab configuration with a PIX key registers its entries with movement 71 and a type-3 record: the key as given, the boleto's txid",
          arguments: ServiceBackend.available)
    func itauRemessa(_ backend: ServiceBackend) async throws {
        let account = try #require(CNABServiceTests.accounts.first { $0.bank == "341" })
        try await withService(backend) { service in
            let configured = try await service.post("/configurations", .object([
                ("external_id", .string("itau-pix")), ("issuer", .string("cnab")), ("issuer_bank", .string("341")),
                ("issuer_account", .string(account.account)), ("issuer_agency", .string(account.agency)),
                ("issuer_wallet", .string(account.wallet)), ("beneficiary_document_number", .string("11.222.333/0001-81")),
                ("beneficiary_name", .string("Loja Exemplo Ltda")),
                ("pix", .object([("key", .string("cobranca@loja.example")), ("name", .string("Loja Exemplo Ltda")),
                                 ("city", .string("São Paulo"))])),
                ("cnab", .object([("company_name", .string("Loja Exemplo")), ("layout", .string("400"))] + account.cnab)),
            ]))
            #expect(configured.status == 201, "\(configured.text)")
            let created = try await service.post("/boletos", CNABServiceTests.boleto("itau-pix", [
                ("amount", .int(19_990)), ("fine", .object([("type", .string("percent")), ("value", .double(2))])),
            ]))
            #expect(created.status == 201, "\(created.text)")
            let txid = String(try #require(created.json["id"]?.string).dropFirst(4))
            let remessa = try await service.post("/remessas", .object([("external_id", .string("itau-pix"))]))
            let file = try await service.get("/remessas/\(remessa.json["id"]?.string ?? "")").text
            let lines = file.components(separatedBy: "\r\n").dropLast().map { Array($0.utf8) }
            func field(_ line: [UInt8], _ start: Int, _ end: Int) -> String { String(decoding: line[(start - 1)...(end - 1)], as: UTF8.self) }
            #expect(lines.map { field($0, 1, 1) } == ["0", "1", "2", "3", "9"], "the title, its fine, its PIX record")
            #expect(field(lines[1], 109, 110) == "71", "remessa com registro PIX")
            #expect(lines[3].count == 400)
            #expect(field(lines[3], 2, 78).trimmingCharacters(in: .whitespaces) == "cobranca@loja.example")
            #expect(field(lines[3], 79, 142).trimmingCharacters(in: .whitespaces) == txid)
            #expect(field(lines[3], 143, 394).allSatisfy { $0 == " " } && field(lines[3], 395, 400) == "000004")
        }
    }

    @Test("a Santander 240 cnab configuration with a PIX key writes segment Y03 (key type, key, txid) and Y53 (the exact amount) after R",
          arguments: ServiceBackend.available)
    func santander240Remessa(_ backend: ServiceBackend) async throws {
        let account = try #require(CNABServiceTests.accounts.first { $0.bank == "033" && $0.layout == "240" })
        try await withService(backend) { service in
            let configured = try await service.post("/configurations", .object([
                ("external_id", .string("santander-240-pix")), ("issuer", .string("cnab")), ("issuer_bank", .string("033")),
                ("issuer_account", .string(account.account)), ("issuer_agency", .string(account.agency)),
                ("issuer_wallet", .string(account.wallet)), ("beneficiary_document_number", .string("11.222.333/0001-81")),
                ("beneficiary_name", .string("Loja Exemplo Ltda")),
                ("pix", .object([("key", .string("11222333000181")), ("name", .string("Loja Exemplo Ltda")), ("city", .string("São Paulo"))])),
                ("cnab", .object([("company_name", .string("Loja Exemplo")), ("layout", .string("240"))] + account.cnab)),
            ]))
            #expect(configured.status == 201, "\(configured.text)")
            let created = try await service.post("/boletos", CNABServiceTests.boleto("santander-240-pix", [("amount", .int(19_990))]))
            let txid = String(try #require(created.json["id"]?.string).dropFirst(4))
            let remessa = try await service.post("/remessas", .object([("external_id", .string("santander-240-pix"))]))
            let file = try await service.get("/remessas/\(remessa.json["id"]?.string ?? "")").text
            let lines = file.components(separatedBy: "\r\n").dropLast().map { Array($0.utf8) }
            func field(_ line: [UInt8], _ start: Int, _ end: Int) -> String { String(decoding: line[(start - 1)...(end - 1)], as: UTF8.self) }
            let segments = lines.filter { field($0, 8, 8) == "3" }.map { field($0, 14, 14) }
            #expect(segments == ["P", "Q", "R", "Y", "Y"])
            let y03 = try #require(lines.first { field($0, 14, 19) == "Y 0103" })
            #expect(field(y03, 81, 81) == "2" && field(y03, 82, 158).trimmingCharacters(in: .whitespaces) == "11222333000181")
            #expect(field(y03, 159, 193).trimmingCharacters(in: .whitespaces) == txid)
            let y53 = try #require(lines.first { field($0, 14, 19) == "Y 0153" })
            #expect(field(y53, 20, 24) == "03012" && field(y53, 25, 39) == "000000000019990")
        }
    }

    @Test("DICT key types: CPF, CNPJ, phone, e-mail, random key")
    func keyTypes() {
        #expect(RemessaBuilder.pixKeyType("11144477735") == "1" && RemessaBuilder.pixKeyType("11222333000181") == "2")
        #expect(RemessaBuilder.pixKeyType("+5511999999999") == "3" && RemessaBuilder.pixKeyType("pix@loja.example") == "4")
        #expect(RemessaBuilder.pixKeyType("123e4567-e12b-12d1-a456-426655440000") == "5")
        #expect(RemessaBuilder.pixKeyType("11144477700") == "5", "11 digits that are no CPF")
    }

    @Test("a retorno's PIX record becomes the boleto's BR Code: a dynamic code at the bank's location, with the event")
    func retornoPix() throws {
        // Awaiting its confirmation, so the retorno's 02 writes an event that carries the PIX record's fields.
        var boleto = StoreContractTests.boleto(clientID: "cli_1", titleID: 42, status: .pendingRegistration)
        boleto.nossoNumero = "09/00000000042-P"
        boleto.issuer = "cnab"
        boleto.amount = 2000
        boleto.details.pixPayload = try PixBRCode(key: "11222333000181", name: "Loja Exemplo", city: "Sao Paulo", amountCents: 2000,
                                                  txid: "abc123").payload
        let plain = try CNABServiceTests.bradescoRetorno([("00000000042P", "02", 2000, 0, "")])
        var lines = String(decoding: plain, as: UTF8.self).components(separatedBy: "\r\n")
        let location = "qrpix.bradesco.com.br/qr/v2/cobv/5b7c2b0a"
        var record = "4" + String(repeating: " ", count: 27) + location.padding(toLength: 77, withPad: " ", startingAt: 0)
            + "TXID42".padding(toLength: 35, withPad: " ", startingAt: 0)
        record += String(repeating: " ", count: 394 - record.count) + "000003"
        lines.insert(record, at: 2)
        var trailer = lines[3]
        trailer = String(trailer.prefix(394)) + "000004"
        lines[3] = trailer
        let retorno = try CNABRetornoReader.read(Array(lines.joined(separator: "\r\n").utf8))
        #expect(retorno.titles.count == 1 && retorno.titles.first?.pix?.location == location)
        let applier = RetornoApplier(retornoID: "ret_1", configuration: StoreRemessaContractTests.configuration("cli_1"), retorno: retorno,
                                     now: Timestamp.now())
        let write = try #require(applier.apply(to: [42: boleto], sha256: "x").writes.first)
        let code = try PixBRCode.parse(try #require(write.record.details.pixPayload))
        #expect(code.url == location && code.amountCents == 2000 && code.name == "Loja Exemplo" && write.change.changed)
        let detail = try JSON.parse(try #require(write.change.events.first).detail)
        #expect(detail["pix_location"]?.string == location && detail["pix_txid"]?.string == "TXID42")
    }
}
