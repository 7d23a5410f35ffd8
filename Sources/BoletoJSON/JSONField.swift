/// One field of a request body as it was sent: left out, `null`, a value of the expected type, or a value of another
/// type.
///
/// A `Decodable` request type declares its fields as `JSONField`s so that ``JSONValueDecoder`` can read all of them
/// even when some are wrong: a field of the wrong type becomes ``invalid`` (the decoder reports it, with its path) and
/// the others are still read, so every problem of a body can be answered at once. The difference between ``absent``
/// and ``null`` is kept for the rules that care (a configuration's field left alone versus cleared).
public enum JSONField<Value: Decodable>: Decodable {
    case absent
    case null
    case present(Value)
    /// Sent with the wrong type; the decoder has reported it.
    case invalid

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        self = container.decodeNil() ? .null : .present(try container.decode(Value.self))
    }

    /// The value; nil when the field was absent, null or of the wrong type.
    public var value: Value? {
        if case .present(let value) = self { value } else { nil }
    }

    /// Whether the field was in the body at all, `null` and wrong types included.
    public var isSent: Bool {
        if case .absent = self { false } else { true }
    }

    /// Whether the field was sent as `null`.
    public var isNull: Bool {
        if case .null = self { true } else { false }
    }
}

extension JSONField: Sendable where Value: Sendable {}

extension JSONField: Equatable where Value: Equatable {}

/// What ``JSONValueDecoder`` fills in for a field it cannot take from the body.
protocol LenientField {
    static var absentField: Self { get }
    static var invalidField: Self { get }
}

extension JSONField: LenientField {
    static var absentField: JSONField { .absent }
    static var invalidField: JSONField { .invalid }
}
