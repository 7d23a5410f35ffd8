import Foundation
import Logging
import ServiceLifecycle

/// The reconciler: the worker's loop for `reconcile` jobs, beside the loop that registers and notifies, so that a
/// bank's pace (``QueryPacer``) never holds back a registration or a webhook. It claims a few due jobs at a time,
/// few enough that each is asked about well within its lease even when every one waits for its bank's slot, and runs
/// them at once: queries of one bank go out one spacing apart, different banks' in parallel.
struct Reconciler: Sendable {
    let service: BoletoService
    let logger: Logger

    var settings: ServiceSettings { service.settings }

    /// How many jobs one claim takes: at most half the lease's worth of one bank's slots, between 1 and 16.
    var batchSize: Int {
        let slots = Int(settings.jobLease.milliseconds / max(1, settings.reconcile.spacing.milliseconds))
        return max(1, min(16, slots / 2))
    }

    /// Runs until the service shuts down; a batch waiting for its banks' slots is abandoned then (its jobs come
    /// back when their lease ends).
    func run() async {
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                if await runOnce() == 0 { try? await Task.sleep(for: settings.reconcile.poll) }
            }
        }
    }

    /// Claims and runs one batch of due `reconcile` jobs; answers how many ran.
    @discardableResult
    func runOnce() async -> Int {
        let now = Date()
        let jobs: [OutboxJob]
        do {
            jobs = try await service.store.claimJobs(
                kinds: [.reconcile], now: Timestamp.format(now),
                leaseUntil: Timestamp.format(now.addingTimeInterval(Double(settings.jobLease.milliseconds) / 1000)), limit: batchSize)
        } catch {
            logger.error("could not claim reconcile jobs", metadata: ["error": .string(String(describing: type(of: error)))])
            return 0
        }
        await withTaskGroup(of: Void.self) { group in
            for job in jobs {
                group.addTask {
                    do {
                        try await service.reconcile(job: job)
                    } catch {
                        logger.error("reconcile job failed", metadata: ["job_id": .string(job.id),
                                                                         "error": .string(String(describing: type(of: error)))])
                        let next = Date().addingTimeInterval(Double(service.backoff.delay(afterAttempt: 1).milliseconds) / 1000)
                        try? await service.store.rescheduleJob(id: job.id, attempts: max(1, job.attempts), availableAt: Timestamp.format(next),
                                                               lastError: "internal error")
                    }
                }
            }
        }
        return jobs.count
    }
}
