import BoletoJSON
import BoletoKit
import Foundation

/// Itaú's changes of a registered title: one `PATCH …/boletos/{id_boleto}/<instrução>` per instruction, each answering
/// 204 (`bank-rest-apis.md`, "Change"; the bodies as Itaú's clients send them). A PATCH takes decimal strings, not
/// the registration's implied-decimal digits:
///
/// | instrução | body | what |
/// |---|---|---|
/// | `data_vencimento` | `{data_vencimento: "AAAA-MM-DD"}` | due date |
/// | `valor_nominal` | `{valor_titulo: "250.00"}` | amount |
/// | `abatimento` | `{valor_abatimento: "10.00"}` (`"0.00"` withdraws it) | abatimento |
/// | `desconto` | `{codigo_tipo_desconto: "00" \| "01" \| "02", descontos: [{data_desconto, valor_desconto \| percentual_desconto}]}` | discounts, one kind for all |
///
/// One instruction per change (``carriesSeveralKinds`` false), so a change is never half applied. Protest and
/// write-off instructions (`protesto`, `baixa` after N days) take bodies no source read gives, so they are not offered.
enum ItauAlteration {
    static let alterable: Set<BoletoAlteration.Kind> = [.dueDate, .amount, .discounts, .abatement]

    /// A percentage with five decimals, `"5.00000"`.
    static func rate(_ percent: Percent?) -> String {
        let value = percent?.hundredThousandths ?? 0
        return String(format: "%lld.%05lld", value / 100_000, value % 100_000)
    }

    /// The one instruction and its body for `alteration`; nil when it carries none or more than one.
    static func instruction(_ alteration: BoletoAlteration) -> (path: String, body: JSON)? {
        var found: [(String, JSON)] = []
        if let due = alteration.dueDate { found.append(("data_vencimento", .object([("data_vencimento", .string(due.description))]))) }
        if let amount = alteration.amountCents { found.append(("valor_nominal", .object([("valor_titulo", .string(MoneyText.decimal(amount)))]))) }
        if let abatement = alteration.abatementCents {
            found.append(("abatimento", .object([("valor_abatimento", .string(MoneyText.decimal(abatement)))])))
        }
        if let discounts = alteration.discounts {
            let code = discounts.first.map { $0.kind == .amount ? "01" : "02" } ?? "00"
            let list: [JSON] = discounts.map { discount in
                .object([("data_desconto", .string(discount.until.description)),
                         discount.kind == .amount ? ("valor_desconto", .string(MoneyText.decimal(discount.amountCents ?? 0)))
                             : ("percentual_desconto", .string(rate(discount.percent)))])
            }
            found.append(("desconto", .object([("codigo_tipo_desconto", .string(code)), ("descontos", .array(list))])))
        }
        guard found.count == 1, alteration.afterDue == nil else { return nil }
        return found[0]
    }
}

extension ItauBoletos: BoletoAlterer {
    public var alterable: Set<BoletoAlteration.Kind> { ItauAlteration.alterable }
    public var carriesSeveralKinds: Bool { false }

    public func alter(_ request: RegistrationRequest, _ alteration: BoletoAlteration) async -> AlterationOutcome {
        guard let id = ItauRequest.titleID(request) else {
            return .refused(code: "FIELDS", message: "input.agency, input.account, input.wallet and input.nossoNumero must make an Itaú title id")
        }
        guard let (path, body) = ItauAlteration.instruction(alteration) else {
            return .refused(code: "FIELDS", message: "Itaú takes one instruction per change.")
        }
        switch await call(.PATCH, configuration.api.url.appending(apiPath: "/boletos/\(id)/\(path)"), body: body) {
        case .configuration(let reason): return .refused(code: "CONFIG", message: reason)
        case .transient(let reason): return .transient(reason: reason)
        case .answered(let status, let json):
            switch status {
            case 200...299:
                return .altered
            case 400, 404, 409, 422:
                return .refused(code: String(status), message: ItauAnswer.message(json, status: status))
            default:
                let (isTransient, reason) = Self.unexpected(status)
                return isTransient ? .transient(reason: reason) : .refused(code: "CONFIG", message: reason)
            }
        }
    }
}
