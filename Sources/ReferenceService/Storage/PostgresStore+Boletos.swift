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
        while true {
            do {
                // The title id is reserved before the transaction begins (see ``allocateTitle``), so no lock on the
                // account's sequence is held while the boleto is written.
                return try await transaction(before: { [self] db in
                    requestedTitleID == nil ? try await allocateTitle(db, account) : nil
                }) { [self] db, allocated in
                    let titleID: Int64
                    if let requested = requestedTitleID {
                        guard try await !TransactionScripts.titleTaken(tx(db), account, requested) else {
                            throw StoreError.duplicate(field: "title_id")
                        }
                        titleID = requested
                    } else {
                        titleID = allocated ?? 0
                        // A number a client chose for an earlier boleto: skip it, with a new transaction.
                        guard try await !TransactionScripts.titleTaken(tx(db), account, titleID) else { throw Taken() }
                    }
                    let (record, change) = try make(titleID)
                    try await TransactionScripts.insertBoleto(tx(db), record, change, idempotency: idempotency)
                    return record
                }
            } catch is Taken {
                continue
            } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505"
                && error.serverInfo?[.constraintName] == "boletos_title_unique" {
                // A client-chosen title id committed by another process between the check and the insert.
                throw StoreError.duplicate(field: "title_id")
            }
        }
    }

    /// The account's next title id, from this process's block (``TitleBlocks``). A block is reserved by one
    /// statement that commits on its own, on the create's connection before its transaction begins, so the account's
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
        if let clientID {
            return try await rows("SELECT * FROM boletos WHERE id = \(id) AND client_id = \(clientID)").first.map(RowMapping.boleto)
        }
        return try await rows("SELECT * FROM boletos WHERE id = \(id)").first.map(RowMapping.boleto)
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

    public func updateBoleto(
        id: String, clientID: String?, _ change: @escaping @Sendable (inout BoletoRecord) throws -> BoletoChange
    ) async throws -> BoletoRecord? {
        try await transaction { [self] db in
            let locked = clientID.map { "SELECT * FROM boletos WHERE id = \(id) AND client_id = \($0) FOR UPDATE" as PostgresQuery }
                ?? "SELECT * FROM boletos WHERE id = \(id) FOR UPDATE"
            guard var record = try await rows(db, locked).first.map(RowMapping.boleto) else { return nil }
            let outcome = try change(&record)
            try await write(db, BoletoWrite(record: record, change: outcome))
            return record
        }
    }

    /// Writes a changed boleto row (when `change.changed`) and what goes with it.
    func write(_ db: PostgresConnection, _ write: BoletoWrite) async throws {
        try await TransactionScripts.write(tx(db), write)
    }

    /// The shared scripts' view of a connection.
    func tx(_ db: PostgresConnection) -> PostgresTransaction { PostgresTransaction(connection: db, logger: logger) }

    /// Writes many boletos' changes in four statements per chunk (see ``BatchRows``).
    func writeAll(_ db: PostgresConnection, _ writes: [BoletoWrite]) async throws {
        for start in stride(from: 0, to: writes.count, by: BatchRows.chunk) {
            let rows = try BatchRows(writes[start..<min(start + BatchRows.chunk, writes.count)])
            if let updates = BatchRows.text(rows.updates) {
                try await db.query("""
                    UPDATE boletos AS b SET status = u.status, paid_amount = u.paid_amount,
                        issuer_response_code = u.issuer_response_code, bank_response_code = u.bank_response_code,
                        barcode = u.barcode, digitable_line = u.digitable_line, details = u.details, updated_at = u.updated_at
                    FROM json_to_recordset(\(updates)::json) AS u(id text, status text, paid_amount bigint,
                        issuer_response_code text, bank_response_code text, barcode text, digitable_line text, details text,
                        updated_at text)
                    WHERE b.id = u.id
                    """, logger: logger)
            }
            if let removals = BatchRows.text(rows.removals) {
                try await db.query("""
                    DELETE FROM outbox o USING json_to_recordset(\(removals)::json) AS r(boleto_id text, kind text)
                    WHERE o.boleto_id = r.boleto_id AND o.kind = r.kind
                    """, logger: logger)
            }
            if let events = BatchRows.text(rows.events) {
                try await db.query("""
                    INSERT INTO boleto_events (id, boleto_id, type, status, previous_status, detail, created_at)
                    SELECT id, boleto_id, type, status, previous_status, detail, created_at
                    FROM json_to_recordset(\(events)::json) AS e(n bigint, id text, boleto_id text, type text, status text,
                        previous_status text, detail text, created_at text)
                    ORDER BY n
                    """, logger: logger)
            }
            if let jobs = BatchRows.text(rows.jobs) {
                try await db.query("""
                    INSERT INTO outbox (id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at)
                    SELECT id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at
                    FROM json_to_recordset(\(jobs)::json) AS j(n bigint, id text, kind text, boleto_id text, target text,
                        payload text, event_id text, attempts int, available_at text, created_at text)
                    ORDER BY n
                    """, logger: logger)
            }
        }
    }

    public func events(boletoID: String) async throws -> [BoletoEvent] {
        try await rows("SELECT * FROM boleto_events WHERE boleto_id = \(boletoID) ORDER BY seq").map { RowMapping.event($0, boletoID: boletoID) }
    }
}
