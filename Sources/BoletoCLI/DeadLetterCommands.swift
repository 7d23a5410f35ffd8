import ArgumentParser
import Foundation
import ReferenceService

/// `boleto dead-letters`: the jobs whose retries ran out, listed and put back in the outbox.
struct DeadLettersCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dead-letters",
        abstract: "List and requeue the jobs whose retries ran out (the store BOLETO_DATABASE_URL or BOLETO_DATA_DIR names).",
        subcommands: [List.self, Requeue.self]
    )

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "list",
            abstract: "Print the dead-lettered jobs, oldest first, one per line: job, kind, boleto, attempts, when, last error."
        )

        @Option(name: .customLong("boleto"), help: "Only this boleto's jobs (bol_…).")
        var boletoID: String?

        @Option(help: "At most this many lines (1 to 10000).")
        var limit = 100

        func validate() throws {
            guard (1...10_000).contains(limit) else { throw ValidationError("--limit must be 1 to 10000.") }
        }

        func run() async throws {
            let letters = try await withMigratedStore { try await $0.deadLetters(boletoID: boletoID, limit: limit) }
            print(["job", "kind", "boleto", "attempts", "dead_at", "last_error"].joined(separator: "\t"))
            for letter in letters {
                printSafe([letter.id, letter.kind.rawValue, letter.boletoID, String(letter.attempts), letter.deadAt,
                       letter.lastError.replacingOccurrences(of: "\n", with: " ")].joined(separator: "\t"))
            }
        }
    }

    struct Requeue: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "requeue",
            abstract: "Put dead-lettered jobs back in the outbox, due now with their attempts reset.",
            discussion: "Fix the cause first (the provider's credentials, the receiver). A registration requeued for a boleto that has meanwhile been settled does nothing."
        )

        @Option(name: .customLong("boleto"), help: "Requeue this boleto's jobs (bol_…).")
        var boletoID: String?

        @Flag(help: "Requeue every dead-lettered job.")
        var all = false

        func validate() throws {
            guard (boletoID != nil) != all else { throw ValidationError("Give either --boleto ID or --all.") }
        }

        func run() async throws {
            let moved = try await withMigratedStore {
                try await $0.requeueDeadLetters(boletoID: boletoID)
            }
            print("Requeued \(moved) job\(moved == 1 ? "" : "s").")
        }
    }
}
