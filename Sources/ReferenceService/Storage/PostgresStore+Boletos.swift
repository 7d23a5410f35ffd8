import BoletoJSON
import Foundation
import Logging
import PostgresNIO

/// Boletos on Postgres: create (title ids from ``TitleBlocks``), read, list, change, and their events.
extension PostgresStore {
    // MARK: Boletos

    public func createBoleto(
        account: BeneficiaryAccount, requestedTitleID: Int64?, idempotency: (clientID: String, key: String)?,
        make: @escaping @Sendable (Int64) throws -> (BoletoRecord, BoletoChange)
    ) async throws -> BoletoRecord {
        struct Taken: Error {}
        let logger = self.logger
        while true {
            do {
                // The title id is reserved before anything is written (see ``allocateTitle``), so no lock on the
                // account's sequence is held while the boleto is written. The boleto, its events and jobs and the
                // idempotency key's pointer are one statement (``PostgresStatements/InsertBoleto``): without a key it
                // commits on its own; with one it runs in a transaction that a released key rolls back.
                return try await leased { [self] db in
                    let titleID: Int64
                    if let requestedTitleID { titleID = requestedTitleID } else { titleID = try await allocateTitle(db, account) }
                    let (record, change) = try make(titleID)
                    let statement = PostgresStatements.InsertBoleto(record: record, change: change, idempotency: idempotency)
                    func insert(_ db: PostgresConnection) async throws {
                        let row = try await PostgresStatements.first(db.execute(statement, logger: logger))
                        guard row?.0 == 1 else {
                            if requestedTitleID != nil { throw StoreError.duplicate(field: "title_id") }
                            // A number a client chose for an earlier boleto: skip it.
                            throw Taken()
                        }
                        // The reservation must still be there. A call abandoned by the statement bound can release it
                        // before this create gets here, and a boleto without its key could be created twice.
                        if idempotency != nil, row?.1 != 1 { throw StoreError.unavailable }
                    }
                    if idempotency == nil {
                        try await insert(db)
                    } else {
                        try await db.withTransaction(logger: logger) { db in try await insert(db) }
                    }
                    return record
                }
            } catch is Taken {
                continue
            } catch let error as PostgresTransactionError {
                if error.closureError is Taken { continue }
                throw try Self.createError(error.closureError ?? error.commitError ?? error.beginError ?? error)
            } catch {
                throw try Self.createError(error)
            }
        }
    }

    /// A create's failure as the store answers it.
    private static func createError(_ error: any Error) throws -> any Error {
        if let error = error as? PSQLError, error.serverInfo?[.sqlState] == "23505",
           error.serverInfo?[.constraintName] == "boletos_title_unique" {
            // A client-chosen title id committed by another process between the check and the insert.
            return StoreError.duplicate(field: "title_id")
        }
        return classify(error)
    }

    /// The account's next title id, from this process's block (``TitleBlocks``). A block is reserved by one
    /// statement that commits on its own, on the create's connection before the boleto is written, so the account's
    /// sequence row is locked for that statement only, never across a create.
    func allocateTitle(_ db: PostgresConnection, _ a: BeneficiaryAccount) async throws -> Int64 {
        try await titles.next(a) { [self] (size: Int64) async throws -> Int64 in
            let first = try await rows(db, """
                INSERT INTO title_sequences AS s (bank, agency, account, next_value)
                VALUES (\(a.bank), \(a.agency), \(a.account), \(1 + size))
                ON CONFLICT (bank, agency, account) DO UPDATE SET next_value = s.next_value + \(size)
                RETURNING next_value - \(size) AS value
                """)
            guard let value = first.first?.int("value") else { throw StoreError.unavailable }
            return Int64(value)
        }
    }

    public func boleto(id: String, clientID: String?) async throws -> BoletoRecord? {
        let select = PostgresStatements.SelectBoleto(id: id, clientID: clientID), logger = self.logger
        do {
            return try await leased { db in
                try await PostgresStatements.first(db.execute(select, logger: logger)).map(RowMapping.boleto)
            }
        } catch {
            throw Self.classify(error)
        }
    }

    public func boletos(clientID: String, filter: BoletoFilter, page: Int, count: Int) async throws -> (records: [BoletoRecord], total: Int) {
        var conditions = ["client_id = $1"]
        var binds = PostgresBindings()
        binds.append(clientID)
        func add(_ column: String, _ op: String, _ value: String?) {
            guard let value else { return }
            binds.append(value)
            conditions.append("\(column) \(op) $\(binds.count)")
        }
        add("status", "=", filter.status?.rawValue)
        add("issuer", "=", filter.issuer)
        if let titleID = filter.titleID {
            binds.append(titleID)
            conditions.append("title_id = $\(binds.count)")
        }
        add("token", "=", filter.token)
        add("reference_id", "=", filter.referenceID)
        add("payer_document_number", "=", filter.payerDocumentNumber)
        add("created_at", ">=", filter.createdFrom)
        add("created_at", "<", filter.createdTo)
        let whereClause = conditions.joined(separator: " AND ")
        var pageBinds = binds
        pageBinds.append(count)
        pageBinds.append((page - 1) * count)
        let limit = binds.count + 1, offset = binds.count + 2
        let countQuery = PostgresQuery(unsafeSQL: "SELECT count(*) AS n FROM boletos WHERE \(whereClause)", binds: binds)
        let pageQuery = PostgresQuery(
            unsafeSQL: "SELECT * FROM boletos WHERE \(whereClause) ORDER BY seq DESC LIMIT $\(limit) OFFSET $\(offset)", binds: pageBinds)
        return try await transaction { [self] db in
            let total = try await rows(db, countQuery)
                .first?.int("n") ?? 0
            let page = try await rows(db, pageQuery)
            return (try page.map(RowMapping.boleto), total)
        }
    }

    public func boleto(token: String) async throws -> BoletoRecord? {
        var binds = PostgresBindings()
        binds.append(token)
        return try await rows(PostgresQuery(unsafeSQL: "SELECT * FROM boletos WHERE token = $1", binds: binds)).first.map(RowMapping.boleto)
    }

    public func boletos(issuer: String, titleID: Int64, limit: Int) async throws -> [BoletoRecord] {
        var binds = PostgresBindings()
        binds.append(issuer)
        binds.append(titleID)
        binds.append(limit)
        let query = PostgresQuery(unsafeSQL: "SELECT * FROM boletos WHERE issuer = $1 AND title_id = $2 ORDER BY seq DESC LIMIT $3",
                                  binds: binds)
        return try await rows(query).map(RowMapping.boleto)
    }

    public func updateBoleto(
        id: String, clientID: String?, _ change: @escaping @Sendable (inout BoletoRecord) throws -> BoletoChange
    ) async throws -> BoletoRecord? {
        try await transaction { [self] db in
            let lock = PostgresStatements.LockBoleto(select: .init(id: id, clientID: clientID))
            guard var record = try await PostgresStatements.first(db.execute(lock, logger: logger)).map(RowMapping.boleto) else {
                return nil
            }
            let outcome = try change(&record)
            try await write(db, BoletoWrite(record: record, change: outcome))
            return record
        }
    }

    public func updateBoleto(
        expected: BoletoRecord, _ change: @escaping @Sendable (inout BoletoRecord) throws -> BoletoChange
    ) async throws -> BoletoRecord? {
        var record = expected
        let outcome = try change(&record)
        guard outcome.changed else { return try await updateBoleto(id: expected.id, clientID: nil, change) }
        let statement = PostgresStatements.WriteBoleto(write: BoletoWrite(record: record, change: outcome), expected: expected)
        let logger = self.logger
        let updated: Int?
        do {
            updated = try await leased { db in try await PostgresStatements.first(db.execute(statement, logger: logger)) }
        } catch {
            throw Self.classify(error)
        }
        if updated == 1 { return record }
        // The row changed since the caller held it: decide again on the row as it is, under its lock.
        return try await updateBoleto(id: expected.id, clientID: nil, change)
    }

    /// Writes one boleto's change in one statement (``PostgresStatements/WriteBoleto``): its row (when
    /// `change.changed`), its job removals, events and jobs.
    func write(_ db: PostgresConnection, _ write: BoletoWrite) async throws {
        let change = write.change
        guard change.changed || !change.removeJobKinds.isEmpty || !change.events.isEmpty || !change.jobs.isEmpty else { return }
        _ = try await PostgresStatements.first(db.execute(PostgresStatements.WriteBoleto(write: write), logger: logger))
    }

    /// The shared scripts' view of a connection.
    func tx(_ db: PostgresConnection) -> PostgresTransaction { PostgresTransaction(connection: db, logger: logger) }

    /// Writes many boletos' changes in four statements per chunk (see ``BatchRows``).
    func writeAll(_ db: PostgresConnection, _ writes: [BoletoWrite]) async throws {
        for start in stride(from: 0, to: writes.count, by: BatchRows.chunk) {
            try await writeRows(db, BatchRows(writes[start..<min(start + BatchRows.chunk, writes.count)]))
        }
    }

    /// The rows of `rows` in one statement: the changed boleto rows, the job removals, the events and the jobs, each a
    /// data-modifying CTE over a JSON array (run once each, on one snapshot, so the removals never see the jobs
    /// inserted with them).
    func writeRows(_ db: PostgresConnection, _ rows: BatchRows) async throws {
        guard !(rows.updates.isEmpty && rows.removals.isEmpty && rows.events.isEmpty && rows.jobs.isEmpty) else { return }
        var binds = PostgresBindings(capacity: 4)
        binds.append(BatchRows.text(rows.updates) ?? "[]")
        binds.append(BatchRows.text(rows.removals) ?? "[]")
        binds.append(BatchRows.text(rows.events) ?? "[]")
        binds.append(BatchRows.text(rows.jobs) ?? "[]")
        try await db.query(PostgresQuery(unsafeSQL: Self.writeRowsSQL, binds: binds), logger: logger)
    }

    /// ``writeRows(_:_:)``'s statement: `$1` the changed rows, `$2` the removals, `$3` the events, `$4` the jobs.
    private static let writeRowsSQL = """
        WITH u AS (
            UPDATE boletos AS b SET status = u.status, paid_amount = u.paid_amount,
                issuer_response_code = u.issuer_response_code, bank_response_code = u.bank_response_code,
                barcode = u.barcode, digitable_line = u.digitable_line, details = u.details, updated_at = u.updated_at,
                due_date = u.due_date, amount = u.amount
            FROM json_to_recordset($1::json) AS u(id text, status text, paid_amount bigint,
                issuer_response_code text, bank_response_code text, barcode text, digitable_line text, details text,
                updated_at text, due_date text, amount bigint)
            WHERE b.id = u.id
            RETURNING b.id),
        r AS (
            DELETE FROM outbox o USING json_to_recordset($2::json) AS r(boleto_id text, kind text)
            WHERE o.boleto_id = r.boleto_id AND o.kind = r.kind
            RETURNING o.id),
        e AS (\(PostgresStatements.eventsInsert(from: "$3"))),
        j AS (\(PostgresStatements.jobsInsert(from: "$4")))
        SELECT (SELECT count(*) FROM u)::int AS updated
        """

    public func events(boletoID: String) async throws -> [BoletoEvent] {
        try await rows("SELECT * FROM boleto_events WHERE boleto_id = \(boletoID) ORDER BY seq").map { RowMapping.event($0, boletoID: boletoID) }
    }
}
