import BoletoKit

/// Sicredi (748) CNAB 240 remessa, "Sicredi — Leiaute CNAB 240 (cobrança)", layout 081/040 as brcobranca writes it
/// (its fixture is reproduced byte for byte). The layout is ``CNAB240CooperativeRemessa``'s; Sicredi's own:
///
/// | posição | campo |
/// |---|---|
/// | header 103-132, 167-171 | `SICREDI`, densidade `01600` |
/// | header 58 | no agência DV (blank) |
/// | P 38-57 | nosso número `AABNNNNND` (year, byte, sequence, DV), left-aligned |
/// | P 59, 60 | cadastramento `1`, tipo de documento `1` |
/// | P 118-126 | juros: código, and the day after the due date for codes 1 and 2 |
/// | P 224-227 | baixa: `1` after 60 days (or the title's own) when not protested |
/// | trailer de lote 24-46 | zeros, as brcobranca writes them |
public struct CNAB240SicrediRemessa: CNABRemessaLayout {
    public var bank: String { "748" }
    public var format: CNABFormat { .cnab240 }

    public init() {}

    static let layout = CNAB240CooperativeRemessa(profile: .init(
        bank: "748", bankName: "SICREDI", density: "01600", registration: "1", documentKind: "1",
        exemptInterestCode: "3",
        nossoNumero: { _, title in title.nossoNumero + (title.nossoNumeroDV ?? "") },
        interestDate: { code, title in code == "1" || code == "2" ? title.dueDate.adding(days: 1) : nil },
        writeOff: { protest, title in
            protest == "3" ? ("1", zeroPadded(String(title.writeOffDays ?? 60), 3)) : ("2", "000")
        },
        countsTitles: false))

    public func write(header: CNABRemessaHeader, titles: [CNABRemessaTitle], lineEnding: CNABLineEnding = .crlf) throws(CNABWriteError) -> [UInt8] {
        try Self.layout.write(header: header, titles: titles, lineEnding: lineEnding, join: join)
    }

    /// Terms: FEBRABAN's P and R (``CNABTerms/encode240(_:into:)``) with Sicredi's limits: juros code `1`
    /// (valor por dia) or `3` (isento) only, so no rate a month; a fine of at most R$ 99,99 or 99,99 % (the manual
    /// reads the last four digits of R 75-89); a write-off after exactly 60 days (P 224-227 "sempre 60").
    public var termsSupport: TermsSupport {
        TermsSupport(interest: [.amountPerDay], interestStartDate: true, fine: [.percent, .amount], fineStartDate: true,
                     discounts: [.percent, .amount], maximumDiscounts: 3, abatement: true, protestDays: 1...99,
                     writeOffDays: 60...60)
    }

    public func termsProblems(_ terms: BoletoTerms, dueDate: CalendarDate) -> [FieldProblem] {
        var problems = CNABTerms.problems(terms, support: termsSupport, bank: "Sicredi CNAB 240",
                                          maximumPercent: ["fine": Percent(hundredThousandths: 9_999_000)])
        if let fine = terms.fine, fine.kind == .amount, (fine.amountCents ?? 0) > 9_999 {
            problems.append(FieldProblem(field: .terms("fine.value"),
                                         message: "Sicredi CNAB 240 reads four digits of the fine: at most 9999 cents."))
        }
        return problems
    }

    public func encode(_ terms: BoletoTerms?, into title: inout CNABRemessaTitle) {
        CNABTerms.encode240(terms, into: &title)
    }
}
