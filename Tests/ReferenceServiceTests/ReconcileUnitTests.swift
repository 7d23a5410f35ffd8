import BoletoJSON
import BoletoKit
import Foundation
import Providers
import Testing
@testable import ReferenceService

/// The parts of payments-without-a-file that need no server: the reconciler's schedule and pace, what a bank's answer
/// does to a boleto, the notification secret's comparison, and their settings.
@Suite("Reconciler schedule, query application and notification secrets")
struct ReconcileUnitTests {
    /// 00:00 of `date` in São Paulo, plus `hours`.
    static func at(_ date: CalendarDate, hours: Double) -> Date {
        ReconcileSchedule.startOfDay(date).addingTimeInterval(hours * 3600)
    }

    @Test("the schedule: daily while the due date is far (never stepping over the day before it), every 3 h near it, daily after, and it stops at the horizon")
    func schedule() throws {
        let schedule = ReconcileSchedule()
        let due = try #require(CalendarDate(iso: "2027-03-10"))
        let dayBefore = Self.at(due.adding(days: -1), hours: 0)
        // Ten days ahead: a day later.
        let far = Self.at(due.adding(days: -10), hours: 9)
        #expect(schedule.next(after: far, dueDate: due) == far.addingTimeInterval(86_400))
        // 30 hours before the near window would be skipped by a daily step: it lands on the window's start instead.
        let close = dayBefore.addingTimeInterval(-6 * 3600)
        #expect(schedule.next(after: close, dueDate: due) == dayBefore)
        // Within the near window (the day before until 3 days after): every 3 hours.
        for moment in [dayBefore, Self.at(due, hours: 15), Self.at(due.adding(days: 3), hours: 20)] {
            #expect(schedule.next(after: moment, dueDate: due) == moment.addingTimeInterval(3 * 3600))
        }
        // After it: daily, and the last query lands on the horizon (60 days after the due date, at its end).
        let late = Self.at(due.adding(days: 4), hours: 1)
        #expect(schedule.next(after: late, dueDate: due) == late.addingTimeInterval(86_400))
        let horizon = Self.at(due.adding(days: 61), hours: 0)
        let lastDay = horizon.addingTimeInterval(-3600)
        #expect(schedule.next(after: lastDay, dueDate: due) == horizon)
        #expect(schedule.next(after: horizon, dueDate: due) == nil)
        // Midnight in São Paulo is 03:00 UTC.
        #expect(ReconcileSchedule.startOfDay(due).timeIntervalSince1970.truncatingRemainder(dividingBy: 86_400) == 3 * 3600)
    }

    @Test("the pacer hands one bank's slots out one spacing apart, and other banks' independently")
    func pacer() async {
        let pacer = QueryPacer(spacing: .milliseconds(250))
        var slots: [ContinuousClock.Instant] = []
        for _ in 0..<5 { slots.append(await pacer.reserve("bb")) }
        #expect(zip(slots.dropFirst(), slots).allSatisfy { $0 - $1 == .milliseconds(250) })
        let itau = await pacer.reserve("itau")
        #expect(itau < slots[1], "another bank is not held back by bb's queue")
        let started = ContinuousClock.now
        try? await pacer.wait("itau")
        #expect(ContinuousClock.now - started >= .milliseconds(200), "the second itau query waits for its slot")
    }

    static func record(_ status: BoletoStatus, paid: Int64 = 0) -> BoletoRecord {
        var record = StoreContractTests.boleto(clientID: "cli_1", titleID: 7, status: status, paidAmount: paid)
        record.details.webhookURL = "https://hooks.example/b"
        return record
    }

    static func found(_ state: TitleState, _ payment: BankPayment? = nil) -> QueryOutcome {
        .found(status: "S", barcode: nil, digitableLine: nil, state: state, payment: payment)
    }

    struct Row: Sendable, CustomTestStringConvertible {
        let from: BoletoStatus
        let outcome: QueryOutcome
        let moves: [BoletoStatus]
        let paidAfter: Int64
        var conflict = false
        var testDescription: String { "\(QueryApplier.label(outcome)) on \(from.rawValue)" }
    }

    static let payment = BankPayment(amountCents: 1990, date: CalendarDate(iso: "2027-03-11"), channel: "101")
    static let rows: [Row] = [
        Row(from: .registered, outcome: found(.paid, payment), moves: [.paid], paidAfter: 1990),
        Row(from: .pendingRegistration, outcome: found(.paid, payment), moves: [.registered, .paid], paidAfter: 1990),
        Row(from: .registered, outcome: found(.paid), moves: [.paid], paidAfter: 2000),
        Row(from: .registered, outcome: found(.writtenOff), moves: [.canceled], paidAfter: 0),
        Row(from: .issued, outcome: found(.writtenOff), moves: [.registered, .canceled], paidAfter: 0),
        Row(from: .pendingRegistration, outcome: found(.open), moves: [.registered], paidAfter: 0),
        Row(from: .registered, outcome: found(.open), moves: [], paidAfter: 0),
        Row(from: .registered, outcome: found(.other), moves: [], paidAfter: 0),
        Row(from: .canceled, outcome: found(.paid, payment), moves: [], paidAfter: 0, conflict: true),
        Row(from: .paid, outcome: found(.paid, BankPayment(amountCents: 2000)), moves: [], paidAfter: 2000),
        Row(from: .paid, outcome: found(.paid, payment), moves: [], paidAfter: 2000, conflict: true),
        Row(from: .registered, outcome: .notFound, moves: [], paidAfter: 0),
        Row(from: .registered, outcome: .transient(reason: "slow"), moves: [], paidAfter: 0),
        Row(from: .registered, outcome: .refused(code: "4", message: "no"), moves: [], paidAfter: 0),
    ]

    @Test("a bank's answer: one bank_queried event always; paid, written off and open move the boleto through the status machine", arguments: rows)
    func applier(_ row: Row) throws {
        var record = Self.record(row.from, paid: row.from == .paid ? 2000 : 0)
        let change = QueryApplier(outcome: row.outcome, source: .reconciler, now: Timestamp.now()).apply(to: &record)
        let query = try #require(change.events.first)
        #expect(query.type == "bank_queried" && query.status == row.from)
        let detail = try JSON.parse(query.detail)
        #expect(detail["source"]?.string == "reconciler" && detail["outcome"]?.string == QueryApplier.label(row.outcome))
        #expect((detail["conflict"] != nil) == row.conflict, "\(query.detail)")
        let moves = change.events.dropFirst()
        #expect(moves.allSatisfy { $0.type == "status_changed" })
        #expect(moves.map(\.status) == row.moves && change.entered == row.moves)
        #expect(record.status == row.moves.last ?? row.from)
        #expect(record.paidAmount == row.paidAfter)
        // Each status change notifies the owner.
        #expect(change.jobs.filter { $0.kind == .webhook }.count == row.moves.count)
        if row.moves.last == .paid {
            #expect(record.details.paymentDate == (row.outcome == Self.found(.paid, Self.payment) ? "2027-03-11" : nil))
            #expect(record.details.paymentChannel == (row.outcome == Self.found(.paid, Self.payment) ? "101" : nil))
            #expect(change.removeJobKinds.contains(.reconcile), "a settled boleto is no longer reconciled")
        }
    }

    @Test("the notification secret is compared whole; sandbox notices name title ids")
    func secrets() {
        let secret = "notify-0123456789abcdefghijklmnopqrstuv"
        #expect(APIHandlers.sameSecret(secret, secret))
        for wrong in ["", String(secret.dropLast()), secret + "x", "N" + secret.dropFirst(), String(secret.reversed())] {
            #expect(!APIHandlers.sameSecret(wrong, secret), "\(wrong)")
        }
        #expect(APIHandlers.sandboxTitles(.object([("title_id", .int(42))])) == [42])
        #expect(APIHandlers.sandboxTitles(.array([.object([("title_id", .int(1))]), .object([("title_id", .int(1))]),
                                                   .object([("title_id", .string("2"))]), .object([("title_id", .int(-3))])])) == [1])
        #expect(APIHandlers.sandboxTitles(.object([("titles", .array([.object([("title_id", .int(5))])]))])) == [5])
        #expect(APIHandlers.sandboxTitles(.string("42")).isEmpty)
    }

    @Test("BOLETO_RECONCILE_* and the notification secrets: defaults, values, and errors that name the variable")
    func settings() throws {
        let defaults = try ServiceSettings.fromEnvironment([:])
        #expect(defaults.reconcile == ReconcileSchedule() && defaults.notificationSecrets.isEmpty)
        #expect(defaults.reconcile.spacing == .seconds(2))
        let secret = String(repeating: "aB3_", count: 8)
        let set = try ServiceSettings.fromEnvironment([
            "BOLETO_RECONCILE_EARLY_MINUTES": "720", "BOLETO_RECONCILE_NEAR_MINUTES": "30", "BOLETO_RECONCILE_LATE_MINUTES": "2880",
            "BOLETO_RECONCILE_HORIZON_DAYS": "120", "BOLETO_RECONCILE_PER_MINUTE": "120", "BOLETO_BB_NOTIFICATION_SECRET": secret,
        ])
        #expect(set.reconcile.early == .seconds(720 * 60) && set.reconcile.near == .seconds(1800) && set.reconcile.late == .seconds(2880 * 60))
        #expect(set.reconcile.horizonDays == 120 && set.reconcile.spacing == .milliseconds(500))
        #expect(set.notificationSecrets == ["bb": secret])
        #expect(!set.description.contains(secret) && !String(describing: set).contains(secret) && !String(reflecting: set).contains(secret))
        for (variable, value) in [("BOLETO_RECONCILE_PER_MINUTE", "0"), ("BOLETO_RECONCILE_NEAR_MINUTES", "soon"),
                                  ("BOLETO_ITAU_NOTIFICATION_SECRET", "short"), ("BOLETO_SANDBOX_NOTIFICATION_SECRET", secret + "/x")] {
            do {
                _ = try ServiceSettings.fromEnvironment([variable: value])
                Issue.record("\(variable)=\(value) was accepted")
            } catch let error as ServiceSettings.InvalidSetting {
                #expect(error.variable == variable, "\(error)")
                #expect(!(variable.hasSuffix("_SECRET") && error.description.contains(value)), "a secret is never echoed")
            }
        }
    }
}
