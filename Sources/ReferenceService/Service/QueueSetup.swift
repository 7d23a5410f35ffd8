import SQS

/// Creates the registration queue and its dead-letter queue.
public enum QueueSetup {
    /// Creates `<name>-dlq`, then `name` with a RedrivePolicy that moves a message there after
    /// `maxReceiveCount` deliveries. Answers both URLs; existing queues with the same attributes are reused.
    public static func create(client: SQSClient, name: String, maxReceiveCount: Int,
                              visibilityTimeoutSeconds: Int) async throws -> (queue: String, deadLetter: String) {
        let deadLetter = try await client.createQueue(name: name + "-dlq", attributes: ["MessageRetentionPeriod": "1209600"])
        guard let arn = try await client.queueAttributes(queueURL: deadLetter)["QueueArn"] else {
            throw SQSError(code: .invalidParameterValue, status: 0, message: "The dead-letter queue has no ARN.")
        }
        let queue = try await client.createQueue(name: name, attributes: [
            "VisibilityTimeout": String(visibilityTimeoutSeconds),
            "RedrivePolicy": #"{"deadLetterTargetArn":"\#(arn)","maxReceiveCount":"\#(maxReceiveCount)"}"#,
        ])
        return (queue, deadLetter)
    }
}
