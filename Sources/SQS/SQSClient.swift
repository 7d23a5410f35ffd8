import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// A small SQS client: the JSON 1.0 protocol (`X-Amz-Target: AmazonSQS.<Action>`), signed with SigV4.
///
/// It covers what the service needs: ``sendMessage(queueURL:body:delaySeconds:attributes:)``,
/// ``sendMessageBatch(queueURL:entries:)``, ``receiveMessages(queueURL:maxMessages:waitSeconds:visibilityTimeout:)``,
/// ``deleteMessage(queueURL:receiptHandle:)``, ``deleteMessageBatch(queueURL:entries:)``,
/// ``changeMessageVisibility(queueURL:receiptHandle:timeoutSeconds:)``, ``getQueueURL(name:)`` and
/// ``createQueue(name:attributes:)``. AWS errors come back as ``SQSError`` with their code.
public struct SQSClient: Sendable {
    public let configuration: AWSConfiguration
    let http: HTTPClient
    let signer: SigV4Signer
    /// The time a request is signed with (a parameter for tests).
    let clock: @Sendable () -> Date
    /// The limit for one call (a long poll gets its wait on top).
    let requestTimeout: TimeAmount

    public init(configuration: AWSConfiguration, httpClient: HTTPClient, requestTimeout: TimeAmount = .seconds(30),
                clock: @escaping @Sendable () -> Date = { Date() }) {
        self.configuration = configuration
        self.http = httpClient
        self.requestTimeout = requestTimeout
        self.signer = SigV4Signer(credentials: configuration.credentials, region: configuration.region, service: "sqs")
        self.clock = clock
    }

    // MARK: Actions

    /// `SendMessage`; answers the message id.
    @discardableResult
    public func sendMessage(queueURL: String, body: String, delaySeconds: Int? = nil,
                            attributes: [String: String] = [:]) async throws -> String {
        struct Input: Encodable {
            let QueueUrl: String, MessageBody: String, DelaySeconds: Int?
            let MessageAttributes: [String: MessageAttribute]?
        }
        struct Output: Decodable { let MessageId: String }
        let output: Output = try await call("SendMessage", Input(
            QueueUrl: queueURL, MessageBody: body, DelaySeconds: delaySeconds,
            MessageAttributes: attributes.isEmpty ? nil : attributes.mapValues { MessageAttribute(DataType: "String", StringValue: $0) }))
        return output.MessageId
    }

    /// One entry of ``sendMessageBatch(queueURL:entries:)``.
    public struct BatchEntry: Sendable, Hashable {
        public var id: String
        public var body: String
        public var delaySeconds: Int?
        public init(id: String, body: String, delaySeconds: Int? = nil) {
            self.id = id
            self.body = body
            self.delaySeconds = delaySeconds
        }
    }

    /// The outcome of a batch call: the ids that succeeded, and the failures by id.
    public struct BatchResult: Sendable, Hashable {
        public var successful: [String]
        public var failed: [String: SQSError]
    }

    /// `SendMessageBatch` (at most 10 entries).
    public func sendMessageBatch(queueURL: String, entries: [BatchEntry]) async throws -> BatchResult {
        struct Entry: Encodable { let Id: String, MessageBody: String, DelaySeconds: Int? }
        struct Input: Encodable { let QueueUrl: String, Entries: [Entry] }
        let output: BatchOutput = try await call("SendMessageBatch", Input(
            QueueUrl: queueURL, Entries: entries.map { Entry(Id: $0.id, MessageBody: $0.body, DelaySeconds: $0.delaySeconds) }))
        return output.result
    }

    /// A received message.
    public struct Message: Sendable, Hashable {
        public var id: String
        public var receiptHandle: String
        public var body: String
        /// How many times SQS has delivered it (`ApproximateReceiveCount`).
        public var receiveCount: Int
        /// System attributes as SQS sent them.
        public var attributes: [String: String]
        /// String message attributes.
        public var messageAttributes: [String: String]
    }

    /// `ReceiveMessage`: long-polls up to `waitSeconds` (0–20) for at most `maxMessages` (1–10), hiding them for
    /// `visibilityTimeout` seconds when given.
    public func receiveMessages(queueURL: String, maxMessages: Int = 10, waitSeconds: Int = 20,
                                visibilityTimeout: Int? = nil) async throws -> [Message] {
        struct Input: Encodable {
            let QueueUrl: String, MaxNumberOfMessages: Int, WaitTimeSeconds: Int, VisibilityTimeout: Int?
            let AttributeNames: [String], MessageAttributeNames: [String], MessageSystemAttributeNames: [String]
        }
        struct RawMessage: Decodable {
            let MessageId: String, ReceiptHandle: String, Body: String
            let Attributes: [String: String]?
            let MessageAttributes: [String: MessageAttribute]?
        }
        struct Output: Decodable { let Messages: [RawMessage]? }
        let output: Output = try await call("ReceiveMessage", Input(
            QueueUrl: queueURL, MaxNumberOfMessages: maxMessages, WaitTimeSeconds: waitSeconds,
            VisibilityTimeout: visibilityTimeout, AttributeNames: ["All"], MessageAttributeNames: ["All"],
            MessageSystemAttributeNames: ["All"]), timeout: requestTimeout + .seconds(Int64(waitSeconds)))
        return (output.Messages ?? []).map { raw in
            Message(id: raw.MessageId, receiptHandle: raw.ReceiptHandle, body: raw.Body,
                    receiveCount: Int(raw.Attributes?["ApproximateReceiveCount"] ?? "") ?? 0,
                    attributes: raw.Attributes ?? [:],
                    messageAttributes: (raw.MessageAttributes ?? [:]).compactMapValues(\.StringValue))
        }
    }

    /// `DeleteMessage`: acknowledges a received message.
    public func deleteMessage(queueURL: String, receiptHandle: String) async throws {
        struct Input: Encodable { let QueueUrl: String, ReceiptHandle: String }
        let _: Empty = try await call("DeleteMessage", Input(QueueUrl: queueURL, ReceiptHandle: receiptHandle))
    }

    /// `DeleteMessageBatch`: entries are (id, receipt handle).
    public func deleteMessageBatch(queueURL: String, entries: [(id: String, receiptHandle: String)]) async throws -> BatchResult {
        struct Entry: Encodable { let Id: String, ReceiptHandle: String }
        struct Input: Encodable { let QueueUrl: String, Entries: [Entry] }
        let output: BatchOutput = try await call("DeleteMessageBatch", Input(
            QueueUrl: queueURL, Entries: entries.map { Entry(Id: $0.id, ReceiptHandle: $0.receiptHandle) }))
        return output.result
    }

    /// `ChangeMessageVisibility`: hides a received message for `timeoutSeconds` more (0 makes it visible now).
    public func changeMessageVisibility(queueURL: String, receiptHandle: String, timeoutSeconds: Int) async throws {
        struct Input: Encodable { let QueueUrl: String, ReceiptHandle: String, VisibilityTimeout: Int }
        let _: Empty = try await call("ChangeMessageVisibility", Input(
            QueueUrl: queueURL, ReceiptHandle: receiptHandle, VisibilityTimeout: timeoutSeconds))
    }

    /// `GetQueueUrl`.
    public func getQueueURL(name: String) async throws -> String {
        struct Input: Encodable { let QueueName: String }
        struct Output: Decodable { let QueueUrl: String }
        let output: Output = try await call("GetQueueUrl", Input(QueueName: name))
        return output.QueueUrl
    }

    /// `CreateQueue` with attributes (`VisibilityTimeout`, `RedrivePolicy`, …); answers the queue URL. Creating an
    /// existing queue with the same attributes answers its URL.
    public func createQueue(name: String, attributes: [String: String] = [:]) async throws -> String {
        struct Input: Encodable { let QueueName: String, Attributes: [String: String]? }
        struct Output: Decodable { let QueueUrl: String }
        let output: Output = try await call("CreateQueue", Input(QueueName: name, Attributes: attributes.isEmpty ? nil : attributes))
        return output.QueueUrl
    }

    /// `GetQueueAttributes` (all of them).
    public func queueAttributes(queueURL: String) async throws -> [String: String] {
        struct Input: Encodable { let QueueUrl: String, AttributeNames: [String] }
        struct Output: Decodable { let Attributes: [String: String]? }
        let output: Output = try await call("GetQueueAttributes", Input(QueueUrl: queueURL, AttributeNames: ["All"]))
        return output.Attributes ?? [:]
    }

    // MARK: Protocol

    struct MessageAttribute: Codable, Hashable {
        let DataType: String
        let StringValue: String?
    }

    struct Empty: Decodable {}

    struct BatchOutput: Decodable {
        struct Success: Decodable { let Id: String }
        struct Failure: Decodable { let Id: String, Code: String, Message: String?, SenderFault: Bool? }
        let Successful: [Success]?
        let Failed: [Failure]?

        var result: BatchResult {
            BatchResult(successful: (Successful ?? []).map(\.Id),
                        failed: Dictionary((Failed ?? []).map {
                            ($0.Id, SQSError(code: .init(rawValue: $0.Code), status: $0.SenderFault == true ? 400 : 500,
                                             message: $0.Message ?? ""))
                        }, uniquingKeysWith: { first, _ in first }))
        }
    }

    /// One signed JSON 1.0 call.
    func call<Input: Encodable, Output: Decodable>(_ action: String, _ input: Input,
                                                   timeout: TimeAmount? = nil) async throws -> Output {
        let body = Array(try JSONEncoder().encode(input))
        let url = configuration.endpoint
        var headers = [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AmazonSQS.\(action)")]
        headers += signer.sign(method: "POST", url: url, headers: headers, body: body, date: clock())
        var request = HTTPClientRequest(url: url.absoluteString)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let status: Int
        let buffer: ByteBuffer
        let queryError: String?
        do {
            let response = try await http.execute(request, timeout: timeout ?? requestTimeout)
            status = Int(response.status.code)
            queryError = response.headers.first(name: "x-amzn-query-error")
            buffer = try await response.body.collect(upTo: 4 * 1024 * 1024)
        } catch {
            throw SQSError(code: .transport, status: 0, message: "The SQS endpoint could not be reached.")
        }
        let bytes = Array(buffer.readableBytesView)
        guard (200..<300).contains(status) else {
            throw SQSError.parse(status: status, body: bytes, queryError: queryError)
        }
        if Output.self == Empty.self, let empty = Empty() as? Output { return empty }
        do {
            return try JSONDecoder().decode(Output.self, from: Data(bytes.isEmpty ? Array("{}".utf8) : bytes))
        } catch {
            throw SQSError(code: .transport, status: status, message: "The SQS answer to \(action) was not the expected JSON.")
        }
    }
}
