import BoletoKit

/// The two CNAB families.
public enum CNABFormat: String, Sendable, Hashable, CaseIterable {
    /// FEBRABAN CNAB 240: file header, batches of T/U segments, trailers.
    case cnab240 = "240"
    /// CNAB 400: header, type-1 details (with bank-specific extra records), trailer.
    case cnab400 = "400"
}

/// Something in a file that is off but did not stop the read: a bad length, an unknown record, a trailer whose
/// totals do not match, a field that does not read. Carries the 1-based line.
public struct CNABWarning: Sendable, Hashable, CustomStringConvertible {
    /// 1-based line number; 0 for the file as a whole.
    public var line: Int
    /// What is off; never a payer's data.
    public var message: String

    public init(line: Int, message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}

/// What an occurrence code means, normalised across banks (the same code means different things at different
/// banks, so each bank's table maps its codes onto these).
public enum CNABOccurrenceKind: String, Sendable, Hashable, CaseIterable {
    /// The bank registered the title ("entrada confirmada").
    case registered
    /// The bank refused the title or an instruction; the reasons say why.
    case rejected
    /// The title was paid ("liquidação").
    case paid
    /// The title was written off ("baixa") without a payment.
    case writtenOff = "written_off"
    /// The due date was changed.
    case dueDateChanged = "due_date_changed"
    /// The bank confirms an instruction other than a due date: abatimento granted or withdrawn, discount, protest
    /// instructed or withdrawn, other data changed.
    case instructionConfirmed = "instruction_confirmed"
    /// A fee was charged; not a payment.
    case fee
    /// Anything else (in portfolio, protest steps, other changes).
    case other
}

/// A bank's occurrence: its code's description and kind.
public struct CNABOccurrence: Sendable, Hashable {
    public var description: String
    public var kind: CNABOccurrenceKind

    public init(_ description: String, _ kind: CNABOccurrenceKind) {
        self.description = description
        self.kind = kind
    }
}

/// The PIX data a boleto híbrido's retorno carries next to its title.
public struct CNABPix: Sendable, Hashable {
    /// The QR code's location (URL without scheme, or the bank's id).
    public var location: String
    /// The transaction id.
    public var txid: String

    public init(location: String, txid: String) {
        self.location = location
        self.txid = txid
    }
}

/// One title of a retorno: a CNAB 400 type-1 record (with any extra record that follows it) or a CNAB 240 T+U
/// pair.
public struct CNABTitle: Sendable, Hashable {
    /// The line of the title's record (the T segment in CNAB 240).
    public var line: Int
    /// The nosso número, as the bank writes it (leading zeros kept).
    public var nossoNumero: String
    /// The issuer's own number inside it: without the bank's check digit and the fixed parts the bank adds (Banco do
    /// Brasil's convênio, Caixa's modalidade, Sicoob's parcela). The number a boleto was issued with (its title id);
    /// nil when the field does not read as one.
    public var issuerNumber: Int64?
    /// The company's own number ("seu número", número do documento).
    public var documentNumber: String
    /// The occurrence code ("código de movimento").
    public var occurrenceCode: String
    /// What the code means at this bank.
    public var occurrence: CNABOccurrence
    /// The reasons (motivos), 2-character codes without `00`; rejection reasons for a rejection, the liquidation
    /// channel for some banks' payments.
    public var reasons: [String]
    public var dueDate: CalendarDate?
    public var occurrenceDate: CalendarDate?
    public var creditDate: CalendarDate?
    public var faceValueCents: Int64
    public var paidValueCents: Int64
    public var feeCents: Int64
    public var interestCents: Int64
    public var discountCents: Int64
    public var rebateCents: Int64
    public var iofCents: Int64
    /// The boleto híbrido's PIX record, when the bank sent one.
    public var pix: CNABPix?
    /// The beneficiary the title names, for layouts whose titles carry it (Bradesco's CNAB 400); nil otherwise.
    public var beneficiary: CNABBeneficiary? = nil

    /// The title's normalised event.
    public var event: CNABEvent {
        switch occurrence.kind {
        case .registered: .registered
        case .rejected: .rejected(reasons: reasons)
        case .paid: .paid(amountCents: faceValueCents, paidAmountCents: paidValueCents, date: occurrenceDate,
                          creditDate: creditDate, feeCents: feeCents, interestCents: interestCents, discountCents: discountCents)
        case .writtenOff: .writtenOff
        case .dueDateChanged: .dueDateChanged(dueDate)
        case .instructionConfirmed: .instructionConfirmed(code: occurrenceCode)
        case .fee: .fee(feeCents)
        case .other: .other(code: occurrenceCode)
        }
    }
}

/// What a retorno title means for the boleto it names.
public enum CNABEvent: Sendable, Hashable {
    case registered
    case rejected(reasons: [String])
    case paid(amountCents: Int64, paidAmountCents: Int64, date: CalendarDate?, creditDate: CalendarDate?, feeCents: Int64,
              interestCents: Int64, discountCents: Int64)
    case writtenOff
    case dueDateChanged(CalendarDate?)
    case instructionConfirmed(code: String)
    case fee(Int64)
    case other(code: String)
}

/// A read retorno file.
public struct CNABRetorno: Sendable, Hashable {
    /// The bank's FEBRABAN code.
    public var bank: String
    public var format: CNABFormat
    /// The file's date (header).
    public var fileDate: CalendarDate?
    /// The beneficiary the file header names (see ``CNABBeneficiary``).
    public var beneficiary = CNABBeneficiary()
    /// The titles, in file order.
    public var titles: [CNABTitle]
    /// What was off, in line order.
    public var warnings: [CNABWarning]
}

/// A file that cannot be read as a retorno at all (not CNAB, a bank we have no layout for).
public struct CNABError: Error, Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var message: String

    public init(line: Int, _ message: String) {
        self.line = line
        self.message = message
    }

    public var description: String { line > 0 ? "line \(line): \(message)" : message }
}
