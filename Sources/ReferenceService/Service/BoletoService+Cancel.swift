import BoletoJSON
import Foundation
import Providers

/// What a cancel request ended with.
struct CancelResult: Sendable {
    /// The boleto afterwards.
    var record: BoletoRecord
    /// True when the bank did not answer in time: the boleto is still `registered`, and the worker keeps asking.
    var pending: Bool
}

extension BoletoService {
    /// `POST /boletos/:id/cancel`: `issued` (not being registered) and `registered` boletos become `canceled`; a
    /// registered one only once its provider confirms. Canceling a canceled boleto answers it unchanged.
    ///
    /// A registered boleto's cancel is reconciled like a registration. Before the bank is asked, a `cancel` job is
    /// written (hidden until the deadline has passed), so the request is on record however the call ends:
    ///
    /// | the bank answers | the boleto | the `cancel` job |
    /// |---|---|---|
    /// | written off | `canceled` | removed |
    /// | already written off (``CancellationOutcome/alreadyCanceled(code:message:)``), a retry of our own request | `canceled`, reconciled | removed |
    /// | refused (paid, unknown) | unchanged, 409 | removed, a `cancel_refused` event |
    /// | nothing in time | unchanged (`pending` true, 202) | kept: the worker asks again with backoff, and a client's retry asks at once |
    ///
    /// A registered `cnab` boleto's cancel is a pedido de baixa (movement 02) in its account's next remessa (202, the
    /// boleto's ``PendingChange``); the retorno's baixa moves it to `canceled`, a rejection drops the request.
    func cancel(id: String, clientID: String) async throws -> CancelResult {
        guard let record = try await store.boleto(id: id, clientID: clientID) else { throw ServiceError.notFound("Boleto") }
        switch record.status {
        case .canceled:
            return CancelResult(record: record, pending: false)
        case .issued:
            if try await store.jobs(boletoID: id).contains(where: { $0.kind == .register }) {
                throw ServiceError.conflict("The boleto is being registered; cancel it once its registration is settled.")
            }
            let updated = try await transition(id, clientID: clientID, to: .canceled,
                                               detail: .object([("reason", .string("canceled before registration"))])) ?? record
            return CancelResult(record: updated, pending: false)
        case .registered:
            guard let provider = providers.entry(for: record.issuer, bank: record.bank) else {
                throw ServiceError.providerUnavailable("The issuer has no provider in this service.")
            }
            if record.issuer == Issuer.cnab {
                // A pedido de baixa (movement 02) in the account's next remessa; the retorno's baixa cancels it here.
                if let pending = record.details.pendingChange {
                    if pending.isWriteOff { return CancelResult(record: record, pending: true) }
                    throw ServiceError.conflict("Change \(pending.id) (\(pending.fields.joined(separator: ", "))) waits for the bank; cancel once it is answered.")
                }
                let pending = PendingChange(id: Identifiers.make("chg"), alteration: nil, fields: ["status"], requestedAt: Timestamp.now(),
                                            movement: CNABInstructionMovements.writeOff)
                let requested = try await recordChange(record, pending, job: nil)
                metrics.change(issuer: record.issuer, result: "requested")
                return CancelResult(record: requested, pending: true)
            }
            guard let canceler = provider.registrar as? any BoletoCanceler else {
                throw ServiceError.conflict("This issuer's provider cannot cancel boletos.")
            }
            try await recordCancelRequest(record)
            let request = try RegistrationRequest(record)
            let outcome = await withDeadline(settings.registerDeadline) { await canceler.cancel(request) }
                ?? .transient(reason: "The bank did not answer within the deadline.")
            switch try await settleCancel(id, outcome: outcome) {
            case .canceled(let updated):
                return CancelResult(record: updated, pending: false)
            case .refused(let code, let message):
                throw ServiceError.conflict("The bank refused to cancel the boleto: \(message) (code \(code))", type: "provider_refused")
            case .unknown, .gone:
                return CancelResult(record: try await store.boleto(id: id, clientID: clientID) ?? record, pending: true)
            }
        case .pendingRegistration:
            throw ServiceError.conflict("The boleto's registration is still pending; cancel it once it is registered or refused.")
        case .refused, .paid:
            throw ServiceError.conflict("A \(record.status.rawValue) boleto cannot be canceled.")
        }
    }

    /// Writes the boleto's `cancel` job unless one is pending, hidden from the worker until this call's deadline has
    /// passed (the worker takes over only if the call does not settle it), with a `cancel_requested` event.
    private func recordCancelRequest(_ record: BoletoRecord) async throws {
        let hidden = Date().addingTimeInterval(Double((settings.registerDeadline + .seconds(2)).milliseconds) / 1000)
        _ = try await store.updateBoleto(id: record.id, clientID: nil) { current in
            var change = BoletoChange()
            guard current.status == .registered else { return change }
            change.events = [BoletoEvent(boletoID: current.id, kind: .cancelRequested, status: current.status)]
            change.jobs = [OutboxJob(kind: .cancel, boletoID: current.id, availableAt: hidden)]
            // One pending cancel per boleto: a retry replaces the earlier job rather than adding a second.
            change.removeJobKinds = [.cancel]
            return change
        }
    }

    /// How a cancel attempt settled.
    enum CancelSettlement: Sendable {
        case canceled(BoletoRecord)
        case refused(code: String, message: String)
        /// The bank did not say; the `cancel` job stays.
        case unknown(reason: String)
        /// The boleto is no longer registered (settled meanwhile) or gone.
        case gone
    }

    /// Applies a bank's answer to a cancel: the move to `canceled`, or the job's removal with a `cancel_refused`
    /// event; an unknown outcome changes nothing.
    func settleCancel(_ id: String, outcome: CancellationOutcome) async throws -> CancelSettlement {
        switch outcome {
        case .canceled, .alreadyCanceled:
            var detail: [(String, JSON)] = [("reason", .string("canceled at the bank"))]
            if case .alreadyCanceled(let code, let message) = outcome {
                detail = [("reason", .string("the bank had already written it off: reconciled")), ("issuer_response_code", .string(code)),
                          ("message", .string(message))]
            }
            guard let updated = try await transition(id, to: .canceled, detail: .object(detail)) else { return .gone }
            guard updated.status == .canceled else {
                throw ServiceError.conflict("The boleto changed status while it was being canceled; read it again.")
            }
            return .canceled(updated)
        case .refused(let code, let message):
            _ = try await store.updateBoleto(id: id, clientID: nil) { record in
                var change = BoletoChange()
                change.removeJobKinds = [.cancel]
                change.events = [BoletoEvent(boletoID: record.id, kind: .cancelRefused, status: record.status,
                                             detail: JSON.object([("issuer_response_code", .string(code)), ("message", .string(message))]).text)]
                return change
            }
            return .refused(code: code, message: message)
        case .transient(let reason):
            return .unknown(reason: reason)
        }
    }

    /// The worker's `cancel` job: asks the bank again until it settles (see ``cancel(id:clientID:)``), with backoff,
    /// and dead-letters the job after `BOLETO_REGISTER_MAX_ATTEMPTS`.
    func cancel(job: OutboxJob) async throws {
        let attempt = job.attempts + 1
        guard let record = try await store.boleto(id: job.boletoID, clientID: nil), record.status == .registered else {
            try await store.completeJob(id: job.id)
            return
        }
        guard let canceler = providers.entry(for: record.issuer, bank: record.bank)?.registrar as? any BoletoCanceler else {
            _ = try await deadLetter(job, attempts: attempt, reason: "No provider that cancels for the issuer.", status: record.status)
            return
        }
        let request = try RegistrationRequest(record)
        let outcome = await withDeadline(settings.providerTimeout) { await canceler.cancel(request) }
            ?? .transient(reason: "The bank did not answer within \(settings.providerTimeout.milliseconds) ms.")
        logger.info("cancel attempt", metadata: ["boleto_id": .string(record.id), "attempt": .stringConvertible(attempt)])
        guard case .unknown(let reason) = try await settleCancel(record.id, outcome: outcome) else { return }
        if attempt >= settings.registerMaxAttempts {
            _ = try await deadLetter(job, attempts: attempt, reason: reason, status: record.status)
            return
        }
        let next = Date().addingTimeInterval(Double(backoff.delay(afterAttempt: attempt).milliseconds) / 1000)
        try await store.rescheduleJob(id: job.id, attempts: attempt, availableAt: Timestamp.format(next), lastError: reason)
    }
}
