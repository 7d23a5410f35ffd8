/// A problem ``JSONValueDecoder`` found in a body, with the path of the value it concerns.
public struct JSONDecodingIssue: Sendable, Equatable, CustomStringConvertible {
    /// The kinds of JSON value a field can expect.
    public enum Expected: String, Sendable {
        case object, array, string, integer, number, boolean
    }

    public enum Kind: Sendable, Equatable {
        /// The value is not of the expected kind.
        case wrongType(Expected)
        /// An object's key that the type does not read.
        case unknownKey
        /// An object's key given more than once.
        case duplicateKey
        /// A value the type itself refused (a `DecodingError.dataCorrupted`), with its reason.
        case invalid(String)
    }

    /// Object keys, and array indices as decimal text, from the document's root; empty for the root itself.
    public let path: [String]
    public let kind: Kind

    public init(path: [String], kind: Kind) {
        self.path = path
        self.kind = kind
    }

    public var description: String {
        let at = path.isEmpty ? "the document" : path.joined(separator: ".")
        switch kind {
        case .wrongType(let expected): return "\(at) is not \(expected == .integer || expected == .object || expected == .array ? "an" : "a") \(expected.rawValue)"
        case .unknownKey: return "\(at) is not allowed"
        case .duplicateKey: return "\(at) is given more than once"
        case .invalid(let reason): return "\(at): \(reason)"
        }
    }
}

/// Decodes `Decodable` types from a parsed ``JSON`` value strictly, collecting every problem instead of stopping at
/// the first.
///
/// - A key the type does not read is an ``JSONDecodingIssue/Kind/unknownKey``; a key given twice in one object, a
///   ``JSONDecodingIssue/Kind/duplicateKey`` (however deep).
/// - Types are not converted: a string is not an integer, `1.5` is not an integer, an integer is a number.
/// - A property declared as ``JSONField`` never fails the decoding. Left out, it is ``JSONField/absent``; of the wrong
///   type, it is ``JSONField/invalid`` and the problem is reported, and the remaining fields are still read. Other
///   properties fail the whole value as usual (the result's `value` is nil) with the problem reported.
/// - A property of type ``JSON`` takes the value as sent.
public struct JSONValueDecoder: Sendable {
    public init() {}

    /// `T` decoded from `json`, and every problem found; `value` is nil when decoding failed outright.
    public func decode<T: Decodable>(_ type: T.Type, from json: JSON) -> (value: T?, issues: [JSONDecodingIssue]) {
        let state = DecodingState()
        state.findDuplicates(in: json, path: [])
        var value: T?
        do {
            value = try ValueDecoder(value: json, path: [], state: state).decodeValue(T.self)
        } catch {
            state.record(error)
        }
        state.reportUnknownKeys()
        return (value, state.issues)
    }
}

/// Problems found so far, and the keys read in each object.
private final class DecodingState {
    var issues: [JSONDecodingIssue] = []
    /// Per object (by path), its keys and the ones read, in the order the objects were opened.
    var objects: [(path: [String], keys: [String], read: Set<String>)] = []
    var objectIndex: [[String]: Int] = [:]

    func findDuplicates(in json: JSON, path: [String]) {
        switch json {
        case .object(let pairs):
            var seen = Set<String>()
            var reported = Set<String>()
            for (key, value) in pairs {
                if !seen.insert(key).inserted, reported.insert(key).inserted {
                    issues.append(JSONDecodingIssue(path: path + [key], kind: .duplicateKey))
                }
                findDuplicates(in: value, path: path + [key])
            }
        case .array(let values):
            for (index, value) in values.enumerated() { findDuplicates(in: value, path: path + [String(index)]) }
        default:
            break
        }
    }

    func open(path: [String], pairs: [(String, JSON)]) -> Int {
        if let index = objectIndex[path] { return index }
        objects.append((path, pairs.map(\.0), []))
        objectIndex[path] = objects.count - 1
        return objects.count - 1
    }

    func markRead(_ key: String, object: Int) { objects[object].read.insert(key) }

    func reportUnknownKeys() {
        for object in objects {
            var reported = Set<String>()
            for key in object.keys where !object.read.contains(key) && reported.insert(key).inserted {
                issues.append(JSONDecodingIssue(path: object.path + [key], kind: .unknownKey))
            }
        }
    }

    func record(_ error: any Error) {
        switch error {
        case let mismatch as Mismatch:
            issues.append(JSONDecodingIssue(path: mismatch.path, kind: .wrongType(mismatch.expected)))
        case DecodingError.dataCorrupted(let context), DecodingError.typeMismatch(_, let context),
             DecodingError.valueNotFound(_, let context):
            issues.append(JSONDecodingIssue(path: context.codingPath.map(\.stringValue), kind: .invalid(context.debugDescription)))
        case DecodingError.keyNotFound(let key, let context):
            issues.append(JSONDecodingIssue(path: context.codingPath.map(\.stringValue) + [key.stringValue],
                                            kind: .invalid("is required")))
        default:
            issues.append(JSONDecodingIssue(path: [], kind: .invalid(String(describing: error))))
        }
    }
}

/// A value of the wrong kind, at a path.
private struct Mismatch: Error {
    let path: [String]
    let expected: JSONDecodingIssue.Expected
}

private struct IndexKey: CodingKey {
    let intValue: Int?
    let stringValue: String
    init(_ index: Int) { intValue = index; stringValue = String(index) }
    init?(intValue: Int) { self.init(intValue) }
    init?(stringValue: String) { nil }
}

private struct NamedKey: CodingKey {
    let stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The decoder of one value, which is also its single-value container.
private struct ValueDecoder: Decoder, SingleValueDecodingContainer {
    let value: JSON
    let path: [String]
    let state: DecodingState

    var codingPath: [any CodingKey] { path.map { NamedKey($0) } }
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func child(_ value: JSON, _ key: String) -> ValueDecoder { ValueDecoder(value: value, path: path + [key], state: state) }

    func mismatch(_ expected: JSONDecodingIssue.Expected) -> Mismatch { Mismatch(path: path, expected: expected) }

    /// `T` from this value: ``JSON`` as it is, a ``JSONField`` leniently, anything else through its `init(from:)`.
    func decodeValue<T: Decodable>(_ type: T.Type) throws -> T {
        if T.self == JSON.self { return value as! T }
        return try T(from: self)
    }

    /// A ``JSONField`` (or any ``LenientField``) never throws: its problem is recorded and it becomes invalid.
    func decodeLeniently<T: Decodable>(_ type: T.Type, lenient: any LenientField.Type) -> T {
        do { return try decodeValue(T.self) } catch {
            state.record(error)
            return lenient.invalidField as! T
        }
    }

    func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
        guard case .object(let pairs) = value else { throw mismatch(.object) }
        return KeyedDecodingContainer(KeyedContainer<Key>(decoder: self, pairs: pairs,
                                                          object: state.open(path: path, pairs: pairs)))
    }

    func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
        guard case .array(let values) = value else { throw mismatch(.array) }
        return UnkeyedContainer(decoder: self, values: values)
    }

    func singleValueContainer() throws -> any SingleValueDecodingContainer { self }

    func decodeNil() -> Bool {
        if case .null = value { true } else { false }
    }

    func decode(_ type: Bool.Type) throws -> Bool {
        guard case .bool(let flag) = value else { throw mismatch(.boolean) }
        return flag
    }

    func decode(_ type: String.Type) throws -> String {
        guard case .string(let text) = value else { throw mismatch(.string) }
        return text
    }

    func decode(_ type: Double.Type) throws -> Double {
        switch value {
        case .int(let number): return Double(number)
        case .double(let number): return number
        default: throw mismatch(.number)
        }
    }

    func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }

    func integer<T: FixedWidthInteger>(_ type: T.Type) throws -> T {
        guard case .int(let number) = value, let exact = T(exactly: number) else { throw mismatch(.integer) }
        return exact
    }

    func decode(_ type: Int.Type) throws -> Int { try integer(type) }
    func decode(_ type: Int8.Type) throws -> Int8 { try integer(type) }
    func decode(_ type: Int16.Type) throws -> Int16 { try integer(type) }
    func decode(_ type: Int32.Type) throws -> Int32 { try integer(type) }
    func decode(_ type: Int64.Type) throws -> Int64 { try integer(type) }
    func decode(_ type: UInt.Type) throws -> UInt { try integer(type) }
    func decode(_ type: UInt8.Type) throws -> UInt8 { try integer(type) }
    func decode(_ type: UInt16.Type) throws -> UInt16 { try integer(type) }
    func decode(_ type: UInt32.Type) throws -> UInt32 { try integer(type) }
    func decode(_ type: UInt64.Type) throws -> UInt64 { try integer(type) }
    func decode<T: Decodable>(_ type: T.Type) throws -> T { try decodeValue(type) }
}

private struct KeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
    let decoder: ValueDecoder
    let pairs: [(String, JSON)]
    /// This object's entry in the state's read-key bookkeeping.
    let object: Int

    var codingPath: [any CodingKey] { decoder.codingPath }
    var allKeys: [Key] { pairs.compactMap { Key(stringValue: $0.0) } }

    /// The first value of `key`, which counts as read.
    func raw(_ key: Key) -> JSON? {
        decoder.state.markRead(key.stringValue, object: object)
        return pairs.first { $0.0 == key.stringValue }?.1
    }

    func required(_ key: Key) throws -> ValueDecoder {
        guard let value = raw(key) else {
            throw DecodingError.keyNotFound(key, .init(codingPath: codingPath, debugDescription: "is required"))
        }
        return decoder.child(value, key.stringValue)
    }

    func contains(_ key: Key) -> Bool { raw(key) != nil }

    func decodeNil(forKey key: Key) throws -> Bool { try required(key).decodeNil() }

    func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
        if let lenient = T.self as? any LenientField.Type {
            guard let value = raw(key) else { return lenient.absentField as! T }
            return decoder.child(value, key.stringValue).decodeLeniently(T.self, lenient: lenient)
        }
        return try required(key).decodeValue(T.self)
    }

    func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try required(key).decode(type) }
    func decode(_ type: String.Type, forKey key: Key) throws -> String { try required(key).decode(type) }
    func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try required(key).decode(type) }
    func decode(_ type: Float.Type, forKey key: Key) throws -> Float { try required(key).decode(type) }
    func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try required(key).decode(type) }
    func decode(_ type: Int8.Type, forKey key: Key) throws -> Int8 { try required(key).decode(type) }
    func decode(_ type: Int16.Type, forKey key: Key) throws -> Int16 { try required(key).decode(type) }
    func decode(_ type: Int32.Type, forKey key: Key) throws -> Int32 { try required(key).decode(type) }
    func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try required(key).decode(type) }
    func decode(_ type: UInt.Type, forKey key: Key) throws -> UInt { try required(key).decode(type) }
    func decode(_ type: UInt8.Type, forKey key: Key) throws -> UInt8 { try required(key).decode(type) }
    func decode(_ type: UInt16.Type, forKey key: Key) throws -> UInt16 { try required(key).decode(type) }
    func decode(_ type: UInt32.Type, forKey key: Key) throws -> UInt32 { try required(key).decode(type) }
    func decode(_ type: UInt64.Type, forKey key: Key) throws -> UInt64 { try required(key).decode(type) }

    func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type,
                                               forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
        try required(key).container(keyedBy: type)
    }

    func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
        try required(key).unkeyedContainer()
    }

    func superDecoder() throws -> any Decoder { decoder }
    func superDecoder(forKey key: Key) throws -> any Decoder { try required(key) }
}

private struct UnkeyedContainer: UnkeyedDecodingContainer {
    let decoder: ValueDecoder
    let values: [JSON]
    var currentIndex = 0

    var codingPath: [any CodingKey] { decoder.codingPath }
    var count: Int? { values.count }
    var isAtEnd: Bool { currentIndex >= values.count }

    mutating func next() throws -> ValueDecoder {
        guard !isAtEnd else {
            throw DecodingError.valueNotFound(JSON.self, .init(codingPath: codingPath + [IndexKey(currentIndex)],
                                                               debugDescription: "the array has no more values"))
        }
        defer { currentIndex += 1 }
        return decoder.child(values[currentIndex], String(currentIndex))
    }

    mutating func decodeNil() throws -> Bool {
        guard !isAtEnd else { return try next().decodeNil() }
        guard case .null = values[currentIndex] else { return false }
        currentIndex += 1
        return true
    }

    mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
        let element = try next()
        if let lenient = T.self as? any LenientField.Type { return element.decodeLeniently(T.self, lenient: lenient) }
        return try element.decodeValue(T.self)
    }

    mutating func decode(_ type: Bool.Type) throws -> Bool { try next().decode(type) }
    mutating func decode(_ type: String.Type) throws -> String { try next().decode(type) }
    mutating func decode(_ type: Double.Type) throws -> Double { try next().decode(type) }
    mutating func decode(_ type: Float.Type) throws -> Float { try next().decode(type) }
    mutating func decode(_ type: Int.Type) throws -> Int { try next().decode(type) }
    mutating func decode(_ type: Int8.Type) throws -> Int8 { try next().decode(type) }
    mutating func decode(_ type: Int16.Type) throws -> Int16 { try next().decode(type) }
    mutating func decode(_ type: Int32.Type) throws -> Int32 { try next().decode(type) }
    mutating func decode(_ type: Int64.Type) throws -> Int64 { try next().decode(type) }
    mutating func decode(_ type: UInt.Type) throws -> UInt { try next().decode(type) }
    mutating func decode(_ type: UInt8.Type) throws -> UInt8 { try next().decode(type) }
    mutating func decode(_ type: UInt16.Type) throws -> UInt16 { try next().decode(type) }
    mutating func decode(_ type: UInt32.Type) throws -> UInt32 { try next().decode(type) }
    mutating func decode(_ type: UInt64.Type) throws -> UInt64 { try next().decode(type) }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
        try next().container(keyedBy: type)
    }

    mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }
    mutating func superDecoder() throws -> any Decoder { try next() }
}
