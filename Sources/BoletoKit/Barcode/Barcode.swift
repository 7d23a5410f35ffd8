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
        precondition(bank.count == 3 && freeField.count == 25 && (0...9999).contains(factor)
                     && amountCents >= 0)
        let digits = Digits(count: 44) { out in
            bank.withUnsafeDigits { out.baseAddress!.copyMemory(from: $0.baseAddress!, byteCount: 3) }
            out[3] = 9
            var rest = UInt32(factor)
            for index in stride(from: 8, through: 5, by: -1) {
                out[index] = UInt8(truncatingIfNeeded: rest % 10)
                rest /= 10
            }
            var amount = UInt64(amountCents)
            for index in stride(from: 18, through: 9, by: -1) {
                out[index] = UInt8(truncatingIfNeeded: amount % 10)
                amount /= 10
            }
            freeField.withUnsafeDigits { (out.baseAddress! + 19).copyMemory(from: $0.baseAddress!, byteCount: 25) }
            // The DV over the bytes just written, before they are copied anywhere.
            out[4] = UInt8(truncatingIfNeeded: Barcode.generalCheckDigit(ofBarcode: UnsafeRawBufferPointer(out)))
        }
        self.digits = digits
    }

    /// Wraps digits as they are; no check digit is verified (``BoletoParser`` validates).
    public init(unchecked digits: Digits) {
        self.digits = digits
    }

    /// The general DV that position 5 of `digits` (44 digits) must hold.
    public static func generalCheckDigit(of digits: Digits) -> Int {
        digits.withUnsafeStorage { generalCheckDigit(ofBarcode: $0) }
    }

    /// The general DV of the 44 barcode digit values in `barcode`.
    @inline(__always)
    static func generalCheckDigit(ofBarcode barcode: UnsafeRawBufferPointer) -> Int {
        generalWeights.span.withUnsafeBufferPointer { w in
            var sum: UInt32 = 0
            for index in 0..<44 { sum &+= UInt32(barcode[index]) &* UInt32(w[index]) }
            return generalCheckDigit(sum: sum)
        }
    }

    /// The general DV of the barcode a 47-digit line stands for, summed over the line's own positions (as
    /// ``DigitableLine/barcode`` rearranges them) without building the barcode.
    static func generalCheckDigit(ofLine line: UnsafeRawBufferPointer) -> Int {
        generalWeights.span.withUnsafeBufferPointer { w in
            var sum: UInt32 = 0
            DigitableLine.forEachBarcodeRun { lineStart, barcodeStart, count in
                for index in 0..<count { sum &+= UInt32(line[lineStart &+ index]) &* UInt32(w[barcodeStart &+ index]) }
            }
            return generalCheckDigit(sum: sum)
        }
    }

    /// Modulo 11 weights 2–9 from the right over the barcode's 44 positions; position 5 (the DV itself) weighs 0.
    private static let generalWeights: InlineArray<44, UInt8> = [4, 3, 2, 9, 0, 8, 7, 6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4,
                                                                3, 2, 9, 8, 7, 6, 5, 4, 3, 2, 9, 8, 7, 6, 5, 4, 3, 2,
                                                                9, 8, 7, 6, 5, 4, 3, 2]

    /// `11 − sum mod 11`, with 0, 10 and 11 written as 1 (FEBRABAN: the general DV is never 0).
    @inline(__always)
    private static func generalCheckDigit(sum: UInt32) -> Int {
        let dv = 11 &- Int(sum % 11)
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
        digits = barcode.digits.withUnsafeStorage { c in
            Digits(count: 47) { line in
                let base = line.baseAddress!
                base.copyMemory(from: c.baseAddress!, byteCount: 4)
                (base + 4).copyMemory(from: c.baseAddress! + 19, byteCount: 5)
                line[9] = DigitableLine.fieldCheckDigit(UnsafeRawBufferPointer(line), 0..<9)
                (base + 10).copyMemory(from: c.baseAddress! + 24, byteCount: 10)
                line[20] = DigitableLine.fieldCheckDigit(UnsafeRawBufferPointer(line), 10..<20)
                (base + 21).copyMemory(from: c.baseAddress! + 34, byteCount: 10)
                line[31] = DigitableLine.fieldCheckDigit(UnsafeRawBufferPointer(line), 21..<31)
                line[32] = c[4]
                (base + 33).copyMemory(from: c.baseAddress! + 5, byteCount: 14)
            }
        }
    }

    /// Wraps digits as they are; no check digit is verified (``BoletoParser`` validates).
    public init(unchecked digits: Digits) {
        self.digits = digits
    }

    /// Modulo 10 of `digits[range]`, as the digit value to store.
    @inline(__always)
    static func fieldCheckDigit(_ digits: UnsafeRawBufferPointer, _ range: Range<Int>) -> UInt8 {
        UInt8(truncatingIfNeeded: Modulo10.checkDigit(digits, range))
    }

    /// The barcode this line stands for (no check digit is verified here).
    public var barcode: Barcode {
        let code = digits.withUnsafeStorage { l in
            Digits(count: 44) { out in
                let base = out.baseAddress!, line = l.baseAddress!
                Self.forEachBarcodeRun { lineStart, barcodeStart, count in
                    (base + barcodeStart).copyMemory(from: line + lineStart, byteCount: count)
                }
                out[4] = l[32]
            }
        }
        return Barcode(unchecked: code)
    }

    /// Where the barcode's digits sit in the line, as (line position, barcode position, count), 0-based: bank and
    /// currency, free field 1–5, 6–15 and 16–25, factor and amount. The general DV (barcode position 5) is line
    /// position 33; the three field DVs are the line's own. The one definition of the rearrangement, for building
    /// the barcode and for checking the general DV in place (``Barcode/generalCheckDigit(ofLine:)``).
    @inline(__always)
    static func forEachBarcodeRun(_ body: (_ lineStart: Int, _ barcodeStart: Int, _ count: Int) -> Void) {
        body(0, 0, 4); body(4, 19, 5); body(10, 24, 10); body(21, 34, 10); body(33, 5, 14)
    }

    /// The 47 digits as text.
    public var description: String { digits.description }

    /// The line as printed: `23790.00009 00000.000000 00000.000000 1 00000000000000`.
    public var formatted: String {
        String(unsafeUninitializedCapacity: digits.count + 7) { out in
            writeFormattedASCII(to: UnsafeMutableRawBufferPointer(out))
        }
    }

    /// ``formatted``'s bytes written into `buffer` from `offset`, with no `String` made; answers the offset after
    /// them. `buffer` must have room for the digits and 7 separators.
    @discardableResult
    public func writeFormattedASCII(to buffer: UnsafeMutableRawBufferPointer, at offset: Int = 0) -> Int {
        precondition(offset >= 0 && offset + digits.count + 7 <= buffer.count)
        return digits.withUnsafeStorage { source in
            let from = source.baseAddress!, target = buffer.baseAddress! + offset
            var written = 0
            // Runs of digits, each followed by its separator (0: none), copied whole:
            // 23790.00009 00000.000000 00000.000000 1 00000000000000
            func run(_ start: Int, _ end: Int, _ separator: UInt8) {
                Digits.writeASCII(from + start, count: end - start, to: target + written)
                written += end - start
                if separator != 0 {
                    target.storeBytes(of: separator, toByteOffset: written, as: UInt8.self)
                    written += 1
                }
            }
            let dot = UInt8(ascii: "."), space = UInt8(ascii: " ")
            run(0, 5, dot); run(5, 10, space); run(10, 15, dot); run(15, 21, space); run(21, 26, dot); run(26, 32, space)
            run(32, 33, space); run(33, digits.count, 0)
            return offset + written
        }
    }
}
