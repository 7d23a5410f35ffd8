/// Spaces the reconciler's queries to each bank: one every ``spacing`` per key (the issuer), so that no bank gets
/// more than its `BOLETO_RECONCILE_PER_MINUTE` from this process in any minute. Callers reserve a slot and wait for
/// it; slots are handed out in order, so a burst of due boletos becomes an even stream.
actor QueryPacer {
    let spacing: Duration
    private var nextSlot: [String: ContinuousClock.Instant] = [:]

    init(spacing: Duration) {
        self.spacing = spacing
    }

    /// Reserves `key`'s next free slot: now, or one spacing after the last slot handed out.
    func reserve(_ key: String) -> ContinuousClock.Instant {
        let now = ContinuousClock.now
        let slot = max(now, nextSlot[key] ?? now)
        nextSlot[key] = slot + spacing
        return slot
    }

    /// Waits for `key`'s next slot (throws when cancelled while waiting).
    func wait(_ key: String) async throws {
        let slot = reserve(key)
        if slot > ContinuousClock.now { try await Task.sleep(until: slot, clock: .continuous) }
    }
}
