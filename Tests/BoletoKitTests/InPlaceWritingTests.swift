import BoletoKit
import Foundation
import Testing

/// The allocation-free byte paths (digits, the printed line, dates, printed text written into caller buffers; digits
/// and dates read from bytes) against their `String` counterparts and against independent references.
@Suite("In-place writing and reading")
struct InPlaceWritingTests {
    /// Random digit runs of every length the type holds, with a fixed seed.
    static func runs() -> [String] {
        var state: UInt64 = 20261207
        func digit() -> Character {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Character(String((state >> 33) % 10))
        }
        var runs: [String] = []
        for length in 0...Digits.capacity {
            for _ in 0..<20 { runs.append(String((0..<length).map { _ in digit() })) }
        }
        return runs
    }

    @Test("writeASCII writes every length's digits at any offset, and nothing outside them")
    func writeASCII() throws {
        for text in Self.runs() {
            let digits = try #require(Digits(text))
            for offset in [0, 1, 7] {
                var buffer = [UInt8](repeating: UInt8(ascii: "#"), count: offset + digits.count + 9)
                let end = buffer.withUnsafeMutableBytes { digits.writeASCII(to: $0, at: offset) }
                #expect(end == offset + digits.count)
                #expect(Array(buffer[offset..<end]) == Array(text.utf8))
                #expect(buffer[..<offset].allSatisfy { $0 == UInt8(ascii: "#") })
                #expect(buffer[end...].allSatisfy { $0 == UInt8(ascii: "#") })
            }
        }
    }

    @Test("Digits(_:width:) is the number's decimal text, zero-padded, for every width (16 or fewer digits are built in registers)")
    func digitsOfNumbers() throws {
        let values: [Int64] = [0, 1, 9, 10, 99, 12_345_678, 99_999_999, 100_000_000, 75_896_452_123, 9_999_999_999_999_999,
                               .max]
        for value in values {
            let text = String(value)
            for width in text.count...Digits.capacity {
                let expected = try #require(Digits(String(repeating: "0", count: width - text.count) + text))
                #expect(Digits(value, width: width) == expected, "\(value) width \(width)")
                #expect(Digits(value, width: width).description == expected.description)
            }
        }
    }

    @Test("Digits(ascii:) reads what Digits(_:) reads, and refuses what it refuses")
    func digitsFromBytes() {
        for text in Self.runs() + ["12a", " 1", "1 ", "-1", String(repeating: "1", count: 49), "١٢"] {
            let fromBytes = Array(text.utf8).withUnsafeBufferPointer { Digits(ascii: $0) }
            #expect(fromBytes == Digits(text), "\(text)")
        }
    }

    @Test("writeFormattedASCII is the printed line: groups 5.5 5.6 5.6 1 14, separated as FEBRABAN prints them")
    func formattedLine() throws {
        for text in Self.runs() where text.count == 47 {
            let line = DigitableLine(unchecked: try #require(Digits(text)))
            // Reference: the separators inserted by position, independently of the writer.
            let chars = Array(text)
            let expected = String(chars[0..<5]) + "." + String(chars[5..<10]) + " " + String(chars[10..<15]) + "."
                + String(chars[15..<21]) + " " + String(chars[21..<26]) + "." + String(chars[26..<32]) + " "
                + String(chars[32]) + " " + String(chars[33...])
            #expect(line.formatted == expected)
            var buffer = [UInt8](repeating: 0, count: 60)
            let end = buffer.withUnsafeMutableBytes { line.writeFormattedASCII(to: $0, at: 3) }
            #expect(end == 3 + 54)
            #expect(String(decoding: buffer[3..<end], as: UTF8.self) == expected)
        }
    }

    @Test("dates: isoUTF8 reads what iso reads; writeISO writes description's bytes")
    func dates() throws {
        for text in ["2025-02-22", "2000-02-29", "0001-01-01", "9999-12-31", "2025-02-29", "2025-13-01", "2025-1-01",
                     "2025/01/01", "20250101", "2025-01-0a", "", "2025-01-011"] {
            let fromBytes = Array(text.utf8).withUnsafeBufferPointer { CalendarDate(isoUTF8: $0) }
            #expect(fromBytes == CalendarDate(iso: text), "\(text)")
            if let date = fromBytes {
                var buffer = [UInt8](repeating: 0, count: 12)
                let end = buffer.withUnsafeMutableBytes { date.writeISO(to: $0, at: 2) }
                #expect(end == 12)
                #expect(String(decoding: buffer[2...], as: UTF8.self) == text)
            }
        }
        for day in stride(from: -800_000, through: 2_900_000, by: 997) {
            let date = CalendarDate(daysSinceUnixEpoch: day)
            var buffer = [UInt8](repeating: 0, count: 10)
            if let end = buffer.withUnsafeMutableBytes({ date.writeISO(to: $0) }) {
                #expect(end == 10)
                #expect(String(decoding: buffer, as: UTF8.self) == date.description)
            } else {
                #expect(date.year > 9999 || date.year < 0, "\(date)")
            }
        }
    }

    @Test("parse(digits:), isValid(digits:) and isValid(utf8:) answer what parse(_:) and isValid(_:) answer for the same input")
    func parseDigits() throws {
        let boleto = try Boleto(Samples.input(bank: "237", seed: 7))
        var inputs = [boleto.digitableLine.description, boleto.barcode.description,
                      "836400000011331201380002812884627116080136181551", "", "0", String(repeating: "9", count: 48),
                      String(repeating: "8", count: 48), String(repeating: "8", count: 44)]
        // Every single-digit change of the line: field and general DV failures.
        let line = Array(boleto.digitableLine.description)
        for position in line.indices {
            var changed = line
            changed[position] = changed[position] == "0" ? "1" : "0"
            inputs.append(String(changed))
        }
        // isValid(utf8:) on text of any shape, including 47 bytes that are not 47 digits.
        let barcode = boleto.barcode.description
        let spaced = String(barcode.prefix(10)) + " " + String(barcode.dropFirst(10).prefix(10)) + " "
            + String(barcode.dropFirst(20).prefix(10)) + " " + String(barcode.dropFirst(30))
        for text in inputs + [spaced, boleto.digitableLine.formatted, String(repeating: "x", count: 47), "é" + String(line.dropFirst(2))] {
            #expect(Array(text.utf8).withUnsafeBufferPointer { BoletoParser.isValid(utf8: $0) } == BoletoParser.isValid(text), "\(text)")
        }
        #expect(spaced.utf8.count == 47 && BoletoParser.isValid(spaced))
        for text in inputs {
            let digits = try #require(Digits(text))
            #expect(BoletoParser.isValid(digits: digits) == BoletoParser.isValid(text), "\(text)")
            #expect(Self.outcome { () throws(BoletoError) in try BoletoParser.parse(digits: digits) }
                        == Self.outcome { () throws(BoletoError) in try BoletoParser.parse(text) }, "\(text)")
        }
    }

    static func outcome(_ body: () throws(BoletoError) -> ParsedBoleto) -> Result<ParsedBoleto, BoletoError> {
        do throws(BoletoError) { return .success(try body()) } catch { return .failure(error) }
    }

    @Test("PrintedText.withUTF8 hands out description's bytes")
    func printedText() throws {
        for bank in Banks.all.map(\.code) {
            for seed in 0..<20 {
                let boleto = try Boleto(Samples.input(bank: bank, seed: seed))
                #expect(boleto.printedNossoNumero.withUTF8 { Array($0) } == Array(boleto.nossoNumero.utf8))
            }
        }
    }
}
