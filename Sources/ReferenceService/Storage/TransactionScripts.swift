import BoletoJSON
import Foundation

/// A value bound to a statement of either store.
enum SQLValue: Sendable {
    case text(String)
    case integer(Int64)
    case null

    /// A text, or NULL.
    static func optional(_ text: String?) -> SQLValue { text.map(SQLValue.text) ?? .null }
}

/// A statement in SQL that both stores accept, with `$1`…`$n` placeholders (SQLite reads them as `?1`…`?n`).
struct SQLStatement: Sendable {
    let sql: String
    let values: [SQLValue]

    init(_ sql: String, _ values: [SQLValue]) {
        self.sql = sql
        self.values = values
    }

    /// The statement with SQLite's numbered placeholders.
    var sqliteText: String { sql.replacingOccurrences(of: "$", with: "?") }
}

/// An open transaction of either store. The scripts below run their statements through it.
protocol SQLTransaction: Sendable {
    @discardableResult
    func run(_ statement: SQLStatement) async throws -> [any StoreRow]
}

/// The transaction scripts that are the same in both dialects, written once. Each store opens the transaction its
/// own way (a pooled connection and BEGIN on Postgres; the store's lock and BEGIN IMMEDIATE on SQLite) and runs the
/// script inside it. Title ids are the exception: each store allocates them its own way (``TitleBlocks`` on
/// Postgres, the sequence row inside the transaction on SQLite).
enum TransactionScripts {
    /// Whether a boleto of `account` already has `titleID`.
    static func titleTaken(_ tx: some SQLTransaction, _ account: BeneficiaryAccount, _ titleID: Int64) async throws -> Bool {
        try await !tx.run(SQLStatement("""
            SELECT 1 AS taken FROM boletos WHERE bank = $1 AND issuer_agency = $2 AND issuer_account = $3 AND title_id = $4
            """, [.text(account.bank), .text(account.agency), .text(account.account), .integer(titleID)])).isEmpty
    }

    /// Writes a new boleto, what its creation writes with it (its event, its register job), and points the
    /// idempotency key at it. The key's reservation must still be there: a call abandoned by a bound can release it
    /// before the create gets here, and a boleto without its key could be created twice, so its absence fails the
    /// create as ``StoreError/unavailable``.
    static func insertBoleto(_ tx: some SQLTransaction, _ b: BoletoRecord, _ change: BoletoChange,
                             idempotency: (clientID: String, key: String)?) async throws {
        try await tx.run(SQLStatement("""
            INSERT INTO boletos (id, client_id, token, status, bank, issuer, issuer_account, issuer_agency, issuer_wallet,
                title_id, nosso_numero, due_date, amount, paid_amount, barcode, digitable_line, payer_document_number,
                reference_id, issuer_response_code, bank_response_code, details, created_at, updated_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23)
            """, [.text(b.id), .text(b.clientID), .text(b.token), .text(b.status.rawValue), .text(b.bank), .text(b.issuer),
                  .text(b.issuerAccount), .text(b.issuerAgency), .text(b.issuerWallet), .integer(b.titleID),
                  .text(b.nossoNumero), .text(b.dueDate), .integer(b.amount), .integer(b.paidAmount), .text(b.barcode),
                  .text(b.digitableLine), .optional(b.payerDocumentNumber), .optional(b.referenceID),
                  .optional(b.issuerResponseCode), .optional(b.bankResponseCode), .text(try RowMapping.encode(b.details)),
                  .text(b.createdAt), .text(b.updatedAt)]))
        try await write(tx, change, boletoID: nil)
        if let idempotency {
            let pointed = try await tx.run(SQLStatement(
                "UPDATE idempotency_keys SET resource_id = $1 WHERE client_id = $2 AND key = $3 RETURNING key",
                [.text(b.id), .text(idempotency.clientID), .text(idempotency.key)]))
            guard !pointed.isEmpty else { throw StoreError.unavailable }
        }
    }

    /// A boleto's change: its row (when it changed), then its events, job removals and jobs.
    static func write(_ tx: some SQLTransaction, _ write: BoletoWrite) async throws {
        if write.change.changed { try await updateRow(tx, write.record) }
        try await self.write(tx, write.change, boletoID: write.record.id)
    }

    /// Rewrites the mutable columns of a boleto row; its status is the one ``StatusMachine`` left in the record.
    static func updateRow(_ tx: some SQLTransaction, _ r: BoletoRecord) async throws {
        try await tx.run(SQLStatement("""
            UPDATE boletos SET status = $1, paid_amount = $2, issuer_response_code = $3, bank_response_code = $4,
                barcode = $5, digitable_line = $6, details = $7, updated_at = $8, due_date = $10, amount = $11
            WHERE id = $9
            """, [.text(r.status.rawValue), .integer(r.paidAmount), .optional(r.issuerResponseCode),
                  .optional(r.bankResponseCode), .text(r.barcode), .text(r.digitableLine),
                  .text(try RowMapping.encode(r.details)), .text(r.updatedAt), .text(r.id), .text(r.dueDate),
                  .integer(r.amount)]))
    }

    /// What a change writes besides the row: events, then (for an existing boleto) job removals, then jobs.
    static func write(_ tx: some SQLTransaction, _ change: BoletoChange, boletoID: String?) async throws {
        for e in change.events {
            try await tx.run(SQLStatement("""
                INSERT INTO boleto_events (id, boleto_id, type, status, previous_status, detail, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7)
                """, [.text(e.id), .text(e.boletoID), .text(e.type), .text(e.status.rawValue),
                      .optional(e.previousStatus?.rawValue), .text(e.detail), .text(e.createdAt)]))
        }
        if let boletoID {
            for kind in change.removeJobKinds {
                try await tx.run(SQLStatement("DELETE FROM outbox WHERE boleto_id = $1 AND kind = $2",
                                              [.text(boletoID), .text(kind.rawValue)]))
            }
        }
        for j in change.jobs {
            try await tx.run(SQLStatement("""
                INSERT INTO outbox (id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at)
                VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
                """, [.text(j.id), .text(j.kind.rawValue), .text(j.boletoID), .text(j.target), .text(j.payload),
                      .optional(j.eventID), .integer(Int64(j.attempts)), .text(j.availableAt), .text(j.createdAt)]))
        }
    }

    /// Writes a carnê's boletos (each as ``insertBoleto(_:_:_:idempotency:)`` does, without a key) and its row, and
    /// points the idempotency key at the carnê (its reservation must still be there, as for a boleto).
    static func insertCarne(_ tx: some SQLTransaction, _ carne: CarneRecord, _ boletos: [(BoletoRecord, BoletoChange)],
                            idempotency: (clientID: String, key: String)?) async throws {
        for (record, change) in boletos { try await insertBoleto(tx, record, change, idempotency: nil) }
        try await tx.run(SQLStatement("INSERT INTO carnes (id, client_id, boleto_ids, created_at) VALUES ($1, $2, $3, $4)",
                                      [.text(carne.id), .text(carne.clientID),
                                       .text(JSON.array(carne.boletoIDs.map(JSON.string)).text), .text(carne.createdAt)]))
        if let idempotency {
            let pointed = try await tx.run(SQLStatement(
                "UPDATE idempotency_keys SET resource_id = $1 WHERE client_id = $2 AND key = $3 RETURNING key",
                [.text(carne.id), .text(idempotency.clientID), .text(idempotency.key)]))
            guard !pointed.isEmpty else { throw StoreError.unavailable }
        }
    }

    /// A carnê's row (with `clientID`, only that client's).
    static func carne(_ tx: some SQLTransaction, clientID: String?, id: String) async throws -> CarneRecord? {
        guard let row = try await tx.run(SQLStatement("SELECT * FROM carnes WHERE id = $1 AND (CAST($2 AS TEXT) IS NULL OR client_id = $2)",
                                                      [.text(id), .optional(clientID)])).first,
              let text = row.text("boleto_ids"), case .array(let items)? = try? JSON.parse(text) else { return nil }
        let ids = items.compactMap { item -> String? in if case .string(let value) = item { value } else { nil } }
        return CarneRecord(id: id, clientID: row.text("client_id") ?? "", boletoIDs: ids, createdAt: row.text("created_at") ?? "")
    }

    /// Moves a job whose attempts ran out to `dead_letters` (a job dead-lettered again keeps one row, with the new
    /// count and error), with its event.
    static func deadLetter(_ tx: some SQLTransaction, _ job: OutboxJob, attempts: Int, lastError: String,
                           event: BoletoEvent?, now: String) async throws {
        try await tx.run(SQLStatement("""
            INSERT INTO dead_letters (id, kind, boleto_id, target, payload, event_id, attempts, last_error, created_at, dead_at)
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
            ON CONFLICT (id) DO UPDATE SET attempts = excluded.attempts, last_error = excluded.last_error,
                dead_at = excluded.dead_at
            """, [.text(job.id), .text(job.kind.rawValue), .text(job.boletoID), .text(job.target), .text(job.payload),
                  .optional(job.eventID), .integer(Int64(attempts)), .text(lastError), .text(job.createdAt), .text(now)]))
        try await tx.run(SQLStatement("DELETE FROM outbox WHERE id = $1", [.text(job.id)]))
        var change = BoletoChange()
        if let event { change.events = [event] }
        try await write(tx, change, boletoID: nil)
    }

    /// Moves dead-lettered jobs (all, or one boleto's) back to the outbox, due `now` with their attempts reset,
    /// oldest first. A job already back in the outbox is left as it is. Answers how many moved.
    static func requeueDeadLetters(_ tx: some SQLTransaction, boletoID: String?, now: String) async throws -> Int {
        let moved = try await tx.run(SQLStatement("""
            INSERT INTO outbox (id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at)
            SELECT id, kind, boleto_id, target, payload, event_id, 0, $1, created_at FROM dead_letters
            WHERE CAST($2 AS TEXT) IS NULL OR boleto_id = $2 ORDER BY dead_at, id
            ON CONFLICT (id) DO NOTHING RETURNING id
            """, [.text(now), .optional(boletoID)]))
        try await tx.run(SQLStatement("DELETE FROM dead_letters WHERE CAST($1 AS TEXT) IS NULL OR boleto_id = $1",
                                      [.optional(boletoID)]))
        return moved.count
    }
}
