import BoletoJSON
import Foundation
import Logging
import SQLiteNIO

/// Remessas and retornos on SQLite: each file's effects in one transaction.
extension SQLiteStore {
    // MARK: Remessas and retornos

    public func createRemessa(configuration: ConfigurationRecord, account: BeneficiaryAccount, firstSequence: Int,
                              make: @escaping @Sendable ([BoletoRecord], Int) throws -> RemessaDraft?) async throws -> RemessaRecord? {
        try await transaction { db in
            let pending = try await db.query("""
                SELECT * FROM boletos WHERE client_id = ? AND issuer = 'cnab' AND bank = ? AND issuer_agency = ?
                    AND issuer_account = ? AND status IN ('issued', 'registered') AND (status <> 'registered'
                        OR (details LIKE '%"pendingChange"%' AND json_extract(details, '$.pendingChange.movement') IS NOT NULL
                            AND json_extract(details, '$.pendingChange.remessaID') IS NULL))
                ORDER BY seq
                """, [.text(configuration.clientID), .text(account.bank), .text(account.agency), .text(account.account)])
                .map(RowMapping.boleto).filter(\.waitsForRemessa)
            let last = try await db.query("SELECT max(sequence) AS n FROM remessas WHERE configuration_id = ?",
                                          [.text(configuration.id)]).first?.int("n")
            guard let draft = try make(pending, max(last.map { $0 + 1 } ?? firstSequence, firstSequence)) else { return nil }
            let r = draft.remessa
            _ = try await db.query("""
                INSERT INTO remessas (id, client_id, configuration_id, external_id, bank, layout, sequence, boleto_count,
                    total_amount, content, sha256, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(r.id), .text(r.clientID), .text(r.configurationID), .text(r.externalID), .text(r.bank),
                      .text(r.layout), .integer(r.sequence), .integer(r.boletoIDs.count), .integer(Int(r.totalAmount)),
                      .text(r.content), .text(r.sha256), .text(r.createdAt)])
            if let ids = BatchRows.text(r.boletoIDs.map(JSON.string)) {
                _ = try await db.query("""
                    INSERT INTO remessa_boletos (remessa_id, position, boleto_id) SELECT ?, key + 1, value FROM json_each(?)
                    """, [.text(r.id), .text(ids)])
            }
            try await Self.writeAll(db, draft.writes)
            return r
        }
    }

    public func remessa(clientID: String, id: String) async throws -> RemessaRecord? {
        try await transaction(deferred: true) { db in
            guard let row = try await db.query("SELECT * FROM remessas WHERE id = ? AND client_id = ?",
                                               [.text(id), .text(clientID)]).first else { return nil }
            let boletos = try await db.query("SELECT boleto_id FROM remessa_boletos WHERE remessa_id = ? ORDER BY position",
                                             [.text(id)]).compactMap { $0.text("boleto_id") }
            return RowMapping.remessa(row, boletoIDs: boletos)
        }
    }

    public func applyRetorno(_ retorno: RetornoRecord, account: BeneficiaryAccount, titleIDs: [Int64],
                             apply: @escaping @Sendable ([Int64: BoletoRecord]) throws -> RetornoDraft) async throws
        -> (record: RetornoRecord, replayed: Bool) {
        try await transaction { db in
            if let row = try await db.query("SELECT * FROM retornos WHERE client_id = ? AND sha256 = ?",
                                            [.text(retorno.clientID), .text(retorno.sha256)]).first {
                return (RowMapping.retorno(row), true)
            }
            var found: [Int64: BoletoRecord] = [:]
            let ids = Array(Set(titleIDs)).sorted()
            for start in stride(from: 0, to: ids.count, by: 500) {
                let chunk = ids[start..<min(start + 500, ids.count)]
                let rows = try await db.query("""
                    SELECT * FROM boletos WHERE client_id = ? AND issuer = 'cnab' AND bank = ? AND issuer_agency = ?
                        AND issuer_account = ? AND title_id IN (\(chunk.map { _ in "?" }.joined(separator: ", ")))
                    """, [.text(retorno.clientID), .text(account.bank), .text(account.agency), .text(account.account)]
                        + chunk.map { .integer(Int($0)) })
                for record in try rows.map(RowMapping.boleto) { found[record.titleID] = record }
            }
            let draft = try apply(found)
            var record = retorno
            record.result = draft.result
            _ = try await db.query("""
                INSERT INTO retornos (id, client_id, configuration_id, sha256, bank, layout, title_count, result, created_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """, [.text(record.id), .text(record.clientID), .text(record.configurationID), .text(record.sha256),
                      .text(record.bank), .text(record.layout), .integer(record.titleCount), .text(record.result),
                      .text(record.createdAt)])
            try await Self.writeAll(db, draft.writes)
            return (record, false)
        }
    }
}
