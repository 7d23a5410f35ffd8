import BoletoJSON
import BoletoKit
import Providers

/// The JSON resources the API answers with: `Encodable` types whose properties are in the order the API prints them,
/// encoded by ``BoletoJSON/JSONValueEncoder`` (which keeps that order and prints a nil optional as `null`, so every
/// field is always there).
enum Resources {
    /// A boleto; `payerBase` is what its payer's page path is appended to (`BOLETO_PUBLIC_URL`, or empty).
    static func boleto(_ b: BoletoRecord, payerBase: String) throws -> JSON {
        try JSONValueEncoder().encode(BoletoResource(b, payerBase: payerBase))
    }
    static func boletos(_ records: [BoletoRecord], payerBase: String) throws -> JSON {
        try JSONValueEncoder().encode(records.map { BoletoResource($0, payerBase: payerBase) })
    }
    /// A carnê: its id, size and installments' boletos in order.
    static func carne(_ carne: CarneRecord, boletos: [BoletoRecord], payerBase: String) throws -> JSON {
        .object([("object", .string("carne")), ("id", .string(carne.id)), ("installments", .int(Int64(boletos.count))),
                 ("total_amount", .int(boletos.reduce(0) { $0 + $1.amount })),
                 ("boletos", try Self.boletos(boletos, payerBase: payerBase)), ("created_at", .string(carne.createdAt))])
    }
    static func event(_ e: BoletoEvent) throws -> JSON { try JSONValueEncoder().encode(EventResource(e)) }
    static func events(_ events: [BoletoEvent]) throws -> JSON { try JSONValueEncoder().encode(events.map(EventResource.init)) }
    static func configuration(_ c: ConfigurationRecord) throws -> JSON { try JSONValueEncoder().encode(ConfigurationResource(c)) }
    /// A remessa's description (the file itself is `GET /remessas/:id`).
    static func remessa(_ r: RemessaRecord) throws -> JSON { try JSONValueEncoder().encode(RemessaResource(r)) }
}

/// A boleto: superbowleto's fields, then this service's.
struct BoletoResource: Encodable {
    let object = "boleto"
    let id: String
    let token: String
    let status: String
    let queueURL: String?
    let webhookURL: String?
    let expirationDate: String
    let amount: Int64
    let paidAmount: Int64
    let instructions: String?
    let issuer: String
    let issuerID: String? = nil
    let issuerAccount: String
    let issuerAgency: String
    let issuerWallet: String
    let issuerResponseCode: String?
    let bank: String
    let titleID: Int64
    let nossoNumero: String
    let barcode: String
    let digitableLine: String
    let payerName: String?
    let payerDocumentType: String?
    let payerDocumentNumber: String?
    let payerAddress: AddressResource?
    let companyName: String?
    let companyDocumentNumber: String?
    let beneficiaryDocumentNumber: String?
    let companyAddress: AddressResource?
    let interest: ChargeResource?
    let fine: ChargeResource?
    let discounts: [DiscountResource]
    let abatement: Int64?
    let protestDays: Int?
    let writeOffDays: Int?
    let paymentLimitDate: String?
    let referenceID: String?
    let externalID: String?
    let bankResponseCode: String?
    let register: Bool
    let boletoURL: String?
    let pixQRCode: String?
    let beneficiaryName: String?
    let paymentDate: String?
    let paymentChannel: String?
    let carneID: String?
    let installment: Int?
    let pendingChange: PendingChangeResource?
    let createdAt: String
    let updatedAt: String

    enum CodingKeys: String, CodingKey {
        case object, id, token, status, queueURL = "queue_url", webhookURL = "webhook_url", expirationDate = "expiration_date"
        case amount, paidAmount = "paid_amount", instructions, issuer, issuerID = "issuer_id", issuerAccount = "issuer_account"
        case issuerAgency = "issuer_agency", issuerWallet = "issuer_wallet", issuerResponseCode = "issuer_response_code", bank
        case titleID = "title_id", nossoNumero = "nosso_numero", barcode, digitableLine = "digitable_line"
        case payerName = "payer_name", payerDocumentType = "payer_document_type", payerDocumentNumber = "payer_document_number"
        case payerAddress = "payer_address", companyName = "company_name", companyDocumentNumber = "company_document_number"
        case beneficiaryDocumentNumber = "beneficiary_document_number", companyAddress = "company_address", interest, fine
        case discounts, abatement, protestDays = "protest_days", writeOffDays = "write_off_days", paymentLimitDate = "payment_limit_date"
        case referenceID = "reference_id", externalID = "external_id", bankResponseCode = "bank_response_code", register
        case boletoURL = "boleto_url", pixQRCode = "pix_qr_code", beneficiaryName = "beneficiary_name"
        case paymentDate = "payment_date", paymentChannel = "payment_channel", carneID = "carne_id", installment
        case pendingChange = "pending_change"
        case createdAt = "created_at", updatedAt = "updated_at"
    }

    /// `boleto_url`: the bank's own copy when it gave one, else the payer's page (`payerBase` + `/pay/<token>`), and
    /// none for a canceled or refused boleto, whose page is gone.
    init(_ b: BoletoRecord, payerBase: String) {
        let d = b.details
        id = b.id; token = b.token; status = b.status.rawValue; queueURL = d.queueURL; webhookURL = d.webhookURL
        expirationDate = b.dueDate; amount = b.amount; paidAmount = b.paidAmount; instructions = d.instructions
        issuer = b.issuer; issuerAccount = b.issuerAccount; issuerAgency = b.issuerAgency; issuerWallet = b.issuerWallet
        issuerResponseCode = b.issuerResponseCode; bank = b.bank; titleID = b.titleID; nossoNumero = b.nossoNumero
        barcode = b.barcode; digitableLine = b.digitableLine; payerName = d.payerName; payerDocumentType = d.payerDocumentType
        payerDocumentNumber = b.payerDocumentNumber; payerAddress = d.payerAddress.map(AddressResource.init)
        companyName = d.companyName; companyDocumentNumber = d.companyDocumentNumber
        beneficiaryDocumentNumber = d.beneficiaryDocument; companyAddress = d.companyAddress.map(AddressResource.init)
        let terms = b.terms, due = CalendarDate(iso: b.dueDate)
        interest = terms?.interest.map { ChargeResource($0, due: due) }; fine = terms?.fine.map { ChargeResource($0, due: due) }
        discounts = terms?.discounts.map(DiscountResource.init) ?? []; abatement = terms?.abatementCents
        if case .protest(let days)? = terms?.afterDue { protestDays = days } else { protestDays = nil }
        if case .writeOff(let days)? = terms?.afterDue { writeOffDays = days } else { writeOffDays = nil }
        paymentLimitDate = terms?.paymentLimitDate?.description; referenceID = b.referenceID
        externalID = d.externalID; bankResponseCode = b.bankResponseCode; register = d.register; boletoURL = d.bankURL ?? ([.canceled, .refused].contains(b.status) ? nil : payerBase + APIHandlers.payerPath(token: b.token))
        pixQRCode = d.pixPayload; beneficiaryName = d.beneficiaryName
        paymentDate = d.paymentDate; paymentChannel = d.paymentChannel; carneID = d.carne?.id; installment = d.carne?.number
        pendingChange = d.pendingChange.map(PendingChangeResource.init)
        createdAt = b.createdAt; updatedAt = b.updatedAt
    }
}

/// A change the bank has not confirmed yet: its id, the fields it touches (`status` for a `cnab` pedido de baixa),
/// when it was asked for, and for `cnab` boletos the remessa movement and the remessa that carried it.
struct PendingChangeResource: Encodable {
    let id: String
    let fields: [String]
    let requestedAt: String
    let movement: String?
    let remessaID: String?

    enum CodingKeys: String, CodingKey {
        case id, fields, requestedAt = "requested_at", movement, remessaID = "remessa_id"
    }

    init(_ p: PendingChange) {
        id = p.id; fields = p.fields; requestedAt = p.requestedAt; movement = p.movement; remessaID = p.remessaID
    }
}

/// A postal address, as sent.
struct AddressResource: Encodable {
    let zipcode: String
    let street: String
    let streetNumber: String
    let complementary: String?
    let neighborhood: String
    let city: String
    let state: String

    enum CodingKeys: String, CodingKey {
        case zipcode, street, streetNumber = "street_number", complementary, neighborhood, city, state
    }

    init(_ a: PostalAddress) {
        zipcode = a.zipcode; street = a.street; streetNumber = a.streetNumber; complementary = a.complementary
        neighborhood = a.neighborhood; city = a.city; state = a.state
    }
}

/// Interest or fine: `type`, `value` (a percentage, or cents) and `start_date`, with superbowleto's `percentage`,
/// `amount` and `days` (after the due date) alongside for its clients.
struct ChargeResource: Encodable {
    let type: String
    let value: Double
    let startDate: String?
    let percentage: Double?
    let amount: Int64?
    let days: Int

    enum CodingKeys: String, CodingKey {
        case type, value, startDate = "start_date", percentage, amount, days
    }

    init(type: String, percent: Percent?, cents: Int64?, start: CalendarDate?, due: CalendarDate?) {
        self.type = type
        value = percent?.value ?? Double(cents ?? 0)
        startDate = start?.description
        percentage = percent?.value
        amount = cents
        days = start.flatMap { start in due.map { start.days(since: $0) } } ?? 1
    }

    init(_ interest: BoletoTerms.Interest, due: CalendarDate?) {
        self.init(type: interest.kind.rawValue, percent: interest.percent, cents: interest.amountCents, start: interest.startDate, due: due)
    }

    init(_ fine: BoletoTerms.Fine, due: CalendarDate?) {
        self.init(type: fine.kind.rawValue, percent: fine.percent, cents: fine.amountCents, start: fine.startDate, due: due)
    }
}

/// One of `discounts`.
struct DiscountResource: Encodable {
    let type: String
    let value: Double
    let until: String

    init(_ d: BoletoTerms.Discount) {
        type = d.kind.rawValue
        value = d.percent?.value ?? Double(d.amountCents ?? 0)
        until = d.until.description
    }
}

/// One entry of a boleto's history; `detail` is the event's stored facts.
struct EventResource: Encodable {
    let object = "boleto_event"
    let id: String
    let boletoID: String
    let type: String
    let status: String
    let previousStatus: String?
    let detail: JSON
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case object, id, boletoID = "boleto_id", type, status, previousStatus = "previous_status", detail
        case createdAt = "created_at"
    }

    init(_ e: BoletoEvent) {
        id = e.id; boletoID = e.boletoID; type = e.type; status = e.status.rawValue
        previousStatus = e.previousStatus?.rawValue; detail = (try? JSON.parse(e.detail))?.sortingKeys ?? .object([])
        createdAt = e.createdAt
    }
}

/// A beneficiary configuration.
struct ConfigurationResource: Encodable {
    let object = "configuration"
    let id: String
    let externalID: String
    let issuer: String
    let issuerAccount: String
    let issuerAgency: String
    let issuerWallet: String
    let sandboxScenario: String?
    let beneficiaryDocumentNumber: String?
    let issuerBank: String?
    let cnab: CNABResource?
    let beneficiaryName: String?
    let pix: PixResource?
    let createdAt: String
    let updatedAt: String

    enum CodingKeys: String, CodingKey {
        case object, id, externalID = "external_id", issuer, issuerAccount = "issuer_account", issuerAgency = "issuer_agency"
        case issuerWallet = "issuer_wallet", sandboxScenario = "sandbox_scenario"
        case beneficiaryDocumentNumber = "beneficiary_document_number", issuerBank = "issuer_bank", cnab
        case beneficiaryName = "beneficiary_name", pix, createdAt = "created_at", updatedAt = "updated_at"
    }

    init(_ c: ConfigurationRecord) {
        id = c.id; externalID = c.externalID; issuer = c.issuer; issuerAccount = c.issuerAccount
        issuerAgency = c.issuerAgency; issuerWallet = c.issuerWallet; sandboxScenario = c.sandboxScenario
        beneficiaryDocumentNumber = c.beneficiaryDocument; issuerBank = c.issuerBank; cnab = c.cnab.map(CNABResource.init)
        beneficiaryName = c.beneficiaryName; pix = c.pix.map(PixResource.init); createdAt = c.createdAt
        updatedAt = c.updatedAt
    }
}

/// A configuration's CNAB facts; `extra` by key.
struct CNABResource: Encodable {
    let layout: String
    let companyName: String
    let companyCode: String?
    let beneficiaryCode: String?
    let agencyDV: String?
    let accountDV: String?
    let walletCode: String?
    let walletVariation: String?
    let extra: JSON
    let firstSequence: Int

    enum CodingKeys: String, CodingKey {
        case layout, companyName = "company_name", companyCode = "company_code", beneficiaryCode = "beneficiary_code"
        case agencyDV = "agency_dv", accountDV = "account_dv", walletCode = "wallet_code", walletVariation = "wallet_variation"
        case extra, firstSequence = "first_sequence"
    }

    init(_ s: CNABSettings) {
        layout = s.layout; companyName = s.companyName; companyCode = s.companyCode; beneficiaryCode = s.beneficiaryCode
        agencyDV = s.agencyDV; accountDV = s.accountDV; walletCode = s.walletCode; walletVariation = s.walletVariation
        extra = s.extra.map { .object($0.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }) } ?? .null
        firstSequence = s.firstSequence
    }
}

/// A configuration's PIX receiver.
struct PixResource: Encodable {
    let key: String?
    let url: String?
    let name: String
    let city: String

    init(_ p: PixSettings) {
        key = p.key; url = p.url; name = p.name; city = p.city
    }
}

/// A remessa's description.
struct RemessaResource: Encodable {
    let object = "remessa"
    let id: String
    let externalID: String
    let bank: String
    let layout: String
    let sequence: Int
    let boletoCount: Int
    let totalAmount: Int64
    let boletoIDs: [String]
    let size: Int
    let sha256: String
    let fileURL: String
    let createdAt: String

    enum CodingKeys: String, CodingKey {
        case object, id, externalID = "external_id", bank, layout, sequence, boletoCount = "boleto_count"
        case totalAmount = "total_amount", boletoIDs = "boleto_ids", size, sha256, fileURL = "file_url"
        case createdAt = "created_at"
    }

    init(_ r: RemessaRecord) {
        id = r.id; externalID = r.externalID; bank = r.bank; layout = r.layout; sequence = r.sequence
        boletoCount = r.boletoIDs.count; totalAmount = r.totalAmount; boletoIDs = r.boletoIDs; size = r.content.utf8.count
        sha256 = r.sha256; fileURL = "/remessas/\(r.id)"; createdAt = r.createdAt
    }
}
