import HTTPTypes
import Hummingbird

/// The routes of the API, matched by path template; an unknown path gets 404 and a known path with another method
/// gets 405, both in the error format.
enum Route: String, CaseIterable, Sendable {
    case robots = "/robots.txt"
    case healthCheck = "/_health_check"
    case ready = "/health/ready"
    case metrics = "/metrics"
    case openAPI = "/openapi.json"
    case boletos = "/boletos"
    case boleto = "/boletos/:id"
    case cancel = "/boletos/:id/cancel"
    case events = "/boletos/:id/events"
    case html = "/boletos/:id/html"
    case pdf = "/boletos/:id/pdf"
    case configurations = "/configurations"
    case configuration = "/configurations/:id"
    case remessas = "/remessas"
    case remessa = "/remessas/:id"
    case retornos = "/retornos"

    /// The methods the route answers.
    var methods: [HTTPRequest.Method] {
        switch self {
        case .robots, .healthCheck, .ready, .metrics, .openAPI, .events, .remessa, .html, .pdf: [.get]
        case .boletos: [.get, .post]
        case .boleto: [.get, .patch]
        case .cancel, .configurations, .remessas, .retornos: [.post]
        case .configuration: [.get, .patch]
        }
    }

    /// Whether the route needs an `x-api-key`.
    var authenticated: Bool {
        switch self {
        case .robots, .healthCheck, .ready, .metrics, .openAPI: false
        default: true
        }
    }

    /// Matches `path`; answers the route and its `:id` parameter.
    static func match(_ path: String) -> (Route, String?)? {
        var segments = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if segments.first == "" { segments.removeFirst() }
        if segments.count > 1, segments.last == "" { segments.removeLast() }
        switch segments.count {
        case 1:
            return Route.allCases.first { $0.rawValue == "/" + segments[0] }.map { ($0, nil) }
        case 2 where segments[0] == "health" && segments[1] == "ready":
            return (.ready, nil)
        case 2 where segments[0] == "boletos" && !segments[1].isEmpty:
            return (.boleto, segments[1].removingPercentEncoding ?? segments[1])
        case 2 where segments[0] == "configurations" && !segments[1].isEmpty:
            return (.configuration, segments[1].removingPercentEncoding ?? segments[1])
        case 2 where segments[0] == "remessas" && !segments[1].isEmpty:
            return (.remessa, segments[1].removingPercentEncoding ?? segments[1])
        case 3 where segments[0] == "boletos" && !segments[1].isEmpty && segments[2] == "cancel":
            return (.cancel, segments[1].removingPercentEncoding ?? segments[1])
        case 3 where segments[0] == "boletos" && !segments[1].isEmpty && segments[2] == "events":
            return (.events, segments[1].removingPercentEncoding ?? segments[1])
        case 3 where segments[0] == "boletos" && !segments[1].isEmpty && segments[2] == "html":
            return (.html, segments[1].removingPercentEncoding ?? segments[1])
        case 3 where segments[0] == "boletos" && !segments[1].isEmpty && segments[2] == "pdf":
            return (.pdf, segments[1].removingPercentEncoding ?? segments[1])
        default:
            return nil
        }
    }
}
