import BoletoKit
import Providers

/// One problem with a request, in the service's words: what kind of problem, one sentence for people (never the
/// value sent), and the dotted path of the request field at fault (`payer_address.zipcode`), if one is. A problem
/// found by BoletoKit or by a bank adapter names the field in that layer's own terms (``origin``), and the API edge
/// turns it into the request's field path.
///
/// The API edge renders these as superbowleto's `{"errors":[{"type","message","field"}]}`.
public struct FieldError: Sendable, Hashable {
    /// Where a problem found below the service came from, in that layer's own field names.
    public enum Origin: Sendable, Hashable {
        /// A BoletoKit error's canonical field (`agency`, `extra.posto`), or nil when it names none.
        case boleto(String?)
        /// A bank adapter's field.
        case provider(RequestField)
    }

    /// The problem's kind as clients see it (`invalid_parameter`, `not_found`, …).
    public var type: String
    /// One sentence for people; never the value sent.
    public var message: String
    /// The dotted path of the request field at fault, or nil.
    public var field: String?
    /// The field in a lower layer's terms, for the API edge to name; nil when `field` already is the request's.
    public var origin: Origin?

    /// A problem of `type`, optionally naming its field.
    public init(_ type: String, _ message: String, field: String? = nil) {
        self.type = type
        self.message = message
        self.field = field
    }

    /// A BoletoKit error, its field named by the API edge.
    static func boleto(_ error: BoletoError) -> FieldError {
        var problem = FieldError("invalid_parameter", error.message)
        problem.origin = .boleto(error.field)
        return problem
    }

    /// A bank adapter's field problem, its field named by the API edge.
    static func provider(_ problem: FieldProblem) -> FieldError {
        var error = FieldError("invalid_parameter", problem.message)
        error.origin = .provider(problem.field)
        return error
    }

    /// An invalid value of `field`.
    static func invalid(_ field: String, _ message: String) -> FieldError {
        FieldError("invalid_parameter", message, field: field)
    }
}

/// What the service layer refuses. Services throw these, never HTTP errors; the API edge maps each ``Kind`` to a
/// status (``APIError/init(_:)``), and the worker, which has no HTTP, logs the kind.
public struct ServiceError: Error, Sendable {
    /// Why the service refused.
    public enum Kind: Sendable, Hashable {
        /// The request's values break a rule (the fields named). HTTP 400.
        case invalid
        /// The thing named does not exist for this client. HTTP 404.
        case notFound
        /// The thing exists, but its state does not allow the change. HTTP 409.
        case conflict
        /// The request is well formed, but what it asks cannot be produced from what is stored. HTTP 422.
        case unprocessable
        /// A dependency (a bank) cannot do it now; nothing changed. HTTP 503.
        case unavailable
    }

    /// Why.
    public var kind: Kind
    /// Every problem found.
    public var problems: [FieldError]

    /// A refusal of `kind` listing `problems`.
    public init(_ kind: Kind, _ problems: [FieldError]) {
        self.kind = kind
        self.problems = problems
    }

    /// A refusal of `kind` with one problem.
    public init(_ kind: Kind, type: String, _ message: String, field: String? = nil) {
        self.init(kind, [FieldError(type, message, field: field)])
    }

    /// Values that break a rule.
    static func invalid(_ problems: [FieldError]) -> ServiceError { ServiceError(.invalid, problems) }
    /// One value that breaks a rule.
    static func invalid(_ field: String, _ message: String) -> ServiceError { invalid([.invalid(field, message)]) }
    /// `what` does not exist for this client.
    static func notFound(_ what: String) -> ServiceError { ServiceError(.notFound, type: "not_found", "\(what) not found") }
    /// A state that does not allow the change.
    static func conflict(_ message: String, field: String? = nil, type: String = "conflict") -> ServiceError {
        ServiceError(.conflict, type: type, message, field: field)
    }
    /// A bank that cannot act now.
    static func providerUnavailable(_ message: String) -> ServiceError {
        ServiceError(.unavailable, type: "provider_unavailable", message)
    }
}
