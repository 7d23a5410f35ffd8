import BoletoJSON
import Foundation
import Logging
import ServiceLifecycle
import SQS

/// The SQS worker: long-polls the registration queue and registers each boleto.
///
/// - A message whose boleto is no longer `issued`/`pending_registration` (or is gone) is acknowledged and does
///   nothing, so duplicates from the relay are harmless.
/// - While the bank call runs, a heartbeat extends the message's visibility.
/// - A transient failure with attempts left changes the visibility to the backoff delay instead of deleting, so
///   SQS delivers the message again later.
/// - The status change and the owner's notifications are committed (through the outbox) **before** the message is
///   deleted.
/// - A body that is not ours, or an attempt that failed inside the service (the database down), is left alone: SQS
///   redelivers it, and the queue's RedrivePolicy moves a poison message to the DLQ.
public struct RegistrationConsumer: Service {
    let service: BoletoService
    let queue: RegistrationQueue
    let logger: Logger

    var settings: ServiceSettings { service.settings }

    public func run() async throws {
        logger.info("registration consumer started", metadata: ["queue": .string(queue.name)])
        await checkRedrivePolicy()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            do {
                let url = try await queue.url()
                let messages = try await queue.sqs.receiveMessages(
                    queueURL: url, maxMessages: min(10, settings.workerConcurrency), waitSeconds: settings.sqsWaitSeconds,
                    visibilityTimeout: settings.sqsVisibilitySeconds)
                await withTaskGroup(of: Void.self) { group in
                    for message in messages { group.addTask { await handle(message, queueURL: url) } }
                }
            } catch {
                logger.warning("registration queue unavailable", metadata: ["error": .string(Self.describe(error))])
                try? await Task.sleep(for: settings.workerPollInterval * 4)
            }
        }
        logger.info("registration consumer stopped")
    }

    /// Retries count the message's receives, so a RedrivePolicy whose `maxReceiveCount` is below
    /// `BOLETO_REGISTER_MAX_ATTEMPTS` sends a boleto that is still being retried to the SQS DLQ, away from the
    /// service's own dead letters. Says so at start.
    func checkRedrivePolicy() async {
        guard let url = try? await queue.url(), let attributes = try? await queue.sqs.queueAttributes(queueURL: url) else { return }
        let policy = attributes["RedrivePolicy"].flatMap { try? JSON.parse($0) }
        let count: Int? = switch policy?["maxReceiveCount"] {
        case .int(let value)?: Int(value)
        case .string(let text)?: Int(text)
        default: nil
        }
        guard let count, count < settings.registerMaxAttempts else { return }
        logger.warning("the registration queue's maxReceiveCount is below BOLETO_REGISTER_MAX_ATTEMPTS; retried boletos will reach the SQS DLQ",
                       metadata: ["max_receive_count": .stringConvertible(count),
                                  "register_max_attempts": .stringConvertible(settings.registerMaxAttempts)])
    }

    func handle(_ message: SQSClient.Message, queueURL: String) async {
        guard let body = RegistrationQueue.Body(text: message.body) else {
            logger.error("poison registration message left for the DLQ", metadata: ["message_id": .string(message.id),
                                                                                 "receives": .stringConvertible(message.receiveCount)])
            return
        }
        let sqs = queue.sqs, visibility = settings.sqsVisibilitySeconds
        let heartbeat = Task {
            while !Task.isCancelled {
                try await Task.sleep(for: .seconds(max(1, visibility / 2)))
                try await sqs.changeMessageVisibility(queueURL: queueURL, receiptHandle: message.receiptHandle, timeoutSeconds: visibility)
            }
        }
        defer { heartbeat.cancel() }
        var job = OutboxJob(kind: .register, boletoID: body.boletoID)
        job.id = body.jobID
        let attempt = body.attempts + max(1, message.receiveCount)
        do {
            // A message SQS delivers again after its job ran out of attempts (the delete came too late) is done.
            if try await service.store.deadLetter(id: body.jobID) != nil {
                heartbeat.cancel()
                try await sqs.deleteMessage(queueURL: queueURL, receiptHandle: message.receiptHandle)
                return
            }
            let result = try await service.register(job: job, attempt: attempt, deadline: settings.providerTimeout, reschedule: false)
            heartbeat.cancel()
            if result.retry {
                let delay = min(43_200, max(1, Int(service.backoff.delay(afterAttempt: attempt).milliseconds / 1000)))
                try await sqs.changeMessageVisibility(queueURL: queueURL, receiptHandle: message.receiptHandle, timeoutSeconds: delay)
            } else {
                try await sqs.deleteMessage(queueURL: queueURL, receiptHandle: message.receiptHandle)
            }
        } catch {
            // Left as it is: visible again after its visibility timeout, and to the DLQ if it keeps failing.
            logger.error("registration message failed; SQS will redeliver it", metadata: [
                "boleto_id": .string(body.boletoID), "error": .string(Self.describe(error))])
        }
    }

    static func describe(_ error: any Error) -> String {
        (error as? SQSError).map { "SQS \($0.code)" } ?? String(describing: type(of: error))
    }
}

/// The lifecycle logs its services by description: the consumer names itself, never its settings (which hold secrets).
extension RegistrationConsumer: CustomStringConvertible {
    public var description: String { "RegistrationConsumer" }
}
