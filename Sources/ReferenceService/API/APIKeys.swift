import Foundation

/// API keys: `bk_<16 hex client id>_<40 base-62 characters>`. Only the key's SHA-256 is stored; a presented key is
/// looked up by its client id and compared with the stored hash in constant time.
public enum APIKeys {
    /// A new client, its key (shown once) and its webhook signing secret.
    public struct Issued: Sendable {
        /// The new client.
        public let client: ClientRecord
        /// The API key, shown once.
        public let key: String
    }

    /// Creates a client named `name` in `store`.
    public static func create(name: String, in store: any ClientStore) async throws -> Issued {
        let hex = Identifiers.hex(16)
        let key = "bk_\(hex)_\(Identifiers.secret(40))"
        let client = ClientRecord(id: "cli_" + hex, name: name, keyHash: Identifiers.sha256(key),
                                  webhookSecret: "whsec_" + Identifiers.secret(32), createdAt: Timestamp.now())
        try await store.insertClient(client)
        return Issued(client: client, key: key)
    }

    /// The client `key` belongs to, or nil; a client read recently comes from `cache`.
    static func client(for key: String, in store: any ClientStore, cache: ClientCache) async throws -> ClientRecord? {
        let parts = key.split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0] == "bk", parts[1].count == 16, parts[2].count == 40 else { return nil }
        let id = "cli_" + parts[1]
        guard let client = try await cache.client(id: id, load: { try await store.client(id: id) }) else { return nil }
        return Identifiers.constantTimeEquals(client.keyHash, Identifiers.sha256(key)) ? client : nil
    }
}
