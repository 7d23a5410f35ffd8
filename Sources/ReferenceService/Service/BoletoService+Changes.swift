import BoletoJSON
import Foundation
import Providers

extension BoletoService {
    /// `PATCH /boletos/:id`: records `paid_amount` and `bank_response_code` (0 and "" included). A paid amount that
    /// reaches the amount moves a registered boleto to `paid`. Every change is an event. The paid amount follows
    /// ``StatusMachine/payment(of:for:)``: changing it on a paid, canceled or refused boleto is a conflict (409)
    /// and changes nothing, not even the `bank_response_code` sent with it.
    func update(id: String, clientID: String, paidAmount: Int64?, bankResponseCode: String??) async throws -> BoletoRecord? {
        let updated = try await store.updateBoleto(id: id, clientID: clientID) { record in
            var change = BoletoChange()
            var detail: [(String, JSON)] = []
            if let paidAmount {
                switch StatusMachine.payment(of: paidAmount, for: record) {
                case .unchanged: break
                case .refused(let reason): throw ServiceError.conflict(reason, field: "paid_amount")
                case .allowed(let payment):
                    detail += [("paid_amount", .int(paidAmount)), ("previous_paid_amount", .int(record.paidAmount))]
                    record.record(payment)
                }
            }
            if let code = bankResponseCode, code != record.bankResponseCode {
                detail += [("bank_response_code", JSON(code)), ("previous_bank_response_code", JSON(record.bankResponseCode))]
                record.bankResponseCode = code
            }
            guard !detail.isEmpty else { return change }
            record.updatedAt = Timestamp.now()
            change.changed = true
            change.events.append(BoletoEvent(boletoID: record.id, kind: .updated, status: record.status,
                                             detail: JSON.object(detail).text, at: record.updatedAt))
            if record.paidAmount >= record.amount {
                StatusMachine.move(&record, to: .paid, detail: .object([("paid_amount", .int(record.paidAmount))]),
                                   at: record.updatedAt, into: &change)
            }
            return change
        }
        if updated?.status == .paid { metrics.statusChanged(to: .paid) }
        return updated
    }
}
