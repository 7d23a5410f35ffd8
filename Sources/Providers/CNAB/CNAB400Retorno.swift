/// A bank's CNAB 400 retorno layout: the type-1 detail's field table, the occurrence table, and the records that
/// may follow a title (a boleto híbrido's PIX record) and the trailer's totals, where the bank has them.
///
/// Field names every layout has: `nossoNumero`, `documentNumber`, `occurrenceCode`, `occurrenceDate`, `dueDate`,
/// `faceValue`, `fee`, `iof`, `rebate`, `discount`, `paidValue`, `interest`, `creditDate`, `sequence`; optional:
/// `reasons`.
public struct CNAB400RetornoLayout: Sendable {
    /// The bank's FEBRABAN code.
    public let bank: String
    /// The manual the layout follows, with its version.
    public let manual: String
    /// The type-1 detail.
    public let detail: CNABRecordLayout
    /// Occurrence codes (109-110) and what they mean at this bank.
    public let occurrences: [String: CNABOccurrence]
    /// The PIX record that may follow a title: its record type, location and txid fields.
    public let pix: (type: Character, location: CNABField, txid: CNABField)?
    /// Record types other than 1 that belong to the title before them (the PIX record included).
    public let attachedTypes: Set<Character>
    /// The trailer's count of details and total face value, where the bank writes them.
    public let trailerTotals: (count: CNABField, total: CNABField)?
    /// The issuer's number inside the bank's nosso número (``CNABTitle/issuerNumber``).
    public let issuerNumber: @Sendable (String) -> Int64?
    /// The header's fields that name the beneficiary (`agency`, `account`, `code`; see ``CNABBeneficiary``).
    public let header: [CNABField]
    /// The detail's fields that name the beneficiary, for banks whose header does not (``CNABTitle/beneficiary``).
    public let titleBeneficiary: [CNABField]
    /// The detail's fields, resolved once (the reader touches each on every line).
    let fields: Fields

    struct Fields {
        let nossoNumero, documentNumber, occurrenceCode, occurrenceDate, dueDate, faceValue, fee, iof, rebate, discount,
            paidValue, interest, creditDate: CNABField
        let reasons: CNABField?

        init(_ detail: CNABRecordLayout) {
            nossoNumero = detail["nossoNumero"]
            documentNumber = detail["documentNumber"]
            occurrenceCode = detail["occurrenceCode"]
            occurrenceDate = detail["occurrenceDate"]
            dueDate = detail["dueDate"]
            faceValue = detail["faceValue"]
            fee = detail["fee"]
            iof = detail["iof"]
            rebate = detail["rebate"]
            discount = detail["discount"]
            paidValue = detail["paidValue"]
            interest = detail["interest"]
            creditDate = detail["creditDate"]
            reasons = detail.fields["reasons"]
        }
    }

    public init(bank: String, manual: String, detail: CNABRecordLayout, occurrences: [String: CNABOccurrence],
                pix: (type: Character, location: CNABField, txid: CNABField)? = nil, attachedTypes: Set<Character> = [],
                trailerTotals: (count: CNABField, total: CNABField)? = nil, header: [CNABField] = [],
                titleBeneficiary: [CNABField] = [], issuerNumber: @escaping @Sendable (String) -> Int64?) {
        self.bank = bank
        self.manual = manual
        self.detail = detail
        self.occurrences = occurrences
        self.pix = pix
        self.attachedTypes = attachedTypes.union(pix.map { [$0.type] } ?? [])
        self.trailerTotals = trailerTotals
        self.fields = Fields(detail)
        self.issuerNumber = issuerNumber
        self.header = header
        self.titleBeneficiary = titleBeneficiary
    }

    /// The fields every CNAB 400 retorno detail shares at the same positions (Bradesco, Itaú and Santander agree).
    static let common: [CNABField] = [
        CNABField("occurrenceCode", 109, 110, .digits), CNABField("occurrenceDate", 111, 116, .dateDDMMAA),
        CNABField("documentNumber", 117, 126), CNABField("dueDate", 147, 152, .dateDDMMAA),
        CNABField("faceValue", 153, 165, .cents), CNABField("collectingBank", 166, 168, .digits),
        CNABField("collectingAgency", 169, 173), CNABField("fee", 176, 188, .cents), CNABField("iof", 215, 227, .cents),
        CNABField("rebate", 228, 240, .cents), CNABField("discount", 241, 253, .cents),
        CNABField("paidValue", 254, 266, .cents), CNABField("interest", 267, 279, .cents),
        CNABField("otherCredits", 280, 292, .cents), CNABField("creditDate", 296, 301, .dateDDMMAA),
        CNABField("sequence", 395, 400, .digits),
    ]

    static let sequence = CNABField("sequence", 395, 400, .digits)

    /// Reads the records after the header line (`lines[0]`).
    func read(_ lines: [CNABLine], warnings: inout [CNABWarning]) -> [CNABTitle] {
        var titles: [CNABTitle] = []
        titles.reserveCapacity(lines.count)
        var sawTrailer = false
        for (index, line) in lines.enumerated() {
            if line.number(Self.sequence) != index + 1 {
                let sequence = line.text(Self.sequence)
                warnings.append(CNABWarning(line: line.number, message: "the record's sequence (395-400) is \(sequence.isEmpty ? "blank" : sequence), not \(index + 1)."))
            }
            if index == 0 { continue }
            if sawTrailer {
                warnings.append(CNABWarning(line: line.number, message: "a record after the trailer (type 9) is ignored."))
                continue
            }
            let type = line.character(at: 1)
            switch type {
            case "1":
                titles.append(title(line, &warnings))
            case "9":
                sawTrailer = true
                checkTrailer(line, titles: titles, &warnings)
            case _ where attachedTypes.contains(type):
                guard !titles.isEmpty else {
                    warnings.append(CNABWarning(line: line.number, message: "a type-\(type) record with no title before it is ignored."))
                    continue
                }
                if let pix, type == pix.type {
                    titles[titles.count - 1].pix = CNABPix(location: line.text(pix.location), txid: line.text(pix.txid))
                }
            default:
                warnings.append(CNABWarning(line: line.number, message: "record type \(type) is not part of bank \(bank)'s CNAB 400 retorno; ignored."))
            }
        }
        if !sawTrailer { warnings.append(CNABWarning(line: lines.last?.number ?? 0, message: "the file has no trailer (type 9): it may be cut short.")) }
        return titles
    }

    func title(_ line: CNABLine, _ warnings: inout [CNABWarning]) -> CNABTitle {
        let f = fields
        let code = line.text(f.occurrenceCode)
        let known = occurrences[code]
        if known == nil {
            warnings.append(CNABWarning(line: line.number, message: "occurrence code \(code.isEmpty ? "(blank)" : code) is not in bank \(bank)'s table."))
        }
        let nossoNumero = line.text(f.nossoNumero)
        var title = CNABTitle(
            line: line.number, nossoNumero: nossoNumero, issuerNumber: issuerNumber(nossoNumero),
            documentNumber: line.text(f.documentNumber),
            occurrenceCode: code, occurrence: known ?? CNABOccurrence("Ocorrência \(code) (not in bank \(bank)'s table)", .other),
            reasons: f.reasons.map(line.reasons) ?? [],
            dueDate: line.date(f.dueDate, &warnings), occurrenceDate: line.date(f.occurrenceDate, &warnings),
            creditDate: line.date(f.creditDate, &warnings), faceValueCents: line.cents(f.faceValue, &warnings),
            paidValueCents: line.cents(f.paidValue, &warnings), feeCents: line.cents(f.fee, &warnings),
            interestCents: line.cents(f.interest, &warnings), discountCents: line.cents(f.discount, &warnings),
            rebateCents: line.cents(f.rebate, &warnings), iofCents: line.cents(f.iof, &warnings), pix: nil)
        if !titleBeneficiary.isEmpty { title.beneficiary = .read(line, titleBeneficiary) }
        return title
    }

    func checkTrailer(_ line: CNABLine, titles: [CNABTitle], _ warnings: inout [CNABWarning]) {
        guard let totals = trailerTotals else { return }
        let count = line.cents(totals.count, &warnings)
        let total = line.cents(totals.total, &warnings)
        let sum = titles.reduce(Int64(0)) { $0 + $1.faceValueCents }
        if count != Int64(titles.count) || total != sum {
            warnings.append(CNABWarning(line: line.number, message: "the trailer counts \(count) titles worth \(total) cents; the file holds \(titles.count) worth \(sum)."))
        }
    }
}

/// The digits of `text[range]` as a number; nil when they are not all digits or the range is out of the text.
func cnabNumber(_ text: String, _ range: Range<Int>) -> Int64? {
    let bytes = Array(text.utf8)
    guard range.lowerBound >= 0, range.upperBound <= bytes.count, !range.isEmpty else { return nil }
    var value: Int64 = 0
    for byte in bytes[range] {
        guard byte >= 0x30 && byte <= 0x39 else { return nil }
        value = value * 10 + Int64(byte - 0x30)
    }
    return value
}
