import Hummingbird
import NIOCore

/// The context of one request: Hummingbird's core storage and the peer's address, which the payer's page
/// rate-limits by (behind a proxy that is the proxy's address; `operations.md`).
struct ServiceRequestContext: RequestContext {
    var coreContext: CoreRequestContextStorage
    /// The peer's IP address, when the connection has one.
    let peer: String?

    init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        peer = source.channel.remoteAddress?.ipAddress
    }
}
