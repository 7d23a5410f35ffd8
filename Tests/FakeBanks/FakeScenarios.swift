/// The failure a fake bank is asked to produce: by the request header `X-Fake-Scenario`, or, for requests without
/// it, by the next entry of a script (``FakeScenarioScript``), which the service tests use.
public struct FakeScenarioScript: Sendable {
    private var queue: [String] = []

    public init() {}

    /// Appends scenarios for the next requests that carry no header.
    public mutating func append(_ scenarios: [String]) { queue += scenarios }

    /// The scenario of `request`: its header, else the next scripted one, else nil (normal processing).
    public mutating func next(for request: FakeRequest) -> String? {
        if let header = request.header("X-Fake-Scenario"), !header.isEmpty { return header }
        return queue.isEmpty ? nil : queue.removeFirst()
    }
}

/// HTML entities as Bradesco writes them in messages.
enum FakeHTML {
    static let named: [Character: String] = [
        "ç": "ccedil", "ã": "atilde", "á": "aacute", "é": "eacute", "í": "iacute", "ó": "oacute", "ú": "uacute",
        "õ": "otilde", "ê": "ecirc", "â": "acirc", "ô": "ocirc", "&": "amp", "<": "lt", ">": "gt", "\"": "quot",
    ]

    static func encode(_ text: String) -> String {
        var result = ""
        for character in text {
            if let name = named[character] { result += "&\(name);" } else { result.append(character) }
        }
        return result
    }

    /// Text escaped for an XML element's content.
    static func xml(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;")
    }
}
