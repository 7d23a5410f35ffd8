import PostgresNIO

extension PostgresStore {
    /// The title ids are reserved first, on their own (a failed carnê skips them, as any reserved number may be
    /// skipped); then the boletos and the carnê are one transaction.
    public func createCarne(_ carne: CarneRecord, account: BeneficiaryAccount, count: Int, idempotency: (clientID: String, key: String)?,
                            make: @escaping @Sendable ([Int64]) throws -> [(BoletoRecord, BoletoChange)]) async throws -> [BoletoRecord] {
        let logger = self.logger
        let titleIDs: [Int64]
        do {
            titleIDs = try await leased { [self] db in
                let tx = PostgresTransaction(connection: db, logger: logger)
                var ids: [Int64] = []
                while ids.count < count {
                    let id = try await allocateTitle(db, account)
                    // A number a client chose for an earlier boleto is skipped.
                    if try await !TransactionScripts.titleTaken(tx, account, id) { ids.append(id) }
                }
                return ids
            }
        } catch {
            throw Self.classify(error)
        }
        let made = try make(titleIDs)
        return try await transaction { db in
            try await TransactionScripts.insertCarne(PostgresTransaction(connection: db, logger: logger), carne, made, idempotency: idempotency)
            return made.map(\.0)
        }
    }

    public func carne(clientID: String?, id: String) async throws -> (carne: CarneRecord, boletos: [BoletoRecord])? {
        let logger = self.logger
        return try await transaction { db in
            let tx = PostgresTransaction(connection: db, logger: logger)
            guard let carne = try await TransactionScripts.carne(tx, clientID: clientID, id: id) else { return nil }
            var boletos: [BoletoRecord] = []
            for boletoID in carne.boletoIDs {
                let select = PostgresStatements.SelectBoleto(id: boletoID, clientID: clientID)
                if let boleto = try await PostgresStatements.first(db.execute(select, logger: logger)).map(RowMapping.boleto) {
                    boletos.append(boleto)
                }
            }
            return (carne, boletos)
        }
    }
}
