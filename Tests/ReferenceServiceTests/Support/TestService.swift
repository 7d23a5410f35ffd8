import AsyncHTTPClient
import BoletoJSON
import Foundation
import Logging
import NIOCore
import NIOHTTP1
@testable import ReferenceService

/// A log handler that keeps every line (message and metadata) for the PII test.
final class LogCapture: @unchecked Sendable {
    private let lock = NSLock()
    private var lines: [String] = []

    func append(_ line: String) { lock.withLock { lines.append(line) } }
    var all: [String] { lock.withLock { lines } }

    var logger: Logger {
        var logger = Logger(label: "boleto-test") { _ in CapturingHandler(capture: self) }
        logger.logLevel = .trace
        return logger
    }

    struct CapturingHandler: LogHandler {
        let capture: LogCapture
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .trace
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            let merged = metadata.merging(event.metadata ?? [:]) { $1 }
            capture.append("\(event.level) \(event.message) \(merged.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: " "))")
        }
    }
}

/// An HTTP answer, with the body parsed as JSON when it is JSON.
struct Reply: Sendable {
    let status: Int
    let headers: HTTPHeaders
    let text: String
    var json: JSON { (try? JSON.parse(text)) ?? .null }

    func header(_ name: String) -> String? { headers.first(name: name) }

    /// The `field` of every error in an error body.
    var errorFields: [String] {
        guard case .array(let errors)? = json["errors"] else { return [] }
        return errors.compactMap { if case .string(let field)? = $0["field"] { field } else { nil } }
    }

    var errorTypes: [String] {
        guard case .array(let errors)? = json["errors"] else { return [] }
        return errors.compactMap { if case .string(let type)? = $0["type"] { type } else { nil } }
    }
}

/// One running service on a loopback port with its own data directory, driven over real HTTP.
final class TestService: @unchecked Sendable {
    let directory: String
    let settings: ServiceSettings
    let logs = LogCapture()
    private(set) var service: ReferenceService!
    private var task: Task<Void, any Error>?
    private(set) var port = 0
    private(set) var apiKey = ""
    private(set) var client: ClientRecord!

    /// One client for every test; enough connections per service that concurrent-request tests never queue here.
    static let http: HTTPClient = {
        var configuration = HTTPClient.Configuration()
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }()

    /// Settings for fast tests: quick retries and short deadlines.
    static func settings(directory: String, _ adjust: (inout ServiceSettings) -> Void = { _ in }) -> ServiceSettings {
        var settings = ServiceSettings()
        settings.host = "127.0.0.1"
        settings.port = 0
        settings.dataDirectory = directory
        settings.registerDeadline = .seconds(5)
        settings.providerTimeout = .seconds(5)
        settings.workerPollInterval = .milliseconds(20)
        settings.retryBase = .milliseconds(20)
        settings.retryMax = .milliseconds(100)
        settings.sandboxSlowDelay = .milliseconds(800)
        settings.databaseWait = .seconds(60)
        // Webhook receivers in tests listen on plain-http loopback; the outbound tests turn this off again.
        settings.allowPrivateTargets = true
        adjust(&settings)
        return settings
    }

    init(directory: String? = nil, databaseURL: String? = nil, _ adjust: (inout ServiceSettings) -> Void = { _ in }) {
        let directory = directory ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("boleto-test-\(UUID().uuidString)").path
        self.directory = directory
        self.settings = Self.settings(directory: directory) { settings in
            settings.databaseURL = databaseURL
            adjust(&settings)
        }
    }

    /// A service on a fresh store of `backend` (a new Postgres database for `.postgres`).
    static func make(store backend: StoreBackend, _ adjust: (inout ServiceSettings) -> Void = { _ in }) async throws -> TestService {
        switch backend {
        case .sqlite: return TestService(adjust)
        case .postgres: return TestService(databaseURL: try await StoreBackend.freshDatabase(), adjust)
        }
    }

    /// A service in the configuration `backend`; `adjust` applies on top of it.
    static func make(_ backend: ServiceBackend, _ adjust: (inout ServiceSettings) -> Void = { _ in }) async throws -> TestService {
        switch backend {
        case .embedded:
            return TestService(adjust)
        case .production:
            let production = try await ServiceBackend.productionSettings()
            return TestService(databaseURL: production.databaseURL) { settings in
                production.adjust(&settings)
                adjust(&settings)
            }
        }
    }

    /// Starts the service and creates an API key for it.
    @discardableResult
    func start(createKey: Bool = true) async throws -> TestService {
        service = try await ReferenceService.open(settings: settings, logger: logs.logger)
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let service = self.service!
        task = Task { try await service.runUntilCancelled { port in continuation.yield(port) } }
        for await port in ports {
            self.port = port
            break
        }
        if createKey {
            let issued = try await APIKeys.create(name: "test", in: service.store)
            apiKey = issued.key
            client = issued.client
        }
        return self
    }

    /// Starts `service` (already built over its store) without creating a key.
    func start(with service: ReferenceService) async throws {
        self.service = service
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        task = Task { try await service.runUntilCancelled { port in continuation.yield(port) } }
        for await port in ports {
            self.port = port
            break
        }
    }

    /// A second client of the same service.
    func newClient(_ name: String) async throws -> APIKeys.Issued {
        try await APIKeys.create(name: name, in: service.store)
    }

    /// Stops the service gracefully and waits until its store is closed.
    func stop() async {
        task?.cancel()
        _ = try? await task?.value
        task = nil
    }

    var baseURL: String { "http://127.0.0.1:\(port)" }

    func request(_ method: HTTPMethod, _ path: String, json body: String? = nil, key: String? = nil,
                 headers: [(String, String)] = []) async throws -> Reply {
        try await request(method, path, bytes: body.map { Array($0.utf8) }, key: key, headers: headers)
    }

    /// A request whose JSON body is given as raw bytes (which need not be UTF-8).
    func request(_ method: HTTPMethod, _ path: String, bytes body: [UInt8]?, key: String? = nil,
                 headers: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        request.headers.add(name: "x-api-key", value: key ?? apiKey)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        let response = try await Self.http.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 16 * 1024 * 1024)
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: buffer))
    }

    func post(_ path: String, _ body: JSON, key: String? = nil, headers: [(String, String)] = []) async throws -> Reply {
        try await request(.POST, path, json: body.text, key: key, headers: headers)
    }

    func get(_ path: String, key: String? = nil) async throws -> Reply {
        try await request(.GET, path, key: key)
    }

    func patch(_ path: String, _ body: JSON, key: String? = nil) async throws -> Reply {
        try await request(.PATCH, path, json: body.text, key: key)
    }

    /// Polls `GET /boletos/:id` until `condition` holds (at most `seconds`).
    func waitForBoleto(_ id: String, seconds: Double = 15, until condition: (JSON) -> Bool) async throws -> JSON {
        let deadline = Date().addingTimeInterval(seconds)
        while true {
            let boleto = try await get("/boletos/\(id)").json
            if condition(boleto) || Date() > deadline { return boleto }
            try await Task.sleep(for: .milliseconds(25))
        }
    }

    deinit {
        task?.cancel()
    }
}

/// Builders of request bodies.
enum Body {
    /// A São Paulo calendar date `days` from today.
    static func date(_ days: Int) -> String {
        Calendar(identifier: .gregorian).date(byAdding: .day, value: days, to: Date()).map {
            var calendar = Calendar(identifier: .gregorian)
            calendar.timeZone = TimeZone(identifier: "America/Sao_Paulo")!
            let c = calendar.dateComponents([.year, .month, .day], from: $0)
            return String(format: "%04d-%02d-%02d", c.year!, c.month!, c.day!)
        }!
    }

    /// A valid boleto request; `changes` replace or add fields, `.null` removes one.
    static func boleto(_ changes: [(String, JSON)] = []) -> JSON {
        var pairs: [(String, JSON)] = [
            ("queue_url", .string("https://sqs.us-east-1.amazonaws.com/123456789012/boletos")),
            ("expiration_date", .string(date(10))),
            ("amount", .int(2000)),
            ("instructions", .string("Não receber após o vencimento.")),
            ("issuer", .string("sandbox")),
            ("issuer_account", .string("9721")),
            ("issuer_agency", .string("3381")),
            ("issuer_wallet", .string("26")),
            ("payer_name", .string("Maria Joaquina da Silva")),
            ("payer_document_type", .string("cpf")),
            ("payer_document_number", .string("111.444.777-35")),
            ("payer_address", .object([
                ("zipcode", .string("04551-010")), ("street", .string("Rua Fidêncio Ramos")),
                ("street_number", .int(308)), ("complementary", .string("9º andar")),
                ("neighborhood", .string("Vila Olímpia")), ("city", .string("São Paulo")), ("state", .string("SP")),
            ])),
            ("company_name", .string("Loja Exemplo Ltda")),
            ("company_document_number", .string("11.222.333/0001-81")),
            ("reference_id", .string("order-42")),
        ]
        for (key, value) in changes {
            if let index = pairs.firstIndex(where: { $0.0 == key }) {
                if value == .null { pairs.remove(at: index) } else { pairs[index].1 = value }
            } else if value != .null {
                pairs.append((key, value))
            }
        }
        return .object(pairs)
    }
}

extension JSON {
    var string: String? { if case .string(let value) = self { value } else { nil } }
    var int: Int64? { if case .int(let value) = self { value } else { nil } }
    var array: [JSON]? { if case .array(let value) = self { value } else { nil } }
}

/// Runs `body` against a fresh service in the configuration `backend` (the embedded default unless it says
/// otherwise) and always stops it afterwards.
func withService(_ backend: ServiceBackend = .embedded, _ adjust: (inout ServiceSettings) -> Void = { _ in },
                 _ body: (TestService) async throws -> Void) async throws {
    try await run(try await TestService.make(backend, adjust).start(), body)
}

/// Runs `body` against a fresh service on a store of kind `backend`, with the queue `adjust` chooses.
func withService(store backend: StoreBackend, _ adjust: (inout ServiceSettings) -> Void = { _ in },
                 _ body: (TestService) async throws -> Void) async throws {
    try await run(try await TestService.make(store: backend, adjust).start(), body)
}

private func run(_ service: TestService, _ body: (TestService) async throws -> Void) async throws {
    do {
        try await body(service)
    } catch {
        await service.stop()
        throw error
    }
    await service.stop()
}

/// Requests against a service this test did not start (a child process).
struct TestServiceClient {
    let port: Int
    let key: String

    func post(_ path: String, body: String, headers: [(String, String)] = []) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.method = .POST
        request.headers.add(name: "x-api-key", value: key)
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.headers.add(name: "Content-Type", value: "application/json")
        request.body = .bytes(ByteBuffer(string: body))
        let response = try await TestService.http.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 1 << 24)
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: buffer))
    }

    func get(_ path: String, key: String? = nil) async throws -> Reply {
        var request = HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)")
        request.headers.add(name: "x-api-key", value: key ?? self.key)
        let response = try await TestService.http.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 1 << 24)
        return Reply(status: Int(response.status.code), headers: response.headers, text: String(buffer: buffer))
    }
}
