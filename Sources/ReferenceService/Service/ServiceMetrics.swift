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
        let dimensions = [("method", method), ("route", route), ("status", String(status))]
        Counter(label: "boleto_http_requests_total", dimensions: dimensions, factory: factory).increment()
        Timer(label: "boleto_http_request_duration_seconds", dimensions: [("route", route)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    func boletoCreated(issuer: String) {
        Counter(label: "boleto_boletos_created_total", dimensions: [("issuer", issuer)], factory: factory).increment()
    }

    func registrationAttempt(issuer: String, outcome: String, duration: Duration) {
        Counter(label: "boleto_registration_attempts_total", dimensions: [("issuer", issuer), ("outcome", outcome)],
                factory: factory).increment()
        Timer(label: "boleto_registration_duration_seconds", dimensions: [("issuer", issuer)], factory: factory)
            .recordNanoseconds(duration.nanoseconds)
    }

    func statusChanged(to status: BoletoStatus) {
        Counter(label: "boleto_status_changes_total", dimensions: [("status", status.rawValue)], factory: factory).increment()
    }

    func deadLettered(kind: JobKind) {
        Counter(label: "boleto_jobs_dead_lettered_total", dimensions: [("kind", kind.rawValue)], factory: factory).increment()
    }

    func webhookDelivery(result: String) {
        Counter(label: "boleto_webhook_deliveries_total", dimensions: [("result", result)], factory: factory).increment()
    }

    func queueNotification(result: String) {
        Counter(label: "boleto_queue_notifications_total", dimensions: [("result", result)], factory: factory).increment()
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
}

extension Duration {
    var nanoseconds: Int64 { components.seconds * 1_000_000_000 + components.attoseconds / 1_000_000_000 }
}
