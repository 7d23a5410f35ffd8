@testable import BoletoCLI
import BoletoJSON
import Foundation
import Testing

/// The byte-level reader of plain canonical lines (`CanonicalReader`) against the general path (`JSON.parse` and
/// `CanonicalInput.decode`): whatever line it accepts must give the general path's output byte for byte, and what it
/// does not take falls back to that path.
@Suite("Canonical reader")
struct CanonicalReaderTests {
    /// `barcode --jsonl`'s output for `line` through the reader, or nil when the reader does not take it.
    static func fast(_ line: [UInt8]) -> [UInt8]? {
        line.withUnsafeBufferPointer { bytes -> [UInt8]? in
            var fields = CanonicalInput.Fields()
            guard CanonicalReader.read(bytes, into: &fields) else { return nil }
            var out: [UInt8] = []
            var issuers = IssuerCache()
            _ = Reports.appendBarcode(fields, issuers: &issuers, to: &out)
            return out
        }
    }

    /// The general path's output for `line`.
    static func general(_ line: String) -> [UInt8] {
        var out: [UInt8] = []
        _ = Reports.appendBarcode(line: line, to: &out)
        return out
    }

    static func vectorInputs() throws -> [String] {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("BoletoKitTests/Fixtures")
        var inputs: [String] = []
        for name in ["barcodes.jsonl", "extra-vectors.jsonl"] {
            let text = try String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8)
            for line in text.split(separator: "\n") {
                if let input = try JSON.parse(String(line))["input"] { inputs.append(input.text) }
            }
        }
        return inputs
    }

    @Test("every vector's input, compact and spaced out: the reader's output is the general path's")
    func vectors() throws {
        let inputs = try Self.vectorInputs()
        #expect(inputs.count > 300)
        var accepted = 0
        for compact in inputs {
            // The same object with whitespace around every token, as a pretty-printer or a hand writes it.
            let spaced = " \t" + compact.replacingOccurrences(of: ",\"", with: " ,\r\n \"")
                .replacingOccurrences(of: "\":", with: "\" :\t").replacingOccurrences(of: "{", with: "{ ")
                .replacingOccurrences(of: "}", with: " }") + " "
            for line in [compact, spaced] {
                guard let fast = Self.fast(Array(line.utf8)) else { continue }
                accepted += 1
                #expect(fast == Self.general(line), "\(line)")
            }
        }
        // The vectors without `extra` are plain: the reader must take them, or it is not the batch path.
        let plain = inputs.filter { !$0.contains("\"extra\"") }.count
        #expect(accepted == 2 * plain, "the reader took \(accepted) lines of \(plain) plain vectors (twice each)")
    }

    @Test("lines the reader leaves to the general path", arguments: [
        #"{"bank":"237","amount_cents":1.0,"due_date":null,"nosso_numero":"1"}"#,          // a fraction
        #"{"bank":"237","amount_cents":1e2,"due_date":null,"nosso_numero":"1"}"#,          // an exponent
        #"{"bank":"237","amount_cents":0100,"due_date":null,"nosso_numero":"1"}"#,         // a leading zero
        #"{"bank":"237","amount_cents":1234567890123456789,"due_date":null,"nosso_numero":"1"}"#,
        #"{"bank":"237","amount_cents":true,"due_date":null,"nosso_numero":"1"}"#,
        #"{"bank":"2\u0033\u0037","amount_cents":1,"due_date":null,"nosso_numero":"1"}"#,  // escapes
        #"{"bank":"237","bank":"341","amount_cents":1,"due_date":null,"nosso_numero":"1"}"#, // repeated key
        #"{"bank":"237","amount_cents":1,"due_date":null,"nosso_numero":"1","extra":{}}"#,
        #"{"bank":"237","amount_cents":1,"due_date":null,"nosso_numero":"1","colour":"blue"}"#,
        #"{"id":"x","input":{"bank":"237","amount_cents":1,"due_date":null,"nosso_numero":"1"}}"#,
        #"{"bank":"237","amount_cents":1,"due_date":null,"nosso_numero":"1",}"#,           // a trailing comma
        #"{"bank":"237","amount_cents":1,"due_date":null,"nosso_numero":"1"} x"#,          // trailing content
        "\u{FEFF}{\"bank\":\"237\",\"amount_cents\":1,\"due_date\":null,\"nosso_numero\":\"1\"}", // a byte-order mark
        #"{"bank":"237","amount_cents":1,"due_date":nul,"nosso_numero":"1"}"#,
        #"{"bank":"237","amount_cents":1,"due_date":null,"nosso_numero":"1 ã"}"#,          // non-ASCII
        "{\"bank\":\"237\",\"amount_cents\":1,\"due_date\":null,\"nosso_numero\":\"1\u{7F}\"}",
        "{}", "[]", "", "   ", "null",
    ])
    func leftToTheGeneralPath(line: String) {
        #expect(Self.fast(Array(line.utf8)) == nil)
    }

    @Test("values the reader takes are judged as the general path judges them")
    func sameErrors() {
        for line in [
            #"{"bank":"237","amount_cents":-5,"due_date":"2025-02-30","nosso_numero":"1"}"#,
            #"{"bank":"","amount_cents":1,"due_date":null,"nosso_numero":"1"}"#,
            #"{"bank":"37","amount_cents":1,"due_date":null,"nosso_numero":"12"}"#,
            #"{"bank":237,"amount_cents":1,"due_date":null,"nosso_numero":-1}"#,
            #"{"bank":"237","amount_cents":null,"due_date":null,"nosso_numero":"1"}"#,
            #"{"bank":"237","amount_cents":1,"nosso_numero":"1"}"#,
            #"{"bank":"237","amount_cents":1,"due_date":20250101,"nosso_numero":"1"}"#,
            #"{"bank":"237","amount_cents":-0,"due_date":null,"nosso_numero":"1","agency":"12a4","account":"1"}"#,
            #"{"amount_cents":1,"due_date":null}"#,
        ] {
            let fast = Self.fast(Array(line.utf8))
            #expect(fast != nil, "\(line)")
            #expect(fast == Self.general(line), "\(line)")
        }
    }

    @Test("40 000 mutated lines: whatever the reader accepts, it answers as the general path does")
    func mutations() throws {
        let seeds = try Self.vectorInputs().filter { !$0.contains("\"extra\"") }.prefix(40).map { Array($0.utf8) }
        // The bytes that matter to JSON and to the reader, plus a few that must never be taken.
        let alphabet = Array(#"{}[]":,\-+.0123456789eEnultrfas _"#.utf8) + [0x09, 0x0A, 0x0D, 0x00, 0x7F, 0x80, 0xC3, 0xFF]
        var random = SplitMix(seed: 20261207)
        var accepted = 0, mutatedAccepted = 0
        for round in 0..<40_000 {
            var line = seeds[round % seeds.count]
            for _ in 0..<(1 + Int(random.next() % 3)) {
                let position = Int(random.next() % UInt64(line.count + 1))
                let byte = alphabet[Int(random.next() % UInt64(alphabet.count))]
                switch random.next() % 3 {
                case 0 where position < line.count: line[position] = byte
                case 1 where position < line.count: line.remove(at: position)
                default: line.insert(byte, at: position)
                }
            }
            guard let fast = Self.fast(line) else { continue }
            accepted += 1
            if !seeds.contains(line) { mutatedAccepted += 1 }
            let text = try #require(String(validating: line, as: UTF8.self), "the reader took bytes that are not UTF-8")
            #expect(fast == Self.general(text), "\(text)")
        }
        // Enough mutated lines were still taken (whitespace, digits, changed values) for the comparison to bite.
        #expect(mutatedAccepted > 2_000, "only \(mutatedAccepted) mutated lines were taken")
        #expect(accepted >= mutatedAccepted)
    }
}

/// A small deterministic generator (SplitMix64), so the mutations are the same on every run.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
