import BoletoKit
import Foundation
import Providers
import SQS
#if canImport(Glibc)
import Glibc
#endif

/// Every setting of the service, read from environment variables. Each has a documented default
/// (`docs/configuration.md`); a value that does not parse is an error naming the variable, never a silent default.
public struct ServiceSettings: Sendable {
    /// `BOLETO_HOST`: the address the HTTP server binds. Default `127.0.0.1`.
    public var host = "127.0.0.1"
    /// `BOLETO_PORT`: the HTTP port; `0` picks a free one. Default `3000`.
    public var port = 3000
    /// `BOLETO_DATA_DIR`: where the embedded SQLite database lives. Default `./.boleto`.
    public var dataDirectory = "./.boleto"
    /// `BOLETO_DATABASE_URL`: a `postgres://user:password@host:port/database` URL selects the Postgres store;
    /// unset, the embedded SQLite store in `BOLETO_DATA_DIR` is used.
    public var databaseURL: String?
    /// `BOLETO_DATABASE_POOL_SIZE`: the most Postgres connections this process opens. Default 10.
    public var databasePoolSize = 10
    /// `BOLETO_DATABASE_WAIT_MS`: how long a call waits for a pooled Postgres connection before answering 503.
    /// Default 5000.
    public var databaseWait: Duration = .milliseconds(5000)
    /// `BOLETO_DATABASE_STATEMENT_TIMEOUT_MS`: how long a Postgres call may run on its connection before the
    /// connection is closed under it and the call fails as unavailable (migrations excepted). Default 15000.
    public var databaseStatementTimeout: Duration = .milliseconds(15000)
    /// `BOLETO_DATABASE_MAX_ACTIVE`: how many Postgres calls this process runs at once; the others wait in line
    /// (within `BOLETO_DATABASE_WAIT_MS`). Fewer busy server processes than connections keep a loaded server fast:
    /// on the 2-core test machine, 32 creates at once on 32 connections gave a p99 of 120–265 ms, and on 4–8 active
    /// calls 35–38 ms, with more creates a second. Default: 4 per core of this machine, at most the pool size.
    public var databaseMaxActive: Int?
    /// The default of `BOLETO_DATABASE_MAX_ACTIVE` before the pool size caps it.
    static var defaultDatabaseMaxActive: Int { 4 * max(1, ProcessInfo.processInfo.activeProcessorCount) }
    /// `BOLETO_TITLE_BLOCK_SIZE`: how many title ids (nosso números) a Postgres service process reserves at a time per
    /// beneficiary account. Larger blocks make creates cheaper; numbers left in a block when the process stops are
    /// skipped, never reused. Set 1 for banks whose nosso número range is small. Default 16.
    public var titleBlockSize = 16
    /// `BOLETO_QUEUE`: `database` (the outbox table is the queue) or `sqs` (AWS SQS, configured by the standard
    /// `AWS_*` variables). Default `database`.
    public var queue: QueueBackend = .database
    /// The SQS configuration, read from `AWS_REGION`, `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_SESSION_TOKEN` and `AWS_ENDPOINT_URL_SQS` when `BOLETO_QUEUE=sqs`.
    public var aws: AWSConfiguration?
    /// `BOLETO_SQS_REGISTER_QUEUE`: the name of the registration queue. Default `boletos-to-register`.
    public var sqsRegisterQueue = "boletos-to-register"
    /// `BOLETO_SQS_MAX_RECEIVE_COUNT`: deliveries before SQS moves a message to the DLQ (`boleto queues create`).
    /// Default 12.
    public var sqsMaxReceiveCount = 12
    /// `BOLETO_SQS_TIMEOUT_MS`: the limit for one SQS call (a long poll gets its wait on top). Default 10000.
    public var sqsTimeout: Duration = .milliseconds(10_000)
    /// `BOLETO_SQS_WAIT_SECONDS`: the consumer's long-poll wait, 0–20. Default 20.
    public var sqsWaitSeconds = 20
    /// `BOLETO_SQS_VISIBILITY_SECONDS`: how long a received registration message stays hidden; the consumer extends
    /// it while the bank call runs. Default 60.
    public var sqsVisibilitySeconds = 60
    /// `BOLETO_REGISTER_DEADLINE_MS`: how long `POST /boletos` waits for the bank before answering. Default 2000.
    public var registerDeadline: Duration = .milliseconds(2000)
    /// `BOLETO_PROVIDER_TIMEOUT_MS`: the worker's limit for one bank call. Default 30000.
    public var providerTimeout: Duration = .milliseconds(30_000)
    /// `BOLETO_MAX_BODY_BYTES`: the largest request body accepted; larger bodies get 413. Default 65536.
    public var maxBodyBytes = 65_536
    /// `BOLETO_MAX_RETORNO_BODY_BYTES`: the largest `POST /retornos` body (the file in base64 inside JSON); larger
    /// bodies get 413. Default 33554432 (32 MiB, a retorno of about 24 MB).
    public var maxRetornoBodyBytes = 33_554_432
    /// `BOLETO_HTTP_HEADER_TIMEOUT_MS`: how long a request's head may take to arrive once its first byte has; a
    /// client that is slower gets 408 and the connection is closed. Default 10000.
    public var httpHeaderTimeout: Duration = .milliseconds(10_000)
    /// `BOLETO_HTTP_IDLE_TIMEOUT_MS`: how long a connection may stay open between requests without a byte. Default
    /// 60000.
    public var httpIdleTimeout: Duration = .milliseconds(60_000)
    /// `BOLETO_HTTP_REQUEST_TIMEOUT_MS`: how long one request may take from its head to the end of its response (the
    /// body's upload included); past it the connection is closed. Default 120000, room for a 32 MiB retorno at
    /// 2.5 Mbit/s.
    public var httpRequestTimeout: Duration = .milliseconds(120_000)
    /// `BOLETO_HTTP_MAX_CONNECTIONS`: the most connections the server holds open; further ones wait in the listen
    /// backlog. Default: half of the process's open-file limit less 256 for the database, bank and SQS sockets,
    /// between 64 and 4096.
    public var httpMaxConnections = ServiceSettings.defaultMaxConnections
    /// The default of `BOLETO_HTTP_MAX_CONNECTIONS`.
    static var defaultMaxConnections: Int {
        var limit = rlimit()
        #if canImport(Glibc)
        let found = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit) == 0
        #else
        let found = getrlimit(RLIMIT_NOFILE, &limit) == 0
        #endif
        let files = found ? Int(clamping: limit.rlim_cur) : 1024
        return min(4096, max(64, (files - 256) / 2))
    }
    /// `BOLETO_RATE_LIMIT_PER_SECOND`: each client's average request rate, a token bucket; past it, 429 with
    /// `Retry-After`. `0` turns the limit off. Default 0 (off).
    public var rateLimitPerSecond = 0.0
    /// `BOLETO_RATE_LIMIT_BURST`: how many requests a client may send at once above the rate. Default: twice the
    /// rate, at least 10.
    public var rateLimitBurst: Int?
    /// `BOLETO_WORKER`: run the worker in this process (`true`/`false`). Default `true`.
    public var runWorker = true
    /// `BOLETO_WORKER_CONCURRENCY`: jobs the worker runs at once. Default 4.
    public var workerConcurrency = 4
    /// `BOLETO_WORKER_POLL_MS`: how often an idle worker looks for due jobs. Default 250.
    public var workerPollInterval: Duration = .milliseconds(250)
    /// `BOLETO_JOB_LEASE_MS`: how long a claimed job stays invisible to other workers. Default 120000.
    public var jobLease: Duration = .milliseconds(120_000)
    /// `BOLETO_RETRY_BASE_MS`: the first retry delay; it doubles per attempt, with jitter. Default 2000.
    public var retryBase: Duration = .milliseconds(2000)
    /// `BOLETO_RETRY_MAX_MS`: the cap on one retry delay. Default 600000 (10 minutes).
    public var retryMax: Duration = .milliseconds(600_000)
    /// `BOLETO_REGISTER_MAX_ATTEMPTS`: registration attempts before the job goes to the dead-letter table. Default 12.
    public var registerMaxAttempts = 12
    /// When the reconciler asks banks about registered boletos, and how often per bank: `BOLETO_RECONCILE_*`
    /// (``ReconcileSchedule``).
    public var reconcile = ReconcileSchedule()
    /// The secret in the path of each bank's notification endpoint (`POST /banks/{bank}/notifications/{secret}`), by
    /// bank (`bb`, `itau`, `sandbox`): `BOLETO_BB_NOTIFICATION_SECRET`, `BOLETO_ITAU_NOTIFICATION_SECRET`,
    /// `BOLETO_SANDBOX_NOTIFICATION_SECRET`, each 32 to 256 URL-safe characters. A bank without one has no endpoint
    /// (404).
    public var notificationSecrets: [String: String] = [:]
    /// `BOLETO_PUBLIC_URL`: the https base URL payers reach the service at (`https://boletos.example.com`); a boleto's
    /// `boleto_url` is `<base>/pay/<token>` unless its bank gives its own. Unset, `boleto_url` is the path alone.
    public var publicURL: String?
    /// `BOLETO_PAYER_PAGE_PER_MINUTE`: requests a minute one address may make to the payer's pages; `0` turns the
    /// limit off. Default 60.
    public var payerPagePerMinute = 60
    /// The banks that may have a notification endpoint.
    public static let notifyingBanks = ["bb", "itau", "sandbox"]
    /// `BOLETO_WEBHOOK_TIMEOUT_MS`: the limit for one webhook delivery. Default 10000.
    public var webhookTimeout: Duration = .milliseconds(10_000)
    /// `BOLETO_ALLOW_PRIVATE_TARGETS`: `true` accepts plain-http webhooks and webhooks on loopback, private and
    /// link-local addresses, for development and the test suite (``OutboundPolicy``). Default `false`: webhooks are
    /// https on public addresses only.
    public var allowPrivateTargets = false
    /// How the worker resolves webhook hosts. Not an environment variable: tests replace it to stand in for DNS.
    public var hostResolver: any HostResolver = SystemHostResolver()
    /// `BOLETO_SANDBOX_BANK`: the FEBRABAN layout the sandbox bank's barcodes use. Default `237` (Bradesco).
    public var sandboxBank = "237"
    /// `BOLETO_SANDBOX_SLOW_MS`: how long the sandbox's `slow` scenario takes. Default 5000.
    public var sandboxSlowDelay: Duration = .milliseconds(5000)
    /// `BOLETO_SANDBOX_URL`: a sandbox bank server (``RemoteSandboxBank``) shared by several processes; unset, each
    /// process has its own in-process sandbox bank.
    public var sandboxURL: String?
    /// `BOLETO_STAGE`: the prefix of boleto tokens (`sandbox_…`), superbowleto's `STAGE`. Default `sandbox`.
    public var stage = "sandbox"
    /// `BOLETO_IDEMPOTENCY_TTL_HOURS`: how long an `Idempotency-Key` is remembered. Default 24.
    public var idempotencyTTLHours = 24
    /// `BOLETO_LOG_LEVEL`: trace, debug, info, notice, warning, error or critical. Default `info`.
    public var logLevel = "info"
    /// The `bradesco` issuer, enabled by `BOLETO_BRADESCO_URL` with the company certificate in
    /// `BOLETO_BRADESCO_PFX` + `BOLETO_BRADESCO_PFX_PASSWORD`, or `BOLETO_BRADESCO_CERTIFICATE` + `BOLETO_BRADESCO_KEY`
    /// (PEM files). Calls time out after `BOLETO_PROVIDER_TIMEOUT_MS`; `BOLETO_BANK_CA_FILE` adds trust roots.
    public var bradesco: BradescoRegistroOnline.Configuration?
    /// The `caixa` issuer, enabled by `BOLETO_CAIXA_URL` (SIGCB `ManutencaoCobrancaBancaria/Boleto/Externo`), with
    /// `BOLETO_CAIXA_USER` as `USUARIO_SERVICO` (default `SGCBS02P`).
    public var caixa: CaixaSIGCB.Configuration?
    /// The `bb` issuer (Banco do Brasil API Cobranças v2), enabled by `BOLETO_BB_API_URL`, with `BOLETO_BB_TOKEN_URL`,
    /// `BOLETO_BB_CLIENT_ID`, `BOLETO_BB_CLIENT_SECRET`, `BOLETO_BB_APP_KEY` (`BOLETO_BB_APP_KEY_PARAMETER`, default
    /// `gw-dev-app-key`), the convênio `BOLETO_BB_CONVENIO` and variação `BOLETO_BB_WALLET_VARIATION`, `BOLETO_BB_PIX`
    /// (default true) and, for mutual TLS, `BOLETO_BB_CERTIFICATE` + `BOLETO_BB_KEY` (PEM files).
    public var bancoDoBrasil: BancoDoBrasilSettings?

    /// The `itau` issuer (Itaú Boletos), enabled by `BOLETO_ITAU_API_URL`, with `BOLETO_ITAU_QUERY_URL`,
    /// `BOLETO_ITAU_TOKEN_URL`, `BOLETO_ITAU_CLIENT_ID`, `BOLETO_ITAU_CLIENT_SECRET`, the client certificate
    /// `BOLETO_ITAU_CERTIFICATE` + `BOLETO_ITAU_KEY` (PEM files; Itaú takes mutual TLS only) and `BOLETO_ITAU_PIX`
    /// (default false).
    public var itau: ItauBoletos.Configuration?

    /// The `bb` issuer's adapter configuration and the barcode fields it gives every boleto.
    public struct BancoDoBrasilSettings: Sendable {
        public var configuration: BancoDoBrasilCobranca.Configuration
        public var convenio: String
        public var walletVariation: String

        public init(configuration: BancoDoBrasilCobranca.Configuration, convenio: String, walletVariation: String) {
            self.configuration = configuration
            self.convenio = convenio
            self.walletVariation = walletVariation
        }
    }

    /// The defaults.
    public init() {}

    /// Where owners' notifications may go (``OutboundPolicy``): private targets per `BOLETO_ALLOW_PRIVATE_TARGETS`,
    /// and the configured SQS endpoint's own queue URLs.
    public var outboundPolicy: OutboundPolicy {
        OutboundPolicy(allowPrivate: allowPrivateTargets, sqsEndpoint: queue == .sqs ? aws?.endpoint : nil)
    }

    /// Where jobs and owners' SQS notifications go.
    public enum QueueBackend: String, Sendable {
        case database, sqs
    }

    /// Errors in the environment, each naming its variable.
    public struct InvalidSetting: Error, CustomStringConvertible {
        /// The environment variable at fault.
        public let variable: String
        /// What it must be.
        public let expected: String
        public var description: String { "\(variable) must be \(expected)." }
    }

    /// Reads the settings from `environment` (the process environment by default).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> ServiceSettings {
        var settings = ServiceSettings()
        let reader = Reader(environment: environment)
        settings.host = reader.string("BOLETO_HOST", settings.host)
        settings.port = try reader.int("BOLETO_PORT", settings.port, 0...65_535)
        settings.dataDirectory = reader.string("BOLETO_DATA_DIR", settings.dataDirectory)
        settings.databaseURL = reader.value("BOLETO_DATABASE_URL")
        if let url = settings.databaseURL { _ = try PostgresStore.configuration(url: url) }
        settings.databasePoolSize = try reader.int("BOLETO_DATABASE_POOL_SIZE", settings.databasePoolSize, 1...500)
        settings.databaseWait = try reader.milliseconds("BOLETO_DATABASE_WAIT_MS", settings.databaseWait, 100...600_000)
        settings.databaseStatementTimeout = try reader.milliseconds("BOLETO_DATABASE_STATEMENT_TIMEOUT_MS",
                                                                    settings.databaseStatementTimeout, 100...600_000)
        settings.titleBlockSize = try reader.int("BOLETO_TITLE_BLOCK_SIZE", settings.titleBlockSize, 1...1000)
        if reader.value("BOLETO_DATABASE_MAX_ACTIVE") != nil {
            settings.databaseMaxActive = try reader.int("BOLETO_DATABASE_MAX_ACTIVE", 1, 1...500)
        }
        switch reader.value("BOLETO_QUEUE") ?? "database" {
        case "database": settings.queue = .database
        case "sqs":
            settings.queue = .sqs
            do { settings.aws = try AWSConfiguration.fromEnvironment(environment) } catch let error as AWSConfiguration.Missing {
                throw InvalidSetting(variable: error.variable, expected: "set when BOLETO_QUEUE=sqs")
            }
        default: throw InvalidSetting(variable: "BOLETO_QUEUE", expected: "database or sqs")
        }
        settings.sqsRegisterQueue = reader.string("BOLETO_SQS_REGISTER_QUEUE", settings.sqsRegisterQueue)
        settings.sqsTimeout = try reader.milliseconds("BOLETO_SQS_TIMEOUT_MS", settings.sqsTimeout, 100...120_000)
        settings.sqsWaitSeconds = try reader.int("BOLETO_SQS_WAIT_SECONDS", settings.sqsWaitSeconds, 0...20)
        settings.sqsVisibilitySeconds = try reader.int("BOLETO_SQS_VISIBILITY_SECONDS", settings.sqsVisibilitySeconds, 1...43_200)
        settings.sqsMaxReceiveCount = try reader.int("BOLETO_SQS_MAX_RECEIVE_COUNT", settings.sqsMaxReceiveCount, 1...1000)
        settings.registerDeadline = try reader.milliseconds("BOLETO_REGISTER_DEADLINE_MS", settings.registerDeadline, 1...120_000)
        settings.providerTimeout = try reader.milliseconds("BOLETO_PROVIDER_TIMEOUT_MS", settings.providerTimeout, 1...600_000)
        settings.maxBodyBytes = try reader.int("BOLETO_MAX_BODY_BYTES", settings.maxBodyBytes, 1024...16_777_216)
        settings.maxRetornoBodyBytes = try reader.int("BOLETO_MAX_RETORNO_BODY_BYTES", settings.maxRetornoBodyBytes,
                                                      65_536...268_435_456)
        settings.httpHeaderTimeout = try reader.milliseconds("BOLETO_HTTP_HEADER_TIMEOUT_MS", settings.httpHeaderTimeout, 100...600_000)
        settings.httpIdleTimeout = try reader.milliseconds("BOLETO_HTTP_IDLE_TIMEOUT_MS", settings.httpIdleTimeout, 100...3_600_000)
        settings.httpRequestTimeout = try reader.milliseconds("BOLETO_HTTP_REQUEST_TIMEOUT_MS", settings.httpRequestTimeout, 1000...3_600_000)
        settings.httpMaxConnections = try reader.int("BOLETO_HTTP_MAX_CONNECTIONS", settings.httpMaxConnections, 1...1_000_000)
        settings.rateLimitPerSecond = Double(try reader.int("BOLETO_RATE_LIMIT_PER_SECOND", 0, 0...1_000_000))
        if reader.value("BOLETO_RATE_LIMIT_BURST") != nil {
            settings.rateLimitBurst = try reader.int("BOLETO_RATE_LIMIT_BURST", 1, 1...10_000_000)
        }
        settings.runWorker = try reader.bool("BOLETO_WORKER", settings.runWorker)
        settings.workerConcurrency = try reader.int("BOLETO_WORKER_CONCURRENCY", settings.workerConcurrency, 1...256)
        settings.workerPollInterval = try reader.milliseconds("BOLETO_WORKER_POLL_MS", settings.workerPollInterval, 10...60_000)
        settings.jobLease = try reader.milliseconds("BOLETO_JOB_LEASE_MS", settings.jobLease, 1000...3_600_000)
        settings.retryBase = try reader.milliseconds("BOLETO_RETRY_BASE_MS", settings.retryBase, 1...3_600_000)
        settings.retryMax = try reader.milliseconds("BOLETO_RETRY_MAX_MS", settings.retryMax, 1...86_400_000)
        settings.registerMaxAttempts = try reader.int("BOLETO_REGISTER_MAX_ATTEMPTS", settings.registerMaxAttempts, 1...1000)
        settings.webhookTimeout = try reader.milliseconds("BOLETO_WEBHOOK_TIMEOUT_MS", settings.webhookTimeout, 1...120_000)
        settings.allowPrivateTargets = try reader.bool("BOLETO_ALLOW_PRIVATE_TARGETS", settings.allowPrivateTargets)
        settings.reconcile.early = .seconds(60 * (try reader.int("BOLETO_RECONCILE_EARLY_MINUTES", 1440, 1...43_200)))
        settings.reconcile.near = .seconds(60 * (try reader.int("BOLETO_RECONCILE_NEAR_MINUTES", 180, 1...43_200)))
        settings.reconcile.late = .seconds(60 * (try reader.int("BOLETO_RECONCILE_LATE_MINUTES", 1440, 1...43_200)))
        settings.reconcile.horizonDays = try reader.int("BOLETO_RECONCILE_HORIZON_DAYS", settings.reconcile.horizonDays, 0...3650)
        settings.reconcile.perMinute = try reader.int("BOLETO_RECONCILE_PER_MINUTE", settings.reconcile.perMinute, 1...6000)
        settings.reconcile.poll = try reader.milliseconds("BOLETO_RECONCILE_POLL_MS", settings.reconcile.poll, 10...600_000)
        if let base = reader.value("BOLETO_PUBLIC_URL") {
            guard let url = URL(string: base), ["https", "http"].contains(url.scheme ?? ""), url.host != nil, url.query == nil else {
                throw InvalidSetting(variable: "BOLETO_PUBLIC_URL", expected: "an absolute http(s) URL without a query")
            }
            settings.publicURL = base.hasSuffix("/") ? String(base.dropLast()) : base
        }
        settings.payerPagePerMinute = try reader.int("BOLETO_PAYER_PAGE_PER_MINUTE", settings.payerPagePerMinute, 0...100_000)
        for bank in notifyingBanks {
            let variable = "BOLETO_\(bank.uppercased())_NOTIFICATION_SECRET"
            guard let secret = reader.value(variable) else { continue }
            guard (32...256).contains(secret.utf8.count),
                  secret.utf8.allSatisfy({ $0 < 128 && (Character(Unicode.Scalar($0)).isLetter || Character(Unicode.Scalar($0)).isNumber || "-_.~".utf8.contains($0)) }) else {
                throw InvalidSetting(variable: variable, expected: "32 to 256 letters, digits, '-', '_', '.' or '~'")
            }
            settings.notificationSecrets[bank] = secret
        }
        guard settings.jobLease > settings.providerTimeout, settings.jobLease > settings.webhookTimeout else {
            throw InvalidSetting(variable: "BOLETO_JOB_LEASE_MS",
                                 expected: "longer than BOLETO_PROVIDER_TIMEOUT_MS and BOLETO_WEBHOOK_TIMEOUT_MS")
        }
        settings.sandboxBank = reader.string("BOLETO_SANDBOX_BANK", settings.sandboxBank)
        guard Banks.name(for: settings.sandboxBank) != nil else {
            throw InvalidSetting(variable: "BOLETO_SANDBOX_BANK", expected: "a bank code BoletoKit generates boletos for")
        }
        settings.sandboxSlowDelay = try reader.milliseconds("BOLETO_SANDBOX_SLOW_MS", settings.sandboxSlowDelay, 0...600_000)
        settings.sandboxURL = reader.value("BOLETO_SANDBOX_URL")
        if let url = settings.sandboxURL, URL(string: url)?.host == nil {
            throw InvalidSetting(variable: "BOLETO_SANDBOX_URL", expected: "an http(s) URL")
        }
        settings.stage = reader.string("BOLETO_STAGE", settings.stage)
        guard !settings.stage.isEmpty, settings.stage.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-") }) else {
            throw InvalidSetting(variable: "BOLETO_STAGE", expected: "letters, digits or hyphens")
        }
        settings.idempotencyTTLHours = try reader.int("BOLETO_IDEMPOTENCY_TTL_HOURS", settings.idempotencyTTLHours, 1...8760)
        try readBanks(into: &settings, reader)
        settings.logLevel = reader.string("BOLETO_LOG_LEVEL", settings.logLevel)
        guard ["trace", "debug", "info", "notice", "warning", "error", "critical"].contains(settings.logLevel) else {
            throw InvalidSetting(variable: "BOLETO_LOG_LEVEL", expected: "one of trace, debug, info, notice, warning, error, critical")
        }
        return settings
    }

    /// The bank settings: endpoints from the environment, certificates from the files it names. Errors name the
    /// variable, never a password or a file's contents.
    private static func readBanks(into settings: inout ServiceSettings, _ reader: Reader) throws {
        var trustRoots: [String] = []
        if let path = reader.value("BOLETO_BANK_CA_FILE") {
            guard let pem = try? String(contentsOfFile: path, encoding: .utf8), pem.contains("-----BEGIN CERTIFICATE-----") else {
                throw InvalidSetting(variable: "BOLETO_BANK_CA_FILE", expected: "a readable PEM file of CA certificates")
            }
            trustRoots = [pem]
        }
        func endpoint(_ variable: String) throws -> BankEndpoint? {
            guard let url = reader.value(variable) else { return nil }
            do {
                return try BankEndpoint(url: url, timeout: settings.providerTimeout,
                                        connectTimeout: min(settings.providerTimeout, .seconds(5)), additionalTrustRoots: trustRoots)
            } catch {
                throw InvalidSetting(variable: variable, expected: "an absolute https URL (TLS cannot be turned off)")
            }
        }
        if let bradesco = try endpoint("BOLETO_BRADESCO_URL") {
            let identity: SigningIdentity
            do {
                if let pfx = reader.value("BOLETO_BRADESCO_PFX") {
                    guard let bytes = FileManager.default.contents(atPath: pfx) else {
                        throw InvalidSetting(variable: "BOLETO_BRADESCO_PFX", expected: "a readable PKCS#12 (.pfx) file")
                    }
                    identity = try SigningIdentity(pkcs12: Array(bytes), password: reader.value("BOLETO_BRADESCO_PFX_PASSWORD") ?? "")
                } else if let certificate = reader.value("BOLETO_BRADESCO_CERTIFICATE"), let key = reader.value("BOLETO_BRADESCO_KEY") {
                    guard let certificatePEM = try? String(contentsOfFile: certificate, encoding: .utf8),
                          let keyPEM = try? String(contentsOfFile: key, encoding: .utf8) else {
                        throw InvalidSetting(variable: "BOLETO_BRADESCO_CERTIFICATE", expected: "readable PEM files (with BOLETO_BRADESCO_KEY)")
                    }
                    identity = try SigningIdentity(certificatePEM: certificatePEM, keyPEM: keyPEM)
                } else {
                    throw InvalidSetting(variable: "BOLETO_BRADESCO_PFX",
                                         expected: "set (or BOLETO_BRADESCO_CERTIFICATE and BOLETO_BRADESCO_KEY) when BOLETO_BRADESCO_URL is")
                }
            } catch let error as ProviderConfigurationError {
                throw InvalidSetting(variable: "BOLETO_BRADESCO_PFX", expected: "the company certificate: \(error.description)")
            }
            settings.bradesco = .init(endpoint: bradesco, signer: CMSSigner(identity: identity))
        }
        if let caixa = try endpoint("BOLETO_CAIXA_URL") {
            let user = reader.string("BOLETO_CAIXA_USER", "SGCBS02P")
            guard (1...20).contains(user.count), user.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_") }) else {
                throw InvalidSetting(variable: "BOLETO_CAIXA_USER", expected: "Caixa's USUARIO_SERVICO (letters and digits, such as SGCBS02P)")
            }
            settings.caixa = .init(endpoint: caixa, usuarioServico: user)
        }
        if let api = try endpoint("BOLETO_BB_API_URL") {
            settings.bancoDoBrasil = try readBancoDoBrasil(api: api, reader)
        }
        if let api = try endpoint("BOLETO_ITAU_API_URL") {
            settings.itau = try readItau(api: api, reader)
        }
    }

    /// A value required once its bank is enabled, named in the error with the variable that enabled it.
    private static func required(_ name: String, _ expected: String, enabledBy enabler: String, _ reader: Reader) throws -> String {
        guard let value = reader.value(name) else { throw InvalidSetting(variable: name, expected: "\(expected) (\(enabler) is set)") }
        return value
    }

    /// A client certificate from PEM files named by `certificateVariable` and `keyVariable`; nil when the first is unset.
    private static func clientIdentity(_ certificateVariable: String, _ keyVariable: String, _ reader: Reader) throws -> SigningIdentity? {
        guard let certificate = reader.value(certificateVariable) else { return nil }
        guard let key = reader.value(keyVariable), let certificatePEM = try? String(contentsOfFile: certificate, encoding: .utf8),
              let keyPEM = try? String(contentsOfFile: key, encoding: .utf8) else {
            throw InvalidSetting(variable: certificateVariable, expected: "readable PEM files (with \(keyVariable))")
        }
        do { return try SigningIdentity(certificatePEM: certificatePEM, keyPEM: keyPEM) } catch {
            throw InvalidSetting(variable: certificateVariable, expected: "the client certificate: \(error.description)")
        }
    }

    /// OAuth client credentials from `<prefix>TOKEN_URL`, `<prefix>CLIENT_ID` and `<prefix>CLIENT_SECRET`.
    private static func credentials(_ prefix: String, enabledBy enabler: String, scope: String?,
                                    authentication: OAuthClientCredentials.ClientAuthentication, _ reader: Reader) throws -> OAuthClientCredentials {
        do {
            return try OAuthClientCredentials(
                tokenURL: try required(prefix + "TOKEN_URL", "the OAuth token URL", enabledBy: enabler, reader),
                clientID: try required(prefix + "CLIENT_ID", "the OAuth client id", enabledBy: enabler, reader),
                clientSecret: try required(prefix + "CLIENT_SECRET", "the OAuth client secret", enabledBy: enabler, reader),
                scope: scope, authentication: authentication)
        } catch let error as ProviderConfigurationError {
            throw InvalidSetting(variable: prefix + "TOKEN_URL", expected: error.description)
        }
    }

    /// The `itau` issuer's settings; every error names its variable, never the secret.
    private static func readItau(api: BankEndpoint, _ reader: Reader) throws -> ItauBoletos.Configuration {
        let enabler = "BOLETO_ITAU_API_URL"
        let credentials = try credentials("BOLETO_ITAU_", enabledBy: enabler, scope: nil, authentication: .form, reader)
        guard let identity = try clientIdentity("BOLETO_ITAU_CERTIFICATE", "BOLETO_ITAU_KEY", reader) else {
            throw InvalidSetting(variable: "BOLETO_ITAU_CERTIFICATE", expected: "the client certificate (Itaú takes mutual TLS only; \(enabler) is set)")
        }
        let query = try required("BOLETO_ITAU_QUERY_URL", "the boletoscash query URL", enabledBy: enabler, reader)
        guard (try? BankEndpoint(url: query)) != nil else {
            throw InvalidSetting(variable: "BOLETO_ITAU_QUERY_URL", expected: "an absolute https URL (TLS cannot be turned off)")
        }
        return .init(api: api, queryURL: query, credentials: credentials, clientIdentity: identity,
                     pix: try reader.bool("BOLETO_ITAU_PIX", false))
    }

    /// The `bb` issuer's settings; every error names its variable, never the secret.
    private static func readBancoDoBrasil(api: BankEndpoint, _ reader: Reader) throws -> BancoDoBrasilSettings {
        let enabler = "BOLETO_BB_API_URL"
        let convenio = try required("BOLETO_BB_CONVENIO", "the 7-digit convênio", enabledBy: enabler, reader)
        guard convenio.count == 7, convenio.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw InvalidSetting(variable: "BOLETO_BB_CONVENIO", expected: "the 7-digit convênio")
        }
        let variation = try required("BOLETO_BB_WALLET_VARIATION", "the variação de carteira (1 to 3 digits)", enabledBy: enabler, reader)
        guard (1...3).contains(variation.count), variation.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw InvalidSetting(variable: "BOLETO_BB_WALLET_VARIATION", expected: "the variação de carteira (1 to 3 digits)")
        }
        let credentials = try credentials("BOLETO_BB_", enabledBy: enabler, scope: "cobrancas.boletos-info cobrancas.boletos-requisicao",
                                          authentication: .basic, reader)
        let configuration = BancoDoBrasilCobranca.Configuration(
            api: api, credentials: credentials, applicationKey: try required("BOLETO_BB_APP_KEY", "the application key", enabledBy: enabler, reader),
            applicationKeyParameter: reader.string("BOLETO_BB_APP_KEY_PARAMETER", "gw-dev-app-key"),
            clientIdentity: try clientIdentity("BOLETO_BB_CERTIFICATE", "BOLETO_BB_KEY", reader),
            pix: try reader.bool("BOLETO_BB_PIX", true))
        return BancoDoBrasilSettings(configuration: configuration, convenio: convenio, walletVariation: variation)
    }

    private struct Reader {
        let environment: [String: String]

        func value(_ name: String) -> String? {
            guard let raw = environment[name]?.trimmingCharacters(in: .whitespaces), !raw.isEmpty else { return nil }
            return raw
        }

        func string(_ name: String, _ fallback: String) -> String { value(name) ?? fallback }

        func int(_ name: String, _ fallback: Int, _ range: ClosedRange<Int>) throws -> Int {
            guard let raw = value(name) else { return fallback }
            guard let number = Int(raw), range.contains(number) else {
                throw InvalidSetting(variable: name, expected: "an integer from \(range.lowerBound) to \(range.upperBound)")
            }
            return number
        }

        func milliseconds(_ name: String, _ fallback: Duration, _ range: ClosedRange<Int>) throws -> Duration {
            guard value(name) != nil else { return fallback }
            return .milliseconds(try int(name, 0, range))
        }

        func bool(_ name: String, _ fallback: Bool) throws -> Bool {
            guard let raw = value(name) else { return fallback }
            switch raw.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default: throw InvalidSetting(variable: name, expected: "true or false")
            }
        }
    }
}

/// Settings hold credentials (database URLs, AWS keys, notification secrets): printed, they show only what is safe.
extension ServiceSettings: CustomStringConvertible, CustomReflectable {
    public var description: String {
        "ServiceSettings(host: \(host), port: \(port), database: \(databaseURL == nil ? "sqlite" : "postgres"), queue: \(queue.rawValue))"
    }

    public var customMirror: Mirror { Mirror(self, children: ["description": description]) }
}
