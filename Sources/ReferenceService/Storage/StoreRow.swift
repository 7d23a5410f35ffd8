import BoletoJSON
import Foundation

/// A result row either store returns, read by column name. The record builders below serve both stores, so a
/// column is mapped onto a field in one place.
protocol StoreRow {
    func text(_ name: String) -> String?
    func int(_ name: String) -> Int?
}

enum RowMapping {
    static func client(_ row: some StoreRow) -> ClientRecord {
        ClientRecord(id: row.text("id") ?? "", name: row.text("name") ?? "", keyHash: row.text("key_hash") ?? "",
                     webhookSecret: row.text("webhook_secret") ?? "", createdAt: row.text("created_at") ?? "")
    }

    static func configuration(_ row: some StoreRow) -> ConfigurationRecord {
        ConfigurationRecord(
            id: row.text("id") ?? "", clientID: row.text("client_id") ?? "", externalID: row.text("external_id") ?? "",
            issuer: row.text("issuer") ?? "", issuerAccount: row.text("issuer_account") ?? "",
            issuerAgency: row.text("issuer_agency") ?? "", issuerWallet: row.text("issuer_wallet") ?? "",
            sandboxScenario: row.text("sandbox_scenario"), beneficiaryDocument: row.text("beneficiary_document"),
            issuerBank: row.text("issuer_bank"), cnab: CNABSettings.decode(row.text("cnab")),
            beneficiaryName: row.text("beneficiary_name"), pix: PixSettings.decode(row.text("pix")),
            createdAt: row.text("created_at") ?? "", updatedAt: row.text("updated_at") ?? "")
    }

    static func idempotency(_ row: some StoreRow, clientID: String, key: String) -> IdempotencyRecord {
        IdempotencyRecord(clientID: clientID, key: key, requestHash: row.text("request_hash") ?? "",
                          statusCode: row.int("status_code"), responseBody: row.text("response_body"),
                          resourceID: row.text("resource_id"), createdAt: row.text("created_at") ?? "")
    }

    static func boleto(_ row: some StoreRow) throws -> BoletoRecord {
        BoletoRecord(
            id: row.text("id") ?? "", clientID: row.text("client_id") ?? "", token: row.text("token") ?? "",
            status: BoletoStatus(rawValue: row.text("status") ?? "") ?? .issued, bank: row.text("bank") ?? "",
            issuer: row.text("issuer") ?? "", issuerAccount: row.text("issuer_account") ?? "",
            issuerAgency: row.text("issuer_agency") ?? "", issuerWallet: row.text("issuer_wallet") ?? "",
            titleID: Int64(row.int("title_id") ?? 0), nossoNumero: row.text("nosso_numero") ?? "",
            dueDate: row.text("due_date") ?? "", amount: Int64(row.int("amount") ?? 0),
            paidAmount: Int64(row.int("paid_amount") ?? 0), barcode: row.text("barcode") ?? "",
            digitableLine: row.text("digitable_line") ?? "", payerDocumentNumber: row.text("payer_document_number"),
            referenceID: row.text("reference_id"), issuerResponseCode: row.text("issuer_response_code"),
            bankResponseCode: row.text("bank_response_code"),
            details: try JSONDecoder().decode(BoletoDetails.self, from: Data((row.text("details") ?? "{}").utf8)),
            createdAt: row.text("created_at") ?? "", updatedAt: row.text("updated_at") ?? "")
    }

    static func remessa(_ row: some StoreRow, boletoIDs: [String]) -> RemessaRecord {
        RemessaRecord(id: row.text("id") ?? "", clientID: row.text("client_id") ?? "",
                      configurationID: row.text("configuration_id") ?? "", externalID: row.text("external_id") ?? "",
                      bank: row.text("bank") ?? "", layout: row.text("layout") ?? "", sequence: row.int("sequence") ?? 0,
                      boletoIDs: boletoIDs, totalAmount: Int64(row.int("total_amount") ?? 0), content: row.text("content") ?? "",
                      sha256: row.text("sha256") ?? "", createdAt: row.text("created_at") ?? "")
    }

    static func retorno(_ row: some StoreRow) -> RetornoRecord {
        RetornoRecord(id: row.text("id") ?? "", clientID: row.text("client_id") ?? "",
                      configurationID: row.text("configuration_id") ?? "", sha256: row.text("sha256") ?? "",
                      bank: row.text("bank") ?? "", layout: row.text("layout") ?? "", titleCount: row.int("title_count") ?? 0,
                      result: row.text("result") ?? "{}", createdAt: row.text("created_at") ?? "")
    }

    static func event(_ row: some StoreRow, boletoID: String) -> BoletoEvent {
        var event = BoletoEvent(boletoID: boletoID, type: row.text("type") ?? "",
                                status: BoletoStatus(rawValue: row.text("status") ?? "") ?? .issued,
                                previousStatus: row.text("previous_status").flatMap(BoletoStatus.init(rawValue:)),
                                detail: row.text("detail") ?? "{}", at: row.text("created_at") ?? "")
        event.id = row.text("id") ?? event.id
        return event
    }

    static func deadLetter(_ row: some StoreRow) -> DeadLetter {
        DeadLetter(id: row.text("id") ?? "", kind: row.text("kind").flatMap(JobKind.init(rawValue:)) ?? .register,
                   boletoID: row.text("boleto_id") ?? "", attempts: row.int("attempts") ?? 0,
                   lastError: row.text("last_error") ?? "", deadAt: row.text("dead_at") ?? "")
    }

    static func job(_ row: some StoreRow) -> OutboxJob {
        var job = OutboxJob(kind: JobKind(rawValue: row.text("kind") ?? "") ?? .register, boletoID: row.text("boleto_id") ?? "",
                            target: row.text("target") ?? "", payload: row.text("payload") ?? "", eventID: row.text("event_id"))
        job.id = row.text("id") ?? job.id
        job.attempts = row.int("attempts") ?? 0
        job.availableAt = row.text("available_at") ?? job.availableAt
        job.lastError = row.text("last_error")
        job.createdAt = row.text("created_at") ?? job.createdAt
        return job
    }

    static func encode(_ details: BoletoDetails) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(details), as: UTF8.self)
    }
}

/// The rows that many boletos' changes write, as JSON arrays that each store expands in one statement
/// (`json_to_recordset` in Postgres, `json_each` in SQLite). A remessa or retorno of thousands of boletos then costs
/// a handful of round trips instead of several per boleto. `n` keeps the order the rows were made in, so a boleto's
/// events keep their sequence.
struct BatchRows {
    /// The boleto rows that changed.
    var updates: [JSON] = []
    /// `(boleto_id, kind)` of outbox jobs to delete.
    var removals: [JSON] = []
    var events: [JSON] = []
    var jobs: [JSON] = []

    init(_ writes: some Sequence<BoletoWrite>) throws {
        for write in writes {
            let r = write.record
            if write.change.changed {
                updates.append(.object([
                    ("id", .string(r.id)), ("status", .string(r.status.rawValue)), ("paid_amount", .int(r.paidAmount)),
                    ("issuer_response_code", JSON(r.issuerResponseCode)), ("bank_response_code", JSON(r.bankResponseCode)),
                    ("barcode", .string(r.barcode)), ("digitable_line", .string(r.digitableLine)),
                    ("details", .string(try RowMapping.encode(r.details))), ("updated_at", .string(r.updatedAt)),
                    ("due_date", .string(r.dueDate)), ("amount", .int(r.amount)),
                ]))
            }
            for kind in write.change.removeJobKinds {
                removals.append(.object([("boleto_id", .string(r.id)), ("kind", .string(kind.rawValue))]))
            }
            for e in write.change.events {
                events.append(.object([
                    ("n", .int(Int64(events.count))), ("id", .string(e.id)), ("boleto_id", .string(e.boletoID)),
                    ("type", .string(e.type)), ("status", .string(e.status.rawValue)),
                    ("previous_status", JSON(e.previousStatus?.rawValue)), ("detail", .string(e.detail)),
                    ("created_at", .string(e.createdAt)),
                ]))
            }
            for j in write.change.jobs {
                jobs.append(.object([
                    ("n", .int(Int64(jobs.count))), ("id", .string(j.id)), ("kind", .string(j.kind.rawValue)),
                    ("boleto_id", .string(j.boletoID)), ("target", .string(j.target)), ("payload", .string(j.payload)),
                    ("event_id", JSON(j.eventID)), ("attempts", .int(Int64(j.attempts))), ("available_at", .string(j.availableAt)),
                    ("created_at", .string(j.createdAt)),
                ]))
            }
        }
    }

    /// Writes in chunks of this many boletos, so that no one statement's JSON grows without bound.
    static let chunk = 2000

    /// The JSON text of `rows`, or nil when there are none (the statement is skipped).
    static func text(_ rows: [JSON]) -> String? { rows.isEmpty ? nil : JSON.array(rows).text }
}
