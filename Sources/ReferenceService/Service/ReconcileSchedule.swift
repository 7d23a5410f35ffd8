import BoletoKit
import Foundation

/// When the reconciler asks a bank about a `registered` boleto, and how often it may ask one bank.
///
/// Payments cluster around the due date, so the reconciler asks rarely while the due date is far, often from the day
/// before it until ``nearDays`` after it (when most boletos are paid and the bank's report of a payment arrives), and
/// once a day after that, until ``horizonDays`` after the due date, when it stops (a `reconciliation_stopped`
/// event). A notification from the bank brings the next query forward at any time, horizon or not.
///
/// ```
/// ──── early ────┤ due − 1 day ── near ── due + nearDays ├──── late ──── due + horizonDays ┤ stop
/// ```
///
/// Days are São Paulo calendar days (UTC−3), the calendar boletos are due in.
public struct ReconcileSchedule: Sendable, Hashable {
    /// `BOLETO_RECONCILE_EARLY_MINUTES`: the interval while the due date is more than a day away. Default 1440.
    public var early: Duration = .seconds(86_400)
    /// `BOLETO_RECONCILE_NEAR_MINUTES`: the interval from the day before the due date until ``nearDays`` after it.
    /// Default 180.
    public var near: Duration = .seconds(3 * 3600)
    /// `BOLETO_RECONCILE_LATE_MINUTES`: the interval after the near window, until the horizon. Default 1440.
    public var late: Duration = .seconds(86_400)
    /// How many days after the due date the near window lasts. 3: a payment on the due date is reported by the
    /// bank within two business days.
    public var nearDays = 3
    /// `BOLETO_RECONCILE_HORIZON_DAYS`: the days after the due date after which the reconciler stops asking.
    /// Default 60.
    public var horizonDays = 60
    /// `BOLETO_RECONCILE_PER_MINUTE`: the most queries the reconciler sends one bank (issuer) in a minute, spaced
    /// evenly, in each worker process. Default 30.
    public var perMinute = 30
    /// `BOLETO_RECONCILE_POLL_MS`: how often an idle reconciler looks for due `reconcile` jobs (a notification's query
    /// waits at most this long to start). Default 1000.
    public var poll: Duration = .milliseconds(1000)

    /// The defaults.
    public init() {}

    /// The time between two queries of one bank.
    public var spacing: Duration { .milliseconds(60_000 / max(1, perMinute)) }

    /// When to ask next about a boleto due on `dueDate`, asked (or armed) at `now`; nil once the horizon has passed.
    public func next(after now: Date, dueDate: CalendarDate) -> Date? {
        let dueStart = Self.startOfDay(dueDate)
        let nearFrom = dueStart.addingTimeInterval(-86_400)
        let nearUntil = dueStart.addingTimeInterval(Double(nearDays + 1) * 86_400)
        let horizon = dueStart.addingTimeInterval(Double(horizonDays + 1) * 86_400)
        guard now < horizon else { return nil }
        let interval = now < nearFrom ? early : now < nearUntil ? near : late
        var next = now.addingTimeInterval(Double(interval.milliseconds) / 1000)
        // Never step over the start of the near window, nor past the horizon (one last query there).
        if now < nearFrom, next > nearFrom { next = nearFrom }
        return min(next, horizon)
    }

    /// Midnight of `date` in São Paulo (UTC−3; Brazil has no daylight saving time since 2019).
    static func startOfDay(_ date: CalendarDate) -> Date {
        Date(timeIntervalSince1970: Double(date.daysSinceUnixEpoch) * 86_400 + 3 * 3600)
    }
}
