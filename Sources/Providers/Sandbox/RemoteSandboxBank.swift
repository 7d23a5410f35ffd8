import AsyncHTTPClient
import BoletoKit
import Foundation
import NIOCore
import NIOHTTP1

/// The sandbox bank reached over HTTP, for setups where several processes must share one bank (a fault test
/// that kills workers, say). The bank server answers `POST /titles` with
/// `{"bank","agency","account","nosso_numero","amount_cents","due_date","wallet","request_key","scenario"}`:
///
/// | answer | outcome |
/// |---|---|
/// | 201 `{"status":"registered"}` | ``RegistrationOutcome/registered(barcode:digitableLine:nossoNumero:bankURL:)`` |
/// | 200 `{"status":"already_registered","code"}` | ``RegistrationOutcome/alreadyRegistered(code:message:)`` |
/// | 422 `{"status":"refused","code","message"}` | ``RegistrationOutcome/refused(code:message:)`` |
/// | anything else, or no answer | ``RegistrationOutcome/transient(reason:)`` |
///
/// `POST /titles/cancel` takes the same body and answers 200 (canceled) or 422 (refused; code `SBX05` is "already
/// canceled", ``CancellationOutcome/alreadyCanceled(code:message:)``).
public struct RemoteSandboxBank: BoletoCanceler {
    public let baseURL: String
    let http: HTTPClient

    public init(baseURL: String, httpClient: HTTPClient) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.http = httpClient
    }

    struct Answer: Decodable {
        let status: String
        let code: String?
        let message: String?
    }

    static func body(_ request: RegistrationRequest) -> [UInt8] {
        var fields: [String: String] = [
            "bank": request.input.bank, "agency": request.input.agency ?? "", "account": request.input.account ?? "",
            "wallet": request.input.wallet ?? "", "nosso_numero": request.input.nossoNumero,
            "amount_cents": String(request.input.amountCents), "due_date": request.input.dueDate?.description ?? "",
            "request_key": request.requestKey,
        ]
        if let scenario = request.hints[SandboxScenario.hintKey] { fields["scenario"] = scenario }
        return Array((try? JSONEncoder().encode(fields)) ?? Data("{}".utf8))
    }

    private func post(_ path: String, _ request: RegistrationRequest) async -> (Int, Answer?) {
        var http = HTTPClientRequest(url: baseURL + path)
        http.method = .POST
        http.headers.add(name: "Content-Type", value: "application/json")
        http.body = .bytes(ByteBuffer(bytes: Self.body(request)))
        do {
            let response = try await self.http.execute(http, timeout: .seconds(30))
            let buffer = try await response.body.collect(upTo: 64 * 1024)
            return (Int(response.status.code), try? JSONDecoder().decode(Answer.self, from: Data(buffer.readableBytesView)))
        } catch {
            return (0, nil)
        }
    }

    public func register(_ request: RegistrationRequest) async -> RegistrationOutcome {
        let (status, answer) = await post("/titles", request)
        switch (status, answer?.status) {
        case (201, "registered"):
            return .registered(barcode: request.boleto.barcode.description, digitableLine: request.boleto.digitableLine.formatted,
                               nossoNumero: request.boleto.nossoNumero, bankURL: nil)
        case (200, "already_registered"):
            return .alreadyRegistered(code: answer?.code ?? SandboxBank.Code.alreadyRegistered, message: answer?.message ?? "")
        case (422, "refused"):
            return .refused(code: answer?.code ?? SandboxBank.Code.refused, message: answer?.message ?? "")
        case (0, _):
            return .transient(reason: "The sandbox bank could not be reached.")
        default:
            return .transient(reason: "The sandbox bank answered HTTP \(status).")
        }
    }

    public func cancel(_ request: RegistrationRequest) async -> CancellationOutcome {
        let (status, answer) = await post("/titles/cancel", request)
        switch status {
        case 200: return .canceled
        case 422 where answer?.code == SandboxBank.Code.alreadyCanceled:
            return .alreadyCanceled(code: answer?.code ?? "", message: answer?.message ?? "")
        case 422: return .refused(code: answer?.code ?? "", message: answer?.message ?? "")
        default: return .transient(reason: "The sandbox bank answered HTTP \(status).")
        }
    }
}
