import BoletoJSON
import BoletoKit
import Foundation
import HTTPTypes
import Providers

/// `cnab` configurations, `POST /remessas`, `GET /remessas/:id` and `POST /retornos`.
extension APIHandlers {
    // MARK: Configurations

    /// The `cnab` object of a configuration body; nil when absent or null. `layout` is left empty when not sent,
    /// for ``ConfigurationService`` to default from the bank.
    static func readCNAB(_ field: JSONField<CNABBody>, _ checks: inout FieldChecks) -> CNABSettings? {
        guard let body = field.value else { return nil }
        var sub = checks.nested("cnab")
        defer { checks.absorb(sub) }
        let layout = sub.oneOf(body.layout, "layout", ["240", "400"])
        let companyName = sub.string(body.companyName, "company_name", maxLength: 100, required: true, kind: .text)
        func digits(_ field: JSONField<String>, _ key: String, _ maxLength: Int) -> String? {
            guard let text = sub.string(field, key, maxLength: maxLength, allowEmpty: false) else { return nil }
            guard text.allSatisfy(\.isASCII), text.allSatisfy(\.isNumber) else {
                sub.fail(key, "must be digits.")
                return nil
            }
            return text
        }
        let companyCode = digits(body.companyCode, "company_code", 20)
        let beneficiaryCode = digits(body.beneficiaryCode, "beneficiary_code", 20)
        let walletCode = digits(body.walletCode, "wallet_code", 2)
        let walletVariation = digits(body.walletVariation, "wallet_variation", 3)
        func checkDigit(_ field: JSONField<String>, _ key: String) -> String? {
            guard let text = sub.string(field, key, maxLength: 1, allowEmpty: false) else { return nil }
            guard text.allSatisfy({ $0.isASCII && ($0.isNumber || $0.isUppercase) }) else {
                sub.fail(key, "must be one digit or upper-case letter.")
                return nil
            }
            return text
        }
        let agencyDV = checkDigit(body.agencyDV, "agency_dv")
        let accountDV = checkDigit(body.accountDV, "account_dv")
        var extra: [String: String]?
        if let value = body.extra.value {
            if case .object(let pairs) = value, pairs.count <= 10,
               pairs.allSatisfy({ if case .string(let text) = $0.1 { text.count <= 20 && $0.0.count <= 30 } else { false } }) {
                extra = Dictionary(pairs.map { pair -> (String, String) in
                    if case .string(let text) = pair.1 { return (pair.0, text) }
                    return (pair.0, "")
                }, uniquingKeysWith: { $1 })
            } else {
                sub.fail("extra", "must be an object of at most 10 string values (the bank's extra barcode fields, e.g. posto).")
            }
        }
        let first = sub.integer(body.firstSequence, "first_sequence", in: 1...9_999_999)
        guard !sub.hasOwnErrors, let companyName else { return nil }
        return CNABSettings(layout: layout ?? "", companyName: companyName, companyCode: companyCode,
                            beneficiaryCode: beneficiaryCode, agencyDV: agencyDV, accountDV: accountDV, walletCode: walletCode,
                            walletVariation: walletVariation, extra: extra, firstSequence: Int(first ?? 1))
    }

    /// The `pix` object of a configuration body: `{key | url, name, city}`; nil when absent or null.
    static func readPix(_ field: JSONField<PixBody>, _ checks: inout FieldChecks) -> PixSettings? {
        guard let body = field.value else { return nil }
        var sub = checks.nested("pix")
        defer { checks.absorb(sub) }
        let key = sub.string(body.key, "key", maxLength: 77, allowEmpty: false)
        let url = sub.string(body.url, "url", maxLength: 99, allowEmpty: false)
        let name = sub.string(body.name, "name", maxLength: 100, required: true, kind: .text)
        let city = sub.string(body.city, "city", maxLength: 100, required: true, kind: .text)
        if !sub.hasOwnErrors && (key == nil) == (url == nil) {
            sub.fail("key", "or pix.url is required, not both: a key makes static codes, a url dynamic ones.")
        }
        guard !sub.hasOwnErrors, let name, let city else { return nil }
        return PixSettings(key: key, url: url, name: name, city: city)
    }

    // MARK: Remessas and retornos

    /// `POST /remessas` `{"external_id", "limit"?}`: 201 with the remessa, or 204 when no boleto waits for one.
    func createRemessa(_ call: ClientCall) async throws -> APIReply {
        var checks = FieldChecks()
        let body = try RequestBody.decode(RemessaBody.self, call.call, checks: &checks)
        let externalID = checks.string(body.externalID, "external_id", maxLength: 255, required: true)
        let limit = checks.integer(body.limit, "limit", in: 1...100_000)
        guard checks.errors.isEmpty, let externalID else { throw APIError.validation(checks.errors) }
        guard let remessa = try await service.createRemessa(clientID: call.client.id, externalID: externalID,
                                                            limit: Int(limit ?? 10_000)) else {
            return APIReply(status: .noContent, headers: [:], body: "")
        }
        return APIResponder.json(try Resources.remessa(remessa), status: .created)
    }

    /// `GET /remessas/:id`: the file, as the bank takes it.
    func downloadRemessa(_ call: ClientCall) async throws -> APIReply {
        guard !call.id.isEmpty, let remessa = try await store.remessa(clientID: call.client.id, id: call.id) else {
            throw APIError.notFound("Remessa")
        }
        var headers: HTTPFields = [.contentType: "text/plain; charset=us-ascii"]
        headers[.contentDisposition] = "attachment; filename=\"remessa-\(remessa.bank)-\(remessa.sequence).rem\""
        headers[HTTPField.Name("X-Remessa-Sha256")!] = remessa.sha256
        return APIReply(status: .ok, headers: headers, body: remessa.content)
    }

    /// `POST /retornos` `{"external_id", "content_base64"}`: 201 with what the file did; the same file again answers
    /// 200 with the first upload's report and changes nothing.
    func uploadRetorno(_ call: ClientCall) async throws -> APIReply {
        var checks = FieldChecks()
        let body = try RequestBody.decode(RetornoBody.self, call.call, checks: &checks)
        let externalID = checks.string(body.externalID, "external_id", maxLength: 255, required: true)
        let encoded = checks.string(body.contentBase64, "content_base64", maxLength: Int.max, required: true)
        guard checks.errors.isEmpty, let externalID, let encoded else { throw APIError.validation(checks.errors) }
        guard let data = Data(base64Encoded: encoded, options: [.ignoreUnknownCharacters]), !data.isEmpty else {
            throw APIError.validation([.invalid("content_base64", "content_base64 must be the retorno file in base64.")])
        }
        let (report, replayed) = try await service.applyRetorno(clientID: call.client.id, externalID: externalID, bytes: [UInt8](data))
        var reply = APIReply(status: replayed ? .ok : .created, headers: [.contentType: "application/json; charset=utf-8"], body: report)
        if replayed { reply.headers[HTTPField.Name("X-Retorno-Replayed")!] = "true" }
        return reply
    }
}
