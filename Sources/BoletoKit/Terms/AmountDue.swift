/// What a payer owes on a given day, and why: the amount less abatimento and discount, plus interest and fine.
public struct AmountDue: Hashable, Sendable {
    /// The boleto's amount, in cents.
    public var amountCents: Int64
    /// The abatimento granted.
    public var abatementCents: Int64
    /// The early-payment discount earned on the day.
    public var discountCents: Int64
    /// Juros de mora for the days late.
    public var interestCents: Int64
    /// The multa.
    public var fineCents: Int64
    /// The days of interest charged.
    public var daysLate: Int

    /// What to pay: amount − abatimento − discount + interest + fine.
    public var totalCents: Int64 { amountCents - abatementCents - discountCents + interestCents + fineCents }
}

extension BoletoTerms {
    /// What a boleto of `amountCents` due on `dueDate` costs when paid on `paidOn`; nil when it can no longer be paid
    /// (after ``paymentLimitDate``, or after the write-off days).
    ///
    /// The rules, as the banks apply them:
    /// - A date on which banks are closed (``BankingCalendar``) moves to the next business day: a due date (so a payment
    ///   then is on time), a discount's last day, a start date of interest or fine.
    /// - Percentages apply to the amount less the abatimento. Each amount is rounded half up to the cent.
    /// - The discount is the first one (in date order) whose date the payment is not after.
    /// - Interest and fine apply only to a payment after the (moved) due date, from their start dates (the day after
    ///   the due date by default). Interest counts calendar days from the start date to the payment, both included;
    ///   a monthly percentage is charged as a thirtieth a day (simple interest, the commercial month).
    /// - The fine is charged once.
    public func amountDue(amountCents: Int64, dueDate: CalendarDate, paidOn: CalendarDate,
                          calendar: BankingCalendar = .brazil) -> AmountDue? {
        if let limit = lastPayableDay(dueDate: dueDate, calendar: calendar), paidOn > limit { return nil }
        let abatement = abatementCents ?? 0
        let base = amountCents - abatement
        var due = AmountDue(amountCents: amountCents, abatementCents: abatement, discountCents: 0, interestCents: 0,
                            fineCents: 0, daysLate: 0)
        if let discount = discounts.first(where: { paidOn <= calendar.businessDay(onOrAfter: $0.until) }) {
            due.discountCents = discount.cents(of: base)
        }
        let onTimeUntil = calendar.businessDay(onOrAfter: dueDate)
        guard paidOn > onTimeUntil else { return due }
        if let interest {
            let start = interest.startDate ?? dueDate.adding(days: 1)
            if paidOn >= calendar.businessDay(onOrAfter: start) {
                let days = paidOn.days(since: start) + 1
                due.daysLate = days
                switch interest.kind {
                case .percentPerMonth:
                    due.interestCents = interest.percent.map { Percent.share(of: base, $0, times: Int64(days), over: 30) } ?? 0
                case .percentPerDay:
                    due.interestCents = interest.percent.map { Percent.share(of: base, $0, times: Int64(days)) } ?? 0
                case .amountPerDay:
                    due.interestCents = (interest.amountCents ?? 0) * Int64(days)
                }
            }
        }
        if let fine {
            let start = fine.startDate ?? dueDate.adding(days: 1)
            if paidOn >= calendar.businessDay(onOrAfter: start) {
                switch fine.kind {
                case .percent: due.fineCents = fine.percent.map { Percent.share(of: base, $0) } ?? 0
                case .amount: due.fineCents = fine.amountCents ?? 0
                }
            }
        }
        return due
    }

    /// The last day the boleto may be paid: the payment limit date, or the due date plus the write-off days (moved to a
    /// business day); nil when there is none.
    public func lastPayableDay(dueDate: CalendarDate, calendar: BankingCalendar = .brazil) -> CalendarDate? {
        if let paymentLimitDate { return calendar.businessDay(onOrAfter: paymentLimitDate) }
        if case .writeOff(let days)? = afterDue { return calendar.businessDay(onOrAfter: dueDate.adding(days: days)) }
        return nil
    }
}
