import BoletoJSON
import Foundation
import Logging
import SQLiteNIO

/// The outbox and the dead letters on SQLite.
extension SQLiteStore {
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
            try await TransactionScripts.deadLetter(SQLiteTransaction(connection: db), job, attempts: attempts,
                                                    lastError: lastError, event: event, now: Timestamp.now())
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
            try await TransactionScripts.requeueDeadLetters(SQLiteTransaction(connection: db), boletoID: boletoID, now: now)
        }
    }

    func counts(_ sql: String) async throws -> [JobKind: Int] {
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
