import Foundation
import PostgresNIO
import Testing
@testable import ReferenceService

/// The Postgres store keeps the connections it leased between calls (`ConnectionShelf`), and replaces one the server
/// closed.
@Suite("Connection shelf")
struct ConnectionShelfTests {
    static func backendPID(_ store: PostgresStore) async throws -> Int {
        try #require(try await store.execute("SELECT pg_backend_pid() AS pid").first?.int("pid"))
    }

    @Test("calls reuse kept connections, never more than run at once; a terminated one is replaced",
          .enabled(if: StoreBackend.available.contains(.postgres)))
    func reuseAndReplace() async throws {
        let url = try await StoreBackend.freshDatabase()
        try await StoreBackend.withPostgres(url: url, schema: nil) { store in
            var sequential = Set<Int>()
            for _ in 0..<20 { sequential.insert(try await Self.backendPID(store)) }
            #expect(sequential.count == 1, "one call at a time keeps using one connection")
            #expect(store.leases.shelf.idleCount == 1)

            let concurrent = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 { group.addTask { try await Self.backendPID(store) } }
                return try await group.reduce(into: Set<Int>()) { $0.insert($1) }
            }
            // The store lets at most 8 calls run at once (4 per core, at most its pool of 8), so it keeps at most 8.
            #expect(concurrent.count <= 8)
            #expect(store.leases.shelf.idleCount <= 8)

            let held = try await Self.backendPID(store)
            try await StoreBackend.withPostgres(url: url, schema: nil) { admin in
                _ = try await admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE pid = \(held)")
            }
            // Once the closed socket is seen, the next call gets another connection instead of an error.
            var replaced: Int?
            for _ in 0..<50 where replaced == nil {
                try await Task.sleep(for: .milliseconds(20))
                if let pid = try? await Self.backendPID(store), pid != held { replaced = pid }
            }
            #expect(replaced != nil)
            #expect(try await Self.backendPID(store) != held)
        }
    }
}
