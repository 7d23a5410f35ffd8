/// The schema, as versioned migrations, written once for both stores. A migration never changes once released:
/// add a new one instead. `schema_migrations` records which versions a database has. Instants are the fixed-width
/// UTC text of ``Timestamp`` in both stores, so they compare and sort alike.
enum Migrations {
    struct Migration: Sendable {
        let version: Int
        let name: String
        let statements: [String]
    }

    /// The SQL that differs between the stores.
    struct Dialect: Sendable {
        /// A row-order key that the database assigns.
        let serial: String
        /// A 64-bit integer column.
        let bigint: String

        static let sqlite = Dialect(serial: "INTEGER PRIMARY KEY AUTOINCREMENT", bigint: "INTEGER")
        static let postgres = Dialect(serial: "BIGSERIAL PRIMARY KEY", bigint: "BIGINT")
    }

    static let sqlite = all(.sqlite)
    static let postgres = all(.postgres)

    static func all(_ d: Dialect) -> [Migration] { [
        Migration(version: 1, name: "clients, configurations, boletos, events, outbox, idempotency", statements: [
            """
            CREATE TABLE clients (
                id TEXT PRIMARY KEY, name TEXT NOT NULL, key_hash TEXT NOT NULL, webhook_secret TEXT NOT NULL,
                created_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE configurations (
                id TEXT PRIMARY KEY, client_id TEXT NOT NULL REFERENCES clients(id), external_id TEXT NOT NULL,
                issuer TEXT NOT NULL, issuer_account TEXT NOT NULL, issuer_agency TEXT NOT NULL,
                issuer_wallet TEXT NOT NULL, sandbox_scenario TEXT, created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                UNIQUE (client_id, external_id))
            """,
            """
            CREATE TABLE title_sequences (
                bank TEXT NOT NULL, agency TEXT NOT NULL, account TEXT NOT NULL, next_value \(d.bigint) NOT NULL,
                PRIMARY KEY (bank, agency, account))
            """,
            """
            CREATE TABLE boletos (
                seq \(d.serial), id TEXT NOT NULL UNIQUE,
                client_id TEXT NOT NULL REFERENCES clients(id), token TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
                bank TEXT NOT NULL, issuer TEXT NOT NULL, issuer_account TEXT NOT NULL, issuer_agency TEXT NOT NULL,
                issuer_wallet TEXT NOT NULL, title_id \(d.bigint) NOT NULL, nosso_numero TEXT NOT NULL,
                due_date TEXT NOT NULL, amount \(d.bigint) NOT NULL, paid_amount \(d.bigint) NOT NULL DEFAULT 0,
                barcode TEXT NOT NULL, digitable_line TEXT NOT NULL, payer_document_number TEXT, reference_id TEXT,
                issuer_response_code TEXT, bank_response_code TEXT, details TEXT NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                CONSTRAINT boletos_title_unique UNIQUE (bank, issuer_agency, issuer_account, title_id))
            """,
            "CREATE INDEX boletos_client_seq ON boletos (client_id, seq)",
            "CREATE INDEX boletos_client_status ON boletos (client_id, status)",
            "CREATE INDEX boletos_client_reference ON boletos (client_id, reference_id)",
            "CREATE INDEX boletos_client_payer ON boletos (client_id, payer_document_number)",
            """
            CREATE TABLE boleto_events (
                seq \(d.serial), id TEXT NOT NULL UNIQUE,
                boleto_id TEXT NOT NULL REFERENCES boletos(id), type TEXT NOT NULL, status TEXT NOT NULL,
                previous_status TEXT, detail TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            "CREATE INDEX boleto_events_boleto ON boleto_events (boleto_id, seq)",
            """
            CREATE TABLE outbox (
                seq \(d.serial), id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
                boleto_id TEXT NOT NULL REFERENCES boletos(id), target TEXT NOT NULL, payload TEXT NOT NULL,
                event_id TEXT, attempts INTEGER NOT NULL DEFAULT 0, available_at TEXT NOT NULL, locked_until TEXT,
                last_error TEXT, created_at TEXT NOT NULL)
            """,
            "CREATE INDEX outbox_due ON outbox (kind, available_at)",
            "CREATE INDEX outbox_boleto ON outbox (boleto_id)",
            """
            CREATE TABLE dead_letters (
                id TEXT PRIMARY KEY, kind TEXT NOT NULL, boleto_id TEXT NOT NULL, target TEXT NOT NULL,
                payload TEXT NOT NULL, event_id TEXT, attempts INTEGER NOT NULL, last_error TEXT NOT NULL,
                created_at TEXT NOT NULL, dead_at TEXT NOT NULL)
            """,
            """
            CREATE TABLE idempotency_keys (
                client_id TEXT NOT NULL, key TEXT NOT NULL, request_hash TEXT NOT NULL, status_code INTEGER,
                response_body TEXT, resource_id TEXT, created_at TEXT NOT NULL, PRIMARY KEY (client_id, key))
            """,
        ]),
        Migration(version: 2, name: "the beneficiary's document on configurations (Bradesco and Caixa)", statements: [
            "ALTER TABLE configurations ADD COLUMN beneficiary_document TEXT",
        ]),
        Migration(version: 3, name: "cnab configurations, remessas and retornos", statements: [
            "ALTER TABLE configurations ADD COLUMN issuer_bank TEXT",
            "ALTER TABLE configurations ADD COLUMN cnab TEXT",
            """
            CREATE TABLE remessas (
                seq \(d.serial), id TEXT NOT NULL UNIQUE, client_id TEXT NOT NULL REFERENCES clients(id),
                configuration_id TEXT NOT NULL REFERENCES configurations(id), external_id TEXT NOT NULL,
                bank TEXT NOT NULL, layout TEXT NOT NULL, sequence \(d.bigint) NOT NULL, boleto_count INTEGER NOT NULL,
                total_amount \(d.bigint) NOT NULL, content TEXT NOT NULL, sha256 TEXT NOT NULL, created_at TEXT NOT NULL,
                CONSTRAINT remessas_sequence_unique UNIQUE (configuration_id, sequence))
            """,
            """
            CREATE TABLE remessa_boletos (
                remessa_id TEXT NOT NULL REFERENCES remessas(id), position INTEGER NOT NULL,
                boleto_id TEXT NOT NULL REFERENCES boletos(id), PRIMARY KEY (remessa_id, position))
            """,
            "CREATE INDEX remessa_boletos_boleto ON remessa_boletos (boleto_id)",
            """
            CREATE TABLE retornos (
                seq \(d.serial), id TEXT NOT NULL UNIQUE, client_id TEXT NOT NULL REFERENCES clients(id),
                configuration_id TEXT NOT NULL REFERENCES configurations(id), sha256 TEXT NOT NULL, bank TEXT NOT NULL,
                layout TEXT NOT NULL, title_count INTEGER NOT NULL, result TEXT NOT NULL, created_at TEXT NOT NULL,
                CONSTRAINT retornos_file_unique UNIQUE (client_id, sha256))
            """,
        ]),
        Migration(version: 4, name: "the beneficiary's name and the PIX receiver on configurations", statements: [
            "ALTER TABLE configurations ADD COLUMN beneficiary_name TEXT",
            "ALTER TABLE configurations ADD COLUMN pix TEXT",
        ]),
        Migration(version: 5, name: "bank notifications find boletos by issuer and title id; registered boletos get their reconcile job", statements: [
            "CREATE INDEX boletos_issuer_title ON boletos (issuer, title_id)",
            // Boletos registered before the reconciler existed: a job each, armed at its first claim. The job id is
            // derived from the boleto's, which is unique.
            """
            INSERT INTO outbox (id, kind, boleto_id, target, payload, attempts, available_at, created_at)
            SELECT 'job_rc' || substr(id, 5), 'reconcile', id, '', '', 0, updated_at, updated_at FROM boletos
            WHERE status = 'registered' AND issuer <> 'cnab'
            """,
        ]),
        Migration(version: 6, name: "carnês", statements: [
            """
            CREATE TABLE carnes (
                seq \(d.serial), id TEXT NOT NULL UNIQUE, client_id TEXT NOT NULL REFERENCES clients(id),
                boleto_ids TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            "CREATE INDEX carnes_client ON carnes (client_id, id)",
        ]),
    ] }
}
