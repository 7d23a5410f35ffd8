extension BoletoTerms {
    /// The terms as the instruction lines a boleto prints (in Portuguese, as the banks word them), for a boleto of
    /// `amountCents` due on `dueDate`: one line per term, amounts in reais, dates `dd/mm/aaaa`.
    ///
    /// ```
    /// Após 10/03/2027, juros de 1,00% ao mês (R$ 0,33 ao dia).
    /// A partir de 11/03/2027, multa de 2,00% (R$ 20,00).
    /// Até 01/03/2027, desconto de 10,00% (R$ 100,00).
    /// Abatimento de R$ 50,00.
    /// Protestar 5 dias corridos após o vencimento.
    /// Não receber após 20/03/2027.
    /// ```
    public func instructionLines(amountCents: Int64, dueDate: CalendarDate) -> [String] {
        var lines: [String] = []
        let base = amountCents - (abatementCents ?? 0)
        func percent(_ value: Percent) -> String { value.description.replacingOccurrences(of: ".", with: ",") + "%" }
        if let interest {
            let from = interest.startDate.map { "A partir de \(Self.text($0))" } ?? "Após \(Self.text(dueDate))"
            switch interest.kind {
            case .percentPerMonth:
                if let rate = interest.percent {
                    lines.append("\(from), juros de \(percent(rate)) ao mês (\(MoneyText.reais(Percent.share(of: base, rate, over: 30))) ao dia).")
                }
            case .percentPerDay:
                if let rate = interest.percent {
                    lines.append("\(from), juros de \(percent(rate)) ao dia (\(MoneyText.reais(Percent.share(of: base, rate))) ao dia).")
                }
            case .amountPerDay:
                lines.append("\(from), juros de \(MoneyText.reais(interest.amountCents ?? 0)) ao dia.")
            }
        }
        if let fine {
            let from = "A partir de \(Self.text(fine.startDate ?? dueDate.adding(days: 1)))"
            switch fine.kind {
            case .percent:
                if let rate = fine.percent { lines.append("\(from), multa de \(percent(rate)) (\(MoneyText.reais(Percent.share(of: base, rate)))).") }
            case .amount:
                lines.append("\(from), multa de \(MoneyText.reais(fine.amountCents ?? 0)).")
            }
        }
        for discount in discounts {
            switch discount.kind {
            case .percent:
                if let rate = discount.percent {
                    lines.append("Até \(Self.text(discount.until)), desconto de \(percent(rate)) (\(MoneyText.reais(discount.cents(of: base)))).")
                }
            case .amount:
                lines.append("Até \(Self.text(discount.until)), desconto de \(MoneyText.reais(discount.amountCents ?? 0)).")
            }
        }
        if let abatementCents { lines.append("Abatimento de \(MoneyText.reais(abatementCents)).") }
        switch afterDue {
        case .protest(let days)?: lines.append("Protestar \(days) dias corridos após o vencimento.")
        case .writeOff(let days)?: lines.append("Não receber após \(Self.text(dueDate.adding(days: days))) (baixa \(days) dias após o vencimento).")
        case nil: break
        }
        if let paymentLimitDate { lines.append("Não receber após \(Self.text(paymentLimitDate)).") }
        return lines
    }

    /// `dd/mm/aaaa`.
    static func text(_ date: CalendarDate) -> String {
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        return "\(two(date.day))/\(two(date.month))/\(date.year)"
    }
}
