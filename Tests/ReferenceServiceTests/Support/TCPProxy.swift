import Foundation
import NIOCore
import NIOPosix

/// A TCP proxy on loopback in front of a server (moto, in the SQS outage test), that can be cut and restored.
/// Cut, it closes every connection it carries and resets every new one at once, so the server is unreachable as
/// when it is down. It keeps its port meanwhile: a port given up could be taken by another test's connection.
final class TCPProxy: @unchecked Sendable {
    let upstreamHost: String
    let upstreamPort: Int
    private let group = MultiThreadedEventLoopGroup.singleton
    private let lock = NSLock()
    private var listener: Channel?
    private var connections: [ObjectIdentifier: Channel] = [:]
    private var isCut = false
    private(set) var port = 0

    init(upstream url: URL) {
        upstreamHost = url.host ?? "127.0.0.1"
        upstreamPort = url.port ?? 80
    }

    var url: URL { URL(string: "http://127.0.0.1:\(port)")! }

    /// Starts listening on a free port.
    @discardableResult
    func start() async throws -> TCPProxy {
        let bootstrap = ServerBootstrap(group: group)
            .childChannelOption(.socketOption(.so_linger), value: 0)
            .childChannelInitializer { [self] child in
                if lock.withLock({ isCut }) { return child.close() }
                let relay = Relay()
                return child.pipeline.addHandler(relay).map { self.connect(child, relay) }
            }
        let channel = try await bootstrap.bind(host: "127.0.0.1", port: 0).get()
        lock.withLock {
            listener = channel
            port = channel.localAddress?.port ?? 0
        }
        return self
    }

    /// Makes the server unreachable: closes every open connection and resets new ones.
    func cut() async {
        let open = lock.withLock { () -> [Channel] in
            isCut = true
            defer { connections = [:] }
            return Array(connections.values)
        }
        for channel in open { try? await channel.close() }
    }

    /// Lets connections through again.
    func restore() {
        lock.withLock { isCut = false }
    }

    func stop() async {
        await cut()
        try? await lock.withLock { listener }?.close()
    }

    private func track(_ channel: Channel) {
        lock.withLock { connections[ObjectIdentifier(channel)] = channel }
        channel.closeFuture.whenComplete { [self] _ in
            _ = lock.withLock { connections.removeValue(forKey: ObjectIdentifier(channel)) }
        }
    }

    private func connect(_ child: Channel, _ relay: Relay) {
        track(child)
        let upstreamRelay = Relay()
        ClientBootstrap(group: child.eventLoop)
            .channelInitializer { upstream in upstream.pipeline.addHandler(upstreamRelay) }
            .connect(host: upstreamHost, port: upstreamPort)
            .whenComplete { [self] result in
                switch result {
                case .success(let upstream):
                    track(upstream)
                    upstreamRelay.attach(upstream, to: child)
                    relay.attach(child, to: upstream)
                case .failure:
                    child.close(promise: nil)
                }
            }
    }

    /// Copies what one side reads to the other; closes the other side when its own closes.
    final class Relay: ChannelInboundHandler, @unchecked Sendable {
        typealias InboundIn = ByteBuffer
        private var peer: Channel?
        private var pending: [ByteBuffer] = []
        private var closed = false

        /// Called once the other side is connected: sends what arrived meanwhile (on `own`'s event loop).
        func attach(_ own: Channel, to peer: Channel) {
            own.eventLoop.execute {
                self.peer = peer
                for buffer in self.pending { peer.write(buffer, promise: nil) }
                self.pending = []
                peer.flush()
                if self.closed { peer.close(promise: nil) }
            }
        }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            let buffer = unwrapInboundIn(data)
            if let peer { peer.writeAndFlush(buffer, promise: nil) } else { pending.append(buffer) }
        }

        func channelInactive(context: ChannelHandlerContext) {
            closed = true
            peer?.close(promise: nil)
            context.fireChannelInactive()
        }

        func errorCaught(context: ChannelHandlerContext, error: any Error) {
            context.close(promise: nil)
        }
    }
}
