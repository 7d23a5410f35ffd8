import BoletoJSON
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the plain form of a canonical input line straight from its bytes, for `barcode --jsonl`: one object of
/// known top-level keys, each once, whose values are ASCII strings without escapes, integers or `null`, with JSON's
/// whitespace around them. That is what generators write, and it is read without building a ``JSON`` tree.
///
/// Everything else answers nil, and the caller reads the line the general way (``JSON/parse(_:)`` and
/// ``CanonicalInput/decode(_:)``): an escape, a non-ASCII byte, `true`/`false`, a fraction or exponent, an array,
/// `extra`, a vector file's `input`, an unknown or repeated key, a byte-order mark, malformed JSON. So every error
/// and every unusual value keeps the general path's exact answer, and this reader only has to be right about the
/// lines it accepts. A line it accepts holds only ASCII, so it is valid UTF-8.
enum CanonicalReader {
    /// Reads `bytes` into `fields` (which starts empty); false when the line is not a plain canonical object.
    static func read(_ bytes: UnsafeBufferPointer<UInt8>, into fields: inout CanonicalInput.Fields) -> Bool {
        var reader = Cursor(bytes: bytes)
        return reader.object(into: &fields)
    }

    private struct Cursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var index = 0

        mutating func skipWhitespace() {
            while index < bytes.count {
                switch bytes[index] {
                case 0x20, 0x0A, 0x0D, 0x09: index += 1
                default: return
                }
            }
        }

        /// Consumes `byte` after any whitespace; false when something else comes.
        mutating func take(_ byte: UInt8) -> Bool {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == byte else { return false }
            index += 1
            return true
        }

        mutating func object(into fields: inout CanonicalInput.Fields) -> Bool {
            guard take(UInt8(ascii: "{")) else { return false }
            var seen: UInt16 = 0
            repeat {
                guard let key = key(), seen & (1 << key.rawValue) == 0, take(UInt8(ascii: ":")), let value = value() else {
                    return false
                }
                seen |= 1 << key.rawValue
                fields.set(value, for: key)
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return false }
            skipWhitespace()
            return index == bytes.count
        }

        /// A top-level key this reader takes (`extra` is left to the general path).
        mutating func key() -> CanonicalInput.Key? {
            guard let range = plainString(), let key = CanonicalInput.Key(utf8: UnsafeBufferPointer(rebasing: bytes[range])),
                  key != .extra else { return nil }
            return key
        }

        /// A string of printable ASCII without escapes, `null`, or an integer of at most 18 digits (so it fits
        /// `Int64`) with no fraction or exponent: the values ``JSON/parse(_:)`` reads the same way.
        mutating func value() -> JSON? {
            skipWhitespace()
            guard index < bytes.count else { return nil }
            switch bytes[index] {
            case UInt8(ascii: "\""):
                guard let range = plainString() else { return nil }
                return .string(String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self))
            case UInt8(ascii: "n"):
                guard index + 4 <= bytes.count, bytes[index + 1] == UInt8(ascii: "u"), bytes[index + 2] == UInt8(ascii: "l"),
                      bytes[index + 3] == UInt8(ascii: "l") else { return nil }
                index += 4
                return .null
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return integer()
            default:
                return nil
            }
        }

        mutating func integer() -> JSON? {
            let negative = bytes[index] == UInt8(ascii: "-")
            if negative { index += 1 }
            let start = index
            var value: Int64 = 0
            while index < bytes.count, bytes[index] &- UInt8(ascii: "0") < 10 {
                value = value &* 10 &+ Int64(bytes[index] &- UInt8(ascii: "0"))
                index += 1
            }
            let count = index - start
            guard count > 0, count <= 18, !(count > 1 && bytes[start] == UInt8(ascii: "0")) else { return nil }
            if index < bytes.count {
                switch bytes[index] {
                case UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E"): return nil
                default: break
                }
            }
            return .int(negative ? -value : value)
        }

        /// The bytes between the quotes of a string holding only printable ASCII and no backslash; nil otherwise.
        mutating func plainString() -> Range<Int>? {
            skipWhitespace()
            guard index < bytes.count, bytes[index] == UInt8(ascii: "\"") else { return nil }
            let start = index + 1
            var end = start
            // Eight bytes at a time while none is a quote or anything this reader leaves to the general path.
            while end + 8 <= bytes.count, Self.isPlain(UnsafeRawPointer(bytes.baseAddress! + end).loadUnaligned(as: UInt64.self)) {
                end += 8
            }
            while end < bytes.count {
                let byte = bytes[end]
                if byte == UInt8(ascii: "\"") {
                    index = end + 1
                    return start..<end
                }
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
                end += 1
            }
            return nil
        }

        /// Whether all eight bytes of `word` are printable ASCII (0x20–0x7E) other than `"` and `\\`: the "has a
        /// byte less than n" and "has a zero byte" word tests, exact for the question "is there one".
        @inline(__always)
        static func isPlain(_ word: UInt64) -> Bool {
            let ones: UInt64 = 0x0101_0101_0101_0101, highs: UInt64 = 0x8080_8080_8080_8080
            func hasZero(_ value: UInt64) -> UInt64 { (value &- ones) & ~value & highs }
            let control = (word &- ones &* 0x20) & ~word & highs
            let special = hasZero(word ^ (ones &* 0x22)) | hasZero(word ^ (ones &* 0x5C)) | hasZero(word ^ (ones &* 0x7F))
            return (control | special | (word & highs)) == 0
        }
    }
}
