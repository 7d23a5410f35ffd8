import BoletoJSON
import BoletoKit
import Providers

/// A change of a registered boleto that its bank has not confirmed yet: an alteration (due date, amount, discounts,
/// abatimento, protest or write-off) or, for `cnab` boletos, a pedido de baixa. At most one per boleto; it lives in
/// the boleto's details until the bank answers, then the boleto takes it (``BoletoRecord/take(_:at:into:)``) or drops
/// it with a `change_refused` event.
public struct PendingChange: Sendable, Hashable, Codable {
    /// `chg_…`, named in the change's events and notifications.
    public var id: String
    /// What changes; nil for a pedido de baixa.
    public var alteration: BoletoAlteration?
    /// The request fields it touches, in the API's names.
    public var fields: [String]
    public var requestedAt: String
    /// For `cnab` boletos: the remessa movement that carries it, and the remessa it went out in (nil until then).
    public var movement: String?
    public var remessaID: String?

    /// Whether it is a pedido de baixa.
    public var isWriteOff: Bool { alteration == nil }
}

extension BoletoRecord {
    /// Whether the next remessa of its account carries it: an entry to register, or a change not sent yet.
    var waitsForRemessa: Bool {
        switch status {
        case .issued: details.register
        case .registered: details.pendingChange.map { $0.movement != nil && $0.remessaID == nil } ?? false
        default: false
        }
    }

    /// The boleto as `alteration` leaves it: due date, amount, terms, and the barcode, digitable line and (for a BR
    /// Code of our own) PIX amount that follow from them. Throws what BoletoKit finds wrong with the new barcode.
    func altered(by alteration: BoletoAlteration) throws(BoletoError) -> BoletoRecord {
        var record = self
        if let due = alteration.dueDate { record.dueDate = due.description }
        if let amount = alteration.amountCents { record.amount = amount }
        let terms = alteration.applied(to: self.terms)
        record.details.terms = terms.isEmpty ? nil : terms
        record.details.interest = nil
        record.details.fine = nil
        if alteration.dueDate != nil || alteration.amountCents != nil {
            let boleto = try Boleto(ProviderDirectory.input(record))
            record.barcode = boleto.barcode.description
            record.digitableLine = boleto.digitableLine.formatted
        }
        if let amount = alteration.amountCents, let payload = details.pixPayload, let code = try? PixBRCode.parse(payload),
           let key = code.key,
           let rebuilt = try? PixBRCode(key: key, name: code.name, city: code.city, amountCents: amount, txid: code.txid,
                                        info: code.info, postalCode: code.postalCode, singleUse: code.singleUse) {
            record.details.pixPayload = rebuilt.payload
        }
        return record
    }
}

extension BoletoRecord {
    /// The boleto takes its pending change, confirmed by the bank: the new values (and barcode), a `changed` event
    /// naming the change, its fields and what they were, and the owner's notifications. A change that no longer makes
    /// a valid barcode is dropped instead (``drop(_:code:message:detail:at:into:)``).
    mutating func take(_ pending: PendingChange, detail: [(String, JSON)] = [], at now: String, into change: inout BoletoChange) {
        var previous: [(String, JSON)] = []
        if let alteration = pending.alteration {
            guard let altered = try? altered(by: alteration) else {
                drop(pending, code: "BARCODE", message: "The change no longer makes a valid barcode.", detail: detail, at: now, into: &change)
                return
            }
            if alteration.dueDate != nil { previous.append(("previous_expiration_date", .string(dueDate))) }
            if alteration.amountCents != nil { previous.append(("previous_amount", .int(amount))) }
            self = altered
        }
        details.pendingChange = nil
        updatedAt = now
        change.changed = true
        if !change.removeJobKinds.contains(.alter) { change.removeJobKinds.append(.alter) }
        let event = BoletoEvent(boletoID: id, kind: .changed, status: status, detail: JSON.object(
            [("change_id", .string(pending.id)), ("fields", .array(pending.fields.map(JSON.string)))] + previous + detail).text, at: now)
        change.events.append(event)
        change.jobs += StatusMachine.notifications(for: self, event: event, change: pending.id)
    }

    /// The bank refused the pending change (or it cannot be carried out): the boleto stays as it was, with a
    /// `change_refused` event naming the change and the bank's code, and the owner's notifications.
    mutating func drop(_ pending: PendingChange, code: String, message: String, detail: [(String, JSON)] = [], at now: String,
                       into change: inout BoletoChange) {
        details.pendingChange = nil
        updatedAt = now
        change.changed = true
        if !change.removeJobKinds.contains(.alter) { change.removeJobKinds.append(.alter) }
        let event = BoletoEvent(boletoID: id, kind: .changeRefused, status: status, detail: JSON.object(
            [("change_id", .string(pending.id)), ("fields", .array(pending.fields.map(JSON.string))),
             ("issuer_response_code", .string(code)), ("message", .string(message))] + detail).text, at: now)
        change.events.append(event)
        change.jobs += StatusMachine.notifications(for: self, event: event, change: pending.id)
    }
}
