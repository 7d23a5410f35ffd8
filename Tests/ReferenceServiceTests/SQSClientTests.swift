import AsyncHTTPClient
import Foundation
import Testing
@testable import SQS

/// Published AWS SigV4 test-suite requests (`get-vanilla`, `post-vanilla`, `get-vanilla-query-order-key-case`,
/// `post-x-www-form-urlencoded`): credentials `AKIDEXAMPLE`, region us-east-1, service `service`, 2015-08-30
/// 12:36:00 UTC. The expected signatures are the suite's, and botocore computes the same.
@Suite("SigV4 signer")
struct SigV4SignerTests {
    static let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
    static let date = Date(timeIntervalSince1970: 1_440_938_160)
    let signer = SigV4Signer(credentials: credentials, region: "us-east-1", service: "service")

    private func authorization(_ method: String, _ url: String, headers: [(String, String)] = [], body: String = "") -> String? {
        signer.sign(method: method, url: URL(string: url)!, headers: headers, body: Array(body.utf8), date: Self.date)
            .first { $0.0 == "Authorization" }?.1
    }

    @Test("the AWS test suite's vectors")
    func suite() {
        let prefix = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
        #expect(authorization("GET", "https://example.amazonaws.com/")
                == prefix + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")
        #expect(authorization("POST", "https://example.amazonaws.com/")
                == prefix + "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")
        #expect(authorization("GET", "https://example.amazonaws.com/?Param2=value2&Param1=value1")
                == prefix + "SignedHeaders=host;x-amz-date, Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")
        #expect(authorization("POST", "https://example.amazonaws.com/", headers: [("Content-Type", "application/x-www-form-urlencoded")],
                              body: "Param1=value1")
                == prefix + "SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a")
        let headers = signer.sign(method: "GET", url: URL(string: "https://example.amazonaws.com/")!, headers: [], body: [], date: Self.date)
        #expect(headers.first { $0.0 == "X-Amz-Date" }?.1 == "20150830T123600Z")
    }

    @Test("the signing key of AWS's documented example (iam, 20150830)")
    func signingKey() {
        let key = SigV4Signer(credentials: Self.credentials, region: "us-east-1", service: "iam").signingKey(day: "20150830")
        let hex = key.withUnsafeBytes { $0.map { String(format: "%02x", $0) }.joined() }
        #expect(hex == "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9")
    }

    @Test("botocore computes the same header for an SQS request with a port, a session token and a JSON body")
    func botocore() throws {
        let body = #"{"QueueUrl":"http://127.0.0.1:9324/123456789012/boletos","MessageBody":"{\"boleto_id\":\"bol_1\"}"}"#
        let credentials = AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "secret/with+chars", sessionToken: "token==")
        let signer = SigV4Signer(credentials: credentials, region: "sa-east-1", service: "sqs")
        let url = "http://127.0.0.1:9324/"
        let headers = [("Content-Type", "application/x-amz-json-1.0"), ("X-Amz-Target", "AmazonSQS.SendMessage")]
        let ours = signer.sign(method: "POST", url: URL(string: url)!, headers: headers, body: Array(body.utf8), date: Self.date)
        let spec: [String: Any] = ["method": "POST", "url": url, "headers": Dictionary(uniqueKeysWithValues: headers), "body": body,
                                   "service": "sqs", "region": "sa-east-1", "access": "AKIDEXAMPLE", "secret": "secret/with+chars",
                                   "token": "token==", "time": "20150830T123600Z"]
        let theirs = try Botocore.authorization(spec)
        #expect(ours.first { $0.0 == "Authorization" }?.1 == theirs)
    }
}

/// Runs botocore's SigV4Auth (installed with moto) on a request, as an offline oracle.
enum Botocore {
    static let script = #"""
    import sys, json, datetime
    from unittest import mock
    from botocore.auth import SigV4Auth
    from botocore.awsrequest import AWSRequest
    from botocore.credentials import Credentials
    spec = json.loads(sys.argv[1])
    t = datetime.datetime.strptime(spec["time"], "%Y%m%dT%H%M%SZ")
    class Fixed(datetime.datetime):
        @classmethod
        def utcnow(cls): return t
        @classmethod
        def now(cls, tz=None): return t.replace(tzinfo=tz)
    request = AWSRequest(method=spec["method"], url=spec["url"], headers=spec.get("headers", {}), data=spec.get("body", "").encode())
    with mock.patch("botocore.auth.datetime.datetime", Fixed):
        SigV4Auth(Credentials(spec["access"], spec["secret"], spec.get("token")), spec["service"], spec["region"]).add_auth(request)
    print(request.headers["Authorization"])
    """#

    struct Unavailable: Error, CustomStringConvertible {
        let description: String
    }

    static func authorization(_ spec: [String: Any]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script, String(decoding: try JSONSerialization.data(withJSONObject: spec), as: UTF8.self)]
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Unavailable(description: "botocore (from moto's install) is needed for this test: \(errors.suffix(300))")
        }
        return text.trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// The SQS client against the local SQS-compatible server the test command starts (moto).
@Suite("SQS client against moto", .enabled(if: SQSServer.shouldRun))
struct SQSClientTests {
    @Test("create a queue with a DLQ, send, long-poll receive, change visibility, delete, batch, typed errors")
    func roundTrip() async throws {
        let client = try SQSServer.client()
        let name = "test-\(UUID().uuidString.prefix(8).lowercased())"
        let dlq = try await client.createQueue(name: name + "-dlq")
        let dlqARN = try #require(try await client.queueAttributes(queueURL: dlq)["QueueArn"])
        let queue = try await client.createQueue(name: name, attributes: [
            "VisibilityTimeout": "30",
            "RedrivePolicy": #"{"deadLetterTargetArn":"\#(dlqARN)","maxReceiveCount":"2"}"#,
        ])
        #expect(try await client.getQueueURL(name: name) == queue)
        #expect(try await client.createQueue(name: name, attributes: [
            "VisibilityTimeout": "30", "RedrivePolicy": #"{"deadLetterTargetArn":"\#(dlqARN)","maxReceiveCount":"2"}"#,
        ]) == queue)

        let id = try await client.sendMessage(queueURL: queue, body: #"{"boleto_id":"bol_1"}"#, attributes: ["kind": "register"])
        #expect(!id.isEmpty)
        let received = try await client.receiveMessages(queueURL: queue, maxMessages: 10, waitSeconds: 1, visibilityTimeout: 30)
        #expect(received.count == 1)
        let message = try #require(received.first)
        #expect(message.body == #"{"boleto_id":"bol_1"}"#)
        #expect(message.id == id)
        #expect(message.receiveCount == 1)
        #expect(message.messageAttributes["kind"] == "register")
        // Hidden while its visibility lasts; back at once after ChangeMessageVisibility(0).
        #expect(try await client.receiveMessages(queueURL: queue, waitSeconds: 0).isEmpty)
        try await client.changeMessageVisibility(queueURL: queue, receiptHandle: message.receiptHandle, timeoutSeconds: 0)
        let again = try await client.receiveMessages(queueURL: queue, waitSeconds: 1, visibilityTimeout: 30)
        #expect(again.first?.receiveCount == 2)
        try await client.deleteMessage(queueURL: queue, receiptHandle: try #require(again.first?.receiptHandle))
        #expect(try await client.receiveMessages(queueURL: queue, waitSeconds: 0).isEmpty)

        let batch = try await client.sendMessageBatch(queueURL: queue, entries: (1...3).map { .init(id: "m\($0)", body: "body-\($0)") })
        #expect(Set(batch.successful) == ["m1", "m2", "m3"])
        #expect(batch.failed.isEmpty)
        var bodies: [SQSClient.Message] = []
        for _ in 0..<5 where bodies.count < 3 {
            bodies += try await client.receiveMessages(queueURL: queue, maxMessages: 10, waitSeconds: 1, visibilityTimeout: 30)
        }
        #expect(Set(bodies.map(\.body)) == ["body-1", "body-2", "body-3"])
        let deleted = try await client.deleteMessageBatch(queueURL: queue, entries: bodies.enumerated().map { ("d\($0.offset)", $0.element.receiptHandle) })
        #expect(deleted.successful.count == 3)

        await #expect(throws: SQSError.self) { try await client.getQueueURL(name: name + "-missing") }
        do {
            _ = try await client.getQueueURL(name: name + "-missing")
        } catch let error as SQSError {
            #expect(error.code == .queueDoesNotExist)
            #expect(error.status == 400)
            #expect(!error.isRetryable)
        }
    }

    @Test("an unreachable endpoint is a retryable transport error")
    func unreachable() async throws {
        let configuration = AWSConfiguration(region: "us-east-1", credentials: .init(accessKeyID: "test", secretAccessKey: "test"),
                                             endpoint: URL(string: "http://127.0.0.1:9")!)
        let client = SQSClient(configuration: configuration, httpClient: HTTPClient.shared, requestTimeout: .seconds(2))
        do {
            _ = try await client.getQueueURL(name: "x")
            Issue.record("no error")
        } catch let error as SQSError {
            #expect(error.code == .transport)
            #expect(error.isRetryable)
        }
    }

    @Test("configuration from the standard AWS environment variables")
    func environment() throws {
        let configuration = try AWSConfiguration.fromEnvironment([
            "AWS_REGION": "sa-east-1", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b", "AWS_SESSION_TOKEN": "c",
        ])
        #expect(configuration.endpoint.absoluteString == "https://sqs.sa-east-1.amazonaws.com")
        #expect(configuration.credentials.sessionToken == "c")
        let local = try AWSConfiguration.fromEnvironment([
            "AWS_DEFAULT_REGION": "us-east-1", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b",
            "AWS_ENDPOINT_URL_SQS": "http://127.0.0.1:9324",
        ])
        #expect(local.endpoint.absoluteString == "http://127.0.0.1:9324")
        #expect(throws: AWSConfiguration.Missing.self) { try AWSConfiguration.fromEnvironment(["AWS_REGION": "x"]) }
        #expect(throws: AWSConfiguration.Missing.self) {
            try AWSConfiguration.fromEnvironment(["AWS_REGION": "x", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "b",
                                                  "AWS_ENDPOINT_URL_SQS": "ftp://h"])
        }
    }
}

/// The local SQS server of the test command: `BOLETO_TEST_SQS_ENDPOINT`. Under CI its absence is a failure,
/// never a skip.
enum SQSServer {
    static var endpoint: String? { ProcessInfo.processInfo.environment["BOLETO_TEST_SQS_ENDPOINT"] }
    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }
    static var shouldRun: Bool { endpoint != nil || isCI }

    struct Missing: Error, CustomStringConvertible {
        var description: String { "BOLETO_TEST_SQS_ENDPOINT is not set: run the tests with scripts/test.sh, which starts moto." }
    }

    /// Runs a test's queue set-up, again after a moto 5xx (moto answers 500 now and then when many tests create
    /// queues at once), at most five times.
    static func retrying<T>(_ body: () async throws -> T) async throws -> T {
        for attempt in 1..<5 {
            do { return try await body() } catch let error as SQSError where error.status >= 500 {
                try await Task.sleep(for: .milliseconds(200 * attempt))
            }
        }
        return try await body()
    }

    static func client() throws -> SQSClient {
        guard let endpoint, let url = URL(string: endpoint) else { throw Missing() }
        let configuration = AWSConfiguration(region: "us-east-1", credentials: .init(accessKeyID: "test", secretAccessKey: "test"),
                                             endpoint: url)
        return SQSClient(configuration: configuration, httpClient: HTTPClient.shared)
    }
}
