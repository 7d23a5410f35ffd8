import BoletoJSON
import BoletoKit
import Foundation
import Testing
@testable import ReferenceService

/// Names and free text (issue 15, finding 6): a visible character and no control or invisible formatting
/// characters, each refusal a 400 naming the field; the BR Code's name and city in its character set.
@Suite("Text fields")
struct TextFieldTests {
    static func field(_ reply: Reply) -> [String] { reply.json["errors"]?.array?.compactMap { $0["field"]?.string } ?? [] }

    @Test("names, addresses and free text: spaces alone, NUL, zero-width spaces and overrides are 400s naming the field",
          arguments: ServiceBackend.available)
    func boletoText(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            func address(_ street: String) -> JSON {
                .object([("zipcode", .string("04551-010")), ("street", .string(street)), ("street_number", .int(308)),
                         ("neighborhood", .string("Vila Olímpia")), ("city", .string("São Paulo")), ("state", .string("SP"))])
            }
            let refused: [([(String, JSON)], String)] = [
                ([("payer_name", .string("   "))], "payer_name"),
                ([("payer_name", .string("Maria\u{0000}"))], "payer_name"),
                ([("payer_name", .string("\u{200B}"))], "payer_name"),
                ([("payer_name", .string("   ")), ("register", .bool(false))], "payer_name"),
                ([("payer_name", .string("Maria \u{202E}avlis"))], "payer_name"),
                ([("company_name", .string("\t"))], "company_name"),
                ([("instructions", .string("Pagar\u{0007}"))], "instructions"),
                ([("instructions", .string(" \n "))], "instructions"),
                ([("reference_id", .string("order\u{0000}42"))], "reference_id"),
                ([("payer_address", address("Rua A\tB"))], "payer_address.street"),
                ([("payer_address", address("   "))], "payer_address.street"),
            ]
            for (changes, expected) in refused {
                let reply = try await service.post("/boletos", Body.boleto(changes))
                #expect(reply.status == 400, "\(changes): \(reply.text)")
                #expect(Self.field(reply) == [expected], "\(changes): \(reply.text)")
            }
            let accepted = try await service.post("/boletos", Body.boleto([
                ("payer_name", .string("Zoë D’Ávila-Núñez")), ("instructions", .string("Não receber após o vencimento.\nMulta de 2%.")),
            ]))
            #expect(accepted.status == 201, "\(accepted.text)")
            #expect(accepted.json["instructions"]?.string == "Não receber após o vencimento.\nMulta de 2%.")
        }
    }

    @Test("the PIX name and city: folded into the BR Code's set, and what has no ASCII form is a 400 naming pix.name",
          arguments: ServiceBackend.available)
    func pixText(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            for (name, city, expected) in [("Loja 🙂", "Recife", "pix.name"), ("Loja", "Recife 🏖", "pix.city"),
                                           ("\u{200B}", "Recife", "pix.name")] {
                let reply = try await RenderingServiceTests.configure(service, pix: .object([
                    ("key", .string("11222333000181")), ("name", .string(name)), ("city", .string(city)),
                ]))
                #expect(reply.status == 400, "\(name): \(reply.text)")
                #expect(Self.field(reply) == [expected], "\(name): \(reply.text)")
            }
            let configured = try await RenderingServiceTests.configure(service, pix: .object([
                ("key", .string("11222333000181")), ("name", .string("Ｓão João ﬁlhos")), ("city", .string("São  Paulo")),
            ]))
            #expect(configured.status == 201, "\(configured.text)")
            let created = try await service.post("/boletos", Body.boleto([
                ("external_id", .string("loja-pix")), ("issuer", .null), ("issuer_account", .null), ("issuer_agency", .null),
                ("issuer_wallet", .null),
            ]))
            let code = try PixBRCode.parse(try #require(created.json["pix_qr_code"]?.string))
            #expect(code.name == "Sao Joao filhos")
            #expect(code.city == "Sao Paulo")
        }
    }
}
