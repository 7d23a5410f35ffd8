import BoletoJSON
import BoletoKit
import BoletoRender
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Providers
import SQS

/// The handlers behind each route.
struct APIHandlers: Sendable {
    let service: BoletoService
    /// Where notifications may go, from the settings (read once).
    var targets: OutboundPolicy { service.targets }
    let idempotency: IdempotencyGuard
    let openAPI: String
    let sqs: SQSClient?
    /// Each address's requests to the payer's pages (`BOLETO_PAYER_PAGE_PER_MINUTE`); nil when off.
    var payerLimiter: RateLimiter? = nil
    let clients = ClientCache()

    var store: any BoletoStore { service.store }
    /// What a boleto's payer's page path is appended to in `boleto_url`.
    var payerBase: String { service.settings.publicURL ?? "" }
    var configurations: ConfigurationService { ConfigurationService(store: service.store, providers: service.providers) }

    func authenticate(_ key: String?) async throws -> ClientRecord {
        guard let key, !key.isEmpty, let client = try await APIKeys.client(for: key, in: store, cache: clients) else {
            throw APIError.unauthorized
        }
        return client
    }

    /// Runs an authenticated handler; a POST with an `Idempotency-Key` runs under the key's guard.
    func handle(_ call: ClientCall, _ handler: @Sendable (APIHandlers, ClientCall) async throws -> APIReply) async throws -> APIReply {
        if call.call.method == .post, let key = call.header("Idempotency-Key") {
            return try await idempotency.run(call.call, client: call.client, key: key) { reservation in
                var reserved = call
                reserved.idempotency = reservation
                return try await run { try await handler(self, reserved) }
            }
        }
        return try await run { try await handler(self, call) }
    }

    /// Runs a handler. A service's refusal becomes its HTTP answer here, inside the idempotency guard, so that a
    /// refused request's answer is remembered like any other 4xx.
    func run(_ body: () async throws -> APIReply) async throws -> APIReply {
        do {
            return try await body()
        } catch let error as ServiceError {
            throw APIError(error)
        }
    }

    // MARK: Boletos

    func createBoleto(_ call: ClientCall) async throws -> APIReply {
        let client = call.client
        let (scenario, headerErrors) = Self.sandboxScenario(call)
        let request: CreateBoletoRequest
        do {
            request = try CreateBoletoRequest.read(call.call, today: .todayInSaoPaulo(), targets: targets)
        } catch {
            throw APIError.validation(headerErrors + error.errors)
        }
        guard headerErrors.isEmpty else { throw APIError.validation(headerErrors) }
        let record = try await service.create(request, clientID: client.id, scenario: scenario, idempotency: call.idempotency)
        return APIResponder.json(try Resources.boleto(record, payerBase: payerBase), status: .created)
    }

    /// The `X-Sandbox-Scenario` header: a sandbox bank's outcome, or an error naming the header.
    static func sandboxScenario(_ call: ClientCall) -> (scenario: String?, errors: [FieldError]) {
        guard let header = call.header("X-Sandbox-Scenario") else { return (nil, []) }
        guard SandboxScenario(rawValue: header) != nil else {
            return (nil, [.invalid("X-Sandbox-Scenario", "X-Sandbox-Scenario must be one of [\(SandboxScenario.allCases.map(\.rawValue).joined(separator: ", "))].")])
        }
        return (header, [])
    }

    func listBoletos(_ call: ClientCall) async throws -> APIReply {
        var filter = BoletoFilter()
        var page = 1, count = 10
        var errors: [FieldError] = []
        for (name, value) in call.query {
            switch name {
            case "page":
                if let number = Int(value), number >= 1, number <= 1_000_000 { page = number } else {
                    errors.append(.invalid("page", "page must be an integer of at least 1."))
                }
            case "count":
                if let number = Int(value), (1...100).contains(number) { count = number } else {
                    errors.append(.invalid("count", "count must be an integer from 1 to 100."))
                }
            case "status":
                if let status = BoletoStatus(rawValue: value) { filter.status = status } else {
                    errors.append(.invalid("status", "status must be one of [\(BoletoStatus.allCases.map(\.rawValue).joined(separator: ", "))]."))
                }
            case "issuer": filter.issuer = value
            case "title_id":
                if let number = Int64(value), number >= 1 { filter.titleID = number } else {
                    errors.append(.invalid("title_id", "title_id must be a positive integer."))
                }
            case "token": filter.token = value
            case "reference_id": filter.referenceID = value
            case "payer_document_number": filter.payerDocumentNumber = Document.normalized(value)
            case "created_at_from", "created_at_to":
                if let instant = DateInput.instant(value) {
                    if name == "created_at_from" { filter.createdFrom = Timestamp.format(instant) } else { filter.createdTo = Timestamp.format(instant) }
                } else {
                    errors.append(.invalid(name, "\(name) must be an ISO-8601 date-time or a YYYY-MM-DD date."))
                }
            default:
                errors.append(.invalid(name, "\(name) is not a known query parameter."))
            }
        }
        guard errors.isEmpty else { throw APIError.validation(errors) }
        let (records, total) = try await store.boletos(clientID: call.client.id, filter: filter, page: page, count: count)
        var headers = HTTPFields()
        headers[HTTPField.Name("X-Total-Count")!] = String(total)
        return APIResponder.json(try Resources.boletos(records, payerBase: payerBase), status: .ok, headers: headers)
    }

    private func ownBoleto(_ call: ClientCall) async throws -> BoletoRecord {
        guard !call.id.isEmpty, let record = try await store.boleto(id: call.id, clientID: call.client.id) else {
            throw APIError.notFound("Boleto")
        }
        return record
    }

    func showBoleto(_ call: ClientCall) async throws -> APIReply {
        APIResponder.json(try Resources.boleto(try await ownBoleto(call), payerBase: payerBase), status: .ok)
    }

    func updateBoleto(_ call: ClientCall) async throws -> APIReply {
        _ = try await ownBoleto(call)
        var checks = FieldChecks()
        let body = try RequestBody.decode(UpdateBoletoBody.self, call.call, checks: &checks)
        if body.asksForChange {
            if body.paidAmount.isSent || body.bankResponseCode.isSent {
                checks.fail("body", "Send paid_amount and bank_response_code, or a change of the boleto at its bank, in separate requests.")
            }
            let alteration = TermsRules.alteration(&checks, body)
            guard checks.errors.isEmpty else { throw APIError.validation(checks.errors) }
            let result = try await service.alter(id: call.id, clientID: call.client.id, alteration: alteration)
            // 202: the bank has not confirmed yet (a cnab boleto's next remessa and retorno, or no answer in time).
            return APIResponder.json(try Resources.boleto(result.record, payerBase: payerBase), status: result.pending ? .accepted : .ok)
        }
        let paid = checks.integer(body.paidAmount, "paid_amount", in: 0...CreateBoletoRequest.maxAmount)
        if body.paidAmount.isNull { checks.fail("paid_amount", "must be an integer (0 records no payment).") }
        let sentCode = body.bankResponseCode.isSent
        let code = checks.string(body.bankResponseCode, "bank_response_code", maxLength: 64)
        if paid == nil && !sentCode && checks.errors.isEmpty {
            checks.errors.append(.invalid("body", "Send paid_amount and/or bank_response_code."))
        }
        guard checks.errors.isEmpty else { throw APIError.validation(checks.errors) }
        guard let record = try await service.update(id: call.id, clientID: call.client.id, paidAmount: paid,
                                                    bankResponseCode: sentCode ? .some(code) : .none) else {
            throw APIError.notFound("Boleto")
        }
        return APIResponder.json(try Resources.boleto(record, payerBase: payerBase), status: .ok)
    }

    func cancelBoleto(_ call: ClientCall) async throws -> APIReply {
        _ = try await ownBoleto(call)
        if !call.bodyText.allSatisfy(\.isWhitespace) {
            var checks = FieldChecks()
            _ = try RequestBody.decode(CancelBoletoBody.self, call.call, checks: &checks)
            guard checks.errors.isEmpty else { throw APIError.validation(checks.errors) }
        }
        let result = try await service.cancel(id: call.id, clientID: call.client.id)
        // 202: the bank did not answer in time; the cancel is on record and the worker keeps asking.
        return APIResponder.json(try Resources.boleto(result.record, payerBase: payerBase), status: result.pending ? .accepted : .ok)
    }

    func events(_ call: ClientCall) async throws -> APIReply {
        let record = try await ownBoleto(call)
        let events = try await store.events(boletoID: record.id)
        return APIResponder.json(try Resources.events(events), status: .ok)
    }

    /// `GET /boletos/:id/html`: the printable boleto, one self-contained page.
    func renderHTML(_ call: ClientCall) async throws -> APIReply {
        let record = try await ownBoleto(call)
        let html = try APIResponder.rendered("boleto") { try BoletoHTML.render(BoletoService.sheet(record)) }
        return APIResponder.text(html, contentType: "text/html; charset=utf-8")
    }

    /// `GET /boletos/:id/pdf`: the printable boleto as an A4 PDF.
    func renderPDF(_ call: ClientCall) async throws -> APIReply {
        let record = try await ownBoleto(call)
        let bytes = try APIResponder.rendered("boleto") { try BoletoPDF.render(BoletoService.sheet(record)) }
        return APIResponder.pdf(bytes, filename: "boleto-\(record.id).pdf")
    }

    // MARK: Configurations

    func createConfiguration(_ call: ClientCall) async throws -> APIReply {
        var checks = FieldChecks()
        let body = try RequestBody.decode(CreateConfigurationBody.self, call.call, checks: &checks)
        let externalID = checks.string(body.externalID, "external_id", maxLength: 255, required: true)
        let fields = readAccount(body.account, &checks, required: true)
        guard checks.errors.isEmpty, let externalID else { throw APIError.validation(checks.errors) }
        let record = try await configurations.create(clientID: call.client.id, externalID: externalID, fields: fields)
        return APIResponder.json(try Resources.configuration(record), status: .created)
    }

    func updateConfiguration(_ call: ClientCall) async throws -> APIReply {
        let record = try await configurations.find(clientID: call.client.id, id: call.id)
        var checks = FieldChecks()
        let body = try RequestBody.decode(AccountBody.self, call.call, checks: &checks)
        let fields = readAccount(body, &checks, required: false)
        guard checks.errors.isEmpty else { throw APIError.validation(checks.errors) }
        return APIResponder.json(try Resources.configuration(try await configurations.update(record, fields: fields)), status: .ok)
    }

    func showConfiguration(_ call: ClientCall) async throws -> APIReply {
        APIResponder.json(try Resources.configuration(try await configurations.find(clientID: call.client.id,
                                                                                 externalID: call.id)), status: .ok)
    }

    private func readAccount(_ body: AccountBody, _ checks: inout FieldChecks, required: Bool) -> ConfigurationFields {
        var fields = ConfigurationFields()
        checks.rejectNull(body.issuer, "issuer")
        checks.rejectNull(body.issuerAccount, "issuer_account")
        checks.rejectNull(body.issuerAgency, "issuer_agency")
        checks.rejectNull(body.issuerWallet, "issuer_wallet")
        fields.issuer = checks.oneOf(body.issuer, "issuer", Issuer.all, required: required)
        fields.account = checks.digits(body.issuerAccount, "issuer_account", maxLength: 20)
        fields.agency = checks.digits(body.issuerAgency, "issuer_agency", maxLength: 10)
        fields.wallet = checks.digits(body.issuerWallet, "issuer_wallet", maxLength: 5)
        if required {
            for (field, key) in [(body.issuerAccount, "issuer_account"), (body.issuerAgency, "issuer_agency"),
                                 (body.issuerWallet, "issuer_wallet")] where !field.isSent {
                checks.fail(key, "is required.")
            }
        }
        fields.scenarioSent = body.sandboxScenario.isSent
        fields.scenario = checks.oneOf(body.sandboxScenario, "sandbox_scenario", SandboxScenario.allCases.map(\.rawValue))
        fields.beneficiarySent = body.beneficiaryDocumentNumber.isSent
        fields.beneficiary = FieldRules.document(&checks, body.beneficiaryDocumentNumber, "beneficiary_document_number",
                                                 kind: nil, required: false)?.value
        fields.issuerBankSent = body.issuerBank.isSent
        fields.issuerBank = checks.oneOf(body.issuerBank, "issuer_bank", RemessaBuilder.banks)
        fields.cnabSent = body.cnab.isSent
        fields.cnab = Self.readCNAB(body.cnab, &checks)
        fields.beneficiaryNameSent = body.beneficiaryName.isSent
        fields.beneficiaryName = checks.string(body.beneficiaryName, "beneficiary_name", maxLength: 100, allowEmpty: false, kind: .text)
        fields.pixSent = body.pix.isSent
        fields.pix = Self.readPix(body.pix, &checks)
        return fields
    }

    // MARK: Operations

    func ready() async throws -> APIReply {
        var checks: [(String, JSON)] = []
        var healthy = true
        do {
            try await store.ping()
            checks.append(("database", .string("ok")))
        } catch {
            healthy = false
            checks.append(("database", .string("unavailable")))
        }
        do {
            let pending = try await store.pendingJobCounts()
            checks.append(("queue", .string("ok")))
            checks.append(("sqs_notifications_waiting", .int(Int64(pending[.sqs] ?? 0))))
        } catch {
            healthy = false
            checks.append(("queue", .string("unavailable")))
        }
        if let sqs {
            do {
                _ = try await sqs.getQueueURL(name: service.settings.sqsRegisterQueue)
                checks.append(("sqs", .string("ok")))
            } catch {
                healthy = false
                checks.append(("sqs", .string("unavailable")))
            }
        } else {
            checks.append(("sqs", .string("not_configured")))
        }
        return APIResponder.json(.object([("status", .string(healthy ? "ok" : "unavailable")), ("checks", .object(checks))]),
                                 status: healthy ? .ok : .serviceUnavailable)
    }

    func metrics() async throws -> APIReply {
        service.metrics.backlog(pending: try await store.pendingJobCounts(), dead: try await store.deadLetterCounts())
        return APIResponder.text(service.metrics.exposition(), contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
}
