import BoletoCLI
import BoletoJSON
import Foundation
import Testing

/// Input the CLI refuses (issue 15, finding 6), through the built binary: a key given twice, at the top level or in
/// `extra`, and a line that is not UTF-8, each an error naming what is wrong, in the batch and the text modes.
@Suite("CLI: strict input")
struct StrictInputTests {
    static let valid = #"{"bank":"237","amount_cents":2000,"due_date":"2026-12-10","nosso_numero":"1","agency":"1467","account":"19669","wallet":"09"}"#
    /// The valid line with `amount_cents` again: the first value used to win silently.
    static let repeated = String(valid.dropLast()) + #","amount_cents":1}"#
    static let repeatedExtra = String(valid.dropLast()) + #","extra":{"posto":"1","posto":"2"}}"#
    /// A line with a byte that is not UTF-8 inside a string value.
    static let notUTF8 = Array(#"{"bank":"237","nosso_numero":"1"#.utf8) + [0xFF] + Array(#""}"#.utf8)

    static func input(_ lines: [[UInt8]]) -> [UInt8] { lines.flatMap { $0 + [0x0A] } }

    static func text(_ json: JSON?) -> String? { if case .string(let value)? = json { value } else { nil } }

    @Test("barcode --jsonl: one error line each, naming the field or the encoding; the valid line still answers")
    func barcodeBatch() throws {
        let (out, status) = try BatchStreamTests.run(["barcode", "--jsonl"], input: Self.input([
            Array(Self.valid.utf8), Array(Self.repeated.utf8), Array(Self.repeatedExtra.utf8), Self.notUTF8,
        ]))
        let lines = String(decoding: out, as: UTF8.self).split(separator: "\n").map { try? JSON.parse(String($0)) }
        #expect(status == 1)
        #expect(lines.count == 4)
        #expect(Self.text(lines[0]?["barcode"]) == "23793165600000020001467090000000000100196690")
        #expect(Self.text(lines[1]?["error"]?["field"]) == "amount_cents")
        #expect(Self.text(lines[1]?["error"]?["message"]) == "The field amount_cents appears more than once.")
        #expect(Self.text(lines[2]?["error"]?["field"]) == "extra.posto")
        #expect(lines[3]?["error"]?["field"] == .null)
        #expect(Self.text(lines[3]?["error"]?["message"]) == "The line is not valid UTF-8.")
    }

    @Test("barcode and parse without --jsonl, and parse --jsonl, refuse the same lines")
    func otherModes() throws {
        let (text, status) = try BatchStreamTests.run(["barcode"], input: Self.input([Array(Self.repeated.utf8), Self.notUTF8]))
        #expect(status == 1)
        #expect(String(decoding: text, as: UTF8.self) == """
            error (amount_cents): The field amount_cents appears more than once.

            error: The line is not valid UTF-8.

            """)
        let (parsed, parseStatus) = try BatchStreamTests.run(["parse", "--jsonl", "--today", "2026-12-07"],
                                                             input: Self.input([Array("2379".utf8) + [0xFF]]))
        #expect(parseStatus == 1)
        let answer = try JSON.parse(String(decoding: parsed, as: UTF8.self).trimmingCharacters(in: .newlines))
        #expect(answer["valid"] == .bool(false))
        #expect(Self.text(answer["error"]?["message"]) == "The input is not valid UTF-8.")
        let (parseText, _) = try BatchStreamTests.run(["parse", "--today", "2026-12-07"], input: Self.input([Array("2379".utf8) + [0xFF]]))
        #expect(String(decoding: parseText, as: UTF8.self) == "error: The line is not valid UTF-8.\n")
    }
}
