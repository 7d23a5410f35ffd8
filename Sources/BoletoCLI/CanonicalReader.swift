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
    /// The fields of `bytes` when it is a plain canonical object, else nil.
    static func fields(_ bytes: UnsafeBufferPointer<UInt8>) -> CanonicalInput.Fields? {
        var reader = Cursor(bytes: bytes)
        return reader.object()
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

        mutating func object() -> CanonicalInput.Fields? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var fields = CanonicalInput.Fields()
            var seen: UInt16 = 0
            repeat {
                guard let key = key(), seen & (1 << key.rawValue) == 0, take(UInt8(ascii: ":")), let value = value() else {
                    return nil
                }
                seen |= 1 << key.rawValue
                switch key {
                case .bank: fields.bank = value
                case .amountCents: fields.amountCents = value
                case .dueDate: fields.dueDate = value
                case .nossoNumero: fields.nossoNumero = value
                case .agency: fields.agency = value
                case .agencyDV: fields.agencyDV = value
                case .account: fields.account = value
                case .accountDV: fields.accountDV = value
                case .beneficiaryCode: fields.beneficiaryCode = value
                case .wallet: fields.wallet = value
                case .walletVariation: fields.walletVariation = value
                }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")) else { return nil }
            skipWhitespace()
            return index == bytes.count ? fields : nil
        }

        /// A top-level key this reader takes (`extra` is left to the general path).
        enum Key: UInt8 {
            case bank, amountCents, dueDate, nossoNumero, agency, agencyDV, account, accountDV, beneficiaryCode, wallet,
                 walletVariation
        }

        mutating func key() -> Key? {
            guard let range = plainString() else { return nil }
            let key = UnsafeBufferPointer(rebasing: bytes[range])
            func equals(_ name: StaticString) -> Bool {
                key.count == name.utf8CodeUnitCount && memcmp(key.baseAddress!, name.utf8Start, key.count) == 0
            }
            switch key.count {
            case 4: return equals("bank") ? .bank : nil
            case 6: return equals("agency") ? .agency : equals("wallet") ? .wallet : nil
            case 7: return equals("account") ? .account : nil
            case 8: return equals("due_date") ? .dueDate : nil
            case 9: return equals("agency_dv") ? .agencyDV : nil
            case 10: return equals("account_dv") ? .accountDV : nil
            case 12: return equals("amount_cents") ? .amountCents : equals("nosso_numero") ? .nossoNumero : nil
            case 16: return equals("beneficiary_code") ? .beneficiaryCode : equals("wallet_variation") ? .walletVariation : nil
            default: return nil
            }
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
    }
}
