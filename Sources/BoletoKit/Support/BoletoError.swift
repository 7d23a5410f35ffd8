/// An error raised by BoletoKit.
///
/// The error names *what* is wrong (``code``), *where* (``field`` for issuer data, ``block`` for a parsed line)
/// and says it in one sentence (``message``). Its text never contains the offending value, so it is safe to log:
/// no CPF/CNPJ, names or account data can leak through an error description.
public struct BoletoError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What kind of problem this is. New codes may be added; switch with a `default` case.
    public struct Code: Hashable, Sendable, CustomStringConvertible {
        private let raw: String
        private init(_ raw: String) { self.raw = raw }
        public var description: String { raw }

        /// A required field is absent or empty.
        public static let missingField = Code("missing_field")
        /// A field has characters that are not allowed (a non-digit in a digit field, say).
        public static let invalidCharacters = Code("invalid_characters")
        /// A field is longer than its slot in the bank's layout.
        public static let fieldTooLong = Code("field_too_long")
        /// A field has an allowed shape but a value the layout does not accept.
        public static let invalidValue = Code("invalid_value")
        /// The bank code is not one BoletoKit can generate for.
        public static let unknownBank = Code("unknown_bank")
        /// The amount is negative or does not fit the 10-digit amount field.
        public static let amountOutOfRange = Code("amount_out_of_range")
        /// The due date has no due-date factor (before 2000-07-03 or after 2049-10-13).
        public static let dueDateOutOfRange = Code("due_date_out_of_range")
        /// A date is not a valid `YYYY-MM-DD` calendar date.
        public static let invalidDate = Code("invalid_date")
        /// A line or barcode has the wrong number of digits.
        public static let invalidLength = Code("invalid_length")
        /// A check digit does not match.
        public static let checkDigitMismatch = Code("check_digit_mismatch")
        /// An input document (JSON) is malformed.
        public static let malformedInput = Code("malformed_input")
    }

    /// What kind of problem this is.
    public let code: Code
    /// The canonical input field at fault (`"agency"`, `"extra.posto"`), when the error is about issuer data.
    public let field: String?
    /// The block of a parsed line or barcode at fault (`"field_2"`, `"general_dv"`), when parsing.
    public let block: String?
    /// One sentence, free of personal data.
    public let message: String

    public init(_ code: Code, field: String? = nil, block: String? = nil, _ message: String) {
        self.code = code
        self.field = field
        self.block = block
        self.message = message
    }

    public var description: String { message }
}

extension BoletoError {
    static func missing(_ field: String, _ why: String = "") -> BoletoError {
        BoletoError(.missingField, field: field, "The field \(field) is required\(why).")
    }

    static func invalid(_ field: String, _ message: String) -> BoletoError {
        BoletoError(.invalidValue, field: field, message)
    }
}
