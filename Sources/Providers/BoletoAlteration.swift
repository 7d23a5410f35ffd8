import BoletoKit

/// A change to a registered boleto ("alteração"): a new due date, a new amount, new discounts, a new abatimento, or a
/// new protest or write-off instruction. Every field left nil stays as it is. The barcode of a boleto whose due date
/// or amount changes is computed again by the caller (BoletoKit); banks answer a change without one.
public struct BoletoAlteration: Sendable, Hashable, Codable {
    /// What a change touches, by the request field that carries it.
    public enum Kind: String, Sendable, Hashable, Codable, CaseIterable {
        case dueDate = "expiration_date"
        case amount
        case discounts
        case abatement
        case protest = "protest_days"
        case writeOff = "write_off_days"
    }

    /// The after-due instruction a change sets.
    public enum AfterDue: Sendable, Hashable, Codable {
        case protest(days: Int)
        case writeOff(days: Int)
        /// Withdraw the protest or write-off the boleto carries (sustar/cancelar protesto, não baixar).
        case none
    }

    public var dueDate: CalendarDate?
    public var amountCents: Int64?
    /// The boleto's discounts from now on (empty: none).
    public var discounts: [BoletoTerms.Discount]?
    /// The abatimento from now on, in cents (0: none).
    public var abatementCents: Int64?
    public var afterDue: AfterDue?

    public init(dueDate: CalendarDate? = nil, amountCents: Int64? = nil, discounts: [BoletoTerms.Discount]? = nil,
                abatementCents: Int64? = nil, afterDue: AfterDue? = nil) {
        self.dueDate = dueDate
        self.amountCents = amountCents
        self.discounts = discounts
        self.abatementCents = abatementCents
        self.afterDue = afterDue
    }

    /// What the change touches on a boleto whose terms are `previous`: withdrawing an after-due instruction is a
    /// protest or a write-off change by what the boleto had (nothing when it had none).
    public func kinds(previous: BoletoTerms?) -> [Kind] {
        var kinds: [Kind] = []
        if dueDate != nil { kinds.append(.dueDate) }
        if amountCents != nil { kinds.append(.amount) }
        if discounts != nil { kinds.append(.discounts) }
        if abatementCents != nil { kinds.append(.abatement) }
        switch afterDue {
        case .protest?: kinds.append(.protest)
        case .writeOff?: kinds.append(.writeOff)
        case .none?:
            switch previous?.afterDue {
            case .protest?: kinds.append(.protest)
            case .writeOff?: kinds.append(.writeOff)
            case nil: break
            }
        case nil: break
        }
        return kinds
    }

    /// `terms` with this change applied (the due date and amount are the boleto's, not its terms').
    public func applied(to terms: BoletoTerms?) -> BoletoTerms {
        var terms = terms ?? BoletoTerms()
        if let discounts { terms.discounts = discounts }
        if let abatementCents { terms.abatementCents = abatementCents == 0 ? nil : abatementCents }
        switch afterDue {
        case .protest(let days)?: terms.afterDue = .protest(days: days)
        case .writeOff(let days)?: terms.afterDue = .writeOff(days: days)
        case .none?: terms.afterDue = nil
        case nil: break
        }
        return terms
    }
}

/// How a bank answered a change.
public enum AlterationOutcome: Sendable, Hashable {
    /// The bank holds the title with the change.
    case altered
    /// The bank refused it; the title is as it was.
    case refused(code: String, message: String)
    /// No answer that says either: ask again.
    case transient(reason: String)
}

/// A bank whose API changes registered titles. `request` is the boleto as it stands before the change (its terms
/// included), so the adapter can tell an inclusion from an alteration where the bank distinguishes them.
public protocol BoletoAlterer: BoletoRegistrar {
    /// What the bank's API changes.
    var alterable: Set<BoletoAlteration.Kind> { get }
    /// Whether one call carries several kinds at once (Banco do Brasil's one PATCH of flags). A bank that takes one
    /// instruction per call (Itaú) is given one kind per change, so a change never half-applies.
    var carriesSeveralKinds: Bool { get }
    func alter(_ request: RegistrationRequest, _ alteration: BoletoAlteration) async -> AlterationOutcome
}

extension BoletoAlterer {
    public var carriesSeveralKinds: Bool { true }
}

extension RegistrationRequest {
    /// The request as `alteration` leaves it: the new due date and amount in the input (and its barcode computed
    /// again), the terms changed. What an adapter that sends the whole changed title (Caixa's `ALTERA_BOLETO`) sends.
    public func altered(by alteration: BoletoAlteration) throws(BoletoError) -> RegistrationRequest {
        var request = self
        if let due = alteration.dueDate { request.input.dueDate = due }
        if let amount = alteration.amountCents { request.input.amountCents = amount }
        if alteration.dueDate != nil || alteration.amountCents != nil { request.boleto = try Boleto(request.input) }
        let terms = alteration.applied(to: terms)
        request.terms = terms.isEmpty ? nil : terms
        return request
    }
}
