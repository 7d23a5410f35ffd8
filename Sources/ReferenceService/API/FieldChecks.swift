import BoletoJSON
import Foundation

/// The rules a decoded request body's fields must follow after typing (required, lengths, ranges, choices), checked
/// field by field so that every error of a body is reported at once, each with its dotted path.
///
/// It starts from the decoder's own findings (wrong types, unknown and repeated keys; ``RequestBody``). A field of
/// the wrong type is already reported, so the checks pass over it. The first error of a field is the one reported.
struct FieldChecks {
    var errors: [FieldError]
    /// The path of the object being checked (`payer_address`), empty for the body.
    let prefix: String

    init(prefix: String = "", errors: [FieldError] = []) {
        self.prefix = prefix
        self.errors = errors
    }

    /// The checks of a nested object, sharing this one's errors; merge them back with ``absorb(_:)``.
    func nested(_ key: String) -> FieldChecks { FieldChecks(prefix: path(key), errors: errors) }

    /// Takes the errors of a nested object's checks.
    mutating func absorb(_ nested: FieldChecks) { errors = nested.errors }

    /// Whether any error concerns this object (its prefix) or a field inside it.
    var hasOwnErrors: Bool {
        prefix.isEmpty ? !errors.isEmpty
            : errors.contains { $0.field == prefix || $0.field?.hasPrefix(prefix + ".") == true }
    }

    func path(_ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }

    /// Whether `key` has an error already (its own, or the decoder's).
    func failed(_ key: String) -> Bool { errors.contains { $0.field == path(key) } }

    /// Records an error for `key` unless it has one.
    mutating func fail(_ key: String, _ message: String) {
        guard !failed(key) else { return }
        errors.append(.invalid(path(key), "\(path(key)) \(message)"))
    }

    /// Reports `key` when it was sent as null: for fields whose absence means something (a configured value) but
    /// whose null would mean nothing.
    mutating func rejectNull<Value>(_ field: JSONField<Value>, _ key: String) {
        if field.isNull { fail(key, "must not be null; omit it instead.") }
    }

    /// What a string field may hold beyond its length.
    enum TextKind {
        /// No control or invisible formatting characters (every string field).
        case plain
        /// A name or free text: also at least one visible character.
        case text
        /// Free text on several lines (instructions): a visible character, and line breaks allowed.
        case multiline
    }

    mutating func string(_ field: JSONField<String>, _ key: String, maxLength: Int, required: Bool = false,
                         allowEmpty: Bool = true, kind: TextKind = .plain) -> String? {
        guard let text = present(field, key, required: required) else { return nil }
        if text.isEmpty && (!allowEmpty || required) {
            fail(key, "must not be empty.")
            return nil
        }
        if text.count > maxLength {
            fail(key, "must be at most \(maxLength) characters long.")
            return nil
        }
        if let problem = Self.textProblem(text, kind) {
            fail(key, problem)
            return nil
        }
        return text
    }

    /// Why `text` is not acceptable as `kind`, or nil. Control characters (C0, DEL, C1) and invisible formatting
    /// characters (zero-width spaces and joiners, bidirectional overrides: Unicode's Cf) are refused everywhere: a
    /// NUL or an override in a name reaches HTML, PDFs, bank files and logs. Names and free text must also show
    /// something: spaces or zero-width characters alone are not a name.
    static func textProblem(_ text: String, _ kind: TextKind) -> String? {
        // Printable ASCII needs no further look (every identifier, URL and base64 body).
        if text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            return kind == .plain || text.utf8.contains(where: { $0 != 0x20 }) || text.isEmpty ? nil : "must contain a visible character."
        }
        var visible = false
        for scalar in text.unicodeScalars {
            if kind == .multiline && (scalar == "\n" || scalar == "\r") { continue }
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .surrogate, .unassigned, .privateUse:
                return kind == .multiline
                    ? "must not contain control or invisible formatting characters (line breaks are allowed)."
                    : "must not contain control or invisible formatting characters."
            case .spaceSeparator, .nonspacingMark, .enclosingMark, .spacingMark:
                continue
            default:
                visible = true
            }
        }
        return kind == .plain || visible || text.isEmpty ? nil : "must contain a visible character."
    }

    mutating func integer(_ field: JSONField<Int64>, _ key: String, in range: ClosedRange<Int64>,
                          required: Bool = false) -> Int64? {
        guard let number = present(field, key, required: required) else { return nil }
        guard range.contains(number) else {
            fail(key, "must be between \(range.lowerBound) and \(range.upperBound).")
            return nil
        }
        return number
    }

    mutating func number(_ field: JSONField<Double>, _ key: String, in range: ClosedRange<Double>) -> Double? {
        guard let number = field.value else { return nil }
        guard range.contains(number) else {
            fail(key, "must be between \(range.lowerBound) and \(range.upperBound).")
            return nil
        }
        return number
    }

    mutating func oneOf(_ field: JSONField<String>, _ key: String, _ allowed: [String], required: Bool = false) -> String? {
        guard let text = string(field, key, maxLength: 64, required: required) else { return nil }
        guard allowed.contains(text) else {
            fail(key, "must be one of [\(allowed.joined(separator: ", "))].")
            return nil
        }
        return text
    }

    /// A string of digits (account data keeps its leading zeros, so numbers are not accepted).
    mutating func digits(_ field: JSONField<String>, _ key: String, maxLength: Int) -> String? {
        guard let text = string(field, key, maxLength: maxLength, allowEmpty: false) else { return nil }
        guard text.allSatisfy(\.isASCIIDigit) else {
            fail(key, "must contain digits only.")
            return nil
        }
        return text
    }

    /// The value of a field that was sent and not null; a missing required one is reported.
    private mutating func present<Value>(_ field: JSONField<Value>, _ key: String, required: Bool) -> Value? {
        switch field {
        case .present(let value): return value
        case .absent, .null:
            if required { fail(key, "is required.") }
            return nil
        case .invalid: return nil
        }
    }
}

/// Decodes request bodies into their `Decodable` types, turning the decoder's findings into field errors.
enum RequestBody {
    /// The body of `call` as `T`; the decoder's findings go into `checks`. A body that is not JSON, not UTF-8, or not
    /// an object is a 400 on its own, and so is one the type cannot be read from at all.
    static func decode<T: Decodable>(_ type: T.Type, _ call: APICall, checks: inout FieldChecks) throws(APIError) -> T {
        let json = try call.json()
        guard case .object = json else {
            throw APIError.validation([.invalid("body", "The body must be a JSON object.")])
        }
        let (value, issues) = JSONValueDecoder().decode(T.self, from: json)
        checks.errors += issues.map(fieldError)
        guard let value else { throw APIError.validation(checks.errors) }
        return value
    }

    static func fieldError(_ issue: JSONDecodingIssue) -> FieldError {
        let path = issue.path.joined(separator: ".")
        let message: String
        switch issue.kind {
        case .wrongType(.object): message = "must be a JSON object."
        case .wrongType(.array): message = "must be an array."
        case .wrongType(.string): message = "must be a string."
        case .wrongType(.integer): message = "must be an integer."
        case .wrongType(.number): message = "must be a number."
        case .wrongType(.boolean): message = "must be true or false."
        case .unknownKey: message = "is not allowed."
        case .duplicateKey: message = "is given more than once."
        case .invalid: message = "is invalid."
        }
        return .invalid(path.isEmpty ? "body" : path, "\(path.isEmpty ? "The body" : path) \(message)")
    }
}
