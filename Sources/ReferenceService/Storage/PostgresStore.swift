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
    let logger: Logger
    /// The bounds every call runs within: the wait for a connection, and the statement.
    let leases: PostgresLeases

    /// Title ids reserved by this process, per beneficiary account.
    let titles: TitleBlocks

    /// A store over `client`; `logger` receives PostgresNIO's transaction logs (which never carry bound values).
    /// `titleBlockSize` title ids are reserved at a time per account (see ``TitleBlocks``); at most `maxActive` calls
    /// run on the database at once (`BOLETO_DATABASE_MAX_ACTIVE`).
    public init(client: PostgresClient, logger: Logger, leaseTimeout: Duration = .seconds(5),
                statementTimeout: Duration = .seconds(15), titleBlockSize: Int = 16, maxActive: Int? = nil) {
        self.client = client
        self.logger = logger
        self.leases = PostgresLeases(shelf: ConnectionShelf(client: client), logger: logger, leaseTimeout: leaseTimeout,
                                     statementTimeout: statementTimeout,
                                     active: AsyncLimiter(limit: maxActive ?? ServiceSettings.defaultDatabaseMaxActive))
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
        // No keep-alive queries. PostgresNIO schedules a keep-alive timer every time a connection is returned to
        // the pool, and each timer is a task with a dispatch timer, started and cancelled per call; perf put a large
        // share of a read's CPU in such timers. A server that closes a connection is still noticed at once (the
        // socket closes), and a connection that hangs is closed by the statement timeout (PostgresLeases).
        // (A minimum of open connections would spare the idle timers too, but PostgresNIO 1.33's pool traps on a
        // precondition when a lease arrives while a minimum connection is being replaced: the restart tests hit it.)
        configuration.options.keepAliveBehavior = nil
        if let searchPath { configuration.options.additionalStartupParameters = [("search_path", searchPath)] }
        return configuration
    }

    /// Runs the pool until the calling task is cancelled. The connections kept between calls go back to the pool
    /// first, so that it can close them.
    public func run() async {
        let shelf = leases.shelf, client = self.client
        await withTaskCancellationHandler { await client.run() } onCancel: { shelf.close() }
    }

    let pool = PoolTask()

    /// Runs the pool in a task of its own until ``close()``, for callers without a service group.
    public func startPool() {
        let client = self.client
        pool.start { await client.run() }
    }

    /// Stops a pool started by ``startPool()``.
    public func close() async throws {
        leases.shelf.close()
        await pool.stop()
    }

    /// Runs `body` in a transaction; an error of `body` (or of BEGIN/COMMIT) is rethrown as itself, not wrapped,
    /// and a lost or refused connection becomes ``StoreError/unavailable``. `bounded: false` lifts the statement
    /// timeout (migrations).
    func transaction<T: Sendable>(bounded: Bool = true,
                                  _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let logger = self.logger
        do {
            return try await leased(bounded: bounded) { connection in
                try await connection.withTransaction(logger: logger) { connection in try await body(connection) }
            }
        } catch let error as PostgresTransactionError {
            throw Self.classify(error.closureError ?? error.commitError ?? error.beginError ?? error)
        } catch {
            throw Self.classify(error)
        }
    }

    /// One statement outside a transaction.
    @discardableResult
    func execute(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        let logger = self.logger
        do {
            return try await leased { connection in
                try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
            }
        } catch {
            throw Self.classify(error)
        }
    }

    /// Runs `body` on a pooled connection within the wait and statement bounds (``PostgresLeases``).
    func leased<T: Sendable>(bounded: Bool = true,
                             _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        try await leases.run(bounded: bounded, body)
    }

    static func classify(_ error: any Error) -> any Error { PostgresLeases.classify(error) }

    func rows(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
        try await connection.query(query, logger: logger).collect().map { $0.makeRandomAccess() }
    }

    func rows(_ query: PostgresQuery) async throws -> [PostgresRandomAccessRow] {
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
