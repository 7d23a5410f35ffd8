import Foundation
import PostgresNIO

/// Pooled connections kept out of the pool between calls, so that a call borrows one without a round through
/// PostgresNIO's pool.
///
/// PostgresNIO's pool starts an idle timer (a task with a dispatch timer) every time a connection is returned to it, and
/// cancels it at the next lease. Per call, perf put a large share of a read's CPU there, and the churn doubled the
/// peak RSS under load. A shelf keeps each connection it took for as long as it stays healthy: a call borrows an idle
/// one, or takes a new one from the pool when none is idle, and puts it back afterwards. A connection that is closed, or
/// that failed at the connection level, goes back to the pool, which drops it.
///
/// The shelf needs no limit of its own: ``PostgresLeases`` lets at most `BOLETO_DATABASE_MAX_ACTIVE` calls borrow at
/// once, so it never holds more connections than that. (A pool minimum would spare the timers too, but PostgresNIO
/// 1.33's pool stops the process on a precondition when a lease arrives while its minimum is not met, for example while
/// the server refuses connections.)
final class ConnectionShelf: @unchecked Sendable {
    /// A connection taken from the pool. Ending the hold gives it back to the pool.
    struct Hold: Sendable {
        let connection: PostgresConnection
        fileprivate let end: CheckedContinuation<Void, Never>
    }

    private let client: PostgresClient
    private let lock = NSLock()
    private var idle: [Hold] = []
    private var closed = false

    init(client: PostgresClient) {
        self.client = client
    }

    /// The number of idle connections on the shelf.
    var idleCount: Int { lock.withLock { idle.count } }

    /// An idle connection, or a new one from the pool. Waiting for the pool ends when the task is cancelled (with
    /// `CancellationError`); a connection that arrives afterwards is shelved for the next call.
    func borrow() async throws -> Hold {
        while let hold = lock.withLock({ idle.popLast() }) {
            if !hold.connection.isClosed { return hold }
            hold.end.resume()
        }
        return try await take()
    }

    /// Puts a borrowed connection back: on the shelf, or (when `broken`, closed, or the shelf is closed) back to the
    /// pool.
    func giveBack(_ hold: Hold, broken: Bool = false) {
        let shelved = !broken && !hold.connection.isClosed && lock.withLock { () -> Bool in
            guard !closed else { return false }
            idle.append(hold)
            return true
        }
        if !shelved { hold.end.resume() }
    }

    /// Gives every idle connection back to the pool and shelves no more: call it before the pool stops.
    func close() {
        let holds = lock.withLock { () -> [Hold] in
            closed = true
            defer { idle = [] }
            return idle
        }
        for hold in holds { hold.end.resume() }
    }

    /// A new hold on a connection from the pool: a task leases one and keeps its lease open until the hold ends.
    private func take() async throws -> Hold {
        let delivery = Delivery()
        let client = self.client
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (waiter: CheckedContinuation<Hold, any Error>) in
                guard delivery.wait(waiter) else { return waiter.resume(throwing: CancellationError()) }
                Task {
                    do {
                        try await client.withConnection { connection in
                            await withCheckedContinuation { (end: CheckedContinuation<Void, Never>) in
                                let hold = Hold(connection: connection, end: end)
                                if !delivery.deliver(hold) { self.giveBack(hold) }
                            }
                        }
                    } catch {
                        delivery.fail(error)
                    }
                }
            }
        } onCancel: {
            delivery.cancel()
        }
    }
}

/// One borrower waiting for a new connection, answered once: with the connection, an error, or its cancellation.
private final class Delivery: @unchecked Sendable {
    private let lock = NSLock()
    private var waiter: CheckedContinuation<ConnectionShelf.Hold, any Error>?
    private var cancelled = false

    /// Registers the waiter; false when the borrower was cancelled already.
    func wait(_ waiter: CheckedContinuation<ConnectionShelf.Hold, any Error>) -> Bool {
        lock.withLock {
            guard !cancelled else { return false }
            self.waiter = waiter
            return true
        }
    }

    /// Hands `hold` to the waiter; false when nobody waits for it any more.
    func deliver(_ hold: ConnectionShelf.Hold) -> Bool {
        guard let waiter = take() else { return false }
        waiter.resume(returning: hold)
        return true
    }

    func fail(_ error: any Error) { take()?.resume(throwing: error) }

    func cancel() {
        let waiter = lock.withLock { () -> CheckedContinuation<ConnectionShelf.Hold, any Error>? in
            cancelled = true
            defer { self.waiter = nil }
            return self.waiter
        }
        waiter?.resume(throwing: CancellationError())
    }

    private func take() -> CheckedContinuation<ConnectionShelf.Hold, any Error>? {
        lock.withLock {
            defer { waiter = nil }
            return waiter
        }
    }
}
