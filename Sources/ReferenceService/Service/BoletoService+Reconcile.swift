import BoletoJSON
import BoletoKit
import Foundation
import Providers

/// Payments without a file: the service asks the bank (``BoletoQuerier``) what became of a registered boleto, on the
/// reconciler's schedule and whenever the bank notifies it, and applies the answer through ``QueryApplier``.
extension BoletoService {
    /// The adapter that can ask the bank about `record`, when its issuer has one.
    func querier(for record: BoletoRecord) -> (any BoletoQuerier)? {
        providers.entry(for: record.issuer, bank: record.bank)?.registrar as? any BoletoQuerier
    }

    /// The worker's `reconcile` job. A job not yet scheduled (no attempt: queued where the schedule was not known) is
    /// only scheduled. A scheduled one waits for its bank's slot
    /// (``QueryPacer``), asks the bank, applies the answer, and is scheduled again, until the boleto leaves
    /// `registered` (the status machine removes the job) or the schedule's horizon passes (a `reconciliation_stopped`
    /// event). A boleto whose issuer cannot be asked has its job removed. A job a notification queued says so in its
    /// `target`, and its query is recorded as the notification's.
    func reconcile(job: OutboxJob) async throws {
        guard let record = try await store.boleto(id: job.boletoID, clientID: nil), record.status == .registered,
              let querier = querier(for: record), let due = CalendarDate(iso: record.dueDate) else {
            try await store.completeJob(id: job.id)
            return
        }
        var result = "scheduled"
        if job.attempts > 0 {
            try await pacer.wait(record.issuer)
            let source: QueryApplier.Source = job.target == QueryApplier.Source.notification.rawValue ? .notification : .reconciler
            let (updated, outcome) = try await ask(querier, about: record, source: source)
            guard updated?.status == .registered else {
                try await store.completeJob(id: job.id)
                return
            }
            result = "last query: \(QueryApplier.label(outcome))"
        }
        guard let next = settings.reconcile.next(after: Date(), dueDate: due) else {
            try await stopReconciling(record.id)
            return
        }
        guard job.target.isEmpty else {
            // A notification's job goes back on the schedule as a plain one.
            _ = try await store.updateBoleto(id: record.id, clientID: nil) { current in
                var change = BoletoChange()
                guard current.status == .registered else { return change }
                var scheduled = OutboxJob(kind: .reconcile, boletoID: current.id, availableAt: next)
                scheduled.attempts = job.attempts + 1
                change.jobs = [scheduled]
                change.removeJobKinds = [.reconcile]
                return change
            }
            return
        }
        try await store.rescheduleJob(id: job.id, attempts: job.attempts + 1, availableAt: Timestamp.format(next), lastError: result)
    }

    /// Asks the bank about `record` once and applies the answer in one transaction (``QueryApplier``). Answers the
    /// boleto afterwards and what the bank said.
    @discardableResult
    func ask(_ querier: any BoletoQuerier, about record: BoletoRecord,
             source: QueryApplier.Source) async throws -> (BoletoRecord?, QueryOutcome) {
        let request = try RegistrationRequest(record)
        let limit = settings.providerTimeout
        let outcome = await withDeadline(limit) { await querier.query(request) }
            ?? .transient(reason: "The bank did not answer within \(limit.milliseconds) ms.")
        metrics.bankQuery(issuer: record.issuer, source: source.rawValue, outcome: QueryApplier.label(outcome))
        logger.info("bank queried", metadata: ["boleto_id": .string(record.id), "source": .string(source.rawValue),
                                                "outcome": .string(QueryApplier.label(outcome))])
        let updated = try await store.updateBoleto(id: record.id, clientID: nil) { current in
            QueryApplier(outcome: outcome, source: source, now: Timestamp.now()).apply(to: &current)
        }
        if let updated, updated.status != record.status { metrics.statusChanged(to: updated.status) }
        return (updated, outcome)
    }

    /// The horizon passed: the boleto's job is removed, with a `reconciliation_stopped` event. A notification from the
    /// bank still brings a query.
    private func stopReconciling(_ boletoID: String) async throws {
        let horizon = settings.reconcile.horizonDays
        _ = try await store.updateBoleto(id: boletoID, clientID: nil) { record in
            var change = BoletoChange()
            change.removeJobKinds = [.reconcile]
            guard record.status == .registered else { return change }
            change.events = [BoletoEvent(boletoID: record.id, kind: .reconciliationStopped, status: record.status,
                                         detail: JSON.object([("reason", .string("horizon")), ("horizon_days", .int(Int64(horizon)))]).text)]
            return change
        }
    }

    /// A bank's notification about the titles `titleIDs` of `issuers`: each `registered` boleto among them has its
    /// reconcile job brought forward to now, armed, so the worker asks the bank (within the bank's pace) and applies
    /// only what the bank answers. The notification's own claims (paid, amounts) are never applied. Answers how many
    /// boletos were queued.
    func noticeFromBank(issuers: [String], titleIDs: [Int64]) async throws -> Int {
        var queued = 0
        for titleID in titleIDs {
            for issuer in issuers {
                for record in try await store.boletos(issuer: issuer, titleID: titleID, limit: 10) where record.status == .registered {
                    let updated = try await store.updateBoleto(id: record.id, clientID: nil) { current in
                        var change = BoletoChange()
                        guard current.status == .registered else { return change }
                        var job = OutboxJob(kind: .reconcile, boletoID: current.id)
                        job.attempts = 1
                        job.target = QueryApplier.Source.notification.rawValue
                        change.jobs = [job]
                        change.removeJobKinds = [.reconcile]
                        return change
                    }
                    if updated?.status == .registered { queued += 1 }
                }
            }
        }
        return queued
    }
}
