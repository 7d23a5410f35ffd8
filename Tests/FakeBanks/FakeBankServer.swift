import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL

/// One request as a fake bank received it.
public struct FakeRequest: Sendable {
    public var method: String
    public var path: String
    /// Header names lower-cased.
    public var headers: [String: String]
    public var body: [UInt8]

    /// The header `name` (any case).
    public func header(_ name: String) -> String? { headers[name.lowercased()] }
}

/// What a fake bank answers. `delay` holds the answer back (a bank slower than the client's timeout).
public struct FakeResponse: Sendable {
    public var status: Int
    public var contentType: String
    public var body: [UInt8]
    public var delay: Duration

    public init(status: Int, contentType: String = "text/xml; charset=utf-8", body: [UInt8], delay: Duration = .zero) {
        self.status = status
        self.contentType = contentType
        self.body = body
        self.delay = delay
    }

    public init(status: Int, contentType: String = "text/xml; charset=utf-8", text: String, delay: Duration = .zero) {
        self.init(status: status, contentType: contentType, body: Array(text.utf8), delay: delay)
    }
}

/// An HTTPS server on a free loopback port that hands each request to `handler`. The fake banks run on it.
public final class FakeBankServer: Sendable {
    public typealias Handler = @Sendable (FakeRequest) async -> FakeResponse

    private let channel: any Channel
    /// The port it listens on (127.0.0.1).
    public let port: Int

    /// Starts the server with `identity` as its TLS certificate. With `clientAuthorities`, the server asks for a
    /// client certificate and refuses the handshake unless one chaining to them is presented (mutual TLS).
    public init(identity: TestPKI.Identity, clientAuthorities: [TestPKI.Identity]? = nil, handler: @escaping Handler) async throws {
        let certificate = try NIOSSLCertificate(bytes: identity.certificateDER, format: .der)
        let key = try NIOSSLPrivateKey(bytes: Array(identity.keyPEM.utf8), format: .pem)
        var tls = TLSConfiguration.makeServerConfiguration(certificateChain: [.certificate(certificate)], privateKey: .privateKey(key))
        if let clientAuthorities {
            tls.certificateVerification = .noHostnameVerification
            tls.trustRoots = .certificates(try clientAuthorities.map { try NIOSSLCertificate(bytes: $0.certificateDER, format: .der) })
        }
        let context = try NIOSSLContext(configuration: tls)
        channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.backlog, value: 256)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: context))
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline()
                    try channel.pipeline.syncOperations.addHandler(RequestHandler(handler: handler))
                }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        port = channel.localAddress!.port!
    }

    /// `https://127.0.0.1:<port><path>`.
    public func url(_ path: String) -> String { "https://127.0.0.1:\(port)\(path)" }

    /// Stops listening.
    public func stop() async throws { try await channel.close() }
}

private final class RequestHandler: ChannelInboundHandler, @unchecked Sendable {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let handler: FakeBankServer.Handler
    private var head: HTTPRequestHead?
    private var body: [UInt8] = []

    init(handler: @escaping FakeBankServer.Handler) { self.handler = handler }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let head):
            self.head = head
            body = []
        case .body(var buffer):
            body += buffer.readBytes(length: buffer.readableBytes) ?? []
        case .end:
            guard let head else { return }
            var headers: [String: String] = [:]
            for (name, value) in head.headers { headers[name.lowercased()] = value }
            let request = FakeRequest(method: head.method.rawValue, path: head.uri, headers: headers, body: body)
            let handler = self.handler
            let loop = context.eventLoop
            let bound = NIOLoopBound((self, context), eventLoop: loop)
            let keepAlive = head.isKeepAlive
            Task {
                let response = await handler(request)
                if response.delay > .zero { try? await Task.sleep(for: response.delay) }
                loop.execute {
                    let (this, context) = bound.value
                    this.write(response, keepAlive: keepAlive, context: context)
                }
            }
        }
    }

    private func write(_ response: FakeResponse, keepAlive: Bool, context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: response.contentType)
        headers.add(name: "Content-Length", value: String(response.body.count))
        if !keepAlive { headers.add(name: "Connection", value: "close") }
        let head = HTTPResponseHead(version: .http1_1, status: HTTPResponseStatus(statusCode: response.status), headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(ByteBuffer(bytes: response.body)))), promise: nil)
        if keepAlive {
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
        } else {
            // Closing after the flush: the close is queued behind the write on the same channel.
            context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
            context.close(promise: nil)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        context.close(promise: nil)
    }
}
