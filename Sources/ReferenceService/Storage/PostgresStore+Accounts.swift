import BoletoJSON
import Foundation
import Logging
import PostgresNIO

/// Clients, configurations and idempotency keys on Postgres.
extension PostgresStore {
    // MARK: Clients

    public func insertClient(_ c: ClientRecord) async throws {
        try await execute("""
            INSERT INTO clients (id, name, key_hash, webhook_secret, created_at)
            VALUES (\(c.id), \(c.name), \(c.keyHash), \(c.webhookSecret), \(c.createdAt))
            """)
    }

    public func client(id: String) async throws -> ClientRecord? {
        try await rows("SELECT * FROM clients WHERE id = \(id)").first.map(RowMapping.client)
    }

    public func clientCount() async throws -> Int {
        try await rows("SELECT count(*) AS n FROM clients").first?.int("n") ?? 0
    }

    // MARK: Configurations

    public func insertConfiguration(_ c: ConfigurationRecord) async throws {
        do {
            try await execute("""
                INSERT INTO configurations (id, client_id, external_id, issuer, issuer_account, issuer_agency, issuer_wallet,
                    sandbox_scenario, beneficiary_document, issuer_bank, cnab, beneficiary_name, pix, created_at, updated_at)
                VALUES (\(c.id), \(c.clientID), \(c.externalID), \(c.issuer), \(c.issuerAccount), \(c.issuerAgency),
                    \(c.issuerWallet), \(c.sandboxScenario), \(c.beneficiaryDocument), \(c.issuerBank), \(try c.cnab?.encoded()),
                    \(c.beneficiaryName), \(try c.pix?.encoded()), \(c.createdAt), \(c.updatedAt))
                """)
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505" {
            throw StoreError.duplicate(field: "external_id")
        }
    }

    public func updateConfiguration(_ c: ConfigurationRecord) async throws {
        try await execute("""
            UPDATE configurations SET issuer = \(c.issuer), issuer_account = \(c.issuerAccount), issuer_agency = \(c.issuerAgency),
                issuer_wallet = \(c.issuerWallet), sandbox_scenario = \(c.sandboxScenario),
                beneficiary_document = \(c.beneficiaryDocument), issuer_bank = \(c.issuerBank), cnab = \(try c.cnab?.encoded()),
                beneficiary_name = \(c.beneficiaryName), pix = \(try c.pix?.encoded()), updated_at = \(c.updatedAt)
            WHERE id = \(c.id) AND client_id = \(c.clientID)
            """)
    }

    public func configuration(clientID: String, id: String) async throws -> ConfigurationRecord? {
        try await rows("SELECT * FROM configurations WHERE client_id = \(clientID) AND id = \(id)").first.map(RowMapping.configuration)
    }

    public func configuration(clientID: String, externalID: String) async throws -> ConfigurationRecord? {
        try await rows("SELECT * FROM configurations WHERE client_id = \(clientID) AND external_id = \(externalID)")
            .first.map(RowMapping.configuration)
    }

    // MARK: Idempotency

    public func reserveIdempotencyKey(_ r: IdempotencyRecord) async throws -> IdempotencyRecord? {
        try await transaction { [self] db in
            let inserted = try await rows(db, """
                INSERT INTO idempotency_keys (client_id, key, request_hash, created_at)
                VALUES (\(r.clientID), \(r.key), \(r.requestHash), \(r.createdAt))
                ON CONFLICT (client_id, key) DO NOTHING RETURNING key
                """)
            guard inserted.isEmpty else { return nil }
            return try await rows(db, "SELECT * FROM idempotency_keys WHERE client_id = \(r.clientID) AND key = \(r.key)")
                .first.map { RowMapping.idempotency($0, clientID: r.clientID, key: r.key) }
        }
    }

    public func completeIdempotencyKey(clientID: String, key: String, statusCode: Int, body: String) async throws {
        try await execute("""
            UPDATE idempotency_keys SET status_code = \(statusCode), response_body = \(body)
            WHERE client_id = \(clientID) AND key = \(key)
            """)
    }

    public func releaseIdempotencyKey(clientID: String, key: String) async throws {
        try await execute("DELETE FROM idempotency_keys WHERE client_id = \(clientID) AND key = \(key) AND resource_id IS NULL")
    }

    public func idempotencyRecord(clientID: String, key: String) async throws -> IdempotencyRecord? {
        try await rows("SELECT * FROM idempotency_keys WHERE client_id = \(clientID) AND key = \(key)")
            .first.map { RowMapping.idempotency($0, clientID: clientID, key: key) }
    }

    public func purgeIdempotencyKeys(before cutoff: String) async throws -> Int {
        try await rows("DELETE FROM idempotency_keys WHERE created_at < \(cutoff) RETURNING key").count
    }
}
