import BoletoJSON
import BoletoKit
import Foundation

/// The register body of Banco do Brasil's API Cobranças v2 (`POST /cobrancas/v2/boletos`, model
/// `RequisicaoRegistroBoletos`), built from a ``RegistrationRequest``.
///
/// | field | value | from |
/// |---|---|---|
/// | `numeroConvenio` | integer, 7 digits | `input.beneficiaryCode` |
/// | `numeroCarteira`, `numeroVariacaoCarteira` | integers | `input.wallet`, `input.walletVariation` |
/// | `codigoModalidade` | `1` (simples) | |
/// | `dataEmissao`, `dataVencimento` | `dd.mm.aaaa` | `issueDate` (today in São Paulo when nil), `input.dueDate` |
/// | `valorOriginal` | decimal number, 2 places | `input.amountCents` |
/// | `codigoAceite` | `"N"` | |
/// | `codigoTipoTitulo`, `descricaoTipoTitulo` | `2`, `"DM"` (duplicata mercantil) | |
/// | `indicadorPermissaoRecebimentoParcial` | `"N"` | |
/// | `numeroTituloBeneficiario` | the nosso número's 10 digits ("seu número"; A–Z, 0–9, `-`, `'`, space allowed) | |
/// | `numeroTituloCliente` | `"000"` + convênio (7) + nosso número (10): the title's id in every other call | |
/// | `mensagemBloquetoOcorrencia` | the first 30 characters of the instructions' first line, when any | `instructions` |
/// | `pagador` | `tipoInscricao` 1 (CPF) or 2 (CNPJ), `numeroInscricao` (integer), `nome`, and, with an address, `endereco`, `cep` (integer), `cidade`, `bairro`, `uf` | payer |
/// | `indicadorPix` | `"S"` or `"N"` | the configuration |
///
/// The terms (model `RequisicaoRegistroBoletos` and its `JurosMora`, `Multa`, `Desconto`, `SegundoDesconto`
/// objects), each sent only when the boleto has it:
///
/// | field | value | from `terms` |
/// |---|---|---|
/// | `jurosMora` | `{tipo 1, valor}` (reais a day) or `{tipo 2, porcentagem}` (percent a month); BB starts it the day after the due date | `interest` |
/// | `multa` | `{tipo 1, data, valor}` or `{tipo 2, data, porcentagem}`, `data` `dd.mm.aaaa` (the day after the due date by default) | `fine` |
/// | `desconto` | `{tipo 1 (valor fixo até a data) or 2 (percentual até a data), dataExpiracao, valor or porcentagem}` | `discounts[0]` |
/// | `segundoDesconto`, `terceiroDesconto` | `{dataExpiracao, valor or porcentagem}`, of the first one's `tipo` | `discounts[1]`, `discounts[2]` |
/// | `valorAbatimento` | decimal reais | `abatementCents` |
/// | `quantidadeDiasProtesto` | days after the due date | `afterDue: .protest` |
/// | `indicadorAceiteTituloVencido`, `numeroDiasLimiteRecebimento` | `"S"` and the days after the due date it may still be paid | `afterDue: .writeOff`, or `paymentLimitDate` − due date |
enum BancoDoBrasilRequest {
    /// What BB's register body carries (``TermsSupport``): no interest start date and no percent-a-day interest,
    /// discounts of one kind.
    static let termsSupport = TermsSupport(
        interest: [.percentPerMonth, .amountPerDay], fine: [.percent, .amount], fineStartDate: true,
        discounts: [.percent, .amount], maximumDiscounts: 3, discountsOfOneKind: true, abatement: true,
        protestDays: 1...99, writeOffDays: 1...999, paymentLimitDate: true)

    /// `"000"` + convênio (7 digits) + nosso número (10 digits), or nil when the request has no such pair.
    static func titleID(_ request: RegistrationRequest) -> String? {
        guard let convenio = request.input.beneficiaryCode, convenio.utf8.count == 7, Digits(convenio) != nil,
              let number = number(request.input.nossoNumero, convenio: convenio) else { return nil }
        return "000" + convenio + number.description
    }

    /// The nosso número's 10 digits after the convênio: up to 10 digits, or the 17-digit form that starts with the
    /// convênio (which BoletoKit also takes).
    static func number(_ text: String, convenio: String) -> Digits? {
        if text.utf8.count == 17, text.hasPrefix(convenio) { return Digits(String(text.dropFirst(7))) }
        return try? Digits.field(text, width: 10, name: "nosso_numero")
    }

    /// What Banco do Brasil would refuse in `request`, each naming its field; empty when it can be sent.
    static func problems(in request: RegistrationRequest) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let input = request.input
        if input.bank != "001" { problems.append(FieldProblem(field: .bank, message: "must be 001 for Banco do Brasil")) }
        if let convenio = input.beneficiaryCode, convenio.utf8.count == 7, Digits(convenio) != nil {} else {
            problems.append(FieldProblem(field: .beneficiaryCode, message: "must be the 7-digit convênio (the API takes convênios of 7 digits)"))
        }
        if number(input.nossoNumero, convenio: input.beneficiaryCode ?? "") == nil {
            problems.append(FieldProblem(field: .nossoNumero, message: "must be at most 10 digits after the convênio"))
        }
        for (field, value) in [(RequestField.wallet, input.wallet), (.walletVariation, input.walletVariation)] {
            if let value, (1...3).contains(value.utf8.count), Digits(value) != nil {} else {
                problems.append(FieldProblem(field: field, message: "must be 1 to 3 digits"))
            }
        }
        if input.dueDate == nil { problems.append(FieldProblem(field: .dueDate, message: "is required by Banco do Brasil")) }
        if input.amountCents <= 0 { problems.append(FieldProblem(field: .amount, message: "must be more than zero at Banco do Brasil")) }
        if (request.payerName ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(FieldProblem(field: .payerName, message: "is required by Banco do Brasil"))
        }
        if request.payerDocument == nil { problems.append(FieldProblem(field: .payerDocument, message: "is required by Banco do Brasil")) }
        return problems
    }

    /// The body for `request` (which has no ``problems(in:)``), issued on `today` unless the request says when.
    static func body(_ request: RegistrationRequest, today: CalendarDate, pix: Bool) -> JSON {
        let input = request.input
        var pairs: [(String, JSON)] = [
            ("numeroConvenio", .int(Int64(input.beneficiaryCode ?? "") ?? 0)),
            ("numeroCarteira", .int(Int64(input.wallet ?? "") ?? 0)),
            ("numeroVariacaoCarteira", .int(Int64(input.walletVariation ?? "") ?? 0)),
            ("codigoModalidade", .int(1)),
            ("dataEmissao", .string(date(request.issueDate ?? today))),
            ("dataVencimento", .string(input.dueDate.map(date) ?? "")),
            ("valorOriginal", .double(Double(input.amountCents) / 100)),
            ("codigoAceite", .string("N")),
            ("codigoTipoTitulo", .int(2)),
            ("descricaoTipoTitulo", .string("DM")),
            ("indicadorPermissaoRecebimentoParcial", .string("N")),
            ("numeroTituloBeneficiario", .string(String((titleID(request) ?? "").suffix(10)))),
            ("numeroTituloCliente", .string(titleID(request) ?? "")),
        ]
        if let message = message(request.instructions) { pairs.append(("mensagemBloquetoOcorrencia", .string(message))) }
        if let terms = request.terms, let due = input.dueDate { pairs += termPairs(terms, dueDate: due) }
        pairs.append(("pagador", payer(request)))
        pairs.append(("indicadorPix", .string(pix ? "S" : "N")))
        return .object(pairs)
    }

    /// The body's term fields (the table above); `terms` has no problems against ``termsSupport``.
    static func termPairs(_ terms: BoletoTerms, dueDate: CalendarDate) -> [(String, JSON)] {
        func reais(_ cents: Int64) -> JSON { .double(Double(cents) / 100) }
        func rate(_ percent: Percent?) -> JSON { .double(percent?.value ?? 0) }
        var pairs: [(String, JSON)] = []
        if let interest = terms.interest {
            pairs.append(("jurosMora", interest.kind == .amountPerDay
                ? .object([("tipo", .int(1)), ("valor", reais(interest.amountCents ?? 0))])
                : .object([("tipo", .int(2)), ("porcentagem", rate(interest.percent))])))
        }
        if let fine = terms.fine {
            let day = JSON.string(date(fine.startDate ?? dueDate.adding(days: 1)))
            pairs.append(("multa", fine.kind == .amount
                ? .object([("tipo", .int(1)), ("data", day), ("valor", reais(fine.amountCents ?? 0))])
                : .object([("tipo", .int(2)), ("data", day), ("porcentagem", rate(fine.percent))])))
        }
        for (index, discount) in terms.discounts.prefix(3).enumerated() {
            var fields: [(String, JSON)] = index == 0 ? [("tipo", .int(discount.kind == .amount ? 1 : 2))] : []
            fields.append(("dataExpiracao", .string(date(discount.until))))
            fields.append(discount.kind == .amount ? ("valor", reais(discount.amountCents ?? 0)) : ("porcentagem", rate(discount.percent)))
            pairs.append((["desconto", "segundoDesconto", "terceiroDesconto"][index], .object(fields)))
        }
        if let abatement = terms.abatementCents { pairs.append(("valorAbatimento", reais(abatement))) }
        if case .protest(let days)? = terms.afterDue { pairs.append(("quantidadeDiasProtesto", .int(Int64(days)))) }
        let limitDays: Int? = if case .writeOff(let days)? = terms.afterDue { days } else { terms.paymentLimitDate.map { $0.days(since: dueDate) } }
        if let limitDays {
            // 0: payable only until the due date (the next business day), BB's "N".
            pairs += limitDays > 0 ? [("indicadorAceiteTituloVencido", .string("S")), ("numeroDiasLimiteRecebimento", .int(Int64(limitDays)))]
                : [("indicadorAceiteTituloVencido", .string("N"))]
        }
        return pairs
    }

    /// `dd.mm.aaaa`.
    static func date(_ date: CalendarDate) -> String {
        let iso = date.description
        let parts = iso.split(separator: "-")
        return "\(parts[2]).\(parts[1]).\(parts[0])"
    }

    /// The instructions' first line, at most 30 characters.
    static func message(_ instructions: String?) -> String? {
        guard let first = instructions?.split(whereSeparator: \.isNewline).first else { return nil }
        let text = first.trimmingCharacters(in: .whitespaces)
        return text.isEmpty ? nil : String(text.prefix(30))
    }

    static func payer(_ request: RegistrationRequest) -> JSON {
        let document = request.payerDocument
        var pairs: [(String, JSON)] = [
            ("tipoInscricao", .int(document?.kind == .cpf ? 1 : 2)),
            ("numeroInscricao", .int(Int64(document?.value ?? "") ?? 0)),
            ("nome", .string(request.payerName ?? "")),
        ]
        if let address = request.payerAddress {
            let street = [address.street, address.streetNumber, address.complementary ?? ""].filter { !$0.isEmpty }.joined(separator: " ")
            pairs += [("endereco", .string(street)), ("cep", .int(Int64(address.zipcode.filter(\.isNumber)) ?? 0)),
                      ("cidade", .string(address.city)), ("bairro", .string(address.neighborhood)), ("uf", .string(address.state))]
        }
        return .object(pairs)
    }
}
