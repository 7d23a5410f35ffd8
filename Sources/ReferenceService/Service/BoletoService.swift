import BoletoJSON
import BoletoKit
import Foundation
import Logging
import Providers

/// The boleto flows shared by the HTTP API and the worker: create, register, pay, cancel. Every status change, here
/// and in the remessa and retorno flows, goes through ``StatusMachine``, which enforces ``BoletoStatus`` and queues
/// the owner's notifications in the same transaction.
struct BoletoService: Sendable {
    let store: any BoletoStore
    let providers: ProviderDirectory
    let settings: ServiceSettings
    let metrics: ServiceMetrics
    let logger: Logger
    /// Spaces the reconciler's queries per bank (``ReconcileSchedule/perMinute``).
    let pacer: QueryPacer

    /// Where owners' notifications may go.
    var targets: OutboundPolicy { settings.outboundPolicy }

    var backoff: Backoff { Backoff(base: settings.retryBase, max: settings.retryMax) }

    // MARK: Create

    /// A create request resolved against its configuration and its issuer's provider: everything a boleto needs but
    /// its title id.
    struct BoletoPlan: Sendable {
        private(set) var request: CreateBoletoRequest
        let clientID: String
        let issuer: String
        let account: String
        let agency: String
        let wallet: String
        let provider: ProviderDirectory.Entry
        let cnab: CNABIssue?
        let pix: PixSettings?
        let beneficiaryName: String?
        /// The sandbox scenario (sandbox issuers only).
        let scenario: String?

        /// The beneficiary account the title id is allocated in.
        var beneficiaryAccount: BeneficiaryAccount { BeneficiaryAccount(bank: provider.bank, agency: agency, account: account) }
        /// Whether the boleto gets a register job (registered online).
        var registersOnline: Bool { request.register && provider.registrar != nil }

        /// The plan of another installment of the same carnê: this one's resolved fields with `installment`'s due
        /// date and amount.
        func installment(_ installment: CreateBoletoRequest) -> BoletoPlan {
            var plan = self
            plan.request.dueDate = installment.dueDate
            plan.request.amount = installment.amount
            return plan
        }
    }

    /// Resolves the configuration `request` names (its fields adopted, a different value sent is a 400 on that
    /// field) and the issuer's provider, and checks what the issuer requires.
    func plan(_ request: CreateBoletoRequest, clientID: String, scenario: String?) async throws -> BoletoPlan {
        var request = request
        var errors: [FieldError] = []
        var configurationScenario: String?
        var configured: ConfigurationRecord?
        if let externalID = request.externalID,
           let configuration = try await store.configuration(clientID: clientID, externalID: externalID) {
            configured = configuration
            configurationScenario = configuration.sandboxScenario
            func adopt(_ value: inout String?, _ configured: String, _ field: String) {
                if let sent = value, sent != configured {
                    errors.append(.invalid(field, "\(field) differs from the configuration named by external_id; omit it or send the configured value."))
                }
                value = configured
            }
            adopt(&request.issuer, configuration.issuer, "issuer")
            adopt(&request.issuerAccount, configuration.issuerAccount, "issuer_account")
            adopt(&request.issuerAgency, configuration.issuerAgency, "issuer_agency")
            adopt(&request.issuerWallet, configuration.issuerWallet, "issuer_wallet")
            if let document = configuration.beneficiaryDocument {
                adopt(&request.beneficiaryDocument, document, "beneficiary_document_number")
            }
        }
        for (value, field) in [(request.issuer, "issuer"), (request.issuerAccount, "issuer_account"),
                               (request.issuerAgency, "issuer_agency"), (request.issuerWallet, "issuer_wallet")] where value == nil {
            errors.append(.invalid(field, "\(field) is required unless external_id names a configuration."))
        }
        guard errors.isEmpty, let issuer = request.issuer, let account = request.issuerAccount,
              let agency = request.issuerAgency, let wallet = request.issuerWallet else { throw ServiceError.invalid(errors) }
        guard let provider = providers.entry(for: issuer, bank: configured?.issuerBank) else {
            throw ServiceError.invalid([.invalid("issuer", ProviderDirectory.missing(issuer))])
        }
        let cnab = issuer == Issuer.cnab ? try Self.checkCNAB(request, configuration: configured) : nil
        if provider.needsBeneficiary && request.beneficiaryDocument == nil {
            throw ServiceError.invalid([.invalid("beneficiary_document_number",
                                                "beneficiary_document_number is required for \(issuer) boletos, on the boleto or its configuration.")])
        }
        return BoletoPlan(request: request, clientID: clientID, issuer: issuer, account: account, agency: agency, wallet: wallet,
                          provider: provider, cnab: cnab, pix: configured?.pix, beneficiaryName: configured?.beneficiaryName,
                          scenario: provider.isSandbox ? (scenario ?? configurationScenario) : nil)
    }

    /// The boleto `plan` makes as title `titleID`, issued `now`: the barcode computed with BoletoKit, and the issuer's
    /// own rules (a bank adapter's field checks, a remessa's) checked, each broken one a 400. `carne` places it in a
    /// carnê.
    static func record(_ plan: BoletoPlan, titleID: Int64, boletoID: String, now: Date, stage: String,
                       carne: CarneInstallment? = nil) throws -> BoletoRecord {
        let frozen = plan.request, provider = plan.provider
        let input = ProviderDirectory.input(bank: provider.bank, amount: frozen.amount, dueDate: frozen.dueDate,
                                            agency: plan.agency, account: plan.account, wallet: plan.wallet, titleID: titleID,
                                            cnab: plan.cnab?.settings, bankFields: provider.bankFields,
                                            issued: .todayInSaoPaulo(now: now))
        let boleto: Boleto
        do { boleto = try Boleto(input) } catch { throw ServiceError.invalid([.boleto(error)]) }
        let timestamp = Timestamp.format(now)
        let record = BoletoRecord(
            id: boletoID, clientID: plan.clientID, token: stage + "_" + String(Identifiers.make("tk").dropFirst(3)),
            status: .issued, bank: provider.bank, issuer: plan.issuer, issuerAccount: plan.account, issuerAgency: plan.agency,
            issuerWallet: plan.wallet, titleID: titleID, nossoNumero: boleto.nossoNumero,
            dueDate: (boleto.dueDate ?? frozen.dueDate).description, amount: frozen.amount, paidAmount: 0,
            barcode: boleto.barcode.description, digitableLine: boleto.digitableLine.formatted,
            payerDocumentNumber: frozen.payerDocument?.value, referenceID: frozen.referenceID,
            issuerResponseCode: nil, bankResponseCode: nil,
            details: BoletoDetails(
                queueURL: frozen.queueURL, webhookURL: frozen.webhookURL, instructions: frozen.instructions,
                payerName: frozen.payerName, payerDocumentType: frozen.payerDocument?.kind.rawValue,
                payerAddress: frozen.payerAddress, companyName: frozen.companyName,
                companyDocumentNumber: frozen.companyDocument?.value, companyAddress: frozen.companyAddress,
                interest: nil, fine: nil, externalID: frozen.externalID,
                register: frozen.register, sandboxScenario: plan.scenario,
                beneficiaryDocument: frozen.beneficiaryDocument, cnab: plan.cnab?.settings, beneficiaryName: plan.beneficiaryName,
                pixPayload: try plan.pix.map { try Self.pixPayload($0, amount: frozen.amount, txid: String(boletoID.dropFirst(4))) },
                bankFields: provider.bankFields, terms: frozen.terms, carne: carne),
            createdAt: timestamp, updatedAt: timestamp)
        if frozen.register, let validating = provider.registrar as? any RegistrationValidating {
            let problems = validating.problems(in: try RegistrationRequest(record, input: input, boleto: boleto))
            if !problems.isEmpty { throw ServiceError.invalid(problems.map(FieldError.provider)) }
        }
        if let cnab = plan.cnab, frozen.register { try Self.checkRemessa(record, cnab) }
        return record
    }

    /// Runs the create flow: resolve the configuration, allocate the title id, compute the barcode, write the
    /// boleto and its register job in one transaction, then try the bank within the deadline.
    func create(_ request: CreateBoletoRequest, clientID: String, scenario: String?,
                idempotency: (clientID: String, key: String)?) async throws -> BoletoRecord {
        let plan = try await plan(request, clientID: clientID, scenario: scenario)
        let now = Date()
        let registerAt = now.addingTimeInterval(Double(settings.registerDeadline.milliseconds) / 1000 + 1)
        let stage = settings.stage
        let boletoID = Identifiers.make("bol")
        // The synchronous attempt below is attempt 1, counted here already: a worker that claims the job before that
        // attempt's outcome is written still numbers its own attempt 2, so the bank sees at most
        // BOLETO_REGISTER_MAX_ATTEMPTS calls.
        var registerJob = OutboxJob(kind: .register, boletoID: boletoID, availableAt: registerAt)
        registerJob.attempts = 1
        let job = registerJob
        let record: BoletoRecord
        do {
            record = try await store.createBoleto(account: plan.beneficiaryAccount, requestedTitleID: request.titleID,
                                                  idempotency: idempotency) { titleID in
                let record = try Self.record(plan, titleID: titleID, boletoID: boletoID, now: now, stage: stage)
                return (record, StatusMachine.issue(record, registerJob: plan.registersOnline ? job : nil))
            }
        } catch StoreError.duplicate(let field) {
            throw ServiceError.conflict("\(field) is already used in this beneficiary account.", field: field)
        }
        metrics.boletoCreated(issuer: plan.issuer)
        logger.info("boleto issued", metadata: ["boleto_id": .string(record.id), "issuer": .string(plan.issuer),
                                                 "title_id": .stringConvertible(record.titleID)])
        guard plan.registersOnline else { return record }
        // The boleto and its job are committed: whatever happens now, the answer is 201 and the worker carries on.
        do {
            return try await register(job: job, attempt: 1, deadline: settings.registerDeadline, current: record).record ?? record
        } catch {
            logger.error("synchronous registration attempt failed; the worker will retry",
                         metadata: ["boleto_id": .string(record.id), "error": .string(String(describing: type(of: error)))])
            return (try? await store.boleto(id: record.id, clientID: nil)) ?? record
        }
    }

    // MARK: Register

    /// The result of one registration attempt: the boleto afterwards, and whether the attempt should be retried
    /// (a transient failure with attempts left).
    struct Attempt: Sendable {
        var record: BoletoRecord?
        var retry = false
    }

    /// One registration attempt for the boleto of `job`. With `reschedule`, a retry is scheduled on the outbox row
    /// (database queue); without, the caller schedules it (the SQS consumer changes the message's visibility).
    /// `current` is the boleto as the caller just wrote it (the create path), which saves reading it again.
    @discardableResult
    func register(job: OutboxJob, attempt: Int, deadline: Duration, reschedule: Bool = true,
                  current: BoletoRecord? = nil) async throws -> Attempt {
        let found: BoletoRecord?
        if let current { found = current } else { found = try await store.boleto(id: job.boletoID, clientID: nil) }
        guard let record = found else {
            try await store.completeJob(id: job.id)
            return Attempt(record: nil)
        }
        guard record.status.awaitsRegistration else {
            try await store.completeJob(id: job.id)
            return Attempt(record: record)
        }
        guard let registrar = providers.entry(for: record.issuer, bank: record.bank)?.registrar else {
            return Attempt(record: try await deadLetter(job, attempts: attempt, reason: "No online provider for the issuer.", status: record.status))
        }
        let request = try RegistrationRequest(record)
        let started = ContinuousClock.now
        let outcome = await withDeadline(deadline) { await registrar.register(request) }
            ?? .transient(reason: "The bank did not answer within \(deadline.milliseconds) ms.")
        metrics.registrationAttempt(issuer: record.issuer, outcome: Self.label(outcome), duration: ContinuousClock.now - started)
        logger.info("registration attempt", metadata: ["boleto_id": .string(record.id), "attempt": .stringConvertible(attempt),
                                                        "outcome": .string(Self.label(outcome))])
        return try await apply(outcome, job: job, attempt: attempt, reschedule: reschedule, current: current)
    }

    static func label(_ outcome: RegistrationOutcome) -> String {
        switch outcome {
        case .registered: "registered"
        case .alreadyRegistered: "already_registered"
        case .refused: "refused"
        case .transient: "transient"
        case .misconfigured: "misconfigured"
        }
    }

    /// `current` is the boleto as the caller holds it (the create path's), for a compare-and-set of the outcome.
    private func apply(_ outcome: RegistrationOutcome, job: OutboxJob, attempt: Int, reschedule: Bool,
                       current: BoletoRecord?) async throws -> Attempt {
        switch outcome {
        case .registered, .alreadyRegistered:
            var detail: [(String, JSON)] = [("attempt", .int(Int64(attempt)))]
            var code = "0"
            if case .alreadyRegistered(let bankCode, _) = outcome {
                code = bankCode
                detail += [("issuer_response_code", .string(bankCode)), ("reconciled", .bool(true))]
            }
            let responseCode = code
            var bankURL: String?, bankPix: String?
            if case .registered(_, _, _, let url, let pix) = outcome { (bankURL, bankPix) = (url, pix) }
            let link = bankURL, pix = bankPix
            return Attempt(record: try await transition(job.boletoID, to: .registered, detail: .object(detail),
                                                        expected: current, mutate: {
                                                            $0.issuerResponseCode = responseCode
                                                            if let link { $0.details.bankURL = link }
                                                            // The bank's PIX code is the one it will settle.
                                                            if let pix { $0.details.pixPayload = pix }
                                                        }))
        case .refused(let code, let message):
            return Attempt(record: try await transition(
                job.boletoID, to: .refused,
                detail: .object([("attempt", .int(Int64(attempt))), ("issuer_response_code", .string(code)), ("message", .string(message))]),
                expected: current, mutate: { $0.issuerResponseCode = code }))
        case .transient(let reason):
            let record = try await markPending(job.boletoID, attempt: attempt, reason: reason)
            if attempt >= settings.registerMaxAttempts {
                return Attempt(record: try await deadLetter(job, attempts: attempt, reason: reason, status: record?.status ?? .pendingRegistration))
            }
            if reschedule {
                let next = Date().addingTimeInterval(Double(backoff.delay(afterAttempt: attempt).milliseconds) / 1000)
                try await store.rescheduleJob(id: job.id, attempts: attempt, availableAt: Timestamp.format(next), lastError: reason)
            }
            return Attempt(record: record, retry: true)
        case .misconfigured(let reason):
            let record = try await markPending(job.boletoID, attempt: attempt, reason: reason)
            return Attempt(record: try await deadLetter(job, attempts: attempt, reason: "Provider misconfigured: " + reason,
                                                        status: record?.status ?? .pendingRegistration))
        }
    }

    /// A failed attempt: `issued` becomes `pending_registration` (a status change, notified); a boleto already
    /// pending gets an event only.
    private func markPending(_ boletoID: String, attempt: Int, reason: String) async throws -> BoletoRecord? {
        let detail = JSON.object([("attempt", .int(Int64(attempt))), ("reason", .string(reason))])
        let current = try await store.boleto(id: boletoID, clientID: nil)
        if current?.status == .issued {
            return try await transition(boletoID, to: .pendingRegistration, detail: detail)
        }
        return try await store.updateBoleto(id: boletoID, clientID: nil) { record in
            var change = BoletoChange()
            // Settled meanwhile (another attempt won): a late failure of this one is not part of its history.
            guard record.status.awaitsRegistration else { return change }
            change.events = [BoletoEvent(boletoID: record.id, kind: .registrationAttemptFailed, status: record.status,
                                         detail: detail.text)]
            return change
        }
    }

    func deadLetter(_ job: OutboxJob, attempts: Int, reason: String, status: BoletoStatus) async throws -> BoletoRecord? {
        let event = BoletoEvent(boletoID: job.boletoID, kind: .deadLettered(job.kind),
                                status: status, detail: JSON.object([("attempts", .int(Int64(attempts))),
                                                                      ("reason", .string(reason))]).text)
        try await store.deadLetterJob(job, attempts: attempts, lastError: reason, event: event)
        metrics.deadLettered(kind: job.kind)
        logger.warning("job dead-lettered", metadata: ["boleto_id": .string(job.boletoID), "kind": .string(job.kind.rawValue),
                                                        "attempts": .stringConvertible(attempts)])
        return try await store.boleto(id: job.boletoID, clientID: nil)
    }

    // MARK: Transitions

    /// Moves a boleto to `status` through the ``StatusMachine``, in one transaction with its event, notifications and
    /// job removal; `mutate` records what the move came with (a bank's code) and runs only when the move is allowed.
    /// Answers the boleto as it is afterwards (unchanged when the move was not allowed), or nil when there is no such
    /// boleto.
    @discardableResult
    func transition(_ boletoID: String, clientID: String? = nil, to status: BoletoStatus, detail: JSON,
                    expected: BoletoRecord? = nil,
                    mutate: @escaping @Sendable (inout BoletoRecord) -> Void = { _ in }) async throws -> BoletoRecord? {
        let schedule = settings.reconcile
        let change: @Sendable (inout BoletoRecord) throws -> BoletoChange = { record in
            var change = BoletoChange()
            // A registration schedules its first query here, so a burst of registrations is not a burst of
            // scheduling work for the reconciler a moment later.
            if status == .registered, let due = CalendarDate(iso: record.dueDate) {
                change.firstReconcile = schedule.next(after: Date(), dueDate: due)
            }
            if StatusMachine.move(&record, to: status, detail: detail, at: Timestamp.now(), into: &change) { mutate(&record) }
            return change
        }
        // A boleto the caller holds as it is stored (the create path's) is changed by compare-and-set where the store
        // can; the rest lock the row.
        let updated = if let expected, expected.id == boletoID, clientID == nil {
            try await store.updateBoleto(expected: expected, change)
        } else {
            try await store.updateBoleto(id: boletoID, clientID: clientID, change)
        }
        if let updated, updated.status == status { metrics.statusChanged(to: status) }
        return updated
    }
}
