import Foundation
import Logging
import PostgresNIO
import Testing
@testable import ReferenceService

/// A database that is down answers 503 in the error format, and readiness reports it; nothing crashes.
@Suite("Database outage")
struct DatabaseOutageTests {
    @Test("a Postgres store that cannot connect: POST /boletos and GET answer 503, readiness 503")
    func postgresDown() async throws {
        var configuration = try PostgresStore.configuration(url: "postgres://postgres@127.0.0.1:1/postgres?sslmode=disable")
        configuration.options.connectTimeout = .milliseconds(500)
        let store = PostgresStore(client: PostgresClient(configuration: configuration, backgroundLogger: Logger(label: "t")),
                                  logger: Logger(label: "t"), leaseTimeout: .seconds(1))
        store.startPool()
        let service = TestService()
        let running = try ReferenceService(settings: service.settings, store: store, logger: service.logs.logger)
        try await service.start(with: running)
        let started = Date()
        let ready = try await service.get("/health/ready", key: "")
        #expect(ready.status == 503)
        #expect(ready.json["checks"]?["database"]?.string == "unavailable")
        let create = try await service.post("/boletos", Body.boleto(), key: "bk_0000000000000000_" + String(repeating: "a", count: 40))
        #expect(create.status == 503)
        #expect(create.errorTypes == ["service_unavailable"])
        #expect(Date().timeIntervalSince(started) < 20)
        await service.stop()
    }
}
