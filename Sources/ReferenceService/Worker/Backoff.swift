/// Exponential backoff with jitter: attempt n waits between half and all of `base · 2^(n-1)`, capped at `max`.
struct Backoff: Sendable {
    var base: Duration
    var max: Duration

    func delay(afterAttempt attempt: Int) -> Duration {
        let baseMs = Double(base.components.seconds) * 1000 + Double(base.components.attoseconds) / 1e15
        let maxMs = Double(max.components.seconds) * 1000 + Double(max.components.attoseconds) / 1e15
        let exponential = Swift.min(maxMs, baseMs * pow2(Swift.max(0, attempt - 1)))
        let jittered = Double.random(in: (exponential / 2)...Swift.max(exponential / 2, exponential))
        return .milliseconds(Int64(jittered.rounded()))
    }

    private func pow2(_ exponent: Int) -> Double {
        exponent >= 60 ? Double.greatestFiniteMagnitude : Double(UInt64(1) << UInt64(exponent))
    }
}

extension Duration {
    /// The duration in whole milliseconds.
    var milliseconds: Int64 { components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000 }
}
