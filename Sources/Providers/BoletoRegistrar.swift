import BoletoKit

/// What a bank answered when asked to register a boleto.
///
/// Every bank adapter maps its own protocol onto these outcomes, so callers handle banks alike.
public enum RegistrationOutcome: Hashable, Sendable {
    /// The bank holds the title. `bankURL` is where the bank serves its own copy, when it has one; `pixQRCode` is
    /// the PIX BR Code (EMV text) of the boleto híbrido, when the bank issued one with the title.
    case registered(barcode: String, digitableLine: String, nossoNumero: String, bankURL: String?, pixQRCode: String? = nil)
    /// The bank already holds this title (a retry of a registration that reached it, such as Bradesco's `cdErro`
    /// 69). Callers reconcile this to registered.
    case alreadyRegistered(code: String, message: String)
    /// The bank refused the title; retrying the same request will not help.
    case refused(code: String, message: String)
    /// The bank could not answer now (timeout, 5xx, maintenance); the same request may succeed later.
    case transient(reason: String)
    /// The adapter's own configuration is wrong (credentials, account data).
    case misconfigured(reason: String)
}

/// What a bank answered when asked to cancel ("baixa") a registered boleto.
public enum CancellationOutcome: Hashable, Sendable {
    /// The bank wrote the title off; it can no longer be paid.
    case canceled
    /// The bank says the title is already written off: the answer to a retry of a cancel whose first answer was lost.
    /// The service settles the boleto as canceled when it had asked for the write-off itself (a pending cancel);
    /// each adapter documents the codes it maps here.
    case alreadyCanceled(code: String, message: String)
    /// The bank refused to cancel (already paid, unknown title, …).
    case refused(code: String, message: String)
    /// The bank could not answer now; the same request may succeed later.
    case transient(reason: String)
}

/// What a bank's state of a title means for the boleto.
public enum TitleState: String, Hashable, Sendable {
    /// Registered and payable.
    case open
    /// Paid ("liquidado"), at this bank or another; the payment comes with it when the bank reports it.
    case paid
    /// Written off ("baixado") without payment.
    case writtenOff
    /// Anything else (in protest, being processed, partly paid): nothing to apply yet.
    case other
}

/// A payment a bank reports for a title it holds.
public struct BankPayment: Hashable, Sendable {
    /// What the payer paid, in cents.
    public var amountCents: Int64
    /// The day it was paid or credited, when the bank says.
    public var date: CalendarDate?
    /// How or where it was paid, in the bank's own code or words (BB's `codigoCanalPagamento`).
    public var channel: String?

    public init(amountCents: Int64, date: CalendarDate? = nil, channel: String? = nil) {
        self.amountCents = amountCents
        self.date = date
        self.channel = channel
    }
}

/// What a bank answered when asked about a title it may hold.
public enum QueryOutcome: Hashable, Sendable {
    /// The bank holds the title, with its status in the bank's own words (`EM ABERTO`, `BAIXADO`, `LIQUIDADO`), what
    /// that status means (`state`) and, once paid, the payment.
    case found(status: String, barcode: String?, digitableLine: String?, state: TitleState = .other, payment: BankPayment? = nil)
    /// The bank does not hold the title.
    case notFound
    /// The bank refused to answer (a code and message of its own).
    case refused(code: String, message: String)
    /// The bank could not answer now.
    case transient(reason: String)
    /// The adapter's own configuration is wrong.
    case misconfigured(reason: String)
}

/// The beneficiary ("beneficiário", "cedente") a title is registered for: the company whose account receives it.
/// Banks check it against the account and, for Caixa, fold it into the request's hash.
public struct Beneficiary: Hashable, Sendable {
    /// The beneficiary's CNPJ or CPF.
    public var document: Document
    /// The beneficiary's name, when the bank takes it.
    public var name: String?

    /// A beneficiary from its parts.
    public init(document: Document, name: String? = nil) {
        self.document = document
        self.name = name
    }
}

/// A postal address as banks take it.
public struct PostalAddress: Hashable, Sendable, Codable {
    /// CEP, 8 digits.
    public var zipcode: String
    /// Street (logradouro).
    public var street: String
    /// Number, as text (`308`, `S/N`).
    public var streetNumber: String
    /// Complement (apartment, floor).
    public var complementary: String?
    /// Bairro.
    public var neighborhood: String
    /// City.
    public var city: String
    /// UF, two upper-case letters.
    public var state: String

    /// An address from its parts.
    public init(zipcode: String, street: String, streetNumber: String, complementary: String?, neighborhood: String,
                city: String, state: String) {
        self.zipcode = zipcode
        self.street = street
        self.streetNumber = streetNumber
        self.complementary = complementary
        self.neighborhood = neighborhood
        self.city = city
        self.state = state
    }
}

/// Everything an adapter needs to register one boleto.
///
/// `requestKey` is stable across retries of the same boleto, so adapters whose bank accepts an idempotency or
/// request key can pass it on, and so a retry is recognisable as the same request.
public struct RegistrationRequest: Hashable, Sendable {
    /// A key that identifies this boleto's registration across retries (the service uses the boleto id).
    public var requestKey: String
    /// The issuer's data the barcode was computed from.
    public var input: BoletoInput
    /// The computed barcode, digitable line and printed nosso número.
    public var boleto: Boleto
    /// The payer ("pagador").
    public var payerName: String?
    /// The payer's CPF or CNPJ.
    public var payerDocument: Document?
    /// The payer's address.
    public var payerAddress: PostalAddress?
    /// Free-text instructions for the cashier.
    public var instructions: String?
    /// The beneficiary, which the Bradesco and Caixa adapters require.
    public var beneficiary: Beneficiary?
    /// The day the title is issued ("data de emissão"); today when nil.
    public var issueDate: CalendarDate?
    /// Adapter-specific hints chosen by the caller, such as the sandbox's scenario (`"scenario"`).
    public var hints: [String: String]
    /// Interest, fine, discounts, abatimento, protest or write-off and payment limit. An adapter sends every term it
    /// carries and reports the others as problems (``RegistrationValidating``, ``TermsSupport``): a term is never
    /// dropped.
    public var terms: BoletoTerms?

    /// A request from its parts.
    public init(requestKey: String, input: BoletoInput, boleto: Boleto, payerName: String? = nil,
                payerDocument: Document? = nil, payerAddress: PostalAddress? = nil, instructions: String? = nil,
                beneficiary: Beneficiary? = nil, issueDate: CalendarDate? = nil, hints: [String: String] = [:],
                terms: BoletoTerms? = nil) {
        self.requestKey = requestKey
        self.input = input
        self.boleto = boleto
        self.payerName = payerName
        self.payerDocument = payerDocument
        self.payerAddress = payerAddress
        self.instructions = instructions
        self.beneficiary = beneficiary
        self.issueDate = issueDate
        self.hints = hints
        self.terms = terms
    }
}

/// A bank adapter: registers boletos. Adapters never read the environment; credentials and accounts are passed
/// in. What a bank can do beyond registering is a separate protocol (``BoletoCanceler``, ``BoletoQuerier``), so a
/// caller learns it from the type, never from a runtime "not available" answer.
public protocol BoletoRegistrar: Sendable {
    /// Registers the boleto with the bank. Implementations never throw: every failure maps onto an outcome.
    func register(_ request: RegistrationRequest) async -> RegistrationOutcome
}

/// An adapter whose bank can cancel ("baixa") a registered title.
public protocol BoletoCanceler: BoletoRegistrar {
    /// Cancels a registered boleto. Implementations never throw.
    func cancel(_ request: RegistrationRequest) async -> CancellationOutcome
}

/// An adapter whose bank answers queries about a title.
public protocol BoletoQuerier: BoletoRegistrar {
    /// Asks the bank about the title of `request`. Implementations never throw.
    func query(_ request: RegistrationRequest) async -> QueryOutcome
}

/// A field of a ``RegistrationRequest``, named as Providers names it. A service maps these onto its own request's
/// field paths; Providers never uses a service's names.
public enum RequestField: Hashable, Sendable, CustomStringConvertible {
    /// A part of a ``PostalAddress``.
    public enum AddressPart: String, Hashable, Sendable, CaseIterable {
        case zipcode, street, streetNumber, complementary, neighborhood, city, state
    }

    /// `input.bank`: the FEBRABAN layout of the barcode.
    case bank
    /// `input.agency`.
    case agency
    /// `input.account`.
    case account
    /// `input.wallet`: the carteira.
    case wallet
    /// `input.walletVariation`: the variação de carteira (Banco do Brasil).
    case walletVariation
    /// `input.beneficiaryCode`: the convênio or código do beneficiário.
    case beneficiaryCode
    /// `input.nossoNumero`: the title's number.
    case nossoNumero
    /// `input.dueDate`.
    case dueDate
    /// `input.amountCents`.
    case amount
    /// `beneficiary`: the beneficiary's document.
    case beneficiary
    /// `payerName`.
    case payerName
    /// `payerDocument`.
    case payerDocument
    /// `payerAddress` as a whole.
    case payerAddress
    /// One part of `payerAddress`.
    case payerAddressPart(AddressPart)
    /// `instructions`.
    case instructions
    /// A part of `terms`, by its path in the terms' JSON form (`interest`, `discounts[1].value`, `protest_days`).
    case terms(String)

    /// The Swift path of the field in ``RegistrationRequest`` (`payerAddress.street`).
    public var description: String {
        switch self {
        case .bank: "input.bank"
        case .agency: "input.agency"
        case .account: "input.account"
        case .wallet: "input.wallet"
        case .walletVariation: "input.walletVariation"
        case .beneficiaryCode: "input.beneficiaryCode"
        case .nossoNumero: "input.nossoNumero"
        case .dueDate: "input.dueDate"
        case .amount: "input.amountCents"
        case .beneficiary: "beneficiary"
        case .payerName: "payerName"
        case .payerDocument: "payerDocument"
        case .payerAddress: "payerAddress"
        case .payerAddressPart(let part): "payerAddress." + part.rawValue
        case .instructions: "instructions"
        case .terms(let path): "terms." + path
        }
    }
}

/// A field of a registration request that the bank would reject, found before anything is sent.
public struct FieldProblem: Hashable, Sendable, CustomStringConvertible {
    /// The field, in Providers' own names.
    public var field: RequestField
    /// What the bank requires, never the field's value.
    public var message: String

    /// A problem with `field`.
    public init(field: RequestField, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// An adapter that knows its bank's field rules (lengths, required fields) and checks a request before sending
/// it, so a caller can reject a boleto when it is created rather than when the bank refuses it.
public protocol RegistrationValidating: BoletoRegistrar {
    /// Every problem the bank would reject `request` for; empty when there is none.
    func problems(in request: RegistrationRequest) -> [FieldProblem]
}

extension RegistrationValidating {
    /// The refusal of `request` before anything is sent, with code `code` and every problem the bank would reject it
    /// for; nil when it can be sent.
    public func refusalBeforeSending(_ request: RegistrationRequest, code: String = "FIELDS") -> RegistrationOutcome? {
        let problems = problems(in: request)
        return problems.isEmpty ? nil : .refused(code: code, message: problems.map(\.description).joined(separator: "; "))
    }
}
