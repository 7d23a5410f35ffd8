import ArgumentParser
import Foundation
import Logging
import ReferenceService
import SQS
import AsyncHTTPClient

/// Reads the service settings, turning a bad environment variable into a clear exit.
func serviceSettings() throws -> ServiceSettings {
    do { return try ServiceSettings.fromEnvironment() } catch let error as ServiceSettings.InvalidSetting {
        throw ValidationError(error.description)
    }
}

/// The store the environment names, migrated; answers the versions applied. The store is closed on failure.
func openMigratedStore() async throws -> (any BoletoStore, [Int]) {
    let store = try await ReferenceService.openStore(settings: try serviceSettings(), logger: Logger(label: "boleto"))
    do {
        return (store, try await store.migrate())
    } catch {
        try? await store.close()
        throw error
    }
}

/// Runs `body` on the migrated store the environment names, and closes the store afterwards.
func withMigratedStore<T: Sendable>(_ body: (any BoletoStore) async throws -> T) async throws -> T {
    let (store, _) = try await openMigratedStore()
    do {
        let result = try await body(store)
        try await store.close()
        return result
    } catch {
        try? await store.close()
        throw error
    }
}

/// Sends logs to standard error at `BOLETO_LOG_LEVEL`, once per process.
func bootstrapLogging(level: String) -> Logger {
    let logLevel = Logger.Level(rawValue: level) ?? .info
    LoggingSystem.bootstrap { label in
        var handler = StreamLogHandler.standardError(label: label)
        handler.logLevel = logLevel
        return handler
    }
    var logger = Logger(label: "boleto")
    logger.logLevel = logLevel
    return logger
}

struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the boleto HTTP API and its worker on the embedded SQLite store (BOLETO_DATA_DIR).",
        discussion: "Every setting is an environment variable; see docs/configuration.md. Stops gracefully on SIGTERM or SIGINT."
    )

    @Option(name: .long, help: "The address to bind (default: BOLETO_HOST, else 127.0.0.1).")
    var host: String?

    @Option(name: .long, help: "The port to listen on (default: BOLETO_PORT, else 3000; 0 picks a free port).")
    var port: Int?

    func run() async throws {
        var settings = try serviceSettings()
        if let host { settings.host = host }
        if let port {
            guard (0...65_535).contains(port) else { throw ValidationError("--port must be from 0 to 65535.") }
            settings.port = port
        }
        let logger = bootstrapLogging(level: settings.logLevel)
        let service = try await ReferenceService.open(settings: settings, logger: logger)
        let firstKey: String? = try await service.store.clientCount() == 0
            ? try await APIKeys.create(name: "default", in: service.store).key : nil
        let host = settings.host
        try await service.run { port in
            var lines = ["boleto serve: listening on http://\(host):\(port)"]
            if let firstKey {
                lines += ["First API key (client \"default\"), shown once; send it as x-api-key:", firstKey]
            } else {
                lines += ["API keys exist already; create another with: boleto apikey create NAME"]
            }
            FileHandle.standardOutput.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }
}

struct WorkerCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "worker",
        abstract: "Run the workers without the HTTP API: the outbox worker, and with BOLETO_QUEUE=sqs the relay and the SQS registration consumer.",
        discussion: "Run any number of them beside `boleto serve` with BOLETO_WORKER=false. Stops gracefully on SIGTERM or SIGINT."
    )

    func run() async throws {
        let settings = try serviceSettings()
        let logger = bootstrapLogging(level: settings.logLevel)
        let service = try await ReferenceService.open(settings: settings, logger: logger)
        try await service.runWorkers()
    }
}

struct MigrateCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "migrate",
        abstract: "Apply the database migrations to the store in BOLETO_DATA_DIR."
    )

    func run() async throws {
        let (store, applied) = try await openMigratedStore()
        try await store.close()
        print(applied.isEmpty ? "The database is up to date." : "Applied migrations: \(applied.map(String.init).joined(separator: ", ")).")
    }
}

struct APIKeyCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "apikey",
        abstract: "Manage API keys.",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create a client and print its API key alone on the last line of standard output.",
            discussion: "Works on a fresh data directory: it migrates first. The key is shown once; only its hash is stored."
        )

        @Argument(help: "A name for the client (1 to 100 characters).")
        var name: String

        func validate() throws {
            guard (1...100).contains(name.count), !name.contains(where: \.isNewline) else {
                throw ValidationError("NAME must be 1 to 100 characters on one line.")
            }
        }

        func run() async throws {
            let issued = try await withMigratedStore { try await APIKeys.create(name: name, in: $0) }
            print("Created client \(issued.client.id).")
            print("Webhook signing secret (X-Boleto-Signature): \(issued.client.webhookSecret)")
            print(issued.key)
        }
    }
}

struct QueuesCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "queues",
        abstract: "Manage the SQS queues (BOLETO_QUEUE=sqs and the AWS_* variables).",
        subcommands: [Create.self]
    )

    struct Create: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "create",
            abstract: "Create the registration queue and its dead-letter queue (RedrivePolicy), for development.",
            discussion: "Idempotent: existing queues with the same attributes are reused. Prints both queue URLs."
        )

        func run() async throws {
            let settings = try serviceSettings()
            guard settings.queue == .sqs, let aws = settings.aws else {
                throw ValidationError("Set BOLETO_QUEUE=sqs and the AWS_* variables (AWS_REGION, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_ENDPOINT_URL_SQS for a local server).")
            }
            let client = SQSClient(configuration: aws, httpClient: HTTPClient.shared)
            let urls = try await QueueSetup.create(client: client, name: settings.sqsRegisterQueue,
                                                   maxReceiveCount: settings.sqsMaxReceiveCount,
                                                   visibilityTimeoutSeconds: Int(settings.providerTimeout.components.seconds) * 2)
            print("dead-letter queue: \(urls.deadLetter)")
            print("registration queue: \(urls.queue)")
        }
    }
}
