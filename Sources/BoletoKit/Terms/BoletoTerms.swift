/// A percentage with five decimal places, held exactly (the banks' percent fields carry at most five: Bradesco's
/// `perc_juros` "8 characters, 5 implied decimals", Itaú's 12-digit rates with 5 implied decimals).
public struct Percent: Hashable, Sendable, Comparable, Codable, CustomStringConvertible {
    /// The percentage times 100 000: 1 % is 100 000, 0.033 % is 3 300.
    public let hundredThousandths: Int64

    /// A percentage from its hundred-thousandths.
    public init(hundredThousandths: Int64) {
        self.hundredThousandths = hundredThousandths
    }

    /// `value` percent, when it has at most five decimal places; nil otherwise (or when not finite).
    public init?(_ value: Double) {
        guard value.isFinite, abs(value) < 1e9 else { return nil }
        let scaled = (value * 100_000).rounded()
        guard abs(value * 100_000 - scaled) < 1e-4 else { return nil }
        self.hundredThousandths = Int64(scaled)
    }

    /// The value as a number (for JSON answers).
    public var value: Double { Double(hundredThousandths) / 100_000 }

    /// The percentage with the decimals it needs, at least two: `2.00`, `0.033`, `1.23456`.
    public var description: String {
        let whole = hundredThousandths / 100_000, fraction = abs(hundredThousandths % 100_000)
        var decimals = String(fraction)
        decimals = String(repeating: "0", count: 5 - decimals.count) + decimals
        while decimals.count > 2 && decimals.hasSuffix("0") { decimals.removeLast() }
        return (hundredThousandths < 0 && whole == 0 ? "-" : "") + "\(whole).\(decimals)"
    }

    public static func < (lhs: Percent, rhs: Percent) -> Bool { lhs.hundredThousandths < rhs.hundredThousandths }

    public init(from decoder: any Decoder) throws {
        hundredThousandths = try decoder.singleValueContainer().decode(Int64.self)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hundredThousandths)
    }

    /// `percent` of `cents`, times `numerator` / `denominator`, rounded half up to the cent.
    static func share(of cents: Int64, _ percent: Percent, times numerator: Int64 = 1, over denominator: Int64 = 1) -> Int64 {
        // cents × hundredThousandths × numerator / (100 × 100 000 × denominator), in 128-bit-safe steps.
        let product = cents.multipliedFullWidth(by: percent.hundredThousandths * numerator)
        let divisor = Int64(10_000_000) * denominator
        let (quotient, remainder) = divisor.dividingFullWidth(product)
        return quotient + (remainder * 2 >= divisor ? 1 : 0)
    }
}

/// The terms a boleto carries beyond its amount and due date: juros de mora, multa, early-payment discounts,
/// abatimento, what the bank does after the due date, and the last day it may be paid. Banks print them in the
/// instructions and compute what a late or early payer owes from them (``amountDue(amountCents:dueDate:paidOn:calendar:)``).
public struct BoletoTerms: Hashable, Sendable, Codable {
    /// How interest is stated.
    public enum InterestKind: String, Hashable, Sendable, Codable, CaseIterable {
        /// A percentage of the amount a month (30 days), charged per day: `value / 30` a day.
        case percentPerMonth = "percent_per_month"
        /// A percentage of the amount a day.
        case percentPerDay = "percent_per_day"
        /// An amount in cents a day.
        case amountPerDay = "amount_per_day"
    }

    /// How a fine is stated: a percentage of the amount, or an amount, charged once.
    public enum FineKind: String, Hashable, Sendable, Codable, CaseIterable {
        case percent, amount
    }

    /// A charge for paying late, from a start date: a percentage or an amount, as its kind says.
    public struct Charge<Kind: RawRepresentable & Hashable & Sendable & Codable & CaseIterable>: Hashable, Sendable, Codable
        where Kind.RawValue == String {
        public var kind: Kind
        /// The rate (for the percent kinds).
        public var percent: Percent?
        /// Cents (for the amount kinds: a day for interest, once for a fine).
        public var amountCents: Int64?
        /// The first day it applies; the day after the due date when nil.
        public var startDate: CalendarDate?

        public init(kind: Kind, percent: Percent? = nil, amountCents: Int64? = nil, startDate: CalendarDate? = nil) {
            self.kind = kind
            self.percent = percent
            self.amountCents = amountCents
            self.startDate = startDate
        }

        /// Whether the kind is a percentage.
        public var isPercent: Bool { kind.rawValue.hasPrefix("percent") }
    }

    /// Juros de mora: interest for each day paid late.
    public typealias Interest = Charge<InterestKind>
    /// Multa: charged once on a payment from its start date.
    public typealias Fine = Charge<FineKind>

    /// A discount for paying on or before a date.
    public struct Discount: Hashable, Sendable, Codable {
        public enum Kind: String, Hashable, Sendable, Codable, CaseIterable {
            case percent, amount
        }

        public var kind: Kind
        public var percent: Percent?
        public var amountCents: Int64?
        /// The last day the discount applies.
        public var until: CalendarDate

        public init(kind: Kind, percent: Percent? = nil, amountCents: Int64? = nil, until: CalendarDate) {
            self.kind = kind
            self.percent = percent
            self.amountCents = amountCents
            self.until = until
        }
    }

    /// What the bank does with a title still unpaid some days after the due date.
    public enum AfterDue: Hashable, Sendable, Codable {
        /// Send it to protest after `days` days.
        case protest(days: Int)
        /// Write it off ("baixa"/"devolução") after `days` days: it can no longer be paid.
        case writeOff(days: Int)
    }

    public var interest: Interest?
    public var fine: Fine?
    /// Up to three, in date order.
    public var discounts: [Discount]
    /// Abatimento: a reduction of the amount granted by the beneficiary, in cents.
    public var abatementCents: Int64?
    public var afterDue: AfterDue?
    /// The last day the boleto may be paid (after it, banks refuse it).
    public var paymentLimitDate: CalendarDate?

    public init(interest: Interest? = nil, fine: Fine? = nil, discounts: [Discount] = [], abatementCents: Int64? = nil,
                afterDue: AfterDue? = nil, paymentLimitDate: CalendarDate? = nil) {
        self.interest = interest
        self.fine = fine
        self.discounts = discounts
        self.abatementCents = abatementCents
        self.afterDue = afterDue
        self.paymentLimitDate = paymentLimitDate
    }

    /// Whether there are no terms at all.
    public var isEmpty: Bool { self == BoletoTerms() }

    /// The most discounts a boleto carries (CNAB 240's segments P and R, BB, Itaú).
    public static let maximumDiscounts = 3
    /// The protest days the banks take: CNAB's two-digit field.
    public static let protestDays = 1...99
    /// The write-off days the banks take (BB's `numeroDiasLimiteRecebimento`, CNAB's three-digit field).
    public static let writeOffDays = 1...999
}
