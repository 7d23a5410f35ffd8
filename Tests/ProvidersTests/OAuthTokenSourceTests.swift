import FakeBanks
import Foundation
import NIOHTTP1
@testable import Providers
import Synchronization
import Testing

/// OAuth 2.0 client-credentials tokens against the strict fake token endpoint over loopback HTTPS: one request per
/// token lifetime however many callers, refresh before expiry, one retry after a 401, errors mapped, and no secret in
/// any description or reason.
@Suite("OAuth token source", .serialized)
struct OAuthTokenSourceTests {
    static let pki: TestPKI = try! TestPKI()
    static let secret = "s3cr3t-Valor-que-nunca-aparece"

    /// A clock that tests move by hand.
    final class ManualClock: Sendable {
        private let offset = Mutex<Duration>(.zero)
        private let start = ContinuousClock.now
        var now: @Sendable () -> ContinuousClock.Instant { { [self] in start + offset.withLock { $0 } } }
        func advance(_ duration: Duration) { offset.withLock { $0 += duration } }
    }

    /// A fake token endpoint (and a `/resource` that wants its bearer tokens) on loopback, a connection trusting it
    /// and a token source; all stopped afterwards.
    static func withTokens<T>(authentication: FakeOAuth.Authentication = .basic, mutualTLS: Bool = false,
                              clientIdentity: TestPKI.Identity? = nil, trusted: Bool = true, secret: String = secret,
                              scope: String? = "cobrancas.boletos-info cobrancas.boletos-requisicao",
                              margin: Duration = .seconds(60), clock: ManualClock = ManualClock(),
                              _ body: (FakeOAuth, OAuthTokenSource, FakeBankServer) async throws -> T) async throws -> T {
        let fake = FakeOAuth(authentication: authentication, clientID: "app-123", clientSecret: Self.secret,
                             scopes: ["cobrancas.boletos-info", "cobrancas.boletos-requisicao"], lifetime: 600)
        let server = try await FakeBankServer(identity: pki.server, clientAuthorities: mutualTLS ? [pki.authority] : nil) { request in
            if request.path.hasPrefix("/oauth/token") { return await fake.token(request) }
            let ok = await fake.accepts(authorization: request.header("authorization"))
            return FakeResponse(status: ok ? 200 : 401, contentType: "application/json", text: ok ? #"{"ok":true}"# : #"{"error":"invalid_token"}"#)
        }
        let endpoint = try BankEndpoint(url: server.url("/"), timeout: .seconds(5), connectTimeout: .seconds(5),
                                        additionalTrustRoots: trusted ? [pki.authority.certificatePEM] : [])
        let identity = try clientIdentity.map { try SigningIdentity(certificatePEM: $0.certificatePEM, keyPEM: $0.keyPEM) }
        let connection = try BankConnection(endpoint: endpoint, clientIdentity: identity)
        let credentials = try OAuthClientCredentials(tokenURL: server.url("/oauth/token"), clientID: "app-123", clientSecret: secret,
                                                     scope: scope, authentication: authentication == .basic ? .basic : .form,
                                                     refreshMargin: margin)
        let tokens = OAuthTokenSource(credentials: credentials, connection: connection, now: clock.now)
        do {
            let result = try await body(fake, tokens, server)
            try await connection.shutdown()
            try await server.stop()
            return result
        } catch {
            try? await connection.shutdown()
            try? await server.stop()
            throw error
        }
    }

    static func value(_ outcome: TokenOutcome) -> AccessToken? {
        if case .token(let token) = outcome { return token }
        return nil
    }

    @Test("100 concurrent callers get one token from one request; it is kept until the margin before expiry")
    func singleFlightAndCaching() async throws {
        let clock = ManualClock()
        try await Self.withTokens(clock: clock) { fake, tokens, _ in
            await fake.setDelay(.milliseconds(300))
            let outcomes = await withTaskGroup(of: TokenOutcome.self) { group in
                for _ in 0..<100 { group.addTask { await tokens.token() } }
                var all: [TokenOutcome] = []
                for await outcome in group { all.append(outcome) }
                return all
            }
            #expect(await fake.tokenRequests == 1)
            #expect(await tokens.requestsSent == 1)
            let values = Set(outcomes.compactMap { Self.value($0)?.value })
            #expect(values.count == 1 && outcomes.count == 100)
            #expect(values.first == (await fake.issued.first))

            // expires_in 600, margin 60: kept at 539 s, replaced at 541 s.
            clock.advance(.seconds(539))
            #expect(Self.value(await tokens.token())?.value == values.first)
            #expect(await fake.tokenRequests == 1)
            clock.advance(.seconds(2))
            let renewed = Self.value(await tokens.token())
            #expect(await fake.tokenRequests == 2)
            #expect(renewed != nil && renewed?.value != values.first)
        }
    }

    @Test("a 401 from the bank drops the token and the call is sent once more with a new one; a second 401 is the answer")
    func retryAfter401() async throws {
        try await Self.withTokens { fake, tokens, server in
            let resource = try #require(URL(string: server.url("/resource")))
            guard case .answered(200, _) = await tokens.send(.GET, url: resource, headers: [], body: nil) else {
                Issue.record("the first call was not answered 200")
                return
            }
            #expect(await fake.tokenRequests == 1)
            await fake.revokeAll()                      // the bank expires the token early
            guard case .answered(200, _) = await tokens.send(.GET, url: resource, headers: [], body: nil) else {
                Issue.record("the call after the revocation was not retried with a new token")
                return
            }
            #expect(await fake.tokenRequests == 2)

            // A bank that refuses every token: one retry with a new token, then its 401 is the answer.
            await fake.setRefusingTokens(true)
            guard case .answered(401, _) = await tokens.send(.GET, url: resource, headers: [], body: nil) else {
                Issue.record("a persistent 401 was not returned")
                return
            }
            #expect(await fake.tokenRequests == 3)
        }
    }

    @Test("a wrong secret is misconfigured, naming the OAuth error and never the secret; 503 and 429 are transient")
    func errors() async throws {
        try await Self.withTokens(secret: "wrong-\(Self.secret)") { fake, tokens, _ in
            let outcome = await tokens.token()
            guard case .misconfigured(let reason) = outcome else {
                Issue.record("expected misconfigured, got \(outcome)")
                return
            }
            #expect(reason.contains("invalid_client") && reason.contains("401"))
            #expect(!reason.contains(Self.secret) && !reason.contains("authentication failed"))
            #expect(await fake.tokenRequests == 1)
        }
        try await Self.withTokens { fake, tokens, _ in
            await fake.script([FakeResponse(status: 503, contentType: "text/html", text: "<h1>down</h1>"),
                               FakeResponse(status: 429, contentType: "application/json", text: "{}"),
                               FakeResponse(status: 200, contentType: "application/json", text: #"{"token_type":"Bearer"}"#)])
            for _ in 0..<3 {
                guard case .transient = await tokens.token() else {
                    Issue.record("a 503, a 429 or a 200 without a token was not transient")
                    return
                }
            }
            // Failures are not kept: the next call asks again and gets a token.
            #expect(Self.value(await tokens.token()) != nil)
            #expect(await fake.tokenRequests == 4)
        }
        try await Self.withTokens(scope: "cobrancas.boletos-info pagamentos") { _, tokens, _ in
            guard case .misconfigured(let reason) = await tokens.token() else {
                Issue.record("an ungranted scope was not misconfigured")
                return
            }
            #expect(reason.contains("invalid_scope"))
        }
        try await Self.withTokens(trusted: false) { fake, tokens, _ in
            guard case .misconfigured(let reason) = await tokens.token() else {
                Issue.record("an untrusted token endpoint was not misconfigured")
                return
            }
            #expect(reason.contains("TLS"))
            #expect(await fake.tokenRequests == 0)
        }
    }

    @Test("form authentication over mutual TLS: no client certificate or an untrusted one never reaches the endpoint")
    func mutualTLS() async throws {
        let trusted = try Self.pki.company(named: "Beneficiária Ltda")
        try await Self.withTokens(authentication: .form, mutualTLS: true, clientIdentity: trusted) { fake, tokens, _ in
            #expect(Self.value(await tokens.token()) != nil)
            #expect(await fake.tokenRequests == 1)
        }
        for identity in [nil, try TestPKI.selfSigned(named: "Intrusa")] {
            try await Self.withTokens(authentication: .form, mutualTLS: true, clientIdentity: identity) { fake, tokens, _ in
                guard case .misconfigured(let reason) = await tokens.token() else {
                    Issue.record("a connection without a trusted client certificate got a token")
                    return
                }
                #expect(reason.contains("TLS"))
                #expect(await fake.tokenRequests == 0)
            }
        }
        // The fake is strict about the authentication style: Basic where it wants the form is refused.
        try await Self.withTokens(authentication: .form) { fake, _, server in
            let credentials = try OAuthClientCredentials(tokenURL: server.url("/oauth/token"), clientID: "app-123",
                                                         clientSecret: Self.secret, authentication: .basic)
            let endpoint = try BankEndpoint(url: server.url("/"), additionalTrustRoots: [Self.pki.authority.certificatePEM])
            let connection = try BankConnection(endpoint: endpoint)
            let outcome = await OAuthTokenSource(credentials: credentials, connection: connection).token()
            try await connection.shutdown()
            guard case .misconfigured(let reason) = outcome else {
                Issue.record("Basic authentication was accepted by a form-authentication endpoint")
                return
            }
            #expect(reason.contains("invalid_client"))
            #expect(await fake.tokenRequests == 1)
        }
    }

    @Test("the secret and the token are in no description, debug description or dump")
    func noSecrets() throws {
        let credentials = try OAuthClientCredentials(tokenURL: "https://oauth.example/token", clientID: "app-123",
                                                     clientSecret: Self.secret, scope: "a b", authentication: .basic)
        var dumped = ""
        dump(credentials, to: &dumped)
        for text in [credentials.description, credentials.debugDescription, String(describing: credentials),
                     String(reflecting: credentials), dumped, "\(credentials)"] {
            #expect(!text.contains(Self.secret), "\(text)")
            #expect(text.contains("app-123"))
        }
        let token = AccessToken(value: "eyJ-secret-token", expiresAt: .now)
        #expect(!String(describing: token).contains("eyJ"))
        // The wire form: Basic base64(id:secret), the grant and the scope form-encoded.
        let (headers, body) = credentials.tokenRequest()
        let basic = "Basic " + Data("app-123:\(Self.secret)".utf8).base64EncodedString()
        #expect(headers.contains { $0 == ("Authorization", basic) })
        #expect(String(decoding: body, as: UTF8.self) == "grant_type=client_credentials&scope=a+b")
        #expect(throws: ProviderConfigurationError.self) {
            try OAuthClientCredentials(tokenURL: "http://oauth.example/token", clientID: "a", clientSecret: "b", authentication: .form)
        }
        #expect(throws: ProviderConfigurationError.self) {
            try OAuthClientCredentials(tokenURL: "https://oauth.example/token", clientID: "a", clientSecret: "", authentication: .form)
        }
    }

    @Test("token answers: expires_in as a number or a string, a missing one as 300 s, a token of another type refused")
    func answers() {
        let start = ContinuousClock.now
        func outcome(_ json: String, status: Int = 200) -> TokenOutcome {
            OAuthTokenSource.outcome(of: .answered(status: status, body: Array(json.utf8)), askedAt: start)
        }
        #expect(outcome(#"{"access_token":"t","token_type":"bearer","expires_in":3600}"#)
                == .token(AccessToken(value: "t", expiresAt: start + .seconds(3600))))
        #expect(outcome(#"{"access_token":"t","expires_in":"120"}"#) == .token(AccessToken(value: "t", expiresAt: start + .seconds(120))))
        #expect(outcome(#"{"access_token":"t"}"#) == .token(AccessToken(value: "t", expiresAt: start + OAuthTokenSource.defaultLifetime)))
        guard case .misconfigured(let reason) = outcome(#"{"access_token":"t","token_type":"mac"}"#) else {
            Issue.record("a MAC token was accepted")
            return
        }
        #expect(reason.contains("mac"))
        guard case .misconfigured(let refused) = outcome(#"{"error":"free text, with spaces","statusCode":400}"#, status: 400) else {
            Issue.record("a 400 was not misconfigured")
            return
        }
        #expect(!refused.contains("free text"))
        guard case .transient = outcome(#"{"access_token":"t","expires_in":0}"#) else {
            Issue.record("a token that expired on arrival was kept")
            return
        }
    }
}
