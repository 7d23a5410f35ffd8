import BoletoKit
import Foundation
import Testing

/// The PIX BR Code against the public vectors (Fixtures/brcode.json): every valid payload parses to its field
/// table, the CRC-valid non-Pix ones and the invalid ones are refused with the field at fault, and building from a
/// vector's inputs reproduces its payload byte for byte.
@Suite("PIX BR Code")
struct PixTests {
    struct Vector: Sendable, CustomTestStringConvertible {
        let id: String
        let payload: String
        let fields: [String: String]
        let kind: String?
        var testDescription: String { id }
    }

    static func vectors(_ key: String) -> [Vector] {
        (Fixtures.json("brcode")[key] as! [[String: Any]]).map { entry in
            var fields: [String: String] = [:]
            for (id, value) in entry["fields"] as? [String: Any] ?? [:] {
                if let text = value as? String { fields[id] = text }
                if let template = value as? [String: String] { for (sub, text) in template { fields[id + "." + sub] = text } }
            }
            return Vector(id: entry["id"] as! String, payload: entry["payload"] as! String, fields: fields,
                          kind: entry["kind"] as? String)
        }
    }

    @Test("CRC-16/CCITT-FALSE check value and the reference's worked examples")
    func crc() {
        #expect(CRC16.hex("123456789") == "29B1")
        #expect(CRC16.hex("00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***6304") == "1D3D")
        #expect(CRC16.hex("00020126740014br.gov.bcb.pix2552payload.psp.com/3ec9d2f9-5f03-4e0e-820d-63a81e769e875204000053039865802BR5914THALES OGLIARI6015SAO MIGUEL DO O62070503***6304") == "42C5")
    }

    @Test("valid payloads parse to their field table", arguments: vectors("valid"))
    func valid(_ vector: Vector) throws {
        let code = try PixBRCode.parse(vector.payload)
        #expect(code.kind.rawValue == vector.kind)
        #expect(code.name == vector.fields["59"])
        #expect(code.city == vector.fields["60"])
        #expect(code.key == vector.fields["26.01"])
        #expect(code.url == (vector.fields["26.25"] ?? (code.key == nil ? vector.fields["80.25"] : nil)))
        #expect(code.txid == vector.fields["62.05"])
        #expect(code.info == vector.fields["26.02"])
        #expect(code.postalCode == vector.fields["61"])
        #expect(code.singleUse == (vector.fields["01"] == "12"))
        if let amount = vector.fields["54"] {
            let cents = try #require(code.amountCents)
            #expect(String(format: "%lld.%02lld", cents / 100, cents % 100) == amount)
        } else {
            #expect(code.amountCents == nil)
        }
    }

    @Test("a CRC that verifies does not make a payload Pix", arguments: vectors("crc_ok_but_not_valid_pix"))
    func notPix(_ vector: Vector) {
        #expect(throws: PixError.self) { try PixBRCode.parse(vector.payload) }
    }

    static let invalidFields: [String: String] = [
        "bad-crc-pix-utils": "crc", "crc-missing": "crc", "nested-length-mismatch": "merchant_account",
        "mai-without-key-or-url": "merchant_account", "txid-too-long": "txid", "currency-not-brl": "currency",
        "mai-key-and-url": "merchant_account",
    ]

    @Test("invalid payloads are refused with the field at fault", arguments: vectors("invalid"))
    func invalid(_ vector: Vector) throws {
        let error = try #require(throws: PixError.self) { try PixBRCode.parse(vector.payload) }
        #expect(error.field == Self.invalidFields[vector.id], "\(error)")
        #expect(!error.message.isEmpty)
    }

    @Test("building from the vectors' inputs gives their payloads byte for byte")
    func build() throws {
        let valid = Dictionary(uniqueKeysWithValues: Self.vectors("valid").map { ($0.id, $0.payload) })
        #expect(try PixBRCode(key: "123e4567-e12b-12d1-a456-426655440000", name: "Fulano de Tal", city: "BRASILIA").payload
                == valid["bcb-manual-static-evp"])
        // Diacritics go (so lengths count bytes); case stays.
        #expect(try PixBRCode(key: "thalesog@me.com", name: "THALES OGLIARI", city: "SÃO MIGUÉL DO O", info: "Pedido 123").payload
                == valid["pix-utils-static-no-amount"])
        #expect(try PixBRCode(url: "https://payload.psp.com/3ec9d2f9-5f03-4e0e-820d-63a81e769e87", name: "THALES OGLIARI",
                              city: "SÃO MIGUÉL DO O").payload == valid["pix-utils-dynamic"])
        let amount = try PixBRCode(key: "+5511999999999", name: "LOJA EXEMPLO", city: "SAO PAULO", amountCents: 2067, txid: "BOLETO42",
                                   postalCode: "04551010", singleUse: true)
        let parsed = try PixBRCode.parse(amount.payload)
        #expect(parsed == amount)
        #expect(amount.payload.contains("540520.67"))
    }

    @Test("building refuses what a reader would refuse, naming the field")
    func buildErrors() {
        func field(_ make: () throws -> PixBRCode) -> String? {
            do { _ = try make(); return nil } catch { return (error as? PixError)?.field ?? "not a PixError" }
        }
        #expect(field { try PixBRCode(key: "k", name: String(repeating: "A", count: 26), city: "X") } == "name")
        #expect(field { try PixBRCode(key: "k", name: "A", city: String(repeating: "C", count: 16)) } == "city")
        #expect(field { try PixBRCode(key: "k", name: "A", city: "C", txid: String(repeating: "T", count: 26)) } == "txid")
        #expect(field { try PixBRCode(key: "", name: "A", city: "C") } == "key")
        #expect(field { try PixBRCode(key: "k", name: "A", city: "C", amountCents: 0) } == "amount")
        #expect(field { try PixBRCode(key: "k", name: "A", city: "C", postalCode: "123") } == "postal_code")
        #expect(field { try PixBRCode(url: "http://x.example/qr", name: "A", city: "C") } == "url")
        #expect(field { try PixBRCode(key: String(repeating: "k", count: 77), name: "A", city: "C", info: String(repeating: "i", count: 20)) } == "merchant_account")
        // The limits themselves are accepted.
        #expect(field { try PixBRCode(key: "k", name: String(repeating: "A", count: 25), city: String(repeating: "C", count: 15),
                                      amountCents: 99_999_999_999, txid: String(repeating: "T", count: 25)) } == nil)
    }

    @Test("every single-character change of a valid payload is refused or reads differently")
    func mutations() throws {
        let payload = Self.vectors("valid")[0].payload
        let original = try PixBRCode.parse(payload)
        let alphabet = Array("0123456789ABCDEFabc*.-")
        var refused = 0
        for index in payload.indices {
            for replacement in alphabet where replacement != payload[index] {
                var mutated = payload
                mutated.replaceSubrange(index...index, with: String(replacement))
                if let code = try? PixBRCode.parse(mutated) { #expect(code != original) } else { refused += 1 }
            }
        }
        #expect(refused > payload.count * (alphabet.count - 1) * 9 / 10, "the CRC catches nearly every change")
    }

    @Test("MoneyText.decimal: reais, a dot and two decimals, no grouping (the BR Code's field 54 is written with it)")
    func decimalAmounts() throws {
        #expect(MoneyText.decimal(0) == "0.00" && MoneyText.decimal(5) == "0.05" && MoneyText.decimal(50) == "0.50")
        #expect(MoneyText.decimal(123_456) == "1234.56" && MoneyText.decimal(999_999_999_999) == "9999999999.99")
        let code = try PixBRCode(key: "11222333000181", name: "Loja", city: "Sao Paulo", amountCents: 123_456)
        #expect(code.payload.contains("54071234.56"))
    }
}
