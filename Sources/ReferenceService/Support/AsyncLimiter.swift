import Foundation

/// At most `limit` holders at a time; the others wait in arrival order. A waiter whose task is cancelled leaves the
/// line with `CancellationError`.
final class AsyncLimiter: @unchecked Sendable {
    private let lock = NSLock()
    private var available: Int
    private var waiters: [(id: UInt64, continuation: CheckedContinuation<Void, any Error>)] = []
    private var nextID: UInt64 = 0

    /// A limiter of `limit` holders (at least 1).
    init(limit: Int) {
        available = max(1, limit)
    }

    /// Waits for a place. Every successful `acquire` must be followed by one ``release()``.
    func acquire() async throws {
        let id = lock.withLock { () -> UInt64 in
            nextID &+= 1
            return nextID
        }
        try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Void, any Error>) in
                enum Decision { case go, wait, cancelled }
                let decision = lock.withLock { () -> Decision in
                    if Task.isCancelled { return .cancelled }
                    if available > 0 {
                        available -= 1
                        return .go
                    }
                    waiters.append((id, continuation))
                    return .wait
                }
                switch decision {
                case .go: continuation.resume()
                case .cancelled: continuation.resume(throwing: CancellationError())
                case .wait: break
                }
            }
        } onCancel: {
            let waiter = lock.withLock { () -> CheckedContinuation<Void, any Error>? in
                guard let index = waiters.firstIndex(where: { $0.id == id }) else { return nil }
                return waiters.remove(at: index).continuation
            }
            waiter?.resume(throwing: CancellationError())
        }
    }

    /// Gives a place back: to the longest waiter, or to the pool.
    func release() {
        let next = lock.withLock { () -> CheckedContinuation<Void, any Error>? in
            guard !waiters.isEmpty else {
                available += 1
                return nil
            }
            return waiters.removeFirst().continuation
        }
        next?.resume()
    }
}
