import BoletoJSON
import Foundation
import NIOHTTP1

/// What a JSON call to a REST bank came to, as the REST adapters read it.
enum RESTReply: Sendable {
    /// The bank answered: the status, and the body when it is JSON.
    case answered(status: Int, json: JSON?)
    /// Nothing was sent, or a certificate did not verify: a setting to fix (no token, TLS).
    case configuration(String)
    /// No answer (timeout, connection), or no token for now.
    case transient(String)
}

extension OAuthTokenSource {
    /// Sends a JSON call with the bearer token (a 401 retried once with a new one) and reads the answer as JSON.
    nonisolated func sendJSON(_ method: HTTPMethod, url: URL, headers: [(String, String)], body: JSON?) async -> RESTReply {
        switch await send(method, url: url, headers: headers, body: body?.bytes) {
        case .noToken(.misconfigured(let reason)), .untrusted(let reason): .configuration(reason)
        case .noToken(.transient(let reason)), .noAnswer(let reason): .transient(reason)
        case .noToken(.token): .transient("No token.")
        case .answered(let status, let bytes): .answered(status: status, json: try? JSON.parse(utf8: bytes))
        }
    }
}

extension URL {
    /// This base URL with `path` appended to its path and `query` as its query (percent-encoded).
    func appending(apiPath path: String, query: [(String, String)] = []) -> URL {
        var components = URLComponents(url: self, resolvingAgainstBaseURL: false)!
        components.path = components.path.hasSuffix("/") ? String(components.path.dropLast()) + path : components.path + path
        if !query.isEmpty { components.queryItems = query.map { URLQueryItem(name: $0.0, value: $0.1) } }
        return components.url!
    }
}
