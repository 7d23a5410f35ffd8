import BoletoKit

extension CNABRemessaLayout {
    /// A layout carries no terms unless it says so.
    public var termsSupport: TermsSupport { .none }

    public func termsProblems(_ terms: BoletoTerms, dueDate: CalendarDate) -> [FieldProblem] {
        CNABTerms.problems(terms, support: termsSupport, bank: "This layout")
    }

    public func encode(_ terms: BoletoTerms?, into title: inout CNABRemessaTitle) {}
}

/// How the remessa layouts put ``BoletoTerms`` into their fields: the parts the CNAB 400 details share (juros a day,
/// the first discount, abatimento, all in the same positions at Bradesco, Itaú and Santander) and FEBRABAN's CNAB 240
/// segments P and R, which every 240 layout follows with its own codes.
enum CNABTerms {
    /// What `support` refuses, plus percentages the fields cannot hold: CNAB value fields have two implied decimals
    /// (`percentDecimals`), and some hold only four digits (`maximumPercent`, 99,99 %).
    static func problems(_ terms: BoletoTerms, support: TermsSupport, bank: String, percentDecimals: Int = 2,
                         maximumPercent: [String: Percent] = [:]) -> [FieldProblem] {
        var problems = support.problems(terms, bank: bank)
        var step: Int64 = 1
        for _ in percentDecimals..<5 { step *= 10 }
        for (path, percent) in percents(terms) {
            if percent.hundredThousandths % step != 0 {
                problems.append(FieldProblem(field: .terms(path), message: "\(bank) takes percentages with at most \(percentDecimals) decimal places."))
            } else if let maximum = maximumPercent[String(path.prefix { $0 != "." && $0 != "[" })], percent > maximum {
                problems.append(FieldProblem(field: .terms(path), message: "\(bank) takes at most \(maximum) % here (four digits)."))
            }
        }
        return problems
    }

    /// Every percentage of `terms` with its request path.
    static func percents(_ terms: BoletoTerms) -> [(String, Percent)] {
        var found: [(String, Percent?)] = [("interest.value", terms.interest?.percent), ("fine.value", terms.fine?.percent)]
        found += terms.discounts.enumerated().map { ("discounts[\($0.offset)].value", $0.element.percent) }
        return found.compactMap { path, percent in percent.map { (path, $0) } }
    }

    /// A percentage in hundredths (2,5 % → 250), as the fields with two implied decimals take it.
    static func hundredths(_ percent: Percent) -> Int64 { percent.hundredThousandths / 1_000 }

    /// A charge's value as a field takes it: hundredths of a percent, or cents.
    static func value<Kind>(_ charge: BoletoTerms.Charge<Kind>) -> Int64 {
        charge.isPercent ? hundredths(charge.percent ?? Percent(hundredThousandths: 0)) : charge.amountCents ?? 0
    }

    static func value(_ discount: BoletoTerms.Discount) -> Int64 {
        discount.kind == .percent ? hundredths(discount.percent ?? Percent(hundredThousandths: 0)) : discount.amountCents ?? 0
    }

    /// The CNAB 400 detail fields Bradesco, Itaú and Santander share: juros a day (161-173), the first discount
    /// (174-179, 180-192) and the abatimento (206-218). The bank's own fields (fine, instructions, more discounts)
    /// are its layout's.
    static func encode400(_ terms: BoletoTerms, into title: inout CNABRemessaTitle) {
        if let interest = terms.interest {
            title.interestPerDayCents = interest.amountCents ?? 0
            title.interestDate = interest.startDate
        }
        if let first = terms.discounts.first {
            title.discountDate = first.until
            title.discountCents = value(first)
        }
        title.rebateCents = terms.abatementCents ?? 0
    }

    /// FEBRABAN's CNAB 240 fields, as every 240 layout takes them:
    ///
    /// | segmento | posição | campo | códigos |
    /// |---|---|---|---|
    /// | P | 118, 119-126, 127-141 | juros: código, data, valor | 1 valor por dia, 2 taxa mensal; none: the writer's isento code |
    /// | P | 142, 143-150, 151-165 | desconto 1: código, data, valor | 0 sem, 1 valor fixo até a data, 2 percentual até a data |
    /// | P | 181-195 | abatimento | |
    /// | P | 221, 222-223 | protesto: código, prazo | 1 dias corridos, 3 não protestar |
    /// | P | 224, 225-227 | baixa/devolução: código, prazo | 1 baixar/devolver (the layout's `writeOff` days) |
    /// | R | 18-41, 42-65 | descontos 2 e 3: código, data, valor | as desconto 1 |
    /// | R | 66, 67-74, 75-89 | multa: código, data, valor | 0 isento, 1 valor fixo, 2 percentual |
    ///
    /// Values are 9(13)V99: cents, or a percentage with two decimals. A date left nil is the layout's default, and so
    /// is the juros code of a title without interest (each writer's isento: `3`, Sicoob's `0`).
    static func encode240(_ terms: BoletoTerms?, into title: inout CNABRemessaTitle) {
        let terms = terms ?? BoletoTerms()
        if let interest = terms.interest {
            title.interestCode = interest.kind == .percentPerMonth ? "2" : "1"
            title.interestPerDayCents = value(interest)
            title.interestDate = interest.startDate
        } else {
            title.interestCode = nil
            title.interestPerDayCents = 0
        }
        if let fine = terms.fine {
            title.fine = CNABFine(code: fine.kind == .percent ? "2" : "1", value: value(fine), date: fine.startDate)
        }
        let discounts = terms.discounts.map { CNABDiscount(code: $0.kind == .percent ? "2" : "1", date: $0.until, value: value($0)) }
        if let first = discounts.first {
            title.discountCode = first.code
            title.discountDate = first.date
            title.discountCents = first.value
        } else {
            title.discountCode = "0"
        }
        title.moreDiscounts = Array(discounts.dropFirst())
        title.rebateCents = terms.abatementCents ?? 0
        switch terms.afterDue {
        case .protest(let days)?:
            title.protestCode = "1"
            title.protestDays = days
        case .writeOff(let days)?:
            title.protestCode = "3"
            title.writeOffDays = days
        case nil:
            title.protestCode = "3"
        }
    }

    /// A CNAB 400 instruction pair for `terms`' after-due action: `protest` or `writeOff` with the day count in
    /// `days` (the second instruction, or the layout's prazo field).
    static func afterDueInstruction(_ terms: BoletoTerms, protest: String, writeOff: String) -> (code: String, days: Int)? {
        switch terms.afterDue {
        case .protest(let days)?: (protest, days)
        case .writeOff(let days)?: (writeOff, days)
        case nil: nil
        }
    }
}
