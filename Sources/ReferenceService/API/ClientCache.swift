import Foundation

/// Clients recently read for authentication, by id, for `ttl`. Every request with an API key needs its client; the
/// cache saves that read. The presented key is still checked against the stored hash on every request, so a key
/// is never accepted without the hash matching; only a change of the stored hash (there is no API for it) takes up
/// to `ttl` to be seen. Unknown ids are not cached.
final class ClientCache: @unchecked Sendable {
    private let lock = NSLock()
    private var entries: [String: (client: ClientRecord, until: ContinuousClock.Instant)] = [:]
    let ttl: Duration
    /// A bound on the entries, so a flood of different valid clients cannot grow it without limit.
    let capacity: Int

    init(ttl: Duration = .seconds(30), capacity: Int = 10_000) {
        self.ttl = ttl
        self.capacity = capacity
    }

    /// The cached client `id`, or the one `load` reads (then cached when it exists).
    func client(id: String, load: () async throws -> ClientRecord?) async throws -> ClientRecord? {
        let now = ContinuousClock.now
        if let entry = lock.withLock({ entries[id] }), entry.until > now { return entry.client }
        guard let client = try await load() else { return nil }
        lock.withLock {
            if entries.count >= capacity { entries = entries.filter { $0.value.until > now } }
            if entries.count < capacity { entries[id] = (client, now + ttl) }
        }
        return client
    }
}
