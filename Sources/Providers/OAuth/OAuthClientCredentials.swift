import Foundation

/// A bank's OAuth 2.0 token endpoint and the beneficiary's client credentials (RFC 6749 §4.4, "client credentials"
/// grant), as the REST banks use them: Banco do Brasil sends the credentials as HTTP Basic, Itaú in the form body and
/// over mutual TLS.
///
/// The secret is never part of a description: `description`, `debugDescription` and `dump` show the client id, the
/// token URL and the scope only.
public struct OAuthClientCredentials: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    /// How the client authenticates at the token endpoint.
    public enum ClientAuthentication: String, Sendable, Hashable {
        /// `Authorization: Basic base64(client_id:client_secret)` (RFC 6749 §2.3.1; Banco do Brasil).
        case basic
        /// `client_id` and `client_secret` in the form body (RFC 6749 §2.3.1, the alternative; Itaú).
        case form
    }

    /// The token endpoint (`https`; the bank's certificate is verified like any bank call).
    public var tokenURL: URL
    /// The client id.
    public var clientID: String
    /// The client secret. Never logged or described.
    public var clientSecret: String
    /// The `scope` parameter, when the bank wants one (space-separated scopes).
    public var scope: String?
    /// Basic or form authentication.
    public var authentication: ClientAuthentication
    /// Extra headers for the token request (Itaú's correlation ids are added by its adapter).
    public var extraHeaders: [String: String]
    /// How long before a token's `expires_in` runs out it is replaced: a token is never used in its last moments,
    /// when a call could reach the bank after it expired.
    public var refreshMargin: Duration

    /// Credentials; throws when the URL is not `https` or the id or secret is empty.
    public init(tokenURL: String, clientID: String, clientSecret: String, scope: String? = nil,
                authentication: ClientAuthentication, extraHeaders: [String: String] = [:],
                refreshMargin: Duration = .seconds(60)) throws(ProviderConfigurationError) {
        guard let url = URL(string: tokenURL), url.scheme?.lowercased() == "https", let host = url.host, !host.isEmpty else {
            throw ProviderConfigurationError("The OAuth token URL must be an absolute https URL.")
        }
        guard !clientID.isEmpty, !clientSecret.isEmpty else {
            throw ProviderConfigurationError("The OAuth client id and client secret must not be empty.")
        }
        guard refreshMargin >= .zero else { throw ProviderConfigurationError("The OAuth refresh margin must not be negative.") }
        self.tokenURL = url
        self.clientID = clientID
        self.clientSecret = clientSecret
        self.scope = scope
        self.authentication = authentication
        self.extraHeaders = extraHeaders
        self.refreshMargin = refreshMargin
    }

    public var description: String {
        "OAuthClientCredentials(tokenURL: \(tokenURL.absoluteString), clientID: \(clientID), scope: \(scope ?? "none"), authentication: \(authentication.rawValue))"
    }

    public var debugDescription: String { description }

    public var customMirror: Mirror {
        Mirror(self, children: ["tokenURL": tokenURL, "clientID": clientID, "scope": scope as Any,
                                "authentication": authentication], displayStyle: .struct)
    }

    /// The token request's headers and form body.
    func tokenRequest() -> (headers: [(String, String)], body: [UInt8]) {
        var form: [(String, String)] = [("grant_type", "client_credentials")]
        var headers: [(String, String)] = [("Content-Type", "application/x-www-form-urlencoded"), ("Accept", "application/json")]
        switch authentication {
        case .basic:
            headers.append(("Authorization", "Basic " + Data("\(clientID):\(clientSecret)".utf8).base64EncodedString()))
        case .form:
            form.append(("client_id", clientID))
            form.append(("client_secret", clientSecret))
        }
        if let scope { form.append(("scope", scope)) }
        for (name, value) in extraHeaders.sorted(by: { $0.key < $1.key }) { headers.append((name, value)) }
        let body = form.map { "\(Self.formEncoded($0.0))=\(Self.formEncoded($0.1))" }.joined(separator: "&")
        return (headers, Array(body.utf8))
    }

    /// `application/x-www-form-urlencoded` encoding of one name or value: unreserved characters as they are, a space
    /// as `+`, everything else percent-encoded.
    static func formEncoded(_ text: String) -> String {
        var out = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"), UInt8(ascii: "*"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            case UInt8(ascii: " "):
                out.append("+")
            default:
                out += String(format: "%%%02X", byte)
            }
        }
        return out
    }
}
