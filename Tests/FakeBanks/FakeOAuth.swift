import Foundation

/// A strict OAuth 2.0 token endpoint (RFC 6749 §4.4, client credentials), as the REST banks run one: Banco do Brasil
/// with HTTP Basic client authentication, Itaú with the credentials in the form body (and mutual TLS, which the
/// server it runs on enforces). It issues opaque tokens that expire, counts the requests, and checks bearer tokens
/// for the fake banks' API endpoints.
///
/// What it checks, each refused as RFC 6749 §5.2 says: the method is POST and the body is a form
/// (`invalid_request`, 400); `grant_type` is `client_credentials` (`unsupported_grant_type`, 400); the client is
/// authenticated the configured way with the right id and secret, and not both ways at once (`invalid_client`,
/// 401); every requested scope is one the client has (`invalid_scope`, 400). Banco do Brasil's token errors also
/// carry `statusCode` and `message`; this fake sends those too.
public actor FakeOAuth {
    /// How the client authenticates.
    public enum Authentication: Sendable { case basic, form }

    public let authentication: Authentication
    public let clientID: String
    private let clientSecret: String
    private let scopes: Set<String>
    /// The `expires_in` given with each token, in seconds.
    public var lifetime: Int
    /// How long a token answer is held back (to make concurrent callers overlap).
    public var delay: Duration = .zero
    /// Token requests received, valid or not.
    public private(set) var tokenRequests = 0
    /// Tokens issued, in order.
    public private(set) var issued: [String] = []
    private var expiries: [String: ContinuousClock.Instant] = [:]
    private var scripted: [FakeResponse] = []

    public init(authentication: Authentication, clientID: String, clientSecret: String, scopes: Set<String> = [], lifetime: Int = 3600) {
        self.authentication = authentication
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scopes = scopes
        self.lifetime = lifetime
    }

    /// The next token requests get these answers instead of tokens (a 503, say), in order.
    public func script(_ responses: [FakeResponse]) { scripted += responses }

    public func setDelay(_ delay: Duration) { self.delay = delay }
    public func setLifetime(_ seconds: Int) { lifetime = seconds }

    /// Makes every token issued so far invalid, as if it had expired at the bank.
    public func revokeAll() { expiries.removeAll() }

    /// While on, no bearer token is accepted, even a new one (a bank whose authorization service is broken).
    public func setRefusingTokens(_ on: Bool) { refusingTokens = on }
    private var refusingTokens = false

    /// Whether `authorization` is `Bearer <a token this fake issued that has not expired>`.
    public func accepts(authorization: String?) -> Bool {
        guard !refusingTokens, let authorization, authorization.hasPrefix("Bearer "), let expiry = expiries[String(authorization.dropFirst(7))] else {
            return false
        }
        return ContinuousClock.now < expiry
    }

    /// Answers one request to the token endpoint.
    public func token(_ request: FakeRequest) async -> FakeResponse {
        tokenRequests += 1
        if !scripted.isEmpty { return scripted.removeFirst() }
        guard request.method == "POST",
              request.header("content-type")?.lowercased().hasPrefix("application/x-www-form-urlencoded") == true,
              let form = Self.form(request.body) else {
            return Self.error(400, "invalid_request", "The token request must be a POSTed form.")
        }
        guard form["grant_type"] == "client_credentials" else {
            return Self.error(400, "unsupported_grant_type", "Only client_credentials is supported.")
        }
        let basic = request.header("authorization").flatMap(Self.basicCredentials)
        let inForm = form["client_id"].map { ($0, form["client_secret"] ?? "") }
        let presented: (String, String)?
        switch authentication {
        case .basic: presented = inForm == nil ? basic : nil
        case .form: presented = basic == nil ? inForm : nil
        }
        guard let (id, secret) = presented, id == clientID, secret == clientSecret else {
            return Self.error(401, "invalid_client", "Client authentication failed.")
        }
        let requested = Set((form["scope"] ?? "").split(separator: " ").map(String.init))
        guard requested.isSubset(of: scopes) else { return Self.error(400, "invalid_scope", "A requested scope is not granted.") }
        let token = "tok-\(issued.count + 1)-" + UUID().uuidString
        issued.append(token)
        expiries[token] = ContinuousClock.now + .seconds(lifetime)
        let body = #"{"access_token":"\#(token)","token_type":"Bearer","expires_in":\#(lifetime)}"#
        return FakeResponse(status: 200, contentType: "application/json", text: body, delay: delay)
    }

    /// A form body's fields; nil when it is not `name=value&…` with valid percent-encoding.
    static func form(_ body: [UInt8]) -> [String: String]? {
        guard let text = String(validating: body, as: UTF8.self) else { return nil }
        var fields: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard parts.count == 2,
                  let name = String(parts[0]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                  let value = String(parts[1]).replacingOccurrences(of: "+", with: " ").removingPercentEncoding,
                  fields[name] == nil else { return nil }
            fields[name] = value
        }
        return fields
    }

    /// The id and secret of `Basic base64(id:secret)`.
    static func basicCredentials(_ header: String) -> (String, String)? {
        guard header.hasPrefix("Basic "), let data = Data(base64Encoded: String(header.dropFirst(6))),
              let text = String(data: data, encoding: .utf8), let colon = text.firstIndex(of: ":") else { return nil }
        return (String(text[..<colon]), String(text[text.index(after: colon)...]))
    }

    static func error(_ status: Int, _ code: String, _ message: String) -> FakeResponse {
        FakeResponse(status: status, contentType: "application/json",
                     text: #"{"error":"\#(code)","error_description":"\#(message)","statusCode":\#(status),"message":"\#(message)"}"#)
    }
}
