import BoletoKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Providers

/// The sandbox bank as an HTTP server on loopback (the protocol of ``RemoteSandboxBank``), shared by every process
/// of a fault test. It counts, per title, the registrations it accepted and the calls it received, and it can be
/// told to misbehave.
final class SandboxBankServer: @unchecked Sendable {
    /// How the bank misbehaves. While ``setFaults(_:)`` holds a list, every call gets the next fault of it, in turn.
    enum Fault: Sendable {
        /// Records the title, then answers only after `delay`: longer than the service waits, so the service sees
        /// a timeout for a registration that happened.
        case registersThenStalls(Duration)
        /// Answers nothing for `delay`, and registers nothing.
        case stalls(Duration)
        /// HTTP 500 with an HTML page.
        case serverError
        /// HTTP 200 with a body that is not the protocol's JSON.
        case garbage
        /// HTTP 201 with JSON cut short.
        case truncated
    }

    let bank: SandboxBank
    private let lock = NSLock()
    private var accepted: [String: Int] = [:]
    private var calls = 0
    private var faults: [Fault] = []
    private var nextFault = 0
    private var stalled: Set<String> = []
    private var task: Task<Void, any Error>?
    private(set) var port = 0

    init(slowDelay: Duration = .milliseconds(300)) { bank = SandboxBank(slowDelay: slowDelay) }

    var url: String { "http://127.0.0.1:\(port)" }
    /// Accepted registrations per title (`agency/account/nosso número`).
    var acceptedByTitle: [String: Int] { lock.withLock { accepted } }
    var callCount: Int { lock.withLock { calls } }
    /// The titles registered by a call that then stalled (``Fault/registersThenStalls(_:)``).
    var registeredBehindStall: Set<String> { lock.withLock { stalled } }

    /// Makes every call misbehave, cycling through `faults`; an empty list makes the bank healthy again.
    func setFaults(_ faults: [Fault]) {
        lock.withLock {
            self.faults = faults
            nextFault = 0
        }
    }

    private func takeFault() -> Fault? {
        lock.withLock {
            calls += 1
            guard !faults.isEmpty else { return nil }
            defer { nextFault = (nextFault + 1) % faults.count }
            return faults[nextFault]
        }
    }

    private func record(_ outcome: RegistrationOutcome, title: String) {
        if case .registered = outcome { lock.withLock { accepted[title, default: 0] += 1 } }
    }

    func start() async throws -> SandboxBankServer {
        let router = Router()
        router.post("/titles") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            guard let fields = try? JSONDecoder().decode([String: String].self, from: Data(body.readableBytesView)),
                  let registration = Self.request(fields) else { return Response(status: .badRequest) }
            let title = "\(fields["agency"] ?? "")/\(fields["account"] ?? "")/\(fields["nosso_numero"] ?? "")"
            switch self.takeFault() {
            case .registersThenStalls(let delay)?:
                let outcome = await self.bank.register(registration)
                self.record(outcome, title: title)
                if case .registered = outcome { _ = self.lock.withLock { self.stalled.insert(title) } }
                try await Task.sleep(for: delay)
                return Self.json(.created, #"{"status":"registered"}"#)
            case .stalls(let delay)?:
                try await Task.sleep(for: delay)
                return Response(status: .gatewayTimeout)
            case .serverError?:
                return Response(status: .internalServerError, headers: [.contentType: "text/html"],
                                body: .init(byteBuffer: ByteBuffer(string: "<html><body>Internal Server Error</body></html>")))
            case .garbage?:
                return Response(status: .ok, headers: [.contentType: "text/html"],
                                body: .init(byteBuffer: ByteBuffer(string: "<html><body>Manutenção programada</body></html>")))
            case .truncated?:
                return Self.json(.created, #"{"status":"regis"#)
            case nil:
                break
            }
            let outcome = await self.bank.register(registration)
            self.record(outcome, title: title)
            switch outcome {
            case .registered: return Self.json(.created, #"{"status":"registered"}"#)
            case .alreadyRegistered(let code, _): return Self.json(.ok, #"{"status":"already_registered","code":"\#(code)"}"#)
            case .refused(let code, _): return Self.json(.unprocessableContent, #"{"status":"refused","code":"\#(code)"}"#)
            case .transient, .misconfigured: return Response(status: .serviceUnavailable)
            }
        }
        (task, port) = await startOnLoopback(router)
        return self
    }

    static func json(_ status: HTTPResponse.Status, _ text: String) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func request(_ f: [String: String]) -> RegistrationRequest? {
        guard let amount = Int64(f["amount_cents"] ?? "") else { return nil }
        let input = BoletoInput(bank: f["bank"] ?? "237", amountCents: amount, dueDate: CalendarDate(iso: f["due_date"] ?? ""),
                                agency: f["agency"], account: f["account"], wallet: f["wallet"], nossoNumero: f["nosso_numero"] ?? "")
        guard let boleto = try? Boleto(input) else { return nil }
        return RegistrationRequest(requestKey: f["request_key"] ?? "", input: input, boleto: boleto,
                                   hints: f["scenario"].map { [SandboxScenario.hintKey: $0] } ?? [:])
    }

    func stop() async {
        task?.cancel()
        _ = try? await task?.value
    }
}
