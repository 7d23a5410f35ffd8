import Foundation

/// AWS credentials: an access key pair, and a session token for temporary credentials.
public struct AWSCredentials: Sendable, Hashable {
    public var accessKeyID: String
    public var secretAccessKey: String
    /// `AWS_SESSION_TOKEN`, sent as `X-Amz-Security-Token` and signed.
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// Where and as whom to call SQS, read the standard AWS way.
public struct AWSConfiguration: Sendable, Hashable {
    public var region: String
    public var credentials: AWSCredentials
    /// The SQS endpoint; `https://sqs.<region>.amazonaws.com` unless overridden (a local SQS-compatible server).
    public var endpoint: URL

    public init(region: String, credentials: AWSCredentials, endpoint: URL? = nil) {
        self.region = region
        self.credentials = credentials
        self.endpoint = endpoint ?? URL(string: "https://sqs.\(region).amazonaws.com")!
    }

    /// A variable that is missing or malformed.
    public struct Missing: Error, CustomStringConvertible {
        public let variable: String
        public var description: String { "\(variable) is not set or not valid." }
    }

    /// Reads `AWS_REGION` (or `AWS_DEFAULT_REGION`), `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`,
    /// `AWS_SESSION_TOKEN`, and the endpoint override `AWS_ENDPOINT_URL_SQS` (or `AWS_ENDPOINT_URL`).
    public static func fromEnvironment(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> AWSConfiguration {
        func value(_ name: String) -> String? {
            guard let text = environment[name]?.trimmingCharacters(in: .whitespaces), !text.isEmpty else { return nil }
            return text
        }
        guard let region = value("AWS_REGION") ?? value("AWS_DEFAULT_REGION") else { throw Missing(variable: "AWS_REGION") }
        guard let access = value("AWS_ACCESS_KEY_ID") else { throw Missing(variable: "AWS_ACCESS_KEY_ID") }
        guard let secret = value("AWS_SECRET_ACCESS_KEY") else { throw Missing(variable: "AWS_SECRET_ACCESS_KEY") }
        var endpoint: URL?
        if let override = value("AWS_ENDPOINT_URL_SQS") ?? value("AWS_ENDPOINT_URL") {
            guard let url = URL(string: override), let scheme = url.scheme, ["http", "https"].contains(scheme), url.host != nil else {
                throw Missing(variable: value("AWS_ENDPOINT_URL_SQS") != nil ? "AWS_ENDPOINT_URL_SQS" : "AWS_ENDPOINT_URL")
            }
            endpoint = url
        }
        return AWSConfiguration(region: region, credentials: AWSCredentials(accessKeyID: access, secretAccessKey: secret,
                                                                             sessionToken: value("AWS_SESSION_TOKEN")),
                                endpoint: endpoint)
    }
}
