import BoletoJSON
import HTTPTypes
import Hummingbird

/// One entry of the error body `{"errors":[{"type","message","field"}]}` (superbowleto's format).
public struct FieldError: Sendable, Hashable {
    /// The error kind (`invalid_parameter`, `not_found`, …).
    public var type: String
    /// One sentence for people; never the value sent.
    public var message: String
    /// The dotted path of the request field at fault (`payer_address.zipcode`), or nil.
    public var field: String?

    /// An error of `type`, optionally naming its field.
    public init(_ type: String, _ message: String, field: String? = nil) {
        self.type = type
        self.message = message
        self.field = field
    }

    static func invalid(_ field: String, _ message: String) -> FieldError {
        FieldError("invalid_parameter", message, field: field)
    }

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
