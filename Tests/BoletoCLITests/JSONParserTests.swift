import BoletoJSON
import Foundation
import Testing

/// The byte-level JSON reader behind the API's request bodies and the CLI's input lines.
@Suite("JSON parser")
struct JSONParserTests {
    @Test("keeps object keys in document order, duplicates included; the subscript finds the first")
    func order() throws {
        let json = try JSON.parse(#" {"b":1, "a":{"z":null,"y":[true,false]}, "b":2} "#)
        guard case .object(let pairs) = json else { Issue.record("not an object"); return }
        #expect(pairs.map(\.0) == ["b", "a", "b"])
        #expect(json["b"] == .int(1))
        #expect(json.text == #"{"b":1,"a":{"z":null,"y":[true,false]},"b":2}"#)
    }

    @Test("reads numbers as Foundation's decoder does: whole values are integers, others doubles",
          arguments: [
              ("0", JSON.int(0)), ("-0", .int(0)), ("-0.0", .int(0)), ("1.0", .int(1)), ("1e2", .int(100)),
              ("2E-3", .double(0.002)), ("1.5", .double(1.5)), ("-12.25e1", .double(-122.5)),
              ("9223372036854775807", .int(.max)), ("-9223372036854775808", .int(.min)),
              ("9223372036854775808", .double(9_223_372_036_854_775_808)), ("1e-400", .int(0)),
              ("100000000000000000000000", .double(1e23)),
          ])
    func numbers(text: String, expected: JSON) throws {
        #expect(try JSON.parse(text) == expected)
        // Foundation, an independent reader, agrees on the value.
        let foundation = try JSONSerialization.jsonObject(with: Data(text.utf8), options: .fragmentsAllowed) as? NSNumber
        switch expected {
        case .int(let value): #expect(foundation?.doubleValue == Double(value))
        case .double(let value): #expect(foundation?.doubleValue == value)
        default: Issue.record("unexpected case")
        }
    }

    @Test("decodes escapes, surrogate pairs and UTF-8")
    func strings() throws {
        #expect(try JSON.parse(#""a\"b\\c\/d\b\f\n\r\t\u00e3\u0000""#) == .string("a\"b\\c/d\u{08}\u{0C}\n\r\tã\u{0}"))
        #expect(try JSON.parse(#""\ud83e\uddfe São""#) == .string("🧾 São"))
        #expect(try JSON.parse("\"ação 🧾\"") == .string("ação 🧾"))
        #expect(try JSON.parse("\u{FEFF}{}") == .object([]))
    }

    @Test("refuses what RFC 8259 refuses, saying why and where",
          arguments: [
              ("", JSONSyntaxError.Reason.unexpectedEnd), ("[1,]", .unexpectedByte), ("{\"a\":1,}", .unexpectedByte),
              ("{a:1}", .unexpectedByte), ("01", .invalidNumber), ("1.", .unexpectedEnd), ("-", .unexpectedEnd),
              ("1e", .unexpectedEnd), ("-a", .invalidNumber), ("1E400", .invalidNumber), ("NaN", .unexpectedByte),
              ("\"a\tb\"", .controlCharacter), (#""\x""#, .invalidEscape), (#""\ud800""#, .invalidEscape),
              (#""\udc00\ud800""#, .invalidEscape), (#""\u12g4""#, .invalidEscape), ("{}x", .trailingContent),
              ("[1 2]", .unexpectedByte), ("tru", .unexpectedEnd), ("nul!", .unexpectedByte), ("\"abc", .unexpectedEnd),
              ("{\"a\" 1}", .unexpectedByte), (String(repeating: "[", count: 513), .tooDeep),
          ])
    func refusals(text: String, reason: JSONSyntaxError.Reason) {
        #expect(throws: JSONSyntaxError.self) { try JSON.parse(text) }
        do { _ = try JSON.parse(text) } catch { #expect(error.reason == reason, "\(text)") }
    }

    @Test("refuses bytes that are not UTF-8, in keys and values, with or without escapes")
    func invalidUTF8() {
        for bytes: [UInt8] in [[0x22, 0xFF, 0x22], [0x22, 0xC3, 0x28, 0x22], [0x22, 0xED, 0xA0, 0x80, 0x22],
                               [0x7B, 0x22, 0xC3, 0x22, 0x3A, 0x31, 0x7D], [0x22, 0x5C, 0x6E, 0xC3, 0x22]] {
            do {
                _ = try JSON.parse(utf8: bytes)
                Issue.record("accepted \(bytes)")
            } catch {
                #expect(error.reason == .invalidUTF8)
            }
        }
        #expect(throws: Never.self) { try JSON.parse(utf8: Array("\"ação\"".utf8)) }
    }

    @Test("nesting up to 512 deep is read")
    func depth() throws {
        let deep = String(repeating: "[", count: 512) + String(repeating: "]", count: 512)
        #expect(try JSON.parse(deep).text == deep)
    }

    @Test("what the writer prints, the parser reads back as the same value (random documents)")
    func roundTrip() throws {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<300 {
            let value = Self.randomValue(depth: 0, using: &generator)
            let parsed = try JSON.parse(value.text)
            #expect(parsed == value, "\(value.text)")
            #expect(parsed.text == value.text)
            // Foundation reads the same text to the same structure.
            let foundation = try JSONSerialization.jsonObject(with: Data(value.text.utf8), options: .fragmentsAllowed)
            #expect(Self.matches(parsed, foundation), "\(value.text)")
        }
    }

    static func randomValue(depth: Int, using generator: inout SystemRandomNumberGenerator) -> JSON {
        let scalars: [Unicode.Scalar] = ["a", "Z", "\"", "\\", "\n", "\u{01}", "ã", "€", "🧾", " ", "/", "\u{2028}"]
        func text() -> String {
            String(String.UnicodeScalarView((0..<Int.random(in: 0...8, using: &generator)).map { _ in scalars.randomElement(using: &generator)! }))
        }
        switch Int.random(in: 0...(depth > 3 ? 4 : 6), using: &generator) {
        case 0: return .null
        case 1: return .bool(Bool.random(using: &generator))
        case 2: return .int(Int64.random(in: .min ... .max, using: &generator) >> Int64.random(in: 0...63, using: &generator))
        case 3: return .double(Double(Int.random(in: -100_000...100_000, using: &generator)) + 0.5)
        case 4: return .string(text())
        case 5: return .array((0..<Int.random(in: 0...4, using: &generator)).map { _ in randomValue(depth: depth + 1, using: &generator) })
        default:
            return .object((0..<Int.random(in: 0...4, using: &generator)).map { index in
                (text() + String(index), randomValue(depth: depth + 1, using: &generator))
            })
        }
    }

    static func matches(_ json: JSON, _ object: Any) -> Bool {
        switch json {
        case .null: return object is NSNull
        case .bool(let value): return (object as? Bool) == value
        case .int(let value): return (object as? NSNumber)?.int64Value == value
        case .double(let value): return (object as? NSNumber)?.doubleValue == value
        case .string(let value): return (object as? String) == value
        case .array(let values):
            guard let array = object as? [Any], array.count == values.count else { return false }
            return zip(values, array).allSatisfy { matches($0, $1) }
        case .object(let pairs):
            guard let dictionary = object as? [String: Any], dictionary.count == pairs.count else { return false }
            return pairs.allSatisfy { key, value in dictionary[key].map { matches(value, $0) } ?? false }
        }
    }

    @Test("equality and hashing ignore key order and nothing else")
    func equality() throws {
        let a = try JSON.parse(#"{"a":1,"b":[1,{"c":"x","d":null}]}"#)
        let b = try JSON.parse(#"{"b":[1,{"d":null,"c":"x"}],"a":1}"#)
        #expect(a == b)
        #expect(a.hashValue == b.hashValue)
        #expect(a != (try JSON.parse(#"{"a":1,"b":[{"d":null,"c":"x"},1]}"#)))
        #expect(a != (try JSON.parse(#"{"a":1.5,"b":[1,{"d":null,"c":"x"}]}"#)))
        #expect(JSON.int(1) != .double(1.5))
        #expect(JSON.string("1") != .int(1))
        #expect(b.sortingKeys.text == #"{"a":1,"b":[1,{"c":"x","d":null}]}"#)
    }
}
