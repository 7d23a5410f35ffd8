/// A check digit ("dígito verificador", DV) as printed.
///
/// Most check digits are `0`–`9`, but some banks print a letter: Bradesco prints `P` and Banco do Brasil `X`
/// for a remainder of 1. So a check digit is a character, not an `Int`.
public struct CheckDigit: Hashable, Sendable, CustomStringConvertible {
    /// The ASCII code of the printed character.
    public let ascii: UInt8

    /// A numeric check digit, 0–9.
    public init(_ value: Int) {
        precondition((0...9).contains(value))
        ascii = UInt8(48 + value)
    }

    /// A letter check digit such as `P` or `X`.
    public init(letter: Unicode.Scalar) {
        ascii = UInt8(letter.value)
    }

    /// The numeric value, or `nil` for a letter.
    public var value: Int? { ascii >= 48 && ascii <= 57 ? Int(ascii) - 48 : nil }

    public var description: String { String(UnicodeScalar(ascii)) }
}

/// Modulo 10 (FEBRABAN): weights 2, 1, 2, 1… from the rightmost digit; a two-digit product counts as the sum of
/// its digits; `DV = (10 − sum mod 10) mod 10`.
///
/// Used for the three fields of the digitable line, Itaú's DACs, the ASBACE first digit and others.
public enum Modulo10 {
    /// The check digit of `digits`.
    public static func checkDigit(of digits: Digits) -> Int {
        digits.withUnsafeDigits { checkDigit($0, 0..<$0.count) }
    }

    /// The check digit of `digits[range]` (values 0–9), taken in pairs from the right: the doubled digit (as the
    /// sum of its digits) and the plain one beside it.
    @inline(__always)
    static func checkDigit(_ digits: UnsafeRawBufferPointer, _ range: Range<Int>) -> Int {
        var sum = 0
        var index = range.upperBound &- 1
        let low = range.lowerBound
        while index > low {
            let doubled = Int(digits[index]) &* 2
            sum &+= doubled &- (doubled > 9 ? 9 : 0) &+ Int(digits[index &- 1])
            index &-= 2
        }
        if index == low {
            let doubled = Int(digits[index]) &* 2
            sum &+= doubled &- (doubled > 9 ? 9 : 0)
        }
        return (10 &- sum % 10) % 10
    }
}

/// Modulo 11 with cyclic weights from the rightmost digit.
///
/// Banks agree on the weighted sum and disagree on mapping the remainder to a digit, so this type gives the
/// remainder and a few common mappings; each bank file states which one it uses.
public enum Modulo11 {
    /// `sum mod 11`, with weights 2, 3, … `maxWeight` applied from the rightmost digit and repeating.
    public static func remainder(of digits: Digits, maxWeight: Int = 9) -> Int {
        digits.withUnsafeDigits { d in
            var sum = 0
            var weight = 2
            var index = d.count &- 1
            while index >= 0 {
                sum &+= Int(d[index]) &* weight
                weight = weight == maxWeight ? 2 : weight &+ 1
                index &-= 1
            }
            return sum % 11
        }
    }

    /// The standard mapping: `DV = 11 − r`, with `r` 0 or 1 giving 0.
    public static func checkDigit(of digits: Digits, maxWeight: Int = 9) -> Int {
        let r = remainder(of: digits, maxWeight: maxWeight)
        return r < 2 ? 0 : 11 - r
    }

    /// The barcode's general DV (position 5): `DV = 11 − r`, with results 0, 10 and 11 giving 1.
    public static func barcodeCheckDigit(of digits: Digits) -> Int {
        let dv = 11 - remainder(of: digits)
        return dv == 0 || dv >= 10 ? 1 : dv
    }
}
