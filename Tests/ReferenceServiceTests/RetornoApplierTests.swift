import BoletoJSON
import Foundation
import Providers
import Testing
@testable import ReferenceService

/// Every row of ``RetornoApplier``'s table: an event of a real Bradesco occurrence code applied to a boleto in each
/// status, checked for the status moves, the paid amount, the events and notifications, and where the report lists it.
@Suite("Retorno application table")
struct RetornoApplierTests {
    struct Row: Sendable, CustomTestStringConvertible {
        let code: String
        let from: BoletoStatus
        /// The status changes, in order.
        let moves: [BoletoStatus]
        /// `applied`, `unchanged` or `conflicts`.
        let list: String
        var events = 0
        /// The paid amount of a boleto that starts `paid`.
        var paidBefore: Int64 = 1900
        var testDescription: String { "\(code) on \(from.rawValue)" + (from == .paid ? " (paid \(paidBefore))" : "") }
    }

    static let rows: [Row] = [
        Row(code: "02", from: .pendingRegistration, moves: [.registered], list: "applied", events: 1),
        Row(code: "02", from: .issued, moves: [.registered], list: "applied", events: 1),
        Row(code: "02", from: .registered, moves: [], list: "unchanged"),
        Row(code: "02", from: .paid, moves: [], list: "unchanged"),
        Row(code: "03", from: .pendingRegistration, moves: [.refused], list: "applied", events: 1),
        Row(code: "03", from: .registered, moves: [], list: "unchanged", events: 1),
        Row(code: "06", from: .pendingRegistration, moves: [.registered, .paid], list: "applied", events: 2),
        Row(code: "06", from: .registered, moves: [.paid], list: "applied", events: 1),
        Row(code: "06", from: .paid, moves: [], list: "conflicts", events: 1),
        Row(code: "06", from: .paid, moves: [], list: "unchanged", paidBefore: 1950),
        Row(code: "06", from: .canceled, moves: [], list: "conflicts", events: 1),
        Row(code: "06", from: .refused, moves: [], list: "conflicts", events: 1),
        Row(code: "10", from: .pendingRegistration, moves: [.registered, .canceled], list: "applied", events: 2),
        Row(code: "10", from: .registered, moves: [.canceled], list: "applied", events: 1),
        Row(code: "10", from: .paid, moves: [], list: "unchanged"),
        Row(code: "14", from: .registered, moves: [], list: "unchanged", events: 1),
        Row(code: "28", from: .registered, moves: [], list: "unchanged", events: 1),
        Row(code: "11", from: .registered, moves: [], list: "unchanged", events: 1),
    ]

    @Test("one title", arguments: rows)
    func row(_ row: Row) throws {
        var boleto = StoreContractTests.boleto(clientID: "cli_1", titleID: 42, status: row.from,
                                               paidAmount: row.from == .paid ? row.paidBefore : 0)
        boleto.nossoNumero = "09/00000000042-P"
        boleto.issuer = "cnab"
        boleto.details.webhookURL = "https://example.com/hook"
        let file = try CNABServiceTests.bradescoRetorno([("00000000042P", row.code, 2000, 1950, "")])
        let retorno = try CNABRetornoReader.read(file)
        let configuration = StoreRemessaContractTests.configuration("cli_1")
        let applier = RetornoApplier(retornoID: "ret_1", configuration: configuration, retorno: retorno, now: Timestamp.now())
        let outcome = applier.apply(to: [42: boleto], sha256: "x")
        let write = try #require(outcome.writes.first)
        let statusEvents = write.change.events.filter { $0.type == "status_changed" }
        #expect(statusEvents.map(\.status) == row.moves)
        #expect(outcome.entered == row.moves)
        #expect(write.record.status == (row.moves.last ?? row.from))
        #expect(write.change.events.count == row.events)
        #expect(write.change.jobs.count == row.moves.count, "one notification per status change")
        // The payment rule: only a boleto that the payment moves to `paid` takes the retorno's amount (1950).
        let takesPayment = row.code == "06" && row.moves.last == .paid
        #expect(write.record.paidAmount == (takesPayment ? 1950 : boleto.paidAmount))
        for list in ["applied", "unchanged", "conflicts"] {
            #expect(outcome.report[list]?.array?.count == (list == row.list ? 1 : 0), "\(list): \(outcome.report.text)")
        }
        for event in write.change.events {
            let detail = try JSON.parse(event.detail)
            #expect(detail["retorno_id"] == .string("ret_1"))
            #expect(detail["occurrence_code"] == .string(row.code))
        }
    }

    @Test("titles of one boleto in one file apply in order, and the unknown ones are listed")
    func sequence() throws {
        var boleto = StoreContractTests.boleto(clientID: "cli_1", titleID: 7, status: .pendingRegistration)
        boleto.nossoNumero = "09/00000000007-1"
        let file = try CNABServiceTests.bradescoRetorno([
            ("000000000071", "02", 2000, 0, ""), ("000000000071", "06", 2000, 2000, ""), ("000000000088", "06", 500, 500, ""),
        ])
        let retorno = try CNABRetornoReader.read(file)
        let applier = RetornoApplier(retornoID: "ret_2", configuration: StoreRemessaContractTests.configuration("cli_1"),
                                     retorno: retorno, now: Timestamp.now())
        let outcome = applier.apply(to: [7: boleto], sha256: "y")
        #expect(outcome.writes.count == 1)
        #expect(outcome.writes.first?.change.events.map(\.status) == [.registered, .paid])
        #expect(outcome.report["applied"]?.array?.count == 2)
        #expect(outcome.report["unknown"]?.array?.first?["nosso_numero"] == .string("000000000088"))
    }
}
