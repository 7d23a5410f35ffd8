import Foundation
import Logging
import PostgresNIO

/// The production store: Postgres through PostgresNIO's `PostgresClient` (a connection pool).
///
/// Every method is one transaction on one pooled connection. Rows that a change reads are locked
/// (`SELECT … FOR UPDATE`), title ids come from blocks of a sequence per beneficiary account (``TitleBlocks``), and
/// outbox claims use
/// `FOR UPDATE SKIP LOCKED`, so any number of service and worker processes can share the database. Every query
/// binds its values; no value is ever written into SQL text.
public final class PostgresStore: BoletoStore {
    /// The pool. Run it (``run()``) as a service before the first query.
    public let client: PostgresClient
    private let logger: Logger
    /// How long a call waits for a pooled connection before answering ``StoreError/unavailable``.
    let leaseTimeout: Duration
    /// How long a call may run on its connection (migrations excepted) before the connection is closed under it.
    let statementTimeout: Duration

    /// Title ids reserved by this process, per beneficiary account.
    private let titles: TitleBlocks

    /// A store over `client`; `logger` receives PostgresNIO's transaction logs (which never carry bound values).
    /// `titleBlockSize` title ids are reserved at a time per account (see ``TitleBlocks``).
    public init(client: PostgresClient, logger: Logger, leaseTimeout: Duration = .seconds(5),
                statementTimeout: Duration = .seconds(15), titleBlockSize: Int = 16) {
        self.client = client
        self.logger = logger
        self.leaseTimeout = leaseTimeout
        self.statementTimeout = statementTimeout
        self.titles = TitleBlocks(size: titleBlockSize)
    }

    /// A pool configuration from a `postgres://user:password@host:port/database` URL (`?sslmode=disable`,
    /// `prefer` (default) or `require`), with `maximumConnections` connections at most.
    public static func configuration(url text: String, maximumConnections: Int = 20,
                                     searchPath: String? = nil) throws -> PostgresClient.Configuration {
        guard let url = URLComponents(string: text), ["postgres", "postgresql"].contains(url.scheme ?? ""),
              let host = url.host, !host.isEmpty else {
            throw ServiceSettings.InvalidSetting(variable: "BOLETO_DATABASE_URL", expected: "a postgres://user:password@host:port/database URL")
        }
        let mode = url.queryItems?.first { $0.name == "sslmode" }?.value ?? "prefer"
        let tls: PostgresClient.Configuration.TLS
        switch mode {
        case "disable": tls = .disable
        case "require", "verify-full": tls = .require(.makeClientConfiguration())
        default: tls = .prefer(.makeClientConfiguration())
        }
        var configuration = PostgresClient.Configuration(
            host: host, port: url.port ?? 5432, username: url.user?.removingPercentEncoding ?? "postgres",
            password: url.password?.removingPercentEncoding,
            database: url.path.isEmpty || url.path == "/" ? nil : String(url.path.dropFirst()), tls: tls)
        configuration.options.maximumConnections = maximumConnections
        if let searchPath { configuration.options.additionalStartupParameters = [("search_path", searchPath)] }
        return configuration
    }

    /// Runs the pool until the calling task is cancelled.
    public func run() async { await client.run() }

    private let pool = PoolTask()

    /// Runs the pool in a task of its own until ``close()``, for callers without a service group.
    public func startPool() {
        let client = self.client
        pool.start { await client.run() }
    }

    /// Stops a pool started by ``startPool()``.
    public func close() async throws {
        await pool.stop()
    }

    /// Runs `body` in a transaction; an error of `body` (or of BEGIN/COMMIT) is rethrown as itself, not wrapped,
    /// and a lost or refused connection becomes ``StoreError/unavailable``. `bounded: false` lifts the statement
    /// timeout (migrations).
    private func transaction<T: Sendable>(bounded: Bool = true,
                                          _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await transaction(bounded: bounded, before: { _ in () }) { connection, _ in try await body(connection) }
    }

    /// Runs `before` on a pooled connection outside any transaction (its statements commit on their own), then
    /// `body` in a transaction on the same connection, with what `before` answered.
    private func transaction<P: Sendable, T: Sendable>(
        bounded: Bool = true, before: @escaping @Sendable (PostgresConnection) async throws -> P,
        _ body: @escaping @Sendable (PostgresConnection, P) async throws -> T
    ) async throws -> T {
        let logger = self.logger
        do {
            return try await leased(bounded: bounded) { connection in
                let prepared = try await before(connection)
                return try await connection.withTransaction(logger: logger) { connection in try await body(connection, prepared) }
            }
        } catch let error as PostgresTransactionError {
            throw Self.classify(error.closureError ?? error.commitError ?? error.beginError ?? error)
        } catch {
            throw Self.classify(error)
        }
    }

    /// One statement outside a transaction.
    @discardableResult
    private func execute(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        let logger = self.logger
        do {
            return try await leased { connection in
                try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
            }
        } catch {
            throw Self.classify(error)
        }
    }

    /// Runs `body` on a pooled connection, within two bounds:
    /// - Waiting for the connection is bounded by `leaseTimeout`: when the database cannot be reached, callers get
    ///   ``StoreError/unavailable`` instead of waiting.
    /// - Once `body` runs it is not interrupted within `statementTimeout` (not even when the caller is cancelled), so
    ///   a statement that reached the database is not abandoned halfway. Past it the call answers
    ///   ``StoreError/unavailable`` and its connection is closed: a connection whose server died under a statement
    ///   must not hold a request, or the worker, forever. (PostgresNIO 1.33 can leave such a statement waiting even
    ///   after the connection is closed and the task cancelled; the restart test caught it.) Whether that statement
    ///   committed is unknown, as for any lost connection; every write is safe to retry (idempotency keys, leased
    ///   jobs).
    private func leased<T: Sendable>(bounded: Bool = true,
                                     _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let state = LeaseState<T>()
        let client = self.client, wait = self.leaseTimeout, limit = bounded ? statementTimeout : nil, logger = self.logger
        // The bounds are event-loop timers: cheaper than a sleeping task per call, which costs dispatch timers.
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        return try await withCheckedThrowingContinuation { continuation in
            state.start(continuation)
            let work = Task {
                do {
                    let value = try await client.withConnection { connection in
                        // A call already answered "unavailable" must not run after all: its caller may retry it.
                        guard state.leased(connection) else { throw StoreError.unavailable }
                        return try await body(connection)
                    }
                    state.finish(.success(value))
                } catch {
                    state.finish(.failure(error))
                }
            }
            state.watch(loop.scheduleTask(in: .nanoseconds(wait.nanoseconds)) {
                if state.finishIfWaiting(.failure(StoreError.unavailable)) {
                    work.cancel()
                    return
                }
                guard let connection = state.connection, let limit else { return }
                state.watch(loop.scheduleTask(in: .nanoseconds(limit.nanoseconds)) {
                    logger.warning("a database call outlived BOLETO_DATABASE_STATEMENT_TIMEOUT_MS; closing its connection")
                    state.finish(.failure(StoreError.unavailable))
                    work.cancel()
                    let _: EventLoopFuture<Void> = connection.close()
                })
            })
        }
    }

    /// Connection-level failures (and the server's "shutting down" and connection-exception states) are
    /// ``StoreError/unavailable``; everything else is itself.
    static func classify(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError else { return error }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return StoreError.unavailable
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57P") ? StoreError.unavailable : error
        default:
            return error
        }
    }

    private func rows(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    private func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await execute(query)
    }

    // MARK: Schema

    public func migrate() async throws -> [Int] {
        try await transaction(bounded: false) { [self] db in
            // One migrator at a time across processes.
            try await db.query("SELECT pg_advisory_xact_lock(4242001)", logger: logger)
            try await db.query("""
                CREATE TABLE IF NOT EXISTS schema_migrations (
                    version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)
                """, logger: logger)
            let done = Set(try await rows(db, "SELECT version FROM schema_migrations").compactMap { $0.int("version") })
            var applied: [Int] = []
            for migration in Migrations.postgres where !done.contains(migration.version) {
                for statement in migration.statements { try await db.query(PostgresQuery(unsafeSQL: statement), logger: logger) }
                try await db.query("INSERT INTO schema_migrations (version, name, applied_at) VALUES (\(migration.version), \(migration.name), \(Timestamp.now()))",
                                   logger: logger)
                applied.append(migration.version)
            }
            return applied
        }
    }

    public func ping() async throws {
        _ = try await rows("SELECT 1 AS one")
    }

    // MARK: Clients

    public func insertClient(_ c: ClientRecord) async throws {
        try await execute("""
            INSERT INTO clients (id, name, key_hash, webhook_secret, created_at)
            VALUES (\(c.id), \(c.name), \(c.keyHash), \(c.webhookSecret), \(c.createdAt))
            """)
    }

    public func client(id: String) async throws -> ClientRecord? {
        try await rows("SELECT * FROM clients WHERE id = \(id)").first.map(RowMapping.client)
    }

    public func clientCount() async throws -> Int {
        try await rows("SELECT count(*) AS n FROM clients").first?.int("n") ?? 0
    }

    // MARK: Configurations

    public func insertConfiguration(_ c: ConfigurationRecord) async throws {
        do {
            try await execute("""
                INSERT INTO configurations (id, client_id, external_id, issuer, issuer_account, issuer_agency, issuer_wallet,
                    sandbox_scenario, beneficiary_document, issuer_bank, cnab, beneficiary_name, pix, created_at, updated_at)
                VALUES (\(c.id), \(c.clientID), \(c.externalID), \(c.issuer), \(c.issuerAccount), \(c.issuerAgency),
                    \(c.issuerWallet), \(c.sandboxScenario), \(c.beneficiaryDocument), \(c.issuerBank), \(try c.cnab?.encoded()),
                    \(c.beneficiaryName), \(try c.pix?.encoded()), \(c.createdAt), \(c.updatedAt))
                """)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw StoreError.duplicate(field: "external_id")
        }
    }

    public func updateConfiguration(_ c: ConfigurationRecord) async throws {
        try await execute("""
            UPDATE configurations SET issuer = \(c.issuer), issuer_account = \(c.issuerAccount), issuer_agency = \(c.issuerAgency),
                issuer_wallet = \(c.issuerWallet), sandbox_scenario = \(c.sandboxScenario),
                beneficiary_document = \(c.beneficiaryDocument), issuer_bank = \(c.issuerBank), cnab = \(try c.cnab?.encoded()),
                beneficiary_name = \(c.beneficiaryName), pix = \(try c.pix?.encoded()), updated_at = \(c.updatedAt)
            WHERE id = \(c.id) AND client_id = \(c.clientID)
            """)
    }

    public func configuration(clientID: String, id: String) async throws -> ConfigurationRecord? {
        try await rows("SELECT * FROM configurations WHERE client_id = \(clientID) AND id = \(id)").first.map(RowMapping.configuration)
    }

    public func configuration(clientID: String, externalID: String) async throws -> ConfigurationRecord? {
        try await rows("SELECT * FROM configurations WHERE client_id = \(clientID) AND external_id = \(externalID)")
            .first.map(RowMapping.configuration)
    }

    // MARK: Idempotency

    public func reserveIdempotencyKey(_ r: IdempotencyRecord) async throws -> IdempotencyRecord? {
        try await transaction { [self] db in
            let inserted = try await rows(db, """
                INSERT INTO idempotency_keys (client_id, key, request_hash, created_at)
                VALUES (\(r.clientID), \(r.key), \(r.requestHash), \(r.createdAt))
                ON CONFLICT (client_id, key) DO NOTHING RETURNING key
                """)
            guard inserted.isEmpty else { return nil }
            return try await rows(db, "SELECT * FROM idempotency_keys WHERE client_id = \(r.clientID) AND key = \(r.key)")
                .first.map { RowMapping.idempotency($0, clientID: r.clientID, key: r.key) }
        }
    }

    public func completeIdempotencyKey(clientID: String, key: String, statusCode: Int, body: String) async throws {
        try await execute("""
            UPDATE idempotency_keys SET status_code = \(statusCode), response_body = \(body)
            WHERE client_id = \(clientID) AND key = \(key)
            """)
    }

    public func releaseIdempotencyKey(clientID: String, key: String) async throws {
        try await execute("DELETE FROM idempotency_keys WHERE client_id = \(clientID) AND key = \(key) AND resource_id IS NULL")
    }

    public func idempotencyRecord(clientID: String, key: String) async throws -> IdempotencyRecord? {
        try await rows("SELECT * FROM idempotency_keys WHERE client_id = \(clientID) AND key = \(key)")
            .first.map { RowMapping.idempotency($0, clientID: clientID, key: key) }
    }

    public func purgeIdempotencyKeys(before cutoff: String) async throws -> Int {
        try await rows("DELETE FROM idempotency_keys WHERE created_at < \(cutoff) RETURNING key").count
    }

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
                        guard try await !titleTaken(db, account, requested) else { throw StoreError.duplicate(field: "title_id") }
                        titleID = requested
                    } else {
                        titleID = allocated ?? 0
                        // A number a client chose for an earlier boleto: skip it, with a new transaction.
                        guard try await !titleTaken(db, account, titleID) else { throw Taken() }
                    }
                    let (record, change) = try make(titleID)
                    try await insert(db, record)
                    try await write(db, change, boletoID: nil)
                    if let idempotency {
                        // The reservation must still be there. A call abandoned by the statement bound can release it
                        // before this transaction gets here, and a boleto without its key could be created twice.
                        let pointed = try await rows(db, """
                            UPDATE idempotency_keys SET resource_id = \(record.id)
                            WHERE client_id = \(idempotency.clientID) AND key = \(idempotency.key) RETURNING key
                            """)
                        guard !pointed.isEmpty else { throw StoreError.unavailable }
                    }
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

    private func titleTaken(_ db: PostgresConnection, _ a: BeneficiaryAccount, _ titleID: Int64) async throws -> Bool {
        try await !rows(db, """
            SELECT 1 AS taken FROM boletos
            WHERE bank = \(a.bank) AND issuer_agency = \(a.agency) AND issuer_account = \(a.account) AND title_id = \(titleID)
            """).isEmpty
    }

    /// The account's next title id, from this process's block (``TitleBlocks``). A block is reserved by one
    /// statement that commits on its own, on the create's connection before its transaction begins, so the account's
    /// sequence row is locked for that statement only, never across a create.
    private func allocateTitle(_ db: PostgresConnection, _ a: BeneficiaryAccount) async throws -> Int64 {
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

    private func insert(_ db: PostgresConnection, _ b: BoletoRecord) async throws {
        let details = try RowMapping.encode(b.details)
        try await db.query("""
            INSERT INTO boletos (id, client_id, token, status, bank, issuer, issuer_account, issuer_agency, issuer_wallet,
                title_id, nosso_numero, due_date, amount, paid_amount, barcode, digitable_line, payer_document_number,
                reference_id, issuer_response_code, bank_response_code, details, created_at, updated_at)
            VALUES (\(b.id), \(b.clientID), \(b.token), \(b.status.rawValue), \(b.bank), \(b.issuer), \(b.issuerAccount),
                \(b.issuerAgency), \(b.issuerWallet), \(b.titleID), \(b.nossoNumero), \(b.dueDate), \(b.amount),
                \(b.paidAmount), \(b.barcode), \(b.digitableLine), \(b.payerDocumentNumber), \(b.referenceID),
                \(b.issuerResponseCode), \(b.bankResponseCode), \(details), \(b.createdAt), \(b.updatedAt))
            """, logger: logger)
    }

    private func write(_ db: PostgresConnection, _ change: BoletoChange, boletoID: String?) async throws {
        for e in change.events {
            try await db.query("""
                INSERT INTO boleto_events (id, boleto_id, type, status, previous_status, detail, created_at)
                VALUES (\(e.id), \(e.boletoID), \(e.type), \(e.status.rawValue), \(e.previousStatus?.rawValue), \(e.detail), \(e.createdAt))
                """, logger: logger)
        }
        if let boletoID {
            for kind in change.removeJobKinds {
                try await db.query("DELETE FROM outbox WHERE boleto_id = \(boletoID) AND kind = \(kind.rawValue)", logger: logger)
            }
        }
        for j in change.jobs {
            try await db.query("""
                INSERT INTO outbox (id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at)
                VALUES (\(j.id), \(j.kind.rawValue), \(j.boletoID), \(j.target), \(j.payload), \(j.eventID), \(j.attempts),
                    \(j.availableAt), \(j.createdAt))
                """, logger: logger)
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
    private func write(_ db: PostgresConnection, _ write: BoletoWrite) async throws {
        let record = write.record
        if write.change.changed {
            let details = try RowMapping.encode(record.details)
            try await db.query("""
                UPDATE boletos SET status = \(record.status.rawValue), paid_amount = \(record.paidAmount),
                    issuer_response_code = \(record.issuerResponseCode), bank_response_code = \(record.bankResponseCode),
                    barcode = \(record.barcode), digitable_line = \(record.digitableLine), details = \(details),
                    updated_at = \(record.updatedAt)
                WHERE id = \(record.id)
                """, logger: logger)
        }
        try await self.write(db, write.change, boletoID: record.id)
    }

    /// Writes many boletos' changes in four statements per chunk (see ``BatchRows``).
    private func writeAll(_ db: PostgresConnection, _ writes: [BoletoWrite]) async throws {
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

    // MARK: Remessas and retornos

    // These two run without the statement bound: a retorno of many thousand titles is one transaction, and a bound
    // would turn a large file into a permanent failure.

    public func createRemessa(configuration: ConfigurationRecord, account: BeneficiaryAccount, firstSequence: Int,
                              make: @escaping @Sendable ([BoletoRecord], Int) throws -> RemessaDraft?) async throws -> RemessaRecord? {
        try await transaction(bounded: false) { [self] db in
            // The configuration's row lock makes concurrent remessas of one account run one after the other.
            _ = try await rows(db, "SELECT id FROM configurations WHERE id = \(configuration.id) FOR UPDATE")
            let pending = try await rows(db, """
                SELECT * FROM boletos WHERE client_id = \(configuration.clientID) AND issuer = 'cnab' AND status = 'issued'
                    AND bank = \(account.bank) AND issuer_agency = \(account.agency) AND issuer_account = \(account.account)
                ORDER BY seq FOR UPDATE
                """).map(RowMapping.boleto).filter(\.details.register)
            let last = try await rows(db, "SELECT max(sequence) AS n FROM remessas WHERE configuration_id = \(configuration.id)")
                .first?.int("n")
            guard let draft = try make(pending, max(last.map { $0 + 1 } ?? firstSequence, firstSequence)) else { return nil }
            let r = draft.remessa
            try await db.query("""
                INSERT INTO remessas (id, client_id, configuration_id, external_id, bank, layout, sequence, boleto_count,
                    total_amount, content, sha256, created_at)
                VALUES (\(r.id), \(r.clientID), \(r.configurationID), \(r.externalID), \(r.bank), \(r.layout), \(r.sequence),
                    \(r.boletoIDs.count), \(r.totalAmount), \(r.content), \(r.sha256), \(r.createdAt))
                """, logger: logger)
            if !r.boletoIDs.isEmpty {
                try await db.query("""
                    INSERT INTO remessa_boletos (remessa_id, position, boleto_id)
                    SELECT \(r.id), position, boleto_id FROM unnest(\(r.boletoIDs)::text[]) WITH ORDINALITY AS c(boleto_id, position)
                    """, logger: logger)
            }
            try await writeAll(db, draft.writes)
            return r
        }
    }

    public func remessa(clientID: String, id: String) async throws -> RemessaRecord? {
        try await transaction { [self] db in
            guard let row = try await rows(db, "SELECT * FROM remessas WHERE id = \(id) AND client_id = \(clientID)").first else {
                return nil
            }
            let boletos = try await rows(db, "SELECT boleto_id FROM remessa_boletos WHERE remessa_id = \(id) ORDER BY position")
                .compactMap { $0.text("boleto_id") }
            return RowMapping.remessa(row, boletoIDs: boletos)
        }
    }

    public func applyRetorno(_ retorno: RetornoRecord, account: BeneficiaryAccount, titleIDs: [Int64],
                             apply: @escaping @Sendable ([Int64: BoletoRecord]) throws -> RetornoDraft) async throws
        -> (record: RetornoRecord, replayed: Bool) {
        let existing: PostgresQuery = "SELECT * FROM retornos WHERE client_id = \(retorno.clientID) AND sha256 = \(retorno.sha256)"
        do {
            return try await transaction(bounded: false) { [self] db in
                if let row = try await rows(db, existing).first { return (RowMapping.retorno(row), true) }
                var found: [Int64: BoletoRecord] = [:]
                let ids = Array(Set(titleIDs)).sorted()
                for start in stride(from: 0, to: ids.count, by: 1000) {
                    let chunk = Array(ids[start..<min(start + 1000, ids.count)])
                    let rows = try await rows(db, """
                        SELECT * FROM boletos WHERE client_id = \(retorno.clientID) AND bank = \(account.bank)
                            AND issuer_agency = \(account.agency) AND issuer_account = \(account.account)
                            AND title_id = ANY(\(chunk)) ORDER BY id FOR UPDATE
                        """)
                    for record in try rows.map(RowMapping.boleto) { found[record.titleID] = record }
                }
                let draft = try apply(found)
                var record = retorno
                record.result = draft.result
                try await db.query("""
                    INSERT INTO retornos (id, client_id, configuration_id, sha256, bank, layout, title_count, result, created_at)
                    VALUES (\(record.id), \(record.clientID), \(record.configurationID), \(record.sha256), \(record.bank),
                        \(record.layout), \(record.titleCount), \(record.result), \(record.createdAt))
                    """, logger: logger)
                try await writeAll(db, draft.writes)
                return (record, false)
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505"
            && error.serverInfo?[.constraintName] == "retornos_file_unique" {
            // The same file applied by a concurrent upload that committed first.
            guard let row = try await rows(existing).first else { throw error }
            return (RowMapping.retorno(row), true)
        }
    }

    public func events(boletoID: String) async throws -> [BoletoEvent] {
        try await rows("SELECT * FROM boleto_events WHERE boleto_id = \(boletoID) ORDER BY seq").map { RowMapping.event($0, boletoID: boletoID) }
    }

    // MARK: Outbox

    public func claimJobs(kinds: [JobKind], now: String, leaseUntil: String, limit: Int) async throws -> [OutboxJob] {
        guard !kinds.isEmpty else { return [] }
        let names = kinds.map(\.rawValue)
        return try await rows("""
            UPDATE outbox SET locked_until = \(leaseUntil) WHERE seq IN (
                SELECT seq FROM outbox WHERE kind = ANY(\(names)) AND available_at <= \(now)
                    AND (locked_until IS NULL OR locked_until <= \(now))
                ORDER BY available_at, seq LIMIT \(limit) FOR UPDATE SKIP LOCKED)
            RETURNING *
            """).map(RowMapping.job)
    }

    public func completeJob(id: String) async throws {
        try await execute("DELETE FROM outbox WHERE id = \(id)")
    }

    public func rescheduleJob(id: String, attempts: Int, availableAt: String, lastError: String) async throws {
        try await execute("""
            UPDATE outbox SET attempts = GREATEST(attempts, \(attempts)), available_at = \(availableAt), last_error = \(lastError), locked_until = NULL
            WHERE id = \(id)
            """)
    }

    public func deadLetterJob(_ job: OutboxJob, attempts: Int, lastError: String, event: BoletoEvent?) async throws {
        try await transaction { [self] db in
            try await db.query("""
                INSERT INTO dead_letters (id, kind, boleto_id, target, payload, event_id, attempts, last_error, created_at, dead_at)
                VALUES (\(job.id), \(job.kind.rawValue), \(job.boletoID), \(job.target), \(job.payload), \(job.eventID), \(attempts),
                    \(lastError), \(job.createdAt), \(Timestamp.now()))
                ON CONFLICT (id) DO UPDATE SET attempts = EXCLUDED.attempts, last_error = EXCLUDED.last_error, dead_at = EXCLUDED.dead_at
                """, logger: logger)
            try await db.query("DELETE FROM outbox WHERE id = \(job.id)", logger: logger)
            var change = BoletoChange()
            if let event { change.events = [event] }
            try await write(db, change, boletoID: nil)
        }
    }

    public func pendingJobCounts() async throws -> [JobKind: Int] {
        try await counts(rows("SELECT kind, count(*) AS n FROM outbox GROUP BY kind"))
    }

    public func deadLetterCounts() async throws -> [JobKind: Int] {
        try await counts(rows("SELECT kind, count(*) AS n FROM dead_letters GROUP BY kind"))
    }

    public func deadLetter(id: String) async throws -> DeadLetter? {
        try await rows("SELECT id, kind, boleto_id, attempts, last_error, dead_at FROM dead_letters WHERE id = \(id)")
            .first.map(RowMapping.deadLetter)
    }

    public func deadLetters(boletoID: String?, limit: Int) async throws -> [DeadLetter] {
        try await rows("""
            SELECT id, kind, boleto_id, attempts, last_error, dead_at FROM dead_letters
            WHERE \(boletoID)::text IS NULL OR boleto_id = \(boletoID) ORDER BY dead_at, id LIMIT \(limit)
            """).map(RowMapping.deadLetter)
    }

    public func requeueDeadLetters(boletoID: String?) async throws -> Int {
        let now = Timestamp.now()
        return try await transaction { [self] db in
            let moved = try await rows(db, """
                WITH taken AS (
                    DELETE FROM dead_letters WHERE \(boletoID)::text IS NULL OR boleto_id = \(boletoID) RETURNING *)
                INSERT INTO outbox (id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at)
                SELECT id, kind, boleto_id, target, payload, event_id, 0, \(now), created_at FROM taken
                ORDER BY dead_at, id
                ON CONFLICT (id) DO NOTHING RETURNING id
                """)
            return moved.count
        }
    }

    private func counts(_ rows: [PostgresRandomAccessRow]) -> [JobKind: Int] {
        var result: [JobKind: Int] = [:]
        for row in rows {
            if let kind = row.text("kind").flatMap(JobKind.init(rawValue:)) { result[kind] = row.int("n") ?? 0 }
        }
        return result
    }

    public func jobs(boletoID: String) async throws -> [OutboxJob] {
        try await rows("SELECT * FROM outbox WHERE boleto_id = \(boletoID) ORDER BY seq").map(RowMapping.job)
    }
}

extension PostgresRandomAccessRow: StoreRow {
    func text(_ name: String) -> String? {
        guard contains(name) else { return nil }
        return try? self[name].decode(String?.self)
    }

    func int(_ name: String) -> Int? {
        guard contains(name) else { return nil }
        if let value = try? self[name].decode(Int?.self) { return value }
        return nil
    }
}

/// The task that runs a pool, started and stopped once.
private final class PoolTask: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    func start(_ body: @escaping @Sendable () async -> Void) {
        lock.withLock { if task == nil { task = Task { await body() } } }
    }

    func stop() async {
        let running = lock.withLock { () -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
    }
}

/// Set once a pooled connection was obtained.
/// One call of ``PostgresStore/leased(bounded:_:)``: its continuation, resumed once (by the call's end or by a
/// bound), the connection it was given, and the timer that watches it.
private final class LeaseState<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var leasedConnection: PostgresConnection?
    private var timer: Scheduled<Void>?
    private var done = false

    func start(_ continuation: CheckedContinuation<T, any Error>) { lock.withLock { self.continuation = continuation } }
    /// Records the connection the call was given; false when the call was answered already (its body must not run).
    func leased(_ connection: PostgresConnection) -> Bool {
        lock.withLock {
            guard !done else { return false }
            leasedConnection = connection
            return true
        }
    }
    var connection: PostgresConnection? { lock.withLock { leasedConnection } }

    /// Keeps the timer, to stop it when the call ends first.
    func watch(_ task: Scheduled<Void>) {
        let finished = lock.withLock {
            if !done { timer = task }
            return done
        }
        if finished { task.cancel() }
    }

    /// Resumes the caller with `result` if the call is still waiting for a connection (atomically with
    /// ``leased(_:)``); answers whether it did.
    func finishIfWaiting(_ result: Result<T, any Error>) -> Bool {
        finish(result, onlyIfWaiting: true)
    }

    /// Resumes the caller with `result` unless it was resumed already; answers whether it did.
    @discardableResult
    func finish(_ result: Result<T, any Error>, onlyIfWaiting: Bool = false) -> Bool {
        let (continuation, timer): (CheckedContinuation<T, any Error>?, Scheduled<Void>?) = lock.withLock {
            guard !done, !(onlyIfWaiting && leasedConnection != nil) else { return (nil, nil) }
            done = true
            defer { self.continuation = nil; self.timer = nil }
            return (self.continuation, self.timer)
        }
        timer?.cancel()
        continuation?.resume(with: result)
        return continuation != nil
    }
}
