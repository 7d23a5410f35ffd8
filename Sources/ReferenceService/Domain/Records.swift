import Foundation
import Providers

/// An API client: one per `x-api-key`. The key itself is never stored, only its SHA-256.
public struct ClientRecord: Sendable, Hashable {
    public var id: String
    public var name: String
    public var keyHash: String
    /// The secret that signs this client's webhooks (`X-Boleto-Signature`).
    public var webhookSecret: String
    public var createdAt: String
}

/// A merchant's beneficiary account, looked up by `external_id` (superbowleto's `Configurations`).
public struct ConfigurationRecord: Sendable, Hashable {
    public var id: String
    public var clientID: String
    public var externalID: String
    public var issuer: String
    public var issuerAccount: String
    public var issuerAgency: String
    public var issuerWallet: String
    /// The sandbox scenario for boletos issued through this configuration (sandbox issuers only).
    public var sandboxScenario: String?
    public var createdAt: String
    public var updatedAt: String
}

/// Interest or fine terms, as sent.
public struct ChargeTerms: Sendable, Hashable, Codable {
    public var percentage: Double?
    public var amount: Int64?
    public var days: Int?
}

/// The parts of a boleto that never change after it is issued.
public struct BoletoDetails: Sendable, Hashable, Codable {
    public var queueURL: String?
    public var webhookURL: String?
    public var instructions: String?
    public var payerName: String?
    public var payerDocumentType: String?
    public var payerAddress: PostalAddress?
    public var companyName: String?
    public var companyDocumentNumber: String?
    public var companyAddress: PostalAddress?
    public var interest: ChargeTerms?
    public var fine: ChargeTerms?
    public var externalID: String?
    public var register: Bool
    /// The sandbox scenario chosen at creation (header or configuration).
    public var sandboxScenario: String?
}

/// A stored boleto.
public struct BoletoRecord: Sendable, Hashable {
    public var id: String
    public var clientID: String
    public var token: String
    public var status: BoletoStatus
    /// The FEBRABAN code of the layout the barcode uses.
    public var bank: String
    public var issuer: String
    public var issuerAccount: String
    public var issuerAgency: String
    public var issuerWallet: String
    public var titleID: Int64
    public var nossoNumero: String
    /// `YYYY-MM-DD`, São Paulo calendar date; always the date encoded in the barcode.
    public var dueDate: String
    public var amount: Int64
    public var paidAmount: Int64
    public var barcode: String
    public var digitableLine: String
    public var payerDocumentNumber: String?
    public var referenceID: String?
    public var issuerResponseCode: String?
    public var bankResponseCode: String?
    public var details: BoletoDetails
    public var createdAt: String
    public var updatedAt: String
}

/// One entry of a boleto's history.
public struct BoletoEvent: Sendable, Hashable {
    public var id: String
    public var boletoID: String
    /// `created`, `status_changed`, `updated`, `registration_attempt_failed`, `registration_dead_lettered`.
    public var type: String
    /// The status after the event.
    public var status: BoletoStatus
    public var previousStatus: BoletoStatus?
    /// Non-personal facts about the event (codes, reasons, amounts), as a JSON object text.
    public var detail: String
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
}

/// What an outbox job does.
public enum JobKind: String, Sendable, CaseIterable {
    /// Register the boleto with its provider.
    case register
    /// POST a signed notification to the boleto's `webhook_url`.
    case webhook
    /// Send a notification to the boleto's SQS `queue_url` (held until an SQS client is configured).
    case sqs
}

/// A row of the outbox: work that must happen, written in the same transaction as the change that caused it.
public struct OutboxJob: Sendable, Hashable {
    public var id: String
    public var kind: JobKind
    public var boletoID: String
    /// Where a notification goes (its URL); empty for registrations.
    public var target: String
    /// The notification body; empty for registrations.
    public var payload: String
    /// The event a notification reports (receivers deduplicate on it).
    public var eventID: String?
    public var attempts: Int
    public var availableAt: String
    public var lastError: String?
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

/// A remembered `Idempotency-Key`.
public struct IdempotencyRecord: Sendable, Hashable {
    public var clientID: String
    public var key: String
    public var requestHash: String
    public var statusCode: Int?
    public var responseBody: String?
    /// The boleto a create request made, written in the same transaction as the boleto.
    public var resourceID: String?
    public var createdAt: String
}
