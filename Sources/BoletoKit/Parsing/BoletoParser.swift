/// Parses and validates whatever a customer types or scans: a 47-digit bank line, a 48-digit arrecadação line,
/// or a 44-digit barcode of either kind.
///
/// Spaces, dots and hyphens are tolerated (as are tabs and line breaks); any other character is an error. Every
/// check digit is verified. A failure is a ``BoletoError`` whose ``BoletoError/block`` names the part that is
/// wrong: `input`, `length`, `currency`, `field_1`…`field_3` (bank line), `block_1`…`block_4` (arrecadação
/// line), `value_id` or `general_dv`.
public enum BoletoParser {
    /// Parses and validates `text`.
    public static func parse(_ text: String) throws(BoletoError) -> ParsedBoleto {
        try parse(digits: digitsOnly(text))
    }

    /// Parses and validates digits already taken from a line or barcode (``Digits/init(ascii:)`` reads them from
    /// bytes with no `String` made): what ``parse(_:)`` does after dropping the separators.
    public static func parse(digits: Digits) throws(BoletoError) -> ParsedBoleto {
        switch digits.count {
        case 0:
            throw BoletoError(.invalidLength, block: "length", "The input has no digits.")
        case 47:
            return .bank(try bankLine(digits))
        case 48:
            guard digits[0] == 8 else {
                throw BoletoError(.invalidLength, block: "length",
                                  "A 48-digit line is an arrecadação line and must start with 8.")
            }
            return .arrecadacao(try arrecadacaoLine(digits))
        case 44:
            if digits[0] == 8 { return .arrecadacao(try arrecadacaoBarcode(digits, line: nil)) }
            return .bank(try bankBarcode(digits))
        default:
            throw BoletoError(.invalidLength, block: "length",
                              "Expected a 47-digit bank line, a 48-digit arrecadação line or a 44-digit barcode; got \(digits.count) digits.")
        }
    }

    /// Whether `text` is a valid line or barcode of either kind.
    public static func isValid(_ text: String) -> Bool {
        (try? parse(text)) != nil
    }

    /// Whether `digits` are a valid line or barcode of either kind: ``parse(digits:)``'s answer as a yes or no. A
    /// 47-digit bank line, the usual case, is checked in place without building its values.
    public static func isValid(digits: Digits) -> Bool {
        if digits.count == 47 { return digits.withUnsafeStorage { lineProblem($0) == nil } }
        return (try? parse(digits: digits)) != nil
    }

    /// Whether UTF-8 `text` is a valid line or barcode of either kind: ``isValid(_:)``'s answer for the same text,
    /// for callers that hold lines as bytes. Forty-seven ASCII digits, the usual case, are checked where they are
    /// read, with no `String` and no value built.
    public static func isValid(utf8 text: UnsafeBufferPointer<UInt8>) -> Bool {
        if text.count == 47, let source = text.baseAddress {
            // nil: not 47 digits (a 44-digit barcode with three separators is 47 bytes too), so the general way.
            let answer: Bool? = withUnsafeTemporaryAllocation(byteCount: Digits.capacity, alignment: 8) { line in
                guard Digits.storeValues(source, count: 47, to: line.baseAddress!) else { return nil }
                return lineProblem(UnsafeRawBufferPointer(line)) == nil
            }
            if let answer { return answer }
        }
        return isValid(String(decoding: text, as: UTF8.self))
    }

    static func digitsOnly(_ text: String) throws(BoletoError) -> Digits {
        // Fast path: 1–48 bytes, all digits (the usual scanned or pasted line). Anything else takes the exact path.
        if let digits = Digits(text), digits.count > 0 { return digits }
        return try digitsOnlySlow(text)
    }

    private static func digitsOnlySlow(_ text: String) throws(BoletoError) -> Digits {
        var digits = Digits()
        var tooLong = 0
        for byte in text.utf8 {
            switch byte {
            case 48...57:
                if digits.count < Digits.capacity { digits.append(Int(byte) - 48) } else { tooLong += 1 }
            case UInt8(ascii: " "), UInt8(ascii: "."), UInt8(ascii: "-"), UInt8(ascii: "\t"), UInt8(ascii: "\n"),
                 UInt8(ascii: "\r"):
                continue
            default:
                throw BoletoError(.invalidCharacters, block: "input",
                                  "Only digits, spaces, dots, hyphens, tabs and line breaks are allowed in a line or barcode.")
            }
        }
        if tooLong > 0 {
            throw BoletoError(.invalidLength, block: "length",
                              "Expected a 47-digit bank line, a 48-digit arrecadação line or a 44-digit barcode; got \(digits.count + tooLong) digits.")
        }
        return digits
    }

    /// A 47-digit bank line: three field DVs, then the barcode's general DV.
    static func bankLine(_ line: Digits) throws(BoletoError) -> BankBoleto {
        if let problem = line.withUnsafeStorage({ lineProblem($0) }) { throw problem.error }
        let digitableLine = DigitableLine(unchecked: line)
        return BankBoleto(barcode: digitableLine.barcode, digitableLine: digitableLine)
    }

    /// What is wrong with a 47-digit bank line, checked in place over its digit values and in the order errors are
    /// reported (field DVs, currency, general DV); nil when it is valid. Nothing is built.
    @inline(__always)
    static func lineProblem(_ line: UnsafeRawBufferPointer) -> LineProblem? {
        if DigitableLine.fieldCheckDigit(line, 0..<9) != line[9] { return .field(1) }
        if DigitableLine.fieldCheckDigit(line, 10..<20) != line[20] { return .field(2) }
        if DigitableLine.fieldCheckDigit(line, 21..<31) != line[31] { return .field(3) }
        if line[3] != 9 { return .currency }
        if Barcode.generalCheckDigit(ofLine: line) != Int(line[32]) { return .generalDV(fromLine: true) }
        return nil
    }

    /// A problem of a bank line or barcode, made into its error only when one is thrown.
    enum LineProblem {
        case field(Int), currency, generalDV(fromLine: Bool)

        var error: BoletoError {
            switch self {
            case .field(let field):
                let dvPosition = field == 1 ? 10 : field == 2 ? 21 : 32
                return BoletoError(.checkDigitMismatch, block: "field_\(field)",
                                   "Field \(field) of the line is wrong: its check digit (position \(dvPosition)) does not match.")
            case .currency:
                return BoletoError(.invalidValue, block: "currency", "The currency code must be 9 (real).")
            case .generalDV(let fromLine):
                let position = fromLine ? "position 33 of the line" : "position 5 of the barcode"
                return BoletoError(.checkDigitMismatch, block: "general_dv",
                                   "The general check digit (\(position)) does not match the rest of the barcode.")
            }
        }
    }

    /// A 44-digit bank barcode: the general DV.
    static func bankBarcode(_ digits: Digits) throws(BoletoError) -> BankBoleto {
        let barcode = try checkedBarcode(digits, fromLine: false)
        return BankBoleto(barcode: barcode, digitableLine: DigitableLine(barcode))
    }

    private static func checkedBarcode(_ digits: Digits, fromLine: Bool) throws(BoletoError) -> Barcode {
        guard digits[3] == 9 else { throw LineProblem.currency.error }
        guard Barcode.generalCheckDigit(of: digits) == digits[4] else { throw LineProblem.generalDV(fromLine: fromLine).error }
        return Barcode(unchecked: digits)
    }

    /// A 48-digit arrecadação line: four blocks of 11 digits, each with its DV.
    static func arrecadacaoLine(_ line: Digits) throws(BoletoError) -> ArrecadacaoSlip {
        let modulo = try arrecadacaoModulo(line[2])
        var barcode = Digits()
        for block in 0..<4 {
            let data = line[block * 12..<block * 12 + 11]
            guard arrecadacaoCheckDigit(data, modulo: modulo) == line[block * 12 + 11] else {
                throw BoletoError(.checkDigitMismatch, block: "block_\(block + 1)",
                                  "Block \(block + 1) of the line is wrong: its check digit (position \((block + 1) * 12)) does not match.")
            }
            barcode.append(data)
        }
        return try arrecadacaoBarcode(barcode, line: line)
    }

    /// A 44-digit arrecadação barcode: the general DV at position 4.
    static func arrecadacaoBarcode(_ barcode: Digits, line: Digits?) throws(BoletoError) -> ArrecadacaoSlip {
        let modulo = try arrecadacaoModulo(barcode[2])
        var rest = barcode[0..<3]
        rest.append(barcode[4..<44])
        guard arrecadacaoCheckDigit(rest, modulo: modulo) == barcode[3] else {
            throw BoletoError(.checkDigitMismatch, block: "general_dv",
                              "The general check digit (position 4 of the barcode) does not match the rest of the barcode.")
        }
        if let line { return ArrecadacaoSlip(barcode: barcode, digitableLine: line) }
        var built = Digits()
        for block in 0..<4 {
            let data = barcode[block * 11..<block * 11 + 11]
            built.append(data)
            built.append(arrecadacaoCheckDigit(data, modulo: modulo))
        }
        return ArrecadacaoSlip(barcode: barcode, digitableLine: built)
    }

    private static func arrecadacaoModulo(_ valueID: Int) throws(BoletoError) -> Int {
        switch valueID {
        case 6, 7: return 10
        case 8, 9: return 11
        default:
            throw BoletoError(.invalidValue, block: "value_id",
                              "The value identifier (position 3) must be 6, 7, 8 or 9.")
        }
    }

    /// Arrecadação DVs: FEBRABAN modulo 10, or modulo 11 with weights 2–9 where remainders 0 and 1 give 0.
    static func arrecadacaoCheckDigit(_ digits: Digits, modulo: Int) -> Int {
        modulo == 10 ? Modulo10.checkDigit(of: digits) : Modulo11.checkDigit(of: digits)
    }
}
