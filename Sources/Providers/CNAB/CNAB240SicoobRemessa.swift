import BoletoKit

/// Sicoob (756) CNAB 240 remessa, "Sicoob — Leiaute CNAB 240 (cobrança bancária)", layout 081/040 as brcobranca
/// writes it (its fixture is reproduced byte for byte). The layout is ``CNAB240CooperativeRemessa``'s; Sicoob's own:
///
/// | posição | campo |
/// |---|---|
/// | header 103-132, 167-171 | `SICOOB`, densidade `00000` |
/// | P 38-47 | nosso número (10: the sequence and its DV) |
/// | P 48-49, 50-51, 52 | parcela `01`, modalidade (the carteira), tipo de formulário `4` (A4 sem envelopamento) |
/// | P 59, 60 | cadastramento `0`, tipo de documento blank |
/// | P 118 | juros: `0` isento (Sicoob's code), 1 valor por dia, 2 taxa mensal; the date is the due date |
/// | P 224-227 | baixa: `0` and blanks (Sicoob writes titles off by its own rules) |
/// | trailer de lote 24-46 | títulos em cobrança simples and their total |
public struct CNAB240SicoobRemessa: CNABRemessaLayout {
    public var bank: String { "756" }
    public var format: CNABFormat { .cnab240 }

    public init() {}

    static let layout = CNAB240CooperativeRemessa(profile: .init(
        bank: "756", bankName: "SICOOB", density: "00000", registration: "0", documentKind: " ",
        exemptInterestCode: "0",
        nossoNumero: { header, title in
            let number = title.nossoNumero + (title.nossoNumeroDV ?? "")
            return String(repeating: "0", count: max(0, 10 - number.count)) + number + "01"
                + zeroPadded(header.wallet, 2) + "4"
        },
        interestDate: { code, title in code == "1" || code == "2" ? title.dueDate : nil },
        writeOff: { _, _ in ("0", "   ") },
        countsTitles: true))

    public func write(header: CNABRemessaHeader, titles: [CNABRemessaTitle], lineEnding: CNABLineEnding = .crlf) throws(CNABWriteError) -> [UInt8] {
        try Self.layout.write(header: header, titles: titles, lineEnding: lineEnding, join: join)
    }

    /// Terms: FEBRABAN's P and R (``CNABTerms/encode240(_:into:)``), juros isento `0` (Sicoob's code), three
    /// discounts. Sicoob does not take the baixa fields, so no automatic write-off.
    public var termsSupport: TermsSupport {
        TermsSupport(interest: [.amountPerDay, .percentPerMonth], interestStartDate: true, fine: [.percent, .amount],
                     fineStartDate: true, discounts: [.percent, .amount], maximumDiscounts: 3, abatement: true,
                     protestDays: 1...99)
    }

    public func termsProblems(_ terms: BoletoTerms, dueDate: CalendarDate) -> [FieldProblem] {
        CNABTerms.problems(terms, support: termsSupport, bank: "Sicoob CNAB 240")
    }

    public func encode(_ terms: BoletoTerms?, into title: inout CNABRemessaTitle) {
        CNABTerms.encode240(terms, into: &title)
    }
}
