import BoletoJSON
import BoletoKit
import Providers

/// Decides what a retorno's titles do to the boletos they name: the status moves, paid amounts, events and the
/// owner's notifications, and the report the upload answers. Pure: the store runs it inside the retorno's
/// transaction, on the boletos it locked.
///
/// | Event | From `issued` / `pending_registration` | From `registered` | Otherwise |
/// |---|---|---|---|
/// | `registered` | `registered` | unchanged | unchanged |
/// | `rejected` | `refused` (code and reasons kept) | event only | event only |
/// | `paid` | `registered`, then `paid` (with `payment_date`) | `paid` (with `payment_date`) | event only, reported as a conflict (the same amount on a `paid` boleto: unchanged) |
/// | `written_off` | `registered`, then `canceled` | `canceled` (a pedido de baixa's confirmation) | unchanged |
/// | `due_date_changed`, `instruction_confirmed` | event only | the boleto takes its sent `cnab` change (movement 06 for the due date, any other for the rest), else event only | event only |
/// | `rejected` of an instruction | — | the sent change is dropped (`change_refused`) | event only |
/// | other | event only | event only | event only |
///
/// A bank that reports a payment or a write-off of a title has registered it, so a boleto whose confirmation never
/// arrived passes through `registered` (two status changes, each notified). Paid amounts follow the machine's payment
/// rule (``StatusMachine/payment(of:for:)``): a paid, canceled or refused boleto's paid amount never changes.
struct RetornoApplier {
    let retornoID: String
    let configuration: ConfigurationRecord
    let retorno: CNABRetorno
    let now: String

    /// Every boleto written, and the report.
    struct Outcome: Sendable {
        var writes: [BoletoWrite] = []
        var report: JSON = .null

        /// The statuses the writes entered (for metrics), as ``StatusMachine`` recorded them.
        var entered: [BoletoStatus] { writes.flatMap(\.change.entered) }
    }

    private enum Disposition {
        case applied, unchanged(String), conflict(String)
    }

    func apply(to found: [Int64: BoletoRecord], sha256: String) -> Outcome {
        var current = found
        var changes: [Int64: BoletoChange] = [:]
        var order: [Int64] = []
        var applied: [JSON] = [], unchanged: [JSON] = [], conflicts: [JSON] = [], unknown: [JSON] = []
        for title in retorno.titles {
            let summary: [(String, JSON)] = [
                ("line", .int(Int64(title.line))), ("nosso_numero", .string(title.nossoNumero)),
                ("occurrence_code", .string(title.occurrenceCode)), ("occurrence_kind", .string(title.occurrence.kind.rawValue)),
            ]
            guard let number = title.issuerNumber, var record = current[number] else {
                unknown.append(.object(summary + [("paid_value_cents", .int(title.paidValueCents))]))
                continue
            }
            var change = changes[number] ?? BoletoChange()
            let disposition = apply(title, to: &record, change: &change)
            if changes[number] == nil { order.append(number) }
            current[number] = record
            changes[number] = change
            let entry = summary + [("boleto_id", .string(record.id)), ("status", .string(record.status.rawValue))]
            switch disposition {
            case .applied: applied.append(.object(entry))
            case .unchanged(let reason): unchanged.append(.object(entry + [("reason", .string(reason))]))
            case .conflict(let reason): conflicts.append(.object(entry + [("reason", .string(reason))]))
            }
        }
        let report = JSON.object([
            ("object", .string("retorno")), ("id", .string(retornoID)), ("external_id", .string(configuration.externalID)),
            ("bank", .string(retorno.bank)), ("layout", .string(retorno.format.rawValue)),
            ("file_date", JSON(retorno.fileDate?.description)), ("sha256", .string(sha256)),
            ("title_count", .int(Int64(retorno.titles.count))), ("applied", .array(applied)), ("unchanged", .array(unchanged)),
            ("conflicts", .array(conflicts)), ("unknown", .array(unknown)),
            ("warnings", .array(retorno.warnings.map { .object([("line", .int(Int64($0.line))), ("message", .string($0.message))]) })),
            ("created_at", .string(now)),
        ])
        let writes = order.compactMap { number in current[number].map { BoletoWrite(record: $0, change: changes[number] ?? BoletoChange()) } }
        return Outcome(writes: writes, report: report)
    }

    /// A title's PIX record (Santander 400 type 2, Bradesco type 4, Itaú type 3): its location and txid join the
    /// event, and a location becomes the boleto's BR Code, a dynamic code at that location with the beneficiary's name
    /// and city from the code it had, so the printed boleto carries the PIX charge the bank registered.
    private func applyPix(_ title: CNABTitle, to record: inout BoletoRecord, change: inout BoletoChange, detail: inout [(String, JSON)]) {
        guard let pix = title.pix else { return }
        detail += [("pix_location", .string(pix.location)), ("pix_txid", .string(pix.txid))]
        guard !pix.location.isEmpty, ![.canceled, .refused].contains(record.status),
              let current = record.details.pixPayload.flatMap({ try? PixBRCode.parse($0) }),
              let code = try? PixBRCode(url: pix.location, name: current.name, city: current.city, amountCents: record.amount),
              code.payload != record.details.pixPayload else { return }
        record.details.pixPayload = code.payload
        record.updatedAt = now
        change.changed = true
    }

    private func apply(_ title: CNABTitle, to record: inout BoletoRecord, change: inout BoletoChange) -> Disposition {
        var detail: [(String, JSON)] = [
            ("source", .string("retorno")), ("retorno_id", .string(retornoID)), ("line", .int(Int64(title.line))),
            ("occurrence_code", .string(title.occurrenceCode)), ("occurrence_kind", .string(title.occurrence.kind.rawValue)),
        ]
        func move(to status: BoletoStatus) {
            StatusMachine.move(&record, to: status, detail: .object(detail), at: now, into: &change)
        }
        func note() {
            change.events.append(BoletoEvent(boletoID: record.id, kind: .retornoOccurrence, status: record.status,
                                             detail: JSON.object(detail).text, at: now))
        }
        applyPix(title, to: &record, change: &change, detail: &detail)
        switch title.event {
        case .registered:
            guard record.status.awaitsRegistration else { return .unchanged("already \(record.status.rawValue)") }
            record.issuerResponseCode = title.occurrenceCode
            move(to: .registered)
            return .applied
        case .rejected(let reasons):
            detail.append(("reasons", .array(reasons.map(JSON.string))))
            if let pending = sentChange(of: record) {
                record.drop(pending, code: title.occurrenceCode, message: title.occurrence.description, detail: detail, at: now,
                            into: &change)
                return .applied
            }
            guard record.status.awaitsRegistration else {
                note()
                return .unchanged("rejection of an instruction for a \(record.status.rawValue) boleto; recorded as an event")
            }
            record.issuerResponseCode = title.occurrenceCode
            move(to: .refused)
            return .applied
        case .paid(_, let paidAmount, let date, let creditDate, let fee, let interest, let discount):
            detail += [("paid_amount", .int(paidAmount)), ("payment_date", JSON(date?.description)),
                       ("credit_date", JSON(creditDate?.description)), ("fee_cents", .int(fee)),
                       ("interest_cents", .int(interest)), ("discount_cents", .int(discount))]
            detail += record.paymentCheck(paid: paidAmount, on: date ?? creditDate)
            switch StatusMachine.bankPaid(&record, amount: paidAmount, date: date ?? creditDate, channel: nil, detail: .object(detail),
                                          at: now, into: &change) {
            case .applied:
                return .applied
            case .alreadyPaid:
                return .unchanged("already paid")
            case .conflict where record.status == .paid:
                note()
                return .conflict("the bank reports another payment of a paid boleto; recorded as an event, paid_amount kept")
            case .conflict:
                note()
                return .conflict("the bank reports a payment of a \(record.status.rawValue) boleto; recorded as an event, paid_amount and status kept")
            }
        case .writtenOff:
            return StatusMachine.bankSettled(&record, as: .canceled, detail: .object(detail), at: now, into: &change)
                ? .applied : .unchanged("already \(record.status.rawValue)")
        case .dueDateChanged(let date):
            detail.append(("due_date", JSON(date?.description)))
            if let pending = sentChange(of: record), pending.movement == "06" {
                record.take(pending, detail: detail, at: now, into: &change)
                return .applied
            }
            note()
            return .unchanged("recorded as an event")
        case .instructionConfirmed:
            if let pending = sentChange(of: record), pending.movement != "06", !pending.isWriteOff {
                record.take(pending, detail: detail, at: now, into: &change)
                return .applied
            }
            note()
            return .unchanged("recorded as an event")
        case .fee(let cents):
            detail.append(("fee_cents", .int(cents)))
            note()
            return .unchanged("recorded as an event")
        case .other:
            note()
            return .unchanged("recorded as an event")
        }
    }

    /// The boleto's `cnab` change that went out in a remessa and waits for this retorno's word.
    private func sentChange(of record: BoletoRecord) -> PendingChange? {
        guard record.status == .registered, let pending = record.details.pendingChange, pending.remessaID != nil else { return nil }
        return pending
    }

}
