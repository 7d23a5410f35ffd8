import BoletoJSON
import BoletoKit
import Providers

/// The issuers a boleto may name. `development` is superbowleto's name for the fake bank, kept as an alias of
/// `sandbox`. `bradesco` and `caixa` are accepted where the deployment configures those banks.
enum Issuer {
    static let sandbox = "sandbox"
    /// Boletos registered by remessa files (`POST /remessas`), learning their fate from retornos.
    static let cnab = "cnab"
    static let all = ["sandbox", "development", "bradesco", "caixa", "bb", "itau", "cnab"]

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
    /// Interest, fine, discounts, abatimento, protest or write-off, payment limit (``TermsRules``).
    var terms: BoletoTerms?
    var referenceID: String?
    var externalID: String?
    var register: Bool

    static let maxAmount: Int64 = 9_999_999_999

    /// Reads and validates the body of `call`; `today` bounds the due date, `targets` the notification URLs.
    static func read(_ call: APICall, today: CalendarDate, targets: OutboundPolicy) throws(APIError) -> CreateBoletoRequest {
        var checks = FieldChecks()
        let body = try RequestBody.decode(CreateBoletoBody.self, call, checks: &checks)
        return try read(body, checks: checks, today: today, targets: targets)
    }

    /// Validates a decoded body, adding to the decoder's findings in `checks`.
    static func read(_ body: CreateBoletoBody, checks: FieldChecks, today: CalendarDate,
                     targets: OutboundPolicy) throws(APIError) -> CreateBoletoRequest {
        var r = checks
        let queueURL = r.string(body.queueURL, "queue_url", maxLength: 2048)
        let webhookURL = r.string(body.webhookURL, "webhook_url", maxLength: 2048)
        if let queueURL, let problem = targets.queueProblem(queueURL) {
            r.fail("queue_url", problem)
        }
        if let webhookURL, let problem = targets.webhookProblem(webhookURL) {
            r.fail("webhook_url", problem)
        }
        if !body.queueURL.isSent && !body.webhookURL.isSent {
            r.fail("queue_url", "is required unless webhook_url is given.")
        }
        var dueDate: CalendarDate?
        switch body.expirationDate {
        case .absent, .null:
            r.fail("expiration_date", "is required.")
        case .present(let text):
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
        case .invalid:
            break
        }
        let amount = r.integer(body.amount, "amount", in: 1...maxAmount, required: true)
        let instructions = r.string(body.instructions, "instructions", maxLength: 1000, kind: .multiline)
        r.rejectNull(body.issuer, "issuer")
        r.rejectNull(body.issuerAccount, "issuer_account")
        r.rejectNull(body.issuerAgency, "issuer_agency")
        r.rejectNull(body.issuerWallet, "issuer_wallet")
        let issuer = r.oneOf(body.issuer, "issuer", Issuer.all)
        let issuerAccount = r.digits(body.issuerAccount, "issuer_account", maxLength: 20)
        let issuerAgency = r.digits(body.issuerAgency, "issuer_agency", maxLength: 10)
        let issuerWallet = r.digits(body.issuerWallet, "issuer_wallet", maxLength: 5)
        let titleID = r.integer(body.titleID, "title_id", in: 1...99_999_999_999)
        let register = body.register.value ?? true
        let payerName = r.string(body.payerName, "payer_name", maxLength: 100, required: register, allowEmpty: !register, kind: .text)
        let payerType = r.oneOf(body.payerDocumentType, "payer_document_type", ["cpf", "cnpj"], required: register)
        let payerDocument = FieldRules.document(&r, body.payerDocumentNumber, "payer_document_number",
                                                kind: payerType.flatMap(Document.Kind.init(rawValue:)), required: register)
        let payerAddress = FieldRules.address(&r, body.payerAddress, "payer_address")
        let companyName = r.string(body.companyName, "company_name", maxLength: 100, kind: .text)
        let companyDocument: Document? = body.companyDocumentNumber.value == ""
            ? nil : FieldRules.document(&r, body.companyDocumentNumber, "company_document_number", kind: nil, required: false)
        let companyAddress = FieldRules.address(&r, body.companyAddress, "company_address")
        let beneficiaryDocument = FieldRules.document(&r, body.beneficiaryDocumentNumber, "beneficiary_document_number",
                                                      kind: nil, required: false)
        let terms = TermsRules.read(&r, body, amount: amount, dueDate: dueDate)
        let referenceID = r.string(body.referenceID, "reference_id", maxLength: 255)
        let externalID = r.string(body.externalID, "external_id", maxLength: 255)
        if externalID == nil || externalID?.isEmpty == true {
            // No configuration can supply them, so their absence is reported with the other errors.
            for (value, key) in [(issuer, "issuer"), (issuerAccount, "issuer_account"), (issuerAgency, "issuer_agency"),
                                 (issuerWallet, "issuer_wallet")] where value == nil {
                r.fail(key, "is required unless external_id names a configuration.")
            }
        }
        guard r.errors.isEmpty, let dueDate, let amount else { throw .validation(r.errors) }
        return CreateBoletoRequest(
            queueURL: queueURL, webhookURL: webhookURL, dueDate: dueDate, amount: amount, instructions: instructions,
            issuer: issuer, issuerAccount: issuerAccount, issuerAgency: issuerAgency, issuerWallet: issuerWallet,
            titleID: titleID, payerName: payerName?.isEmpty == true ? nil : payerName, payerDocument: payerDocument,
            payerAddress: payerAddress, companyName: companyName?.isEmpty == true ? nil : companyName,
            companyDocument: companyDocument, companyAddress: companyAddress,
            beneficiaryDocument: beneficiaryDocument?.value, terms: terms,
            referenceID: referenceID, externalID: externalID?.isEmpty == true ? nil : externalID, register: register)
    }
}
