import BoletoJSON
import BoletoKit
import BoletoRender
import HTTPTypes
import NIOCore
import Providers

/// `POST /carnes`, `GET /carnes/:id` and `GET /carnes/:id/pdf`.
///
/// A carnê's body is a boleto's (`POST /boletos`) with `installments` in place of `expiration_date` and `amount`:
/// 2 to 60 `{expiration_date, amount}`, due dates increasing. Every other field applies to every installment.
/// `title_id` (each installment gets its own), `discounts` and `payment_limit_date` (dates of one due date) are not
/// taken. Errors of an installment name it (`installments[2].expiration_date`); the others are reported once.
extension APIHandlers {
    func createCarne(_ call: ClientCall) async throws -> APIReply {
        guard case .object(let pairs) = try call.call.json() else {
            throw APIError.validation([.invalid("body", "The body must be a JSON object.")])
        }
        var errors: [FieldError] = []
        let common = pairs.filter { $0.0 != "installments" }
        for (key, _) in common where ["expiration_date", "amount", "title_id", "discounts", "payment_limit_date"].contains(key) {
            errors.append(.invalid(key, "\(key) is not taken by a carnê: due dates and amounts go in installments[], title ids are allocated, and discounts and a payment limit belong to one due date."))
        }
        guard case .array(let installments)? = pairs.first(where: { $0.0 == "installments" })?.1,
              BoletoService.carneInstallments.contains(installments.count) else {
            throw APIError.validation(errors + [.invalid("installments", "installments must be a list of 2 to 60 {expiration_date, amount}.")])
        }
        var requests: [CreateBoletoRequest] = []
        for (index, item) in installments.enumerated() {
            let path = "installments[\(index)]"
            guard case .object(let fields) = item, fields.allSatisfy({ ["expiration_date", "amount"].contains($0.0) }) else {
                errors.append(.invalid(path, "\(path) must be {expiration_date, amount}."))
                continue
            }
            let body = JSON.object(common + fields)
            let one = APICall(template: call.call.template, id: "", method: .post, headers: call.call.headers, query: [],
                              body: ByteBuffer(string: body.text), peer: call.call.peer)
            do {
                requests.append(try CreateBoletoRequest.read(one, today: .todayInSaoPaulo(), targets: targets))
            } catch {
                for problem in error.errors {
                    if let field = problem.field, field == "expiration_date" || field == "amount" {
                        var named = problem
                        named.field = path + "." + field
                        named.message = path + "." + problem.message
                        errors.append(named)
                    } else if index == 0 || problem.field == nil {
                        errors.append(problem)
                    }
                }
            }
        }
        for (index, pair) in zip(requests, requests.dropFirst()).enumerated() where pair.1.dueDate <= pair.0.dueDate {
            errors.append(.invalid("installments[\(index + 1)].expiration_date",
                                   "installments[\(index + 1)].expiration_date must be after the previous installment's."))
        }
        guard errors.isEmpty, requests.count == installments.count else { throw APIError.validation(errors) }
        let (scenario, headerErrors) = Self.sandboxScenario(call)
        guard headerErrors.isEmpty else { throw APIError.validation(headerErrors) }
        let (carne, boletos) = try await service.createCarne(requests, clientID: call.client.id, scenario: scenario,
                                                             idempotency: call.idempotency)
        return APIResponder.json(try Resources.carne(carne, boletos: boletos, payerBase: payerBase), status: .created)
    }

    func showCarne(_ call: ClientCall) async throws -> APIReply {
        guard let (carne, boletos) = try await store.carne(clientID: call.client.id, id: call.id) else { throw APIError.notFound("Carnê") }
        return APIResponder.json(try Resources.carne(carne, boletos: boletos, payerBase: payerBase), status: .ok)
    }

    /// The booklet: every installment's slip, three to an A4 page.
    func carnePDF(_ call: ClientCall) async throws -> APIReply {
        guard let (carne, boletos) = try await store.carne(clientID: call.client.id, id: call.id) else { throw APIError.notFound("Carnê") }
        let bytes = try APIResponder.rendered("carnê") { try CarnePDF.render(boletos.map(BoletoService.sheet)) }
        return APIResponder.pdf(bytes, filename: "carne-\(carne.id).pdf")
    }
}
