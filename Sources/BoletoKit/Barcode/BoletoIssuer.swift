/// A beneficiary's fixed boleto fields, checked once, for issuing many boletos that differ only in nosso número,
/// amount and due date.
///
/// An issuer emitting a month of boletos repeats the same bank, agency, account, carteira and convênio on every one.
/// ``Boleto/init(_:)`` finds the bank and checks and fits each of those fields again for every boleto;
/// `BoletoIssuer` does that once, in ``init(_:)``, and then computes each boleto from its three variable fields:
///
/// ```swift
/// let beneficiary = BoletoInput(bank: "237", amountCents: 0, dueDate: nil, agency: "1172", account: "403005",
///                               wallet: "06", nossoNumero: "1")
/// let issuer = try BoletoIssuer(beneficiary)
/// for (number, cents, due) in batch {
///     let boleto = try issuer.boleto(nossoNumero: number, amountCents: cents, dueDate: due)
///     // No allocation per boleto: write the 44 and 47 ASCII digits into buffers of your own.
///     _ = boleto.barcode.digits.writeASCII(to: barcodeBuffer)
///     _ = boleto.digitableLine.digits.writeASCII(to: lineBuffer)
/// }
/// ```
///
/// The result is always the boleto ``Boleto/init(_:)`` computes for the beneficiary's fields with the given nosso
/// número, amount and due date, and every error is the one it would throw. Banks whose layout conforms to
/// ``FittableLayout`` (Bradesco and Itaú so far) prepare their fixed digits once; for the others the
/// issuer saves the bank lookup and computes each boleto as ``Boleto/init(_:)`` does.
public struct BoletoIssuer: Sendable {
    /// The beneficiary's fields as given (its `amountCents`, `dueDate` and `nossoNumero` are only the sample checked
    /// by ``init(_:)``).
    public let beneficiary: BoletoInput

    private let make: @Sendable (NossoNumero, Int64, CalendarDate?) throws(BoletoError) -> Boleto

    /// Checks the beneficiary's fields once: the bank, and every field its layout takes. `beneficiary` must be a
    /// complete input whose boleto can be computed; its `nossoNumero`, `amountCents` and `dueDate` are a sample
    /// (`"1"`, `0` and `nil` do) that ``boleto(nossoNumero:amountCents:dueDate:)`` replaces.
    ///
    /// Throws what ``Boleto/init(_:)`` throws for `beneficiary`.
    public init(_ beneficiary: BoletoInput) throws(BoletoError) {
        guard let (layout, bank) = Banks.lookup(beneficiary.bank) else {
            throw BoletoError(.unknownBank, field: "bank",
                              "The bank code is not one BoletoKit generates boletos for (see Banks.all).")
        }
        _ = try Boleto(beneficiary, layout: layout)
        self.beneficiary = beneficiary
        if let fittable = layout as? any FittableLayout {
            make = try Self.fitted(fittable, beneficiary: beneficiary, bank: bank)
        } else {
            make = { (number, amount, dueDate) throws(BoletoError) in
                try Boleto(Self.input(beneficiary, number, amount, dueDate), layout: layout)
            }
        }
    }

    /// The boleto with nosso número `nossoNumero` (digits, without the bank's check digit), `amountCents` and
    /// `dueDate` (`nil`: no due date).
    public func boleto(nossoNumero: String, amountCents: Int64, dueDate: CalendarDate?) throws(BoletoError) -> Boleto {
        try make(.text(nossoNumero), amountCents, dueDate)
    }

    /// The boleto with a numeric nosso número (not negative), which skips reading digits from text.
    public func boleto(nossoNumero: Int64, amountCents: Int64, dueDate: CalendarDate?) throws(BoletoError) -> Boleto {
        try make(.number(nossoNumero), amountCents, dueDate)
    }

    /// Opens the existential: the layout's fitted fields, prepared once, and the closure that uses them.
    private static func fitted<Layout: FittableLayout>(_ layout: Layout, beneficiary: BoletoInput, bank: Digits)
        throws(BoletoError) -> @Sendable (NossoNumero, Int64, CalendarDate?) throws(BoletoError) -> Boleto {
        let fitted = try layout.fit(beneficiary)
        return { (number, amount, dueDate) throws(BoletoError) in
            let encoded: FreeFieldEncoding
            do {
                encoded = try layout.encode(fitted, nossoNumero: number)
            } catch {
                // Whatever the fitted path does not take (a check digit attached with a hyphen, a bad value) goes
                // the general way, which accepts what it accepts and names the error it names.
                return try Boleto(input(beneficiary, number, amount, dueDate), layout: layout)
            }
            return try Boleto(bank: bank, amountCents: amount, dueDate: dueDate, encoded: encoded)
        }
    }

    private static func input(_ beneficiary: BoletoInput, _ number: NossoNumero, _ amount: Int64,
                              _ dueDate: CalendarDate?) -> BoletoInput {
        var input = beneficiary
        input.nossoNumero = number.text
        input.amountCents = amount
        input.dueDate = dueDate
        return input
    }
}

/// A nosso número as a ``BoletoIssuer`` receives it.
public enum NossoNumero: Sendable, Hashable {
    /// Digits as text, as ``BoletoInput/nossoNumero`` takes them.
    case text(String)
    /// A number; a negative one is refused as text with a `-` would be.
    case number(Int64)

    /// The nosso número fitted to a layout's `width` (zero-padded; longer only by leading zeros).
    public func digits(width: Int) throws(BoletoError) -> Digits {
        switch self {
        case .text(let text):
            return try Digits.field(text, width: width, name: "nosso_numero")
        case .number(let value):
            guard value >= 0, value < Self.limit(width) else { return try Digits.field(text, width: width, name: "nosso_numero") }
            return Digits(value, width: width)
        }
    }

    /// The text form.
    public var text: String {
        switch self {
        case .text(let text): text
        case .number(let value): String(value)
        }
    }

    /// 10^width, or Int64.max past 18 digits.
    private static func limit(_ width: Int) -> Int64 {
        var limit: Int64 = 1
        for _ in 0..<min(width, 18) { limit *= 10 }
        return width > 18 ? .max : limit
    }
}

/// A ``BankLayout`` that prepares a beneficiary's fixed fields once, for ``BoletoIssuer``.
///
/// Conforming is an optimisation: ``encode(_:nossoNumero:)`` must give what ``BankLayout/encode(_:)`` gives for the
/// beneficiary's fields with that nosso número. It may throw for anything unusual; the issuer then asks
/// ``BankLayout/encode(_:)``, whose answer counts.
public protocol FittableLayout: BankLayout {
    /// The beneficiary's fields, checked and fitted to their slots.
    associatedtype Fitted: Sendable
    /// Checks and fits the fields of `beneficiary` that stay the same from boleto to boleto.
    func fit(_ beneficiary: BoletoInput) throws(BoletoError) -> Fitted
    /// The free field and printed nosso número for one nosso número.
    func encode(_ fitted: Fitted, nossoNumero: NossoNumero) throws(BoletoError) -> FreeFieldEncoding
}
