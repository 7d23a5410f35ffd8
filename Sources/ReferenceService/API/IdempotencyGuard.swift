import BoletoJSON
import Foundation
import HTTPTypes
import Hummingbird

/// `Idempotency-Key` on POSTs.
///
/// The first request with a key reserves it; the same key with the same method, path and body then answers the
/// stored response (header `Idempotent-Replayed: true`) and does nothing again; with a different request it gets
/// 422. A request that arrives while the first is still running waits for its response. A boleto create writes the
/// boleto's id into the key's record in the boleto's own transaction, so even a crash between the two leaves the
/// key pointing at the boleto, never free to create a second one. Responses of 5xx release the key. A retry whose
/// first request committed a boleto but never answered gets that boleto after `resourceWait`.
struct IdempotencyGuard: Sendable {
    let store: any IdempotencyStore
    let render: @Sendable (String) async throws -> APIReply?
    var waitLimit: Duration = .seconds(30)
    /// How long a retry waits for the first request once that request's boleto is committed: about the time the
    /// first request still needs (its synchronous bank attempt).
    var resourceWait: Duration = .seconds(3)

    func run(_ call: APICall, client: ClientRecord, key: String,
             _ body: ((clientID: String, key: String)) async throws -> APIReply) async throws -> APIReply {
        guard (1...255).contains(key.utf8.count), key.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7e }) else {
            throw APIError.validation([.invalid("Idempotency-Key", "Idempotency-Key must be 1 to 255 visible ASCII characters.")])
        }
        let hash = Identifiers.sha256("\(call.method.rawValue) \(call.template) \(call.id)\n\(call.bodyText)")
        // A key whose first request failed and was freed while this one waited is taken over, a few times at most.
        for _ in 0..<3 {
            let reservation = IdempotencyRecord(clientID: client.id, key: key, requestHash: hash, createdAt: Timestamp.now())
            let found: IdempotencyRecord?
            do {
                found = try await store.reserveIdempotencyKey(reservation)
            } catch {
                // The reservation may have been written with only its answer lost (the database died under it).
                // Left, it would hold the key for nobody; freed, at worst a concurrent request under the same key
                // fails to attach its boleto and answers 503 (the store refuses a boleto without its key).
                await release(clientID: client.id, key: key)
                throw error
            }
            guard let existing = found else {
                return try await first(client: client, key: key, body)
            }
            if let reply = try await replay(existing, hash: hash) { return reply }
        }
        throw APIError.conflict("A request with this Idempotency-Key failed; retry it.", field: "Idempotency-Key")
    }

    /// Runs the request that holds the key's reservation, and records its response.
    private func first(client: ClientRecord, key: String,
                       _ body: ((clientID: String, key: String)) async throws -> APIReply) async throws -> APIReply {
        let reply: APIReply
        do {
            reply = try await body((client.id, key))
        } catch let error as APIError where error.status.code < 500 {
            let rendered = APIResponder.render(error)
            try await store.completeIdempotencyKey(clientID: client.id, key: key, statusCode: error.status.code,
                                                   body: error.body.text)
            return rendered
        } catch {
            // A boleto already committed under this key is the answer, not the error.
            if let id = try? await store.idempotencyRecord(clientID: client.id, key: key)?.resourceID,
               let rendered = try? await render(id) {
                try await store.completeIdempotencyKey(clientID: client.id, key: key, statusCode: rendered.status.code,
                                                       body: rendered.body)
                return rendered
            }
            await release(clientID: client.id, key: key)
            throw error
        }
        guard reply.status.code < 500 else {
            await release(clientID: client.id, key: key)
            return reply
        }
        try await store.completeIdempotencyKey(clientID: client.id, key: key, statusCode: reply.status.code, body: reply.body)
        return reply
    }

    /// Frees the key of a request that failed without creating anything. When the database is down too (the usual
    /// reason for the failure), it keeps trying in the background for up to ten minutes, so the client's retry
    /// with the same key is not stuck behind a reservation nobody holds. The release never frees a key whose boleto
    /// was committed: the store deletes only a reservation without a resource.
    private func release(clientID: String, key: String) async {
        guard (try? await store.releaseIdempotencyKey(clientID: clientID, key: key)) == nil else { return }
        let store = self.store
        Task {
            var delay = Duration.milliseconds(250)
            let deadline = ContinuousClock.now + .seconds(600)
            while ContinuousClock.now < deadline {
                try await Task.sleep(for: delay)
                if (try? await store.releaseIdempotencyKey(clientID: clientID, key: key)) != nil { return }
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    /// The stored response of the key's first request, waiting while that request runs; nil when the first request
    /// failed and freed the key meanwhile (the caller takes it over).
    private func replay(_ first: IdempotencyRecord, hash: String) async throws -> APIReply? {
        guard Identifiers.constantTimeEquals(first.requestHash, hash) else {
            throw APIError(.unprocessableContent, "idempotency_key_reused",
                           "This Idempotency-Key was used with a different request.", field: "Idempotency-Key")
        }
        let started = ContinuousClock.now
        let deadline = started + waitLimit
        var record = first
        var poll = Duration.milliseconds(10)
        while true {
            if let status = record.statusCode, let body = record.responseBody {
                var headers = HTTPFields()
                headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
                headers[.contentType] = "application/json; charset=utf-8"
                return APIReply(status: .init(code: status), headers: headers, body: body)
            }
            // The first request committed its boleto but has not answered within `resourceWait` (it died, or its
            // answer was lost with the database): the boleto, as it is now, is the answer. Waiting the full
            // `waitLimit` here would outlast a client's own timeout, and its retry would wait again, without end.
            let now = ContinuousClock.now
            if now >= deadline || (record.resourceID != nil && now - started >= resourceWait) {
                if let id = record.resourceID, var reply = try await render(id) {
                    reply.headers[HTTPField.Name("Idempotent-Replayed")!] = "true"
                    return reply
                }
                throw APIError.conflict("A request with this Idempotency-Key is still in progress; retry later.",
                                        field: "Idempotency-Key")
            }
            try await Task.sleep(for: poll)
            poll = min(poll * 2, .milliseconds(250))
            guard let next = try await store.idempotencyRecord(clientID: first.clientID, key: first.key) else { return nil }
            record = next
        }
    }
}
