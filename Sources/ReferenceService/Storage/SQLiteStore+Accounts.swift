import BoletoJSON
import Foundation
import Logging
import SQLiteNIO

/// Clients, configurations and idempotency keys on SQLite.
extension SQLiteStore {
    // MARK: Clients

    public func insertClient(_ client: ClientRecord) async throws {
        try await transaction { db in
            _ = try await db.query(
                "INSERT INTO clients (id, name, key_hash, webhook_secret, created_at) VALUES (?, ?, ?, ?, ?)",
                [.text(client.id), .text(client.name), .text(client.keyHash), .text(client.webhookSecret), .text(client.createdAt)])
        }
    }

    public func client(id: String) async throws -> ClientRecord? {
        try await read { db in
            try await db.query("SELECT * FROM clients WHERE id = ?", [.text(id)]).first.map(RowMapping.client)
        }
    }

    public func clientCount() async throws -> Int {
        try await read { db in try await db.query("SELECT count(*) AS n FROM clients").first?.int("n") ?? 0 }
    }

    // MARK: Configurations

    public func insertConfiguration(_ c: ConfigurationRecord) async throws {
        try await transaction { db in
            let existing = try await db.query("SELECT 1 FROM configurations WHERE client_id = ? AND external_id = ?",
                                              [.text(c.clientID), .text(c.externalID)])
            guard existing.isEmpty else { throw StoreError.duplicate(field: "external_id") }
            _ = try await db.query("""
                INSERT INTO configurations (id, client_id, external_id, issuer, issuer_account, issuer_agency,
                    issuer_wallet, sandbox_scenario, beneficiary_document, issuer_bank, cnab, beneficiary_name, pix,
                    created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(c.id), .text(c.clientID), .text(c.externalID), .text(c.issuer), .text(c.issuerAccount),
                      .text(c.issuerAgency), .text(c.issuerWallet), .optional(c.sandboxScenario),
                      .optional(c.beneficiaryDocument), .optional(c.issuerBank), .optional(try c.cnab?.encoded()),
                      .optional(c.beneficiaryName), .optional(try c.pix?.encoded()), .text(c.createdAt), .text(c.updatedAt)])
        }
    }

    public func updateConfiguration(_ c: ConfigurationRecord) async throws {
        try await transaction { db in
            _ = try await db.query("""
                UPDATE configurations SET issuer = ?, issuer_account = ?, issuer_agency = ?, issuer_wallet = ?,
                    sandbox_scenario = ?, beneficiary_document = ?, issuer_bank = ?, cnab = ?, beneficiary_name = ?, pix = ?,
                    updated_at = ? WHERE id = ? AND client_id = ?
                """, [.text(c.issuer), .text(c.issuerAccount), .text(c.issuerAgency), .text(c.issuerWallet),
                      .optional(c.sandboxScenario), .optional(c.beneficiaryDocument), .optional(c.issuerBank),
                      .optional(try c.cnab?.encoded()), .optional(c.beneficiaryName), .optional(try c.pix?.encoded()),
                      .text(c.updatedAt), .text(c.id), .text(c.clientID)])
        }
    }

    public func configuration(clientID: String, id: String) async throws -> ConfigurationRecord? {
        try await read { db in
            try await db.query("SELECT * FROM configurations WHERE client_id = ? AND id = ?", [.text(clientID), .text(id)])
                .first.map(RowMapping.configuration)
        }
    }

    public func configuration(clientID: String, externalID: String) async throws -> ConfigurationRecord? {
        try await read { db in
            try await db.query("SELECT * FROM configurations WHERE client_id = ? AND external_id = ?",
                               [.text(clientID), .text(externalID)]).first.map(RowMapping.configuration)
        }
    }

    // MARK: Idempotency

    public func reserveIdempotencyKey(_ r: IdempotencyRecord) async throws -> IdempotencyRecord? {
        try await transaction { db in
            if let existing = try await Self.idempotency(db, clientID: r.clientID, key: r.key) { return existing }
            _ = try await db.query("""
                INSERT INTO idempotency_keys (client_id, key, request_hash, created_at) VALUES (?, ?, ?, ?)
                """, [.text(r.clientID), .text(r.key), .text(r.requestHash), .text(r.createdAt)])
            return nil
        }
    }

    public func completeIdempotencyKey(clientID: String, key: String, statusCode: Int, body: String) async throws {
        try await transaction { db in
            _ = try await db.query("""
                UPDATE idempotency_keys SET status_code = ?, response_body = ? WHERE client_id = ? AND key = ?
                """, [.integer(statusCode), .text(body), .text(clientID), .text(key)])
        }
    }

    public func releaseIdempotencyKey(clientID: String, key: String) async throws {
        try await transaction { db in
            _ = try await db.query("DELETE FROM idempotency_keys WHERE client_id = ? AND key = ? AND resource_id IS NULL",
                                   [.text(clientID), .text(key)])
        }
    }

    public func idempotencyRecord(clientID: String, key: String) async throws -> IdempotencyRecord? {
        try await read { db in try await Self.idempotency(db, clientID: clientID, key: key) }
    }

    public func purgeIdempotencyKeys(before cutoff: String) async throws -> Int {
        try await transaction { db in
            let rows = try await db.query("DELETE FROM idempotency_keys WHERE created_at < ? RETURNING key", [.text(cutoff)])
            return rows.count
        }
    }

    static func idempotency(_ db: SQLiteConnection, clientID: String, key: String) async throws -> IdempotencyRecord? {
        try await db.query("SELECT * FROM idempotency_keys WHERE client_id = ? AND key = ?", [.text(clientID), .text(key)])
            .first.map { RowMapping.idempotency($0, clientID: clientID, key: key) }
    }
}
