import CoreMetrics
import Foundation
import Metrics
import Prometheus

/// The service's metrics, recorded through swift-metrics into this instance's own Prometheus registry (so two
/// services in one process, as in the tests, never mix their figures). Labels never carry personal data: routes
/// are templates (`/boletos/:id`), never paths.
public final class ServiceMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private let factory: PrometheusMetricsFactory
    /// Handlers already made, by label and dimensions: making one goes through the registry (name checks, a lock,
    /// string building), which perf showed costing more than the rest of a read.
    private let handlers = HandlerCache()

    /// An empty registry.
    public init() {
        var factory = PrometheusMetricsFactory(registry: registry)
        factory.defaultDurationHistogramBuckets = [
            .milliseconds(5), .milliseconds(25), .milliseconds(100), .milliseconds(250), .milliseconds(500),
            .seconds(1), .seconds(2), .seconds(5), .seconds(10), .seconds(30),
        ]
        self.factory = factory
    }

    func request(method: String, route: String, status: Int, duration: Duration) {
        counter("boleto_http_requests_total", [("method", method), ("route", route), ("status", String(status))]).increment()
        timer("boleto_http_request_duration_seconds", [("route", route)]).recordNanoseconds(duration.nanoseconds)
    }

    func boletoCreated(issuer: String) {
        counter("boleto_boletos_created_total", [("issuer", issuer)]).increment()
    }

    func registrationAttempt(issuer: String, outcome: String, duration: Duration) {
        counter("boleto_registration_attempts_total", [("issuer", issuer), ("outcome", outcome)]).increment()
        timer("boleto_registration_duration_seconds", [("issuer", issuer)])
            .recordNanoseconds(duration.nanoseconds)
    }

    func statusChanged(to status: BoletoStatus) {
        counter("boleto_status_changes_total", [("status", status.rawValue)]).increment()
    }

    /// A change of a registered boleto: `requested`, then `changed` or `refused` when the bank answers.
    func change(issuer: String, result: String) {
        counter("boleto_changes_total", [("issuer", issuer), ("result", result)]).increment()
    }

    func deadLettered(kind: JobKind) {
        counter("boleto_jobs_dead_lettered_total", [("kind", kind.rawValue)]).increment()
    }

    func webhookDelivery(result: String) {
        counter("boleto_webhook_deliveries_total", [("result", result)]).increment()
    }

    /// A query of a bank about one boleto (the reconciler's or a notification's).
    func bankQuery(issuer: String, source: String, outcome: String) {
        counter("boleto_bank_queries_total", [("issuer", issuer), ("source", source), ("outcome", outcome)]).increment()
    }

    /// A notification from a bank: `accepted`, or `rejected` (a wrong secret, or a bank with none configured).
    func bankNotification(bank: String, result: String) {
        counter("boleto_bank_notifications_total", [("bank", bank), ("result", result)]).increment()
    }

    func queueNotification(result: String) {
        counter("boleto_queue_notifications_total", [("result", result)]).increment()
    }

    /// Gauges read from the store at scrape time.
    func backlog(pending: [JobKind: Int], dead: [JobKind: Int]) {
        for kind in JobKind.allCases {
            Gauge(label: "boleto_outbox_jobs", dimensions: [("kind", kind.rawValue)], factory: factory)
                .record(Double(pending[kind] ?? 0))
            Gauge(label: "boleto_dead_letter_jobs", dimensions: [("kind", kind.rawValue)], factory: factory)
                .record(Double(dead[kind] ?? 0))
        }
    }

    /// The Prometheus text exposition of every metric.
    func exposition() -> String { registry.emitToString() }

    private func counter(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Counter {
        handlers.handler(HandlerCache.key(label, dimensions)) { CoreMetrics.Counter(label: label, dimensions: dimensions, factory: factory) }
    }

    private func timer(_ label: String, _ dimensions: [(String, String)]) -> CoreMetrics.Timer {
        handlers.handler(HandlerCache.key(label, dimensions)) { CoreMetrics.Timer(label: label, dimensions: dimensions, factory: factory) }
    }
}

/// Counters and timers by label and dimensions. Labels are fixed and dimensions are bounded (route templates,
/// statuses, issuers), so the cache stays small. Counters and timers share one table: their labels differ.
private final class HandlerCache: @unchecked Sendable {
    private let lock = NSLock()
    private var handlers: [String: AnyObject] = [:]

    static func key(_ label: String, _ dimensions: [(String, String)]) -> String {
        var key = label
        for (name, value) in dimensions {
            key += "\u{0}"
            key += name
            key += "="
            key += value
        }
        return key
    }

    /// The handler cached under `key`, or the one `make` makes (then cached).
    func handler<Handler: AnyObject>(_ key: String, make: () -> Handler) -> Handler {
        lock.withLock {
            if let handler = handlers[key] as? Handler { return handler }
            let handler = make()
            handlers[key] = handler
            return handler
        }
    }
}

extension Duration {
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
