import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// A mistake in an adapter's configuration, found when the adapter is built (a URL that is not HTTPS, a
/// certificate file that cannot be read). It never carries a key, a password or a certificate's contents.
public struct ProviderConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// What is wrong and which setting to fix.
    public var description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}

/// Where and how an adapter reaches its bank.
///
/// TLS is always on and always verified: the URL must be `https`, and the bank's certificate must chain to the
/// system's trust store or to one of `additionalTrustRoots` (PEM), which is how a deployment trusts a private
/// CA and how tests trust their fake bank. There is no setting that turns verification off.
public struct BankEndpoint: Sendable, Hashable {
    /// The bank's URL.
    public var url: URL
    /// How long one call may take, from connecting to the last byte of the answer.
    public var timeout: Duration
    /// How long connecting (TCP and TLS) may take.
    public var connectTimeout: Duration
    /// Extra trust anchors, PEM.
    public var additionalTrustRoots: [String]

    /// An endpoint; throws when `url` is not an absolute `https` URL.
    public init(url: String, timeout: Duration = .seconds(20), connectTimeout: Duration = .seconds(5),
                additionalTrustRoots: [String] = []) throws(ProviderConfigurationError) {
        guard let parsed = URL(string: url), parsed.scheme?.lowercased() == "https", let host = parsed.host, !host.isEmpty else {
            throw ProviderConfigurationError("The bank URL must be an absolute https URL; TLS cannot be turned off.")
        }
        guard timeout > .zero, connectTimeout > .zero else {
            throw ProviderConfigurationError("The bank timeouts must be positive.")
        }
        self.url = parsed
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.additionalTrustRoots = additionalTrustRoots
    }
}

/// What a bank call came to: an answer with any HTTP status, or no answer.
enum BankReply: Sendable {
    /// The bank answered.
    case answered(status: Int, body: [UInt8])
    /// The call got no complete answer: it may or may not have reached the bank.
    case noAnswer(reason: String)
    /// The bank's certificate did not verify: nothing was sent.
    case untrusted(reason: String)
}

/// One adapter's HTTP client: TLS verified against the endpoint's trust roots, no redirects, bounded answers.
/// Call ``shutdown()`` before dropping it.
public final class BankConnection: Sendable {
    let endpoint: BankEndpoint
    private let client: HTTPClient
    /// The largest answer read; banks answer a few kilobytes.
    static let maximumAnswer = 1 << 20

    /// A connection to `endpoint`; throws when a trust root is not a PEM certificate. With `clientIdentity`, the
    /// connection presents that certificate (and its chain) to banks that ask for one: mutual TLS.
    public init(endpoint: BankEndpoint, clientIdentity: SigningIdentity? = nil) throws(ProviderConfigurationError) {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let clientIdentity {
            let (chain, key) = try clientIdentity.tlsCredentials()
            tls.certificateChain = chain.map { .certificate($0) }
            tls.privateKey = .privateKey(key)
        }
        tls.certificateVerification = .fullVerification
        tls.minimumTLSVersion = .tlsv12
        if !endpoint.additionalTrustRoots.isEmpty {
            var certificates: [NIOSSLCertificate] = []
            for pem in endpoint.additionalTrustRoots {
                guard let parsed = try? NIOSSLCertificate.fromPEMBytes(Array(pem.utf8)), !parsed.isEmpty else {
                    throw ProviderConfigurationError("An additional trust root is not a PEM certificate.")
                }
                certificates += parsed
            }
            tls.additionalTrustRoots = [.certificates(certificates)]
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .nanoseconds(Int64(endpoint.connectTimeout.nanoseconds)))
        // A call waiting for a pooled connection is bounded by the connect timeout: room for a burst of registrations
        // (the service's synchronous attempts and its worker) keeps them from queueing past it.
        configuration.connectionPool.concurrentHTTP1ConnectionsPerHostSoftLimit = 64
        self.endpoint = endpoint
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Closes the connection pool.
    public func shutdown() async throws { try await client.shutdown() }

    /// POSTs `body` to the endpoint's URL with `headers`. Never throws: a failure is ``BankReply/noAnswer(reason:)``
    /// or ``BankReply/untrusted(reason:)``, with a reason that names the failure and never the payload.
    func post(_ body: [UInt8], headers: [(String, String)]) async -> BankReply {
        await send(.POST, url: endpoint.url, headers: headers, body: body)
    }

    /// Sends `method` to `url` (any `https` URL: a REST bank's token host and API host share one connection's TLS
    /// settings) with `headers` and `body`. Never throws, as ``post(_:headers:)``.
    func send(_ method: HTTPMethod, url: URL, headers: [(String, String)], body: [UInt8]?) async -> BankReply {
        guard url.scheme?.lowercased() == "https" else { return .untrusted(reason: "Bank calls are made over https only.") }
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        do {
            let response = try await client.execute(request, timeout: .nanoseconds(Int64(endpoint.timeout.nanoseconds)))
            let answer = try await response.body.collect(upTo: Self.maximumAnswer)
            return .answered(status: Int(response.status.code), body: Array(answer.readableBytesView))
        } catch let error as NIOSSLError {
            return .untrusted(reason: "TLS with the bank failed (\(Self.name(of: error))).")
        } catch let error as BoringSSLError {
            return .untrusted(reason: "TLS with the bank failed (\(Self.name(of: error))).")
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout {
            return .noAnswer(reason: "The bank did not answer within \(endpoint.timeout).")
        } catch let error as HTTPClientError where error == .connectTimeout {
            return .noAnswer(reason: "Connecting to the bank took longer than \(endpoint.connectTimeout).")
        } catch is NIOTooManyBytesError {
            return .noAnswer(reason: "The bank's answer was longer than \(Self.maximumAnswer) bytes.")
        } catch {
            return .noAnswer(reason: "The bank could not be reached (\(Self.name(of: error))).")
        }
    }

    /// The error's type and case, without any text it may carry from the peer.
    static func name(of error: any Error) -> String {
        let text = String(describing: error)
        return String(text.prefix { $0 != "(" && $0 != ":" }.prefix(80))
    }
}

extension Duration {
    var nanoseconds: Int64 {
        let (seconds, attoseconds) = components
        return seconds * 1_000_000_000 + attoseconds / 1_000_000_000
    }
}
