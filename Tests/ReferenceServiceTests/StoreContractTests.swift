import BoletoJSON
import Foundation
import PostgresNIO
import Testing
@testable import ReferenceService

/// The storage contract: every behaviour the service relies on, run against SQLite and Postgres alike.
@Suite("Store contract")
struct StoreContractTests {
    static let account = BeneficiaryAccount(bank: "237", agency: "3381", account: "9721")

    static func client(_ store: any BoletoStore, _ name: String = "c") async throws -> ClientRecord {
        try await APIKeys.create(name: name, in: store).client
    }

    static func boleto(clientID: String, titleID: Int64, status: BoletoStatus = .issued, reference: String? = nil,
                       paidAmount: Int64 = 0) -> BoletoRecord {
        let now = Timestamp.now()
        return BoletoRecord(
            id: Identifiers.make("bol"), clientID: clientID, token: "test_" + Identifiers.make("tk"), status: status, bank: "237",
            issuer: "sandbox", issuerAccount: account.account, issuerAgency: account.agency, issuerWallet: "26", titleID: titleID,
            nossoNumero: "26/\(titleID)", dueDate: "2030-01-01", amount: 2000, paidAmount: paidAmount, barcode: String(repeating: "1", count: 44),
            digitableLine: "line", payerDocumentNumber: "11144477735", referenceID: reference, issuerResponseCode: nil,
            bankResponseCode: nil,
            details: BoletoDetails(queueURL: nil, webhookURL: nil, instructions: "x", payerName: "P", payerDocumentType: "cpf",
                                   payerAddress: nil, companyName: nil, companyDocumentNumber: nil, companyAddress: nil,
                                   interest: ChargeTerms(percentage: 1.5, amount: nil, days: 2), fine: nil, externalID: nil,
                                   register: true, sandboxScenario: nil),
            createdAt: now, updatedAt: now)
    }

    static func create(_ store: any BoletoStore, clientID: String, title: Int64? = nil, withJob: Bool = true,
                       reference: String? = nil) async throws -> BoletoRecord {
        try await store.createBoleto(account: account, requestedTitleID: title, idempotency: nil) { titleID in
            let record = boleto(clientID: clientID, titleID: titleID, reference: reference)
            var change = BoletoChange()
            change.events = [BoletoEvent(boletoID: record.id, type: "created", status: .issued)]
            if withJob { change.jobs = [OutboxJob(kind: .register, boletoID: record.id)] }
            return (record, change)
        }
    }

    @Test("migrations apply once", arguments: StoreBackend.available)
    func migrations(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.migrate() == [])
            try await store.ping()
        }
    }

    /// Runs `sql` on `store` as it is (a test's way back to an older schema).
    static func raw(_ store: any BoletoStore, _ sql: String) async throws {
        if let sqlite = store as? SQLiteStore {
            _ = try await sqlite.transaction { db in try await db.query(sql) }
        } else if let postgres = store as? PostgresStore {
            _ = try await postgres.execute(PostgresQuery(unsafeSQL: sql))
        }
    }

    @Test("migration 5: boletos registered before the reconciler get a reconcile job; cnab and unregistered boletos none",
          arguments: StoreBackend.available)
    func reconcileMigration(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let client = try await Self.client(store)
            var ids: [String: String] = [:]
            for (name, issuer, status) in [("online", "sandbox", BoletoStatus.registered), ("cnab", "cnab", .registered),
                                           ("open", "sandbox", .issued)] {
                let created = try await Self.create(store, clientID: client.id, withJob: false)
                _ = try await store.updateBoleto(id: created.id, clientID: nil) { record in
                    var change = BoletoChange()
                    if status != .issued { StatusMachine.move(&record, to: status, detail: .object([]), at: Timestamp.now(), into: &change) }
                    return change
                }
                // The issuer never changes through the store; the test sets it as an older service wrote it.
                try await Self.raw(store, "UPDATE boletos SET issuer = '\(issuer)' WHERE id = '\(created.id)'")
                ids[name] = created.id
            }
            // Back to schema 4: no reconcile jobs, no index.
            try await Self.raw(store, "DELETE FROM outbox")
            try await Self.raw(store, "DROP INDEX boletos_issuer_title")
            try await Self.raw(store, "DELETE FROM schema_migrations WHERE version = 5")
            #expect(try await store.migrate() == [5])
            let online = try await store.jobs(boletoID: try #require(ids["online"]))
            #expect(online.map(\.kind) == [.reconcile] && online[0].attempts == 0, "armed at its first claim")
            #expect(try await store.jobs(boletoID: try #require(ids["cnab"])).isEmpty)
            #expect(try await store.jobs(boletoID: try #require(ids["open"])).isEmpty)
            #expect(try await store.boletos(issuer: "sandbox", titleID: try #require(try await store.boleto(id: ids["online"]!, clientID: nil)).titleID,
                                            limit: 10).map(\.id) == [ids["online"]])
        }
    }

    @Test("clients and configurations", arguments: StoreBackend.available)
    func clientsAndConfigurations(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            #expect(try await store.clientCount() == 0)
            let client = try await Self.client(store)
            #expect(try await store.client(id: client.id) == client)
            #expect(try await store.client(id: "cli_missing") == nil)
            #expect(try await store.clientCount() == 1)
            let now = Timestamp.now()
            var configuration = ConfigurationRecord(id: "cf_1", clientID: client.id, externalID: "m1", issuer: "sandbox",
                                                    issuerAccount: "1", issuerAgency: "2", issuerWallet: "09", sandboxScenario: nil,
                                                    createdAt: now, updatedAt: now)
            try await store.insertConfiguration(configuration)
            var duplicate = configuration
            duplicate.id = "cf_2"
            await #expect(throws: StoreError.duplicate(field: "external_id")) { try await store.insertConfiguration(duplicate) }
            configuration.issuerWallet = "06"
            configuration.sandboxScenario = "slow"
            try await store.updateConfiguration(configuration)
            #expect(try await store.configuration(clientID: client.id, id: "cf_1") == configuration)
            #expect(try await store.configuration(clientID: client.id, externalID: "m1") == configuration)
            #expect(try await store.configuration(clientID: "cli_other", externalID: "m1") == nil)
        }
    }

    @Test("idempotency keys: reserve once, complete, release only without a resource, purge by age", arguments: StoreBackend.available)
    func idempotency(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let client = try await Self.client(store)
            let record = IdempotencyRecord(clientID: client.id, key: "k", requestHash: "h", createdAt: "2026-01-01T00:00:00.000Z")
            #expect(try await store.reserveIdempotencyKey(record) == nil)
            let existing = try #require(try await store.reserveIdempotencyKey(record))
            #expect(existing.requestHash == "h" && existing.statusCode == nil)
            try await store.completeIdempotencyKey(clientID: client.id, key: "k", statusCode: 201, body: "{}")
            #expect(try await store.idempotencyRecord(clientID: client.id, key: "k")?.statusCode == 201)
            try await store.releaseIdempotencyKey(clientID: client.id, key: "k")
            #expect(try await store.idempotencyRecord(clientID: client.id, key: "k") == nil)
            #expect(try await store.reserveIdempotencyKey(record) == nil)
            #expect(try await store.purgeIdempotencyKeys(before: "2026-06-01T00:00:00.000Z") == 1)
            #expect(try await store.idempotencyRecord(clientID: client.id, key: "k") == nil)
        }
    }

    @Test("a create under a key points the key at its boleto; a key released meanwhile makes the create fail and leave nothing",
          arguments: StoreBackend.available)
    func createUnderKey(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let client = try await Self.client(store)
            func create(_ key: String) async throws -> BoletoRecord {
                try await store.createBoleto(account: Self.account, requestedTitleID: nil, idempotency: (client.id, key)) { titleID in
                    (Self.boleto(clientID: client.id, titleID: titleID), BoletoChange())
                }
            }
            let reservation = IdempotencyRecord(clientID: client.id, key: "kept", requestHash: "h", createdAt: Timestamp.now())
            #expect(try await store.reserveIdempotencyKey(reservation) == nil)
            let created = try await create("kept")
            #expect(try await store.idempotencyRecord(clientID: client.id, key: "kept")?.resourceID == created.id)
            // Released (a failed request's key), then the create arrives: it must not leave a boleto without its key.
            var gone = reservation
            gone.key = "gone"
            #expect(try await store.reserveIdempotencyKey(gone) == nil)
            try await store.releaseIdempotencyKey(clientID: client.id, key: "gone")
            await #expect(throws: StoreError.unavailable) { _ = try await create("gone") }
            #expect(try await store.boletos(clientID: client.id, filter: BoletoFilter(), page: 1, count: 10).total == 1)
        }
    }

    @Test("title ids: in order per account, a chosen one is unique and skipped, a failed create leaves nothing", arguments: StoreBackend.available)
    func titles(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let client = try await Self.client(store)
            #expect(try await Self.create(store, clientID: client.id).titleID == 1)
            #expect(try await Self.create(store, clientID: client.id, title: 3).titleID == 3)
            await #expect(throws: StoreError.duplicate(field: "title_id")) { try await Self.create(store, clientID: client.id, title: 3) }
            #expect(try await Self.create(store, clientID: client.id).titleID == 2)
            #expect(try await Self.create(store, clientID: client.id).titleID == 4)
            struct Refused: Error {}
            await #expect(throws: Refused.self) {
                try await store.createBoleto(account: Self.account, requestedTitleID: nil, idempotency: nil) { _ in throw Refused() }
            }
            // The failed create wrote nothing. Its number is skipped on Postgres (title ids come from blocks reserved
            // outside the create's transaction) and never reused; SQLite's allocation rolls back with the create.
            let next = try await Self.create(store, clientID: client.id).titleID
            #expect(backend == .sqlite ? next == 5 : next == 6)
            #expect(try await store.boletos(clientID: client.id, filter: .init(), page: 1, count: 100).total == 5)
        }
    }

    @Test("concurrent creates in one account never share a title id", arguments: StoreBackend.available)
    func concurrentTitles(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let client = try await Self.client(store)
            let titles = try await withThrowingTaskGroup(of: Int64.self) { group in
                for _ in 0..<40 { group.addTask { try await Self.create(store, clientID: client.id).titleID } }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
            #expect(titles.sorted() == Array(1...40))
        }
    }

    @Test("title blocks (Postgres): two processes in one account never share a number, and a restarted process skips the rest of its block, never reusing one",
          .enabled(if: StoreBackend.available.contains(.postgres)))
    func titleBlocksAcrossProcesses() async throws {
        let url = try await StoreBackend.freshDatabase()
        try await StoreBackend.withPostgres(url: url, schema: nil) { first in
            _ = try await first.migrate()
            let client = try await Self.client(first)
            let numbers = try await StoreBackend.withPostgres(url: url, schema: nil) { second in
                try await withThrowingTaskGroup(of: Int64.self) { group in
                    for index in 0..<60 {
                        let store = index % 2 == 0 ? first : second
                        group.addTask { try await Self.create(store, clientID: client.id).titleID }
                    }
                    return try await group.reduce(into: [Int64]()) { $0.append($1) }
                }
            }
            #expect(Set(numbers).count == 60)
            // A new process reserves a block after every block reserved so far: nothing below the sequence is reused.
            let restarted = try await StoreBackend.withPostgres(url: url, schema: nil) { third in
                try await Self.create(third, clientID: client.id).titleID
            }
            #expect(restarted > numbers.max() ?? 0)
            #expect(try await first.boletos(clientID: client.id, filter: .init(), page: 1, count: 100).total == 61)
        }
    }

    @Test("a change of a boleto the caller holds applies when the row is as held, and is decided again on the row when it changed meanwhile",
          arguments: StoreBackend.available)
    func compareAndSet(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let client = try await Self.client(store)
            let held = try await Self.create(store, clientID: client.id)
            let runs = Counter()
            func move(to status: BoletoStatus, pay: Bool = false) async throws -> BoletoRecord {
                try #require(try await store.updateBoleto(expected: held) { record in
                    runs.add()
                    var change = BoletoChange()
                    if pay {
                        record.pay(record.amount)
                        change.changed = true
                    }
                    StatusMachine.move(&record, to: status, detail: .object([]), at: Timestamp.now(), into: &change)
                    return change
                })
            }
            // As held: the move applies, with its event and the register job's removal; Postgres decides it once, in
            // one statement (SQLite takes the locking path, also once).
            #expect(try await move(to: .registered).status == .registered)
            #expect(runs.value == 1)
            #expect(try await store.boleto(id: held.id, clientID: nil)?.status == .registered)
            #expect(try await store.jobs(boletoID: held.id).map(\.kind) == [.reconcile], "the register job replaced by the reconcile job")
            #expect(try await store.events(boletoID: held.id).map(\.status) == [.issued, .registered])
            // The same stale copy again: the row is registered now, so a move to refused is decided on it and refused
            // (Postgres tried the copy first: two runs).
            #expect(try await move(to: .refused).status == .registered)
            #expect(runs.value == (backend == .postgres ? 3 : 2))
            #expect(try await store.events(boletoID: held.id).count == 2)
            // A stale copy whose move is allowed on the current row: decided on the row, not on the copy.
            let paid = try await move(to: .paid, pay: true)
            #expect(paid.status == .paid && paid.paidAmount == 2000)
            #expect(try await store.events(boletoID: held.id).map(\.previousStatus) == [nil, .issued, .registered])
        }
    }

    @Test("listing: newest first, filters, pages and the total", arguments: StoreBackend.available)
    func listing(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let client = try await Self.client(store)
            let other = try await Self.client(store, "other")
            var ids: [String] = []
            for index in 0..<5 { ids.append(try await Self.create(store, clientID: client.id, reference: "r\(index % 2)").id) }
            _ = try await Self.create(store, clientID: other.id)
            let all = try await store.boletos(clientID: client.id, filter: .init(), page: 1, count: 10)
            #expect(all.total == 5)
            #expect(all.records.map(\.id) == ids.reversed())
            #expect(all.records.first?.details.interest?.percentage == 1.5)
            let page = try await store.boletos(clientID: client.id, filter: .init(), page: 2, count: 2)
            #expect(page.records.map(\.id) == [ids[2], ids[1]])
            var filter = BoletoFilter()
            filter.referenceID = "r1"
            #expect(try await store.boletos(clientID: client.id, filter: filter, page: 1, count: 10).total == 2)
            filter = BoletoFilter()
            filter.titleID = 3
            filter.payerDocumentNumber = "11144477735"
            #expect(try await store.boletos(clientID: client.id, filter: filter, page: 1, count: 10).records.map(\.id) == [ids[2]])
            filter = BoletoFilter()
            filter.createdFrom = "2099-01-01T00:00:00.000Z"
            #expect(try await store.boletos(clientID: client.id, filter: filter, page: 1, count: 10).total == 0)
            filter = BoletoFilter()
            filter.status = .registered
            #expect(try await store.boletos(clientID: client.id, filter: filter, page: 1, count: 10).total == 0)
            #expect(try await store.boleto(id: ids[0], clientID: other.id) == nil)
            #expect(try await store.boleto(id: ids[0], clientID: client.id)?.id == ids[0])
        }
    }

    @Test("updates: the change sees the row, writes events and jobs, removes jobs, and is scoped to the client", arguments: StoreBackend.available)
    func updates(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let client = try await Self.client(store)
            let created = try await Self.create(store, clientID: client.id)
            #expect(try await store.jobs(boletoID: created.id).map(\.kind) == [.register])
            let updated = try #require(try await store.updateBoleto(id: created.id, clientID: client.id) { record in
                record.move(to: .registered)
                record.issuerResponseCode = "0"
                var change = BoletoChange()
                change.changed = true
                change.events = [BoletoEvent(boletoID: record.id, type: "status_changed", status: .registered, previousStatus: .issued)]
                change.jobs = [OutboxJob(kind: .webhook, boletoID: record.id, target: "http://x", payload: "{}", eventID: "evt_1")]
                change.removeJobKinds = [.register]
                return change
            })
            #expect(updated.status == .registered)
            let stored = try #require(try await store.boleto(id: created.id, clientID: nil))
            #expect(stored.status == .registered && stored.issuerResponseCode == "0")
            #expect(try await store.jobs(boletoID: created.id).map(\.kind) == [.webhook])
            #expect(try await store.events(boletoID: created.id).map(\.type) == ["created", "status_changed"])
            #expect(try await store.events(boletoID: created.id).last?.previousStatus == .issued)
            #expect(try await store.updateBoleto(id: created.id, clientID: "cli_other") { _ in BoletoChange() } == nil)
            #expect(try await store.updateBoleto(id: "bol_missing", clientID: nil) { _ in BoletoChange() } == nil)
        }
    }

    @Test("outbox: due jobs are claimed once per lease, rescheduled, dead-lettered and counted", arguments: StoreBackend.available)
    func outbox(_ backend: StoreBackend) async throws {
        try await backend.withStore { store in
            let client = try await Self.client(store)
            for _ in 0..<6 { _ = try await Self.create(store, clientID: client.id) }
            let now = Timestamp.now()
            let later = Timestamp.format(Date().addingTimeInterval(60))
            // Two claimers at once get disjoint jobs.
            async let first = store.claimJobs(kinds: [.register], now: now, leaseUntil: later, limit: 4)
            async let second = store.claimJobs(kinds: [.register], now: now, leaseUntil: later, limit: 4)
            let (a, b) = try await (first, second)
            #expect(a.count + b.count == 6)
            #expect(Set(a.map(\.id)).isDisjoint(with: b.map(\.id)))
            #expect(try await store.claimJobs(kinds: [.register], now: now, leaseUntil: later, limit: 10).isEmpty)
            #expect(try await store.claimJobs(kinds: [.webhook], now: later, leaseUntil: later, limit: 10).isEmpty)
            // Leases run out.
            let afterLease = Timestamp.format(Date().addingTimeInterval(61))
            let again = try await store.claimJobs(kinds: [.register], now: afterLease, leaseUntil: afterLease, limit: 10)
            #expect(again.count == 6)
            let job = try #require(again.first)
            try await store.rescheduleJob(id: job.id, attempts: 2, availableAt: Timestamp.format(Date().addingTimeInterval(3600)), lastError: "e")
            let notYet = try await store.claimJobs(kinds: [.register], now: Timestamp.format(Date().addingTimeInterval(120)),
                                                   leaseUntil: later, limit: 10)
            #expect(!notYet.contains { $0.id == job.id })
            let event = BoletoEvent(boletoID: job.boletoID, type: "registration_dead_lettered", status: .pendingRegistration)
            try await store.deadLetterJob(job, attempts: 2, lastError: "gave up", event: event)
            #expect(try await store.deadLetterCounts() == [.register: 1])
            #expect(try await store.pendingJobCounts() == [.register: 5])
            #expect(try await store.events(boletoID: job.boletoID).last?.type == "registration_dead_lettered")
            try await store.completeJob(id: again[1].id)
            #expect(try await store.pendingJobCounts() == [.register: 4])
        }
    }
}

/// Counts calls from concurrent closures.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var count = 0
    func add() { lock.withLock { count += 1 } }
    var value: Int { lock.withLock { count } }
}
