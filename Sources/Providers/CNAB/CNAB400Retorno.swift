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

    public init(bank: String, manual: String, detail: CNABRecordLayout, occurrences: [String: CNABOccurrence],
                pix: (type: Character, location: CNABField, txid: CNABField)? = nil, attachedTypes: Set<Character> = [],
                trailerTotals: (count: CNABField, total: CNABField)? = nil) {
        self.bank = bank
        self.manual = manual
        self.detail = detail
        self.occurrences = occurrences
        self.pix = pix
        self.attachedTypes = attachedTypes.union(pix.map { [$0.type] } ?? [])
        self.trailerTotals = trailerTotals
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
        var sawTrailer = false
        for (index, line) in lines.enumerated() {
            let sequence = line.text(Self.sequence)
            if Int(sequence) != index + 1 {
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
        let code = line.text(detail["occurrenceCode"])
        let occurrence = occurrences[code] ?? CNABOccurrence("Ocorrência \(code) (not in bank \(bank)'s table)", .other)
        if occurrences[code] == nil {
            warnings.append(CNABWarning(line: line.number, message: "occurrence code \(code.isEmpty ? "(blank)" : code) is not in bank \(bank)'s table."))
        }
        return CNABTitle(
            line: line.number, nossoNumero: line.text(detail["nossoNumero"]), documentNumber: line.text(detail["documentNumber"]),
            occurrenceCode: code, occurrence: occurrence, reasons: detail.fields["reasons"].map(line.reasons) ?? [],
            dueDate: line.date(detail["dueDate"], &warnings), occurrenceDate: line.date(detail["occurrenceDate"], &warnings),
            creditDate: line.date(detail["creditDate"], &warnings), faceValueCents: line.cents(detail["faceValue"], &warnings),
            paidValueCents: line.cents(detail["paidValue"], &warnings), feeCents: line.cents(detail["fee"], &warnings),
            interestCents: line.cents(detail["interest"], &warnings), discountCents: line.cents(detail["discount"], &warnings),
            rebateCents: line.cents(detail["rebate"], &warnings), iofCents: line.cents(detail["iof"], &warnings), pix: nil)
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
