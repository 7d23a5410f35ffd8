import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import ServiceLifecycle
import SQS

/// The worker: claims due outbox jobs and runs them. Registrations retry with backoff up to
/// `BOLETO_REGISTER_MAX_ATTEMPTS` and then go to the dead-letter table; webhooks retry until they succeed. A job is
/// deleted only after its effect is durable, so a crash at any point means the job runs again, never that it is
/// lost. SQS notifications are not claimed until an SQS client is configured: they wait in the outbox, counted in
/// `/metrics` (`boleto_outbox_jobs{kind="sqs"}`) and in `/health/ready`. Beside it runs the ``Reconciler``, which
/// asks banks about registered boletos (`reconcile` jobs) at each bank's pace.
public struct OutboxWorker: Service {
    let service: BoletoService
    let httpClient: HTTPClient
    /// With `BOLETO_QUEUE=sqs`, owners' `queue_url` notifications are sent through it.
    let sqs: SQSClient?
    /// With `BOLETO_QUEUE=sqs`, register jobs are relayed to this queue instead of run here.
    let registrations: RegistrationQueue?
    let logger: Logger

    var store: any BoletoStore { service.store }
    var settings: ServiceSettings { service.settings }

    public func run() async throws {
        logger.info("worker started", metadata: ["concurrency": .stringConvertible(settings.workerConcurrency)])
        if sqs == nil, let waiting = try? await store.pendingJobCounts()[.sqs], waiting > 0 {
            logger.warning("queue_url notifications are waiting because SQS is not configured",
                           metadata: ["count": .stringConvertible(waiting)])
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { await Reconciler(service: service, logger: logger).run() }
            group.addTask {
                var lastPurge = ContinuousClock.now - .seconds(3600)
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    if ContinuousClock.now - lastPurge > .seconds(600) {
                        lastPurge = ContinuousClock.now
                        let cutoff = Date().addingTimeInterval(-Double(settings.idempotencyTTLHours) * 3600)
                        _ = try? await store.purgeIdempotencyKeys(before: Timestamp.format(cutoff))
                    }
                    let processed = await runOnce()
                    if processed == 0 { try? await Task.sleep(for: settings.workerPollInterval) }
                }
            }
        }
        logger.info("worker stopped")
    }

    /// Claims and runs one batch of due jobs; answers how many ran.
    @discardableResult
    func runOnce() async -> Int {
        let now = Date()
        let jobs: [OutboxJob]
        do {
            jobs = try await store.claimJobs(
                kinds: sqs == nil ? [.register, .webhook, .cancel, .alter] : [.register, .webhook, .sqs, .cancel, .alter], now: Timestamp.format(now),
                leaseUntil: Timestamp.format(now.addingTimeInterval(Double(settings.jobLease.milliseconds) / 1000)),
                limit: settings.workerConcurrency)
        } catch {
            logger.error("could not claim jobs", metadata: ["error": .string(String(describing: type(of: error)))])
            return 0
        }
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask { await runJob(job) }
            }
        }
        return jobs.count
    }

    /// Runs one claimed job.
    func runJob(_ job: OutboxJob) async {
        do {
            switch job.kind {
            case .register:
                if let registrations {
                    try await relay(job, to: registrations)
                } else {
                    try await service.register(job: job, attempt: job.attempts + 1, deadline: settings.providerTimeout)
                }
            case .webhook:
                try await deliverWebhook(job)
            case .sqs:
                try await deliverQueueMessage(job)
            case .cancel:
                try await service.cancel(job: job)
            case .reconcile:
                try await service.reconcile(job: job)
            case .alter:
                try await service.alter(job: job)
            }
        } catch {
            logger.error("job failed", metadata: ["job_id": .string(job.id), "kind": .string(job.kind.rawValue),
                                                  "error": .string(String(describing: type(of: error)))])
            let next = Date().addingTimeInterval(Double(service.backoff.delay(afterAttempt: job.attempts + 1).milliseconds) / 1000)
            try? await store.rescheduleJob(id: job.id, attempts: job.attempts + 1, availableAt: Timestamp.format(next),
                                           lastError: "internal error")
        }
    }

    /// The outbox relay: moves a committed register job to the SQS registration queue, then deletes the row. A
    /// crash between the two sends it again after the lease, which the consumer tolerates (it skips boletos that
    /// are no longer waiting). Any number of relays can run: claims skip rows another one holds.
    private func relay(_ job: OutboxJob, to queue: RegistrationQueue) async throws {
        do {
            let body = RegistrationQueue.Body(boletoID: job.boletoID, jobID: job.id, attempts: job.attempts)
            try await queue.sqs.sendMessage(queueURL: try await queue.url(), body: body.text)
            try await store.completeJob(id: job.id)
        } catch let error as SQSError {
            let next = Date().addingTimeInterval(Double(service.backoff.delay(afterAttempt: 1).milliseconds) / 1000)
            try await store.rescheduleJob(id: job.id, attempts: job.attempts, availableAt: Timestamp.format(next),
                                          lastError: "relay: SQS \(error.code)")
            logger.notice("relay to SQS failed; the job stays in the outbox", metadata: ["boleto_id": .string(job.boletoID)])
        }
    }

    /// Sends an owner's notification to its `queue_url`. The job is deleted only after SQS accepted the message;
    /// any failure (the queue missing, SQS unreachable) reschedules it with backoff, without limit.
    private func deliverQueueMessage(_ job: OutboxJob) async throws {
        guard let sqs else { return }
        do {
            try await sqs.sendMessage(queueURL: job.target, body: job.payload,
                                      attributes: ["event_id": job.eventID ?? job.id, "boleto_id": job.boletoID])
            service.metrics.queueNotification(result: "delivered")
            try await store.completeJob(id: job.id)
        } catch let error as SQSError {
            service.metrics.queueNotification(result: "failed")
            let attempts = job.attempts + 1
            let next = Date().addingTimeInterval(Double(service.backoff.delay(afterAttempt: attempts).milliseconds) / 1000)
            try await store.rescheduleJob(id: job.id, attempts: attempts, availableAt: Timestamp.format(next),
                                          lastError: "SQS \(error.code) (HTTP \(error.status))")
            logger.notice("queue notification failed", metadata: ["boleto_id": .string(job.boletoID), "code": .string(error.code.rawValue),
                                                                  "attempt": .stringConvertible(attempts)])
        }
    }

    private func deliverWebhook(_ job: OutboxJob) async throws {
        guard let boleto = try await store.boleto(id: job.boletoID, clientID: nil),
              let client = try await store.client(id: boleto.clientID) else {
            try await store.completeJob(id: job.id)
            return
        }
        var request = HTTPClientRequest(url: job.target)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "BoletoKit-ReferenceService/\(ReferenceService.apiVersion)")
        request.headers.add(name: "X-Boleto-Event-Id", value: job.eventID ?? job.id)
        request.headers.add(name: WebhookSignature.header,
                            value: WebhookSignature.sign(body: job.payload, secret: client.webhookSecret,
                                                         timestamp: Int(Date().timeIntervalSince1970)))
        request.body = .bytes(ByteBuffer(string: job.payload))
        var failure: String?
        do {
            // Checked again at delivery: the URL, then every address its host resolves to (OutboundPolicy), and the
            // connection goes to the checked address.
            let target = try await service.targets.target(forWebhook: job.target, resolver: settings.hostResolver)
            let status = try await PinnedDelivery.send(request, to: target, shared: httpClient, timeout: settings.webhookTimeout)
            if !(200..<300).contains(status) { failure = "The receiver answered HTTP \(status)." }
        } catch let refusal as OutboundPolicy.Refusal {
            failure = refusal.description
        } catch {
            failure = "The receiver could not be reached."
        }
        if let failure {
            service.metrics.webhookDelivery(result: "failed")
            let attempts = job.attempts + 1
            let next = Date().addingTimeInterval(Double(service.backoff.delay(afterAttempt: attempts).milliseconds) / 1000)
            try await store.rescheduleJob(id: job.id, attempts: attempts, availableAt: Timestamp.format(next), lastError: failure)
            logger.notice("webhook delivery failed", metadata: ["boleto_id": .string(job.boletoID), "attempt": .stringConvertible(attempts)])
        } else {
            service.metrics.webhookDelivery(result: "delivered")
            try await store.completeJob(id: job.id)
            logger.info("webhook delivered", metadata: ["boleto_id": .string(job.boletoID)])
        }
    }
}

/// The lifecycle logs its services by description: a worker names itself, never its settings (which hold secrets).
extension OutboxWorker: CustomStringConvertible {
    public var description: String { "OutboxWorker" }
}
