import BoletoJSON
import HTTPTypes
import NIOCore
import NIOHTTP1
import NIOHTTPTypes

/// The limits of one HTTP connection, so that slow or broken clients cannot hold the server's sockets and memory:
///
/// | Phase | Limit | On expiry |
/// |---|---|---|
/// | between requests, no byte received | ``Limits/idle`` (`BOLETO_HTTP_IDLE_TIMEOUT_MS`) | the connection is closed |
/// | from a request's first byte until its head is complete | ``Limits/header`` (`BOLETO_HTTP_HEADER_TIMEOUT_MS`) | 408 in the error format, then closed |
/// | from the head until the response is written | ``Limits/request`` (`BOLETO_HTTP_REQUEST_TIMEOUT_MS`) | the connection is closed |
///
/// It also answers what the HTTP parser refuses (too many or too large headers, a bad `Content-Length`, both
/// `Content-Length` and `Transfer-Encoding`, malformed lines) with a 400 in the error format before closing, where
/// the server framework would send an empty 400. And a response written before its request was read to the end
/// (a 401 before the body, a 413) closes the connection, so an unread body is never drained.
final class ConnectionGuard: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPRequestPart
    typealias InboundOut = HTTPRequestPart
    typealias OutboundIn = HTTPResponsePart
    typealias OutboundOut = HTTPResponsePart

    /// The three deadlines.
    struct Limits: Sendable, Hashable {
        var idle: Duration
        var header: Duration
        var request: Duration
    }

    private enum Phase {
        /// Waiting for the next request; nothing of it received.
        case idle
        /// Some bytes of a request arrived; its head is not complete.
        case head
        /// The head arrived; the response is not yet complete.
        case exchange
        /// Answering on its own (a parse error, a header timeout) and closing.
        case closing
    }

    private let limits: Limits
    private var phase = Phase.idle
    private var timer: Scheduled<Void>?
    /// Requests whose head arrived, whose end arrived, and that were answered (pipelined requests queue up).
    private var heads = 0, ends = 0, responses = 0
    /// Whether the connection closes once the response in flight is written.
    private var closeAfterResponse = false

    init(limits: Limits) {
        self.limits = limits
    }

    func handlerAdded(context: ChannelHandlerContext) {
        // Byte-level activity comes from a watcher ahead of the HTTP decoder.
        let watcher = ByteWatcher(guard: self)
        try? context.pipeline.syncOperations.addHandler(watcher, position: .first)
        if context.channel.isActive { arm(context, limits.idle) }
    }

    func channelActive(context: ChannelHandlerContext) {
        arm(context, limits.idle)
        context.fireChannelActive()
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelInactive(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
        context.fireChannelInactive()
    }

    /// Bytes arrived (from ``ByteWatcher``): a new request has started when none was in flight.
    fileprivate func bytesArrived(_ context: ChannelHandlerContext) {
        guard phase == .idle else { return }
        phase = .head
        arm(context, limits.header)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head:
            heads += 1
            if heads == responses + 1, phase != .closing {
                phase = .exchange
                arm(context, limits.request)
            }
        case .body:
            break
        case .end:
            ends += 1
        }
        context.fireChannelRead(data)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        switch unwrapOutboundIn(data) {
        case .head(var response) where phase == .exchange && ends <= responses:
            // Answered before the request was read to the end: do not drain the rest, close.
            closeAfterResponse = true
            response.headerFields[.connection] = "close"
            context.write(wrapOutboundOut(.head(response)), promise: promise)
        case .end where phase == .exchange:
            responses += 1
            if closeAfterResponse {
                phase = .closing
                timer?.cancel()
                timer = nil
                let written = context.eventLoop.makePromise(of: Void.self)
                written.futureResult.cascade(to: promise)
                context.writeAndFlush(data, promise: written)
                let channel = context.channel
                written.futureResult.whenComplete { _ in channel.close(promise: nil) }
            } else {
                // The next pipelined request, if one was read, is now the one in flight.
                phase = heads > responses ? .exchange : .idle
                arm(context, heads > responses ? limits.request : limits.idle)
                context.write(data, promise: promise)
            }
        default:
            context.write(data, promise: promise)
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        // A request the parser refused, before any handler saw it: answer in the error format and close.
        guard phase == .idle || phase == .head else {
            context.fireErrorCaught(error)
            return
        }
        let message = (error as? HTTPParserError).map(Self.describe) ?? "The request could not be read as HTTP/1.1."
        answer(context, status: .badRequest, type: "invalid_request", message: message)
    }

    /// Writes an error response of our own and closes the connection.
    private func answer(_ context: ChannelHandlerContext, status: HTTPResponse.Status, type: String, message: String) {
        guard phase != .closing else { return }
        phase = .closing
        timer?.cancel()
        timer = nil
        let body = JSON.object([("errors", .array([.object([("type", .string(type)), ("message", .string(message)), ("field", .null)])]))]).text
        var buffer = context.channel.allocator.buffer(capacity: body.utf8.count)
        buffer.writeString(body)
        let head = HTTPResponse(status: status, headerFields: [
            .contentType: "application/json; charset=utf-8", .contentLength: String(buffer.readableBytes), .connection: "close",
        ])
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(buffer)), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }

    /// Starts the phase's deadline, replacing the previous one.
    private func arm(_ context: ChannelHandlerContext, _ limit: Duration) {
        timer?.cancel()
        let armedPhase = phase
        // The task runs on the channel's event loop, where this handler and its context live; the timer is cancelled
        // when the handler is removed or the channel closes.
        let bound = NIOLoopBound((handler: self, context: context), eventLoop: context.eventLoop)
        timer = context.eventLoop.scheduleTask(in: .nanoseconds(Int64(limit.nanoseconds))) {
            let (handler, context) = bound.value
            guard handler.phase == armedPhase else { return }
            handler.expired(context)
        }
    }

    private func expired(_ context: ChannelHandlerContext) {
        timer = nil
        switch phase {
        case .head:
            answer(context, status: .requestTimeout, type: "request_timeout",
                   message: "The request's headers did not arrive in time; the connection is closed.")
        case .idle, .exchange:
            phase = .closing
            context.close(promise: nil)
        case .closing:
            break
        }
    }

    static func describe(_ error: HTTPParserError) -> String {
        switch error {
        case .headerOverflow: "The request's headers are too large or too many."
        case .invalidContentLength, .unexpectedContentLength:
            "The request's Content-Length is not valid, or comes with a Transfer-Encoding."
        case .invalidChunkSize: "The request's chunked body is malformed."
        case .invalidMethod: "The request's method is not valid."
        case .invalidURL: "The request's target is not a valid URL path."
        case .invalidVersion: "The request is not HTTP/1.x."
        case .invalidHeaderToken, .invalidConstant, .lfExpected, .strictModeAssertion: "The request's headers are malformed."
        default: "The request could not be read as HTTP/1.1."
        }
    }
}

/// Tells a ``ConnectionGuard`` when bytes arrive, ahead of the HTTP decoder; passes everything on unchanged.
final class ByteWatcher: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    private weak var watched: ConnectionGuard?
    private var guardContext: ChannelHandlerContext?

    init(guard watched: ConnectionGuard) {
        self.watched = watched
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        if let watched {
            if guardContext == nil { guardContext = try? context.pipeline.syncOperations.context(handler: watched) }
            if let guardContext { watched.bytesArrived(guardContext) }
        }
        context.fireChannelRead(data)
    }
}
