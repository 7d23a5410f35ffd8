import BoletoJSON
import BoletoKit
import Foundation
import Providers

/// What a `cnab` boleto is issued with: its configuration, that configuration's settings, and the remessa writer
/// that will carry it.
struct CNABIssue: Sendable {
    let configuration: ConfigurationRecord
    let settings: CNABSettings
    let writer: any CNABRemessaLayout
}

extension BoletoService {
    /// Checks a `cnab` boleto's request before anything is written: it must come through a `cnab` configuration and,
    /// to be registered, must name the payer a remessa carries and ask only for terms its layout carries (each other
    /// term a 400 naming the field and the layout).
    static func checkCNAB(_ request: CreateBoletoRequest, configuration: ConfigurationRecord?) throws -> CNABIssue {
        guard let configuration, configuration.issuer == Issuer.cnab, let settings = configuration.cnab,
              let bank = configuration.issuerBank, let writer = RemessaBuilder.writer(bank: bank, layout: settings.layout) else {
            throw ServiceError.invalid([.invalid("external_id", ProviderDirectory.missing(Issuer.cnab))])
        }
        var errors: [FieldError] = []
        if request.register {
            if let terms = request.terms {
                errors += writer.termsProblems(terms, dueDate: request.dueDate).map(FieldError.provider)
            }
            for (missing, field) in [(request.payerName == nil, "payer_name"), (request.payerDocument == nil, "payer_document_number"),
                                     (request.payerAddress == nil, "payer_address")] where missing {
                errors.append(.invalid(field, "\(field) is required for cnab boletos: the remessa carries the payer."))
            }
        }
        guard errors.isEmpty else { throw ServiceError.invalid(errors) }
        return CNABIssue(configuration: configuration, settings: settings, writer: writer)
    }

    /// Writes a remessa of the one boleto `record` and throws what the writer finds, as a 400 naming the request
    /// field: a name too long for the bank's field is refused at creation, not at the first remessa.
    static func checkRemessa(_ record: BoletoRecord, _ cnab: CNABIssue) throws {
        guard let title = RemessaBuilder.title(record, layout: cnab.writer) else {
            throw ServiceError.invalid([.invalid("payer_address", "payer_name, payer_document_number and payer_address are required for cnab boletos.")])
        }
        let header = RemessaBuilder.header(cnab.configuration, settings: cnab.settings, sequence: cnab.settings.firstSequence,
                                           date: .todayInSaoPaulo())
        do {
            _ = try cnab.writer.write(header: header, titles: [title], lineEnding: .crlf)
        } catch {
            throw ServiceError.invalid([.invalid(RemessaBuilder.field(of: error), RemessaBuilder.message(of: error))])
        }
    }

    /// The configuration named by `externalID`, which must be a `cnab` one.
    func cnabConfiguration(clientID: String, externalID: String) async throws -> (ConfigurationRecord, CNABSettings, BeneficiaryAccount) {
        guard let configuration = try await store.configuration(clientID: clientID, externalID: externalID) else {
            throw ServiceError.invalid([.invalid("external_id", "external_id names no configuration of this client.")])
        }
        guard configuration.issuer == Issuer.cnab, let settings = configuration.cnab, let bank = configuration.issuerBank else {
            throw ServiceError.invalid([.invalid("external_id", "external_id must name a configuration of issuer cnab.")])
        }
        return (configuration, settings, BeneficiaryAccount(bank: bank, agency: configuration.issuerAgency,
                                                            account: configuration.issuerAccount))
    }

    /// `POST /remessas`: writes the remessa of every boleto of the configuration's account that waits for one (up
    /// to `limit`), records which boletos it carries, and moves them to `pending_registration`, all in one
    /// transaction. Answers nil when no boleto waits.
    func createRemessa(clientID: String, externalID: String, limit: Int) async throws -> RemessaRecord? {
        let (configuration, settings, account) = try await cnabConfiguration(clientID: clientID, externalID: externalID)
        guard let writer = RemessaBuilder.writer(bank: account.bank, layout: settings.layout) else {
            throw ServiceError.invalid([.invalid("external_id", "The configuration's bank and layout have no remessa writer.")])
        }
        let today = CalendarDate.todayInSaoPaulo()
        let remessaID = Identifiers.make("rem")
        let entered = EnteredStatuses()
        let made: RemessaRecord?
        do {
            made = try await store.createRemessa(configuration: configuration, account: account,
                                                 firstSequence: settings.firstSequence) { pending, sequence in
                let carried = Array(pending.prefix(limit))
                guard !carried.isEmpty else { return nil }
                var titles: [CNABRemessaTitle] = []
                for record in carried {
                    guard let title = RemessaBuilder.title(record, layout: writer) else {
                        throw ServiceError(.unprocessable, type: "remessa_invalid",
                                       "Boleto \(record.id) lacks the payer a remessa carries (name, document and address).")
                    }
                    titles.append(title)
                }
                let bytes = try writer.write(header: RemessaBuilder.header(configuration, settings: settings, sequence: sequence, date: today),
                                             titles: titles, lineEnding: .crlf)
                let content = String(decoding: bytes, as: UTF8.self)
                let now = Timestamp.now()
                let remessa = RemessaRecord(
                    id: remessaID, clientID: clientID, configurationID: configuration.id, externalID: configuration.externalID,
                    bank: account.bank, layout: settings.layout, sequence: sequence, boletoIDs: carried.map(\.id),
                    totalAmount: carried.reduce(0) { $0 + $1.amount }, content: content, sha256: Identifiers.sha256(content),
                    createdAt: now)
                let detail = JSON.object([("remessa_id", .string(remessaID)), ("sequence", .int(Int64(sequence)))])
                let writes = try carried.map { original -> BoletoWrite in
                    var record = original
                    var change = BoletoChange()
                    if var pending = record.details.pendingChange, record.status == .registered {
                        // An instruction: the boleto stays registered until the retorno confirms it.
                        pending.remessaID = remessaID
                        record.details.pendingChange = pending
                        record.updatedAt = now
                        change.changed = true
                        change.events = [BoletoEvent(boletoID: record.id, kind: .changeSent, status: record.status, detail: JSON.object([
                            ("change_id", .string(pending.id)), ("movement", JSON(pending.movement)), ("remessa_id", .string(remessaID)),
                            ("sequence", .int(Int64(sequence))),
                        ]).text, at: now)]
                        return BoletoWrite(record: record, change: change)
                    }
                    guard StatusMachine.move(&record, to: .pendingRegistration, detail: detail, at: now, into: &change) else {
                        throw ServiceError.conflict("Boleto \(record.id) is \(record.status.rawValue) and cannot enter a remessa.")
                    }
                    return BoletoWrite(record: record, change: change)
                }
                entered.set(writes.flatMap(\.change.entered))
                return RemessaDraft(remessa: remessa, writes: writes)
            }
        } catch let error as CNABWriteError {
            throw ServiceError(.unprocessable, type: "remessa_invalid", RemessaBuilder.message(of: error),
                               field: RemessaBuilder.field(of: error))
        }
        if let made {
            for status in entered.value { metrics.statusChanged(to: status) }
            logger.info("remessa written", metadata: ["remessa_id": .string(made.id), "bank": .string(made.bank),
                                                      "sequence": .stringConvertible(made.sequence),
                                                      "boletos": .stringConvertible(made.boletoIDs.count)])
        }
        return made
    }

    /// `POST /retornos`: reads the file, and applies its titles to the configuration's boletos once per file (see
    /// ``RetornoApplier``). A file whose header (or, for Bradesco's CNAB 400, a title) names another beneficiary
    /// agency, account or contract code is refused before anything is read from the store; the titles touch only
    /// `cnab` boletos of the configuration's account. Answers the report and whether it is the recorded answer of an earlier upload.
    func applyRetorno(clientID: String, externalID: String, bytes: [UInt8]) async throws -> (report: String, replayed: Bool) {
        let (configuration, settings, account) = try await cnabConfiguration(clientID: clientID, externalID: externalID)
        let retorno: CNABRetorno
        do {
            // The bank comes from the file's header, so that another bank's file is refused below rather than read
            // with the configuration's layout.
            retorno = try CNABRetornoReader.read(bytes)
        } catch {
            throw ServiceError.invalid([.invalid("content_base64", "content_base64 is not a readable retorno: \(error.description)")])
        }
        guard retorno.bank == account.bank else {
            throw ServiceError.invalid([.invalid("content_base64",
                                                "content_base64 is a retorno of bank \(retorno.bank); the configuration is of bank \(account.bank).")])
        }
        try RemessaBuilder.checkBeneficiary(of: retorno, configuration: configuration, settings: settings)
        let sha = Identifiers.sha256(bytes)
        let now = Timestamp.now()
        let applier = RetornoApplier(retornoID: Identifiers.make("ret"), configuration: configuration, retorno: retorno, now: now)
        let pending = RetornoRecord(id: applier.retornoID, clientID: clientID, configurationID: configuration.id, sha256: sha,
                                    bank: retorno.bank, layout: retorno.format.rawValue, titleCount: retorno.titles.count,
                                    result: "", createdAt: now)
        let entered = EnteredStatuses()
        let (record, replayed) = try await store.applyRetorno(pending, account: account,
                                                             titleIDs: retorno.titles.compactMap(\.issuerNumber)) { found in
            let outcome = applier.apply(to: found, sha256: sha)
            entered.set(outcome.entered, changes: outcome.writes.flatMap(\.change.events).compactMap { event in
                event.type == BoletoEvent.Kind.changed.rawValue ? "changed" : event.type == BoletoEvent.Kind.changeRefused.rawValue ? "refused" : nil
            })
            return RetornoDraft(result: outcome.report.text, writes: outcome.writes)
        }
        if !replayed {
            for status in entered.value { metrics.statusChanged(to: status) }
            for result in entered.changes { metrics.change(issuer: Issuer.cnab, result: result) }
            logger.info("retorno applied", metadata: ["retorno_id": .string(record.id), "bank": .string(record.bank),
                                                      "titles": .stringConvertible(record.titleCount)])
        }
        return (record.result, replayed)
    }
}

/// The statuses a remessa's or retorno's transaction entered, and the changes it settled (`changed`, `refused`),
/// handed out of the store's closure for the metrics.
private final class EnteredStatuses: @unchecked Sendable {
    private let lock = NSLock()
    private var statuses: [BoletoStatus] = []
    private var settled: [String] = []

    func set(_ value: [BoletoStatus], changes: [String] = []) { lock.withLock { statuses = value; settled = changes } }
    var value: [BoletoStatus] { lock.withLock { statuses } }
    var changes: [String] { lock.withLock { settled } }
}
