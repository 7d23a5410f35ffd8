/// A Brazilian taxpayer document: CPF (people) or CNPJ (companies), including the alphanumeric CNPJ.
///
/// Input is read leniently: spaces, `.`, `/`, `-` and the en dash are dropped and letters upper-cased before the
/// strict check. A CPF is 11 digits; a CNPJ is 12 characters `0-9A-Z` followed by 2 check digits (the alphanumeric
/// form is issued from July 2026; a numeric CNPJ is its special case). Values whose characters are all equal are
/// rejected even when their check digits work out. Neither its errors nor its `description` show the number: print
/// ``formatted`` deliberately, and log ``masked`` at most.
public struct Document: Hashable, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// CPF or CNPJ.
    public enum Kind: String, Sendable, Hashable { case cpf, cnpj }

    /// Which document this is.
    public let kind: Kind
    /// The normalised characters: 11 digits, or 14 characters for a CNPJ.
    public let value: String

    /// Validates `text`; throws a ``BoletoError`` saying what is wrong (never echoing the value).
    public init(_ text: String) throws(BoletoError) {
        let normalized = Document.normalized(text)
        let bytes = Array(normalized.utf8)
        switch bytes.count {
        case 11:
            guard bytes.allSatisfy(Document.isDigit) else {
                throw BoletoError(.invalidCharacters, field: "document", "A CPF has digits only.")
            }
            guard Document.checkDigits(Array(bytes[0..<9])) == (bytes[9], bytes[10]) else {
                throw BoletoError(.checkDigitMismatch, field: "document", "The CPF check digits do not match.")
            }
            kind = .cpf
        case 14:
            guard bytes[0..<12].allSatisfy({ Document.isDigit($0) || ($0 >= 65 && $0 <= 90) }) else {
                throw BoletoError(.invalidCharacters, field: "document",
                                  "A CNPJ has 12 characters 0-9 or A-Z followed by 2 check digits.")
            }
            guard Document.isDigit(bytes[12]), Document.isDigit(bytes[13]) else {
                throw BoletoError(.invalidCharacters, field: "document", "The CNPJ check digits must be digits.")
            }
            guard Document.checkDigits(Array(bytes[0..<12])) == (bytes[12], bytes[13]) else {
                throw BoletoError(.checkDigitMismatch, field: "document", "The CNPJ check digits do not match.")
            }
            kind = .cnpj
        default:
            throw BoletoError(.invalidLength, field: "document",
                              "A CPF has 11 digits and a CNPJ 14 characters; this has \(bytes.count).")
        }
        guard Set(bytes).count > 1 else {
            throw BoletoError(.invalidValue, field: "document", "A document with every character equal is not valid.")
        }
        value = normalized
    }

    /// Whether `text` is a valid CPF or CNPJ.
    public static func isValid(_ text: String) -> Bool {
        (try? Document(text)) != nil
    }

    /// The printed form: `123.456.789-09` or `12.ABC.345/01DE-35`.
    public var formatted: String {
        let c = Array(value)
        switch kind {
        case .cpf: return "\(String(c[0..<3])).\(String(c[3..<6])).\(String(c[6..<9]))-\(String(c[9..<11]))"
        case .cnpj:
            return "\(String(c[0..<2])).\(String(c[2..<5])).\(String(c[5..<8]))/\(String(c[8..<12]))-\(String(c[12..<14]))"
        }
    }

    /// The printed form with all but the last four characters hidden, for logs: `***.***.*89-09`.
    public var masked: String {
        let shown = 4
        let c = Array(formatted)
        var out = ""
        var remaining = value.count
        for ch in c {
            if ch.isLetter || ch.isNumber {
                out.append(remaining <= shown ? ch : "*")
                remaining -= 1
            } else {
                out.append(ch)
            }
        }
        return out
    }

    /// The masked form, so that interpolating a document into a log line leaks nothing.
    public var description: String { masked }
    public var debugDescription: String { "Document(\(kind.rawValue), \(masked))" }

    /// `text` without spaces, `.`, `/`, `-` or the en dash, upper-cased.
    public static func normalized(_ text: String) -> String {
        String(text.unicodeScalars.filter { !" ./-\u{2013}\t".unicodeScalars.contains($0) }).uppercased()
    }

    /// The two check digits (as ASCII) of a CPF base (9 digits) or CNPJ base (12 characters).
    ///
    /// Each character counts as its ASCII code minus 48 (so `A` is 17). CPF weights run 10…2 then 11…2; CNPJ
    /// weights 5…2, 9…2 then 6…2, 9…2. `r = sum mod 11`; the digit is 0 when `r < 2`, else `11 − r`.
    public static func checkDigits(base: String) throws(BoletoError) -> String {
        let bytes = Array(base.utf8)
        let allowed = bytes.allSatisfy { isDigit($0) || ($0 >= 65 && $0 <= 90) }
        let valid = (bytes.count == 9 && bytes.allSatisfy(isDigit)) || (bytes.count == 12 && allowed)
        guard valid else {
            throw BoletoError(.invalidValue, field: "document",
                              "A check-digit base is 9 digits (CPF) or 12 characters 0-9/A-Z (CNPJ).")
        }
        let (first, second) = checkDigits(bytes)
        return String(decoding: [first, second], as: UTF8.self)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= 48 && byte <= 57 }

    private static func checkDigits(_ base: [UInt8]) -> (UInt8, UInt8) {
        func digit(_ values: [Int]) -> Int {
            var sum = 0
            var weight = 2
            for value in values.reversed() {
                sum += value * weight
                weight += 1
                if base.count == 12 && weight > 9 { weight = 2 }
            }
            let r = sum % 11
            return r < 2 ? 0 : 11 - r
        }
        var values = base.map { Int($0) - 48 }
        let first = digit(values)
        values.append(first)
        let second = digit(values)
        return (UInt8(48 + first), UInt8(48 + second))
    }
}
