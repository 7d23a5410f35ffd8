/// A FIFO mutual-exclusion lock for async code: holders may suspend while they hold it.
///
/// The embedded store runs every transaction under one of these, because SQLite serialises writers and an actor
/// alone would interleave two transactions at their suspension points.
final class AsyncLock: Sendable {
    private let state = State()

    private actor State {
        var locked = false
        var waiters: [CheckedContinuation<Void, Never>] = []

        func acquire() async {
            if !locked {
                locked = true
                return
            }
            await withCheckedContinuation { waiters.append($0) }
        }

        func release() {
            if waiters.isEmpty {
                locked = false
            } else {
                waiters.removeFirst().resume()
            }
        }
    }

    /// Runs `body` while holding the lock.
    func withLock<T: Sendable>(_ body: () async throws -> T) async throws -> T {
        await state.acquire()
        do {
            let result = try await body()
            await state.release()
            return result
        } catch {
            await state.release()
            throw error
        }
    }
}
