/// One bank's part of the boleto: the free field ("campo livre", barcode positions 20–44) and the nosso número.
///
/// Barcode assembly, the due-date factor and every check digit outside the free field are shared; a bank only says
/// how its 25 digits are laid out. Each bank lives in one file under `Banks/`, with the manual's position table in
/// its doc comment. See the "Adding a bank" article.
public protocol BankLayout: Sendable {
    /// FEBRABAN code, 3 digits.
    var code: String { get }
    /// The bank's usual name.
    var name: String { get }
    /// Builds the free field and the printed nosso número from the issuer's data.
    ///
    /// Throws a ``BoletoError`` naming the field when a bank-specific field is missing or malformed; it never
    /// produces a different barcode silently.
    func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding
    /// The inverse of ``encode(_:)``: the issuer's fields read back from a free field.
    ///
    /// Fields the layout does not carry stay `nil`; `amountCents` and `dueDate` are not part of the free field.
    /// Where the layout is ambiguous (a 4- or 6-digit convênio, say), one reading is chosen that encodes back to
    /// the same 25 digits.
    func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput
}

/// What a bank's layout makes of the issuer's data.
public struct FreeFieldEncoding: Hashable, Sendable {
    /// The 25-digit free field.
    public var freeField: Digits
    /// The nosso número as the bank prints it, check digit(s) included (inline; no allocation).
    public var printedNossoNumero: PrintedText
    /// The nosso número as the bank prints it, as a `String`.
    public var nossoNumero: String { printedNossoNumero.description }

    /// A free field and its printed nosso número, built with interpolation: `"\(wallet)/\(nossoNumero)-\(dv)"`.
    public init(freeField: Digits, nossoNumero: PrintedText) {
        self.freeField = freeField
        self.printedNossoNumero = nossoNumero
    }
}
