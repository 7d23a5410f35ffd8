import BoletoJSON
import Crypto
import Foundation
import Providers

/// `POST /banks/{bank}/notifications/{secret}`: where a bank tells the service that titles changed.
extension APIHandlers {
    /// A bank's notification. The path's secret (per bank, `BOLETO_<BANK>_NOTIFICATION_SECRET`) is compared in
    /// constant time; a wrong one, or a bank without one, is answered exactly like a path that does not exist (404),
    /// leaves no log line, and only counts in `boleto_bank_notifications_total{result="rejected"}`.
    ///
    /// The body is a hint of which titles changed (``BankNotice``): each `registered` boleto it names is queued for a
    /// query of the bank at once (``BoletoService/noticeFromBank(issuers:titleIDs:)``), and only the bank's answer is
    /// applied. The answer is 202 with how many titles the body named and how many boletos were queued; a body that
    /// names no title is a 400, so a misconfigured sender shows up in the bank's delivery log.
    func bankNotification(_ call: APICall, bank: String) async throws -> APIReply {
        let metrics = service.metrics
        guard let secret = service.settings.notificationSecrets[bank], Self.sameSecret(call.id, secret) else {
            metrics.bankNotification(bank: bank, result: "rejected")
            var reply = APIResponder.render(.routeNotFound)
            reply.quiet = true
            return reply
        }
        if APIResponder.hasBodyBytes(call), !APIResponder.isJSON(call.headers[.contentType]) {
            throw APIError(.unsupportedMediaType, "unsupported_media_type",
                           "The request body must be sent as Content-Type: application/json.", field: "Content-Type")
        }
        let body = try call.json()
        let titles: [Int64]
        let issuers: [String]
        switch bank {
        case "bb":
            issuers = ["bb"]
            titles = service.settings.bancoDoBrasil.map { BankNotice.bancoDoBrasil(body, convenio: $0.convenio) } ?? []
        case "itau":
            issuers = ["itau"]
            titles = BankNotice.itau(body)
        default:
            issuers = ["sandbox", "development"]
            titles = Self.sandboxTitles(body)
        }
        guard !titles.isEmpty else {
            metrics.bankNotification(bank: bank, result: "no_titles")
            throw APIError.validation([.invalid("body", "The notification names no title of this service's \(bank) account.")])
        }
        let queued = try await service.noticeFromBank(issuers: issuers, titleIDs: titles)
        metrics.bankNotification(bank: bank, result: "accepted")
        return APIResponder.json(.object([("received", .int(Int64(titles.count))), ("queued", .int(Int64(queued)))]),
                                 status: .accepted)
    }

    /// The sandbox bank's notification: `{"title_id": n}`, an array of them, or `{"titles": [...]}`.
    static func sandboxTitles(_ body: JSON) -> [Int64] {
        var entries: [JSON] = []
        switch body {
        case .array(let items): entries = items
        case .object:
            if case .array(let items)? = body["titles"] { entries = items } else { entries = [body] }
        default: break
        }
        var seen = Set<Int64>()
        return Array(entries.compactMap { entry -> Int64? in
            guard case .int(let number)? = entry["title_id"], number > 0 else { return nil }
            return seen.insert(number).inserted ? number : nil
        }.prefix(BankNotice.maximumTitles))
    }

    /// Whether `sent` is `secret`, in time that does not depend on where they differ: both are hashed, and the
    /// digests compared in full.
    static func sameSecret(_ sent: String, _ secret: String) -> Bool {
        let a = Array(SHA256.hash(data: Array(sent.utf8))), b = Array(SHA256.hash(data: Array(secret.utf8)))
        var difference: UInt8 = 0
        for index in 0..<a.count { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
