/// Runs `operation`, giving up after `limit`. Answers `nil` when the limit passed first; the operation is then
/// cancelled (cooperatively: an adapter that ignores cancellation still finishes in the background of this call).
func withDeadline<T: Sendable>(_ limit: Duration, _ operation: @escaping @Sendable () async -> T) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask { await operation() }
        group.addTask {
            try? await Task.sleep(for: limit)
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
}
