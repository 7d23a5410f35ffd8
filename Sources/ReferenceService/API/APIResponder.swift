import BoletoJSON
import BoletoKit
import Foundation
import HTTPTypes
import Hummingbird
import Logging

/// The HTTP front door: routing, limits, authentication, idempotency, error format, metrics and request logs.
/// Request logs carry the route template, never the path or query (which may hold a payer's document).
struct APIResponder: HTTPResponder {
    typealias Context = ServiceRequestContext

    let api: APIHandlers
    let metrics: ServiceMetrics
    let logger: Logger
    let maxBodyBytes: Int
    /// The limit of `POST /retornos`, whose body carries a whole file.
    let maxRetornoBodyBytes: Int
    /// Each client's request rate, when limited.
    let rateLimiter: RateLimiter?

    func respond(to request: Request, context: Context) async throws -> Response {
        let started = ContinuousClock.now
        var routeLabel = "unmatched"
        var reply: APIReply
        do {
            let endpoint: Endpoint, id: String
            switch Routes.match(request.method, request.uri.path) {
            case .notFound:
                throw APIError.routeNotFound
            case .methodNotAllowed(let allowed, let template):
                routeLabel = template
                var error = APIError(.methodNotAllowed, "method_not_allowed",
                                     "\(request.method.rawValue) method is not allowed for \(template)")
                error.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
                throw error
            case .endpoint(let found, let parameter):
                (endpoint, id) = (found, parameter)
            }
            routeLabel = endpoint.template
            // Who is asking, and whether the body is JSON, are known before a byte of the body is read: a client
            // without a valid key, or with another media type, costs the server no body buffer.
            var client: ClientRecord?
            if endpoint.authenticated {
                client = try await api.authenticate(request.headers[HTTPField.Name("x-api-key")!])
                if let rateLimiter, let client, let wait = rateLimiter.take(client.id) {
                    var error = APIError(.tooManyRequests, "rate_limited",
                                         "Too many requests for this API key; retry after \(wait) s.")
                    error.headers[.retryAfter] = String(wait)
                    throw error
                }
            }
            if endpoint.takesJSON, endpoint.checksMediaType, Self.hasBody(request), !Self.isJSON(request.headers[.contentType]) {
                throw APIError(.unsupportedMediaType, "unsupported_media_type",
                               "The request body must be sent as Content-Type: application/json.", field: "Content-Type")
            }
            let body = try await readBody(request, limit: endpoint.bodyLimit == .retorno ? maxRetornoBodyBytes : maxBodyBytes)
            let call = APICall(template: endpoint.template, id: id, method: request.method, headers: request.headers,
                               query: request.uri.queryParameters.map { (String($0.key), String($0.value)) }, body: body,
                               peer: context.peer)
            switch endpoint.handler {
            case .open(let handler):
                reply = try await api.run { try await handler(api, call) }
            case .client(let handler):
                guard let client else { throw APIError.unauthorized }
                reply = try await api.handle(ClientCall(call: call, client: client), handler)
            }
        } catch let error as APIError {
            reply = Self.render(error)
        } catch StoreError.unavailable {
            logger.warning("database unavailable", metadata: ["route": .string(routeLabel)])
            reply = Self.render(APIError(.serviceUnavailable, "service_unavailable", "The database is unavailable; try again shortly."))
        } catch {
            logger.error("request failed", metadata: ["route": .string(routeLabel), "error": .string(String(describing: type(of: error)))])
            reply = Self.render(.internalError)
        }
        let response = reply.response
        let elapsed = ContinuousClock.now - started
        metrics.request(method: request.method.rawValue, route: routeLabel, status: response.status.code, duration: elapsed)
        if reply.quiet { return response }
        logger.info("request", metadata: ["method": .string(request.method.rawValue), "route": .string(routeLabel),
                                          "status": .stringConvertible(response.status.code),
                                          "duration_ms": .stringConvertible(elapsed.milliseconds)])
        return response
    }

    /// Whether the request announces a body: a positive `Content-Length`, or a `Transfer-Encoding`.
    static func hasBody(_ request: Request) -> Bool {
        if request.headers[.transferEncoding] != nil { return true }
        return request.headers[.contentLength].flatMap { Int($0) }.map { $0 > 0 } ?? false
    }

    /// Whether a routed call came with body bytes (for handlers that check the media type themselves).
    static func hasBodyBytes(_ call: APICall) -> Bool { call.body.readableBytes > 0 }

    /// Whether `contentType` is JSON: `application/json` (any case), with no charset or UTF-8's.
    static func isJSON(_ contentType: String?) -> Bool {
        guard let contentType else { return false }
        let parts = contentType.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        guard parts.first == "application/json" else { return false }
        for parameter in parts.dropFirst() where parameter.hasPrefix("charset=") {
            let charset = parameter.dropFirst("charset=".count).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            if charset != "utf-8" && charset != "utf8" { return false }
        }
        return true
    }

    /// Reads the body within `limit`, refusing it as soon as more arrives (the announced length is checked first):
    /// at most `limit` bytes are ever held.
    private func readBody(_ request: Request, limit: Int) async throws -> ByteBuffer {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > limit {
            throw APIError(.contentTooLarge, "payload_too_large", "The request body is larger than \(limit) bytes.")
        }
        do {
            return try await request.body.collect(upTo: limit)
        } catch {
            throw APIError(.contentTooLarge, "payload_too_large", "The request body is larger than \(limit) bytes.")
        }
    }

    static func render(_ error: APIError) -> APIReply {
        var reply = json(error.body, status: error.status)
        for field in error.headers { reply.headers.append(field) }
        return reply
    }

    static func json(_ value: JSON, status: HTTPResponse.Status, headers: HTTPFields = [:]) -> APIReply {
        var headers = headers
        headers[.contentType] = "application/json; charset=utf-8"
        return APIReply(status: status, headers: headers, body: value.text)
    }

    static func text(_ text: String, status: HTTPResponse.Status = .ok, contentType: String) -> APIReply {
        APIReply(status: status, headers: [.contentType: contentType], body: text)
    }

    /// What `render` makes; a rendering that fails is a 500 `render_failed` naming `what` (`boleto`, `carnê`), never
    /// the boleto's data.
    static func rendered<Output>(_ what: String, _ render: () throws -> Output) throws -> Output {
        do { return try render() } catch {
            throw APIError(.internalServerError, "render_failed", "The \(what) could not be rendered.")
        }
    }

    /// A PDF shown inline, saved as `filename`.
    static func pdf(_ bytes: [UInt8], filename: String, headers: HTTPFields = [:]) -> APIReply {
        var headers = headers
        headers[.contentType] = "application/pdf"
        headers[.contentDisposition] = "inline; filename=\"\(filename)\""
        return APIReply(status: .ok, headers: headers, body: "", bytes: bytes)
    }
}

/// A response before it is written: status, headers and the whole body text.
struct APIReply: Sendable {
    var status: HTTPResponse.Status
    var headers: HTTPFields
    var body: String
    /// A binary body (a PDF), sent instead of `body`.
    var bytes: [UInt8]? = nil
    /// Answered without a request log line: a notification with a wrong secret leaves only a metric.
    var quiet = false

    var response: Response {
        Response(status: status, headers: headers,
                 body: .init(byteBuffer: bytes.map { ByteBuffer(bytes: $0) } ?? ByteBuffer(string: body)))
    }
}

/// One routed request.
struct APICall: Sendable {
    /// The endpoint's path template (`/boletos/:id`).
    let template: String
    /// The path's `:id`; empty on templates without one.
    let id: String
    let method: HTTPRequest.Method
    let headers: HTTPFields
    let query: [(String, String)]
    let body: ByteBuffer
    /// The peer's IP address (rate limits of open endpoints).
    var peer: String? = nil

    var bodyText: String { String(buffer: body) }

    /// The body as JSON; malformed JSON is a 400 in the error format.
    /// The body is read as UTF-8 bytes: bytes that are not UTF-8 are refused, not replaced.
    func json() throws(APIError) -> JSON {
        let parsed = body.withUnsafeReadableBytes { raw -> Result<JSON, JSONSyntaxError>? in
            let bytes = raw.bindMemory(to: UInt8.self)
            guard bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) }) else { return nil }
            return Result { () throws(JSONSyntaxError) in try JSON.parse(utf8: bytes) }
        }
        switch parsed {
        case nil:
            throw APIError.validation([.invalid("body", "The request body must be a JSON object.")])
        case .success(let json)?:
            return json
        case .failure(let error)? where error.reason == .invalidUTF8:
            throw APIError.validation([FieldError("invalid_json", "The request body is not valid UTF-8.", field: "body")])
        case .failure?:
            throw APIError.validation([FieldError("invalid_json", "The request body is not valid JSON.", field: "body")])
        }
    }

    func header(_ name: String) -> String? { HTTPField.Name(name).flatMap { headers[$0] } }
}

/// A request whose `x-api-key` was checked: the typed context of every authenticated handler.
struct ClientCall: Sendable {
    let call: APICall
    /// The client the key belongs to.
    let client: ClientRecord
    /// The `Idempotency-Key` reservation a POST runs under, if it sent one.
    var idempotency: (clientID: String, key: String)? = nil

    var id: String { call.id }
    var query: [(String, String)] { call.query }
    var bodyText: String { call.bodyText }
    func json() throws(APIError) -> JSON { try call.json() }
    func header(_ name: String) -> String? { call.header(name) }
}
