/// Why a JSON text could not be parsed, and where (a byte offset into the text).
public struct JSONSyntaxError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Reason: String, Sendable {
        case unexpectedEnd = "the text ends inside a value"
        case unexpectedByte = "an unexpected character"
        case invalidNumber = "a malformed or out-of-range number"
        case invalidEscape = "an invalid escape sequence"
        case invalidUTF8 = "bytes that are not UTF-8"
        case controlCharacter = "a control character inside a string"
        case tooDeep = "values nested more than 512 deep"
        case trailingContent = "content after the value"
    }

    public let reason: Reason
    /// The offset of the first byte that could not be read.
    public let offset: Int

    public var description: String { "invalid JSON at byte \(offset): \(reason.rawValue)" }
}

extension JSON {
    /// Parses one JSON document (RFC 8259).
    ///
    /// Objects keep their keys in document order, duplicates included (``subscript(_:)`` finds the first), so a
    /// reader can refuse a repeated key. Numbers without a fraction or exponent that fit `Int64` are `.int`; so is
    /// a number with a fraction or exponent whose value is a whole number inside `Int64` (`1.0`, `1e2`), as
    /// Foundation's decoder reads them. Other numbers are `.double`; one that overflows `Double` is an error. Strict
    /// where RFC 8259 is: no trailing commas, no comments, no leading zeros, no control characters or lone
    /// surrogates in strings, UTF-8 only. A leading byte-order mark is skipped.
    public static func parse(_ text: String) throws(JSONSyntaxError) -> JSON {
        var text = text
        return try text.withUTF8 { bytes in Result { () throws(JSONSyntaxError) in try parse(utf8: bytes) } }.get()
    }

    /// Parses one JSON document from UTF-8 bytes, rejecting bytes that are not UTF-8.
    public static func parse(utf8 bytes: UnsafeBufferPointer<UInt8>) throws(JSONSyntaxError) -> JSON {
        var parser = JSONParser(bytes)
        return try parser.document()
    }

    /// Parses one JSON document from UTF-8 bytes.
    public static func parse(utf8 bytes: [UInt8]) throws(JSONSyntaxError) -> JSON {
        try bytes.withUnsafeBufferPointer { buffer in Result { () throws(JSONSyntaxError) in try parse(utf8: buffer) } }.get()
    }
}

/// A recursive-descent reader over UTF-8 bytes.
private struct JSONParser {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    var depth = 0
    /// Scratch space for strings with escapes.
    var scratch: [UInt8] = []

    static let maxDepth = 512

    init(_ bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    func fail(_ reason: JSONSyntaxError.Reason, at offset: Int? = nil) -> JSONSyntaxError {
        JSONSyntaxError(reason: reason, offset: offset ?? index)
    }

    mutating func document() throws(JSONSyntaxError) -> JSON {
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { index = 3 }
        let value = try self.value()
        skipWhitespace()
        guard index == bytes.count else { throw fail(.trailingContent) }
        return value
    }

    mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case 0x20, 0x0A, 0x0D, 0x09: index += 1
            default: return
            }
        }
    }

    mutating func value() throws(JSONSyntaxError) -> JSON {
        skipWhitespace()
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        switch bytes[index] {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw fail(.unexpectedByte)
        }
    }

    mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let count = word.utf8CodeUnitCount
        guard index + count <= bytes.count else { throw fail(.unexpectedEnd) }
        for offset in 0..<count where bytes[index + offset] != word.utf8Start[offset] {
            throw fail(.unexpectedByte, at: index + offset)
        }
        index += count
    }

    mutating func expect(_ byte: UInt8) throws(JSONSyntaxError) {
        skipWhitespace()
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        guard bytes[index] == byte else { throw fail(.unexpectedByte) }
        index += 1
    }

    /// Whether the next non-blank byte is `byte`, consuming it when it is.
    mutating func take(_ byte: UInt8) throws(JSONSyntaxError) -> Bool {
        skipWhitespace()
        guard index < bytes.count else { throw fail(.unexpectedEnd) }
        guard bytes[index] == byte else { return false }
        index += 1
        return true
    }

    mutating func object() throws(JSONSyntaxError) -> JSON {
        depth += 1
        guard depth <= Self.maxDepth else { throw fail(.tooDeep) }
        defer { depth -= 1 }
        index += 1
        var pairs: [(String, JSON)] = []
        if try take(UInt8(ascii: "}")) { return .object(pairs) }
        repeat {
            skipWhitespace()
            guard index < bytes.count else { throw fail(.unexpectedEnd) }
            guard bytes[index] == UInt8(ascii: "\"") else { throw fail(.unexpectedByte) }
            let key = try string()
            try expect(UInt8(ascii: ":"))
            pairs.append((key, try value()))
        } while try take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "}"))
        return .object(pairs)
    }

    mutating func array() throws(JSONSyntaxError) -> JSON {
        depth += 1
        guard depth <= Self.maxDepth else { throw fail(.tooDeep) }
        defer { depth -= 1 }
        index += 1
        var values: [JSON] = []
        if try take(UInt8(ascii: "]")) { return .array(values) }
        repeat {
            values.append(try value())
        } while try take(UInt8(ascii: ","))
        try expect(UInt8(ascii: "]"))
        return .array(values)
    }

    /// A string starting at the opening quote. Runs without escapes are copied whole.
    mutating func string() throws(JSONSyntaxError) -> String {
        index += 1
        let start = index
        var ascii = true
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                let run = UnsafeBufferPointer(rebasing: bytes[start..<index])
                index += 1
                if ascii { return String(decoding: run, as: UTF8.self) }
                guard let text = String(validating: run, as: UTF8.self) else { throw fail(.invalidUTF8, at: start) }
                return text
            }
            if byte == UInt8(ascii: "\\") { return try escapedString(from: start) }
            if byte < 0x20 { throw fail(.controlCharacter) }
            if byte >= 0x80 { ascii = false }
            index += 1
        }
        throw fail(.unexpectedEnd)
    }

    /// The rest of a string holding escapes, gathered in `scratch` and validated once at the end.
    mutating func escapedString(from start: Int) throws(JSONSyntaxError) -> String {
        scratch.removeAll(keepingCapacity: true)
        scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<index]))
        while index < bytes.count {
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: scratch, as: UTF8.self) else { throw fail(.invalidUTF8, at: start) }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                guard index < bytes.count else { throw fail(.unexpectedEnd) }
                let escape = bytes[index]
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): scratch.append(escape)
                case UInt8(ascii: "b"): scratch.append(0x08)
                case UInt8(ascii: "f"): scratch.append(0x0C)
                case UInt8(ascii: "n"): scratch.append(0x0A)
                case UInt8(ascii: "r"): scratch.append(0x0D)
                case UInt8(ascii: "t"): scratch.append(0x09)
                case UInt8(ascii: "u"): try unicodeEscape()
                default: throw fail(.invalidEscape, at: index - 2)
                }
            case 0..<0x20:
                throw fail(.controlCharacter)
            default:
                scratch.append(byte)
                index += 1
            }
        }
        throw fail(.unexpectedEnd)
    }

    /// `\uXXXX` (the `\u` read), a surrogate pair taking two; a lone surrogate is an error.
    mutating func unicodeEscape() throws(JSONSyntaxError) {
        let at = index - 2
        let first = try hex4()
        var scalar = first
        if (0xD800...0xDBFF).contains(first) {
            guard index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"), bytes[index + 1] == UInt8(ascii: "u") else {
                throw fail(.invalidEscape, at: at)
            }
            index += 2
            let second = try hex4()
            guard (0xDC00...0xDFFF).contains(second) else { throw fail(.invalidEscape, at: at) }
            scalar = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else if (0xDC00...0xDFFF).contains(first) {
            throw fail(.invalidEscape, at: at)
        }
        guard let unicode = Unicode.Scalar(scalar) else { throw fail(.invalidEscape, at: at) }
        scratch.append(contentsOf: UTF8.encode(unicode)!)
    }

    mutating func hex4() throws(JSONSyntaxError) -> UInt32 {
        guard index + 4 <= bytes.count else { throw fail(.unexpectedEnd) }
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = bytes[index]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw fail(.invalidEscape)
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    /// `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`
    mutating func number() throws(JSONSyntaxError) -> JSON {
        let start = index
        let negative = bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let integerStart = index
        try digits()
        if bytes[integerStart] == UInt8(ascii: "0") && index - integerStart > 1 { throw fail(.invalidNumber, at: start) }
        var whole = true
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            whole = false
            index += 1
            try digits()
        }
        if index < bytes.count, bytes[index] | 0x20 == UInt8(ascii: "e") {
            whole = false
            index += 1
            if index < bytes.count, bytes[index] == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            try digits()
        }
        if whole, let value = Self.integer(UnsafeBufferPointer(rebasing: bytes[integerStart..<index]), negative: negative) {
            return .int(value)
        }
        let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<index]), as: UTF8.self)
        guard let double = Double(text), double.isFinite else { throw fail(.invalidNumber, at: start) }
        if !whole, double == double.rounded(.towardZero), double >= -9.223372036854775808e18, double < 9.223372036854775808e18 {
            return .int(Int64(double))
        }
        return .double(double)
    }

    /// One or more decimal digits.
    mutating func digits() throws(JSONSyntaxError) {
        let start = index
        while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 { index += 1 }
        guard index > start else { throw fail(index < bytes.count ? .invalidNumber : .unexpectedEnd) }
    }

    /// The value of a run of decimal digits, or nil when it does not fit `Int64`.
    static func integer(_ digits: UnsafeBufferPointer<UInt8>, negative: Bool) -> Int64? {
        var magnitude: UInt64 = 0
        for byte in digits {
            let (times, overflow1) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflow2) = times.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            guard !overflow1, !overflow2 else { return nil }
            magnitude = sum
        }
        if negative {
            guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
            return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }
}
