/// The schema, as versioned migrations. A migration never changes once released: add a new one instead.
/// `schema_migrations` records which versions a database has.
enum Migrations {
    struct Migration: Sendable {
        let version: Int
        let name: String
        let statements: [String]
    }

    /// The embedded (SQLite) schema.
    static let sqlite: [Migration] = [
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
                bank TEXT NOT NULL, agency TEXT NOT NULL, account TEXT NOT NULL, next_value INTEGER NOT NULL,
                PRIMARY KEY (bank, agency, account))
            """,
            """
            CREATE TABLE boletos (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
                client_id TEXT NOT NULL REFERENCES clients(id), token TEXT NOT NULL UNIQUE, status TEXT NOT NULL,
                bank TEXT NOT NULL, issuer TEXT NOT NULL, issuer_account TEXT NOT NULL, issuer_agency TEXT NOT NULL,
                issuer_wallet TEXT NOT NULL, title_id INTEGER NOT NULL, nosso_numero TEXT NOT NULL,
                due_date TEXT NOT NULL, amount INTEGER NOT NULL, paid_amount INTEGER NOT NULL DEFAULT 0,
                barcode TEXT NOT NULL, digitable_line TEXT NOT NULL, payer_document_number TEXT, reference_id TEXT,
                issuer_response_code TEXT, bank_response_code TEXT, details TEXT NOT NULL,
                created_at TEXT NOT NULL, updated_at TEXT NOT NULL,
                UNIQUE (bank, issuer_agency, issuer_account, title_id))
            """,
            "CREATE INDEX boletos_client_seq ON boletos (client_id, seq)",
            "CREATE INDEX boletos_client_status ON boletos (client_id, status)",
            "CREATE INDEX boletos_client_reference ON boletos (client_id, reference_id)",
            "CREATE INDEX boletos_client_payer ON boletos (client_id, payer_document_number)",
            """
            CREATE TABLE boleto_events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE,
                boleto_id TEXT NOT NULL REFERENCES boletos(id), type TEXT NOT NULL, status TEXT NOT NULL,
                previous_status TEXT, detail TEXT NOT NULL, created_at TEXT NOT NULL)
            """,
            "CREATE INDEX boleto_events_boleto ON boleto_events (boleto_id, seq)",
            """
            CREATE TABLE outbox (
                seq INTEGER PRIMARY KEY AUTOINCREMENT, id TEXT NOT NULL UNIQUE, kind TEXT NOT NULL,
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
    ]
}
