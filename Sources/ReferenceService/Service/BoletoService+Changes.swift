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
            change.events.append(BoletoEvent(boletoID: record.id, type: "updated", status: record.status,
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

    /// `POST /boletos/:id/cancel`: `issued` (not being registered) and `registered` boletos become `canceled`; a
    /// registered one only once its provider confirms. Canceling a canceled boleto answers it unchanged.
    func cancel(id: String, clientID: String) async throws -> BoletoRecord {
        guard let record = try await store.boleto(id: id, clientID: clientID) else { throw ServiceError.notFound("Boleto") }
        switch record.status {
        case .canceled:
            return record
        case .issued:
            if try await store.jobs(boletoID: id).contains(where: { $0.kind == .register }) {
                throw ServiceError.conflict("The boleto is being registered; cancel it once its registration is settled.")
            }
            return try await transition(id, clientID: clientID, to: .canceled,
                                        detail: .object([("reason", .string("canceled before registration"))])) ?? record
        case .registered:
            guard let provider = providers.entry(for: record.issuer, bank: record.bank) else {
                throw ServiceError.providerUnavailable("The issuer has no provider in this service.")
            }
            if record.issuer == Issuer.cnab {
                throw ServiceError.conflict("A registered cnab boleto is canceled at the bank by a pedido de baixa in a remessa, which this service does not write yet; a retorno's baixa cancels it here.")
            }
            guard let canceler = provider.registrar as? any BoletoCanceler else {
                throw ServiceError.conflict("This issuer's provider cannot cancel boletos.")
            }
            let request = try RegistrationRequest(record)
            let outcome = await withDeadline(settings.registerDeadline) { await canceler.cancel(request) }
                ?? .transient(reason: "The bank did not answer within the deadline.")
            switch outcome {
            case .canceled:
                let updated = try await transition(id, clientID: clientID, to: .canceled,
                                                   detail: .object([("reason", .string("canceled at the bank"))])) ?? record
                guard updated.status == .canceled else {
                    throw ServiceError.conflict("The boleto changed status while it was being canceled; read it again.")
                }
                return updated
            case .refused(let code, let message):
                throw ServiceError.conflict("The bank refused to cancel the boleto: \(message) (code \(code))",
                                            type: "provider_refused")
            case .transient:
                throw ServiceError.providerUnavailable("The bank could not cancel the boleto now; nothing changed. Try again later.")
            }
        case .pendingRegistration:
            throw ServiceError.conflict("The boleto's registration is still pending; cancel it once it is registered or refused.")
        case .refused, .paid:
            throw ServiceError.conflict("A \(record.status.rawValue) boleto cannot be canceled.")
        }
    }
}
