import Foundation

/// An error SQS answered, typed by its AWS error code, or a transport failure.
public struct SQSError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The AWS error type (`__type` without its namespace): `QueueDoesNotExist`, `InvalidAddress`, …
    public let code: Code
    /// The HTTP status (0 for a transport failure).
    public let status: Int
    /// SQS's message; it never contains message bodies.
    public let message: String

    /// AWS error codes the service acts on; any other code keeps its name.
    public struct Code: RawRepresentable, Sendable, Hashable, CustomStringConvertible {
        public let rawValue: String
        public init(rawValue: String) { self.rawValue = rawValue }
        public var description: String { rawValue }

        public static let queueDoesNotExist = Code(rawValue: "QueueDoesNotExist")
        public static let queueNameExists = Code(rawValue: "QueueNameExists")
        public static let receiptHandleIsInvalid = Code(rawValue: "ReceiptHandleIsInvalid")
        public static let invalidParameterValue = Code(rawValue: "InvalidParameterValue")
        public static let missingParameter = Code(rawValue: "MissingParameter")
        public static let invalidAddress = Code(rawValue: "InvalidAddress")
        public static let requestThrottled = Code(rawValue: "RequestThrottled")
        public static let throttling = Code(rawValue: "ThrottlingException")
        public static let accessDenied = Code(rawValue: "AccessDeniedException")
        public static let invalidSignature = Code(rawValue: "InvalidSignatureException")
        public static let serviceUnavailable = Code(rawValue: "ServiceUnavailable")
        public static let internalError = Code(rawValue: "InternalError")
        /// The endpoint could not be reached or answered something that is not SQS JSON.
        public static let transport = Code(rawValue: "Transport")
    }

    public init(code: Code, status: Int, message: String) {
        self.code = code
        self.status = status
        self.message = message
    }

    /// Whether retrying the same request later may succeed (throttling, 5xx, transport).
    public var isRetryable: Bool {
        code == .transport || code == .requestThrottled || code == .throttling || code == .serviceUnavailable
            || code == .internalError || status >= 500
    }

    public var description: String { "SQS \(code) (HTTP \(status)): \(message)" }

    /// Reads `{"__type": "com.amazonaws.sqs#QueueDoesNotExist", "message": …}`; `x-amzn-query-error`'s legacy
    /// code is used when the body has none.
    static func parse(status: Int, body: [UInt8], queryError: String?) -> SQSError {
        struct Body: Decodable {
            let type: String?
            let message: String?
            let Message: String?
            enum CodingKeys: String, CodingKey { case type = "__type", message, Message }
        }
        let decoded = try? JSONDecoder().decode(Body.self, from: Data(body))
        var code = decoded?.type.map { String($0.split(separator: "#").last ?? Substring($0)) }
        if code == nil || code?.isEmpty == true, let queryError {
            code = String(queryError.split(separator: ";").first ?? "").replacingOccurrences(of: "AWS.SimpleQueueService.", with: "")
        }
        return SQSError(code: Code(rawValue: code ?? "HTTP\(status)"), status: status,
                        message: decoded?.message ?? decoded?.Message ?? "")
    }
}
