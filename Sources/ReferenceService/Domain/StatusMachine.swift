import BoletoJSON

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

/// The one function every status change goes through: create, the registration outcomes of the synchronous attempt
/// and the worker, PATCH, cancel, remessas and retornos. It enforces the moves ``BoletoStatus`` allows and writes,
/// into the same ``BoletoChange`` (so into the same transaction), what every move brings with it:
///
/// - a `status_changed` event with the previous status and the caller's detail;
/// - the owner's notifications (a webhook and/or an SQS message), each an outbox job carrying the event's id;
/// - once registration is settled (leaving `issued`/`pending_registration` for anything but
///   `pending_registration`), the removal of the boleto's `register` job.
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
        change.events = [BoletoEvent(boletoID: record.id, type: "created", status: .issued, at: record.createdAt)]
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
        let event = BoletoEvent(boletoID: record.id, type: "status_changed", status: status, previousStatus: from,
                                detail: detail.text, at: now)
        change.changed = true
        change.events.append(event)
        change.jobs += notifications(for: record, event: event)
        if from.awaitsRegistration && !status.awaitsRegistration && !change.removeJobKinds.contains(.register) {
            change.removeJobKinds.append(.register)
        }
        change.entered.append(status)
        return true
    }

    /// The owner's notifications of a status change: a webhook and/or an SQS message, each through the outbox.
    static func notifications(for record: BoletoRecord, event: BoletoEvent) -> [OutboxJob] {
        var jobs: [OutboxJob] = []
        guard record.details.webhookURL != nil || record.details.queueURL != nil else { return jobs }
        let body = JSON.object([("boleto_id", .string(record.id)), ("status", .string(record.status.rawValue)),
                                ("reference_id", JSON(record.referenceID))]).text
        if let url = record.details.webhookURL {
            jobs.append(OutboxJob(kind: .webhook, boletoID: record.id, target: url, payload: body, eventID: event.id))
        }
        if let url = record.details.queueURL {
            jobs.append(OutboxJob(kind: .sqs, boletoID: record.id, target: url, payload: body, eventID: event.id))
        }
        return jobs
    }
}
