import Foundation

/// Carnês: a series of installments issued with one request, all or nothing.
extension BoletoService {
    /// The most and fewest installments a carnê has.
    static let carneInstallments = 2...60

    /// Issues one boleto per request (each an installment with its own due date and amount, the rest shared) in one
    /// transaction with the carnê's row: a refusal of any installment (a bank's field rule, a duplicate) writes none.
    /// Each registered-online installment gets its register job, run by the worker (a carnê answers at once rather
    /// than waiting for N bank calls); the owner is notified as each is registered.
    func createCarne(_ requests: [CreateBoletoRequest], clientID: String, scenario: String?,
                     idempotency: (clientID: String, key: String)?) async throws -> (carne: CarneRecord, boletos: [BoletoRecord]) {
        guard let head = requests.first, Self.carneInstallments.contains(requests.count) else {
            throw ServiceError.invalid([.invalid("installments", "installments: a carnê has 2 to 60 installments.")])
        }
        // The installments differ only in due date and amount: the configuration and provider are resolved once.
        let first = try await plan(head, clientID: clientID, scenario: scenario)
        let plans = requests.map(first.installment)
        let now = Date(), stage = settings.stage
        let carneID = Identifiers.make("crn")
        let boletoIDs = plans.map { _ in Identifiers.make("bol") }
        let carne = CarneRecord(id: carneID, clientID: clientID, boletoIDs: boletoIDs, createdAt: Timestamp.format(now))
        let boletos: [BoletoRecord]
        do {
            boletos = try await store.createCarne(carne, account: first.beneficiaryAccount, count: plans.count,
                                                  idempotency: idempotency) { titleIDs in
                try zip(plans.indices, titleIDs).map { index, titleID in
                    let record = try Self.record(plans[index], titleID: titleID, boletoID: boletoIDs[index], now: now, stage: stage,
                                                 carne: CarneInstallment(id: carneID, number: index + 1, count: plans.count))
                    let job = plans[index].registersOnline ? OutboxJob(kind: .register, boletoID: record.id) : nil
                    return (record, StatusMachine.issue(record, registerJob: job))
                }
            }
        } catch StoreError.duplicate(let field) {
            throw ServiceError.conflict("\(field) is already used in this beneficiary account.", field: field)
        }
        for _ in boletos { metrics.boletoCreated(issuer: first.issuer) }
        logger.info("carnê issued", metadata: ["carne_id": .string(carneID), "installments": .stringConvertible(boletos.count),
                                               "issuer": .string(first.issuer)])
        return (carne, boletos)
    }
}
