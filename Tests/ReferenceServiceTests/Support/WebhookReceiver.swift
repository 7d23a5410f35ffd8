import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import ReferenceService
import ServiceLifecycle

/// A real HTTP server on loopback that records the webhooks it receives. It answers 500 to the first
/// `failures` deliveries, then 200.
final class WebhookReceiver: @unchecked Sendable {
    struct Delivery: Sendable {
        let body: String
        let signature: String?
        let eventID: String?
        /// The request's authority (the `Host` header): the host the sender named, whatever address it connected to.
        let host: String?
    }

    private let lock = NSLock()
    private var received: [Delivery] = []
    private var failuresLeft: Int
    private var task: Task<Void, any Error>?
    private(set) var port = 0

    init(failures: Int = 0) { failuresLeft = failures }

    var deliveries: [Delivery] { lock.withLock { received } }
    var url: String { "http://127.0.0.1:\(port)/hooks/boletos" }

    func start() async throws -> WebhookReceiver {
        let router = Router()
        router.post("/hooks/boletos") { request, _ -> HTTPResponse.Status in
            var request = request
            let body = String(buffer: try await request.collectBody(upTo: 1 << 20))
            let delivery = Delivery(body: body, signature: request.headers[HTTPField.Name("X-Boleto-Signature")!],
                                    eventID: request.headers[HTTPField.Name("X-Boleto-Event-Id")!], host: request.head.authority)
            return self.lock.withLock {
                self.received.append(delivery)
                if self.failuresLeft > 0 {
                    self.failuresLeft -= 1
                    return .internalServerError
                }
                return .ok
            }
        }
        (task, port) = await startOnLoopback(router)
        return self
    }

    /// Waits until `count` deliveries arrived (at most `seconds`).
    func waitFor(_ count: Int, seconds: Double = 15) async throws -> [Delivery] {
        let deadline = Date().addingTimeInterval(seconds)
        while deliveries.count < count && Date() < deadline { try await Task.sleep(for: .milliseconds(25)) }
        return deliveries
    }

    func stop() async {
        task?.cancel()
        _ = try? await task?.value
    }
}

/// Runs `router` on a free loopback port; answers the running task and the port.
func startOnLoopback(_ router: Router<BasicRequestContext>) async -> (Task<Void, any Error>, Int) {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    let app = Application(router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
                          onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) })
    // Stopped by cancelling the task, which shuts the server down gracefully (see runUntilCancelledGracefully).
    let group = ServiceGroup(configuration: .init(services: [app], logger: app.logger))
    let task = Task { try await group.runUntilCancelledGracefully() }
    for await port in ports { return (task, port) }
    return (task, 0)
}
