/// A generated bank boleto: barcode, digitable line and printed nosso número.
public struct Boleto: Hashable, Sendable {
    /// The 44-digit barcode.
    public let barcode: Barcode
    /// The 47-digit digitable line.
    public let digitableLine: DigitableLine
    /// The nosso número as the bank prints it, check digit(s) included, kept inline.
    public let printedNossoNumero: PrintedText
    /// The nosso número as the bank prints it, check digit(s) included.
    public var nossoNumero: String { printedNossoNumero.description }
    /// The due date encoded in the barcode (`nil`: none).
    public let dueDate: CalendarDate?

    /// Computes the boleto for `input`.
    ///
    /// Throws a ``BoletoError`` naming the field for an unknown bank, an amount outside 0…9 999 999 999 cents, a
    /// due date the factor cannot encode, or a missing or malformed bank field.
    public init(_ input: borrowing BoletoInput) throws(BoletoError) {
        guard let (layout, bank) = Banks.lookup(input.bank) else {
            throw BoletoError(.unknownBank, field: "bank",
                              "The bank code is not one BoletoKit generates boletos for (see Banks.all).")
        }
        try self.init(input, layout: layout, bank: bank)
    }

    /// Computes the boleto for `input` with a given bank layout.
    public init(_ input: borrowing BoletoInput, layout: some BankLayout) throws(BoletoError) {
        guard let bank = Digits(layout.code), bank.count == 3 else {
            preconditionFailure("\(layout.name) has a bank code that is not 3 digits")
        }
        try self.init(input, layout: layout, bank: bank)
    }

    private init(_ input: borrowing BoletoInput, layout: some BankLayout, bank: Digits) throws(BoletoError) {
        let factor = try Self.factor(amountCents: input.amountCents, dueDate: input.dueDate)
        let encoded: FreeFieldEncoding
        do {
            encoded = try layout.encode(input)
        } catch {
            // Check digits sent attached to their values ("278-0") fail the digits-only fields; split and retry.
            guard Boleto.mayHaveAttachedCheckDigits(input) else { throw error }
            let (split, attachedDV) = try input.splittingAttachedCheckDigits()
            encoded = try layout.encode(split)
            if let attachedDV {
                try Boleto.verify(attachedDV, against: encoded.nossoNumero)
            }
        }
        precondition(encoded.freeField.count == 25, "\(layout.name) produced a free field of \(encoded.freeField.count) digits")
        self.init(bank: bank, factor: factor, amountCents: input.amountCents, dueDate: input.dueDate, encoded: encoded)
    }

    /// The boleto of an encoded free field (``BoletoIssuer``'s fitted path): the amount and due date are checked as
    /// ``init(_:)`` checks them.
    init(bank: Digits, amountCents: Int64, dueDate: CalendarDate?, encoded: FreeFieldEncoding) throws(BoletoError) {
        let factor = try Self.factor(amountCents: amountCents, dueDate: dueDate)
        precondition(encoded.freeField.count == 25, "a free field of \(encoded.freeField.count) digits")
        self.init(bank: bank, factor: factor, amountCents: amountCents, dueDate: dueDate, encoded: encoded)
    }

    /// The checks of the variable fields, in the order their errors are reported: the amount's range, then the due
    /// date's factor.
    private static func factor(amountCents: Int64, dueDate: CalendarDate?) throws(BoletoError) -> Int {
        guard (0...9_999_999_999).contains(amountCents) else {
            throw BoletoError(.amountOutOfRange, field: "amount_cents",
                              "The amount must be between 0 and 9999999999 cents.")
        }
        return try DueDateFactor.factor(for: dueDate)
    }

    private init(bank: Digits, factor: Int, amountCents: Int64, dueDate: CalendarDate?, encoded: FreeFieldEncoding) {
        barcode = Barcode(bank: bank, factor: factor, amountCents: amountCents, freeField: encoded.freeField)
        digitableLine = DigitableLine(barcode)
        printedNossoNumero = encoded.printedNossoNumero
        self.dueDate = dueDate
    }

    /// Whether any field that may carry an attached check digit has a hyphen.
    private static func mayHaveAttachedCheckDigits(_ input: BoletoInput) -> Bool {
        hasHyphen(input.nossoNumero) || hasHyphen(input.agency) || hasHyphen(input.account) || hasHyphen(input.wallet)
    }

    /// Whether `text` has a `-` (only asked after a field failed, so off the hot path).
    private static func hasHyphen(_ text: String?) -> Bool {
        text?.utf8.contains(UInt8(ascii: "-")) ?? false
    }

    /// Checks a nosso-número check digit the issuer sent against the one the bank's rule gives.
    private static func verify(_ attached: String, against printed: String) throws(BoletoError) {
        guard let hyphen = printed.lastIndex(of: "-") else {
            throw BoletoError(.invalidCharacters, field: "nosso_numero",
                              "This layout's nosso número has no check digit; send the digits only.")
        }
        guard printed[printed.index(after: hyphen)...].uppercased() == attached.uppercased() else {
            throw BoletoError(.checkDigitMismatch, field: "nosso_numero",
                              "The check digit attached to nosso_numero does not match the bank's rule.")
        }
    }
}
