import PostgresNIO

/// The statements of the hot paths (a create, a status change, a read), prepared once per connection, so that
/// Postgres parses and plans them once rather than on every call. perf showed parsing and planning as a large part
/// of the server's CPU per create while these were unnamed statements. Every parameter carries a cast, so its type
/// never depends on the values of the call that prepared it.
enum PostgresStatements {
    /// A boleto change's events, from the JSON array in parameter `parameter`, in the order they were made (their
    /// `seq` follows it). `when` gates the insert on the rest of the statement.
    static func eventsInsert(from parameter: String, when condition: String = "") -> String {
        """
        INSERT INTO boleto_events (id, boleto_id, type, status, previous_status, detail, created_at)
            SELECT id, boleto_id, type, status, previous_status, detail, created_at
            FROM json_to_recordset(\(parameter)::json) AS e(n bigint, id text, boleto_id text, type text, status text,
                previous_status text, detail text, created_at text)
            \(condition) ORDER BY n
            RETURNING id
        """
    }

    /// A boleto change's outbox jobs, from the JSON array in parameter `parameter`, in order.
    static func jobsInsert(from parameter: String, when condition: String = "") -> String {
        """
        INSERT INTO outbox (id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at)
            SELECT id, kind, boleto_id, target, payload, event_id, attempts, available_at, created_at
            FROM json_to_recordset(\(parameter)::json) AS j(n bigint, id text, kind text, boleto_id text, target text,
                payload text, event_id text, attempts int, available_at text, created_at text)
            \(condition) ORDER BY n
            RETURNING id
        """
    }

    /// The first row of a prepared statement's answer, the rest read and dropped.
    static func first<Rows: AsyncSequence>(_ rows: Rows) async throws -> Rows.Element? {
        var first: Rows.Element?
        for try await row in rows where first == nil { first = row }
        return first
    }

    /// A new boleto unless its title id is taken in its account; then, only if it was written, its events and jobs
    /// (JSON arrays) and the idempotency key's pointer. Data-modifying CTEs run once each, on one snapshot: one round
    /// trip where the create used to take six. Answers `inserted` and `pointed` (0 or 1 each).
    struct InsertBoleto: PostgresPreparedStatement {
        static let sql = """
            WITH b AS (
                INSERT INTO boletos (id, client_id, token, status, bank, issuer, issuer_account, issuer_agency, issuer_wallet,
                    title_id, nosso_numero, due_date, amount, paid_amount, barcode, digitable_line, payer_document_number,
                    reference_id, issuer_response_code, bank_response_code, details, created_at, updated_at)
                SELECT $1::text, $2::text, $3::text, $4::text, $5::text, $6::text, $7::text, $8::text, $9::text,
                    $10::bigint, $11::text, $12::text, $13::bigint, $14::bigint, $15::text, $16::text, $17::text, $18::text,
                    $19::text, $20::text, $21::text, $22::text, $23::text
                WHERE NOT EXISTS (SELECT 1 FROM boletos WHERE bank = $5::text AND issuer_agency = $8::text
                    AND issuer_account = $7::text AND title_id = $10::bigint)
                RETURNING id),
            e AS (\(eventsInsert(from: "$24", when: "WHERE EXISTS (SELECT 1 FROM b)"))),
            j AS (\(jobsInsert(from: "$25", when: "WHERE EXISTS (SELECT 1 FROM b)"))),
            p AS (
                UPDATE idempotency_keys SET resource_id = $1::text
                WHERE $26::text IS NOT NULL AND client_id = $26::text AND key = $27::text AND EXISTS (SELECT 1 FROM b)
                RETURNING key)
            SELECT (SELECT count(*) FROM b)::int8 AS inserted, (SELECT count(*) FROM p)::int8 AS pointed
            """
        typealias Row = (Int, Int)

        let record: BoletoRecord
        let change: BoletoChange
        let idempotency: (clientID: String, key: String)?

        func makeBindings() throws -> PostgresBindings {
            let b = record
            let rows = try BatchRows([BoletoWrite(record: b, change: change)])
            var binds = PostgresBindings(capacity: 27)
            binds.append(b.id); binds.append(b.clientID); binds.append(b.token); binds.append(b.status.rawValue)
            binds.append(b.bank); binds.append(b.issuer); binds.append(b.issuerAccount); binds.append(b.issuerAgency)
            binds.append(b.issuerWallet); binds.append(b.titleID); binds.append(b.nossoNumero); binds.append(b.dueDate)
            binds.append(b.amount); binds.append(b.paidAmount); binds.append(b.barcode); binds.append(b.digitableLine)
            binds.append(b.payerDocumentNumber); binds.append(b.referenceID); binds.append(b.issuerResponseCode)
            binds.append(b.bankResponseCode); binds.append(try RowMapping.encode(b.details)); binds.append(b.createdAt)
            binds.append(b.updatedAt)
            binds.append(BatchRows.text(rows.events) ?? "[]"); binds.append(BatchRows.text(rows.jobs) ?? "[]")
            binds.append(idempotency?.clientID); binds.append(idempotency?.key)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode((Int, Int).self) }
    }

    /// One boleto's change: its row (when `$10` is true), its job removals (`$11`, kinds), its events and jobs (JSON
    /// arrays). The row and the removals are found by key: a join with a JSON array would make the planner scan.
    ///
    /// With `expected`, it is a compare-and-set: the row is written only if every column a change can touch still
    /// holds what the caller read (`$14`…`$21`), and the removals, events and jobs only with it. One round trip, no
    /// lock held across the caller's work; a row changed meanwhile answers 0, and the caller takes the locking path.
    struct WriteBoleto: PostgresPreparedStatement {
        static let sql = """
            WITH u AS (
                UPDATE boletos SET status = $2::text, paid_amount = $3::bigint, issuer_response_code = $4::text,
                    bank_response_code = $5::text, barcode = $6::text, digitable_line = $7::text, details = $8::text,
                    updated_at = $9::text, due_date = $22::text, amount = $23::bigint
                WHERE id = $1::text AND $10::bool AND ($14::text IS NULL OR (status = $14::text
                    AND paid_amount = $15::bigint AND issuer_response_code IS NOT DISTINCT FROM $16::text
                    AND bank_response_code IS NOT DISTINCT FROM $17::text AND barcode = $18::text
                    AND digitable_line = $19::text AND details = $20::text AND updated_at = $21::text))
                RETURNING id),
            r AS (
                DELETE FROM outbox WHERE boleto_id = $1::text AND kind = ANY($11::text[])
                    AND ($14::text IS NULL OR EXISTS (SELECT 1 FROM u))
                RETURNING id),
            e AS (\(eventsInsert(from: "$12", when: "WHERE $14::text IS NULL OR EXISTS (SELECT 1 FROM u)"))),
            j AS (\(jobsInsert(from: "$13", when: "WHERE $14::text IS NULL OR EXISTS (SELECT 1 FROM u)")))
            SELECT (SELECT count(*) FROM u)::int8 AS updated
            """
        typealias Row = Int

        let write: BoletoWrite
        /// The row as the caller read it, for a compare-and-set; nil writes unconditionally.
        var expected: BoletoRecord? = nil

        func makeBindings() throws -> PostgresBindings {
            let r = write.record, change = write.change
            let rows = try BatchRows([write])
            var binds = PostgresBindings(capacity: 23)
            binds.append(r.id); binds.append(r.status.rawValue); binds.append(r.paidAmount); binds.append(r.issuerResponseCode)
            binds.append(r.bankResponseCode); binds.append(r.barcode); binds.append(r.digitableLine)
            binds.append(try RowMapping.encode(r.details)); binds.append(r.updatedAt); binds.append(change.changed)
            binds.append(change.removeJobKinds.map(\.rawValue))
            binds.append(BatchRows.text(rows.events) ?? "[]"); binds.append(BatchRows.text(rows.jobs) ?? "[]")
            let e = expected
            binds.append(e?.status.rawValue); binds.append(e?.paidAmount); binds.append(e?.issuerResponseCode)
            binds.append(e?.bankResponseCode); binds.append(e?.barcode); binds.append(e?.digitableLine)
            binds.append(try e.map { try RowMapping.encode($0.details) }); binds.append(e?.updatedAt)
            binds.append(r.dueDate); binds.append(r.amount)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { try row.decode(Int.self) }
    }

    /// A boleto by id (and, when `$2` is not null, only that client's), locked for a change when `Lock` says so.
    struct SelectBoleto: PostgresPreparedStatement {
        static let sql = "SELECT * FROM boletos WHERE id = $1::text AND ($2::text IS NULL OR client_id = $2::text)"
        typealias Row = PostgresRandomAccessRow

        let id: String
        let clientID: String?

        func makeBindings() throws -> PostgresBindings {
            var binds = PostgresBindings(capacity: 2)
            binds.append(id)
            binds.append(clientID)
            return binds
        }

        func decodeRow(_ row: PostgresRow) throws -> Row { row.makeRandomAccess() }
    }

    /// ``SelectBoleto`` with the row locked until the transaction ends.
    struct LockBoleto: PostgresPreparedStatement {
        static let sql = SelectBoleto.sql + " FOR UPDATE"
        typealias Row = PostgresRandomAccessRow

        let select: SelectBoleto

        func makeBindings() throws -> PostgresBindings { try select.makeBindings() }
        func decodeRow(_ row: PostgresRow) throws -> Row { row.makeRandomAccess() }
    }
}
