import BoletoJSON
import HTTPTypes
import Hummingbird

/// One row of the route table: a method and path template, who may call it, its body limit, and its handler.
struct Endpoint: Sendable {
    /// What an endpoint's handler gets: the request alone, or the request with its authenticated client.
    enum Handler: Sendable {
        /// Open to anyone (health, metrics, the OpenAPI document).
        case open(@Sendable (APIHandlers, APICall) async throws -> APIReply)
        /// Needs a valid `x-api-key`; the handler gets the client it belongs to.
        case client(@Sendable (APIHandlers, ClientCall) async throws -> APIReply)
    }

    /// The body limits the service knows.
    enum BodyLimit: Sendable {
        /// `BOLETO_MAX_BODY_BYTES`.
        case standard
        /// `BOLETO_MAX_RETORNO_BODY_BYTES`: a whole retorno file, in base64.
        case retorno
    }

    let method: HTTPRequest.Method
    /// The path template (`/boletos/:id`), also the route's label in logs and metrics.
    let template: String
    let handler: Handler
    var bodyLimit = BodyLimit.standard
    /// Whether the responder refuses a body that is not JSON before the handler runs. Off for a bank's notification,
    /// whose handler checks its secret first: a wrong secret is a 404 whatever the body.
    var checksMediaType = true

    /// The template's segments; `:id` matches any one non-empty segment.
    var segments: [Substring] { template.split(separator: "/") }

    /// Whether the endpoint reads a JSON body (every POST and PATCH): a body of another media type is a 415.
    var takesJSON: Bool { method == .post || method == .patch }

    /// Whether the endpoint needs an API key.
    var authenticated: Bool {
        if case .client = handler { return true }
        return false
    }

    init(_ method: HTTPRequest.Method, _ template: String, bodyLimit: BodyLimit = .standard, checksMediaType: Bool = true,
         _ handler: Handler) {
        self.method = method
        self.template = template
        self.handler = handler
        self.bodyLimit = bodyLimit
        self.checksMediaType = checksMediaType
    }
}

/// The API's routes, in one table: adding an endpoint is a row here, its handler, and its entry in `openapi.json`.
/// A path no template matches gets 404; a path that matches with another method gets 405 with `Allow`, both in the
/// error format.
enum Routes {
    static let table: [Endpoint] = [
        Endpoint(.get, "/robots.txt", .open { _, _ in APIResponder.text("User-Agent: *\nDisallow: /\n", contentType: "text/plain") }),
        Endpoint(.get, "/_health_check", .open { _, _ in APIResponder.json(.object([("status", .string("ok"))]), status: .ok) }),
        Endpoint(.get, "/health/ready", .open { api, _ in try await api.ready() }),
        Endpoint(.get, "/metrics", .open { api, _ in try await api.metrics() }),
        Endpoint(.get, "/pay/:id", .open { api, call in try await api.payerPage(call) }),
        Endpoint(.get, "/pay/:id/pdf", .open { api, call in try await api.payerPDF(call) }),
        Endpoint(.get, "/openapi.json", .open { api, _ in APIResponder.text(api.openAPI, contentType: "application/json") }),
        Endpoint(.post, "/boletos", .client { api, call in try await api.createBoleto(call) }),
        Endpoint(.get, "/boletos", .client { api, call in try await api.listBoletos(call) }),
        Endpoint(.get, "/boletos/:id", .client { api, call in try await api.showBoleto(call) }),
        Endpoint(.patch, "/boletos/:id", .client { api, call in try await api.updateBoleto(call) }),
        Endpoint(.post, "/boletos/:id/cancel", .client { api, call in try await api.cancelBoleto(call) }),
        Endpoint(.get, "/boletos/:id/events", .client { api, call in try await api.events(call) }),
        Endpoint(.get, "/boletos/:id/html", .client { api, call in try await api.renderHTML(call) }),
        Endpoint(.get, "/boletos/:id/pdf", .client { api, call in try await api.renderPDF(call) }),
        Endpoint(.post, "/carnes", .client { api, call in try await api.createCarne(call) }),
        Endpoint(.get, "/carnes/:id", .client { api, call in try await api.showCarne(call) }),
        Endpoint(.get, "/carnes/:id/pdf", .client { api, call in try await api.carnePDF(call) }),
        Endpoint(.post, "/configurations", .client { api, call in try await api.createConfiguration(call) }),
        Endpoint(.get, "/configurations/:id", .client { api, call in try await api.showConfiguration(call) }),
        Endpoint(.patch, "/configurations/:id", .client { api, call in try await api.updateConfiguration(call) }),
        Endpoint(.post, "/remessas", .client { api, call in try await api.createRemessa(call) }),
        Endpoint(.get, "/remessas/:id", .client { api, call in try await api.downloadRemessa(call) }),
        Endpoint(.post, "/retornos", bodyLimit: .retorno, .client { api, call in try await api.uploadRetorno(call) }),
    ] + ServiceSettings.notifyingBanks.map { bank in
        // The `:id` is the bank's notification secret; logs and metrics carry only the template.
        Endpoint(.post, "/banks/\(bank)/notifications/:id", checksMediaType: false,
                 .open { api, call in try await api.bankNotification(call, bank: bank) })
    }

    /// What a request's method and path select.
    enum Match {
        /// The endpoint, with the path's `:id` (empty for templates without one).
        case endpoint(Endpoint, id: String)
        /// The path is known, the method is not: the methods it takes, and the template for logs.
        case methodNotAllowed(allowed: [HTTPRequest.Method], template: String)
        case notFound
    }

    /// The table's templates, split once.
    private static let compiled: [(Endpoint, [Substring])] = table.map { ($0, $0.segments) }

    /// Matches `method` and `path` (a trailing slash is ignored; the `:id` segment is percent-decoded).
    static func match(_ method: HTTPRequest.Method, _ path: String) -> Match {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false)
        if segments.first == "" { segments.removeFirst() }
        if segments.count > 1, segments.last == "" { segments.removeLast() }
        var allowed: [HTTPRequest.Method] = []
        var template: String?
        for (endpoint, pattern) in compiled where pattern.count == segments.count {
            var id = ""
            let fits = zip(pattern, segments).allSatisfy { expected, actual in
                if expected == ":id" {
                    id = String(actual)
                    return !actual.isEmpty
                }
                return expected == actual
            }
            guard fits else { continue }
            if endpoint.method == method { return .endpoint(endpoint, id: id.removingPercentEncoding ?? id) }
            allowed.append(endpoint.method)
            template = endpoint.template
        }
        if let template { return .methodNotAllowed(allowed: allowed, template: template) }
        return .notFound
    }
}
