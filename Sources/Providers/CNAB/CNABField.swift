/// One field of a fixed-width CNAB record, by the positions the bank's manual gives (1-based, inclusive).
///
/// Layouts are tables of these, never hand-sliced strings: a record layout lists its fields, and the reader and
/// writer take every value through them.
public struct CNABField: Sendable, Hashable {
    /// How the field's characters are read.
    public enum Kind: Sendable, Hashable {
        /// Free text, trimmed of surrounding spaces.
        case text
        /// Digits, leading zeros kept.
        case digits
        /// An amount with two implied decimals, read as integer cents.
        case cents
        /// `DDMMAA`; years 00–69 are 20xx, 70–99 are 19xx; zeros or blanks are no date.
        case dateDDMMAA
        /// `DDMMAAAA`; zeros or blanks are no date.
        case dateDDMMAAAA
    }

    /// The field's name, as this project's model names it.
    public let name: String
    /// First position, 1-based.
    public let start: Int
    /// Last position, inclusive.
    public let end: Int
    /// How it is read.
    public let kind: Kind

    /// A field from `start` to `end` (1-based, inclusive).
    public init(_ name: String, _ start: Int, _ end: Int, _ kind: Kind = .text) {
        precondition(start >= 1 && end >= start, "CNAB positions are 1-based and inclusive")
        self.name = name
        self.start = start
        self.end = end
        self.kind = kind
    }

    /// How many characters it spans.
    public var length: Int { end - start + 1 }
}

/// A record layout: its name (as the manual calls the record) and its fields.
public struct CNABRecordLayout: Sendable {
    /// The manual's name of the record (`Detalhe (tipo 1)`, `Segmento T`).
    public let name: String
    /// The fields, by name.
    public let fields: [String: CNABField]

    /// A layout of `fields`.
    public init(_ name: String, _ fields: [CNABField]) {
        self.name = name
        self.fields = Dictionary(fields.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
    }

    /// The field called `name`; a layout that lacks it is a programming error.
    public subscript(_ name: String) -> CNABField {
        guard let field = fields[name] else { preconditionFailure("\(self.name) has no field \(name)") }
        return field
    }

    /// A copy with `replacements` put in place of (or added to) its fields.
    public func replacing(_ replacements: [CNABField]) -> CNABRecordLayout {
        var merged = fields
        for field in replacements { merged[field.name] = field }
        return CNABRecordLayout(name, Array(merged.values))
    }
}
