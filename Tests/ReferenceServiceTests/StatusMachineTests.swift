import BoletoJSON
import Foundation
import Testing
@testable import ReferenceService

/// The status machine: the moves it allows, what every move writes with it, and that nothing else writes a status.
@Suite("Status machine")
struct StatusMachineTests {
    static func record(_ status: BoletoStatus, webhook: String? = nil, queue: String? = nil) -> BoletoRecord {
        var record = StoreContractTests.boleto(clientID: "cli_1", titleID: 1, status: status, reference: "ref-1")
        record.details.webhookURL = webhook
        record.details.queueURL = queue
        return record
    }

    static let allPairs: [(BoletoStatus, BoletoStatus)] = BoletoStatus.allCases.flatMap { from in
        BoletoStatus.allCases.map { (from, $0) }
    }

    @Test("every pair of statuses: allowed moves change the record and write the event; the others touch nothing",
          arguments: allPairs)
    func everyPair(_ from: BoletoStatus, _ to: BoletoStatus) throws {
        let allowed: Set<String> = ["issued>registered", "issued>refused", "issued>pending_registration", "issued>canceled",
                                    "pending_registration>registered", "pending_registration>refused",
                                    "registered>paid", "registered>canceled"]
        var record = Self.record(from, webhook: "https://hooks.example/b", queue: "https://sqs.us-east-1.amazonaws.com/1/q")
        let before = record
        var change = BoletoChange()
        let moved = StatusMachine.move(&record, to: to, detail: .object([("reason", .string("test"))]), at: "2030-01-02T03:04:05.000Z",
                                       into: &change)
        #expect(moved == allowed.contains("\(from.rawValue)>\(to.rawValue)"))
        guard moved else {
            #expect(record == before)
            #expect(change.events.isEmpty && change.jobs.isEmpty && change.removeJobKinds.isEmpty && !change.changed)
            return
        }
        #expect(record.status == to && record.updatedAt == "2030-01-02T03:04:05.000Z" && change.changed)
        let event = try #require(change.events.first)
        #expect(change.events.count == 1)
        #expect(event.type == "status_changed" && event.status == to && event.previousStatus == from)
        #expect((try? JSON.parse(event.detail))?["reason"] == .string("test"))
        // Both notifications, carrying the event's id and the new status; entering `registered`, the reconcile job.
        let notifications = change.jobs.filter { $0.kind != .reconcile }
        #expect(notifications.map(\.kind).sorted { $0.rawValue < $1.rawValue } == [.sqs, .webhook])
        #expect(change.jobs.filter { $0.kind == .reconcile }.count == (to == .registered ? 1 : 0))
        for job in notifications {
            #expect(job.eventID == event.id)
            #expect((try? JSON.parse(job.payload))?["status"] == .string(to.rawValue))
            #expect((try? JSON.parse(job.payload))?["reference_id"] == .string("ref-1"))
        }
        // The register job goes once registration is settled, and only then; a pending cancel or change goes when the
        // boleto leaves `registered`; a reconcile job replaces any earlier one on entering `registered` and goes on leaving it.
        #expect(change.removeJobKinds == (from.awaitsRegistration && !to.awaitsRegistration ? [.register] : [])
                + (from == .registered ? [.cancel, .reconcile, .alter] : []) + (to == .registered ? [.reconcile] : []))
        #expect(change.entered == [to])
    }

    @Test("a boleto without webhook_url or queue_url moves with its event and no notification")
    func noOwnerTargets() {
        var record = Self.record(.registered)
        var change = BoletoChange()
        #expect(StatusMachine.move(&record, to: .paid, detail: .object([]), at: Timestamp.now(), into: &change))
        #expect(change.events.count == 1 && change.jobs.isEmpty)
    }

    @Test("two moves in one change: issued to registered to paid, in order, each notified")
    func twoMoves() {
        var record = Self.record(.issued, webhook: "https://hooks.example/b")
        var change = BoletoChange()
        let now = Timestamp.now()
        #expect(StatusMachine.move(&record, to: .registered, detail: .object([]), at: now, into: &change))
        #expect(StatusMachine.move(&record, to: .paid, detail: .object([]), at: now, into: &change))
        #expect(change.events.map(\.status) == [.registered, .paid])
        #expect(change.events.map(\.previousStatus) == [.issued, .registered])
        // The reconcile job queued on entering `registered` is dropped again on leaving it in the same change.
        #expect(change.jobs.map(\.kind) == [.webhook, .webhook] && change.removeJobKinds == [.register, .reconcile, .cancel, .alter])
        #expect(change.entered == [.registered, .paid])
    }

    @Test("entering registered queues one reconcile job, unarmed; cnab boletos, reported by retornos, get none")
    func reconcileJob() {
        var record = Self.record(.pendingRegistration)
        var change = BoletoChange()
        #expect(StatusMachine.move(&record, to: .registered, detail: .object([]), at: Timestamp.now(), into: &change))
        #expect(change.jobs.map(\.kind) == [.reconcile] && change.jobs[0].attempts == 0)
        #expect(change.removeJobKinds == [.register, .reconcile], "an earlier reconcile job of the boleto is replaced")
        // Scheduled by the caller (the service's registration path): the first claim asks the bank at that time.
        var scheduled = Self.record(.issued)
        var scheduledChange = BoletoChange()
        let first = Date().addingTimeInterval(3600)
        scheduledChange.firstReconcile = first
        #expect(StatusMachine.move(&scheduled, to: .registered, detail: .object([]), at: Timestamp.now(), into: &scheduledChange))
        #expect(scheduledChange.jobs.map(\.attempts) == [1] && scheduledChange.jobs.first?.availableAt == Timestamp.format(first))
        var cnab = Self.record(.pendingRegistration)
        cnab.issuer = "cnab"
        var cnabChange = BoletoChange()
        #expect(StatusMachine.move(&cnab, to: .registered, detail: .object([]), at: Timestamp.now(), into: &cnabChange))
        #expect(cnabChange.jobs.isEmpty && cnabChange.removeJobKinds == [.register])
    }

    @Test("a new boleto starts issued with its created event and, when registered online, its register job")
    func issue() {
        let record = Self.record(.issued, webhook: "https://hooks.example/b")
        let job = OutboxJob(kind: .register, boletoID: record.id)
        let change = StatusMachine.issue(record, registerJob: job)
        #expect(change.events.map(\.type) == ["created"] && change.events[0].status == .issued)
        #expect(change.jobs == [job])
        #expect(StatusMachine.issue(record, registerJob: nil).jobs.isEmpty)
    }

    /// The compiler keeps every status change inside the machine: `BoletoRecord.status` has a private setter, changed
    /// only by entering a `StatusChange`, which only `StatusMachine.swift` can make. This test keeps those
    /// declarations from being loosened, and keeps the stores' SQL from writing a status of its own.
    @Test("no other code path writes a status: the declarations that confine it, and no SQL that writes a literal status")
    func confinement() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let files = try #require(FileManager.default.enumerator(atPath: sources.path)).compactMap { $0 as? String }
            .filter { $0.hasSuffix(".swift") }
        #expect(files.count > 50)
        var makers: [String] = [], literalWrites: [String] = [], boundWrites: [String] = []
        for file in files {
            let text = try String(contentsOf: sources.appendingPathComponent(file), encoding: .utf8)
            for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
                let place = "\(file):\(index + 1)"
                if line.contains("StatusChange(from:") || line.contains("PaymentChange(from:") { makers.append(place) }
                // An SQL write of the status column: it must bind the record's status, never a literal.
                if let range = line.range(of: "SET status = ") {
                    let value = line[range.upperBound...]
                    if value.hasPrefix("$") || value.hasPrefix("?") || value.hasPrefix("u.status") {
                        boundWrites.append(place)
                    } else {
                        literalWrites.append(place)
                    }
                }
                if line.range(of: #"status\s*=\s*'[a-z_]+'"#, options: .regularExpression) != nil,
                   !line.contains("WHERE"), !line.contains("AND status") {
                    literalWrites.append(place)
                }
            }
        }
        #expect(makers.allSatisfy { $0.hasPrefix("ReferenceService/Domain/StatusMachine.swift:") },
                "StatusChange is made outside the machine: \(makers)")
        #expect(!makers.isEmpty)
        #expect(literalWrites.isEmpty, "SQL writes a literal status: \(literalWrites)")
        // Every writer of the boleto row binds the record's status (a parameter, or the batch's JSON row): the shared
        // transaction script's (SQLite), Postgres's prepared one-boleto writes, and Postgres's batch of a file's boletos.
        #expect(boundWrites.count >= 3, "\(boundWrites)")
        let records = try String(contentsOf: sources.appendingPathComponent("ReferenceService/Domain/Records.swift"), encoding: .utf8)
        #expect(records.contains("public private(set) var status: BoletoStatus"))
        let machine = try String(contentsOf: sources.appendingPathComponent("ReferenceService/Domain/StatusMachine.swift"), encoding: .utf8)
        #expect(machine.contains("fileprivate init(from: BoletoStatus, to: BoletoStatus)"))
        // The paid amount is confined the same way: a private setter, changed only by recording a `PaymentChange`.
        #expect(records.contains("public private(set) var paidAmount: Int64"))
        #expect(machine.contains("fileprivate init(from: Int64, to: Int64, status: BoletoStatus)"))
    }

    @Test("the payment rule: open boletos take any paid amount; paid, canceled and refused ones keep theirs", arguments: BoletoStatus.allCases)
    func paymentRule(_ status: BoletoStatus) throws {
        let record = StoreContractTests.boleto(clientID: "cli_1", titleID: 1, status: status, paidAmount: 700)
        #expect(StatusMachine.payment(of: 700, for: record) == .unchanged, "the amount held is never a change")
        for amount: Int64 in [0, 699, 701, record.amount, record.amount * 2] {
            switch StatusMachine.payment(of: amount, for: record) {
            case .allowed(let payment):
                #expect([.issued, .pendingRegistration, .registered].contains(status))
                var paid = record
                paid.record(payment)
                #expect(paid.paidAmount == amount)
                #expect(paid.status == status, "a payment alone moves no status")
            case .refused(let reason):
                #expect([.paid, .canceled, .refused].contains(status))
                #expect(reason.contains(status == .paid ? "paid_amount cannot be changed" : "cannot record a payment"))
            case .unchanged:
                Issue.record("\(amount) differs from 700")
            }
        }
    }
}
