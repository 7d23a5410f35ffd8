@testable import BoletoCLI
import BoletoJSON
import BoletoKit
import Foundation
import Testing

/// The batch commands' in-place writers (``ByteWriter``, `parse --jsonl`'s digits-only path) against the general
/// formatter, which builds a `JSON` value and prints it.
@Suite("Byte writer")
struct ByteWriterTests {
    @Test("text, integers and dates come out as JSON prints them; escapes go through JSON's rule")
    func values() throws {
        let texts = ["", "plain", "Itaú", "quote \" and \\ back", "tab\tnew\nline\u{1}", "emoji 🇧🇷", String(repeating: "x", count: 300)]
        for text in texts {
            var out: [UInt8] = []
            #expect(ByteWriter.append(to: &out) { $0.string(text) })
            #expect(out == JSON.string(text).bytes, "\(text)")
        }
        for value: Int64 in [0, 1, -1, 9, 10, 99, 100, 4_775_686, 9_999_999_999, .max, .min, .min + 1] {
            var out: [UInt8] = []
            #expect(ByteWriter.append(to: &out) { $0.int(value) })
            #expect(out == JSON.int(value).bytes, "\(value)")
        }
        for text in ["2025-02-22", "0001-01-01", "9999-12-31"] {
            let date = try #require(CalendarDate(iso: text))
            var out: [UInt8] = []
            #expect(ByteWriter.append(to: &out) { $0.quoted(date) })
            #expect(out == JSON.string(text).bytes)
        }
    }

    @Test("a line that does not fit is not written at all, and says so")
    func overflow() {
        var out: [UInt8] = Array("kept".utf8)
        let written = ByteWriter.append(to: &out, capacity: 16) { line in
            line.raw(#"{"a":"#)
            line.string("more than the sixteen bytes of this buffer")
            line.raw("}")
        }
        #expect(!written)
        #expect(out == Array("kept".utf8))
        #expect(ByteWriter.append(to: &out, capacity: 16) { $0.raw("0123456789abcdef") })
        #expect(out == Array("kept0123456789abcdef".utf8))
    }

    /// Lines of digits only: every vector's barcode and digitable line, parse fixtures, their one-digit changes and
    /// lengths that no boleto has.
    static func digitLines() throws -> [String] {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("BoletoKitTests/Fixtures")
        var lines: [String] = []
        for name in ["barcodes.jsonl", "extra-vectors.jsonl"] {
            let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") {
                let expected = try JSON.parse(String(line))["expected"]
                for key in ["barcode", "digitable_line"] {
                    if case .string(let value)? = expected?[key] { lines.append(value) }
                }
            }
        }
        let parse = try JSON.parse(String(contentsOf: fixtures.appendingPathComponent("parse.json"), encoding: .utf8))
        if case .object(let groups) = parse {
            for (_, group) in groups {
                guard case .array(let entries) = group else { continue }
                for entry in entries {
                    if case .string(let input)? = entry["input"], input.utf8.allSatisfy({ (48...57).contains($0) }) {
                        lines.append(input)
                    }
                }
            }
        }
        var changed: [String] = []
        for line in lines.prefix(60) {
            var digits = Array(line)
            let position = line.count / 2
            digits[position] = digits[position] == "5" ? "6" : "5"
            changed.append(String(digits))
            changed.append(String(line.dropLast()))
            changed.append(line + "0")
        }
        // (An empty line is a blank line, which the command skips: not a digits-only line.)
        return (lines + changed + ["0", String(repeating: "1", count: 48), String(repeating: "1", count: 49)]).filter { !$0.isEmpty }
    }

    @Test("parse --jsonl: a line of digits read from its bytes answers what the general formatter answers")
    func parseDigitsOnly() throws {
        let lines = try Self.digitLines()
        #expect(lines.count > 800)
        let today = try #require(CalendarDate(iso: "2026-12-06"))
        var valid = 0
        for line in lines {
            var out: [UInt8] = []
            let ok = Array(line.utf8).withUnsafeBufferPointer {
                ParseCommand.answer($0, &out, today: today, skipBlank: true)
            }
            let (json, expectedOK) = Reports.parse(line, today: today)
            #expect(String(decoding: out, as: UTF8.self) == json.text + "\n", "\(line)")
            #expect(ok == expectedOK, "\(line)")
            if expectedOK { valid += 1 }
        }
        // Valid lines of many banks (with and without bank_fields) and invalid ones were both compared.
        #expect(valid > 500 && valid < lines.count - 150, "\(valid) of \(lines.count) valid")
    }
}
