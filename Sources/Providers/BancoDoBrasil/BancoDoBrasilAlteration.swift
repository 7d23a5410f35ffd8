import BoletoJSON
import BoletoKit

/// Banco do Brasil's change of a registered title: one `PATCH /cobrancas/v2/boletos/{id}` whose S/N flags say what
/// changes, each with its own object (API Cobranças v2, "Alteração de boletos", as BB's clients build it):
///
/// | flag | object | what |
/// |---|---|---|
/// | `indicadorNovaDataVencimento` | `alteracaoData{novaDataVencimento}` | due date, `dd.mm.aaaa` |
/// | `indicadorNovoValorNominal` | `alteracaoValor{novoValorNominal}` | amount, reais |
/// | `indicadorAtribuirDesconto` | `desconto{tipoPrimeiroDesconto, valorPrimeiroDesconto, percentualPrimeiroDesconto, dataPrimeiroDesconto, …Segundo…, …Terceiro…}` | discounts (tipo 0 none, 1 valor até a data, 2 percentual até a data) |
/// | `indicadorIncluirAbatimento` | `abatimento{valorAbatimento}` | an abatimento on a title without one |
/// | `indicadorAlterarAbatimento` | `alteracaoAbatimento{novoValorAbatimento}` | a title's abatimento changed |
/// | `indicadorCancelarAbatimento` | | a title's abatimento withdrawn |
/// | `indicadorProtestar` | `protesto{quantidadeDiasProtesto}` | protest after N days |
/// | `indicadorCancelarProtesto` | | a protest instruction withdrawn before it went to the notary |
///
/// Every other flag BB lists is sent as `N`. BB answers 200 without the barcode: the caller computes it again.
/// Write-off days (BB's `numeroDiasLimiteRecebimento`) change through a flag whose object no source read describes,
/// so they are not offered.
enum BancoDoBrasilAlteration {
    static let alterable: Set<BoletoAlteration.Kind> = [.dueDate, .amount, .discounts, .abatement, .protest]

    /// Every flag of the change body, `N` unless set.
    static let flags = [
        "indicadorNovaDataVencimento", "indicadorNovoValorNominal", "indicadorAtribuirDesconto", "indicadorAlterarDesconto",
        "indicadorAlterarDataDesconto", "indicadorProtestar", "indicadorSustacaoProtesto", "indicadorCancelarProtesto",
        "indicadorIncluirAbatimento", "indicadorAlterarAbatimento", "indicadorCancelarAbatimento", "indicadorCobrarJuros",
        "indicadorDispensarJuros", "indicadorCobrarMulta", "indicadorDispensarMulta", "indicadorNegativar",
        "indicadorAlterarSeuNumero", "indicadorAlterarEnderecoPagador", "indicadorAlterarPrazoBoletoVencido",
    ]

    /// The PATCH body for `alteration` of a title whose terms were `previous`.
    static func body(_ alteration: BoletoAlteration, convenio: Int64, previous: BoletoTerms?) -> JSON {
        func reais(_ cents: Int64) -> JSON { .double(Double(cents) / 100) }
        var set: [String] = []
        var objects: [(String, JSON)] = []
        if let due = alteration.dueDate {
            set.append("indicadorNovaDataVencimento")
            objects.append(("alteracaoData", .object([("novaDataVencimento", .string(BancoDoBrasilRequest.date(due)))])))
        }
        if let amount = alteration.amountCents {
            set.append("indicadorNovoValorNominal")
            objects.append(("alteracaoValor", .object([("novoValorNominal", reais(amount))])))
        }
        if let discounts = alteration.discounts {
            set.append("indicadorAtribuirDesconto")
            var fields: [(String, JSON)] = []
            for (index, name) in ["Primeiro", "Segundo", "Terceiro"].enumerated() {
                guard index < discounts.count else {
                    if index == 0 { fields.append(("tipoPrimeiroDesconto", .int(0))) }
                    break
                }
                let discount = discounts[index]
                fields.append(("tipo\(name)Desconto", .int(discount.kind == .amount ? 1 : 2)))
                fields.append(discount.kind == .amount ? ("valor\(name)Desconto", reais(discount.amountCents ?? 0))
                              : ("percentual\(name)Desconto", .double(discount.percent?.value ?? 0)))
                fields.append(("data\(name)Desconto", .string(BancoDoBrasilRequest.date(discount.until))))
            }
            objects.append(("desconto", .object(fields)))
        }
        if let abatement = alteration.abatementCents {
            if abatement == 0 {
                set.append("indicadorCancelarAbatimento")
            } else if (previous?.abatementCents ?? 0) == 0 {
                set.append("indicadorIncluirAbatimento")
                objects.append(("abatimento", .object([("valorAbatimento", reais(abatement))])))
            } else {
                set.append("indicadorAlterarAbatimento")
                objects.append(("alteracaoAbatimento", .object([("novoValorAbatimento", reais(abatement))])))
            }
        }
        switch alteration.afterDue {
        case .protest(let days)?:
            set.append("indicadorProtestar")
            objects.append(("protesto", .object([("quantidadeDiasProtesto", .int(Int64(days)))])))
        case .none?:
            if case .protest? = previous?.afterDue { set.append("indicadorCancelarProtesto") }
        case .writeOff?, nil:
            break
        }
        var pairs: [(String, JSON)] = [("numeroConvenio", .int(convenio))]
        pairs += flags.map { ($0, JSON.string(set.contains($0) ? "S" : "N")) }
        return .object(pairs + objects)
    }
}

extension BancoDoBrasilCobranca: BoletoAlterer {
    public var alterable: Set<BoletoAlteration.Kind> { BancoDoBrasilAlteration.alterable }

    public func alter(_ request: RegistrationRequest, _ alteration: BoletoAlteration) async -> AlterationOutcome {
        guard let id = BancoDoBrasilRequest.titleID(request), let convenio = Int64(request.input.beneficiaryCode ?? "") else {
            return .refused(code: "FIELDS", message: "input.beneficiaryCode and input.nossoNumero must make a BB title id")
        }
        let body = BancoDoBrasilAlteration.body(alteration, convenio: convenio, previous: request.terms)
        switch await call(.PATCH, "/boletos/\(id)", body: body) {
        case .configuration(let reason): return .refused(code: "CONFIG", message: reason)
        case .transient(let reason): return .transient(reason: reason)
        case .answered(let status, let json):
            switch status {
            case 200...299:
                return .altered
            case 400, 404, 409, 422:
                guard let (code, message) = BancoDoBrasilAnswer.error(json) else {
                    return .refused(code: String(status), message: "Banco do Brasil answered HTTP \(status) without its error list.")
                }
                return .refused(code: code, message: message)
            case 408, 429, 500...599:
                return .transient(reason: "Banco do Brasil answered HTTP \(status).")
            default:
                return .refused(code: "CONFIG", message: "Banco do Brasil answered HTTP \(status): check the application key and the API URL.")
            }
        }
    }
}
