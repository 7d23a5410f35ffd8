/// What a typed or scanned line turned out to be.
public enum ParsedBoleto: Hashable, Sendable {
    /// A bank boleto ("boleto bancário"): 47-digit line, 44-digit barcode.
    case bank(BankBoleto)
    /// A collection slip ("arrecadação/convênio": utilities, taxes): 48-digit line, 44-digit barcode starting with 8.
    case arrecadacao(ArrecadacaoSlip)
}

/// A validated bank boleto.
public struct BankBoleto: Hashable, Sendable {
    /// The barcode (44 digits).
    public let barcode: Barcode
    /// The digitable line (47 digits).
    public let digitableLine: DigitableLine

    /// Bank code, 3 digits.
    public var bankCode: String { barcode.bankCode }
    /// The bank's name, when BoletoKit knows the code.
    public var bankName: String? { Banks.name(for: bankCode) }
    /// Amount in cents (`0`: the payer enters the amount).
    public var amountCents: Int64 { barcode.amountCents }
    /// The due-date factor (`0`: no due date).
    public var factor: Int { barcode.factor }
    /// Every date the factor can stand for, oldest first.
    public var dueDateCandidates: [CalendarDate] { DueDateFactor.candidates(for: factor) }
    /// The due date, seen from `reference` (usually today in São Paulo); `nil` with no due date.
    public func dueDate(reference: CalendarDate) -> CalendarDate? {
        DueDateFactor.date(for: factor, reference: reference)
    }
    /// The issuer's fields read back from the free field, when the bank is one BoletoKit knows.
    public var bankFields: BoletoInput? {
        guard let layout = Banks.layout(for: bankCode) else { return nil }
        return try? layout.decode(barcode.freeField)
    }
}

/// A validated arrecadação (collection) slip, FEBRABAN "Layout padrão de arrecadação/recebimento".
///
/// | barcode position | content |
/// |---|---|
/// | 1 | product, `8` |
/// | 2 | segment |
/// | 3 | value identifier: 6/7 → modulo 10, 8/9 → modulo 11; 6/8 effective value, 7/9 reference value |
/// | 4 | general DV |
/// | 5–15 | value (11 digits) |
/// | 16–19 | company / agreement id (16–23, the CNPJ base, for segment 6) |
/// | 20–44 | free field (24–44 for segment 6) |
public struct ArrecadacaoSlip: Hashable, Sendable {
    /// The 44 digits of the barcode.
    public let barcode: Digits
    /// The 48 digits of the line: four blocks of 11 digits, each followed by its DV.
    public let digitableLine: Digits

    /// Segment, barcode position 2.
    public var segment: Int { barcode[1] }
    /// Value identifier, barcode position 3.
    public var valueIdentifier: Int { barcode[2] }
    /// 10 or 11: the modulo of every DV of this slip.
    public var modulo: Int { valueIdentifier <= 7 ? 10 : 11 }
    /// Whether the value field holds an amount in cents (identifiers 6 and 8) rather than a reference value.
    public var isEffectiveValue: Bool { valueIdentifier == 6 || valueIdentifier == 8 }
    /// General DV, barcode position 4.
    public var generalDV: Int { barcode[3] }
    /// The value field, positions 5–15.
    public var valueField: Digits { barcode[4..<15] }
    /// The amount in cents, for an effective value; `nil` for a reference value.
    public var amountCents: Int64? { isEffectiveValue ? valueField.int64Value : nil }
    /// Company or agreement id: 4 digits, or the 8-digit CNPJ base for segment 6.
    public var companyID: Digits { segment == 6 ? barcode[15..<23] : barcode[15..<19] }
    /// The free field after the company id.
    public var freeField: Digits { segment == 6 ? barcode[23..<44] : barcode[19..<44] }

    /// The segment's FEBRABAN name, when defined.
    public var segmentName: String? {
        switch segment {
        case 1: "Prefeituras"
        case 2: "Saneamento"
        case 3: "Energia eletrica e gas"
        case 4: "Telecomunicacoes"
        case 5: "Orgaos governamentais"
        case 6: "Carnes e assemelhados ou demais empresas / orgaos identificados pelo CNPJ"
        case 7: "Multas de transito"
        case 9: "Uso exclusivo do banco"
        default: nil
        }
    }

    /// The line, printed as four blocks: `83640000001-1 33120138000-2 81288462711-6 08013618155-1`.
    public var formattedLine: String {
        let text = description(of: digitableLine)
        var blocks: [String] = []
        for block in 0..<4 {
            let start = text.index(text.startIndex, offsetBy: block * 12)
            let dv = text.index(start, offsetBy: 11)
            blocks.append(String(text[start..<dv]) + "-" + String(text[dv]))
        }
        return blocks.joined(separator: " ")
    }

    private func description(of digits: Digits) -> String { digits.description }
}
