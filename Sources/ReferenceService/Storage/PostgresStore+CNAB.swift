import BoletoJSON
import Foundation
import Logging
import PostgresNIO

/// Remessas and retornos on Postgres: each file's effects in one transaction.
extension PostgresStore {
    // MARK: Remessas and retornos

    // These two run without the statement bound: a retorno of many thousand titles is one transaction, and a bound
    // would turn a large file into a permanent failure.

    public func createRemessa(configuration: ConfigurationRecord, account: BeneficiaryAccount, firstSequence: Int,
                              make: @escaping @Sendable ([BoletoRecord], Int) throws -> RemessaDraft?) async throws -> RemessaRecord? {
        try await transaction(bounded: false) { [self] db in
            // The configuration's row lock makes concurrent remessas of one account run one after the other.
            _ = try await rows(db, "SELECT id FROM configurations WHERE id = \(configuration.id) FOR UPDATE")
            let pending = try await rows(db, """
                SELECT * FROM boletos WHERE client_id = \(configuration.clientID) AND issuer = 'cnab'
                    AND bank = \(account.bank) AND issuer_agency = \(account.agency) AND issuer_account = \(account.account)
                    AND status IN ('issued', 'registered') AND (status <> 'registered'
                        OR (details LIKE '%"pendingChange"%' AND (details::jsonb #>> '{pendingChange,movement}') IS NOT NULL
                            AND (details::jsonb #>> '{pendingChange,remessaID}') IS NULL))
                ORDER BY seq FOR UPDATE
                """).map(RowMapping.boleto).filter(\.waitsForRemessa)
            let last = try await rows(db, "SELECT max(sequence) AS n FROM remessas WHERE configuration_id = \(configuration.id)")
                .first?.int("n")
            guard let draft = try make(pending, max(last.map { $0 + 1 } ?? firstSequence, firstSequence)) else { return nil }
            let r = draft.remessa
            try await db.query("""
                INSERT INTO remessas (id, client_id, configuration_id, external_id, bank, layout, sequence, boleto_count,
                    total_amount, content, sha256, created_at)
                VALUES (\(r.id), \(r.clientID), \(r.configurationID), \(r.externalID), \(r.bank), \(r.layout), \(r.sequence),
                    \(r.boletoIDs.count), \(r.totalAmount), \(r.content), \(r.sha256), \(r.createdAt))
                """, logger: logger)
            if !r.boletoIDs.isEmpty {
                try await db.query("""
                    INSERT INTO remessa_boletos (remessa_id, position, boleto_id)
                    SELECT \(r.id), position, boleto_id FROM unnest(\(r.boletoIDs)::text[]) WITH ORDINALITY AS c(boleto_id, position)
                    """, logger: logger)
            }
            try await writeAll(db, draft.writes)
            return r
        }
    }

    public func remessa(clientID: String, id: String) async throws -> RemessaRecord? {
        try await transaction { [self] db in
            guard let row = try await rows(db, "SELECT * FROM remessas WHERE id = \(id) AND client_id = \(clientID)").first else {
                return nil
            }
            let boletos = try await rows(db, "SELECT boleto_id FROM remessa_boletos WHERE remessa_id = \(id) ORDER BY position")
                .compactMap { $0.text("boleto_id") }
            return RowMapping.remessa(row, boletoIDs: boletos)
        }
    }

    public func applyRetorno(_ retorno: RetornoRecord, account: BeneficiaryAccount, titleIDs: [Int64],
                             apply: @escaping @Sendable ([Int64: BoletoRecord]) throws -> RetornoDraft) async throws
        -> (record: RetornoRecord, replayed: Bool) {
        let existing: PostgresQuery = "SELECT * FROM retornos WHERE client_id = \(retorno.clientID) AND sha256 = \(retorno.sha256)"
        do {
            return try await transaction(bounded: false) { [self] db in
                if let row = try await rows(db, existing).first { return (RowMapping.retorno(row), true) }
                var found: [Int64: BoletoRecord] = [:]
                let ids = Array(Set(titleIDs)).sorted()
                for start in stride(from: 0, to: ids.count, by: 1000) {
                    let chunk = Array(ids[start..<min(start + 1000, ids.count)])
                    let rows = try await rows(db, """
                        SELECT * FROM boletos WHERE client_id = \(retorno.clientID) AND issuer = 'cnab' AND bank = \(account.bank)
                            AND issuer_agency = \(account.agency) AND issuer_account = \(account.account)
                            AND title_id = ANY(\(chunk)) ORDER BY id FOR UPDATE
                        """)
                    for record in try rows.map(RowMapping.boleto) { found[record.titleID] = record }
                }
                let draft = try apply(found)
                var record = retorno
                record.result = draft.result
                try await db.query("""
                    INSERT INTO retornos (id, client_id, configuration_id, sha256, bank, layout, title_count, result, created_at)
                    VALUES (\(record.id), \(record.clientID), \(record.configurationID), \(record.sha256), \(record.bank),
                        \(record.layout), \(record.titleCount), \(record.result), \(record.createdAt))
                    """, logger: logger)
                try await writeAll(db, draft.writes)
                return (record, false)
            }
        } catch let error as PSQLError where error.serverInfo?[.sqlState] == "23505"
            && error.serverInfo?[.constraintName] == "retornos_file_unique" {
            // The same file applied by a concurrent upload that committed first.
            guard let row = try await rows(existing).first else { throw error }
            return (RowMapping.retorno(row), true)
        }
    }
}
