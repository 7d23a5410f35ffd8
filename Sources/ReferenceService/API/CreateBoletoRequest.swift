import BoletoJSON
import BoletoKit
import Providers

/// The issuers a boleto may name. `development` is superbowleto's name for the fake bank, kept as an alias of
/// `sandbox`. `bradesco` and `caixa` are accepted where the deployment configures those banks.
enum Issuer {
    static let sandbox = "sandbox"
    /// Boletos registered by remessa files (`POST /remessas`), learning their fate from retornos.
    static let cnab = "cnab"
    static let all = ["sandbox", "development", "bradesco", "caixa", "cnab"]

    static func isSandbox(_ issuer: String) -> Bool { issuer == "sandbox" || issuer == "development" }
}

/// The body of `POST /boletos`, validated: every error is reported at once, with its field path.
struct CreateBoletoRequest: Sendable {
    var queueURL: String?
    var webhookURL: String?
    var dueDate: CalendarDate
    var amount: Int64
    var instructions: String?
    var issuer: String?
    var issuerAccount: String?
    var issuerAgency: String?
    var issuerWallet: String?
    var titleID: Int64?
    var payerName: String?
    var payerDocument: Document?
    var payerAddress: PostalAddress?
    var companyName: String?
    var companyDocument: Document?
    var companyAddress: PostalAddress?
    var beneficiaryDocument: String?
    var interest: ChargeTerms?
    var fine: ChargeTerms?
    var referenceID: String?
    var externalID: String?
    var register: Bool

    static let maxAmount: Int64 = 9_999_999_999

    /// Reads and validates `json`; `today` bounds the due date.
    static func read(_ json: JSON, today: CalendarDate) throws(APIError) -> CreateBoletoRequest {
        var r = try FieldReader.body(json)
        let queueURL = r.string("queue_url", maxLength: 2048)
        let webhookURL = r.string("webhook_url", maxLength: 2048)
        if let queueURL, !FieldRules.isQueueURL(queueURL) {
            r.fail("queue_url", "must be an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/boletos.")
        }
        if let webhookURL, !FieldRules.isWebhookURL(webhookURL) {
            r.fail("webhook_url", "must be an absolute http or https URL.")
        }
        if queueURL == nil && webhookURL == nil && !r.has("queue_url") && !r.has("webhook_url") {
            r.fail("queue_url", "is required unless webhook_url is given.")
        }
        var dueDate: CalendarDate?
        switch r.raw("expiration_date") {
        case nil:
            r.fail("expiration_date", "is required.")
        case .string(let text)?:
            if let date = DateInput.calendarDate(text) {
                let latest = min(today.adding(days: DueDateFactor.windowAfter), DueDateFactor.lastDate)
                if date < today {
                    r.fail("expiration_date", "must not be in the past (São Paulo time).")
                } else if date > latest {
                    r.fail("expiration_date", "must be on or before \(latest), the end of the due-date factor window.")
                } else {
                    dueDate = date
                }
            } else {
                r.fail("expiration_date", "must be a YYYY-MM-DD date, an ISO-8601 date-time or a JavaScript date string.")
            }
        default:
            r.fail("expiration_date", "must be a string.")
        }
        let amount = r.integer("amount", in: 1...maxAmount, required: true)
        let instructions = r.string("instructions", maxLength: 1000)
        r.rejectNull("issuer", "issuer_account", "issuer_agency", "issuer_wallet")
        let issuer = r.oneOf("issuer", Issuer.all)
        let issuerAccount = digits(&r, "issuer_account", maxLength: 20)
        let issuerAgency = digits(&r, "issuer_agency", maxLength: 10)
        let issuerWallet = digits(&r, "issuer_wallet", maxLength: 5)
        let titleID = r.integer("title_id", in: 1...99_999_999_999)
        let register = r.bool("register") ?? true
        let payerName = r.string("payer_name", maxLength: 100, required: register, allowEmpty: !register)
        let payerType = r.oneOf("payer_document_type", ["cpf", "cnpj"], required: register)
        let payerDocument = FieldRules.document(&r, "payer_document_number", kind: payerType.flatMap(Document.Kind.init(rawValue:)),
                                                required: register)
        let payerAddress = FieldRules.address(&r, "payer_address")
        let companyName = r.string("company_name", maxLength: 100)
        let companyDocument: Document? = r.has("company_document_number") && r.raw("company_document_number") == .string("")
            ? nil : FieldRules.document(&r, "company_document_number", kind: nil, required: false)
        let companyAddress = FieldRules.address(&r, "company_address")
        let beneficiaryDocument = FieldRules.document(&r, "beneficiary_document_number", kind: nil, required: false)
        let interest = FieldRules.charge(&r, "interest")
        let fine = FieldRules.charge(&r, "fine")
        let referenceID = r.string("reference_id", maxLength: 255)
        let externalID = r.string("external_id", maxLength: 255)
        if externalID == nil || externalID?.isEmpty == true {
            // No configuration can supply them, so their absence is reported with the other errors.
            for (value, key) in [(issuer, "issuer"), (issuerAccount, "issuer_account"), (issuerAgency, "issuer_agency"),
                                 (issuerWallet, "issuer_wallet")] where value == nil {
                r.fail(key, "is required unless external_id names a configuration.")
            }
        }
        r.rejectUnknown()
        guard r.errors.isEmpty, let dueDate, let amount else { throw .validation(r.errors) }
        return CreateBoletoRequest(
            queueURL: queueURL, webhookURL: webhookURL, dueDate: dueDate, amount: amount, instructions: instructions,
            issuer: issuer, issuerAccount: issuerAccount, issuerAgency: issuerAgency, issuerWallet: issuerWallet,
            titleID: titleID, payerName: payerName?.isEmpty == true ? nil : payerName, payerDocument: payerDocument,
            payerAddress: payerAddress, companyName: companyName?.isEmpty == true ? nil : companyName,
            companyDocument: companyDocument, companyAddress: companyAddress,
            beneficiaryDocument: beneficiaryDocument?.value, interest: interest, fine: fine,
            referenceID: referenceID, externalID: externalID?.isEmpty == true ? nil : externalID, register: register)
    }

    /// A string of digits (account data keeps its leading zeros, so numbers are not accepted).
    static func digits(_ r: inout FieldReader, _ key: String, maxLength: Int) -> String? {
        guard let text = r.string(key, maxLength: maxLength, allowEmpty: false) else { return nil }
        guard text.allSatisfy(\.isASCIIDigit) else {
            r.fail(key, "must contain digits only.")
            return nil
        }
        return text
    }
}
