import Foundation


/// A JSON value that keeps object keys in order, for the CLI's stable output.
public enum JSON: Hashable, Sendable, Decodable {
    case null
    case bool(Bool)
    case int(Int64)
    case double(Double)
    case string(String)
    case array([JSON])
    case object([(String, JSON)])

    /// Values are equal when they hold the same data: objects compare as maps (key order aside), numbers by case
    /// and value (`1` is not `1.0`).
    public static func == (lhs: JSON, rhs: JSON) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.string(let a), .string(let b)): a == b
        case (.array(let a), .array(let b)): a == b
        case (.object(let a), .object(let b)):
            a.count == b.count && zip(JSON.byKey(a), JSON.byKey(b)).allSatisfy { $0.0 == $1.0 && $0.1 == $1.1 }
        default: false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch self {
        case .null: hasher.combine(0)
        case .bool(let value): hasher.combine(value)
        case .int(let value): hasher.combine(value)
        case .double(let value): hasher.combine(value)
        case .string(let value): hasher.combine(value)
        case .array(let values): hasher.combine(values)
        case .object(let pairs):
            hasher.combine(pairs.count)
            for (key, value) in JSON.byKey(pairs) {
                hasher.combine(key)
                hasher.combine(value)
            }
        }
    }

    /// An object's pairs in key order; pairs of one key keep their order.
    private static func byKey(_ pairs: [(String, JSON)]) -> [(String, JSON)] {
        pairs.enumerated().sorted { $0.element.0 != $1.element.0 ? $0.element.0 < $1.element.0 : $0.offset < $1.offset }
            .map(\.element)
    }

    /// An object's pairs as a dictionary holds them: each key once, with its first value, in key order.
    public static func firstValuesByKey(_ pairs: [(String, JSON)]) -> [(String, JSON)] {
        var result: [(String, JSON)] = []
        for pair in byKey(pairs) where result.last?.0 != pair.0 { result.append(pair) }
        return result
    }

    /// The same value with every object's keys in sorted order.
    public var sortingKeys: JSON {
        switch self {
        case .array(let values): .array(values.map(\.sortingKeys))
        case .object(let pairs): .object(JSON.byKey(pairs).map { ($0.0, $0.1.sortingKeys) })
        default: self
        }
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() { self = .null }
        else if let value = try? container.decode(Bool.self) { self = .bool(value) }
        else if let value = try? container.decode(Int64.self) { self = .int(value) }
        else if let value = try? container.decode(Double.self) { self = .double(value) }
        else if let value = try? container.decode(String.self) { self = .string(value) }
        else if let value = try? container.decode([JSON].self) { self = .array(value) }
        else {
            let dictionary = try container.decode([String: JSON].self)
            self = .object(dictionary.sorted { $0.key < $1.key })
        }
    }

    /// The value of `key` in an object.
    public subscript(key: String) -> JSON? {
        guard case .object(let pairs) = self else { return nil }
        return pairs.first { $0.0 == key }?.1
    }

    /// Compact JSON text, keys in insertion order.
    public var text: String { String(decoding: bytes, as: UTF8.self) }

    /// Compact JSON as UTF-8 bytes, keys in insertion order: what ``text`` holds, without making a `String`.
    public var bytes: [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        write(to: &out)
        return out
    }

    /// Appends the compact JSON text of ``bytes`` to `out`, for writers that reuse one buffer.
    public func write(to out: inout [UInt8]) {
        switch self {
        case .null: out.append(contentsOf: "null".utf8)
        case .bool(let value): out.append(contentsOf: (value ? "true" : "false").utf8)
        case .int(let value): JSON.writeInteger(value, into: &out)
        case .double(let value): out.append(contentsOf: (value.isFinite ? String(value) : "null").utf8)
        case .string(let value): JSON.escape(value, into: &out)
        case .array(let values):
            out.append(UInt8(ascii: "["))
            for (index, value) in values.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "]"))
        case .object(let pairs):
            out.append(UInt8(ascii: "{"))
            for (index, (key, value)) in pairs.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                JSON.escape(key, into: &out)
                out.append(UInt8(ascii: ":"))
                value.write(to: &out)
            }
            out.append(UInt8(ascii: "}"))
        }
    }

    private static func writeInteger(_ value: Int64, into out: inout [UInt8]) {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: maxIntegerBytes) { buffer in
            out.append(contentsOf: UnsafeBufferPointer(start: buffer.baseAddress!, count: writeInteger(value, to: buffer.baseAddress!)))
        }
    }

    /// The most bytes ``writeInteger(_:to:)`` writes: a sign and 19 digits.
    public static let maxIntegerBytes = 20

    /// Writes `value` as JSON writes an ``int(_:)`` (`-` and decimal digits, no leading zeros) at `target`, which
    /// must have room for ``maxIntegerBytes`` bytes; answers how many it wrote. For writers that fill raw memory.
    @inline(__always)
    public static func writeInteger(_ value: Int64, to target: UnsafeMutablePointer<UInt8>) -> Int {
        guard value != 0 else {
            target.pointee = UInt8(ascii: "0")
            return 1
        }
        var count = 0
        if value < 0 {
            target.pointee = UInt8(ascii: "-")
            count = 1
        }
        var magnitude = value.magnitude
        var width = 0
        var probe = magnitude
        while probe > 0 {
            width += 1
            probe /= 10
        }
        var index = count + width - 1
        while magnitude > 0 {
            target[index] = UInt8(truncatingIfNeeded: magnitude % 10) | 0x30
            magnitude /= 10
            index -= 1
        }
        return count + width
    }

    /// Whether ``string(_:)`` writes these UTF-8 bytes unchanged between its quotes (no control character, `"` or
    /// `\`), so a writer may copy them whole.
    public static func isVerbatim(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        guard let base = bytes.baseAddress else { return true }
        var index = 0
        while index + 8 <= bytes.count {
            if needsEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) { return false }
            index += 8
        }
        while index < bytes.count {
            if needsEscape(byte: base[index]) { return false }
            index += 1
        }
        return true
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Whether any of the eight bytes of `word` is a control character, `"` or `\`: the classic "has a byte less
    /// than n" and "has a zero byte" tests, which are exact for the question "is there one".
    @inline(__always)
    private static func needsEscape(_ word: UInt64) -> Bool {
        let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
        let control = (word &- ones &* 0x20) & ~word & highs
        let quote = word ^ (ones &* 0x22), backslash = word ^ (ones &* 0x5C)
        return (control | ((quote &- ones) & ~quote & highs) | ((backslash &- ones) & ~backslash & highs)) != 0
    }

    /// Whether one byte is a control character, `"` or `\`.
    @inline(__always)
    private static func needsEscape(byte: UInt8) -> Bool {
        byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\")
    }

    /// A JSON string: `"` and `\` escaped, `\n`, `\r` and `\t` by name, other control characters as `\u00xx`,
    /// everything else as it is (UTF-8). Runs without escapes are copied whole.
    private static func escape(_ text: String, into out: inout [UInt8]) {
        out.append(UInt8(ascii: "\""))
        var text = text
        text.withUTF8 { bytes in
            guard let base = bytes.baseAddress else { return }
            let count = bytes.count
            var start = 0
            var index = 0
            while index < count {
                // Eight bytes at a time while none needs escaping.
                while index + 8 <= count, !needsEscape(UnsafeRawPointer(base + index).loadUnaligned(as: UInt64.self)) {
                    index += 8
                }
                guard index < count else { break }
                let byte = base[index]
                if needsEscape(byte: byte) {
                    out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: index - start))
                    out.append(UInt8(ascii: "\\"))
                    switch byte {
                    case UInt8(ascii: "\""): out.append(UInt8(ascii: "\""))
                    case UInt8(ascii: "\\"): out.append(UInt8(ascii: "\\"))
                    case 0x0A: out.append(UInt8(ascii: "n"))
                    case 0x0D: out.append(UInt8(ascii: "r"))
                    case 0x09: out.append(UInt8(ascii: "t"))
                    default:
                        out.append(contentsOf: "u00".utf8)
                        out.append(hexDigits[Int(byte >> 4)])
                        out.append(hexDigits[Int(byte & 0x0F)])
                    }
                    start = index + 1
                }
                index += 1
            }
            out.append(contentsOf: UnsafeBufferPointer(start: base + start, count: count - start))
        }
        out.append(UInt8(ascii: "\""))
    }
}

extension JSON {
    /// A string, or null when `value` is nil.
    public init(_ value: String?) { self = value.map { .string($0) } ?? .null }
}
