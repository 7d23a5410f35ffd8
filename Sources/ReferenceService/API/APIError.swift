import BoletoJSON
import HTTPTypes
import Hummingbird

extension FieldError {
    /// The entry of the error body `{"errors":[{"type","message","field"}]}` (superbowleto's format).
    var json: JSON {
        .object([("type", .string(type)), ("message", .string(message)), ("field", JSON(field))])
    }
}

/// An error answered to the client. Messages never carry the values that were sent.
public struct APIError: Error, Sendable {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// Every error found.
    public var errors: [FieldError]
    /// Extra response headers (`Allow` on 405).
    public var headers: HTTPFields = [:]

    /// An answer listing `errors`.
    public init(_ status: HTTPResponse.Status, _ errors: [FieldError]) {
        self.status = status
        self.errors = errors
    }

    /// An answer with one error.
    public init(_ status: HTTPResponse.Status, _ type: String, _ message: String, field: String? = nil) {
        self.init(status, [FieldError(type, message, field: field)])
    }

    /// The answer to a service's refusal: the one place service error kinds become HTTP statuses.
    public init(_ error: ServiceError) {
        let status: HTTPResponse.Status = switch error.kind {
        case .invalid: .badRequest
        case .notFound: .notFound
        case .conflict: .conflict
        case .unprocessable: .unprocessableContent
        case .unavailable: .serviceUnavailable
        }
        self.init(status, error.problems.map(RequestFieldPaths.named))
    }

    var body: JSON { .object([("errors", .array(errors.map(\.json)))]) }

    static func validation(_ errors: [FieldError]) -> APIError { APIError(.badRequest, errors) }
    static let unauthorized = APIError(.unauthorized, "authorization", "Unauthorized")
    static func notFound(_ what: String) -> APIError { APIError(.notFound, "not_found", "\(what) not found") }
    static let routeNotFound = APIError(.notFound, "not_found", "Resource not found")
    static func conflict(_ message: String, field: String? = nil) -> APIError {
        APIError(.conflict, "conflict", message, field: field)
    }
    static let internalError = APIError(.internalServerError, "internal", "Internal server error")
}
