import Foundation
import Testing

/// Text output for people (issue 15, finding 7): control characters from a file or an input never reach the
/// terminal raw, through the built binary.
@Suite("CLI: terminal-safe text")
struct TerminalOutputTests {
    @Test("cnab retorno without --json shows an ESC in a nosso número as \\u{1B}, and --json escapes it as JSON does")
    func retorno() throws {
        let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("ProvidersTests/Fixtures/cnab/retorno/brcobranca-CNAB400BRADESCO.RET")
        var bytes = Array(try Data(contentsOf: fixture))
        // The first detail's nosso número (71-82) starts 401 + 2 bytes in (the header and its CR LF); put ESC [ 2 J,
        // "clear the screen", in its first four characters.
        let detail = bytes.firstIndex(of: 0x0A)! + 1
        bytes.replaceSubrange((detail + 70)..<(detail + 74), with: [0x1B, 0x5B, 0x32, 0x4A])
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("esc-\(UUID().uuidString).ret").path
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        defer { try? FileManager.default.removeItem(atPath: path) }

        let text = try CLITests.run(["cnab", "retorno", path])
        #expect(text.status == 0, "\(text.err)")
        #expect(!text.out.utf8.contains(0x1B))
        #expect(text.out.contains("\\u{1B}[2J"))
        let json = try CLITests.run(["cnab", "retorno", "--json", path])
        #expect(!json.out.utf8.contains(0x1B))
        #expect(json.out.contains("\\u001b[2J") || json.out.contains("\\u001B[2J"))
    }

    @Test("barcode's text errors show a control character in an unknown key escaped")
    func barcodeText() throws {
        let run = try CLITests.run(["barcode", #"{"bank":"237","\u001b]0;pwned\u0007":1}"#])
        #expect(run.status == 1)
        #expect(!run.out.utf8.contains(0x1B) && !run.out.utf8.contains(0x07))
        #expect(run.out.contains("\\u{1B}]0;pwned\\u{7}"), "\(run.out)")
    }
}
