import BoletoJSON
import BoletoKit

/// One output line of a batch command written straight into memory: constant keys as they are, digits, dates and
/// integers by BoletoKit's and BoletoJSON's in-place writers, text through BoletoJSON's escaping rule. The line is
/// written into a stack buffer and appended to the output in one copy, instead of growing the output array value by
/// value (each growth a uniqueness and capacity check).
///
/// A line that would not fit in the buffer is not written at all: ``append(to:capacity:_:)`` answers false and the
/// caller writes the line the general way, so the buffer's size limits speed, never output.
struct ByteWriter {
    private let start: UnsafeMutablePointer<UInt8>
    private var cursor: UnsafeMutablePointer<UInt8>
    private let end: UnsafeMutablePointer<UInt8>
    /// Whether a write did not fit; everything after it is ignored.
    private(set) var overflowed = false

    private init(_ buffer: UnsafeMutableBufferPointer<UInt8>) {
        start = buffer.baseAddress!
        cursor = start
        end = start + buffer.count
    }

    /// Writes one line with `body` into a buffer of `capacity` bytes and appends it to `out`; answers false, with
    /// `out` unchanged, when the line did not fit.
    @inline(__always)
    static func append(to out: inout [UInt8], capacity: Int = 2048, _ body: (inout ByteWriter) -> Void) -> Bool {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { buffer in
            var writer = ByteWriter(buffer)
            body(&writer)
            guard !writer.overflowed else { return false }
            out.append(contentsOf: UnsafeBufferPointer(start: writer.start, count: writer.cursor - writer.start))
            return true
        }
    }

    /// Whether `count` more bytes fit; marks the line overflowed when not.
    @inline(__always)
    private mutating func room(_ count: Int) -> Bool {
        guard !overflowed, end - cursor >= count else {
            overflowed = true
            return false
        }
        return true
    }

    /// One byte.
    @inline(__always)
    mutating func byte(_ value: UInt8) {
        guard room(1) else { return }
        cursor.pointee = value
        cursor += 1
    }

    /// A constant's UTF-8 bytes as they are: JSON punctuation and keys, which need no escaping.
    @inline(__always)
    mutating func raw(_ text: StaticString) {
        let count = text.utf8CodeUnitCount
        guard room(count) else { return }
        cursor.update(from: text.utf8Start, count: count)
        cursor += count
    }

    /// Digits as ASCII (``Digits/writeASCII(to:at:)``), without quotes.
    @inline(__always)
    mutating func digits(_ value: Digits) {
        guard room(value.count) else { return }
        cursor += value.writeASCII(to: UnsafeMutableRawBufferPointer(start: cursor, count: value.count))
    }

    /// Digits as a JSON string.
    @inline(__always)
    mutating func quoted(_ value: Digits) {
        byte(UInt8(ascii: "\""))
        digits(value)
        byte(UInt8(ascii: "\""))
    }

    /// A line as ``DigitableLine/formatted`` prints it, as a JSON string.
    @inline(__always)
    mutating func quotedFormatted(_ line: DigitableLine) {
        let count = line.digits.count + 7
        guard room(count + 2) else { return }
        cursor.pointee = UInt8(ascii: "\"")
        cursor += 1 + line.writeFormattedASCII(to: UnsafeMutableRawBufferPointer(start: cursor + 1, count: count))
        cursor.pointee = UInt8(ascii: "\"")
        cursor += 1
    }

    /// An integer as JSON writes it.
    @inline(__always)
    mutating func int(_ value: Int64) {
        guard room(JSON.maxIntegerBytes) else { return }
        cursor += JSON.writeInteger(value, to: cursor)
    }

    /// A date as a JSON string, `"YYYY-MM-DD"` (``CalendarDate/description``).
    @inline(__always)
    mutating func quoted(_ date: CalendarDate) {
        guard room(12) else { return }
        if let written = date.writeISO(to: UnsafeMutableRawBufferPointer(start: cursor + 1, count: 10)) {
            cursor.pointee = UInt8(ascii: "\"")
            cursor[written + 1] = UInt8(ascii: "\"")
            cursor += written + 2
        } else {
            string(date.description)
        }
    }

    /// Text as a JSON string: copied whole when ``JSON/isVerbatim(_:)``, else through ``JSON/write(to:)``.
    mutating func string(_ text: String) {
        var text = text
        text.withUTF8 { quoted(utf8: $0) }
    }

    /// Printed text (a nosso número) as a JSON string, like ``string(_:)``.
    @inline(__always)
    mutating func string(_ text: PrintedText) {
        text.withUTF8 { quoted(utf8: $0) }
    }

    /// UTF-8 bytes as a JSON string.
    private mutating func quoted(utf8 bytes: UnsafeBufferPointer<UInt8>) {
        guard JSON.isVerbatim(bytes) else {
            var escaped: [UInt8] = []
            JSON.string(String(decoding: bytes, as: UTF8.self)).write(to: &escaped)
            return escaped.withUnsafeBufferPointer { copy($0) }
        }
        guard room(bytes.count + 2) else { return }
        cursor.pointee = UInt8(ascii: "\"")
        if let base = bytes.baseAddress { (cursor + 1).update(from: base, count: bytes.count) }
        cursor[bytes.count + 1] = UInt8(ascii: "\"")
        cursor += bytes.count + 2
    }

    /// Bytes already in their final form (a cached, escaped value).
    @inline(__always)
    mutating func copy(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard room(bytes.count) else { return }
        if let base = bytes.baseAddress { cursor.update(from: base, count: bytes.count) }
        cursor += bytes.count
    }
}
