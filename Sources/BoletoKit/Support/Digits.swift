/// A short run of decimal digits kept inline, without a heap allocation.
///
/// Every part of a boleto is a run of at most 48 digits: fields of the issuer's data, the 25-digit free field, the
/// 44-digit barcode, the 47- and 48-digit lines. `Digits` holds such a run by value, so building and checking a
/// boleto allocates nothing until the caller asks for a `String`.
public struct Digits: Hashable, Sendable, CustomStringConvertible {
    /// The most digits a value can hold.
    public static let capacity = 48

    var storage: InlineArray<48, UInt8>
    /// How many digits there are.
    public private(set) var count: Int

    /// No digits.
    public init() {
        storage = InlineArray(repeating: 0)
        count = 0
    }

    /// The digits of `text`, or `nil` when `text` has a character other than `0`–`9` or more than 48 of them.
    @inline(__always)
    public init?(_ text: String) {
        let parsed: Digits?? = text.utf8.withContiguousStorageIfAvailable { Digits(ascii: $0) }
        if let parsed { guard let digits = parsed else { return nil }; self = digits; return }
        self.init(substring: Substring(text))
    }

    /// The digits of ASCII `bytes`, or `nil` when a byte is not `0`–`9` or there are more than 48: for callers that
    /// read lines as bytes (a file, a socket) and need no `String`.
    @inline(__always)
    public init?(ascii bytes: UnsafeBufferPointer<UInt8>) {
        guard bytes.count <= Self.capacity else { return nil }
        self.init()
        guard store(bytes, from: 0, at: 0) else { return nil }
        count = bytes.count
    }

    /// The digits of `text`, or `nil` when `text` has a character other than `0`–`9` or more than 48 of them.
    public init?(_ text: Substring) {
        self.init(substring: text)
    }

    private init?(substring text: Substring) {
        self.init()
        for byte in text.utf8 {
            guard byte >= 48, byte <= 57, count < Self.capacity else { return nil }
            storage[count] = byte &- 48
            count += 1
        }
    }

    /// The digits of a non-negative integer, zero-padded on the left to `width`.
    public init(_ value: Int64, width: Int) {
        precondition(width <= Self.capacity && value >= 0)
        self.init()
        count = width
        if width <= 16 {
            // Up to 16 digits are gathered in two registers and stored with one 16-byte store: storing them one byte
            // at a time and then copying the value (16 bytes at a time) makes the processor wait for the byte
            // stores to reach the cache before it can read them back, which perf put at a quarter of this init.
            var low: UInt64 = 0, high: UInt64 = 0
            var rest = UInt64(value)
            var index = width &- 1
            while index >= 0 {
                let digit = rest % 10
                rest /= 10
                if index < 8 { low |= digit &<< UInt64(index &* 8) } else { high |= digit &<< UInt64((index &- 8) &* 8) }
                index &-= 1
            }
            withUnsafeMutableBytes(of: &storage) { $0.storeBytes(of: SIMD2(low, high), as: SIMD2<UInt64>.self) }
            return
        }
        var rest = value
        var index = width - 1
        while index >= 0 {
            storage[index] = UInt8(truncatingIfNeeded: rest % 10)
            rest /= 10
            index -= 1
        }
    }

    /// The digit at `index`, 0–9.
    public subscript(index: Int) -> Int {
        get { Int(storage[index]) }
        set { storage[index] = UInt8(truncatingIfNeeded: newValue) }
    }

    /// The digits in `range`.
    public subscript(range: Range<Int>) -> Digits {
        precondition(range.lowerBound >= 0 && range.upperBound <= count)
        return withUnsafeDigits { source in
            Digits(count: range.count) { target in
                target.baseAddress!.copyMemory(from: source.baseAddress! + range.lowerBound, byteCount: range.count)
            }
        }
    }

    /// Adds one digit, 0–9, at the end.
    public mutating func append(_ digit: Int) {
        precondition(count < Self.capacity, "Digits overflow")
        storage[count] = UInt8(truncatingIfNeeded: digit)
        count += 1
    }

    /// Adds all of `other` at the end.
    public mutating func append(_ other: Digits) {
        precondition(count + other.count <= Self.capacity, "Digits overflow")
        let start = count
        withUnsafeMutableBytes(of: &storage) { target in
            other.withUnsafeDigits { source in
                target.baseAddress!.advanced(by: start).copyMemory(from: source.baseAddress!, byteCount: source.count)
            }
        }
        count += other.count
    }

    /// Overwrites the digits from `offset` with `other` (which must fit inside ``count``): a fitted layout writes each
    /// boleto's nosso número into its free-field template this way.
    mutating func replace(at offset: Int, with other: Digits) {
        precondition(offset >= 0 && offset + other.count <= count, "Digits range")
        withUnsafeMutableBytes(of: &storage) { target in
            other.withUnsafeDigits { source in
                target.baseAddress!.advanced(by: offset).copyMemory(from: source.baseAddress!, byteCount: source.count)
            }
        }
    }

    /// Adds the digits of a literal, such as a layout's constant `"000"`.
    public mutating func append(literal: StaticString) {
        literal.withUTF8Buffer { buffer in
            for byte in buffer { append(Int(byte) - 48) }
        }
    }

    /// The two runs, one after the other.
    public static func + (lhs: Digits, rhs: Digits) -> Digits {
        var joined = lhs
        joined.append(rhs)
        return joined
    }

    /// The digits as a numeric value (up to 18 digits).
    public var int64Value: Int64 {
        var value: Int64 = 0
        for index in 0..<count { value = value * 10 + Int64(storage[index]) }
        return value
    }

    /// Whether every digit is 0 (true when empty).
    public var isAllZeros: Bool {
        for index in 0..<count where storage[index] != 0 { return false }
        return true
    }

    /// The digits as text.
    public var description: String {
        String(unsafeUninitializedCapacity: count) { buffer in
            writeASCII(to: UnsafeMutableRawBufferPointer(buffer))
        }
    }

    public static func == (lhs: Digits, rhs: Digits) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<lhs.count where lhs.storage[index] != rhs.storage[index] { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for index in 0..<count { hasher.combine(storage[index]) }
    }
}

extension Digits {
    /// Calls `body` with the digits (values 0–9, `count` bytes) in place.
    @inline(__always)
    func withUnsafeDigits<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        let count = count
        return withUnsafeBytes(of: storage) { body(UnsafeRawBufferPointer(rebasing: $0[0..<count])) }
    }

    /// Calls `body` with all 48 storage bytes, the digits first (reads past `count` see what the storage holds, as
    /// the integer subscript does).
    @inline(__always)
    func withUnsafeStorage<R>(_ body: (UnsafeRawBufferPointer) -> R) -> R {
        withUnsafeBytes(of: storage) { body($0) }
    }

    /// Stores the ASCII digits `bytes[first...]` as values from storage position `offset` (`count` is left as it is);
    /// `false` when a byte is not `0`–`9`. The caller checks that they fit.
    @inline(__always)
    mutating func store(_ bytes: UnsafeBufferPointer<UInt8>, from first: Int, at offset: Int) -> Bool {
        guard first < bytes.count, let source = bytes.baseAddress else { return true }
        return withUnsafeMutableBytes(of: &storage) { target in
            Self.storeValues(source + first, count: bytes.count &- first, to: target.baseAddress! + offset)
        }
    }

    /// Writes the values of `count` ASCII digits at `source` to `target`; `false` when a byte is not `0`–`9` (what
    /// was written is then meaningless).
    ///
    /// Eight bytes at a time: a byte is a digit when neither `byte − 0x30` nor `byte + 0x46` has its top bit set (nor
    /// the byte itself). A borrow or carry between bytes only comes from a byte that is not a digit, which is flagged
    /// by itself, so the test is exact for the question "is every byte a digit".
    @inline(__always)
    static func storeValues(_ source: UnsafePointer<UInt8>, count: Int, to target: UnsafeMutableRawPointer) -> Bool {
        let zeros: UInt64 = 0x3030_3030_3030_3030, above: UInt64 = 0x4646_4646_4646_4646, highs: UInt64 = 0x8080_8080_8080_8080
        var bad: UInt64 = 0
        var index = 0
        while index &+ 8 <= count {
            let word = UnsafeRawPointer(source + index).loadUnaligned(as: UInt64.self)
            let values = word &- zeros
            bad |= values | (word &+ above) | word
            target.storeBytes(of: values, toByteOffset: index, as: UInt64.self)
            index &+= 8
        }
        while index < count {
            let value = source[index] &- 48
            bad |= value > 9 ? highs : 0
            target.storeBytes(of: value, toByteOffset: index, as: UInt8.self)
            index &+= 1
        }
        return bad & highs == 0
    }

    /// Writes `count` digit values from `source` as ASCII at `target`: eight at a time (each value ORed with `0x30`),
    /// then one by one.
    @inline(__always)
    static func writeASCII(_ source: UnsafeRawPointer, count: Int, to target: UnsafeMutableRawPointer) {
        let ascii: UInt64 = 0x3030_3030_3030_3030
        var index = 0
        while index &+ 8 <= count {
            target.storeBytes(of: source.loadUnaligned(fromByteOffset: index, as: UInt64.self) | ascii,
                              toByteOffset: index, as: UInt64.self)
            index &+= 8
        }
        while index < count {
            target.storeBytes(of: source.load(fromByteOffset: index, as: UInt8.self) | 0x30, toByteOffset: index, as: UInt8.self)
            index &+= 1
        }
    }

    /// `count` digits written by `body` into a zeroed buffer of that many bytes (values 0–9).
    @inline(__always)
    init(count: Int, _ body: (UnsafeMutableRawBufferPointer) -> Void) {
        precondition(count >= 0 && count <= Self.capacity, "Digits overflow")
        self.init()
        withUnsafeMutableBytes(of: &storage) { body(UnsafeMutableRawBufferPointer(rebasing: $0[0..<count])) }
        self.count = count
    }

    /// Writes the digits as ASCII (`"0"`–`"9"`) into `buffer` at `offset`, allocating nothing, and returns the
    /// offset just past them: the output path for mass issuance straight into a file or network buffer.
    /// `buffer` must have room for ``count`` bytes from `offset`.
    @inline(__always)
    @discardableResult
    public func writeASCII(to buffer: UnsafeMutableRawBufferPointer, at offset: Int = 0) -> Int {
        precondition(offset >= 0 && offset + count <= buffer.count)
        withUnsafeStorage { source in Self.writeASCII(source.baseAddress!, count: count, to: buffer.baseAddress! + offset) }
        return offset + count
    }
}

extension Digits {
    /// A field of the issuer's data fitted to its slot in a layout.
    ///
    /// The value is zero-padded on the left to `width`. A longer value is accepted only when the extra leading
    /// digits are zeros, which are dropped. Errors name `field` and never echo the value.
    public static func field(_ value: String?, width: Int, name field: String) throws(BoletoError) -> Digits {
        guard let value, !value.isEmpty else { throw .missing(field) }
        return try fitted(value, width: width, name: field)
    }

    /// Like ``field(_:width:name:)``, with `fallback` when the value is absent or empty.
    public static func field(_ value: String?, width: Int, name field: String,
                             default fallback: StaticString) throws(BoletoError) -> Digits {
        guard let value, !value.isEmpty else {
            var digits = Digits()
            digits.append(literal: fallback)
            return try fitted(digits.description, width: width, name: field)
        }
        return try fitted(value, width: width, name: field)
    }

    private static func fitted(_ value: String, width: Int, name field: String) throws(BoletoError) -> Digits {
        // Fast path, one pass over the UTF-8 in place: every byte a digit and the significant digits fit. Anything
        // else takes the exact path below, which names the first problem.
        let fast: Digits?? = value.utf8.withContiguousStorageIfAvailable { bytes -> Digits? in
            let length = bytes.count
            var first = 0
            while first < length && bytes[first] == 48 { first &+= 1 }
            let significant = length &- first
            guard significant <= width else { return nil }
            var digits = Digits()
            guard digits.store(bytes, from: first, at: width &- significant) else { return nil }
            digits.count = width
            return digits
        }
        if let fast = fast ?? nil { return fast }
        return try fittedSlow(value, width: width, name: field)
    }

    private static func fittedSlow(_ value: String, width: Int, name field: String) throws(BoletoError) -> Digits {
        var significant = Digits()
        var significantCount = 0
        for byte in value.utf8 {
            guard byte >= 48, byte <= 57 else {
                throw BoletoError(.invalidCharacters, field: field, "The field \(field) must contain digits only.")
            }
            guard byte != 48 || significantCount > 0 else { continue }
            significantCount += 1
            if significantCount <= width { significant.append(Int(byte) - 48) }
        }
        guard significantCount <= width else {
            throw BoletoError(.fieldTooLong, field: field,
                              "The field \(field) has \(significantCount) significant digits; its slot holds \(width).")
        }
        var padded = Digits()
        for _ in 0..<(width - significant.count) { padded.append(0) }
        padded.append(significant)
        return padded
    }
}
