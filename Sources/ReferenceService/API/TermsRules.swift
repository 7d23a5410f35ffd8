import BoletoJSON
import BoletoKit
import Providers

/// Reads a boleto's terms from `POST /boletos`: `interest`, `fine`, `discounts`, `abatement`, `protest_days`,
/// `write_off_days` and `payment_limit_date`, then applies BoletoKit's rules (``BoletoTerms/problems(amountCents:dueDate:issueDate:)``),
/// each broken rule a 400 naming its field.
///
/// | field | shape |
/// |---|---|
/// | `interest` | `{type: percent_per_month \| percent_per_day \| amount_per_day, value, start_date?}`; a percent has at most 5 decimals, an amount is cents |
/// | `fine` | `{type: percent \| amount, value, start_date?}` |
/// | `interest`, `fine` (superbowleto) | `{percentage, amount, days}`: a percentage a month (interest) or of the amount (fine), or cents (a day, for interest), from `days` after the due date |
/// | `discounts` | up to 3 `{type: percent \| amount, value, until}`, dates increasing, each smaller than the one before |
/// | `abatement` | cents |
/// | `protest_days` or `write_off_days` | 1–99, 1–999 |
/// | `payment_limit_date` | `YYYY-MM-DD`, not with `write_off_days` |
enum TermsRules {
    static func read(_ checks: inout FieldChecks, _ body: CreateBoletoBody, amount: Int64?, dueDate: CalendarDate?) -> BoletoTerms? {
        let before = checks.errors.count
        var terms = BoletoTerms()
        terms.interest = charge(&checks, body.interest, "interest", dueDate: dueDate).flatMap { charge in
            guard let kind = BoletoTerms.InterestKind(rawValue: charge.type) else { return nil }
            return BoletoTerms.Interest(kind: kind, percent: charge.percent, amountCents: charge.cents, startDate: charge.start)
        }
        terms.fine = charge(&checks, body.fine, "fine", dueDate: dueDate).flatMap { charge in
            guard let kind = BoletoTerms.FineKind(rawValue: charge.type) else { return nil }
            return BoletoTerms.Fine(kind: kind, percent: charge.percent, amountCents: charge.cents, startDate: charge.start)
        }
        terms.discounts = discounts(&checks, body.discounts.value ?? [])
        terms.abatementCents = checks.integer(body.abatement, "abatement", in: 0...9_999_999_999).flatMap { $0 == 0 ? nil : $0 }
        let protest = checks.integer(body.protestDays, "protest_days", in: Int64.min...Int64.max)
        let writeOff = checks.integer(body.writeOffDays, "write_off_days", in: Int64.min...Int64.max)
        if protest != nil && writeOff != nil {
            checks.fail("write_off_days", "give protest_days or write_off_days, not both: a title is protested or written off.")
        } else if let protest {
            terms.afterDue = .protest(days: Int(clamping: protest))
        } else if let writeOff {
            terms.afterDue = .writeOff(days: Int(clamping: writeOff))
        }
        terms.paymentLimitDate = date(&checks, body.paymentLimitDate, "payment_limit_date", required: false)
        guard checks.errors.count == before, let amount, let dueDate else { return nil }
        for problem in terms.problems(amountCents: amount, dueDate: dueDate, issueDate: .todayInSaoPaulo()) {
            checks.fail(problem.field, problem.message)
        }
        return terms.isEmpty ? nil : terms
    }

    /// `discounts`: each `{type, value, until}` read, each broken field a failure naming its path (how many, and their
    /// order, are ``BoletoTerms``' rules).
    static func discounts(_ checks: inout FieldChecks, _ list: [DiscountBody]) -> [BoletoTerms.Discount] {
        var discounts: [BoletoTerms.Discount] = []
        for (index, item) in list.enumerated() {
            var inner = checks.nested("discounts[\(index)]")
            let type = inner.oneOf(item.type, "type", BoletoTerms.Discount.Kind.allCases.map(\.rawValue), required: true)
            let (percent, cents) = value(&inner, item.value, isPercent: type == "percent", required: true)
            let until = date(&inner, item.until, "until", required: true)
            checks.absorb(inner)
            if let type, let kind = BoletoTerms.Discount.Kind(rawValue: type), let until, percent != nil || cents != nil {
                discounts.append(.init(kind: kind, percent: percent, amountCents: cents, until: until))
            }
        }
        return discounts
    }

    /// The change `PATCH /boletos/:id` asks for: `expiration_date`, `amount`, `discounts` (`[]` withdraws them),
    /// `abatement` (0 withdraws it), `protest_days` or `write_off_days` (`null` withdraws the instruction). The rules
    /// that involve the boleto's other values are the service's (``BoletoService/checked(_:_:)``).
    static func alteration(_ checks: inout FieldChecks, _ body: UpdateBoletoBody) -> BoletoAlteration {
        var alteration = BoletoAlteration()
        alteration.dueDate = date(&checks, body.expirationDate, "expiration_date", required: false)
        if body.expirationDate.isNull { checks.fail("expiration_date", "must be a YYYY-MM-DD date.") }
        alteration.amountCents = checks.integer(body.amount, "amount", in: 1...CreateBoletoRequest.maxAmount)
        if body.amount.isNull { checks.fail("amount", "must be a positive integer of cents.") }
        if body.discounts.isSent {
            if body.discounts.isNull { checks.fail("discounts", "send [] to withdraw the discounts.") }
            alteration.discounts = discounts(&checks, body.discounts.value ?? [])
        }
        alteration.abatementCents = checks.integer(body.abatement, "abatement", in: 0...9_999_999_999)
        if body.abatement.isNull { checks.fail("abatement", "send 0 to withdraw the abatimento.") }
        let protest = checks.integer(body.protestDays, "protest_days", in: Int64(BoletoTerms.protestDays.lowerBound)...Int64(BoletoTerms.protestDays.upperBound))
        let writeOff = checks.integer(body.writeOffDays, "write_off_days", in: Int64(BoletoTerms.writeOffDays.lowerBound)...Int64(BoletoTerms.writeOffDays.upperBound))
        if body.protestDays.isSent && body.writeOffDays.isSent && !(body.protestDays.isNull && body.writeOffDays.isNull) {
            checks.fail("write_off_days", "give protest_days or write_off_days, not both: a title is protested or written off.")
        } else if let protest {
            alteration.afterDue = .protest(days: Int(protest))
        } else if let writeOff {
            alteration.afterDue = .writeOff(days: Int(writeOff))
        } else if body.protestDays.isNull || body.writeOffDays.isNull {
            alteration.afterDue = BoletoAlteration.AfterDue.none
        }
        return alteration
    }

    /// A charge as read: its kind's raw value, a percent or cents, and a start date.
    struct Charge {
        var type: String
        var percent: Percent?
        var cents: Int64?
        var start: CalendarDate?
    }

    /// `interest` or `fine`, in either shape.
    static func charge(_ checks: inout FieldChecks, _ field: JSONField<ChargeBody>, _ key: String, dueDate: CalendarDate?) -> Charge? {
        guard let body = field.value else { return nil }
        var inner = checks.nested(key)
        defer { checks.absorb(inner) }
        let legacy = body.percentage.isSent || body.amount.isSent || body.days.isSent
        let current = body.type.isSent || body.value.isSent || body.startDate.isSent
        if legacy && current {
            inner.fail("type", "send type, value and start_date, or superbowleto's percentage, amount and days, not both.")
            return nil
        }
        if legacy { return legacyCharge(&inner, body, key, dueDate: dueDate) }
        let kinds = key == "interest" ? BoletoTerms.InterestKind.allCases.map(\.rawValue) : BoletoTerms.FineKind.allCases.map(\.rawValue)
        guard let type = inner.oneOf(body.type, "type", kinds, required: true) else { return nil }
        let (percent, cents) = value(&inner, body.value, isPercent: type.hasPrefix("percent"), required: true)
        let start = date(&inner, body.startDate, "start_date", required: false)
        guard !inner.hasOwnErrors, percent != nil || cents != nil else { return nil }
        return Charge(type: type, percent: percent, cents: cents, start: start)
    }

    /// superbowleto's `{percentage, amount, days}`: percentage 0 and no amount mean no charge.
    private static func legacyCharge(_ inner: inout FieldChecks, _ body: ChargeBody, _ key: String, dueDate: CalendarDate?) -> Charge? {
        let percentage = inner.number(body.percentage, "percentage", in: 0...100)
        let amount = inner.integer(body.amount, "amount", in: 0...9_999_999_999)
        let days = inner.integer(body.days, "days", in: 0...3650)
        guard !inner.hasOwnErrors else { return nil }
        let start = days.flatMap { $0 > 1 ? dueDate?.adding(days: Int($0)) : nil }
        switch (percentage.flatMap { $0 > 0 ? $0 : nil }, amount.flatMap { $0 > 0 ? $0 : nil }) {
        case (nil, nil):
            return nil
        case (let percentage?, nil):
            guard let percent = Percent(percentage) else {
                inner.fail("percentage", "must have at most 5 decimal places.")
                return nil
            }
            return Charge(type: key == "interest" ? "percent_per_month" : "percent", percent: percent, start: start)
        case (nil, let amount?):
            return Charge(type: key == "interest" ? "amount_per_day" : "amount", cents: amount, start: start)
        case (.some, .some):
            inner.fail("amount", "give percentage or amount, not both.")
            return nil
        }
    }

    /// A `value`: a percentage with at most 5 decimals, or whole cents.
    static func value(_ checks: inout FieldChecks, _ field: JSONField<Double>, isPercent: Bool,
                      required: Bool) -> (Percent?, Int64?) {
        guard let number = field.value else {
            if required && !field.isSent { checks.fail("value", "is required.") } else if field.isSent && field.value == nil {
                checks.fail("value", "must be a number.")
            }
            return (nil, nil)
        }
        if isPercent {
            guard let percent = Percent(number), percent.hundredThousandths > 0 else {
                checks.fail("value", "must be a percentage above zero with at most 5 decimal places.")
                return (nil, nil)
            }
            return (percent, nil)
        }
        guard number.rounded() == number, number > 0, number <= 9_999_999_999 else {
            checks.fail("value", "must be a whole number of cents above zero.")
            return (nil, nil)
        }
        return (nil, Int64(number))
    }

    /// A `YYYY-MM-DD` date.
    static func date(_ checks: inout FieldChecks, _ field: JSONField<String>, _ key: String, required: Bool) -> CalendarDate? {
        guard let text = checks.string(field, key, maxLength: 10, required: required) else { return nil }
        guard text.count == 10, let date = CalendarDate(iso: text) else {
            checks.fail(key, "must be a YYYY-MM-DD date.")
            return nil
        }
        return date
    }
}

extension BoletoRecord {
    /// The boleto's terms: as validated at creation, or, for a boleto issued before terms were first-class, its
    /// superbowleto `interest` and `fine` (a percentage a month or cents a day; a percentage or cents once), from
    /// `days` after the due date.
    var terms: BoletoTerms? {
        if let terms = details.terms { return terms }
        let due = CalendarDate(iso: dueDate)
        func start(_ days: Int?) -> CalendarDate? { days.flatMap { $0 > 1 ? due?.adding(days: $0) : nil } }
        var legacy = BoletoTerms()
        if let charge = details.interest {
            if let value = charge.percentage, value > 0, let percent = Percent(value) {
                legacy.interest = .init(kind: .percentPerMonth, percent: percent, startDate: start(charge.days))
            } else if let cents = charge.amount, cents > 0 {
                legacy.interest = .init(kind: .amountPerDay, amountCents: cents, startDate: start(charge.days))
            }
        }
        if let charge = details.fine {
            if let value = charge.percentage, value > 0, let percent = Percent(value) {
                legacy.fine = .init(kind: .percent, percent: percent, startDate: start(charge.days))
            } else if let cents = charge.amount, cents > 0 {
                legacy.fine = .init(kind: .amount, amountCents: cents, startDate: start(charge.days))
            }
        }
        return legacy.isEmpty ? nil : legacy
    }
}

extension BoletoRecord {
    /// What the payer owed on `date` under the boleto's terms (its amount without terms), and how far `paid` is from
    /// it, as event detail: `expected_amount` and, when they differ, `divergence_cents` (paid − expected). Nothing
    /// without a date.
    func paymentCheck(paid: Int64, on date: CalendarDate?) -> [(String, JSON)] {
        guard let date, let due = CalendarDate(iso: dueDate) else { return [] }
        guard let owed = (terms ?? BoletoTerms()).amountDue(amountCents: amount, dueDate: due, paidOn: date) else {
            return [("divergence", .string("paid after the last day the boleto could be paid"))]
        }
        var detail: [(String, JSON)] = [("expected_amount", .int(owed.totalCents))]
        if paid != owed.totalCents { detail.append(("divergence_cents", .int(paid - owed.totalCents))) }
        return detail
    }
}
