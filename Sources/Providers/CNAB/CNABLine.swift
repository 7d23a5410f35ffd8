import BoletoKit

/// One record of a CNAB file: its line number and its bytes, read as if padded with spaces to the layout's width
/// (real files right-trim their lines). Values are read through ``CNABField``s straight from the bytes; a value
/// that does not read (letters in an amount, 31.02) is reported to the caller's warnings rather than crashing the
/// read.
struct CNABLine {
    /// 1-based.
    let number: Int
    let bytes: ArraySlice<UInt8>

    init(number: Int, bytes: ArraySlice<UInt8>, width: Int) {
        self.number = number
        self.bytes = bytes.prefix(width)
    }

    /// The byte at `position` (1-based), a space past the line's end.
    @inline(__always)
    func byte(at position: Int) -> UInt8 {
        let index = bytes.startIndex + position - 1
        return index < bytes.endIndex ? bytes[index] : 0x20
    }

    /// The character at `position` (1-based).
    func character(at position: Int) -> Character { Character(Unicode.Scalar(byte(at: position))) }

    /// The field's bytes within the line (shorter than the field when the line was trimmed).
    @inline(__always)
    func slice(_ field: CNABField) -> ArraySlice<UInt8> {
        let start = min(bytes.startIndex + field.start - 1, bytes.endIndex)
        let end = min(bytes.startIndex + field.end, bytes.endIndex)
        return bytes[start..<end]
    }

    /// The field's text, trimmed of spaces (Latin-1 decoded, since banks write Latin-1 or ASCII).
    func text(_ field: CNABField) -> String {
        var value = slice(field)
        while value.first == 0x20 { value.removeFirst() }
        while value.last == 0x20 { value.removeLast() }
        if value.allSatisfy({ $0 < 0x80 }) { return String(decoding: value, as: UTF8.self) }
        var scalars = String.UnicodeScalarView()
        for byte in value { scalars.append(Unicode.Scalar(byte)) }
        return String(scalars)
    }

    /// The field as a number when it is all digits (after trimming spaces); nil otherwise.
    func number(_ field: CNABField) -> Int? {
        var value = slice(field)
        while value.first == 0x20 { value.removeFirst() }
        while value.last == 0x20 { value.removeLast() }
        guard !value.isEmpty, value.count <= 18 else { return nil }
        var result = 0
        for byte in value {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            result = result * 10 + Int(byte - 0x30)
        }
        return result
    }

    /// Cents; blanks are 0. Anything but digits (after trimming spaces) is a warning, and 0.
    func cents(_ field: CNABField, _ warnings: inout [CNABWarning]) -> Int64 {
        var value = slice(field)
        while value.first == 0x20 { value.removeFirst() }
        while value.last == 0x20 { value.removeLast() }
        var cents: Int64 = 0
        for byte in value {
            guard byte >= 0x30 && byte <= 0x39, value.count <= 18 else {
                warnings.append(CNABWarning(line: number, message: "\(field.name) (\(field.start)-\(field.end)) is not an amount."))
                return 0
            }
            cents = cents * 10 + Int64(byte - 0x30)
        }
        return cents
    }

    /// A date; zeros and blanks are nil. A date that does not exist is a warning, and nil.
    func date(_ field: CNABField, _ warnings: inout [CNABWarning]) -> CalendarDate? {
        let value = slice(field)
        if value.allSatisfy({ $0 == 0x20 || $0 == 0x30 }) { return nil }
        let short = field.kind == .dateDDMMAA
        guard value.count == (short ? 6 : 8), value.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else {
            warnings.append(CNABWarning(line: number, message: "\(field.name) (\(field.start)-\(field.end)) is not a date."))
            return nil
        }
        let start = value.startIndex
        func digits(_ offset: Int, _ count: Int) -> Int {
            var result = 0
            for index in (start + offset)..<(start + offset + count) { result = result * 10 + Int(value[index] - 0x30) }
            return result
        }
        var year = digits(4, short ? 2 : 4)
        if short { year += year < 70 ? 2000 : 1900 }
        guard let date = CalendarDate(year: year, month: digits(2, 2), day: digits(0, 2)) else {
            warnings.append(CNABWarning(line: number, message: "\(field.name) (\(field.start)-\(field.end)) is not a date."))
            return nil
        }
        return date
    }

    /// The 2-character reason codes in `field`, without `00` and blanks.
    func reasons(_ field: CNABField) -> [String] {
        let value = slice(field)
        var reasons: [String] = []
        var index = value.startIndex
        while index < value.endIndex {
            let next = min(index + 2, value.endIndex)
            var code = value[index..<next]
            while code.first == 0x20 { code.removeFirst() }
            while code.last == 0x20 { code.removeLast() }
            if !code.isEmpty && !code.allSatisfy({ $0 == 0x30 }) {
                var scalars = String.UnicodeScalarView()
                for byte in code { scalars.append(Unicode.Scalar(byte)) }
                reasons.append(String(scalars))
            }
            index = next
        }
        return reasons
    }
}
