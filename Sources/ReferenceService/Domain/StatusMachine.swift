import Foundation
import BoletoJSON
import BoletoKit

/// A status move the ``StatusMachine`` allowed. Only the machine makes these (the initializer is private to this
/// file), and ``BoletoRecord/status`` changes only by entering one (``BoletoRecord/enter(_:)``), so no code path can
/// write a status the machine did not decide.
public struct StatusChange: Sendable, Hashable {
    /// The status left.
    public let from: BoletoStatus
    /// The status entered.
    public let to: BoletoStatus

    fileprivate init(from: BoletoStatus, to: BoletoStatus) {
        self.from = from
        self.to = to
    }
}

/// A paid amount the ``StatusMachine`` allowed. Like ``StatusChange``, only the machine makes these, so the paid
/// amount of a boleto changes only where the machine's payment rule was consulted.
public struct PaymentChange: Sendable, Hashable {
    /// The paid amount before, in cents.
    public let from: Int64
    /// The paid amount after, in cents.
    public let to: Int64
    /// The status the rule was applied in.
    public let status: BoletoStatus

    fileprivate init(from: Int64, to: Int64, status: BoletoStatus) {
        self.from = from
        self.to = to
        self.status = status
    }
}

/// The one function every status change goes through: create, the registration outcomes of the synchronous attempt
/// and the worker, PATCH, cancel, remessas and retornos. It enforces the moves ``BoletoStatus`` allows and writes,
/// into the same ``BoletoChange`` (so into the same transaction), what every move brings with it:
///
/// - a `status_changed` event with the previous status and the caller's detail;
/// - the owner's notifications (a webhook and/or an SQS message), each an outbox job carrying the event's id;
/// - once registration is settled (leaving `issued`/`pending_registration` for anything but
///   `pending_registration`), the removal of the boleto's `register` job;
/// - leaving `registered`, the removal of a pending `cancel` job (the title is settled either way) and of its
///   `reconcile` job;
/// - entering `registered` (issuers other than `cnab`), its `reconcile` job, which asks the bank on the reconciler's
///   schedule whether the title was paid or written off.
///
/// ```
/// issued ──► registered | refused | pending_registration | canceled
/// pending_registration ──► registered | refused
/// registered ──► paid | canceled
/// ```
public enum StatusMachine {
    /// A new boleto: it starts `issued`, with a `created` event (no notification: the creator has the answer) and,
    /// when it is to be registered online, its register job.
    static func issue(_ record: BoletoRecord, registerJob: OutboxJob?) -> BoletoChange {
        precondition(record.status == .issued, "a boleto is created issued")
        var change = BoletoChange()
        change.events = [BoletoEvent(boletoID: record.id, kind: .created, status: .issued, at: record.createdAt)]
        if let registerJob { change.jobs = [registerJob] }
        return change
    }

    /// Moves `record` to `status` if its current status allows it, at `now`: the status and `updated_at` change,
    /// and the event, notifications and job removal join `change`. Answers false, touching neither, when the move is
    /// not allowed.
    @discardableResult
    static func move(_ record: inout BoletoRecord, to status: BoletoStatus, detail: JSON, at now: String,
                     into change: inout BoletoChange) -> Bool {
        let from = record.status
        guard from.canMove(to: status) else { return false }
        record.enter(StatusChange(from: from, to: status))
        record.updatedAt = now
        let event = BoletoEvent(boletoID: record.id, kind: .statusChanged, status: status, previousStatus: from,
                                detail: detail.text, at: now)
        change.changed = true
        change.events.append(event)
        change.jobs += notifications(for: record, event: event)
        if from.awaitsRegistration && !status.awaitsRegistration && !change.removeJobKinds.contains(.register) {
            change.removeJobKinds.append(.register)
        }
        // Leaving `registered` (written off, paid) settles any pending cancel or change, and there is nothing left to
        // ask the bank about. The status event records the end of a pending change; the boleto keeps its values.
        if from == .registered {
            for kind in [JobKind.cancel, .reconcile, .alter] where !change.removeJobKinds.contains(kind) {
                change.removeJobKinds.append(kind)
            }
            record.details.pendingChange = nil
            change.jobs.removeAll { $0.kind == .reconcile }
        }
        // A title registered online is asked about on the reconciler's schedule: from `change.firstReconcile` when the
        // caller set it (the service's registration path), else the job is scheduled at its first claim; `cnab`
        // titles are reported by retornos.
        if status == .registered && record.issuer != Issuer.cnab {
            var job = OutboxJob(kind: .reconcile, boletoID: record.id, availableAt: change.firstReconcile ?? Date())
            // Scheduled by the caller: its first claim asks the bank.
            if change.firstReconcile != nil { job.attempts = 1 }
            change.jobs.append(job)
            if !change.removeJobKinds.contains(.reconcile) { change.removeJobKinds.append(.reconcile) }
        }
        change.entered.append(status)
        return true
    }

    /// A bank reports the title of `record` written off (or otherwise settled as `final`): a boleto still awaiting its
    /// registration passes through `registered`, since the bank holds the title. False when the boleto is past both.
    @discardableResult
    static func bankSettled(_ record: inout BoletoRecord, as final: BoletoStatus, detail: JSON, at now: String,
                            into change: inout BoletoChange) -> Bool {
        if record.status.awaitsRegistration { move(&record, to: .registered, detail: detail, at: now, into: &change) }
        guard record.status == .registered else { return false }
        return move(&record, to: final, detail: detail, at: now, into: &change)
    }

    /// What a bank's report of a payment did to a boleto (``bankPaid(_:amount:date:channel:detail:paidDetail:at:into:)``).
    enum BankPayment: Sendable, Hashable {
        /// The boleto is `paid` now.
        case applied
        /// The boleto was paid with this amount already; nothing changed.
        case alreadyPaid
        /// The report contradicts the boleto (another amount on a paid boleto, a payment of a canceled or refused
        /// one); nothing changed but what the boleto's registration implied.
        case conflict
    }

    /// A bank reports the title of `record` paid with `amount`, on `date`, through `channel`. A boleto still awaiting
    /// its registration passes through `registered` (with `detail`), the payment rule (``payment(of:for:)``) decides
    /// the paid amount, and a `registered` boleto becomes `paid` (with `paidDetail`, else `detail`), recording the
    /// date and channel. The one path of retornos and of bank queries.
    static func bankPaid(_ record: inout BoletoRecord, amount: Int64, date: CalendarDate?, channel: String?, detail: JSON,
                         paidDetail: JSON? = nil, at now: String, into change: inout BoletoChange) -> BankPayment {
        if record.status.awaitsRegistration { move(&record, to: .registered, detail: detail, at: now, into: &change) }
        switch payment(of: amount, for: record) {
        case .unchanged:
            if record.status == .paid { return .alreadyPaid }
        case .allowed(let payment):
            record.record(payment)
            record.updatedAt = now
            change.changed = true
        case .refused:
            break
        }
        guard record.status == .registered else { return .conflict }
        record.details.paymentDate = date?.description
        record.details.paymentChannel = channel
        move(&record, to: .paid, detail: paidDetail ?? detail, at: now, into: &change)
        return .applied
    }

    /// What the payment rule says about making `amount` (cents) the paid amount of `record`.
    enum PaymentDecision: Sendable, Hashable {
        /// The boleto already holds that amount; nothing to write.
        case unchanged
        /// The amount may be recorded.
        case allowed(PaymentChange)
        /// The amount may not be recorded, for the reason given (one sentence, no values).
        case refused(String)
    }

    /// The payment rule. A paid amount is the bank's report of money received, so it settles with the boleto:
    ///
    /// - `issued`, `pending_registration` and `registered` boletos take any amount (a partial payment, or a correction
    ///   of one, before the boleto is paid);
    /// - a `paid` boleto's paid amount never changes again, neither lowered nor raised;
    /// - `canceled` and `refused` boletos take no payment: their paid amount stays what it was when they left the
    ///   open statuses.
    ///
    /// Repeating the amount already held is not a change, so retried PATCHes and replayed retornos answer the boleto
    /// unchanged.
    static func payment(of amount: Int64, for record: BoletoRecord) -> PaymentDecision {
        guard amount != record.paidAmount else { return .unchanged }
        switch record.status {
        case .issued, .pendingRegistration, .registered:
            return .allowed(PaymentChange(from: record.paidAmount, to: amount, status: record.status))
        case .paid:
            return .refused("The boleto is paid; its paid_amount cannot be changed.")
        case .canceled, .refused:
            return .refused("A \(record.status.rawValue) boleto cannot record a payment.")
        }
    }

    /// The owner's notifications of a status change: a webhook and/or an SQS message, each through the outbox.
    /// A change's notification (`changed`, `change_refused`) also names the event and the change.
    static func notifications(for record: BoletoRecord, event: BoletoEvent, change: String? = nil) -> [OutboxJob] {
        var jobs: [OutboxJob] = []
        guard record.details.webhookURL != nil || record.details.queueURL != nil else { return jobs }
        var pairs: [(String, JSON)] = [("boleto_id", .string(record.id)), ("status", .string(record.status.rawValue)),
                                       ("reference_id", JSON(record.referenceID))]
        if let change { pairs += [("event", .string(event.type)), ("change_id", .string(change))] }
        let body = JSON.object(pairs).text
        if let url = record.details.webhookURL {
            jobs.append(OutboxJob(kind: .webhook, boletoID: record.id, target: url, payload: body, eventID: event.id))
        }
        if let url = record.details.queueURL {
            jobs.append(OutboxJob(kind: .sqs, boletoID: record.id, target: url, payload: body, eventID: event.id))
        }
        return jobs
    }
}
