import BoletoJSON
import Foundation
import Logging
import SQLiteNIO

/// Boletos on SQLite: create, read, list, change, and their events.
extension SQLiteStore {
    // MARK: Boletos

    public func createBoleto(
        account: BeneficiaryAccount, requestedTitleID: Int64?, idempotency: (clientID: String, key: String)?,
        make: @escaping @Sendable (Int64) throws -> (BoletoRecord, BoletoChange)
    ) async throws -> BoletoRecord {
        try await transaction { db in
            let titleID: Int64
            if let requested = requestedTitleID {
                guard try await !TransactionScripts.titleTaken(SQLiteTransaction(connection: db), account, requested) else {
                    throw StoreError.duplicate(field: "title_id")
                }
                titleID = requested
            } else {
                titleID = try await Self.allocateTitle(db, account)
            }
            let (record, change) = try make(titleID)
            try await TransactionScripts.insertBoleto(SQLiteTransaction(connection: db), record, change, idempotency: idempotency)
            return record
        }
    }

    /// The next free title id of the account: the sequence skips numbers a client chose itself.
    static func allocateTitle(_ db: SQLiteConnection, _ account: BeneficiaryAccount) async throws -> Int64 {
        let binds: [SQLiteData] = [.text(account.bank), .text(account.agency), .text(account.account)]
        _ = try await db.query("""
            INSERT INTO title_sequences (bank, agency, account, next_value) VALUES (?, ?, ?, 1)
            ON CONFLICT (bank, agency, account) DO NOTHING
            """, binds)
        while true {
            let rows = try await db.query("""
                UPDATE title_sequences SET next_value = next_value + 1 WHERE bank = ? AND agency = ? AND account = ?
                RETURNING next_value - 1 AS value
                """, binds)
            guard let value = rows.first?.int("value") else { throw StoreError.duplicate(field: "title_id") }
            if try await !TransactionScripts.titleTaken(SQLiteTransaction(connection: db), account, Int64(value)) {
                return Int64(value)
            }
        }
    }

    static func write(_ db: SQLiteConnection, _ change: BoletoChange, boletoID: String? = nil) async throws {
        try await TransactionScripts.write(SQLiteTransaction(connection: db), change, boletoID: boletoID)
    }

    public func boleto(id: String, clientID: String?) async throws -> BoletoRecord? {
        try await read { db in try await Self.boleto(db, id: id, clientID: clientID) }
    }

    static func boleto(_ db: SQLiteConnection, id: String, clientID: String?) async throws -> BoletoRecord? {
        let rows: [SQLiteRow]
        if let clientID {
            rows = try await db.query("SELECT * FROM boletos WHERE id = ? AND client_id = ?", [.text(id), .text(clientID)])
        } else {
            rows = try await db.query("SELECT * FROM boletos WHERE id = ?", [.text(id)])
        }
        return try rows.first.map(RowMapping.boleto)
    }

    public func boletos(clientID: String, filter: BoletoFilter, page: Int, count: Int) async throws -> (records: [BoletoRecord], total: Int) {
        var conditions = ["client_id = ?"]
        var binds: [SQLiteData] = [.text(clientID)]
        func add(_ condition: String, _ value: SQLiteData?) {
            guard let value else { return }
            conditions.append(condition)
            binds.append(value)
        }
        add("status = ?", filter.status.map { .text($0.rawValue) })
        add("issuer = ?", filter.issuer.map { .text($0) })
        add("title_id = ?", filter.titleID.map { .integer(Int($0)) })
        add("token = ?", filter.token.map { .text($0) })
        add("reference_id = ?", filter.referenceID.map { .text($0) })
        add("payer_document_number = ?", filter.payerDocumentNumber.map { .text($0) })
        add("created_at >= ?", filter.createdFrom.map { .text($0) })
        add("created_at < ?", filter.createdTo.map { .text($0) })
        let whereClause = conditions.joined(separator: " AND ")
        let pageBinds = binds + [.integer(count), .integer((page - 1) * count)]
        return try await transaction(deferred: true) { db in
            let total = try await db.query("SELECT count(*) AS n FROM boletos WHERE \(whereClause)", binds).first?.int("n") ?? 0
            let rows = try await db.query("SELECT * FROM boletos WHERE \(whereClause) ORDER BY seq DESC LIMIT ? OFFSET ?", pageBinds)
            return (try rows.map(RowMapping.boleto), total)
        }
    }

    public func boleto(token: String) async throws -> BoletoRecord? {
        try await read { db in
            try await db.query("SELECT * FROM boletos WHERE token = ?", [.text(token)]).first.map(RowMapping.boleto)
        }
    }

    public func boletos(issuer: String, titleID: Int64, limit: Int) async throws -> [BoletoRecord] {
        try await read { db in
            try await db.query("SELECT * FROM boletos WHERE issuer = ? AND title_id = ? ORDER BY seq DESC LIMIT ?",
                               [.text(issuer), .integer(Int(titleID)), .integer(limit)]).map(RowMapping.boleto)
        }
    }

    public func updateBoleto(
        id: String, clientID: String?, _ change: @escaping @Sendable (inout BoletoRecord) throws -> BoletoChange
    ) async throws -> BoletoRecord? {
        try await transaction { db in
            guard var record = try await Self.boleto(db, id: id, clientID: clientID) else { return nil }
            let outcome = try change(&record)
            try await Self.write(db, BoletoWrite(record: record, change: outcome))
            return record
        }
    }

    /// Writes a changed boleto row (when `change.changed`) and what goes with it.
    static func write(_ db: SQLiteConnection, _ write: BoletoWrite) async throws {
        try await TransactionScripts.write(SQLiteTransaction(connection: db), write)
    }

    /// Rewrites the mutable columns of a boleto row.
    static func updateRow(_ db: SQLiteConnection, _ record: BoletoRecord) async throws {
        try await TransactionScripts.updateRow(SQLiteTransaction(connection: db), record)
    }

    public func events(boletoID: String) async throws -> [BoletoEvent] {
        try await read { db in
            try await db.query("SELECT * FROM boleto_events WHERE boleto_id = ? ORDER BY seq", [.text(boletoID)])
                .map { RowMapping.event($0, boletoID: boletoID) }
        }
    }

    /// Writes many boletos' changes: each changed row by its key, then the removals, events and jobs of a chunk in
    /// one statement each (see ``BatchRows``).
    static func writeAll(_ db: SQLiteConnection, _ writes: [BoletoWrite]) async throws {
        for start in stride(from: 0, to: writes.count, by: BatchRows.chunk) {
            let chunk = writes[start..<min(start + BatchRows.chunk, writes.count)]
            for write in chunk where write.change.changed { try await updateRow(db, write.record) }
            let rows = try BatchRows(chunk)
            if let removals = BatchRows.text(rows.removals) {
                _ = try await db.query("""
                    DELETE FROM outbox WHERE (boleto_id, kind) IN (SELECT value ->> 'boleto_id', value ->> 'kind' FROM json_each(?))
                    """, [.text(removals)])
            }
            if let events = BatchRows.text(rows.events) {
                _ = try await db.query("""
                    INSERT INTO boleto_events (id, boleto_id, type, status, previous_status, detail, created_at)
                    SELECT value ->> 'id', value ->> 'boleto_id', value ->> 'type', value ->> 'status', value ->> 'previous_status',
                        value ->> 'detail', value ->> 'created_at' FROM json_each(?) ORDER BY key
                    """, [.text(events)])
            }
            if let jobs = BatchRows.text(rows.jobs) {
                _ = try await db.query("""
                    INSERT INTO outbox (id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at)
                    SELECT value ->> 'id', value ->> 'kind', value ->> 'boleto_id', value ->> 'target', value ->> 'payload',
                        value ->> 'event_id', value ->> 'attempts', value ->> 'available_at', value ->> 'created_at'
                    FROM json_each(?) ORDER BY key
                    """, [.text(jobs)])
            }
        }
    }
}
