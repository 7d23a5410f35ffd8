import BoletoJSON
import Foundation
import Testing
import Logging
import PostgresNIO
@testable import ReferenceService

/// The two stores the contract suite runs against. Postgres is the throwaway server the test command starts
/// (`BOLETO_TEST_POSTGRES_URL`); each test gets a schema of its own. Under CI its absence fails the test.
enum StoreBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case sqlite, postgres

    var testDescription: String { rawValue }

    static var postgresURL: String? { ProcessInfo.processInfo.environment["BOLETO_TEST_POSTGRES_URL"] }
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    /// The backends to run: Postgres only when its server is there, or under CI (where its absence must fail).
    static var available: [StoreBackend] { postgresURL != nil || isCI ? allCases : [.sqlite] }

    struct MissingPostgres: Error, CustomStringConvertible {
        var description: String { "BOLETO_TEST_POSTGRES_URL is not set: run the tests with scripts/test.sh, which starts PostgreSQL." }
    }

    /// Runs `body` with a fresh, migrated store of this kind, and closes it afterwards.
    func withStore<T: Sendable>(_ body: (any BoletoStore) async throws -> T) async throws -> T {
        switch self {
        case .sqlite:
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("boleto-store-\(UUID().uuidString)").path
            let store = try await SQLiteStore.open(directory: directory, logger: Logger(label: "test.sqlite"))
            _ = try await store.migrate()
            do {
                let result = try await body(store)
                try await store.close()
                return result
            } catch {
                try? await store.close()
                throw error
            }
        case .postgres:
            let url = try await Self.freshDatabase()
            return try await Self.withPostgres(url: url, schema: nil) { store in
                _ = try await store.migrate()
                return try await body(store)
            }
        }
    }

    /// Creates an empty database on the test server (or on the server of `server`) and answers its URL.
    static func freshDatabase(on server: String? = postgresURL) async throws -> String {
        guard let url = server, var components = URLComponents(string: url) else { throw MissingPostgres() }
        let name = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(16).lowercased()
        _ = try await withPostgres(url: url, schema: nil) { admin in
            try await admin.client.query(PostgresQuery(unsafeSQL: "CREATE DATABASE \(name)"))
        }
        components.path = "/" + name
        return components.string!
    }

    /// A running Postgres store on `schema` (its pool runs for the duration of `body`).
    static func withPostgres<T: Sendable>(url: String, schema: String?, _ body: (PostgresStore) async throws -> T) async throws -> T {
        let configuration = try PostgresStore.configuration(url: url, maximumConnections: 8, searchPath: schema)
        // A generous wait: the whole suite shares one server and two cores, and a slow lease is not what this tests.
        let store = PostgresStore(client: PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "test.pg")),
                                  logger: Logger(label: "test.pg"), leaseTimeout: .seconds(60))
        return try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await store.run() }
            defer { group.cancelAll() }
            return try await body(store)
        }
    }
}

/// The two configurations the functional suite runs on: the embedded default (SQLite and the database queue) and
/// production's (Postgres and SQS: the outbox relay, the SQS consumer, owners' `queue_url` messages). Production's
/// runs when the test command started its servers, and always under CI, where their absence fails the test.
enum ServiceBackend: String, CaseIterable, CustomTestStringConvertible, Sendable {
    case embedded = "sqlite+database"
    case production = "postgres+sqs"

    var testDescription: String { rawValue }

    static var available: [ServiceBackend] {
        (StoreBackend.postgresURL != nil && SQSServer.endpoint != nil) || StoreBackend.isCI ? allCases : [.embedded]
    }

    /// The settings of production's configuration: a fresh database, and a registration queue (with its DLQ) of
    /// this test's own. moto's `boletos` queue (the default `queue_url` of `Body.boleto`) is created too, so owners'
    /// notifications are delivered rather than retried.
    static func productionSettings() async throws -> (databaseURL: String, adjust: @Sendable (inout ServiceSettings) -> Void) {
        let url = try await StoreBackend.freshDatabase()
        let client = try SQSServer.client()
        let name = "reg-\(UUID().uuidString.prefix(8).lowercased())"
        // SQS's largest maxReceiveCount: retries count receives, and some tests retry many times. moto answers 500
        // now and then when many tests create queues at once; setting up is retried.
        try await SQSServer.retrying {
            _ = try await QueueSetup.create(client: client, name: name, maxReceiveCount: 1000, visibilityTimeoutSeconds: 30)
            _ = try await client.createQueue(name: "boletos")
        }
        let configuration = client.configuration
        return (url, { settings in
            settings.queue = .sqs
            settings.aws = configuration
            settings.sqsRegisterQueue = name
            settings.sqsWaitSeconds = 1
            settings.sqsVisibilitySeconds = 5
        })
    }
}

/// The second throwaway server the test command starts for the restart test, which stops and starts it during
/// traffic (`BOLETO_TEST_POSTGRES_RESTART_URL`, and `BOLETO_TEST_POSTGRES_RESTART_CTL`, a pg_ctl wrapper). No other
/// test uses it.
enum RestartablePostgres {
    static var url: String? { ProcessInfo.processInfo.environment["BOLETO_TEST_POSTGRES_RESTART_URL"] }
    static var ctl: String? { ProcessInfo.processInfo.environment["BOLETO_TEST_POSTGRES_RESTART_CTL"] }
    static var shouldRun: Bool { (url != nil && ctl != nil) || StoreBackend.isCI }

    struct Missing: Error, CustomStringConvertible {
        var description: String {
            "BOLETO_TEST_POSTGRES_RESTART_URL/_CTL are not set: run the tests with scripts/test.sh, which starts that server."
        }
    }

    struct ControlFailed: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        var description: String { "pg_ctl \(arguments.joined(separator: " ")) exited with \(status)" }
    }

    static func freshDatabase() async throws -> String {
        guard let url else { throw Missing() }
        return try await StoreBackend.freshDatabase(on: url)
    }

    /// Runs pg_ctl on the server with `arguments` (`stop -m immediate`, `start`) and waits for it. It spawns and
    /// reaps the process itself on a thread of its own: Foundation's `Process.waitUntilExit` did not always return
    /// once pg_ctl had started a server that outlives it.
    static func control(_ arguments: [String]) async throws {
        guard let ctl else { throw Missing() }
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            Thread.detachNewThread {
                var pid: pid_t = 0
                let argv = ([ctl] + arguments).map { strdup($0) } + [nil]
                defer { argv.forEach { free($0) } }
                var actions = posix_spawn_file_actions_t()
                posix_spawn_file_actions_init(&actions)
                posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
                posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
                defer { posix_spawn_file_actions_destroy(&actions) }
                // The child starts with default signal handling and nothing blocked, whatever this thread inherited
                // (pg_ctl's wrapper, runuser, waits for its child by signal).
                var attributes = posix_spawnattr_t()
                posix_spawnattr_init(&attributes)
                defer { posix_spawnattr_destroy(&attributes) }
                var none = sigset_t(), all = sigset_t()
                sigemptyset(&none)
                sigfillset(&all)
                posix_spawnattr_setsigmask(&attributes, &none)
                posix_spawnattr_setsigdefault(&attributes, &all)
                posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
                let spawned = posix_spawn(&pid, ctl, &actions, &attributes, argv, environ)
                guard spawned == 0 else {
                    continuation.resume(throwing: ControlFailed(arguments: arguments, status: spawned))
                    return
                }
                var status: Int32 = 0
                while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
                continuation.resume(returning: status)
            }
        }
        guard status == 0 else { throw ControlFailed(arguments: arguments, status: status) }
    }
}

extension BoletoRecord {
    /// Moves the record's status through the ``StatusMachine`` (the only way a status changes), for store tests that
    /// build the rest of their change by hand; the machine's own event and jobs are dropped.
    mutating func move(to status: BoletoStatus) {
        var machine = BoletoChange()
        precondition(StatusMachine.move(&self, to: status, detail: .object([]), at: Timestamp.now(), into: &machine))
    }

    /// Records a paid amount through the machine's payment rule, for store tests; the record must be in a status
    /// that takes it.
    mutating func pay(_ amount: Int64) {
        guard case .allowed(let payment) = StatusMachine.payment(of: amount, for: self) else {
            preconditionFailure("a \(status.rawValue) boleto takes no payment")
        }
        record(payment)
    }
}
