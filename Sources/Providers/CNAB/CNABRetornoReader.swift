import BoletoKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads retorno files: detects the format (240 or 400) and the bank, and hands the records to the bank's layout.
///
/// Tolerant of what real files carry: a UTF-8 byte-order mark, CRLF or LF, right-trimmed lines (padded back with
/// spaces), and a missing final newline. Strict on structure: record types out of place, lines longer than the
/// format, sequence numbers, T/U pairing and trailer counts and totals are checked, and each problem is a
/// ``CNABWarning`` with its line. A file that is not a retorno at all is a ``CNABError``. Nothing here crashes on
/// bad input.
public enum CNABRetornoReader {
    /// The CNAB 400 layouts, by bank.
    public static let layouts400: [String: CNAB400RetornoLayout] = [
        "237": .bradesco, "341": .itau, "033": .santander,
    ]
    /// The CNAB 240 layouts, by bank.
    public static let layouts240: [String: CNAB240RetornoLayout] = [
        "001": .bancoDoBrasil, "104": .caixa, "033": .santander, "756": .sicoob, "748": .sicredi,
    ]

    /// Reads `bytes`. `bank` overrides the bank the header names (for files whose header is wrong).
    public static func read(_ bytes: [UInt8], bank: String? = nil) throws(CNABError) -> CNABRetorno {
        var warnings: [CNABWarning] = []
        let rawLines = lines(of: bytes)
        guard let first = rawLines.first else { throw CNABError(line: 0, "The file is empty.") }
        let format = try detect(first.bytes)
        let width = format == .cnab400 ? 400 : 240
        var records: [CNABLine] = []
        records.reserveCapacity(rawLines.count)
        for raw in rawLines {
            if raw.bytes.isEmpty {
                warnings.append(CNABWarning(line: raw.number, message: "an empty line is ignored."))
                continue
            }
            if raw.bytes.count > width {
                warnings.append(CNABWarning(line: raw.number, message: "the line has \(raw.bytes.count) characters; CNAB \(format.rawValue) records have \(width). The rest is ignored."))
            }
            records.append(CNABLine(number: raw.number, bytes: raw.bytes, width: width))
        }
        let header = records[0]
        switch format {
        case .cnab400:
            let named = header.text(CNABField("bank", 77, 79))
            let code = bank ?? named
            guard let layout = layouts400[code] else {
                throw CNABError(line: header.number, "Bank \(code) has no CNAB 400 retorno layout here (there are: \(layouts400.keys.sorted().joined(separator: ", "))).")
            }
            let titles = layout.read(records, warnings: &warnings)
            return CNABRetorno(bank: code, format: .cnab400, fileDate: header.date(CNABField("fileDate", 95, 100, .dateDDMMAA), &warnings),
                               beneficiary: .read(header, layout.header), titles: titles, warnings: warnings.sorted { $0.line < $1.line })
        case .cnab240:
            let named = header.text(CNABField("bank", 1, 3))
            let code = bank ?? named
            guard let layout = layouts240[code] else {
                throw CNABError(line: header.number, "Bank \(code) has no CNAB 240 retorno layout here (there are: \(layouts240.keys.sorted().joined(separator: ", "))).")
            }
            if header.character(at: 143) != "2" {
                warnings.append(CNABWarning(line: header.number, message: "the file header's code (143) is \(header.character(at: 143)), not 2 (retorno)."))
            }
            let titles = layout.read(records, warnings: &warnings)
            return CNABRetorno(bank: code, format: .cnab240, fileDate: header.date(CNABField("fileDate", 144, 151, .dateDDMMAAAA), &warnings),
                               beneficiary: .read(header, layout.header), titles: titles, warnings: warnings.sorted { $0.line < $1.line })
        }
    }

    /// The format of a file whose first line is `first`: a CNAB 400 retorno header starts `02RETORNO` (or `02` and
    /// is 400 wide); a CNAB 240 file header has lote `0000` and record type `0`.
    static func detect(_ first: ArraySlice<UInt8>) throws(CNABError) -> CNABFormat {
        let text = Array(first.prefix(9))
        if text.starts(with: Array("01REMESSA".utf8))
            || (text.count >= 8 && Array(text[3..<8]) == Array("00000".utf8) && first.count >= 143 && first[first.startIndex + 142] == 0x31) {
            throw CNABError(line: 1, "This is a remessa file, not a retorno.")
        }
        if text.starts(with: Array("02RETORNO".utf8)) || (text.starts(with: Array("02".utf8)) && first.count >= 395) {
            return .cnab400
        }
        if text.count >= 8, Array(text[3..<8]) == Array("00000".utf8), text[0..<3].allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
            return .cnab240
        }
        throw CNABError(line: 1, "The first line is neither a CNAB 400 retorno header (02RETORNO) nor a CNAB 240 file header (lote 0000, type 0).")
    }

    /// The file's lines, numbered from 1: a UTF-8 BOM dropped, split at LF, a CR before it dropped, and the empty
    /// line after a final newline left out.
    static func lines(of bytes: [UInt8]) -> [(number: Int, bytes: ArraySlice<UInt8>)] {
        var start = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var result: [(number: Int, bytes: ArraySlice<UInt8>)] = []
        result.reserveCapacity(bytes.count / 240 + 1)
        var number = 1
        bytes.withUnsafeBufferPointer { buffer in
            guard let base = buffer.baseAddress else { return }
            while start < buffer.count {
                let found = memchr(base + start, 0x0A, buffer.count - start)
                let end = found.map { UnsafePointer($0.assumingMemoryBound(to: UInt8.self)) - base } ?? buffer.count
                var lineEnd = end
                if lineEnd > start && base[lineEnd - 1] == 0x0D { lineEnd -= 1 }
                result.append((number, bytes[start..<lineEnd]))
                number += 1
                start = end + 1
            }
        }
        return result
    }
}
