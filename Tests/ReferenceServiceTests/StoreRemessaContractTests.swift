import Foundation
import Testing
@testable import ReferenceService

/// The storage contract of remessas and retornos, on SQLite and Postgres alike.
@Suite("Store contract: remessas and retornos")
struct StoreRemessaContractTests {
    struct Refused: Error {}

    static let settings = CNABSettings(layout: "400", companyName: "LOJA", companyCode: "1", beneficiaryCode: nil, agencyDV: nil,
                                       accountDV: "7", walletCode: nil, walletVariation: nil, extra: ["posto": "02"], firstSequence: 5)

    static func configuration(_ clientID: String) -> ConfigurationRecord {
        let now = Timestamp.now()
        let account = StoreContractTests.account
        return ConfigurationRecord(id: Identifiers.make("cf"), clientID: clientID, externalID: "cnab-1", issuer: "cnab",
                                   issuerAccount: account.account, issuerAgency: account.agency, issuerWallet: "09",
                                   sandboxScenario: nil, beneficiaryDocument: "11222333000181", issuerBank: account.bank,
                                   cnab: settings, createdAt: now, updatedAt: now)
    }

    /// A boleto of the contract's account with `issuer`, `status` and `register`.
    static func insert(_ store: any BoletoStore, clientID: String, issuer: String = "cnab", status: BoletoStatus = .issued,
                       register: Bool = true) async throws -> BoletoRecord {
        try await store.createBoleto(account: StoreContractTests.account, requestedTitleID: nil, idempotency: nil) { titleID in
            var record = StoreContractTests.boleto(clientID: clientID, titleID: titleID, status: status)
            record.issuer = issuer
            record.details.register = register
            record.details.cnab = settings
            return (record, BoletoChange())
        }
    }

    static func draft(_ configuration: ConfigurationRecord, _ pending: [BoletoRecord], _ sequence: Int) -> RemessaDraft {
        let content = "FILE \(sequence)\r\n"
        let remessa = RemessaRecord(id: Identifiers.make("rem"), clientID: configuration.clientID, configurationID: configuration.id,
                                    externalID: configuration.externalID, bank: "237", layout: "400", sequence: sequence,
                                    boletoIDs: pending.map(\.id), totalAmount: pending.reduce(0) { $0 + $1.amount },
                                    content: content, sha256: Identifiers.sha256(content), createdAt: Timestamp.now())
        let writes = pending.map { original -> BoletoWrite in
            var record = original
            record.move(to: .pendingRegistration)
            var change = BoletoChange()
            change.changed = true
            change.events = [BoletoEvent(boletoID: record.id, type: "status_changed", status: .pendingRegistration,
                                         previousStatus: .issued)]
            return BoletoWrite(record: record, change: change)
        }
        return RemessaDraft(remessa: remessa, writes: writes)
    }

    @Test("remessas: the waiting boletos only, sequences from first_sequence, nothing written on nil or a throw", arguments: StoreBackend.available)
    func remessas(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let client = try await StoreContractTests.client(store)
            let configuration = Self.configuration(client.id)
            try await store.insertConfiguration(configuration)
            #expect(try await store.configuration(clientID: client.id, externalID: "cnab-1") == configuration)
            let first = try await Self.insert(store, clientID: client.id)
            _ = try await Self.insert(store, clientID: client.id, register: false)
            _ = try await Self.insert(store, clientID: client.id, issuer: "sandbox")
            _ = try await Self.insert(store, clientID: client.id, status: .registered)
            let second = try await Self.insert(store, clientID: client.id)
            let account = StoreContractTests.account

            // A throw inside the transaction leaves everything as it was.
            await #expect(throws: Refused.self) {
                _ = try await store.createRemessa(configuration: configuration, account: account, firstSequence: 5) { pending, sequence in
                    _ = Self.draft(configuration, pending, sequence)
                    throw Refused()
                }
            }
            #expect(try await store.boleto(id: first.id, clientID: nil)?.status == .issued)

            let seen = SeenBoletos()
            let made = try #require(try await store.createRemessa(configuration: configuration, account: account, firstSequence: 5) { pending, sequence in
                seen.set(pending.map(\.id), sequence)
                return Self.draft(configuration, pending, sequence)
            })
            #expect(seen.ids == [first.id, second.id])
            #expect(seen.sequence == 5)
            #expect(try await store.remessa(clientID: client.id, id: made.id) == made)
            #expect(try await store.remessa(clientID: "cli_other", id: made.id) == nil)
            #expect(try await store.boleto(id: second.id, clientID: nil)?.status == .pendingRegistration)
            #expect(try await store.events(boletoID: second.id).map(\.type) == ["status_changed"])

            // Nothing waits now; a nil answer writes nothing and keeps the next number.
            for _ in 0..<2 {
                let none = try await store.createRemessa(configuration: configuration, account: account, firstSequence: 5) { pending, sequence in
                    seen.set(pending.map(\.id), sequence)
                    return nil
                }
                #expect(none == nil)
                #expect(seen.ids.isEmpty)
                #expect(seen.sequence == 6)
            }
            // A higher first sequence skips forward; a lower one never reuses a number.
            for (first, expected) in [(9, 9), (1, 10)] {
                _ = try await Self.insert(store, clientID: client.id)
                let next = try await store.createRemessa(configuration: configuration, account: account, firstSequence: first) { pending, sequence in
                    Self.draft(configuration, pending, sequence)
                }
                #expect(next?.sequence == expected)
            }
        }
    }

    @Test("retornos: the named cnab boletos of the account, once per client and file, nothing recorded on a throw", arguments: StoreBackend.available)
    func retornos(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let client = try await StoreContractTests.client(store)
            let other = try await StoreContractTests.client(store, "other")
            let configuration = Self.configuration(client.id)
            try await store.insertConfiguration(configuration)
            let boleto = try await Self.insert(store, clientID: client.id)
            // A cnab boleto with a register job, and a boleto of another issuer in the same account: a retorno is never
            // the sandbox's (the finding: a retorno registered and paid a sandbox boleto).
            let online = try await store.createBoleto(account: StoreContractTests.account, requestedTitleID: nil, idempotency: nil) { titleID in
                var record = StoreContractTests.boleto(clientID: client.id, titleID: titleID)
                record.issuer = "cnab"
                var change = BoletoChange()
                change.jobs = [OutboxJob(kind: .register, boletoID: record.id)]
                return (record, change)
            }
            let sandbox = try await StoreContractTests.create(store, clientID: client.id, withJob: false)
            let foreign = try await StoreContractTests.create(store, clientID: other.id, withJob: false)
            let retorno = RetornoRecord(id: Identifiers.make("ret"), clientID: client.id, configurationID: configuration.id,
                                        sha256: Identifiers.sha256("file"), bank: "237", layout: "400", titleCount: 2, result: "",
                                        createdAt: Timestamp.now())
            let account = StoreContractTests.account

            await #expect(throws: Refused.self) {
                _ = try await store.applyRetorno(retorno, account: account, titleIDs: [boleto.titleID]) { _ in throw Refused() }
            }
            let seen = SeenBoletos()
            let (applied, replayed) = try await store.applyRetorno(retorno, account: account,
                                                                   titleIDs: [boleto.titleID, online.titleID, sandbox.titleID, foreign.titleID, 999]) { found in
                seen.set(found.values.map(\.id).sorted(), found.count)
                var writes: [BoletoWrite] = []
                for titleID in [boleto.titleID, online.titleID] {
                    var record = try #require(found[titleID])
                    record.move(to: .registered)
                    record.pay(1234)
                    var change = BoletoChange()
                    change.changed = true
                    change.events = [BoletoEvent(boletoID: record.id, type: "status_changed", status: .registered, previousStatus: .issued),
                                     BoletoEvent(boletoID: record.id, type: "retorno_occurrence", status: .registered)]
                    change.jobs = [OutboxJob(kind: .webhook, boletoID: record.id, target: "https://example.com", payload: "{}")]
                    change.removeJobKinds = [.register]
                    writes.append(BoletoWrite(record: record, change: change))
                }
                return RetornoDraft(result: #"{"applied":1}"#, writes: writes)
            }
            #expect(!replayed)
            #expect(seen.ids == [boleto.id, online.id].sorted(), "only the client's cnab boletos of the account")
            #expect(try await store.boleto(id: sandbox.id, clientID: nil) == sandbox, "the sandbox boleto is untouched")
            for id in [boleto.id, online.id] {
                #expect(try await store.boleto(id: id, clientID: nil)?.paidAmount == 1234)
                #expect(try await store.events(boletoID: id).map(\.type).suffix(2) == ["status_changed", "retorno_occurrence"])
                #expect(try await store.jobs(boletoID: id).map(\.kind) == [.webhook], "the register job removed, the webhook queued")
            }
            #expect(applied.result == #"{"applied":1}"#)
            #expect(try await store.boleto(id: boleto.id, clientID: nil)?.status == .registered)

            var again = retorno
            again.id = Identifiers.make("ret")
            let ran = SeenBoletos()
            let (recorded, replay) = try await store.applyRetorno(again, account: account, titleIDs: [boleto.titleID]) { _ in
                ran.set(["ran"], 0)
                return RetornoDraft(result: "{}", writes: [])
            }
            #expect(replay)
            #expect(recorded == applied)
            #expect(ran.ids.isEmpty, "a recorded file runs nothing")
            #expect(try await store.events(boletoID: boleto.id).count == 2)

            // Another client may upload the same bytes: files are once per client.
            var theirs = retorno
            theirs.id = Identifiers.make("ret")
            theirs.clientID = other.id
            theirs.configurationID = configuration.id
            let (_, theirReplay) = try await store.applyRetorno(theirs, account: account, titleIDs: []) { _ in
                RetornoDraft(result: "{}", writes: [])
            }
            #expect(!theirReplay)
        }
    }
}

/// What a store's closure saw, handed out of it.
private final class SeenBoletos: @unchecked Sendable {
    private let lock = NSLock()
    private var seen: ([String], Int) = ([], -1)

    func set(_ ids: [String], _ number: Int) { lock.withLock { seen = (ids, number) } }
    var ids: [String] { lock.withLock { seen.0 } }
    var sequence: Int { lock.withLock { seen.1 } }
}
