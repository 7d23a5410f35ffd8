import BoletoKit
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore
import Providers

/// The sandbox bank as an HTTP server on loopback (the protocol of ``RemoteSandboxBank``), shared by every process
/// of a fault test. It counts, per title, the registrations it accepted and the calls it received.
final class SandboxBankServer: @unchecked Sendable {
    let bank: SandboxBank
    private let lock = NSLock()
    private var accepted: [String: Int] = [:]
    private var calls = 0
    private var task: Task<Void, any Error>?
    private(set) var port = 0

    init(slowDelay: Duration = .milliseconds(300)) { bank = SandboxBank(slowDelay: slowDelay) }

    var url: String { "http://127.0.0.1:\(port)" }
    /// Accepted registrations per title (`agency/account/nosso número`).
    var acceptedByTitle: [String: Int] { lock.withLock { accepted } }
    var callCount: Int { lock.withLock { calls } }

    func start() async throws -> SandboxBankServer {
        let router = Router()
        router.post("/titles") { request, _ -> Response in
            var request = request
            let body = try await request.collectBody(upTo: 1 << 16)
            guard let fields = try? JSONDecoder().decode([String: String].self, from: Data(body.readableBytesView)),
                  let registration = Self.request(fields) else { return Response(status: .badRequest) }
            let outcome = await self.bank.register(registration)
            let title = "\(fields["agency"] ?? "")/\(fields["account"] ?? "")/\(fields["nosso_numero"] ?? "")"
            self.lock.withLock {
                self.calls += 1
                if case .registered = outcome { self.accepted[title, default: 0] += 1 }
            }
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
