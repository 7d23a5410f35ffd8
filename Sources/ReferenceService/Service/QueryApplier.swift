import BoletoJSON
import Providers

/// Decides what a bank's answer to a query does to the boleto asked about. Pure: the store runs it inside the
/// boleto's transaction, on the row it locked.
///
/// Every answer is a `bank_queried` event (what was asked, by whom, and what the bank said). Then:
///
/// | The bank says | From `issued` / `pending_registration` | From `registered` | Otherwise |
/// |---|---|---|---|
/// | open | `registered` | unchanged | unchanged |
/// | paid | `registered`, then `paid` | `paid`, with `paid_amount`, `payment_date`, `payment_channel` | unchanged; a `canceled` or `refused` boleto, or another amount on a `paid` one, is a `conflict` in the event |
/// | written off | `registered`, then `canceled` | `canceled` | unchanged |
/// | anything else, not found, an error | unchanged | unchanged | unchanged |
///
/// A bank that holds a title has registered it, so a boleto whose confirmation never arrived passes through
/// `registered`, as with a retorno (``RetornoApplier``). Paid amounts follow the machine's payment rule
/// (``StatusMachine/payment(of:for:)``). The service never believes a notification's body: only this answer, from
/// the bank's own API, changes a boleto.
struct QueryApplier {
    /// Why the bank was asked.
    enum Source: String, Sendable {
        /// The reconciler's schedule.
        case reconciler
        /// A notification from the bank (its body is only a hint of which boleto to ask about).
        case notification
    }

    let outcome: QueryOutcome
    let source: Source
    let now: String

    /// The outcome's name, for events, metrics and the job's last result.
    static func label(_ outcome: QueryOutcome) -> String {
        switch outcome {
        case .found: "found"
        case .notFound: "not_found"
        case .refused: "refused"
        case .transient: "transient"
        case .misconfigured: "misconfigured"
        }
    }

    func apply(to record: inout BoletoRecord) -> BoletoChange {
        var detail: [(String, JSON)] = [("source", .string(source.rawValue)), ("outcome", .string(Self.label(outcome)))]
        switch outcome {
        case .found(let status, _, _, let state, let payment):
            detail += [("bank_status", .string(status)), ("state", .string(state.rawValue))]
            if let payment {
                detail += [("paid_amount", .int(payment.amountCents)), ("payment_date", JSON(payment.date?.description)),
                           ("payment_channel", JSON(payment.channel))]
                detail += record.paymentCheck(paid: payment.amountCents, on: payment.date)
            }
        case .notFound:
            break
        case .refused(let code, let message):
            detail += [("issuer_response_code", .string(code)), ("message", .string(message))]
        case .transient(let reason), .misconfigured(let reason):
            detail.append(("reason", .string(reason)))
        }
        let queried = record.status
        var change = BoletoChange()
        if case .found(_, _, _, let state, let payment) = outcome {
            if let conflict = settle(state, payment, &record, detail: detail, into: &change) {
                detail.append(("conflict", .string(conflict)))
            }
        }
        change.events.insert(BoletoEvent(boletoID: record.id, kind: .bankQueried, status: queried,
                                         detail: JSON.object(detail).text, at: now), at: 0)
        return change
    }

    /// Applies what the bank holds; answers why a report could not be applied, when it contradicts the boleto.
    private func settle(_ state: TitleState, _ payment: BankPayment?, _ record: inout BoletoRecord, detail: [(String, JSON)],
                        into change: inout BoletoChange) -> String? {
        func move(to status: BoletoStatus) {
            StatusMachine.move(&record, to: status, detail: .object(detail), at: now, into: &change)
        }
        switch state {
        case .open:
            if record.status.awaitsRegistration { move(to: .registered) }
        case .writtenOff:
            StatusMachine.bankSettled(&record, as: .canceled, detail: .object(detail), at: now, into: &change)
        case .paid:
            var paidDetail = detail
            if payment == nil { paidDetail.append(("paid_amount_reported", .bool(false))) }
            let result = StatusMachine.bankPaid(&record, amount: payment?.amountCents ?? record.amount, date: payment?.date,
                                                channel: payment?.channel, detail: .object(detail), paidDetail: .object(paidDetail),
                                                at: now, into: &change)
            guard result == .conflict else { return nil }
            return record.status == .paid ? "the bank reports another amount for a paid boleto; paid_amount kept"
                : "the bank reports a payment of a \(record.status.rawValue) boleto; status and paid_amount kept"
        case .other:
            break
        }
        return nil
    }
}
