import Logging
import PostgresNIO
import SQLiteNIO

/// A Postgres transaction (or connection) running the shared scripts: each value bound, none written into the SQL.
struct PostgresTransaction: SQLTransaction {
    let connection: PostgresConnection
    let logger: Logger

    @discardableResult
    func run(_ statement: SQLStatement) async throws -> [any StoreRow] {
        var binds = PostgresBindings(capacity: statement.values.count)
        for value in statement.values {
            switch value {
            case .text(let text): binds.append(text)
            case .integer(let number): binds.append(number)
            case .null: binds.appendNull()
            }
        }
        return try await connection.query(PostgresQuery(unsafeSQL: statement.sql, binds: binds), logger: logger).collect()
            .map { $0.makeRandomAccess() }
    }
}

/// A SQLite transaction running the shared scripts (`$n` placeholders read as `?n`).
struct SQLiteTransaction: SQLTransaction {
    let connection: SQLiteConnection

    @discardableResult
    func run(_ statement: SQLStatement) async throws -> [any StoreRow] {
        try await connection.query(statement.sqliteText, statement.values.map { value -> SQLiteData in
            switch value {
            case .text(let text): .text(text)
            case .integer(let number): .integer(Int(number))
            case .null: .null
            }
        })
    }
}
