import BoletoKit

/// One record of a CNAB file: its line number and its bytes, padded with spaces to the layout's width. Values are
/// read through ``CNABField``s; a value that does not read (letters in an amount, 31.02) is reported to the
/// caller's warnings rather than crashing the read.
struct CNABLine {
    /// 1-based.
    let number: Int
    let bytes: [UInt8]

    init(number: Int, bytes: ArraySlice<UInt8>, width: Int) {
        self.number = number
        var padded = Array(bytes.prefix(width))
        if padded.count < width { padded += [UInt8](repeating: 0x20, count: width - padded.count) }
        self.bytes = padded
    }

    /// The field's characters, as they are (Latin-1 decoded, since banks write Latin-1 or ASCII).
    func raw(_ field: CNABField) -> String {
        String(bytes[(field.start - 1)..<field.end].map { Character(Unicode.Scalar($0)) })
    }

    /// The field's text, trimmed of spaces.
    func text(_ field: CNABField) -> String {
        let value = raw(field)
        var scalars = Substring(value)
        while scalars.first == " " { scalars.removeFirst() }
        while scalars.last == " " { scalars.removeLast() }
        return String(scalars)
    }

    /// The character at `position` (1-based).
    func character(at position: Int) -> Character { Character(Unicode.Scalar(bytes[position - 1])) }

    /// Cents; blanks are 0. Anything but digits is a warning, and 0.
    func cents(_ field: CNABField, _ warnings: inout [CNABWarning]) -> Int64 {
        let value = text(field)
        if value.isEmpty { return 0 }
        guard value.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }), let cents = Int64(value) else {
            warnings.append(CNABWarning(line: number, message: "\(field.name) (\(field.start)-\(field.end)) is not an amount."))
            return 0
        }
        return cents
    }

    /// A date; zeros and blanks are nil. A date that does not exist is a warning, and nil.
    func date(_ field: CNABField, _ warnings: inout [CNABWarning]) -> CalendarDate? {
        let value = raw(field)
        if value.allSatisfy({ $0 == " " || $0 == "0" }) { return nil }
        let digits = value.compactMap(\.wholeNumberValue)
        let short = field.kind == .dateDDMMAA
        guard digits.count == (short ? 6 : 8), value.allSatisfy(\.isASCII) else {
            warnings.append(CNABWarning(line: number, message: "\(field.name) (\(field.start)-\(field.end)) is not a date."))
            return nil
        }
        let day = digits[0] * 10 + digits[1], month = digits[2] * 10 + digits[3]
        var year = digits[4...].reduce(0) { $0 * 10 + $1 }
        if short { year += year < 70 ? 2000 : 1900 }
        guard let date = CalendarDate(year: year, month: month, day: day) else {
            warnings.append(CNABWarning(line: number, message: "\(field.name) (\(field.start)-\(field.end)) is not a date."))
            return nil
        }
        return date
    }

    /// The 2-character reason codes in `field`, without `00` and blanks.
    func reasons(_ field: CNABField) -> [String] {
        let value = raw(field)
        var reasons: [String] = []
        var index = value.startIndex
        while index < value.endIndex {
            let next = value.index(index, offsetBy: 2, limitedBy: value.endIndex) ?? value.endIndex
            let code = String(value[index..<next]).trimmingSpaces
            if !code.isEmpty && code != "00" && code != "0" { reasons.append(code) }
            index = next
        }
        return reasons
    }
}

extension String {
    var trimmingSpaces: String {
        var value = Substring(self)
        while value.first == " " { value.removeFirst() }
        while value.last == " " { value.removeLast() }
        return String(value)
    }
}
