import BoletoKit

/// Which boleto terms a bank's protocol carries. An adapter declares its support and reports every other term as a
/// problem before anything is sent, so a term the merchant asked for is refused at creation (naming the field and the
/// bank) instead of being registered without it.
public struct TermsSupport: Sendable, Hashable {
    public var interest: Set<BoletoTerms.InterestKind> = []
    /// Whether interest may start on a date other than the day after the due date.
    public var interestStartDate = false
    public var fine: Set<BoletoTerms.FineKind> = []
    public var fineStartDate = false
    public var discounts: Set<BoletoTerms.Discount.Kind> = []
    /// How many discounts.
    public var maximumDiscounts = 0
    /// Whether every discount must be of the same kind.
    public var discountsOfOneKind = false
    public var abatement = false
    public var protestDays: ClosedRange<Int>? = nil
    public var writeOffDays: ClosedRange<Int>? = nil
    public var paymentLimitDate = false

    /// No terms at all.
    public static let none = TermsSupport()

    public init(interest: Set<BoletoTerms.InterestKind> = [], interestStartDate: Bool = false,
                fine: Set<BoletoTerms.FineKind> = [], fineStartDate: Bool = false,
                discounts: Set<BoletoTerms.Discount.Kind> = [], maximumDiscounts: Int = 0, discountsOfOneKind: Bool = false,
                abatement: Bool = false, protestDays: ClosedRange<Int>? = nil, writeOffDays: ClosedRange<Int>? = nil,
                paymentLimitDate: Bool = false) {
        self.interest = interest
        self.interestStartDate = interestStartDate
        self.fine = fine
        self.fineStartDate = fineStartDate
        self.discounts = discounts
        self.maximumDiscounts = maximumDiscounts
        self.discountsOfOneKind = discountsOfOneKind
        self.abatement = abatement
        self.protestDays = protestDays
        self.writeOffDays = writeOffDays
        self.paymentLimitDate = paymentLimitDate
    }

    /// The terms of `terms` that `bank` (its name, for the message) cannot carry.
    public func problems(_ terms: BoletoTerms?, bank: String) -> [FieldProblem] {
        guard let terms else { return [] }
        var problems: [FieldProblem] = []
        func fail(_ path: String, _ message: String) { problems.append(FieldProblem(field: .terms(path), message: "\(bank) \(message)")) }
        func check<Kind>(_ charge: BoletoTerms.Charge<Kind>?, _ name: String, _ label: String, allowed: Set<Kind>, startDate: Bool) {
            guard let charge else { return }
            if !allowed.contains(charge.kind) {
                fail(name + ".type", allowed.isEmpty ? "does not carry \(label) through this adapter."
                     : "does not carry \(label) of type \(charge.kind.rawValue); it takes \(Self.list(allowed.map(\.rawValue))).")
            } else if charge.startDate != nil && !startDate {
                fail(name + ".start_date", "applies \(label) from the day after the due date; omit start_date.")
            }
        }
        check(terms.interest, "interest", "interest (juros)", allowed: interest, startDate: interestStartDate)
        check(terms.fine, "fine", "a fine (multa)", allowed: fine, startDate: fineStartDate)
        if !terms.discounts.isEmpty {
            if terms.discounts.count > maximumDiscounts {
                fail("discounts", maximumDiscounts == 0 ? "does not carry discounts through this adapter."
                     : "carries at most \(maximumDiscounts) discount\(maximumDiscounts == 1 ? "" : "s").")
            }
            for (index, discount) in terms.discounts.enumerated() where maximumDiscounts > 0 && !discounts.contains(discount.kind) {
                fail("discounts[\(index)].type", "does not carry a discount of type \(discount.kind.rawValue).")
            }
            if discountsOfOneKind, Set(terms.discounts.map(\.kind)).count > 1 {
                fail("discounts", "takes discounts of one type only (all percent or all amount).")
            }
        }
        if terms.abatementCents != nil && !abatement { fail("abatement", "does not carry an abatimento through this adapter.") }
        switch terms.afterDue {
        case .protest(let days)?:
            if let range = protestDays {
                if !range.contains(days) { fail("protest_days", "takes protest after \(range.lowerBound) to \(range.upperBound) days.") }
            } else {
                fail("protest_days", "does not carry a protest instruction through this adapter.")
            }
        case .writeOff(let days)?:
            if let range = writeOffDays {
                if !range.contains(days) { fail("write_off_days", "takes a write-off after \(range.lowerBound) to \(range.upperBound) days.") }
            } else {
                fail("write_off_days", "does not carry an automatic write-off through this adapter.")
            }
        case nil:
            break
        }
        if terms.paymentLimitDate != nil && !paymentLimitDate {
            fail("payment_limit_date", "does not carry a payment limit date through this adapter.")
        }
        return problems
    }

    private static func list(_ names: [String]) -> String { names.sorted().joined(separator: ", ") }
}
