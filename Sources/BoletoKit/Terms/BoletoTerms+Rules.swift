/// A rule a boleto's terms break, with the path of the field at fault in the terms' JSON form (`interest.value`,
/// `discounts[1].until`, `payment_limit_date`).
public struct TermsProblem: Hashable, Sendable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

extension BoletoTerms {
    /// Every rule the terms break for a boleto of `amountCents` due on `dueDate`, issued on `issueDate`:
    ///
    /// - interest and fine values above zero, percentages at most 100 %, a daily interest amount below the boleto's;
    ///   their start dates after the due date and not after the payment limit date;
    /// - at most three discounts, each above zero, below the amount (a percentage below 100 %), dated on or before the
    ///   due date and not before the issue date, in increasing date order, each one smaller than the one before;
    /// - an abatimento above zero and below the amount, and discounts that leave something to pay after it;
    /// - protest days 1–99 or write-off days 1–999, not both with a payment limit date;
    /// - a payment limit date on or after the due date.
    public func problems(amountCents: Int64, dueDate: CalendarDate, issueDate: CalendarDate? = nil) -> [TermsProblem] {
        var problems: [TermsProblem] = []
        func fail(_ field: String, _ message: String) { problems.append(TermsProblem(field: field, message: message)) }
        func checkPercent(_ percent: Percent?, _ field: String) {
            guard let percent else { return fail(field, "is required for a percentage.") }
            if percent.hundredThousandths <= 0 { fail(field, "must be above zero.") }
            if percent > Percent(hundredThousandths: 100 * 100_000) { fail(field, "must be at most 100 (percent).") }
        }
        func checkAmount(_ cents: Int64?, _ field: String, below limit: Int64) {
            guard let cents else { return fail(field, "is required for an amount.") }
            if cents <= 0 { fail(field, "must be above zero.") } else if cents >= limit { fail(field, "must be less than the boleto's amount.") }
        }
        func checkStart(_ date: CalendarDate?, _ field: String) {
            guard let date else { return }
            if date <= dueDate { fail(field, "must be after the due date (\(dueDate)).") }
            if let limit = paymentLimitDate, date > limit { fail(field, "must not be after payment_limit_date (\(limit)).") }
        }
        if let interest {
            switch interest.kind {
            case .percentPerMonth, .percentPerDay: checkPercent(interest.percent, "interest.value")
            case .amountPerDay: checkAmount(interest.amountCents, "interest.value", below: amountCents)
            }
            checkStart(interest.startDate, "interest.start_date")
        }
        if let fine {
            switch fine.kind {
            case .percent: checkPercent(fine.percent, "fine.value")
            case .amount: checkAmount(fine.amountCents, "fine.value", below: amountCents)
            }
            checkStart(fine.startDate, "fine.start_date")
        }
        let base = amountCents - (abatementCents ?? 0)
        if let abatement = abatementCents { checkAmount(abatement, "abatement", below: amountCents) }
        if discounts.count > Self.maximumDiscounts { fail("discounts", "at most \(Self.maximumDiscounts) discounts.") }
        var previous: (until: CalendarDate, cents: Int64)?
        for (index, discount) in discounts.enumerated() {
            let path = "discounts[\(index)]"
            switch discount.kind {
            case .percent:
                checkPercent(discount.percent, path + ".value")
                if let percent = discount.percent, percent >= Percent(hundredThousandths: 100 * 100_000) {
                    fail(path + ".value", "must be less than 100 (percent).")
                }
            case .amount:
                checkAmount(discount.amountCents, path + ".value", below: max(1, base))
            }
            if discount.until > dueDate { fail(path + ".until", "must be on or before the due date (\(dueDate)).") }
            if let issueDate, discount.until < issueDate { fail(path + ".until", "must not be before the issue date (\(issueDate)).") }
            let cents = discount.cents(of: base)
            if let previous {
                if discount.until <= previous.until { fail(path + ".until", "must be after the previous discount's date (\(previous.until)).") }
                if cents >= previous.cents { fail(path + ".value", "must be smaller than the previous discount (a later payment earns less).") }
            }
            previous = (discount.until, cents)
        }
        switch afterDue {
        case .protest(let days)?:
            if !Self.protestDays.contains(days) { fail("protest_days", "must be from \(Self.protestDays.lowerBound) to \(Self.protestDays.upperBound).") }
        case .writeOff(let days)?:
            if !Self.writeOffDays.contains(days) { fail("write_off_days", "must be from \(Self.writeOffDays.lowerBound) to \(Self.writeOffDays.upperBound).") }
        case nil:
            break
        }
        if let limit = paymentLimitDate {
            if limit < dueDate { fail("payment_limit_date", "must be on or after the due date (\(dueDate)).") }
            if case .writeOff? = afterDue { fail("payment_limit_date", "give payment_limit_date or write_off_days, not both.") }
        }
        return problems
    }
}

extension BoletoTerms.Discount {
    /// The discount on `baseCents`, in cents (a percentage rounded half up).
    public func cents(of baseCents: Int64) -> Int64 {
        switch kind {
        case .amount: amountCents ?? 0
        case .percent: percent.map { Percent.share(of: baseCents, $0) } ?? 0
        }
    }
}
