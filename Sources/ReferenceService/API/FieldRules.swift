import BoletoJSON
import BoletoKit
import Foundation
import Providers

/// Field rules shared by the request readers.
enum FieldRules {
    static let states: Set<String> = [
        "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA", "PB", "PR", "PE", "PI",
        "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
    ]

    /// Whether `text` is an SQS queue URL: `http(s)://host[:port]/<12-digit account>/<queue name>`, the name being
    /// 1–80 letters, digits, hyphens or underscores (a FIFO queue's ending in `.fifo`). The shape only: which hosts
    /// are allowed is ``OutboundPolicy/queueProblem(_:)``'s.
    static func isQueueURL(_ text: String) -> Bool {
        guard text.count <= 2048, let url = URLComponents(string: text), let scheme = url.scheme?.lowercased(),
              scheme == "https" || scheme == "http", let host = url.host, !host.isEmpty, url.query == nil,
              url.fragment == nil, url.user == nil else { return false }
        let parts = url.path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 3, parts[0].isEmpty, parts[1].count == 12, parts[1].allSatisfy(\.isASCIIDigit) else { return false }
        var name = Substring(parts[2])
        if name.hasSuffix(".fifo") { name = name.dropLast(5) }
        let total = parts[2].count
        return !name.isEmpty && total <= 80
            && name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }
    }

    /// Reads an address object (`payer_address`, `company_address`). Every part but `complementary` is required.
    static func address(_ checks: inout FieldChecks, _ field: JSONField<AddressBody>, _ key: String) -> PostalAddress? {
        guard let body = field.value else { return nil }
        var inner = checks.nested(key)
        defer { checks.absorb(inner) }
        let zipcode = inner.string(body.zipcode, "zipcode", maxLength: 9, required: true)
        let street = inner.string(body.street, "street", maxLength: 100, required: true, kind: .text)
        var number: String?
        switch body.streetNumber {
        case .present(.string(let text)):
            if text.isEmpty || text.count > 10 {
                inner.fail("street_number", "must be 1 to 10 characters long.")
            } else if let problem = FieldChecks.textProblem(text, .text) {
                inner.fail("street_number", problem)
            } else {
                number = text
            }
        case .present(.int(let value)) where value >= 0:
            number = String(value)
        case .absent, .null:
            inner.fail("street_number", "is required.")
        default:
            inner.fail("street_number", "must be a string or a non-negative integer.")
        }
        let complementary = inner.string(body.complementary, "complementary", maxLength: 100, kind: .text)
        let neighborhood = inner.string(body.neighborhood, "neighborhood", maxLength: 60, required: true, kind: .text)
        let city = inner.string(body.city, "city", maxLength: 60, required: true, kind: .text)
        let state = inner.string(body.state, "state", maxLength: 2, required: true)
        var cep: String?
        if let zipcode {
            let digits = zipcode.replacingOccurrences(of: "-", with: "")
            if digits.count == 8, digits.allSatisfy(\.isASCIIDigit) { cep = digits } else { inner.fail("zipcode", "must be a CEP of 8 digits.") }
        }
        var uf: String?
        if let state {
            if states.contains(state.uppercased()) { uf = state.uppercased() } else { inner.fail("state", "must be a Brazilian state (UF), such as SP.") }
        }
        guard !inner.hasOwnErrors, let cep, let street, let number, let neighborhood,
              let city, let uf else { return nil }
        return PostalAddress(zipcode: cep, street: street, streetNumber: number,
                             complementary: complementary?.isEmpty == true ? nil : complementary,
                             neighborhood: neighborhood, city: city, state: uf)
    }

    /// Reads `interest` or `fine`: `{percentage 0…100, amount ≥ 0 cents or null, days ≥ 0}`.
    static func charge(_ checks: inout FieldChecks, _ field: JSONField<ChargeBody>, _ key: String) -> ChargeTerms? {
        guard let body = field.value else { return nil }
        var inner = checks.nested(key)
        defer { checks.absorb(inner) }
        let terms = ChargeTerms(percentage: inner.number(body.percentage, "percentage", in: 0...100),
                                amount: inner.integer(body.amount, "amount", in: 0...9_999_999_999),
                                days: inner.integer(body.days, "days", in: 0...3650).map { Int($0) })
        return inner.hasOwnErrors ? nil : terms
    }

    /// Reads a CPF or CNPJ; with `kind`, it must be of that kind. Punctuation is accepted and removed.
    static func document(_ checks: inout FieldChecks, _ field: JSONField<String>, _ key: String, kind: Document.Kind?,
                         required: Bool) -> Document? {
        guard let text = checks.string(field, key, maxLength: 32, required: required) else { return nil }
        guard let document = try? Document(text) else {
            checks.fail(key, "is not a valid CPF or CNPJ (check digits included).")
            return nil
        }
        if let kind, document.kind != kind {
            checks.fail(key, "is not a valid \(kind.rawValue.uppercased()).")
            return nil
        }
        return document
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
