import BoletoKit
import Foundation
import Providers

/// An API client: one per `x-api-key`. The key itself is never stored, only its SHA-256.
public struct ClientRecord: Sendable, Hashable {
    /// The client id, `cli_` and the 16 hex digits that also begin its key.
    public var id: String
    /// The name given at creation.
    public var name: String
    /// Lower-case hex SHA-256 of the whole key.
    public var keyHash: String
    /// The secret that signs this client's webhooks (`X-Boleto-Signature`).
    public var webhookSecret: String
    /// When the client was created (a ``Timestamp`` text).
    public var createdAt: String
}

/// A merchant's beneficiary account, looked up by `external_id` (superbowleto's `Configurations`).
public struct ConfigurationRecord: Sendable, Hashable {
    /// `cf_…`.
    public var id: String
    /// The owning client.
    public var clientID: String
    /// The caller's key for the configuration (a merchant id, say); unique per client.
    public var externalID: String
    /// The provider (`sandbox`, `development`).
    public var issuer: String
    /// Beneficiary account, digits.
    public var issuerAccount: String
    /// Beneficiary agency, digits.
    public var issuerAgency: String
    /// Carteira, digits.
    public var issuerWallet: String
    /// The sandbox scenario for boletos issued through this configuration (sandbox issuers only).
    public var sandboxScenario: String?
    /// The beneficiary's CNPJ or CPF, normalised (Bradesco and Caixa require it).
    public var beneficiaryDocument: String? = nil
    /// The bank of a `cnab` configuration (its FEBRABAN code); nil for the other issuers, whose bank is fixed.
    public var issuerBank: String? = nil
    /// The CNAB facts of a `cnab` configuration.
    public var cnab: CNABSettings? = nil
    /// The beneficiary's name, printed on the boleto.
    public var beneficiaryName: String? = nil
    /// The PIX receiver of the boleto híbrido: boletos issued through this configuration carry a BR Code.
    public var pix: PixSettings? = nil
    /// Creation instant.
    public var createdAt: String
    /// Last change instant.
    public var updatedAt: String
}

/// superbowleto's interest or fine terms, as boletos issued before ``BoletoTerms`` stored them.
public struct ChargeTerms: Sendable, Hashable, Codable {
    /// Percentage, 0–100.
    public var percentage: Double?
    /// Fixed amount in cents.
    public var amount: Int64?
    /// Days after the due date before it applies.
    public var days: Int?
}

/// The parts of a boleto that never change after it is issued.
public struct BoletoDetails: Sendable, Hashable, Codable {
    /// The SQS queue notified of status changes.
    public var queueURL: String?
    /// The URL notified of status changes, with a signed POST.
    public var webhookURL: String?
    /// Instructions for the cashier.
    public var instructions: String?
    /// The payer's name.
    public var payerName: String?
    /// `cpf` or `cnpj`.
    public var payerDocumentType: String?
    /// The payer's address.
    public var payerAddress: PostalAddress?
    /// The sacador avalista's name.
    public var companyName: String?
    /// The sacador avalista's CPF or CNPJ, normalised.
    public var companyDocumentNumber: String?
    /// The sacador avalista's address.
    public var companyAddress: PostalAddress?
    /// Interest terms, as sent.
    public var interest: ChargeTerms?
    /// Fine terms, as sent.
    public var fine: ChargeTerms?
    /// The configuration the boleto was issued through.
    public var externalID: String?
    /// Whether the boleto is to be registered with the bank.
    public var register: Bool
    /// The sandbox scenario chosen at creation (header or configuration).
    public var sandboxScenario: String?
    /// The beneficiary's CNPJ or CPF, normalised (Bradesco and Caixa boletos).
    public var beneficiaryDocument: String? = nil
    /// Where the bank serves its own copy of the boleto (Caixa's URL), once registered.
    public var bankURL: String? = nil
    /// The CNAB facts of the configuration of a `cnab` boleto, as they were when it was issued.
    public var cnab: CNABSettings? = nil
    /// The beneficiary's name as printed on the boleto (from its configuration).
    public var beneficiaryName: String? = nil
    /// The PIX BR Code of a boleto híbrido: built at creation from the configuration's PIX settings, or the one the
    /// bank issued with the registration (Banco do Brasil), which replaces it.
    public var pixPayload: String? = nil
    /// Barcode fields that come from the bank's settings in this deployment rather than from the request (Banco do
    /// Brasil's convênio and variação), as they were when the boleto was issued.
    public var bankFields: BankFields? = nil
    /// Interest, fine, discounts, abatimento, protest or write-off and payment limit, as validated at creation. Boletos
    /// issued before terms were first-class keep superbowleto's `interest` and `fine` instead (``effectiveTerms``).
    public var terms: BoletoTerms? = nil
    /// The carnê the boleto is an installment of (`crn_…`), and its place in it (1-based) and the carnê's size.
    public var carne: CarneInstallment? = nil
    /// The day the payer paid, as the bank reported it (a query or a retorno), once the boleto is paid.
    public var paymentDate: String? = nil
    /// How or where it was paid, in the bank's own code (Banco do Brasil's `codigoCanalPagamento`), when reported.
    public var paymentChannel: String? = nil
    /// A change the bank has not confirmed yet (``PendingChange``).
    public var pendingChange: PendingChange? = nil
}

/// Where a boleto stands in its carnê.
public struct CarneInstallment: Sendable, Hashable, Codable {
    public var id: String
    public var number: Int
    public var count: Int
}

/// Barcode fields of an online bank's settings: Banco do Brasil's convênio and variação de carteira.
public struct BankFields: Sendable, Hashable, Codable {
    /// The convênio (`beneficiary_code` of the canonical input).
    public var beneficiaryCode: String?
    /// The variação de carteira.
    public var walletVariation: String?

    public init(beneficiaryCode: String? = nil, walletVariation: String? = nil) {
        self.beneficiaryCode = beneficiaryCode
        self.walletVariation = walletVariation
    }
}

/// A stored boleto.
public struct BoletoRecord: Sendable, Hashable {
    /// `bol_…`.
    public var id: String
    /// The owning client.
    public var clientID: String
    /// `<stage>_…`, superbowleto's token.
    public var token: String
    /// The current status. Only ``StatusMachine`` changes it (see ``enter(_:)``).
    public private(set) var status: BoletoStatus
    /// The FEBRABAN code of the layout the barcode uses.
    public var bank: String
    /// The provider.
    public var issuer: String
    /// Beneficiary account.
    public var issuerAccount: String
    /// Beneficiary agency.
    public var issuerAgency: String
    /// Carteira.
    public var issuerWallet: String
    /// The nosso número's sequence number, unique per beneficiary account.
    public var titleID: Int64
    /// The nosso número as the bank prints it, check digit included.
    public var nossoNumero: String
    /// `YYYY-MM-DD`, São Paulo calendar date; always the date encoded in the barcode.
    public var dueDate: String
    /// Amount in cents.
    public var amount: Int64
    /// Paid amount in cents, as last reported by PATCH or a retorno. Only ``StatusMachine`` changes it (see
    /// ``record(_:)``): once `paid`, `canceled` or `refused` it no longer changes.
    public private(set) var paidAmount: Int64
    /// The 44-digit barcode.
    public var barcode: String
    /// The formatted 47-digit line.
    public var digitableLine: String
    /// The payer's CPF or CNPJ, normalised (a column, for the list filter).
    public var payerDocumentNumber: String?
    /// The caller's own reference, echoed in notifications.
    public var referenceID: String?
    /// The bank's last answer code.
    public var issuerResponseCode: String?
    /// The code last reported by PATCH.
    public var bankResponseCode: String?
    /// The immutable rest of the request.
    public var details: BoletoDetails
    /// Creation instant.
    public var createdAt: String
    /// Last change instant.
    public var updatedAt: String
}

extension BoletoRecord {
    /// Enters the status of a move the ``StatusMachine`` allowed from this status.
    mutating func enter(_ change: StatusChange) {
        precondition(change.from == status, "a status change applies to the status it was decided from")
        status = change.to
    }

    /// Records a paid amount the ``StatusMachine`` allowed for this boleto.
    mutating func record(_ payment: PaymentChange) {
        precondition(payment.from == paidAmount && payment.status == status, "a payment applies to the boleto it was decided for")
        paidAmount = payment.to
    }
}

/// One entry of a boleto's history.
public struct BoletoEvent: Sendable, Hashable {
    /// `evt_…`; notifications carry it as `X-Boleto-Event-Id`.
    public var id: String
    /// The boleto.
    public var boletoID: String
    /// One of ``Kind``'s raw values.
    public var type: String
    /// The status after the event.
    public var status: BoletoStatus
    /// The status before, for status changes.
    public var previousStatus: BoletoStatus?
    /// Non-personal facts about the event (codes, reasons, amounts), as a JSON object text.
    public var detail: String
    /// When it happened.
    public var createdAt: String

    init(boletoID: String, type: String, status: BoletoStatus, previousStatus: BoletoStatus? = nil,
                detail: String = "{}", at createdAt: String = Timestamp.now()) {
        self.id = Identifiers.make("evt")
        self.boletoID = boletoID
        self.type = type
        self.status = status
        self.previousStatus = previousStatus
        self.detail = detail
        self.createdAt = createdAt
    }

    init(boletoID: String, kind: Kind, status: BoletoStatus, previousStatus: BoletoStatus? = nil,
         detail: String = "{}", at createdAt: String = Timestamp.now()) {
        self.init(boletoID: boletoID, type: kind.rawValue, status: status, previousStatus: previousStatus, detail: detail,
                  at: createdAt)
    }

    /// Every type of event the service writes; `docs/api.md` says when each is written, and the OpenAPI document's
    /// `BoletoEvent.type` lists the same values (a test compares them).
    public enum Kind: String, Sendable, CaseIterable {
        case created
        case statusChanged = "status_changed"
        case updated
        case registrationAttemptFailed = "registration_attempt_failed"
        case registrationDeadLettered = "registration_dead_lettered"
        case notificationDeadLettered = "notification_dead_lettered"
        case cancelRequested = "cancel_requested"
        case cancelRefused = "cancel_refused"
        case cancelDeadLettered = "cancel_dead_lettered"
        case retornoOccurrence = "retorno_occurrence"
        case bankQueried = "bank_queried"
        case reconciliationStopped = "reconciliation_stopped"
        /// A change of a registered boleto was asked for (`PATCH /boletos/:id`, or a `cnab` pedido de baixa).
        case changeRequested = "change_requested"
        /// A `cnab` change went out in a remessa.
        case changeSent = "change_sent"
        /// The bank took the change: the boleto carries it.
        case changed
        /// The bank refused the change: the boleto is as it was.
        case changeRefused = "change_refused"
        case changeDeadLettered = "change_dead_lettered"

        /// The event of a job whose retries ran out.
        static func deadLettered(_ job: JobKind) -> Kind {
            switch job {
            case .register: .registrationDeadLettered
            case .cancel: .cancelDeadLettered
            case .alter: .changeDeadLettered
            case .webhook, .sqs: .notificationDeadLettered
            case .reconcile: .reconciliationStopped
            }
        }
    }
}

/// What an outbox job does.
public enum JobKind: String, Sendable, CaseIterable {
    /// Register the boleto with its provider.
    case register
    /// POST a signed notification to the boleto's `webhook_url`.
    case webhook
    /// Send a notification to the boleto's SQS `queue_url` (held until an SQS client is configured).
    case sqs
    /// Ask the boleto's provider to write it off: written before the first request to the bank, so a cancel whose
    /// answer is lost is retried by the worker until the bank settles it.
    case cancel
    /// Ask the boleto's bank what became of the title (paid, written off): one per `registered` boleto of an online
    /// issuer, queued by ``StatusMachine`` when it enters `registered`, run on the reconciler's schedule
    /// (``ReconcileSchedule``), brought forward by a bank's notification, and removed when the boleto leaves
    /// `registered`.
    case reconcile
    /// Ask an online bank to change a registered title (``PendingChange``): written before the first request, retried
    /// like a cancel until the bank answers.
    case alter
}

/// A row of the outbox: work that must happen, written in the same transaction as the change that caused it.
public struct OutboxJob: Sendable, Hashable {
    /// `job_…`.
    public var id: String
    /// What the job does.
    public var kind: JobKind
    /// The boleto it concerns.
    public var boletoID: String
    /// Where a notification goes (its URL); empty for registrations.
    public var target: String
    /// The notification body; empty for registrations.
    public var payload: String
    /// The event a notification reports (receivers deduplicate on it).
    public var eventID: String?
    /// Attempts made so far.
    public var attempts: Int
    /// When it may run next.
    public var availableAt: String
    /// The last failure, without personal data.
    public var lastError: String?
    /// When it was queued.
    public var createdAt: String

    init(kind: JobKind, boletoID: String, target: String = "", payload: String = "", eventID: String? = nil,
                availableAt: Date = Date()) {
        self.id = Identifiers.make("job")
        self.kind = kind
        self.boletoID = boletoID
        self.target = target
        self.payload = payload
        self.eventID = eventID
        self.attempts = 0
        self.availableAt = Timestamp.format(availableAt)
        self.lastError = nil
        self.createdAt = Timestamp.now()
    }
}

/// A carnê: installments issued together, in one transaction, each a boleto with its own due date.
public struct CarneRecord: Sendable, Hashable {
    /// `crn_…`.
    public var id: String
    public var clientID: String
    /// The installments' boletos, in order.
    public var boletoIDs: [String]
    public var createdAt: String
}

/// A remembered `Idempotency-Key`.
public struct IdempotencyRecord: Sendable, Hashable {
    /// The client the key belongs to.
    public var clientID: String
    /// The `Idempotency-Key` value.
    public var key: String
    /// SHA-256 of method, route, id and body.
    public var requestHash: String
    /// The stored response's status; nil while the first request runs.
    public var statusCode: Int?
    /// The stored response body.
    public var responseBody: String?
    /// The boleto a create request made, written in the same transaction as the boleto.
    public var resourceID: String?
    /// When the key was first seen.
    public var createdAt: String
}

/// A job whose retries ran out (a row of `dead_letters`). Operators list and requeue them with
/// `boleto dead-letters`.
public struct DeadLetter: Sendable, Hashable {
    /// The job's id (`job_…`), kept when it is requeued.
    public var id: String
    public var kind: JobKind
    public var boletoID: String
    /// Attempts made before it was dead-lettered.
    public var attempts: Int
    /// The last failure, without personal data.
    public var lastError: String
    /// When the retries ran out.
    public var deadAt: String
}
