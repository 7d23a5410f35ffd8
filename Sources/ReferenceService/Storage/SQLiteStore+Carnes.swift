import SQLiteNIO

extension SQLiteStore {
    public func createCarne(_ carne: CarneRecord, account: BeneficiaryAccount, count: Int, idempotency: (clientID: String, key: String)?,
                            make: @escaping @Sendable ([Int64]) throws -> [(BoletoRecord, BoletoChange)]) async throws -> [BoletoRecord] {
        try await transaction { db in
            var titleIDs: [Int64] = []
            for _ in 0..<count { titleIDs.append(try await Self.allocateTitle(db, account)) }
            let made = try make(titleIDs)
            try await TransactionScripts.insertCarne(SQLiteTransaction(connection: db), carne, made, idempotency: idempotency)
            return made.map(\.0)
        }
    }

    public func carne(clientID: String?, id: String) async throws -> (carne: CarneRecord, boletos: [BoletoRecord])? {
        try await transaction(deferred: true) { db in
            guard let carne = try await TransactionScripts.carne(SQLiteTransaction(connection: db), clientID: clientID, id: id) else { return nil }
            var boletos: [BoletoRecord] = []
            for boletoID in carne.boletoIDs {
                if let boleto = try await Self.boleto(db, id: boletoID, clientID: clientID) { boletos.append(boleto) }
            }
            return (carne, boletos)
        }
    }
}
