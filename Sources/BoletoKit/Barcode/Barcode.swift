/// The 44-digit barcode of a bank boleto ("código de barras").
///
/// | positions | content |
/// |---|---|
/// | 1–3 | bank code |
/// | 4 | currency, `9` (real) |
/// | 5 | general DV: modulo 11 of the other 43 digits, weights 2–9; results 0, 10, 11 → 1 |
/// | 6–9 | due-date factor (``DueDateFactor``) |
/// | 10–19 | amount in cents, 10 digits |
/// | 20–44 | free field ("campo livre"), per bank (``BankLayout``) |
public struct Barcode: Hashable, Sendable, CustomStringConvertible {
    /// The 44 digits.
    public let digits: Digits

    /// Assembles a barcode and computes its general DV.
    public init(bank: Digits, factor: Int, amountCents: Int64, freeField: Digits) {
        precondition(bank.count == 3 && freeField.count == 25 && (0...9999).contains(factor))
        var digits = bank
        digits.append(9)
        digits.append(0)
        digits.append(Digits(Int64(factor), width: 4))
        digits.append(Digits(amountCents, width: 10))
        digits.append(freeField)
        digits[4] = Barcode.generalCheckDigit(of: digits)
        self.digits = digits
    }

    /// Wraps digits as they are; no check digit is verified (``BoletoParser`` validates).
    public init(unchecked digits: Digits) {
        self.digits = digits
    }

    /// The general DV that position 5 of `digits` (44 digits) must hold.
    public static func generalCheckDigit(of digits: Digits) -> Int {
        var sum = 0
        var weight = 2
        var index = 43
        while index >= 0 {
            if index != 4 {
                sum += digits[index] * weight
                weight = weight == 9 ? 2 : weight + 1
            }
            index -= 1
        }
        let dv = 11 - sum % 11
        return dv >= 10 ? 1 : dv
    }

    /// Bank code, positions 1–3.
    public var bankCode: String { digits[0..<3].description }
    /// Currency code, position 4 (`9` for real).
    public var currency: Int { digits[3] }
    /// General DV, position 5.
    public var generalDV: Int { digits[4] }
    /// Due-date factor, positions 6–9 (`0` for no due date).
    public var factor: Int { Int(digits[5..<9].int64Value) }
    /// Amount in cents, positions 10–19.
    public var amountCents: Int64 { digits[9..<19].int64Value }
    /// Free field, positions 20–44.
    public var freeField: Digits { digits[19..<44] }

    /// The 44 digits as text.
    public var description: String { digits.description }
}

/// The 47-digit digitable line ("linha digitável") of a bank boleto, printed as
/// `AAAAA.AAAAA BBBBB.BBBBBB CCCCC.CCCCCC D EEEEEEEEEEEEEE`.
///
/// | line positions | content |
/// |---|---|
/// | 1–9 | barcode 1–4 + free field 1–5 |
/// | 10 | modulo 10 of line 1–9 |
/// | 11–20 | free field 6–15 |
/// | 21 | modulo 10 of line 11–20 |
/// | 22–31 | free field 16–25 |
/// | 32 | modulo 10 of line 22–31 |
/// | 33 | general DV (barcode position 5) |
/// | 34–47 | factor + amount (barcode 6–19) |
public struct DigitableLine: Hashable, Sendable, CustomStringConvertible {
    /// The 47 digits.
    public let digits: Digits

    /// The line of `barcode`.
    public init(_ barcode: Barcode) {
        let code = barcode.digits
        var line = Digits()
        for index in 0..<4 { line.append(code[index]) }
        for index in 19..<24 { line.append(code[index]) }
        line.append(DigitableLine.fieldCheckDigit(line, 0..<9))
        for index in 24..<34 { line.append(code[index]) }
        line.append(DigitableLine.fieldCheckDigit(line, 10..<20))
        for index in 34..<44 { line.append(code[index]) }
        line.append(DigitableLine.fieldCheckDigit(line, 21..<31))
        line.append(code[4])
        for index in 5..<19 { line.append(code[index]) }
        digits = line
    }

    /// Wraps digits as they are; no check digit is verified (``BoletoParser`` validates).
    public init(unchecked digits: Digits) {
        self.digits = digits
    }

    /// Modulo 10 of `line[range]`, computed in place.
    static func fieldCheckDigit(_ line: Digits, _ range: Range<Int>) -> Int {
        var sum = 0
        var weight = 2
        var index = range.upperBound - 1
        while index >= range.lowerBound {
            let product = line[index] * weight
            sum += product > 9 ? product - 9 : product
            weight = 3 - weight
            index -= 1
        }
        return (10 - sum % 10) % 10
    }

    /// The barcode this line stands for (no check digit is verified here).
    public var barcode: Barcode {
        var code = Digits()
        for index in 0..<4 { code.append(digits[index]) }
        code.append(digits[32])
        for index in 33..<47 { code.append(digits[index]) }
        for index in 4..<9 { code.append(digits[index]) }
        for index in 10..<20 { code.append(digits[index]) }
        for index in 21..<31 { code.append(digits[index]) }
        return Barcode(unchecked: code)
    }

    /// The 47 digits as text.
    public var description: String { digits.description }

    /// The line as printed: `23790.00009 00000.000000 00000.000000 1 00000000000000`.
    public var formatted: String {
        let text = Array(description.utf8)
        var out = [UInt8]()
        out.reserveCapacity(54)
        for (index, byte) in text.enumerated() {
            if index == 5 || index == 15 || index == 26 { out.append(UInt8(ascii: ".")) }
            if index == 10 || index == 21 || index == 32 || index == 33 { out.append(UInt8(ascii: " ")) }
            out.append(byte)
        }
        return String(decoding: out, as: UTF8.self)
    }
}
