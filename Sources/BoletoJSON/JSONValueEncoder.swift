/// Encodes `Encodable` values into ``JSON``, keeping keys in the order they are encoded (synthesized conformances
/// encode properties in declaration order), and writing a nil optional as `null` rather than leaving its key out. With
/// ``JSON/bytes`` it is the service's and the CLI's ordered, stable output. Foundation's `JSONEncoder` sorts or
/// scatters keys, and leaves nil optionals out.
public struct JSONValueEncoder: Sendable {
    public init() {}

    /// The JSON of `value`.
    public func encode(_ value: some Encodable) throws -> JSON {
        if let json = value as? JSON { return json }
        let node = JSONNode()
        try value.encode(to: NodeEncoder(node: node, codingPath: []))
        return node.json
    }
}

/// One value being built.
private final class JSONNode {
    enum Shape { case unset, scalar, object, array }
    var shape = Shape.unset
    var scalar = JSON.null
    var pairs: [(String, JSONNode)] = []
    var items: [JSONNode] = []

    var json: JSON {
        switch shape {
        case .unset: .null
        case .scalar: scalar
        case .object: .object(pairs.map { ($0.0, $0.1.json) })
        case .array: .array(items.map(\.json))
        }
    }

    func set(_ value: JSON) {
        shape = .scalar
        scalar = value
    }

    static func encoding(_ value: some Encodable, codingPath: [any CodingKey]) throws -> JSONNode {
        let node = JSONNode()
        if let json = value as? JSON {
            node.set(json)
        } else {
            try value.encode(to: NodeEncoder(node: node, codingPath: codingPath))
        }
        return node
    }
}

private struct NodeEncoder: Encoder {
    let node: JSONNode
    let codingPath: [any CodingKey]
    var userInfo: [CodingUserInfoKey: Any] { [:] }

    func container<Key: CodingKey>(keyedBy type: Key.Type) -> KeyedEncodingContainer<Key> {
        if node.shape != .object {
            node.shape = .object
            node.pairs = []
        }
        return KeyedEncodingContainer(KeyedNodeContainer<Key>(node: node, codingPath: codingPath))
    }

    func unkeyedContainer() -> any UnkeyedEncodingContainer {
        if node.shape != .array {
            node.shape = .array
            node.items = []
        }
        return UnkeyedNodeContainer(node: node, codingPath: codingPath)
    }

    func singleValueContainer() -> any SingleValueEncodingContainer {
        SingleNodeContainer(node: node, codingPath: codingPath)
    }
}

private struct KeyedNodeContainer<Key: CodingKey>: KeyedEncodingContainerProtocol {
    let node: JSONNode
    let codingPath: [any CodingKey]

    private func put(_ value: JSON, _ key: Key) {
        let child = JSONNode()
        child.set(value)
        node.pairs.append((key.stringValue, child))
    }

    mutating func encodeNil(forKey key: Key) throws { put(.null, key) }
    mutating func encode(_ value: Bool, forKey key: Key) throws { put(.bool(value), key) }
    mutating func encode(_ value: String, forKey key: Key) throws { put(.string(value), key) }
    mutating func encode(_ value: Double, forKey key: Key) throws { put(.double(value), key) }
    mutating func encode(_ value: Float, forKey key: Key) throws { put(.double(Double(value)), key) }
    mutating func encode(_ value: Int, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode(_ value: Int8, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode(_ value: Int16, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode(_ value: Int32, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode(_ value: Int64, forKey key: Key) throws { put(.int(value), key) }
    mutating func encode(_ value: UInt, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt8, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt16, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt32, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode(_ value: UInt64, forKey key: Key) throws { put(.int(Int64(value)), key) }
    mutating func encode<T: Encodable>(_ value: T, forKey key: Key) throws {
        node.pairs.append((key.stringValue, try JSONNode.encoding(value, codingPath: codingPath + [key])))
    }

    // A nil optional is written as null: the API's resources list every field.
    mutating func encodeIfPresent(_ value: Bool?, forKey key: Key) throws { put(value.map(JSON.bool) ?? .null, key) }
    mutating func encodeIfPresent(_ value: String?, forKey key: Key) throws { put(value.map(JSON.string) ?? .null, key) }
    mutating func encodeIfPresent(_ value: Double?, forKey key: Key) throws { put(value.map(JSON.double) ?? .null, key) }
    mutating func encodeIfPresent(_ value: Int?, forKey key: Key) throws { put(value.map { .int(Int64($0)) } ?? .null, key) }
    mutating func encodeIfPresent(_ value: Int64?, forKey key: Key) throws { put(value.map(JSON.int) ?? .null, key) }
    mutating func encodeIfPresent<T: Encodable>(_ value: T?, forKey key: Key) throws {
        guard let value else { return put(.null, key) }
        try encode(value, forKey: key)
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type,
                                                        forKey key: Key) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONNode()
        node.pairs.append((key.stringValue, child))
        return NodeEncoder(node: child, codingPath: codingPath + [key]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer(forKey key: Key) -> any UnkeyedEncodingContainer {
        let child = JSONNode()
        node.pairs.append((key.stringValue, child))
        return NodeEncoder(node: child, codingPath: codingPath + [key]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder { superEncoder(forKey: Key(stringValue: "super")!) }

    mutating func superEncoder(forKey key: Key) -> any Encoder {
        let child = JSONNode()
        node.pairs.append((key.stringValue, child))
        return NodeEncoder(node: child, codingPath: codingPath + [key])
    }
}

private struct UnkeyedNodeContainer: UnkeyedEncodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]
    var count: Int { node.items.count }

    private struct Index: CodingKey {
        var stringValue: String { String(intValue ?? 0) }
        var intValue: Int?
        init(_ index: Int) { intValue = index }
        init?(stringValue: String) { nil }
        init?(intValue: Int) { self.intValue = intValue }
    }

    private func put(_ value: JSON) {
        let child = JSONNode()
        child.set(value)
        node.items.append(child)
    }

    mutating func encodeNil() throws { put(.null) }
    mutating func encode(_ value: Bool) throws { put(.bool(value)) }
    mutating func encode(_ value: String) throws { put(.string(value)) }
    mutating func encode(_ value: Double) throws { put(.double(value)) }
    mutating func encode(_ value: Int) throws { put(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { put(.int(value)) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        node.items.append(try JSONNode.encoding(value, codingPath: codingPath + [Index(count)]))
    }

    mutating func nestedContainer<NestedKey: CodingKey>(keyedBy keyType: NestedKey.Type) -> KeyedEncodingContainer<NestedKey> {
        let child = JSONNode()
        node.items.append(child)
        return NodeEncoder(node: child, codingPath: codingPath + [Index(count - 1)]).container(keyedBy: keyType)
    }

    mutating func nestedUnkeyedContainer() -> any UnkeyedEncodingContainer {
        let child = JSONNode()
        node.items.append(child)
        return NodeEncoder(node: child, codingPath: codingPath + [Index(count - 1)]).unkeyedContainer()
    }

    mutating func superEncoder() -> any Encoder {
        let child = JSONNode()
        node.items.append(child)
        return NodeEncoder(node: child, codingPath: codingPath + [Index(count - 1)])
    }
}

private struct SingleNodeContainer: SingleValueEncodingContainer {
    let node: JSONNode
    let codingPath: [any CodingKey]

    mutating func encodeNil() throws { node.set(.null) }
    mutating func encode(_ value: Bool) throws { node.set(.bool(value)) }
    mutating func encode(_ value: String) throws { node.set(.string(value)) }
    mutating func encode(_ value: Double) throws { node.set(.double(value)) }
    mutating func encode(_ value: Float) throws { node.set(.double(Double(value))) }
    mutating func encode(_ value: Int) throws { node.set(.int(Int64(value))) }
    mutating func encode(_ value: Int8) throws { node.set(.int(Int64(value))) }
    mutating func encode(_ value: Int16) throws { node.set(.int(Int64(value))) }
    mutating func encode(_ value: Int32) throws { node.set(.int(Int64(value))) }
    mutating func encode(_ value: Int64) throws { node.set(.int(value)) }
    mutating func encode(_ value: UInt) throws { node.set(.int(Int64(value))) }
    mutating func encode(_ value: UInt8) throws { node.set(.int(Int64(value))) }
    mutating func encode(_ value: UInt16) throws { node.set(.int(Int64(value))) }
    mutating func encode(_ value: UInt32) throws { node.set(.int(Int64(value))) }
    mutating func encode(_ value: UInt64) throws { node.set(.int(Int64(value))) }
    mutating func encode<T: Encodable>(_ value: T) throws {
        let child = try JSONNode.encoding(value, codingPath: codingPath)
        node.shape = child.shape
        node.scalar = child.scalar
        node.pairs = child.pairs
        node.items = child.items
    }
}

extension JSON: Encodable {
    /// A JSON value encodes as itself (object keys in order).
    public func encode(to encoder: any Encoder) throws {
        switch self {
        case .null:
            var container = encoder.singleValueContainer()
            try container.encodeNil()
        case .bool(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .int(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .double(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .string(let value):
            var container = encoder.singleValueContainer()
            try container.encode(value)
        case .array(let values):
            var container = encoder.unkeyedContainer()
            for value in values { try container.encode(value) }
        case .object(let pairs):
            var container = encoder.container(keyedBy: AnyKey.self)
            for (key, value) in pairs { try container.encode(value, forKey: AnyKey(stringValue: key)) }
        }
    }

    private struct AnyKey: CodingKey {
        var stringValue: String
        var intValue: Int? { nil }
        init(stringValue: String) { self.stringValue = stringValue }
        init?(intValue: Int) { nil }
    }
}
