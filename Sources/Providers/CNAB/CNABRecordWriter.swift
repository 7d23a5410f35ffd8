import BoletoKit

/// `text` with zeros on the left up to `width` (a value longer than `width` is left as it is, for the field's own
/// length check to refuse).
func zeroPadded(_ text: String, _ width: Int) -> String {
    String(repeating: "0", count: max(0, width - text.count)) + text
}

/// A value for a field of a record being written.
enum CNABValue {
    case text(String)
    /// Text right-justified with spaces (Banco do Brasil's "uso da empresa").
    case rightText(String)
    /// Printable ASCII as given (PIX keys and txids, which may hold lower case and `@`).
    case ascii(String)
    case digits(String)
    case number(Int64)
    case date(CalendarDate?)
}

/// A record format for writing: its fields in order, each with the value it takes when none is given (a constant
/// of the layout, or blanks/zeros). ``CNABRecordFormat/init(_:width:_:)`` checks that the fields cover every
/// position exactly once.
struct CNABRecordFormat {
    struct Entry {
        let field: CNABField
        let constant: String?
    }

    let name: String
    let width: Int
    let entries: [Entry]

    init(_ name: String, width: Int, _ entries: [(CNABField, String?)]) {
        self.name = name
        self.width = width
        self.entries = entries.map { Entry(field: $0.0, constant: $0.1) }
        var next = 1
        for entry in self.entries {
            precondition(entry.field.start == next, "\(name): \(entry.field.name) starts at \(entry.field.start), expected \(next)")
            if let constant = entry.constant {
                precondition(constant.utf8.count == entry.field.length, "\(name): the constant of \(entry.field.name) does not fill it")
            }
            next = entry.field.end + 1
        }
        precondition(next == width + 1, "\(name): the fields end at \(next - 1), not \(width)")
    }

    /// The record's bytes; `record` names it in errors.
    func render(_ values: [String: CNABValue], record: String) throws(CNABWriteError) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(width)
        for entry in entries {
            let field = entry.field
            func fail(_ message: String) -> CNABWriteError {
                CNABWriteError(record: record, field: "\(field.name) (\(field.start)-\(field.end))", message: message)
            }
            guard let value = values[field.name] else {
                if let constant = entry.constant {
                    bytes += Array(constant.utf8)
                } else {
                    let filler: UInt8 = field.kind == .text ? 0x20 : 0x30
                    bytes += [UInt8](repeating: filler, count: field.length)
                }
                continue
            }
            switch value {
            case .text(let text):
                guard CNABText.isValid(text) else { throw fail("has characters outside the CNAB set (A-Z, 0-9, space, . , - / ( ) &).") }
                guard text.utf8.count <= field.length else { throw fail("is \(text.utf8.count) characters; the field takes \(field.length).") }
                bytes += Array(text.utf8) + [UInt8](repeating: 0x20, count: field.length - text.utf8.count)
            case .rightText(let text):
                guard CNABText.isValid(text) else { throw fail("has characters outside the CNAB set (A-Z, 0-9, space, . , - / ( ) &).") }
                guard text.utf8.count <= field.length else { throw fail("is \(text.utf8.count) characters; the field takes \(field.length).") }
                bytes += [UInt8](repeating: 0x20, count: field.length - text.utf8.count) + Array(text.utf8)
            case .ascii(let text):
                guard text.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else { throw fail("must be printable ASCII.") }
                guard text.utf8.count <= field.length else { throw fail("is \(text.utf8.count) characters; the field takes \(field.length).") }
                bytes += Array(text.utf8) + [UInt8](repeating: 0x20, count: field.length - text.utf8.count)
            case .digits(let digits):
                guard digits.utf8.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) else { throw fail("must be digits.") }
                guard digits.utf8.count <= field.length else { throw fail("is \(digits.utf8.count) digits; the field takes \(field.length).") }
                bytes += [UInt8](repeating: 0x30, count: field.length - digits.utf8.count) + Array(digits.utf8)
            case .number(let number):
                guard number >= 0 else { throw fail("cannot be negative.") }
                let digits = String(number)
                guard digits.utf8.count <= field.length else { throw fail("does not fit in \(field.length) digits.") }
                bytes += [UInt8](repeating: 0x30, count: field.length - digits.utf8.count) + Array(digits.utf8)
            case .date(let date):
                guard let date else {
                    bytes += [UInt8](repeating: 0x30, count: field.length)
                    continue
                }
                let year = field.kind == .dateDDMMAA ? date.year % 100 : date.year
                let text = zeroPadded(String(date.day), 2) + zeroPadded(String(date.month), 2) + zeroPadded(String(year), field.kind == .dateDDMMAA ? 2 : 4)
                guard text.utf8.count == field.length else { throw fail("is not a date field.") }
                bytes += Array(text.utf8)
            }
        }
        return bytes
    }
}

/// A remessa layout of one bank.
public protocol CNABRemessaLayout: Sendable {
    /// The bank's FEBRABAN code.
    var bank: String { get }
    /// The format.
    var format: CNABFormat { get }
    /// The file for `titles`, records separated by `lineEnding` and the last one followed by it too.
    func write(header: CNABRemessaHeader, titles: [CNABRemessaTitle], lineEnding: CNABLineEnding) throws(CNABWriteError) -> [UInt8]
    /// Whether the header's and details' carteira is a code of the remessa's own
    /// (``CNABRemessaHeader/walletCode``) rather than the barcode's carteira.
    var walletIsCode: Bool { get }
    /// The convênio the header carries for an account that was given none: the bank's own default, if it has one.
    func defaultAgreement(account: String) -> String?
    /// Which boleto terms the layout's records carry (``TermsSupport``).
    var termsSupport: TermsSupport { get }
    /// The terms of `terms` this layout cannot carry for a title due `dueDate`, each naming the field and the bank:
    /// what ``termsSupport`` refuses, plus the layout's own limits (digits, decimals, codes with fixed days).
    func termsProblems(_ terms: BoletoTerms, dueDate: CalendarDate) -> [FieldProblem]
    /// Puts `terms` (nil: none) into `title`'s fields and codes, as the layout's manual codes them. `terms` must have
    /// no ``termsProblems(_:dueDate:)``; a layout without terms leaves the title as it is.
    func encode(_ terms: BoletoTerms?, into title: inout CNABRemessaTitle)
}

extension CNABRemessaLayout {
    /// Most layouts take the barcode's carteira.
    public var walletIsCode: Bool { false }
    /// Most layouts have no default convênio.
    public func defaultAgreement(account: String) -> String? { nil }
}

extension CNABRemessaLayout {
    /// Joins records with the line ending, one after the last as well.
    func join(_ records: [[UInt8]], _ lineEnding: CNABLineEnding) -> [UInt8] {
        var bytes: [UInt8] = []
        for record in records { bytes += record + lineEnding.bytes }
        return bytes
    }
}
