import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// Where the service may send owners' notifications: the rules for `webhook_url` and `queue_url`, applied when a
/// boleto is created (a 400 naming the field) and again when the worker delivers (after DNS resolution, against
/// every address the name resolves to).
///
/// - A webhook is `https` with a public host: not an IP literal, in any notation, of a loopback, private,
///   link-local, unique-local, multicast, unspecified, IPv4-mapped or otherwise special-purpose address
///   (``NetworkAddress/nonPublicReason``), not a name that only exists inside a network (`localhost`, single-label
///   names, `.local`, `.internal`, `.localdomain`, `.home.arpa`), and at delivery resolving only to public addresses.
///   The delivery connects to an address that was checked, so a name cannot resolve differently between the check
///   and the connection, and redirects are not followed.
/// - A queue URL names an SQS queue: AWS's shape (`https://sqs.<region>.amazonaws.com/<account>/<name>`, or the
///   legacy `https://<region>.queue.amazonaws.com/…`), or the configured SQS endpoint's own scheme, host and port.
///   Messages go to the configured endpoint, never to the URL's host.
///
/// `BOLETO_ALLOW_PRIVATE_TARGETS=true` (``allowPrivate``) lifts the webhook's `https` and public-address rules, and
/// the queue URL's host rule (its shape still applies), for development and the test suite. The default is safe.
public struct OutboundPolicy: Sendable {
    /// Whether http webhooks and private, loopback or link-local targets are allowed.
    public var allowPrivate: Bool
    /// The SQS endpoint this service sends to, whose own queue URLs are accepted.
    public var sqsEndpoint: URL?

    public init(allowPrivate: Bool = false, sqsEndpoint: URL? = nil) {
        self.allowPrivate = allowPrivate
        self.sqsEndpoint = sqsEndpoint
    }

    /// Name suffixes that only resolve inside a network.
    static let internalSuffixes = [".localhost", ".local", ".internal", ".localdomain", ".home.arpa", ".lan", ".intranet"]

    /// Why `text` cannot be a webhook URL (one sentence, without the value), or nil when it can.
    public func webhookProblem(_ text: String) -> String? {
        guard text.utf8.count <= 2048, let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
              let rawHost = url.encodedHost, !rawHost.isEmpty, url.user == nil, url.password == nil else {
            return "must be an absolute https URL with a host and no user information."
        }
        switch scheme {
        case "https": break
        case "http" where allowPrivate: break
        case "http": return "must be an https URL (plain http is allowed only in development, with BOLETO_ALLOW_PRIVATE_TARGETS)."
        default: return "must be an absolute https URL."
        }
        return hostProblem(rawHost)
    }

    /// Why `host` (as a URL carries it) is not a public host, or nil.
    func hostProblem(_ rawHost: String) -> String? {
        if let address = NetworkAddress(literal: rawHost) {
            guard let reason = address.nonPublicReason, !allowPrivate else { return nil }
            return "must not point at a \(reason) address."
        }
        var host = rawHost.lowercased()
        if host.hasSuffix(".") { host.removeLast() }
        guard !host.isEmpty, host.utf8.allSatisfy({ $0 < 0x80 }) else {
            return "must have an ASCII host name (internationalised names in their xn-- form)."
        }
        guard host.utf8.allSatisfy({ ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D || $0 == 0x2E }) else {
            return "must have a valid host name."
        }
        if allowPrivate { return nil }
        if host == "localhost" || !host.contains(".") || Self.internalSuffixes.contains(where: { host.hasSuffix($0) }) {
            return "must name a public host, not one inside this network."
        }
        if host == "metadata.google.internal" || host.hasSuffix(".in-addr.arpa") || host.hasSuffix(".ip6.arpa") {
            return "must name a public host, not one inside this network."
        }
        return nil
    }

    /// Why `text` cannot be a `queue_url`, or nil when it can.
    public func queueProblem(_ text: String) -> String? {
        let example = "must be an SQS queue URL such as https://sqs.us-east-1.amazonaws.com/123456789012/boletos"
        guard FieldRules.isQueueURL(text), let url = URLComponents(string: text), let host = url.encodedHost?.lowercased() else {
            return example + "."
        }
        if allowPrivate { return nil }
        if let endpoint = sqsEndpoint.flatMap({ URLComponents(url: $0, resolvingAgainstBaseURL: false) }),
           endpoint.scheme?.lowercased() == url.scheme?.lowercased(), endpoint.encodedHost?.lowercased() == host,
           (endpoint.port ?? Self.defaultPort(endpoint.scheme)) == (url.port ?? Self.defaultPort(url.scheme)) {
            return nil
        }
        guard url.scheme?.lowercased() == "https", url.port == nil || url.port == 443, Self.isAWSQueueHost(host) else {
            return example + ", or a queue of the SQS endpoint this service is configured with."
        }
        return nil
    }

    /// `sqs.<region>.amazonaws.com`, `sqs.<region>.amazonaws.com.cn` or the legacy `<region>.queue.amazonaws.com`.
    static func isAWSQueueHost(_ host: String) -> Bool {
        let labels = host.split(separator: ".", omittingEmptySubsequences: false)
        func isRegion(_ label: Substring) -> Bool {
            !label.isEmpty && label.count <= 32 && label.utf8.allSatisfy { ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D }
        }
        if labels.count == 4, labels[0] == "sqs", isRegion(labels[1]), labels[2] == "amazonaws", labels[3] == "com" { return true }
        if labels.count == 5, labels[0] == "sqs", isRegion(labels[1]), labels[2] == "amazonaws", labels[3] == "com", labels[4] == "cn" { return true }
        if labels.count == 4, isRegion(labels[0]), labels[1] == "queue", labels[2] == "amazonaws", labels[3] == "com" { return true }
        return false
    }

    static func defaultPort(_ scheme: String?) -> Int { scheme?.lowercased() == "https" ? 443 : 80 }

    /// A webhook delivery's checked target: the host the request names, and the address to connect to.
    public struct Target: Sendable, Hashable {
        public var host: String
        public var address: NetworkAddress
    }

    /// Why a delivery is not made.
    public struct Refusal: Error, Sendable, Hashable, CustomStringConvertible {
        public var description: String
    }

    /// Checks a stored webhook URL again and resolves its host with `resolver`; every address must be public
    /// (unless ``allowPrivate``). Answers the first address, which the delivery connects to.
    public func target(forWebhook text: String, resolver: any HostResolver) async throws(Refusal) -> Target {
        if let problem = webhookProblem(text) { throw Refusal(description: "The webhook URL \(problem.dropLast())") }
        // The host as the HTTP client reads it (IDNA-encoded, IPv6 without brackets), so the connection override
        // applies to the very name the request carries.
        guard let host = URL(string: text)?.host, !host.isEmpty else { throw Refusal(description: "The webhook URL has no host.") }
        if let literal = NetworkAddress(literal: host) { return Target(host: host, address: literal) }
        let addresses: [NetworkAddress]
        do {
            addresses = try await resolver.addresses(of: host)
        } catch {
            throw Refusal(description: "The webhook's host did not resolve.")
        }
        guard let first = addresses.first else { throw Refusal(description: "The webhook's host did not resolve.") }
        if !allowPrivate, let reason = addresses.lazy.compactMap(\.nonPublicReason).first {
            throw Refusal(description: "The webhook's host resolves to a \(reason) address; not delivered.")
        }
        return Target(host: host, address: first)
    }
}

/// Resolves host names to addresses (the worker's DNS), replaceable in tests.
public protocol HostResolver: Sendable {
    func addresses(of host: String) async throws -> [NetworkAddress]
}

/// The system resolver (`getaddrinfo`), run off the concurrency pool's threads.
public struct SystemHostResolver: HostResolver {
    public init() {}

    struct Failed: Error {}

    public func addresses(of host: String) async throws -> [NetworkAddress] {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                var hints = addrinfo()
                #if canImport(Glibc)
                hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
                #else
                hints.ai_socktype = SOCK_STREAM
                #endif
                var list: UnsafeMutablePointer<addrinfo>?
                guard getaddrinfo(host, nil, &hints, &list) == 0, let first = list else {
                    continuation.resume(throwing: Failed())
                    return
                }
                defer { freeaddrinfo(first) }
                var found: [NetworkAddress] = []
                var node: UnsafeMutablePointer<addrinfo>? = first
                while let current = node {
                    if let address = current.pointee.ai_addr.flatMap({ NetworkAddress(socketAddress: $0) }), !found.contains(address) {
                        found.append(address)
                    }
                    node = current.pointee.ai_next
                }
                continuation.resume(returning: found)
            }
        }
    }
}
