import BoletoKit
import Testing

/// Terms: the banking calendar, the amount due on a payment date (worked by hand below), and the rules.
@Suite("Boleto terms: calendar, amount due, rules")
struct BoletoTermsTests {
    static func day(_ text: String) -> CalendarDate { CalendarDate(iso: text)! }
    static func percent(_ value: Double) -> Percent { Percent(value)! }

    @Test("the banking calendar: weekends, fixed holidays, Carnival, Good Friday and Corpus Christi from Easter")
    func calendar() {
        let calendar = BankingCalendar.brazil
        // Easter Sundays from published tables.
        #expect(BankingCalendar.easter(year: 2025) == Self.day("2025-04-20"))
        #expect(BankingCalendar.easter(year: 2026) == Self.day("2026-04-05"))
        #expect(BankingCalendar.easter(year: 2027) == Self.day("2027-03-28"))
        #expect(BankingCalendar.easter(year: 2038) == Self.day("2038-04-25"))
        for holiday in ["2027-02-08", "2027-02-09", "2027-03-26", "2027-05-27", "2026-12-25", "2027-01-01", "2027-04-21",
                        "2027-09-07", "2027-10-12", "2027-11-02", "2027-11-15", "2024-11-20"] {
            #expect(calendar.isHoliday(Self.day(holiday)), "\(holiday)")
        }
        #expect(!calendar.isHoliday(Self.day("2023-11-20")), "Consciência Negra is national from 2024")
        #expect(!calendar.isBusinessDay(Self.day("2027-03-13")) && !calendar.isBusinessDay(Self.day("2027-03-14")))
        #expect(calendar.isBusinessDay(Self.day("2027-03-10")) && calendar.isBusinessDay(Self.day("2027-02-10")))
        // Good Friday 2027 is on the 26th of March: the next business day after it is Monday the 29th.
        #expect(calendar.businessDay(onOrAfter: Self.day("2027-03-26")) == Self.day("2027-03-29"))
        #expect(calendar.businessDay(onOrAfter: Self.day("2027-03-10")) == Self.day("2027-03-10"))
    }

    static let lateTerms = BoletoTerms(interest: .init(kind: .percentPerMonth, percent: percent(1)),
                                       fine: .init(kind: .percent, percent: percent(2)))

    @Test("late: 1 % a month is a thirtieth a day from the day after the due date, and the 2 % fine once")
    func late() throws {
        let due = Self.day("2027-03-10")   // a Wednesday
        #expect(Self.lateTerms.amountDue(amountCents: 100_000, dueDate: due, paidOn: due)?.totalCents == 100_000)
        // One day late: 100 000 × 1 % × 1/30 = 33.33 → 33; fine 2 000.
        let one = try #require(Self.lateTerms.amountDue(amountCents: 100_000, dueDate: due, paidOn: Self.day("2027-03-11")))
        #expect(one.interestCents == 33 && one.fineCents == 2_000 && one.daysLate == 1 && one.totalCents == 102_033)
        // Ten days late (11th to 20th): 100 000 × 1 % × 10/30 = 333.33 → 333.
        let ten = try #require(Self.lateTerms.amountDue(amountCents: 100_000, dueDate: due, paidOn: Self.day("2027-03-20")))
        #expect(ten.interestCents == 333 && ten.daysLate == 10 && ten.totalCents == 102_333)
    }

    @Test("a due date on a Saturday may be paid on Monday without charges; on Tuesday interest counts from Sunday")
    func weekendDueDate() throws {
        let saturday = Self.day("2027-03-13")
        #expect(Self.lateTerms.amountDue(amountCents: 100_000, dueDate: saturday, paidOn: Self.day("2027-03-15"))?.totalCents == 100_000)
        // 14th to 16th: 3 days, 100 000 × 1 % × 3/30 = 100.
        let tuesday = try #require(Self.lateTerms.amountDue(amountCents: 100_000, dueDate: saturday, paidOn: Self.day("2027-03-16")))
        #expect(tuesday.interestCents == 100 && tuesday.fineCents == 2_000 && tuesday.totalCents == 102_100)
    }

    @Test("discounts: the first whose date the payment is not after; abatimento lowers the base of every percentage")
    func discountsAndAbatement() throws {
        let due = Self.day("2027-03-10")
        let terms = BoletoTerms(discounts: [.init(kind: .percent, percent: Self.percent(10), until: Self.day("2027-03-01")),
                                            .init(kind: .amount, amountCents: 2_000, until: Self.day("2027-03-05"))])
        #expect(terms.amountDue(amountCents: 50_000, dueDate: due, paidOn: Self.day("2027-02-26"))?.totalCents == 45_000)
        #expect(terms.amountDue(amountCents: 50_000, dueDate: due, paidOn: Self.day("2027-03-01"))?.discountCents == 5_000)
        #expect(terms.amountDue(amountCents: 50_000, dueDate: due, paidOn: Self.day("2027-03-03"))?.totalCents == 48_000)
        #expect(terms.amountDue(amountCents: 50_000, dueDate: due, paidOn: Self.day("2027-03-08"))?.totalCents == 50_000)
        // Abatimento 5 000: base 45 000; 1 % a day for one day = 450; 2 % fine = 900. 50 000 − 5 000 + 450 + 900.
        let abated = BoletoTerms(interest: .init(kind: .percentPerDay, percent: Self.percent(1)),
                                 fine: .init(kind: .percent, percent: Self.percent(2)), abatementCents: 5_000)
        let late = try #require(abated.amountDue(amountCents: 50_000, dueDate: due, paidOn: Self.day("2027-03-11")))
        #expect(late.abatementCents == 5_000 && late.interestCents == 450 && late.fineCents == 900 && late.totalCents == 46_350)
    }

    @Test("rounding is half up to the cent; an amount a day multiplies; start dates move the charges")
    func roundingAndStarts() throws {
        let due = Self.day("2027-03-10")
        // 12 345 × 1 % / 30 = 4.115 → 4; 12 345 × 2 % = 246.9 → 247; 12 345 × 0.5 % = 61.725 → 62.
        let one = try #require(Self.lateTerms.amountDue(amountCents: 12_345, dueDate: due, paidOn: Self.day("2027-03-11")))
        #expect(one.interestCents == 4 && one.fineCents == 247)
        let half = BoletoTerms(fine: .init(kind: .percent, percent: Self.percent(0.5)))
        #expect(half.amountDue(amountCents: 12_345, dueDate: due, paidOn: Self.day("2027-03-11"))?.fineCents == 62)
        let perDay = BoletoTerms(interest: .init(kind: .amountPerDay, amountCents: 30, startDate: Self.day("2027-03-15")),
                                 fine: .init(kind: .amount, amountCents: 500, startDate: Self.day("2027-03-19")))
        // Before the start dates nothing accrues, although the payment is late.
        #expect(perDay.amountDue(amountCents: 10_000, dueDate: due, paidOn: Self.day("2027-03-12"))?.totalCents == 10_000)
        // 15th to 18th: 4 days × 30; the fine from the 19th.
        let later = try #require(perDay.amountDue(amountCents: 10_000, dueDate: due, paidOn: Self.day("2027-03-18")))
        #expect(later.interestCents == 120 && later.fineCents == 0)
        #expect(perDay.amountDue(amountCents: 10_000, dueDate: due, paidOn: Self.day("2027-03-19"))?.fineCents == 500)
        // A start date on a Saturday (the 20th) moves to Monday the 22nd, as a due date does.
        let weekendStart = BoletoTerms(fine: .init(kind: .amount, amountCents: 500, startDate: Self.day("2027-03-20")))
        #expect(weekendStart.amountDue(amountCents: 10_000, dueDate: due, paidOn: Self.day("2027-03-20"))?.fineCents == 0)
        #expect(weekendStart.amountDue(amountCents: 10_000, dueDate: due, paidOn: Self.day("2027-03-22"))?.fineCents == 500)
    }

    @Test("after the payment limit date, or the write-off days, the boleto cannot be paid")
    func limits() {
        let due = Self.day("2027-03-10")
        let limited = BoletoTerms(paymentLimitDate: Self.day("2027-03-20"))   // a Saturday: Monday the 22nd still pays
        #expect(limited.amountDue(amountCents: 100, dueDate: due, paidOn: Self.day("2027-03-22")) != nil)
        #expect(limited.amountDue(amountCents: 100, dueDate: due, paidOn: Self.day("2027-03-23")) == nil)
        let writeOff = BoletoTerms(afterDue: .writeOff(days: 30))           // the 9th of April, a Friday
        #expect(writeOff.lastPayableDay(dueDate: due) == Self.day("2027-04-09"))
        #expect(writeOff.amountDue(amountCents: 100, dueDate: due, paidOn: Self.day("2027-04-10")) == nil)
        #expect(BoletoTerms(afterDue: .protest(days: 5)).lastPayableDay(dueDate: due) == nil)
    }

    @Test("percentages hold five decimals exactly")
    func percents() {
        #expect(Percent(2.5)?.hundredThousandths == 250_000 && Percent(0.033)?.hundredThousandths == 3_300)
        #expect(Percent(1.23456)?.description == "1.23456" && Percent(2)?.description == "2.00" && Percent(0.1)?.description == "0.10")
        #expect(Percent(1.234567) == nil && Percent(.nan) == nil && Percent(.infinity) == nil)
    }

    @Test("rules: each broken rule names its field")
    func rules() {
        let due = Self.day("2027-03-10"), issued = Self.day("2027-02-01")
        func fields(_ terms: BoletoTerms) -> [String] {
            terms.problems(amountCents: 10_000, dueDate: due, issueDate: issued).map(\.field)
        }
        #expect(fields(Self.lateTerms).isEmpty)
        #expect(fields(BoletoTerms(interest: .init(kind: .percentPerMonth, percent: Self.percent(101)))) == ["interest.value"])
        #expect(fields(BoletoTerms(interest: .init(kind: .amountPerDay, amountCents: 0))) == ["interest.value"])
        #expect(fields(BoletoTerms(fine: .init(kind: .percent, percent: Self.percent(2), startDate: due))) == ["fine.start_date"])
        #expect(fields(BoletoTerms(fine: .init(kind: .amount, amountCents: 10_000))) == ["fine.value"])
        let late = BoletoTerms.Discount(kind: .amount, amountCents: 100, until: Self.day("2027-03-11"))
        #expect(fields(BoletoTerms(discounts: [late])) == ["discounts[0].until"])
        let early = BoletoTerms.Discount(kind: .amount, amountCents: 100, until: Self.day("2027-01-31"))
        #expect(fields(BoletoTerms(discounts: [early])) == ["discounts[0].until"])
        let first = BoletoTerms.Discount(kind: .amount, amountCents: 500, until: Self.day("2027-03-01"))
        let growing = BoletoTerms.Discount(kind: .amount, amountCents: 600, until: Self.day("2027-03-05"))
        let sameDay = BoletoTerms.Discount(kind: .amount, amountCents: 100, until: Self.day("2027-03-01"))
        #expect(fields(BoletoTerms(discounts: [first, growing])) == ["discounts[1].value"])
        #expect(fields(BoletoTerms(discounts: [first, sameDay])) == ["discounts[1].until"])
        #expect(fields(BoletoTerms(discounts: [first, first, first, first])).first == "discounts")
        #expect(fields(BoletoTerms(discounts: [.init(kind: .percent, percent: Self.percent(100), until: due)])) == ["discounts[0].value"])
        #expect(fields(BoletoTerms(abatementCents: 10_000)) == ["abatement"])
        #expect(fields(BoletoTerms(afterDue: .protest(days: 100))) == ["protest_days"])
        #expect(fields(BoletoTerms(afterDue: .writeOff(days: 0))) == ["write_off_days"])
        #expect(fields(BoletoTerms(afterDue: .writeOff(days: 10), paymentLimitDate: Self.day("2027-03-20"))) == ["payment_limit_date"])
        #expect(fields(BoletoTerms(paymentLimitDate: Self.day("2027-03-09"))) == ["payment_limit_date"])
        #expect(fields(BoletoTerms(interest: .init(kind: .percentPerDay, percent: Self.percent(1), startDate: Self.day("2027-03-25")),
                                   paymentLimitDate: Self.day("2027-03-20"))) == ["interest.start_date"])
    }
}
