import Foundation
import Synchronization

/// A token bucket per client: `rate` requests a second on average, bursts of up to `burst`. A request that finds the
/// bucket empty is answered 429 with `Retry-After`, the whole seconds until a token is back.
///
/// Buckets live in memory, per process: with several service processes the limit is per process. A bucket left
/// full for a minute is forgotten, so the table holds only the clients seen lately.
final class RateLimiter: Sendable {
    let rate: Double
    let burst: Double

    private struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    private let buckets = Mutex<(table: [String: Bucket], swept: ContinuousClock.Instant)>(([:], .now))

    /// `rate` requests a second per client, bursts of `burst`.
    init(rate: Double, burst: Int) {
        self.rate = rate
        self.burst = Double(max(1, burst))
    }

    /// Takes a token for `client` at `now`; answers nil when allowed, else the seconds to wait.
    func take(_ client: String, now: ContinuousClock.Instant = .now) -> Int? {
        buckets.withLock { state in
            if now - state.swept > .seconds(60) {
                state.table = state.table.filter { _, bucket in
                    bucket.tokens + self.refill(since: bucket.updated, now: now) < self.burst
                }
                state.swept = now
            }
            var bucket = state.table[client] ?? Bucket(tokens: burst, updated: now)
            bucket.tokens = min(burst, bucket.tokens + refill(since: bucket.updated, now: now))
            bucket.updated = now
            defer { state.table[client] = bucket }
            guard bucket.tokens >= 1 else {
                return max(1, Int(((1 - bucket.tokens) / rate).rounded(.up)))
            }
            bucket.tokens -= 1
            return nil
        }
    }

    private func refill(since then: ContinuousClock.Instant, now: ContinuousClock.Instant) -> Double {
        let elapsed = now - then
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return max(0, seconds) * rate
    }
}
