import BoletoJSON
import Foundation
import Logging
import SQLiteNIO

/// The embedded store: one SQLite file (WAL, `synchronous=FULL`) in the data directory.
///
/// One connection serves the process and every transaction holds an ``AsyncLock``, so transactions never
/// interleave; other processes on the same file (`boleto apikey create` while `boleto serve` runs) wait on
/// SQLite's own lock. A commit is durable before any caller sees its result.
public final class SQLiteStore: BoletoStore {
    private let connection: SQLiteConnection
    private let lock = AsyncLock()

    /// Opens (creating when needed) `boleto.sqlite3` in `directory`.
    public static func open(directory: String, logger: Logger) async throws -> SQLiteStore {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let path = (directory as NSString).appendingPathComponent("boleto.sqlite3")
        let connection = try await SQLiteConnection.open(storage: .file(path: path), logger: logger)
        let store = SQLiteStore(connection: connection)
        _ = try await connection.query("PRAGMA journal_mode = WAL")
        _ = try await connection.query("PRAGMA synchronous = FULL")
        _ = try await connection.query("PRAGMA foreign_keys = ON")
        return store
    }

    private init(connection: SQLiteConnection) {
        self.connection = connection
    }

    public func close() async throws {
        try await lock.withLock {
            if !connection.isClosed { try await connection.close() }
        }
    }

    // MARK: Transactions

    /// Runs `body` in a transaction. Writers take SQLite's write lock at BEGIN (`IMMEDIATE`), so two processes
    /// never deadlock upgrading a read lock; `deferred` serves multi-statement reads that need one snapshot.
    private func transaction<T: Sendable>(deferred: Bool = false, _ body: (SQLiteConnection) async throws -> T) async throws -> T {
        try await lock.withLock {
            _ = try await connection.query(deferred ? "BEGIN" : "BEGIN IMMEDIATE")
            do {
                let result = try await body(connection)
                _ = try await connection.query("COMMIT")
                return result
            } catch {
                _ = try? await connection.query("ROLLBACK")
                throw error
            }
        }
    }

    /// Runs a read of one statement (atomic by itself) under the lock, without BEGIN and COMMIT round trips.
    private func read<T: Sendable>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
        try await lock.withLock { try await body(connection) }
    }

    // MARK: Schema

    public func migrate() async throws -> [Int] {
        try await transaction { db in
            _ = try await db.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
                """)
            let done = Set(try await db.query("SELECT version FROM schema_migrations").compactMap { $0.int("version") })
            var applied: [Int] = []
            for migration in Migrations.sqlite where !done.contains(migration.version) {
                for statement in migration.statements { _ = try await db.query(statement) }
                _ = try await db.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                                       [.integer(migration.version), .text(migration.name), .text(Timestamp.now())])
                applied.append(migration.version)
            }
            return applied
        }
    }

    public func ping() async throws {
        _ = try await lock.withLock { try await connection.query("SELECT 1") }
    }

    // MARK: Clients

    public func insertClient(_ client: ClientRecord) async throws {
        try await transaction { db in
            _ = try await db.query(
                "INSERT INTO clients (id, name, key_hash, webhook_secret, created_at) VALUES (?, ?, ?, ?, ?)",
                [.text(client.id), .text(client.name), .text(client.keyHash), .text(client.webhookSecret), .text(client.createdAt)])
        }
    }

    public func client(id: String) async throws -> ClientRecord? {
        try await read { db in
            try await db.query("SELECT * FROM clients WHERE id = ?", [.text(id)]).first.map(RowMapping.client)
        }
    }

    public func clientCount() async throws -> Int {
        try await read { db in try await db.query("SELECT count(*) AS n FROM clients").first?.int("n") ?? 0 }
    }

    // MARK: Configurations

    public func insertConfiguration(_ c: ConfigurationRecord) async throws {
        try await transaction { db in
            let existing = try await db.query("SELECT 1 FROM configurations WHERE client_id = ? AND external_id = ?",
                                              [.text(c.clientID), .text(c.externalID)])
            guard existing.isEmpty else { throw StoreError.duplicate(field: "external_id") }
            _ = try await db.query("""
                INSERT INTO configurations (id, client_id, external_id, issuer, issuer_account, issuer_agency,
                    issuer_wallet, sandbox_scenario, beneficiary_document, issuer_bank, cnab, beneficiary_name, pix,
                    created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(c.id), .text(c.clientID), .text(c.externalID), .text(c.issuer), .text(c.issuerAccount),
                      .text(c.issuerAgency), .text(c.issuerWallet), .optional(c.sandboxScenario),
                      .optional(c.beneficiaryDocument), .optional(c.issuerBank), .optional(try c.cnab?.encoded()),
                      .optional(c.beneficiaryName), .optional(try c.pix?.encoded()), .text(c.createdAt), .text(c.updatedAt)])
        }
    }

    public func updateConfiguration(_ c: ConfigurationRecord) async throws {
        try await transaction { db in
            _ = try await db.query("""
                UPDATE configurations SET issuer = ?, issuer_account = ?, issuer_agency = ?, issuer_wallet = ?,
                    sandbox_scenario = ?, beneficiary_document = ?, issuer_bank = ?, cnab = ?, beneficiary_name = ?, pix = ?,
                    updated_at = ? WHERE id = ? AND client_id = ?
                """, [.text(c.issuer), .text(c.issuerAccount), .text(c.issuerAgency), .text(c.issuerWallet),
                      .optional(c.sandboxScenario), .optional(c.beneficiaryDocument), .optional(c.issuerBank),
                      .optional(try c.cnab?.encoded()), .optional(c.beneficiaryName), .optional(try c.pix?.encoded()),
                      .text(c.updatedAt), .text(c.id), .text(c.clientID)])
        }
    }

    public func configuration(clientID: String, id: String) async throws -> ConfigurationRecord? {
        try await read { db in
            try await db.query("SELECT * FROM configurations WHERE client_id = ? AND id = ?", [.text(clientID), .text(id)])
                .first.map(RowMapping.configuration)
        }
    }

    public func configuration(clientID: String, externalID: String) async throws -> ConfigurationRecord? {
        try await read { db in
            try await db.query("SELECT * FROM configurations WHERE client_id = ? AND external_id = ?",
                               [.text(clientID), .text(externalID)]).first.map(RowMapping.configuration)
        }
    }

    // MARK: Idempotency

    public func reserveIdempotencyKey(_ r: IdempotencyRecord) async throws -> IdempotencyRecord? {
        try await transaction { db in
            if let existing = try await Self.idempotency(db, clientID: r.clientID, key: r.key) { return existing }
            _ = try await db.query("""
                INSERT INTO idempotency_keys (client_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)
                """, [.text(r.clientID), .text(r.key), .text(r.requestHash), .text(r.createdAt)])
            return nil
        }
    }

    public func completeIdempotencyKey(clientID: String, key: String, statusCode: Int, body: String) async throws {
        try await transaction { db in
            _ = try await db.query("""
                UPDATE idempotency_keys SET status_code = ?, response_body = ? WHERE client_id = ? AND key = ?
                """, [.integer(statusCode), .text(body), .text(clientID), .text(key)])
        }
    }

    public func releaseIdempotencyKey(clientID: String, key: String) async throws {
        try await transaction { db in
            _ = try await db.query("DELETE FROM idempotency_keys WHERE client_id = ? AND key = ? AND resource_id IS NULL",
                                   [.text(clientID), .text(key)])
        }
    }

    public func idempotencyRecord(clientID: String, key: String) async throws -> IdempotencyRecord? {
        try await read { db in try await Self.idempotency(db, clientID: clientID, key: key) }
    }

    public func purgeIdempotencyKeys(before cutoff: String) async throws -> Int {
        try await transaction { db in
            let rows = try await db.query("DELETE FROM idempotency_keys WHERE created_at < ? RETURNING key", [.text(cutoff)])
            return rows.count
        }
    }

    private static func idempotency(_ db: SQLiteConnection, clientID: String, key: String) async throws -> IdempotencyRecord? {
        try await db.query("SELECT * FROM idempotency_keys WHERE client_id = ? AND key = ?", [.text(clientID), .text(key)])
            .first.map { RowMapping.idempotency($0, clientID: clientID, key: key) }
    }

    // MARK: Boletos

    public func createBoleto(
        account: BeneficiaryAccount, requestedTitleID: Int64?, idempotency: (clientID: String, key: String)?,
        make: @escaping @Sendable (Int64) throws -> (BoletoRecord, BoletoChange)
    ) async throws -> BoletoRecord {
        try await transaction { db in
            let titleID: Int64
            if let requested = requestedTitleID {
                guard try await !Self.titleTaken(db, account, requested) else { throw StoreError.duplicate(field: "title_id") }
                titleID = requested
            } else {
                titleID = try await Self.allocateTitle(db, account)
            }
            let (record, change) = try make(titleID)
            try await Self.insert(db, record)
            try await Self.write(db, change)
            if let idempotency {
                // The reservation must still be there: a boleto without its key could be created twice.
                let pointed = try await db.query(
                    "UPDATE idempotency_keys SET resource_id = ? WHERE client_id = ? AND key = ? RETURNING key",
                    [.text(record.id), .text(idempotency.clientID), .text(idempotency.key)])
                guard !pointed.isEmpty else { throw StoreError.unavailable }
            }
            return record
        }
    }

    private static func titleTaken(_ db: SQLiteConnection, _ account: BeneficiaryAccount, _ titleID: Int64) async throws -> Bool {
        try await !db.query("""
            SELECT 1 FROM boletos WHERE bank = ? AND issuer_agency = ? AND issuer_account = ? AND title_id = ?
            """, [.text(account.bank), .text(account.agency), .text(account.account), .integer(Int(titleID))]).isEmpty
    }

    /// The next free title id of the account: the sequence skips numbers a client chose itself.
    private static func allocateTitle(_ db: SQLiteConnection, _ account: BeneficiaryAccount) async throws -> Int64 {
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
            if try await !titleTaken(db, account, Int64(value)) { return Int64(value) }
        }
    }

    private static func insert(_ db: SQLiteConnection, _ b: BoletoRecord) async throws {
        _ = try await db.query("""
            INSERT INTO boletos (id, client_id, token, status, bank, issuer, issuer_account, issuer_agency,
                issuer_wallet, title_id, nosso_numero, due_date, amount, paid_amount, barcode, digitable_line,
                payer_document_number, reference_id, issuer_response_code, bank_response_code, details, created_at,
                updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, [.text(b.id), .text(b.clientID), .text(b.token), .text(b.status.rawValue), .text(b.bank),
                  .text(b.issuer), .text(b.issuerAccount), .text(b.issuerAgency), .text(b.issuerWallet),
                  .integer(Int(b.titleID)), .text(b.nossoNumero), .text(b.dueDate), .integer(Int(b.amount)),
                  .integer(Int(b.paidAmount)), .text(b.barcode), .text(b.digitableLine),
                  .optional(b.payerDocumentNumber), .optional(b.referenceID), .optional(b.issuerResponseCode),
                  .optional(b.bankResponseCode), .text(try RowMapping.encode(b.details)), .text(b.createdAt),
                  .text(b.updatedAt)])
    }

    private static func write(_ db: SQLiteConnection, _ change: BoletoChange, boletoID: String? = nil) async throws {
        for event in change.events {
            _ = try await db.query("""
                INSERT INTO boleto_events (id, boleto_id, type, status, previous_status, detail, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?)
                """, [.text(event.id), .text(event.boletoID), .text(event.type), .text(event.status.rawValue),
                      .optional(event.previousStatus?.rawValue), .text(event.detail), .text(event.createdAt)])
        }
        if let boletoID {
            for kind in change.removeJobKinds {
                _ = try await db.query("DELETE FROM outbox WHERE boleto_id = ? AND kind = ?", [.text(boletoID), .text(kind.rawValue)])
            }
        }
        for job in change.jobs {
            _ = try await db.query("""
                INSERT INTO outbox (id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(job.id), .text(job.kind.rawValue), .text(job.boletoID), .text(job.target), .text(job.payload),
                      .optional(job.eventID), .integer(job.attempts), .text(job.availableAt), .text(job.createdAt)])
        }
    }

    public func boleto(id: String, clientID: String?) async throws -> BoletoRecord? {
        try await read { db in try await Self.boleto(db, id: id, clientID: clientID) }
    }

    private static func boleto(_ db: SQLiteConnection, id: String, clientID: String?) async throws -> BoletoRecord? {
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
    private static func write(_ db: SQLiteConnection, _ write: BoletoWrite) async throws {
        if write.change.changed { try await updateRow(db, write.record) }
        try await Self.write(db, write.change, boletoID: write.record.id)
    }

    /// Rewrites the mutable columns of a boleto row.
    private static func updateRow(_ db: SQLiteConnection, _ record: BoletoRecord) async throws {
        _ = try await db.query("""
            UPDATE boletos SET status = ?, paid_amount = ?, issuer_response_code = ?, bank_response_code = ?,
                barcode = ?, digitable_line = ?, details = ?, updated_at = ? WHERE id = ?
            """, [.text(record.status.rawValue), .integer(Int(record.paidAmount)),
                  .optional(record.issuerResponseCode), .optional(record.bankResponseCode), .text(record.barcode),
                  .text(record.digitableLine), .text(try RowMapping.encode(record.details)), .text(record.updatedAt),
                  .text(record.id)])
    }

    public func events(boletoID: String) async throws -> [BoletoEvent] {
        try await read { db in
            try await db.query("SELECT * FROM boleto_events WHERE boleto_id = ? ORDER BY seq", [.text(boletoID)])
                .map { RowMapping.event($0, boletoID: boletoID) }
        }
    }

    /// Writes many boletos' changes: each changed row by its key, then the removals, events and jobs of a chunk in
    /// one statement each (see ``BatchRows``).
    private static func writeAll(_ db: SQLiteConnection, _ writes: [BoletoWrite]) async throws {
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

    // MARK: Remessas and retornos

    public func createRemessa(configuration: ConfigurationRecord, account: BeneficiaryAccount, firstSequence: Int,
                              make: @escaping @Sendable ([BoletoRecord], Int) throws -> RemessaDraft?) async throws -> RemessaRecord? {
        try await transaction { db in
            let pending = try await db.query("""
                SELECT * FROM boletos WHERE client_id = ? AND issuer = 'cnab' AND status = 'issued' AND bank = ?
                    AND issuer_agency = ? AND issuer_account = ? ORDER BY seq
                """, [.text(configuration.clientID), .text(account.bank), .text(account.agency), .text(account.account)])
                .map(RowMapping.boleto).filter(\.details.register)
            let last = try await db.query("SELECT max(sequence) AS n FROM remessas WHERE configuration_id = ?",
                                          [.text(configuration.id)]).first?.int("n")
            guard let draft = try make(pending, max(last.map { $0 + 1 } ?? firstSequence, firstSequence)) else { return nil }
            let r = draft.remessa
            _ = try await db.query("""
                INSERT INTO remessas (id, client_id, configuration_id, external_id, bank, layout, sequence, boleto_count,
                    total_amount, content, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(r.id), .text(r.clientID), .text(r.configurationID), .text(r.externalID), .text(r.bank),
                      .text(r.layout), .integer(r.sequence), .integer(r.boletoIDs.count), .integer(Int(r.totalAmount)),
                      .text(r.content), .text(r.sha256), .text(r.createdAt)])
            if let ids = BatchRows.text(r.boletoIDs.map(JSON.string)) {
                _ = try await db.query("""
                    INSERT INTO remessa_boletos (remessa_id, position, boleto_id) SELECT ?, key + 1, value FROM json_each(?)
                    """, [.text(r.id), .text(ids)])
            }
            try await Self.writeAll(db, draft.writes)
            return r
        }
    }

    public func remessa(clientID: String, id: String) async throws -> RemessaRecord? {
        try await transaction(deferred: true) { db in
            guard let row = try await db.query("SELECT * FROM remessas WHERE id = ? AND client_id = ?",
                                               [.text(id), .text(clientID)]).first else { return nil }
            let boletos = try await db.query("SELECT boleto_id FROM remessa_boletos WHERE remessa_id = ? ORDER BY position",
                                             [.text(id)]).compactMap { $0.text("boleto_id") }
            return RowMapping.remessa(row, boletoIDs: boletos)
        }
    }

    public func applyRetorno(_ retorno: RetornoRecord, account: BeneficiaryAccount, titleIDs: [Int64],
                             apply: @escaping @Sendable ([Int64: BoletoRecord]) throws -> RetornoDraft) async throws
        -> (record: RetornoRecord, replayed: Bool) {
        try await transaction { db in
            if let row = try await db.query("SELECT * FROM retornos WHERE client_id = ? AND sha256 = ?",
                                            [.text(retorno.clientID), .text(retorno.sha256)]).first {
                return (RowMapping.retorno(row), true)
            }
            var found: [Int64: BoletoRecord] = [:]
            let ids = Array(Set(titleIDs)).sorted()
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = ids[start..<min(start + 500, ids.count)]
                let rows = try await db.query("""
                    SELECT * FROM boletos WHERE client_id = ? AND bank = ? AND issuer_agency = ? AND issuer_account = ?
                        AND title_id IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))
                    """, [.text(retorno.clientID), .text(account.bank), .text(account.agency), .text(account.account)]
                        + chunk.map { .integer(Int($0)) })
                for record in try rows.map(RowMapping.boleto) { found[record.titleID] = record }
            }
            let draft = try apply(found)
            var record = retorno
            record.result = draft.result
            _ = try await db.query("""
                INSERT INTO retornos (id, client_id, configuration_id, sha256, bank, layout, title_count, result, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(record.id), .text(record.clientID), .text(record.configurationID), .text(record.sha256),
                      .text(record.bank), .text(record.layout), .integer(record.titleCount), .text(record.result),
                      .text(record.createdAt)])
            try await Self.writeAll(db, draft.writes)
            return (record, false)
        }
    }

    // MARK: Outbox

    public func claimJobs(kinds: [JobKind], now: String, leaseUntil: String, limit: Int) async throws -> [OutboxJob] {
        guard !kinds.isEmpty else { return [] }
        let placeholders = kinds.map { _ in "?" }.joined(separator: ", ")
        return try await transaction { db in
            let rows = try await db.query("""
                UPDATE outbox SET locked_until = ? WHERE seq IN (
                    SELECT seq FROM outbox WHERE kind IN (\(placeholders)) AND available_at <= ?
                        AND (locked_until IS NULL OR locked_until <= ?) ORDER BY available_at, seq LIMIT ?)
                RETURNING *
                """, [.text(leaseUntil)] + kinds.map { .text($0.rawValue) } + [.text(now), .text(now), .integer(limit)])
            return rows.map(RowMapping.job)
        }
    }

    public func completeJob(id: String) async throws {
        try await transaction { db in _ = try await db.query("DELETE FROM outbox WHERE id = ?", [.text(id)]) }
    }

    public func rescheduleJob(id: String, attempts: Int, availableAt: String, lastError: String) async throws {
        try await transaction { db in
            _ = try await db.query("""
                UPDATE outbox SET attempts = max(attempts, ?), available_at = ?, last_error = ?, locked_until = NULL WHERE id = ?
                """, [.integer(attempts), .text(availableAt), .text(lastError), .text(id)])
        }
    }

    public func deadLetterJob(_ job: OutboxJob, attempts: Int, lastError: String, event: BoletoEvent?) async throws {
        try await transaction { db in
            _ = try await db.query("""
                INSERT OR REPLACE INTO dead_letters (id, kind, boleto_id, target, payload, event_id, attempts, last_error,
                    created_at, dead_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(job.id), .text(job.kind.rawValue), .text(job.boletoID), .text(job.target), .text(job.payload),
                      .optional(job.eventID), .integer(attempts), .text(lastError), .text(job.createdAt), .text(Timestamp.now())])
            _ = try await db.query("DELETE FROM outbox WHERE id = ?", [.text(job.id)])
            var change = BoletoChange()
            if let event { change.events = [event] }
            try await Self.write(db, change)
        }
    }

    public func pendingJobCounts() async throws -> [JobKind: Int] {
        try await counts("SELECT kind, count(*) AS n FROM outbox GROUP BY kind")
    }

    public func deadLetterCounts() async throws -> [JobKind: Int] {
        try await counts("SELECT kind, count(*) AS n FROM dead_letters GROUP BY kind")
    }

    public func deadLetter(id: String) async throws -> DeadLetter? {
        try await read { db in
            try await db.query("SELECT id, kind, boleto_id, attempts, last_error, dead_at FROM dead_letters WHERE id = ?",
                               [.text(id)]).first.map(RowMapping.deadLetter)
        }
    }

    public func deadLetters(boletoID: String?, limit: Int) async throws -> [DeadLetter] {
        try await read { db in
            try await db.query("""
                SELECT id, kind, boleto_id, attempts, last_error, dead_at FROM dead_letters
                WHERE ? IS NULL OR boleto_id = ? ORDER BY dead_at, id LIMIT ?
                """, [.optional(boletoID), .optional(boletoID), .integer(limit)]).map(RowMapping.deadLetter)
        }
    }

    public func requeueDeadLetters(boletoID: String?) async throws -> Int {
        let now = Timestamp.now()
        return try await transaction { db in
            let moved = try await db.query("""
                INSERT INTO outbox (id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at)
                SELECT id, kind, boleto_id, target, payload, event_id, 0, ?, created_at FROM dead_letters
                WHERE ? IS NULL OR boleto_id = ? ORDER BY dead_at, id
                ON CONFLICT (id) DO NOTHING RETURNING id
                """, [.text(now), .optional(boletoID), .optional(boletoID)])
            _ = try await db.query("DELETE FROM dead_letters WHERE ? IS NULL OR boleto_id = ?", [.optional(boletoID), .optional(boletoID)])
            return moved.count
        }
    }

    private func counts(_ sql: String) async throws -> [JobKind: Int] {
        try await read { db in
            var result: [JobKind: Int] = [:]
            for row in try await db.query(sql) {
                if let kind = row.text("kind").flatMap(JobKind.init(rawValue:)) { result[kind] = row.int("n") ?? 0 }
            }
            return result
        }
    }

    public func jobs(boletoID: String) async throws -> [OutboxJob] {
        try await read { db in
            try await db.query("SELECT * FROM outbox WHERE boleto_id = ? ORDER BY seq", [.text(boletoID)]).map(RowMapping.job)
        }
    }
}

extension SQLiteRow: StoreRow {
    func text(_ name: String) -> String? {
        guard let data = column(name), data != .null else { return nil }
        return data.string
    }

    func int(_ name: String) -> Int? {
        guard let data = column(name), data != .null else { return nil }
        return data.integer.map { Int($0) }
    }
}

extension SQLiteData {
    static func optional(_ value: String?) -> SQLiteData { value.map { .text($0) } ?? .null }
}
