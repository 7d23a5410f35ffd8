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
    let connection: SQLiteConnection
    let lock = AsyncLock()

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
    func transaction<T: Sendable>(deferred: Bool = false, _ body: (SQLiteConnection) async throws -> T) async throws -> T {
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
    func read<T: Sendable>(_ body: (SQLiteConnection) async throws -> T) async throws -> T {
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
