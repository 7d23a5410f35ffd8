import Foundation
import NIOHTTP1

/// An access token as a bank issued it. Its value is never part of a description.
public struct AccessToken: Sendable, Hashable, CustomStringConvertible {
    /// The bearer token.
    public let value: String
    /// When it stops being used (the bank's `expires_in`, counted from when it was asked for).
    public let expiresAt: ContinuousClock.Instant

    public var description: String { "AccessToken(\(value.utf8.count) bytes)" }
}

/// What asking a bank for a token came to.
public enum TokenOutcome: Sendable, Hashable {
    /// A token to use.
    case token(AccessToken)
    /// The bank refused the request (bad credentials, scope or grant), or its certificate did not verify: a setting
    /// to fix. The reason names the OAuth error code and HTTP status, never the secret or the bank's free text.
    case misconfigured(reason: String)
    /// No token this time (timeout, 5xx, 429): try again later.
    case transient(reason: String)
}

/// OAuth 2.0 client-credentials tokens for one bank configuration, shared by every call that configuration makes.
///
/// - A token is fetched on first use and kept until ``OAuthClientCredentials/refreshMargin`` before its
///   `expires_in` runs out (300 s when the bank gives none).
/// - Single flight: however many calls need a token at once, one request is sent, and every caller gets its answer.
/// - A call the bank answers with 401 drops its token (``invalidate(_:)``) and is retried once with a new one
///   (``send(_:url:headers:body:)``): a token revoked or expired early at the bank costs one retry, not a failure.
/// - Nothing about the secret or the token reaches a description, an outcome or a reason.
public actor OAuthTokenSource {
    /// The lifetime assumed when a token answer has no `expires_in`.
    public static let defaultLifetime: Duration = .seconds(300)

    private let credentials: OAuthClientCredentials
    private let connection: BankConnection
    private let now: @Sendable () -> ContinuousClock.Instant
    private var current: AccessToken?
    private var inFlight: Task<TokenOutcome, Never>?
    /// How many token requests were sent.
    public private(set) var requestsSent = 0

    /// Tokens from `credentials.tokenURL`, asked for over `connection` (whose TLS settings, client certificate
    /// included, apply). `now` is the clock expiry is measured on (tests move it).
    public init(credentials: OAuthClientCredentials, connection: BankConnection,
                now: @escaping @Sendable () -> ContinuousClock.Instant = { ContinuousClock.now }) {
        self.credentials = credentials
        self.connection = connection
        self.now = now
    }

    /// A valid token: the one kept, or a new one (one request however many callers are waiting).
    public func token() async -> TokenOutcome {
        if let current, now() < current.expiresAt - credentials.refreshMargin { return .token(current) }
        if let inFlight { return await inFlight.value }
        let task = Task { await self.fetch() }
        inFlight = task
        return await task.value
    }

    /// Drops `token` if it is still the one kept: the bank refused it (401), so the next call asks for a new one.
    public func invalidate(_ token: AccessToken) {
        if current == token { current = nil }
    }

    private func fetch() async -> TokenOutcome {
        requestsSent += 1
        let asked = now()
        let (headers, body) = credentials.tokenRequest()
        let reply = await connection.send(.POST, url: credentials.tokenURL, headers: headers, body: body)
        let outcome = Self.outcome(of: reply, askedAt: asked)
        if case .token(let token) = outcome { current = token }
        inFlight = nil
        return outcome
    }

    /// The outcome of a token endpoint's reply (RFC 6749 §5.1 and §5.2).
    static func outcome(of reply: BankReply, askedAt asked: ContinuousClock.Instant) -> TokenOutcome {
        switch reply {
        case .untrusted(let reason):
            return .misconfigured(reason: "OAuth token endpoint: \(reason)")
        case .noAnswer(let reason):
            return .transient(reason: "OAuth token endpoint: \(reason)")
        case .answered(let status, let body):
            let answer = try? JSONDecoder().decode(TokenAnswer.self, from: Data(body))
            switch status {
            case 200...299:
                guard let answer, let value = answer.accessToken, !value.isEmpty else {
                    return .transient(reason: "The OAuth token endpoint answered HTTP \(status) without an access token.")
                }
                if let type = answer.tokenType, type.lowercased() != "bearer" {
                    return .misconfigured(reason: "The OAuth token endpoint issued a token of type \(code(type) ?? "unknown"), not Bearer.")
                }
                let lifetime = answer.expiresIn.map { Duration.seconds($0) } ?? defaultLifetime
                guard lifetime > .zero else {
                    return .transient(reason: "The OAuth token endpoint issued a token that has already expired.")
                }
                return .token(AccessToken(value: value, expiresAt: asked + lifetime))
            case 408, 425, 429, 500...599:
                return .transient(reason: "The OAuth token endpoint answered HTTP \(status).")
            default:
                // RFC 6749's `error`; Banco do Brasil's token errors carry it too, next to `statusCode` and `message`.
                let error = (answer?.error).flatMap(code).map { " (\($0))" } ?? ""
                return .misconfigured(reason: "The OAuth token endpoint refused the client credentials: HTTP \(status)\(error).")
            }
        }
    }

    /// The fields of a token answer or error this source reads; anything else in it is ignored.
    struct TokenAnswer: Decodable {
        var accessToken: String?
        var tokenType: String?
        /// Whole seconds: a JSON number, or digits in a string as some banks send it.
        var expiresIn: Int64?
        var error: String?

        enum CodingKeys: String, CodingKey {
            case accessToken = "access_token", tokenType = "token_type", expiresIn = "expires_in", error
        }

        init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            accessToken = try? container.decode(String.self, forKey: .accessToken)
            tokenType = try? container.decode(String.self, forKey: .tokenType)
            expiresIn = (try? container.decode(Int64.self, forKey: .expiresIn))
                ?? (try? container.decode(String.self, forKey: .expiresIn)).flatMap { Int64($0) }
            error = try? container.decode(String.self, forKey: .error)
        }
    }

    /// A bank-sent identifier, kept only when it looks like one (`invalid_client`): never free text.
    static func code(_ text: String) -> String? {
        let allowed = text.utf8.allSatisfy { byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
                || byte == UInt8(ascii: ".")
        }
        return allowed && (1...64).contains(text.utf8.count) ? text : nil
    }
}

/// What a call with a bearer token came to.
enum AuthorizedReply: Sendable {
    /// The bank answered (a 401 only if it refused a freshly issued token too).
    case answered(status: Int, body: [UInt8])
    /// No complete answer: the call may or may not have reached the bank.
    case noAnswer(reason: String)
    /// The bank's certificate did not verify: nothing was sent.
    case untrusted(reason: String)
    /// No token, so nothing was sent.
    case noToken(TokenOutcome)
}

extension OAuthTokenSource {
    /// Sends a request with `Authorization: Bearer` over the token source's connection. A 401 drops the token and
    /// the request is sent once more with a new one.
    nonisolated func send(_ method: HTTPMethod, url: URL, headers: [(String, String)], body: [UInt8]?) async -> AuthorizedReply {
        var attempt = 0
        while true {
            let outcome = await token()
            guard case .token(let token) = outcome else { return .noToken(outcome) }
            let reply = await connection.send(method, url: url, headers: headers + [("Authorization", "Bearer \(token.value)")], body: body)
            switch reply {
            case .answered(401, _) where attempt == 0:
                await invalidate(token)
                attempt += 1
            case .answered(let status, let body):
                return .answered(status: status, body: body)
            case .noAnswer(let reason):
                return .noAnswer(reason: reason)
            case .untrusted(let reason):
                return .untrusted(reason: reason)
            }
        }
    }
}
