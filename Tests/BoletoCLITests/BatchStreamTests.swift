import BoletoCLI
import BoletoJSON
import BoletoKit
import Foundation
import Testing

/// The streaming batch path of `barcode --jsonl` and `parse --jsonl` (block reads, one reused output buffer): the
/// same bytes as the per-line formatter, whatever the line endings and sizes.
@Suite("Batch stream")
struct BatchStreamTests {
    /// Runs the built binary with a file as standard input (pipes would fill up with outputs this large).
    static func run(_ arguments: [String], input: [UInt8]) throws -> (out: [UInt8], status: Int32) {
        guard let binary = CLITests.executable else { throw CLIError.missingExecutable }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("batch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let inURL = directory.appendingPathComponent("in"), outURL = directory.appendingPathComponent("out")
        try Data(input).write(to: inURL)
        #expect(FileManager.default.createFile(atPath: outURL.path, contents: nil))
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        process.standardInput = try FileHandle(forReadingFrom: inURL)
        process.standardOutput = try FileHandle(forWritingTo: outURL)
        try process.run()
        process.waitUntilExit()
        return (Array(try Data(contentsOf: outURL)), process.terminationStatus)
    }

    /// Lines as this test splits them, independently of the command: on `\n`, a trailing `\r` dropped, the last
    /// line kept without a newline.
    static func lines(_ input: [UInt8]) -> [String] {
        var parts = input.split(separator: 0x0A, omittingEmptySubsequences: false).map { Array($0) }
        if parts.last?.isEmpty == true { parts.removeLast() }
        return parts.map { String(decoding: $0.last == 0x0D ? $0.dropLast() : $0[...], as: UTF8.self) }
    }

    @Test("barcode --jsonl, on one core and with --jobs: byte for byte the per-line formatter's output over 40 000 lines with CRLF, blanks, bad lines and no final newline")
    func barcodeBytes() throws {
        var input: [UInt8] = []
        for index in 0..<40_000 {
            let line: String
            switch index % 10 {
            case 3: line = "{\"bank\":\"237\",\"amount_cents\":\(index)}"           // missing fields
            case 5: line = "   "                                                   // blank: skipped
            case 7: line = "not json \(index)"
            case 9:                                                            // a vector-file line: its id is echoed
                line = #"{"id":"v\"\#(index)","input":"# + (index % 20 == 9 ? CLITests.bradescoJSON : #"{"bank":"999"}"#) + "}"
            default:
                line = CLITests.bradescoJSON.replacingOccurrences(of: "75896452", with: String(10_000_000 + index))
                    .replacingOccurrences(of: "295295", with: String(index + 1))
            }
            input += Array(line.utf8) + (index % 4 == 0 ? [0x0D, 0x0A] : [0x0A])
        }
        input += Array(CLITests.bradescoJSON.utf8)                                 // no final newline
        var expected: [UInt8] = []
        var allOK = true
        for line in Self.lines(input) where !line.allSatisfy(\.isWhitespace) {
            let (json, ok) = Reports.barcode(line: line)
            expected += Array(json.text.utf8) + [0x0A]
            allOK = allOK && ok
        }
        // --jobs 2 answers the 40 000 lines in three rounds of two chunks of 8192 at most; --jobs 7, one round.
        for jobs in [[], ["--jobs", "2"], ["--jobs", "7"]] {
            let (out, status) = try Self.run(["barcode", "--jsonl"] + jobs, input: input)
            #expect(out.count > 1 << 20, "the output spans many flushes")
            #expect(out == expected, "\(jobs)")
            #expect(status == (allOK ? 0 : 1))
            #expect(status == 1)
        }
        // Lines that all succeed exit 0 with --jobs too.
        let good = Array(String(repeating: CLITests.bradescoJSON + "\n", count: 20_000).utf8)
        #expect(try Self.run(["barcode", "--jsonl", "--jobs", "2"], input: good).status == 0)
    }

    @Test("--jobs outside 1...256 is refused before any input is read", arguments: ["0", "-1", "257", "x"])
    func badJobs(jobs: String) throws {
        for command in [["barcode", "--jsonl"], ["parse", "--jsonl"]] {
            let (out, status) = try Self.run(command + ["--jobs", jobs], input: Array(CLITests.bradescoJSON.utf8))
            #expect(out.isEmpty)
            #expect(status == 64)
        }
    }

    @Test("a line longer than 1 MiB is one error line, and the lines around it are still answered")
    func longLine() throws {
        let good = Array(CLITests.bradescoJSON.utf8)
        let input = good + [0x0A] + Array(repeating: UInt8(ascii: "a"), count: 3 << 20) + [0x0A] + good + [0x0A]
        for jobs in [[], ["--jobs", "2"]] {
            let (out, status) = try Self.run(["barcode", "--jsonl"] + jobs, input: input)
            let outLines = String(decoding: out, as: UTF8.self).split(separator: "\n").map(String.init)
            #expect(outLines.count == 3)
            #expect(outLines[0] == outLines[2])
            #expect(outLines[1].contains("longer than 1048576 bytes"))
            #expect(status == 1)
        }
        let parsed = try Self.run(["parse", "--jsonl", "--today", "2026-12-06"], input: Array(repeating: UInt8(ascii: "1"), count: 2 << 20))
        let parsedText = String(decoding: parsed.out, as: UTF8.self)
        #expect(parsedText.hasPrefix(#"{"valid":false,"error":{"block":null,"message":"The input is longer than"#))
        #expect(parsedText.split(separator: "\n").count == 1)
        #expect(parsed.status == 1)
    }

    @Test("an input that cannot be read stops the command with exit code 74 and a message, not a partial answer")
    func unreadableInput() throws {
        guard let binary = CLITests.executable else { throw CLIError.missingExecutable }
        let process = Process()
        process.executableURL = binary
        process.arguments = ["barcode", "--jsonl"]
        // A directory opens for reading, and every read of it fails (EISDIR).
        process.standardInput = try #require(FileHandle(forReadingAtPath: FileManager.default.temporaryDirectory.path))
        let output = Pipe(), error = Pipe()
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 74)
        #expect(out.isEmpty)
        #expect(String(decoding: err, as: UTF8.self).contains("cannot read standard input"))
    }

    @Test("parse --jsonl: byte for byte the per-line formatter's output, CRLF and surrounding blanks (ASCII and Unicode) trimmed")
    func parseBytes() throws {
        let generated = try Self.run(["barcode", "--jsonl"], input: Array((0..<2_000).map { index in
            CLITests.bradescoJSON.replacingOccurrences(of: "75896452", with: String(10_000_000 + index)) + "\n"
        }.joined().utf8))
        var input: [UInt8] = []
        for (index, line) in String(decoding: generated.out, as: UTF8.self).split(separator: "\n").enumerated() {
            guard case .string(let digitable)? = (try JSON.parse(String(line)))["digitable_line"] else {
                Issue.record("no digitable_line in \(line)")
                return
            }
            var text = index % 3 == 0 ? "  " + digitable + " \r" : index % 3 == 1 ? digitable : "\"" + digitable + "\""
            if index % 7 == 0 { text = "\u{00A0}" + text + "\u{2003}" }      // Unicode spaces are trimmed too
            input += Array(text.utf8) + [0x0A]
            if index % 50 == 0 { input += Array("\n0000\n".utf8) }
        }
        var expected: [UInt8] = []
        let today = try #require(CalendarDate(iso: "2026-12-06"))
        for raw in Self.lines(input) {
            let line = Reports.parseInput(raw.trimmingCharacters(in: .whitespacesAndNewlines))
            if line.isEmpty { continue }
            expected += Array(Reports.parse(line, today: today).json.text.utf8) + [0x0A]
        }
        for jobs in [[], ["--jobs", "2"]] {
            let (out, _) = try Self.run(["parse", "--jsonl", "--today", "2026-12-06"] + jobs, input: input)
            #expect(out == expected, "\(jobs)")
        }
    }
}
