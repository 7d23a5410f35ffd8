import BoletoJSON

/// Reads one JSON object field by field, collecting every error (with its dotted path) instead of stopping at the
/// first, and rejecting fields it was not asked about.
struct FieldReader {
    private let pairs: [(String, JSON)]
    private let prefix: String
    private var seen: Set<String> = []
    var errors: [FieldError] = []

    /// A reader over `json`; a value that is not an object is itself an error at `prefix`.
    init(_ json: JSON, prefix: String = "") {
        self.prefix = prefix
        if case .object(let pairs) = json {
            self.pairs = pairs
        } else {
            self.pairs = []
            errors.append(.invalid(prefix.isEmpty ? "body" : prefix, "\(prefix.isEmpty ? "The body" : prefix) must be a JSON object."))
        }
    }

    /// A reader over a request body, which must be a JSON object.
    static func body(_ json: JSON) throws(APIError) -> FieldReader {
        let reader = FieldReader(json)
        guard reader.errors.isEmpty else { throw .validation(reader.errors) }
        return reader
    }

    func path(_ key: String) -> String { prefix.isEmpty ? key : prefix + "." + key }

    /// Records an error for `key`; the first error of a field is the one reported.
    mutating func fail(_ key: String, _ message: String) {
        guard !errors.contains(where: { $0.field == path(key) }) else { return }
        errors.append(.invalid(path(key), "\(path(key)) \(message)"))
    }

    /// The raw value of `key`; nil when absent or null.
    mutating func raw(_ key: String) -> JSON? {
        seen.insert(key)
        guard let value = pairs.first(where: { $0.0 == key })?.1, value != .null else { return nil }
        return value
    }

    /// Whether `key` was sent as JSON null.
    func isNull(_ key: String) -> Bool { pairs.contains { $0.0 == key && $0.1 == .null } }

    /// Reports `key` when it was sent as null: for fields whose absence means something (a configured value)
    /// but whose null would mean nothing.
    mutating func rejectNull(_ keys: String...) {
        for key in keys where isNull(key) { fail(key, "must not be null; omit it instead.") }
    }

    /// Whether `key` was sent at all (null included).
    func has(_ key: String) -> Bool { pairs.contains { $0.0 == key } }

    mutating func string(_ key: String, maxLength: Int, required: Bool = false, allowEmpty: Bool = true) -> String? {
        guard let value = raw(key) else {
            if required { fail(key, "is required.") }
            return nil
        }
        guard case .string(let text) = value else {
            fail(key, "must be a string.")
            return nil
        }
        if text.isEmpty && (!allowEmpty || required) {
            fail(key, "must not be empty.")
            return nil
        }
        if text.count > maxLength {
            fail(key, "must be at most \(maxLength) characters long.")
            return nil
        }
        return text
    }

    mutating func integer(_ key: String, in range: ClosedRange<Int64>, required: Bool = false) -> Int64? {
        guard let value = raw(key) else {
            if required { fail(key, "is required.") }
            return nil
        }
        guard case .int(let number) = value else {
            fail(key, "must be an integer.")
            return nil
        }
        guard range.contains(number) else {
            fail(key, "must be between \(range.lowerBound) and \(range.upperBound).")
            return nil
        }
        return number
    }

    mutating func number(_ key: String, in range: ClosedRange<Double>) -> Double? {
        guard let value = raw(key) else { return nil }
        let number: Double
        switch value {
        case .int(let int): number = Double(int)
        case .double(let double): number = double
        default:
            fail(key, "must be a number.")
            return nil
        }
        guard range.contains(number) else {
            fail(key, "must be between \(range.lowerBound) and \(range.upperBound).")
            return nil
        }
        return number
    }

    mutating func bool(_ key: String) -> Bool? {
        guard let value = raw(key) else { return nil }
        guard case .bool(let flag) = value else {
            fail(key, "must be true or false.")
            return nil
        }
        return flag
    }

    mutating func oneOf(_ key: String, _ allowed: [String], required: Bool = false) -> String? {
        guard let text = string(key, maxLength: 64, required: required) else { return nil }
        guard allowed.contains(text) else {
            fail(key, "must be one of [\(allowed.joined(separator: ", "))].")
            return nil
        }
        return text
    }

    /// Reports every field that was sent but never read.
    mutating func rejectUnknown() {
        for (key, _) in pairs where !seen.contains(key) {
            errors.append(.invalid(path(key), "\(path(key)) is not allowed."))
        }
    }
}
