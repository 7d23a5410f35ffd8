import BoletoJSON
import Foundation
import Testing

/// The ordered JSON writer that the CLI and the service answer with.
@Suite("JSON text")
struct JSONTextTests {
    @Test("escapes quotes, backslashes and control characters, keeps every other character, and keeps key order")
    func escaping() {
        let value = JSON.object([
            ("z", .string("a\"b\\c\nd\re\tf\u{01}g\u{1F}")), ("a", .string("São Paulo — ação 🧾 \u{2028}")),
            ("n", .null), ("t", .bool(true)), ("f", .bool(false)), ("e", .string("")),
        ])
        #expect(value.text == #"{"z":"a\"b\\c\nd\re\tf\u0001g\u001f","a":"São Paulo — ação 🧾 \#u{2028}","n":null,"t":true,"f":false,"e":""}"#)
        #expect(value.bytes == Array(value.text.utf8))
    }

    @Test("integers at the limits, doubles, arrays and nesting")
    func numbers() {
        #expect(JSON.array([.int(0), .int(-1), .int(7), .int(Int64.max), .int(Int64.min), .int(1_000_000)]).text
                == "[0,-1,7,9223372036854775807,-9223372036854775808,1000000]")
        #expect(JSON.object([("d", .double(1.5)), ("x", .double(.infinity)), ("o", .object([("a", .array([]))]))]).text
                == #"{"d":1.5,"x":null,"o":{"a":[]}}"#)
    }

    /// The writer's contract, scalar by scalar, as an independent oracle.
    static func reference(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20:
                let hex = String(scalar.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    @Test("random strings: the bytes are the reference escaping's",
          arguments: 0..<50)
    func randomStrings(_ seed: Int) {
        var generator = SystemRandomNumberGenerator()
        let scalars: [Unicode.Scalar] = ["a", "Z", "0", " ", "\"", "\\", "\n", "\r", "\t", "\u{0}", "\u{7}", "\u{1B}", "\u{1F}",
                                         "é", "ç", "€", "🧾", "\u{FEFF}", "/", "\u{7F}", "\u{2028}"]
        var text = ""
        for _ in 0..<64 { text.unicodeScalars.append(scalars.randomElement(using: &generator)!) }
        #expect(JSON.string(text).text == Self.reference(text))
        #expect(JSON.array([.string(text), .int(Int64(seed))]).bytes == Array("[\(Self.reference(text)),\(seed)]".utf8))
    }

    struct Inner: Encodable {
        let zeta: Int
        let alpha: String?
    }

    struct Outer: Encodable {
        let zulu = "first"
        let name: String?
        let count: Int64
        let ratio: Double?
        let flag: Bool
        let inner: Inner?
        let list: [Inner]
        let raw: JSON
        let numbers: [Int]

        enum CodingKeys: String, CodingKey {
            case zulu, name = "the_name", count, ratio, flag, inner, list, raw, numbers
        }
    }

    @Test("the Encodable writer keeps declaration order, prints nil optionals as null, and nests objects and arrays")
    func encoder() throws {
        let value = Outer(name: nil, count: -3, ratio: 0.5, flag: true, inner: Inner(zeta: 1, alpha: nil),
                          list: [Inner(zeta: 2, alpha: "b"), Inner(zeta: 3, alpha: nil)],
                          raw: .object([("y", .int(1)), ("x", .array([.null, .bool(false)]))]), numbers: [])
        #expect(try JSONValueEncoder().encode(value).text == #"{"zulu":"first","the_name":null,"count":-3,"ratio":0.5,"flag":true,"inner":{"zeta":1,"alpha":null},"list":[{"zeta":2,"alpha":"b"},{"zeta":3,"alpha":null}],"raw":{"y":1,"x":[null,false]},"numbers":[]}"#)
        let empty = Outer(name: "n", count: 0, ratio: nil, flag: false, inner: nil, list: [], raw: .null, numbers: [1, 2])
        #expect(try JSONValueEncoder().encode(empty).text == #"{"zulu":"first","the_name":"n","count":0,"ratio":null,"flag":false,"inner":null,"list":[],"raw":null,"numbers":[1,2]}"#)
        #expect(try JSONValueEncoder().encode([Inner(zeta: 9, alpha: "z")]).text == #"[{"zeta":9,"alpha":"z"}]"#)
        #expect(try JSONValueEncoder().encode("text").text == #""text""#)
    }
}

