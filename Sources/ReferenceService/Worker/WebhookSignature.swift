import Crypto
import Foundation

/// The `X-Boleto-Signature` header: `t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<body>")>`.
///
/// Receivers recompute the HMAC over the timestamp, a dot and the raw body with their webhook secret, compare in
/// constant time, and reject timestamps older than their tolerance (five minutes is usual) to stop replays.
public enum WebhookSignature {
    public static let header = "X-Boleto-Signature"

    public static func sign(body: String, secret: String, timestamp: Int) -> String {
        "t=\(timestamp),v1=\(mac(body: body, secret: secret, timestamp: timestamp))"
    }

    /// Checks `header` against `body`; `now` and `tolerance` bound the timestamp's age, in seconds.
    public static func verify(header: String, body: String, secret: String, now: Int, tolerance: Int = 300) -> Bool {
        var timestamp: Int?
        var signatures: [String] = []
        for part in header.split(separator: ",") {
            let pair = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pair.count == 2 else { continue }
            if pair[0] == "t" { timestamp = Int(pair[1]) }
            if pair[0] == "v1" { signatures.append(pair[1]) }
        }
        guard let timestamp, abs(now - timestamp) <= tolerance else { return false }
        let expected = mac(body: body, secret: secret, timestamp: timestamp)
        return signatures.contains { Identifiers.constantTimeEquals($0, expected) }
    }

    private static func mac(body: String, secret: String, timestamp: Int) -> String {
        let code = HMAC<SHA256>.authenticationCode(for: Data("\(timestamp).\(body)".utf8),
                                                   using: SymmetricKey(data: Data(secret.utf8)))
        return Identifiers.hex(code)
    }
}
