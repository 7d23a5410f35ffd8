import BoletoJSON
import BoletoKit
import Foundation
import Providers

/// What a change request ended with.
struct AlterResult: Sendable {
    /// The boleto afterwards: changed, or still as it was with its ``PendingChange``.
    var record: BoletoRecord
    /// True while the bank has not confirmed the change (a `cnab` boleto's next remessa and retorno, or an online bank
    /// that did not answer in time).
    var pending: Bool
}

extension BoletoService {
    /// `PATCH /boletos/:id` with `expiration_date`, `amount`, `discounts`, `abatement`, `protest_days` or
    /// `write_off_days`: a change of a registered boleto, carried to its bank.
    ///
    /// | issuer | how | answer |
    /// |---|---|---|
    /// | online bank with a change API (sandbox, `bb`, `itau`, `caixa`) | the bank's call, within the deadline; an `alter` job retries an unanswered one | 200 changed, 409 refused, 202 pending |
    /// | `cnab` | one instruction movement in the account's next remessa; the retorno's confirmation applies it | 202 pending |
    /// | a bank without a change call for the field (`bradesco`, a layout without the movement) | nothing is sent | 409 naming why |
    ///
    /// The boleto keeps its values until the bank confirms; then it takes the new ones, with its barcode and digitable
    /// line computed again, a `changed` event and the owner's notifications. Each request is checked first: the
    /// boleto's rules with the new values (400 naming the field), one pending change at a time (409).
    func alter(id: String, clientID: String, alteration: BoletoAlteration) async throws -> AlterResult {
        guard let record = try await store.boleto(id: id, clientID: clientID) else { throw ServiceError.notFound("Boleto") }
        guard record.status == .registered else {
            throw ServiceError.conflict("Only a registered boleto is changed at its bank; this one is \(record.status.rawValue)."
                                        + (record.status == .issued ? " Cancel it and issue a new one instead." : ""))
        }
        if let pending = record.details.pendingChange {
            throw ServiceError.conflict("Change \(pending.id) (\(pending.fields.joined(separator: ", "))) waits for the bank; send this one once it is answered.")
        }
        let kinds = alteration.kinds(previous: record.terms)
        guard !kinds.isEmpty else {
            throw ServiceError.invalid([.invalid("protest_days", "The boleto has no protest or write-off instruction to withdraw.")])
        }
        let altered = try Self.checked(record, alteration)
        let fields = kinds.map(\.rawValue)
        guard let provider = providers.entry(for: record.issuer, bank: record.bank) else {
            throw ServiceError.providerUnavailable("The issuer has no provider in this service.")
        }
        let now = Timestamp.now()
        if record.issuer == Issuer.cnab {
            let movement = try Self.cnabMovement(record, altered: altered, alteration: alteration, kinds: kinds)
            let pending = PendingChange(id: Identifiers.make("chg"), alteration: alteration, fields: fields, requestedAt: now,
                                        movement: movement)
            let requested = try await recordChange(record, pending, job: nil)
            metrics.change(issuer: record.issuer, result: "requested")
            return AlterResult(record: requested, pending: true)
        }
        guard let alterer = provider.registrar as? any BoletoAlterer else {
            throw ServiceError.conflict("\(record.issuer) boletos cannot be changed through this service: its \(record.bank) adapter has no change call (the bank's API as the sources describe it).")
        }
        let missing = kinds.filter { !alterer.alterable.contains($0) }
        guard missing.isEmpty else {
            throw ServiceError.conflict("The \(record.issuer) bank API does not change \(missing.map(\.rawValue).joined(separator: ", ")) on a registered title.",
                                        field: missing[0].rawValue)
        }
        guard alterer.carriesSeveralKinds || kinds.count == 1 else {
            throw ServiceError.conflict("The \(record.issuer) bank API takes one instruction per call: send \(fields.joined(separator: ", ")) as separate changes.",
                                        field: fields[1])
        }
        if let validating = provider.registrar as? any RegistrationValidating {
            let problems = validating.problems(in: try RegistrationRequest(altered))
            if !problems.isEmpty { throw ServiceError.invalid(problems.map(FieldError.provider)) }
        }
        let pending = PendingChange(id: Identifiers.make("chg"), alteration: alteration, fields: fields, requestedAt: now)
        let hidden = Date().addingTimeInterval(Double((settings.registerDeadline + .seconds(2)).milliseconds) / 1000)
        let requested = try await recordChange(record, pending, job: OutboxJob(kind: .alter, boletoID: record.id, availableAt: hidden))
        metrics.change(issuer: record.issuer, result: "requested")
        let request = try RegistrationRequest(record)
        let outcome = await withDeadline(settings.registerDeadline) { await alterer.alter(request, alteration) }
            ?? .transient(reason: "The bank did not answer within the deadline.")
        switch try await settleAlteration(record.id, issuer: record.issuer, pending: pending, outcome: outcome) {
        case .taken(let updated):
            return AlterResult(record: updated, pending: false)
        case .refused(let code, let message):
            throw ServiceError.conflict("The bank refused the change: \(message) (code \(code))", type: "provider_refused")
        case .unknown:
            return AlterResult(record: try await store.boleto(id: record.id, clientID: clientID) ?? requested, pending: true)
        }
    }

    /// The boleto as the change would leave it, checked as a new boleto would be: a due date not in the past, the
    /// terms' rules with the new due date and amount (new discounts not ending before today), and a barcode. Each
    /// broken rule is a 400 naming its field.
    static func checked(_ record: BoletoRecord, _ alteration: BoletoAlteration) throws -> BoletoRecord {
        let today = CalendarDate.todayInSaoPaulo()
        var errors: [FieldError] = []
        if let due = alteration.dueDate, due < today {
            errors.append(.invalid("expiration_date", "expiration_date must not be before today (\(today))."))
        }
        for (index, discount) in (alteration.discounts ?? []).enumerated() where discount.until < today {
            errors.append(.invalid("discounts[\(index)].until", "discounts[\(index)].until must not be before today (\(today))."))
        }
        let altered: BoletoRecord
        do { altered = try record.altered(by: alteration) } catch { throw ServiceError.invalid([.boleto(error)]) }
        if let terms = altered.terms, let due = CalendarDate(iso: altered.dueDate) {
            for problem in terms.problems(amountCents: altered.amount, dueDate: due, issueDate: record.issueDate) {
                errors.append(.invalid(problem.field, "\(problem.field) \(problem.message)"))
            }
        }
        guard errors.isEmpty else { throw ServiceError.invalid(errors) }
        return altered
    }

    /// The remessa movement of a `cnab` change: one kind per change (one movement, one confirmation in the retorno),
    /// a movement the layout has, and terms the layout carries.
    static func cnabMovement(_ record: BoletoRecord, altered: BoletoRecord, alteration: BoletoAlteration,
                             kinds: [BoletoAlteration.Kind]) throws -> String {
        guard let settings = record.details.cnab, let layout = RemessaBuilder.writer(bank: record.bank, layout: settings.layout) else {
            throw ServiceError.providerUnavailable("The boleto's remessa layout has no writer in this service.")
        }
        let name = "The \(record.bank) CNAB \(layout.format.rawValue) remessa"
        guard kinds.count == 1, let kind = kinds.first else {
            throw ServiceError.conflict("\(name) carries one instruction per change (one movement, confirmed by its own retorno occurrence): send \(kinds.map(\.rawValue).joined(separator: ", ")) as separate changes.",
                                        field: kinds[1].rawValue)
        }
        let withdrawing = switch kind {
        case .abatement: alteration.abatementCents == 0
        case .discounts: alteration.discounts?.isEmpty == true
        case .protest, .writeOff: alteration.afterDue == BoletoAlteration.AfterDue.none
        case .dueDate, .amount: false
        }
        guard let movement = layout.movement(for: kind, withdrawing: withdrawing) else {
            throw ServiceError.conflict("\(name) has no instruction movement for \(kind.rawValue)\(withdrawing ? " (withdrawn)" : "").",
                                        field: kind.rawValue)
        }
        if let terms = altered.terms, let due = CalendarDate(iso: altered.dueDate) {
            let problems = layout.termsProblems(terms, dueDate: due)
            if !problems.isEmpty { throw ServiceError.invalid(problems.map(FieldError.provider)) }
        }
        return movement
    }

    /// Writes `pending` on the boleto, with a `change_requested` event and (online) its `alter` job, if the boleto is
    /// still registered with no other change pending.
    func recordChange(_ record: BoletoRecord, _ pending: PendingChange, job: OutboxJob?) async throws -> BoletoRecord {
        let updated = try await store.updateBoleto(id: record.id, clientID: nil) { current in
            var change = BoletoChange()
            guard current.status == .registered, current.details.pendingChange == nil else {
                throw ServiceError.conflict("The boleto changed meanwhile (\(current.status.rawValue)\(current.details.pendingChange.map { ", change \($0.id) pending" } ?? "")); read it again.")
            }
            current.details.pendingChange = pending
            current.updatedAt = pending.requestedAt
            change.changed = true
            var detail: [(String, JSON)] = [("change_id", .string(pending.id)), ("fields", .array(pending.fields.map(JSON.string)))]
            if let movement = pending.movement { detail.append(("movement", .string(movement))) }
            change.events = [BoletoEvent(boletoID: current.id, kind: .changeRequested, status: current.status,
                                         detail: JSON.object(detail).text, at: pending.requestedAt)]
            if let job {
                change.jobs = [job]
                change.removeJobKinds = [job.kind]
            }
            return change
        }
        guard let updated else { throw ServiceError.notFound("Boleto") }
        logger.info("change requested", metadata: ["boleto_id": .string(record.id), "change_id": .string(pending.id),
                                                   "fields": .string(pending.fields.joined(separator: ","))])
        return updated
    }

    /// How a change settled.
    enum AlterationSettlement: Sendable {
        case taken(BoletoRecord)
        case refused(code: String, message: String)
        /// The bank did not say; the `alter` job stays (or the change is no longer pending).
        case unknown
    }

    /// Applies a bank's answer to the pending change `pending`: the boleto takes it, or drops it with a
    /// `change_refused` event; an unknown outcome changes nothing.
    func settleAlteration(_ id: String, issuer: String, pending: PendingChange, outcome: AlterationOutcome) async throws
        -> AlterationSettlement {
        let now = Timestamp.now()
        let schedule = settings.reconcile
        switch outcome {
        case .altered:
            let updated = try await store.updateBoleto(id: id, clientID: nil) { record in
                var change = BoletoChange()
                guard record.details.pendingChange?.id == pending.id else { return change }
                record.take(pending, at: now, into: &change)
                // A new due date moves the reconciler's schedule with it (its windows are counted from the due date),
                // and brings back one whose horizon had passed.
                if pending.alteration?.dueDate != nil, record.details.pendingChange == nil, let due = CalendarDate(iso: record.dueDate),
                   let next = schedule.next(after: Date(), dueDate: due) {
                    var job = OutboxJob(kind: .reconcile, boletoID: record.id, availableAt: next)
                    job.attempts = 1
                    change.jobs.append(job)
                    change.removeJobKinds.append(.reconcile)
                }
                return change
            }
            guard let updated, updated.details.pendingChange == nil, updated.status == .registered else { return .unknown }
            metrics.change(issuer: issuer, result: "changed")
            return .taken(updated)
        case .refused(let code, let message):
            _ = try await store.updateBoleto(id: id, clientID: nil) { record in
                var change = BoletoChange()
                guard record.details.pendingChange?.id == pending.id else { return change }
                record.drop(pending, code: code, message: message, at: now, into: &change)
                return change
            }
            metrics.change(issuer: issuer, result: "refused")
            return .refused(code: code, message: message)
        case .transient:
            return .unknown
        }
    }

    /// The worker's `alter` job: asks the bank again until it answers, with backoff. When the attempts run out the
    /// job is dead-lettered and the change dropped (`change_refused`, code `NO_ANSWER`): the boleto keeps the values
    /// the bank last confirmed, and the owner learns that this change did not happen.
    func alter(job: OutboxJob) async throws {
        let attempt = job.attempts + 1
        guard let record = try await store.boleto(id: job.boletoID, clientID: nil), record.status == .registered,
              let pending = record.details.pendingChange, let alteration = pending.alteration, pending.movement == nil else {
            try await store.completeJob(id: job.id)
            return
        }
        guard let alterer = providers.entry(for: record.issuer, bank: record.bank)?.registrar as? any BoletoAlterer else {
            _ = try await deadLetter(job, attempts: attempt, reason: "No provider that changes titles for the issuer.", status: record.status)
            _ = try await settleAlteration(record.id, issuer: record.issuer, pending: pending,
                                           outcome: .refused(code: "NO_PROVIDER", message: "No provider changes this issuer's titles."))
            return
        }
        let request = try RegistrationRequest(record)
        let outcome = await withDeadline(settings.providerTimeout) { await alterer.alter(request, alteration) }
            ?? .transient(reason: "The bank did not answer within \(settings.providerTimeout.milliseconds) ms.")
        logger.info("change attempt", metadata: ["boleto_id": .string(record.id), "change_id": .string(pending.id),
                                                 "attempt": .stringConvertible(attempt)])
        guard case .transient(let reason) = outcome else {
            _ = try await settleAlteration(record.id, issuer: record.issuer, pending: pending, outcome: outcome)
            return
        }
        if attempt >= settings.registerMaxAttempts {
            _ = try await deadLetter(job, attempts: attempt, reason: reason, status: record.status)
            _ = try await settleAlteration(record.id, issuer: record.issuer, pending: pending, outcome: .refused(
                code: "NO_ANSWER", message: "The bank did not answer after \(attempt) attempts; the change was not confirmed. Check the title at the bank before sending it again."))
            return
        }
        let next = Date().addingTimeInterval(Double(backoff.delay(afterAttempt: attempt).milliseconds) / 1000)
        try await store.rescheduleJob(id: job.id, attempts: attempt, availableAt: Timestamp.format(next), lastError: reason)
    }
}
