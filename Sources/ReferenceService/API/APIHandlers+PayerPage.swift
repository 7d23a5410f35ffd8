import BoletoRender
import Crypto
import Foundation
import HTTPTypes

/// The payer's page: `GET /pay/:token` and `GET /pay/:token/pdf`, open to anyone holding the boleto's token.
///
/// The token is the boleto's own (`token`, 129 random bits), never its id, so a link shared with a payer reveals
/// nothing else and cannot be guessed from another. The page shows the printable boleto with copy buttons for the
/// digitable line and the PIX code and a link to the PDF; nothing about the client, its webhook or its references.
/// A canceled or refused boleto's page is gone (410); a paid one says so. Each address may make
/// `BOLETO_PAYER_PAGE_PER_MINUTE` requests a minute (429 beyond). The answers are not cached, not indexed, send no
/// referrer, and their Content-Security-Policy allows the page's own styles, its one script (by hash) and inline
/// images only.
extension APIHandlers {
    /// The path of a boleto's payer's page.
    static func payerPath(token: String) -> String { "/pay/" + token }

    /// `GET /pay/:token`.
    func payerPage(_ call: APICall) async throws -> APIReply {
        try await payerAnswer(call) { record in
            let notice = record.status == .paid ? "Este boleto já foi pago." : nil
            let html = try APIResponder.rendered("boleto") {
                try BoletoHTML.render(BoletoService.sheet(record),
                                      payerBar: .init(pdfURL: Self.payerPath(token: record.token) + "/pdf", notice: notice))
            }
            return Self.payerReply(.ok, html: html)
        }
    }

    /// `GET /pay/:token/pdf`.
    func payerPDF(_ call: APICall) async throws -> APIReply {
        try await payerAnswer(call) { record in
            let bytes = try APIResponder.rendered("boleto") { try BoletoPDF.render(BoletoService.sheet(record)) }
            return APIResponder.pdf(bytes, filename: "boleto-\(record.nossoNumero.filter(\.isNumber)).pdf",
                                    headers: Self.payerReply(.ok, html: "").headers)
        }
    }

    /// `answer`'s reply for the boleto the call's token names, or the page that says why there is none.
    private func payerAnswer(_ call: APICall, _ answer: (BoletoRecord) throws -> APIReply) async throws -> APIReply {
        switch try await payable(call) {
        case .success(let record): return try answer(record)
        case .failure(let refusal): return refusal.reply
        }
    }

    /// The boleto the call's token names, or the page that says why there is none: 429 past the address's rate, 404
    /// for no such token, 410 for a boleto canceled or refused.
    private func payable(_ call: APICall) async throws -> Result<BoletoRecord, PayerPageRefusal> {
        if let refusal = throttle(call) { return .failure(PayerPageRefusal(refusal)) }
        let token = call.id
        guard !token.isEmpty, token.count <= 128, let record = try await store.boleto(token: token) else {
            return .failure(PayerPageRefusal(Self.payerReply(.notFound, html: Self.unavailable("Boleto não encontrado."))))
        }
        switch record.status {
        case .canceled:
            return .failure(PayerPageRefusal(Self.payerReply(.gone, html: Self.unavailable("Este boleto foi cancelado."))))
        case .refused:
            return .failure(PayerPageRefusal(Self.payerReply(.gone, html: Self.unavailable("Este boleto não está disponível."))))
        case .issued, .pendingRegistration, .registered, .paid:
            return .success(record)
        }
    }

    /// A 429 when the caller's address has used its minute.
    private func throttle(_ call: APICall) -> APIReply? {
        guard let limiter = payerLimiter, let wait = limiter.take(call.peer ?? "unknown") else { return nil }
        var reply = Self.payerReply(.tooManyRequests, html: Self.unavailable("Muitas requisições; tente novamente em instantes."))
        reply.headers[.retryAfter] = String(wait)
        return reply
    }

    /// An HTML answer with the payer's page headers.
    static func payerReply(_ status: HTTPResponse.Status, html: String) -> APIReply {
        var headers: HTTPFields = [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"]
        headers[HTTPField.Name("Referrer-Policy")!] = "no-referrer"
        headers[HTTPField.Name("X-Robots-Tag")!] = "noindex, nofollow"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[.contentSecurityPolicy] = contentSecurityPolicy
        return APIReply(status: status, headers: headers, body: html)
    }

    /// Inline styles and images, and the page's one script by its SHA-256; nothing else, from anywhere.
    static let contentSecurityPolicy: String = {
        let hash = Data(SHA256.hash(data: Array(BoletoHTML.payerScript.utf8))).base64EncodedString()
        return "default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-\(hash)'; "
            + "base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    }()

    /// A short page for a boleto that cannot be shown.
    static func unavailable(_ message: String) -> String {
        "<!DOCTYPE html><html lang=\"pt-BR\"><head><meta charset=\"utf-8\"><title>Boleto</title></head><body><p>\(message)</p></body></html>"
    }
}

/// The answer to a payer's page request that finds no boleto to show.
struct PayerPageRefusal: Error {
    let reply: APIReply
    init(_ reply: APIReply) { self.reply = reply }
}
