import AsyncHTTPClient
import BoletoKit
import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import PostgresNIO
import Providers
import ServiceLifecycle
import SQS

/// The reference microservice: the boleto HTTP API and the outbox worker, composed from BoletoKit and Providers.
///
/// ```swift
/// let service = try await ReferenceService.open(settings: .fromEnvironment(), logger: logger)
/// try await service.run()          // until SIGTERM or SIGINT; then drains and closes the store
/// ```
public final class ReferenceService: Sendable {
    /// The version of the service contract.
    public static let apiVersion = "0.2.0"

    /// The settings it was opened with.
    public let settings: ServiceSettings
    /// The store (SQLite in the embedded default).
    public let store: any BoletoStore
    /// This instance's metrics registry.
    public let metrics: ServiceMetrics
    /// The sandbox bank behind the `sandbox` and `development` issuers.
    public let sandbox: SandboxBank
    let logger: Logger
    let service: BoletoService
    let httpClient: HTTPClient
    /// Closes the bank adapters' connections.
    let bankShutdowns: [@Sendable () async throws -> Void]
    /// The SQS client, with `BOLETO_QUEUE=sqs`.
    public let sqs: SQSClient?

    /// Opens the store the settings name (Postgres with `BOLETO_DATABASE_URL`, else the embedded SQLite file in
    /// `BOLETO_DATA_DIR`) and runs its migrations.
    public static func open(settings: ServiceSettings, logger: Logger) async throws -> ReferenceService {
        let store = try await openStore(settings: settings, logger: logger)
        do {
            _ = try await store.migrate()
        } catch {
            try? await store.close()
            throw error
        }
        do {
            return try ReferenceService(settings: settings, store: store, logger: logger)
        } catch {
            try? await store.close()
            throw error
        }
    }

    /// The store the settings name, not yet migrated. A Postgres store's pool runs until the store is closed.
    public static func openStore(settings: ServiceSettings, logger: Logger) async throws -> any BoletoStore {
        guard let url = settings.databaseURL else {
            return try await SQLiteStore.open(directory: settings.dataDirectory, logger: Logger(label: "boleto.sqlite"))
        }
        let configuration = try PostgresStore.configuration(url: url, maximumConnections: settings.databasePoolSize)
        let store = PostgresStore(client: PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "boleto.postgres")),
                                  logger: Logger(label: "boleto.postgres"), leaseTimeout: settings.databaseWait,
                                  statementTimeout: settings.databaseStatementTimeout, titleBlockSize: settings.titleBlockSize,
                                  maxActive: min(settings.databaseMaxActive ?? ServiceSettings.defaultDatabaseMaxActive,
                                                 settings.databasePoolSize))
        store.startPool()
        return store
    }

    /// A service over an opened, migrated `store`; throws when a bank's configuration is unusable.
    public init(settings: ServiceSettings, store: any BoletoStore, logger: Logger) throws {
        self.settings = settings
        self.store = store
        self.logger = logger
        self.metrics = ServiceMetrics()
        self.sandbox = SandboxBank(slowDelay: settings.sandboxSlowDelay)
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        let httpClient = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.httpClient = httpClient
        let sandboxRegistrar: any BoletoRegistrar = settings.sandboxURL.map { RemoteSandboxBank(baseURL: $0, httpClient: httpClient) } ?? sandbox
        var directory = ProviderDirectory(sandbox: sandboxRegistrar, sandboxBank: settings.sandboxBank)
        var closers: [@Sendable () async throws -> Void] = []
        do {
            if let configuration = settings.bradesco {
                let adapter = try BradescoRegistroOnline(configuration: configuration)
                directory.banks["bradesco"] = .init(bank: "237", registrar: adapter, isSandbox: false, needsBeneficiary: true)
                closers.append { try await adapter.shutdown() }
            }
            if let configuration = settings.caixa {
                let adapter = try CaixaSIGCB(configuration: configuration)
                directory.banks["caixa"] = .init(bank: "104", registrar: adapter, isSandbox: false, needsBeneficiary: true)
                closers.append { try await adapter.shutdown() }
            }
            if let configuration = settings.itau {
                let adapter = try ItauBoletos(configuration: configuration)
                directory.banks["itau"] = .init(bank: "341", registrar: adapter, isSandbox: false)
                closers.append { try await adapter.shutdown() }
            }
            if let bb = settings.bancoDoBrasil {
                let adapter = try BancoDoBrasilCobranca(configuration: bb.configuration)
                directory.banks["bb"] = .init(bank: "001", registrar: adapter, isSandbox: false,
                                              bankFields: BankFields(beneficiaryCode: bb.convenio, walletVariation: bb.walletVariation))
                closers.append { try await adapter.shutdown() }
            }
        } catch {
            try? httpClient.syncShutdown()
            for shutdown in closers { Task { try? await shutdown() } }
            throw error
        }
        self.bankShutdowns = closers
        self.service = BoletoService(store: store, providers: directory, settings: settings, metrics: metrics, logger: logger,
                                     pacer: QueryPacer(spacing: settings.reconcile.spacing))
        if settings.queue == .sqs, let aws = settings.aws {
            self.sqs = SQSClient(configuration: aws, httpClient: httpClient,
                                 requestTimeout: .milliseconds(settings.sqsTimeout.milliseconds))
        } else {
            self.sqs = nil
        }
    }

    /// The outbox worker of this service.
    public var worker: OutboxWorker {
        OutboxWorker(service: service, httpClient: httpClient, sqs: sqs, registrations: registrationQueue, logger: logger)
    }

    /// The registration queue, with `BOLETO_QUEUE=sqs`.
    var registrationQueue: RegistrationQueue? { sqs.map { RegistrationQueue(sqs: $0, name: settings.sqsRegisterQueue) } }

    /// The workers this process runs: the outbox worker (webhooks, owners' SQS notifications, and with SQS the
    /// relay), plus the SQS registration consumer with `BOLETO_QUEUE=sqs`.
    public var workers: [any Service] {
        var services: [any Service] = [worker]
        if let queue = registrationQueue { services.append(RegistrationConsumer(service: service, queue: queue, logger: logger)) }
        return services
    }

    /// The HTTP application; `onRunning` receives the bound port (useful with port 0).
    public func application(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) throws -> some ApplicationProtocol {
        guard let url = Bundle.module.url(forResource: "openapi", withExtension: "json"),
              let openAPI = try? String(contentsOf: url, encoding: .utf8) else {
            throw ServiceSettings.InvalidSetting(variable: "openapi.json", expected: "bundled with the service")
        }
        let store = self.store
        let service = self.service
        let payerBase = settings.publicURL ?? ""
        let handlers = APIHandlers(
            service: service,
            idempotency: IdempotencyGuard(store: store, render: { id in
                // A key points at what its request created: a boleto, or a carnê.
                if id.hasPrefix("crn_") {
                    return try await store.carne(clientID: nil, id: id).map {
                        APIResponder.json(try Resources.carne($0.carne, boletos: $0.boletos, payerBase: payerBase), status: .created)
                    }
                }
                return try await store.boleto(id: id, clientID: nil).map { APIResponder.json(try Resources.boleto($0, payerBase: payerBase), status: .created) }
            }, resourceWait: settings.registerDeadline + .seconds(1)),
            openAPI: openAPI, sqs: sqs,
            payerLimiter: settings.payerPagePerMinute > 0
                ? RateLimiter(rate: Double(settings.payerPagePerMinute) / 60, burst: min(settings.payerPagePerMinute, 20)) : nil)
        let limiter = settings.rateLimitPerSecond > 0
            ? RateLimiter(rate: settings.rateLimitPerSecond, burst: settings.rateLimitBurst ?? max(10, Int(2 * settings.rateLimitPerSecond)))
            : nil
        let responder = APIResponder(api: handlers, metrics: metrics, logger: logger, maxBodyBytes: settings.maxBodyBytes,
                                      maxRetornoBodyBytes: settings.maxRetornoBodyBytes, rateLimiter: limiter)
        let limits = ConnectionGuard.Limits(idle: settings.httpIdleTimeout, header: settings.httpHeaderTimeout,
                                            request: settings.httpRequestTimeout)
        return Application(
            responder: responder,
            server: .http1(configuration: .init(additionalChannelHandlers: [ConnectionGuard(limits: limits)])),
            configuration: .init(address: .hostname(settings.host, port: settings.port), serverName: "boleto",
                                 availableConnectionsDelegate: MaximumAvailableConnections(settings.httpMaxConnections)),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    /// Runs the API (and the worker, unless `BOLETO_WORKER=false`) until SIGTERM/SIGINT, then shuts down
    /// gracefully: the server stops accepting, in-flight requests and jobs finish, and the store is closed.
    public func run(onRunning: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        var services: [any Service] = [try application(onRunning: onRunning)]
        if settings.runWorker { services += workers }
        try await runUntilSignal(services)
    }

    /// `boleto worker`: the workers alone, no HTTP, until SIGTERM/SIGINT.
    public func runWorkers() async throws {
        try await runUntilSignal(workers)
    }

    /// Runs `services` until SIGTERM or SIGINT, then closes the store, also when a service failed.
    private func runUntilSignal(_ services: [any Service]) async throws {
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        do {
            try await group.run()
        } catch {
            try? await shutdown()
            throw error
        }
        try await shutdown()
    }

    /// Runs the API and worker until the calling task is cancelled (tests); then closes like ``run(onRunning:)``.
    public func runUntilCancelled(onRunning: @escaping @Sendable (Int) async -> Void) async throws {
        var services: [any Service] = [try application(onRunning: onRunning)]
        if settings.runWorker { services += workers }
        let group = ServiceGroup(configuration: .init(services: services, logger: logger))
        do {
            try await group.runUntilCancelledGracefully()
        } catch {
            try? await shutdown()
            throw error
        }
        try await shutdown()
    }

    /// Closes the HTTP client and the store. It runs in a task of its own, so a cancelled caller (a test, a
    /// second signal) still closes the store cleanly.
    private func shutdown() async throws {
        let httpClient = self.httpClient, store = self.store, banks = self.bankShutdowns
        try await Task {
            for shutdown in banks { try? await shutdown() }
            try? await httpClient.shutdown()
            try await store.close()
        }.value
    }
}

extension ServiceGroup {
    /// Runs the group until the calling task is cancelled, then shuts it down gracefully and waits for it.
    ///
    /// The group runs in a task of its own, which does not inherit the caller's cancellation: cancelling the
    /// caller triggers a graceful shutdown rather than cancelling the services. A cancelled HTTP server can trap in
    /// NIO ("Deinited NIOAsyncWriter without calling finish()") when a connection was accepted but not yet served at
    /// that moment (apple/swift-nio#3481); a graceful shutdown serves or closes every accepted connection first.
    public func runUntilCancelledGracefully() async throws {
        let running = Task { try await self.run() }
        try await withTaskCancellationHandler {
            try await running.value
        } onCancel: {
            Task { await self.triggerGracefulShutdown() }
        }
    }
}
