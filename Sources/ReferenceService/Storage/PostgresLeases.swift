import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The pool plumbing of ``PostgresStore``: every call gets a pooled connection within two bounds, and connection
/// failures become ``StoreError/unavailable``.
struct PostgresLeases: Sendable {
    /// The connections calls borrow, taken from PostgresNIO's pool and kept between calls.
    let shelf: ConnectionShelf
    let logger: Logger
    /// How long a call waits for a pooled connection before answering ``StoreError/unavailable``.
    let leaseTimeout: Duration
    /// How long a call may run on its connection (migrations excepted) before the connection is closed under it.
    let statementTimeout: Duration
    /// The calls that may run on the database at once; the others wait, first come first served (within
    /// `leaseTimeout`).
    let active: AsyncLimiter

    /// Runs `body` on a pooled connection, within two bounds:
    /// - Waiting for the connection is bounded by `leaseTimeout`: when the database cannot be reached, callers get
    ///   ``StoreError/unavailable`` instead of waiting.
    /// - Once `body` runs it is not interrupted within `statementTimeout` (not even when the caller is cancelled), so
    ///   a statement that reached the database is not abandoned halfway. Past it the call answers
    ///   ``StoreError/unavailable`` and its connection is closed: a connection whose server died under a statement
    ///   must not hold a request, or the worker, forever. (PostgresNIO 1.33 can leave such a statement waiting even
    ///   after the connection is closed and the task cancelled; the restart test caught it.) Whether that statement
    ///   committed is unknown, as for any lost connection; every write is safe to retry (idempotency keys, leased
    ///   jobs).
    func run<T: Sendable>(bounded: Bool = true,
                          _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let state = LeaseState<T>()
        let shelf = self.shelf, wait = self.leaseTimeout, limit = bounded ? statementTimeout : nil, logger = self.logger
        // The bounds are event-loop timers: cheaper than a sleeping task per call, which costs dispatch timers.
        let loop = MultiThreadedEventLoopGroup.singleton.any()
        return try await withCheckedThrowingContinuation { continuation in
            state.start(continuation)
            let active = self.active
            let work = Task {
                do {
                    try await active.acquire()
                    defer { active.release() }
                    let hold = try await shelf.borrow()
                    // A call already answered "unavailable" must not run after all: its caller may retry it.
                    guard state.leased(hold.connection) else {
                        shelf.giveBack(hold)
                        throw StoreError.unavailable
                    }
                    let value: T
                    do {
                        value = try await body(hold.connection)
                    } catch {
                        // A cancelled call may have left a statement half read: that connection is not reused.
                        shelf.giveBack(hold, broken: Task.isCancelled || Self.isConnectionFailure(error))
                        throw error
                    }
                    shelf.giveBack(hold)
                    state.finish(.success(value))
                } catch {
                    state.finish(.failure(error))
                }
            }
            state.watch(loop.scheduleTask(in: .nanoseconds(wait.nanoseconds)) {
                if state.finishIfWaiting(.failure(StoreError.unavailable)) {
                    work.cancel()
                    return
                }
                guard let connection = state.connection, let limit else { return }
                state.watch(loop.scheduleTask(in: .nanoseconds(limit.nanoseconds)) {
                    logger.warning("a database call outlived BOLETO_DATABASE_STATEMENT_TIMEOUT_MS; closing its connection")
                    state.finish(.failure(StoreError.unavailable))
                    work.cancel()
                    let _: EventLoopFuture<Void> = connection.close()
                })
            })
        }
    }

    /// Whether `error` says the connection itself failed, so that it must not be used again.
    static func isConnectionFailure(_ error: any Error) -> Bool {
        let error = (error as? PostgresTransactionError).map { $0.closureError ?? $0.commitError ?? $0.beginError ?? $0 } ?? error
        if let store = classify(error) as? StoreError, case .unavailable = store { return true }
        return false
    }

    /// Connection-level failures (and the server's "shutting down" and connection-exception states) are
    /// ``StoreError/unavailable``; everything else is itself.
    static func classify(_ error: any Error) -> any Error {
        guard let error = error as? PSQLError else { return error }
        switch error.code {
        case .connectionError, .serverClosedConnection, .clientClosedConnection, .uncleanShutdown, .poolClosed:
            return StoreError.unavailable
        case .server:
            let state = error.serverInfo?[.sqlState] ?? ""
            return state.hasPrefix("08") || state.hasPrefix("57P") ? StoreError.unavailable : error
        default:
            return error
        }
    }
}

/// The task that runs a pool, started and stopped once.
final class PoolTask: @unchecked Sendable {
    private let lock = NSLock()
    private var task: Task<Void, Never>?

    func start(_ body: @escaping @Sendable () async -> Void) {
        lock.withLock { if task == nil { task = Task { await body() } } }
    }

    func stop() async {
        let running = lock.withLock { () -> Task<Void, Never>? in
            defer { task = nil }
            return task
        }
        running?.cancel()
        await running?.value
    }
}

/// Set once a pooled connection was obtained.
/// One call of ``PostgresStore/leased(bounded:_:)``: its continuation, resumed once (by the call's end or by a
/// bound), the connection it was given, and the timer that watches it.
private final class LeaseState<T: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var continuation: CheckedContinuation<T, any Error>?
    private var leasedConnection: PostgresConnection?
    private var timer: Scheduled<Void>?
    private var done = false

    func start(_ continuation: CheckedContinuation<T, any Error>) { lock.withLock { self.continuation = continuation } }
    /// Records the connection the call was given; false when the call was answered already (its body must not run).
    func leased(_ connection: PostgresConnection) -> Bool {
        lock.withLock {
            guard !done else { return false }
            leasedConnection = connection
            return true
        }
    }
    var connection: PostgresConnection? { lock.withLock { leasedConnection } }

    /// Keeps the timer, to stop it when the call ends first.
    func watch(_ task: Scheduled<Void>) {
        let finished = lock.withLock {
            if !done { timer = task }
            return done
        }
        if finished { task.cancel() }
    }

    /// Resumes the caller with `result` if the call is still waiting for a connection (atomically with
    /// ``leased(_:)``); answers whether it did.
    func finishIfWaiting(_ result: Result<T, any Error>) -> Bool {
        finish(result, onlyIfWaiting: true)
    }

    /// Resumes the caller with `result` unless it was resumed already; answers whether it did.
    @discardableResult
    func finish(_ result: Result<T, any Error>, onlyIfWaiting: Bool = false) -> Bool {
        let (continuation, timer): (CheckedContinuation<T, any Error>?, Scheduled<Void>?) = lock.withLock {
            guard !done, !(onlyIfWaiting && leasedConnection != nil) else { return (nil, nil) }
            done = true
            defer { self.continuation = nil; self.timer = nil }
            return (self.continuation, self.timer)
        }
        timer?.cancel()
        continuation?.resume(with: result)
        return continuation != nil
    }
}
