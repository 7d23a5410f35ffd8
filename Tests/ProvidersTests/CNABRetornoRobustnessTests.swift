import BoletoKit
import Foundation
import Providers
import Testing

/// What real files carry (BOM, CRLF or LF, trimmed lines, no final newline) reads the same; what is broken is a
/// warning with its line or an error, and never a crash.
@Suite("CNAB retorno: tolerance and strictness")
struct CNABRetornoRobustnessTests {
    static func bytes(_ name: String) throws -> [UInt8] { try CNABRetornoTests.fixture(name).bytes }

    /// The file's records as bytes, without line ends (split on bytes: Swift's strings see CRLF as one character).
    static func lines(_ bytes: [UInt8]) -> [[UInt8]] {
        bytes.split(separator: 0x0A, omittingEmptySubsequences: true).map { Array($0.filter { $0 != 0x0D }) }
    }

    @Test("a BOM, LF instead of CRLF, right-trimmed lines and no final newline change nothing", arguments: [
        "brcobranca-CNAB400BRADESCO.RET", "laravel-boleto-cnab240-caixa.ret", "brcobranca-CNAB240SICREDI.CRT",
    ])
    func tolerance(_ name: String) throws {
        let original = try CNABRetornoReader.read(try Self.bytes(name))
        let lines = Self.lines(try Self.bytes(name))
        let variants: [[UInt8]] = [
            [0xEF, 0xBB, 0xBF] + Array(lines.joined(separator: [0x0D, 0x0A])) + [0x0D, 0x0A],
            Array(lines.joined(separator: [0x0A])),
            Array(lines.map { line in Array(line.reversed().drop { $0 == 0x20 }.reversed()) }.joined(separator: [0x0A])) + [0x0A],
        ]
        for variant in variants {
            let read = try CNABRetornoReader.read(variant)
            #expect(read.titles == original.titles)
            #expect(read.warnings == original.warnings)
        }
    }

    @Test("a cut file warns that the trailer is missing and keeps the titles it read")
    func truncated() throws {
        let lines = Self.lines(try Self.bytes("brcobranca-CNAB400ITAU.RET"))
        let cut = Array(lines.prefix(11).joined(separator: [0x0A]))
        let read = try CNABRetornoReader.read(cut)
        #expect(read.titles.count == 10)
        #expect(read.warnings == [CNABWarning(line: 11, message: "the file has no trailer (type 9): it may be cut short.")])
    }

    @Test("a trailer whose totals do not match the titles is a warning on its line")
    func trailerMismatch() throws {
        var lines = Self.lines(try Self.bytes("brcobranca-CNAB400ITAU.RET"))
        lines.remove(at: 5)
        for index in 5..<lines.count {
            let sequence = Array(String(format: "%06d", index + 1).utf8)
            lines[index].replaceSubrange(394..<400, with: sequence)
        }
        let read = try CNABRetornoReader.read(Array(lines.joined(separator: [0x0A])))
        #expect(read.titles.count == 51)
        #expect(read.warnings.count == 1)
        #expect(read.warnings.first?.line == 53)
        #expect(read.warnings.first?.message.hasPrefix("the trailer counts 52 titles worth 268896 cents; the file holds 51 worth") == true)
    }

    @Test("a record type out of place, a bad amount and a date that does not exist are warnings with their lines")
    func badRecords() throws {
        var lines = Self.lines(try Self.bytes("brcobranca-CNAB400BRADESCO.RET"))
        lines[1].replaceSubrange(152..<165, with: Array("00000ABC45000".utf8))   // valor do título, 153-165
        lines[2].replaceSubrange(146..<152, with: Array("310215".utf8))          // vencimento 31/02/15
        lines[3][0] = UInt8(ascii: "7")                                            // no type-7 record at Bradesco
        let read = try CNABRetornoReader.read(Array(lines.joined(separator: [0x0D, 0x0A])))
        #expect(read.titles.count == 5)
        #expect(read.warnings.map(\.description) == [
            "line 2: faceValue (153-165) is not an amount.",
            "line 3: dueDate (147-152) is not a date.",
            "line 4: record type 7 is not part of bank 237's CNAB 400 retorno; ignored.",
        ])
    }

    @Test("what is not a retorno is an error that says what it is", arguments: [
        ("", "The file is empty."),
        ("hello\n", "line 1: The first line is neither a CNAB 400 retorno header (02RETORNO) nor a CNAB 240 file header (lote 0000, type 0)."),
        ("01REMESSA01COBRANCA\n", "line 1: This is a remessa file, not a retorno."),
    ])
    func notRetorno(_ text: String, _ message: String) {
        #expect(throws: CNABError.self) { try CNABRetornoReader.read(Array(text.utf8)) }
        do { _ = try CNABRetornoReader.read(Array(text.utf8)) } catch { #expect(error.description == message) }
    }

    @Test("a bank with no layout is an error naming the banks there are")
    func unknownBank() throws {
        var bytes = try Self.bytes("brcobranca-CNAB400BRADESCO.RET")
        bytes.replaceSubrange(76..<79, with: Array("999".utf8))
        do {
            _ = try CNABRetornoReader.read(bytes)
            Issue.record("bank 999 was read")
        } catch {
            #expect(error.description == "line 1: Bank 999 has no CNAB 400 retorno layout here (there are: 033, 237, 341).")
        }
        // --bank names the layout when the header is wrong.
        #expect(try CNABRetornoReader.read(bytes, bank: "237").titles.count == 6)
    }

    /// Mutations per fixture: 7 fixtures × 1000 = 7000 reads per run (docs/cnab.md records the figures).
    static let mutationsPerFixture = 1000

    @Test("random mutations of every fixture never crash or hang the reader, and what it returns is consistent",
          .timeLimit(.minutes(1)), arguments: CNABRetornoTests.fixtures)
    func mutations(_ name: String) throws {
        let original = try Self.bytes(name)
        var generator = SplitMix64(seed: UInt64(truncatingIfNeeded: name.hashValue & 0x7FFF_FFFF) | 1)
        let alphabet = Array("0123456789 ABCTUPZ\r\n\u{00}\u{FF}".utf8)
        var read = 0, rejected = 0
        for _ in 0..<Self.mutationsPerFixture {
            var bytes = original
            for _ in 0..<Int(generator.next() % 12 + 1) {
                guard !bytes.isEmpty else { break }
                let index = Int(generator.next() % UInt64(bytes.count))
                switch generator.next() % 4 {
                case 0: bytes[index] = alphabet[Int(generator.next() % UInt64(alphabet.count))]
                case 1: bytes.remove(at: index)
                case 2: bytes.insert(alphabet[Int(generator.next() % UInt64(alphabet.count))], at: index)
                default: bytes = Array(bytes.prefix(index))
                }
            }
            // Either an error or a result. A result never claims more titles than the file has lines, and every
            // warning and title points at a line of the file.
            do {
                let retorno = try CNABRetornoReader.read(bytes)
                let lines = bytes.filter { $0 == 0x0A }.count + 1
                #expect(retorno.titles.count <= lines)
                #expect(retorno.titles.allSatisfy { (1...lines).contains($0.line) })
                #expect(retorno.warnings.allSatisfy { (0...lines).contains($0.line) })
                read += 1
            } catch {
                rejected += 1
            }
        }
        #expect(read + rejected == Self.mutationsPerFixture)
    }
}

/// A small deterministic generator, so a failing mutation can be replayed.
struct SplitMix64 {
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
