import BoletoJSON
import Foundation
import Logging
import PostgresNIO

/// The outbox and the dead letters on Postgres (claims with `FOR UPDATE SKIP LOCKED`).
extension PostgresStore {
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
            try await TransactionScripts.deadLetter(tx(db), job, attempts: attempts, lastError: lastError, event: event,
                                                    now: Timestamp.now())
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
            try await TransactionScripts.requeueDeadLetters(tx(db), boletoID: boletoID, now: now)
        }
    }

    func counts(_ rows: [PostgresRandomAccessRow]) -> [JobKind: Int] {
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
