/// A short piece of printed text, such as a nosso número as the bank prints it (`06/00075896452-P`), kept inline.
///
/// Bank layouts build it with string interpolation of ``Digits``, ``CheckDigit`` and small integers, exactly as they
/// would build a `String`, but nothing is allocated until someone reads ``description``. At most 32 ASCII bytes.
public struct PrintedText: Hashable, Sendable, CustomStringConvertible, ExpressibleByStringInterpolation {
    /// The most bytes a printed text holds.
    public static let capacity = 32

    var bytes: InlineArray<32, UInt8>
    /// The length in bytes.
    public private(set) var count: Int

    public init(stringLiteral value: StaticString) {
        var interpolation = StringInterpolation(literalCapacity: 0, interpolationCount: 0)
        interpolation.appendLiteral(value)
        self = interpolation.text
    }

    public init(stringInterpolation: StringInterpolation) {
        self = stringInterpolation.text
    }

    private init() {
        bytes = InlineArray(repeating: 0)
        count = 0
    }

    /// Builds a ``PrintedText`` from literal parts and interpolated digits.
    public struct StringInterpolation: StringInterpolationProtocol {
        public typealias StringLiteralType = StaticString
        var text = PrintedText()

        public init(literalCapacity: Int, interpolationCount: Int) {}

        mutating func append(_ byte: UInt8) {
            precondition(text.count < PrintedText.capacity, "PrintedText overflow")
            text.bytes[text.count] = byte
            text.count += 1
        }

        public mutating func appendLiteral(_ literal: StaticString) {
            literal.withUTF8Buffer { buffer in
                let start = text.count
                precondition(start + buffer.count <= PrintedText.capacity, "PrintedText overflow")
                withUnsafeMutableBytes(of: &text.bytes) { target in
                    if let source = buffer.baseAddress { (target.baseAddress! + start).copyMemory(from: source, byteCount: buffer.count) }
                }
                text.count = start + buffer.count
            }
        }

        /// Appends the digits as text.
        public mutating func appendInterpolation(_ digits: Digits) {
            let start = text.count
            precondition(start + digits.count <= PrintedText.capacity, "PrintedText overflow")
            withUnsafeMutableBytes(of: &text.bytes) { target in
                digits.withUnsafeDigits { source in
                    Digits.writeASCII(source.baseAddress!, count: source.count, to: target.baseAddress! + start)
                }
            }
            text.count = start + digits.count
        }

        /// Appends a check digit as printed (a digit or a letter).
        public mutating func appendInterpolation(_ checkDigit: CheckDigit) {
            append(checkDigit.ascii)
        }

        /// Appends a non-negative integer in decimal.
        public mutating func appendInterpolation(_ value: Int) {
            precondition(value >= 0)
            if value >= 10 { appendInterpolation(value / 10) }
            append(UInt8(truncatingIfNeeded: 48 + value % 10))
        }

        /// Appends ASCII text (rare paths only, such as an issuer-supplied check digit).
        public mutating func appendInterpolation(_ text: String) {
            for byte in text.utf8 { append(byte) }
        }
    }

    /// The text.
    public var description: String {
        String(unsafeUninitializedCapacity: count) { buffer in
            withUTF8 { buffer.baseAddress!.update(from: $0.baseAddress!, count: $0.count) }
            return count
        }
    }

    /// Calls `body` with the text's UTF-8 bytes in place, allocating nothing: for writers that copy it into an output
    /// buffer.
    @inline(__always)
    public func withUTF8<R>(_ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        let count = count
        return withUnsafeBytes(of: bytes) { raw in
            body(UnsafeBufferPointer(start: raw.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count))
        }
    }

    public static func == (lhs: PrintedText, rhs: PrintedText) -> Bool {
        guard lhs.count == rhs.count else { return false }
        for index in 0..<lhs.count where lhs.bytes[index] != rhs.bytes[index] { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        for index in 0..<count { hasher.combine(bytes[index]) }
    }
}
