import AsyncHTTPClient
import NIOCore

/// Sends a request to a checked ``OutboundPolicy/Target``: the connection goes to the address that was checked,
/// while the request (its `Host` header, TLS server name and certificate check) still names the host. So a name
/// that resolves to a public address when checked cannot resolve to a private one when connected (DNS rebinding).
/// Redirects are never followed.
enum PinnedDelivery {
    /// Sends `request` to `target` within `timeout`; answers the response status. Reads at most 64 KiB of the body.
    static func send(_ request: HTTPClientRequest, to target: OutboundPolicy.Target, shared: HTTPClient,
                     timeout: Duration) async throws -> Int {
        let limit = TimeAmount.milliseconds(timeout.milliseconds)
        if NetworkAddress(literal: target.host) != nil {
            // An IP literal: the address is the host, nothing to resolve.
            let response = try await shared.execute(request, timeout: limit)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            return Int(response.status.code)
        }
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(30))
        configuration.dnsOverride = [target.host: target.address.description]
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let response = try await client.execute(request, timeout: limit)
            _ = try? await response.body.collect(upTo: 64 * 1024)
            try? await client.shutdown()
            return Int(response.status.code)
        } catch {
            try? await client.shutdown()
            throw error
        }
    }
}
