import BoletoJSON
import BoletoKit
import Foundation

/// The register body of Itaú's Boletos API (`POST …/cash_management/v2/boletos`, `{"data": {…}}`), built from a
/// ``RegistrationRequest``, and the identifiers the other calls take.
///
/// | field | value | from |
/// |---|---|---|
/// | `etapa_processo_boleto` | `"validacao"` (checked, not registered) or `"efetivacao"` (registered) | the call |
/// | `beneficiario.id_beneficiario` | agência (4) + conta (7) + DAC (1) | `input.agency`, `input.account`, `input.accountDV` |
/// | `dado_boleto.descricao_instrumento_cobranca` | `"boleto"`, or `"boleto_pix"` with PIX | the configuration |
/// | `dado_boleto.codigo_carteira` | 3 digits | `input.wallet` |
/// | `dado_boleto.valor_total_titulo` | cents, a 17-digit zero-padded string | `input.amountCents` |
/// | `dado_boleto.codigo_especie` | `"01"` (duplicata mercantil) | |
/// | `dado_boleto.data_emissao` | `YYYY-MM-DD` | `issueDate` (today in São Paulo when nil) |
/// | `dado_boleto.texto_seu_numero` | `extra.seu_numero` or `extra.document_number`, else the nosso número's 8 digits; at most 10 characters | `input` |
/// | `dado_boleto.pagador.pessoa` | `nome_pessoa` (first 50 characters), `tipo_pessoa{codigo_tipo_pessoa "F"/"J", numero_cadastro_pessoa_fisica / numero_cadastro_nacional_pessoa_juridica}` | payer |
/// | `dado_boleto.pagador.endereco` | `nome_logradouro` (street, number and complement, first 45), `nome_bairro` (15), `nome_cidade` (20), `sigla_UF`, `numero_CEP` (8 digits); only with an address | `payerAddress` |
/// | `dado_boleto.dados_individuais_boleto[0]` | `numero_nosso_numero` (8 digits), `data_vencimento` (`YYYY-MM-DD`), `valor_titulo` (17-digit cents) | `input` |
///
/// The terms, each sent only when the boleto has it (percentages as 12 digits with 5 implied decimals, amounts as
/// 17-digit cents, dates `YYYY-MM-DD`):
///
/// | field | value | from `terms` |
/// |---|---|---|
/// | `dado_boleto.juros` | `codigo_tipo_juros` `90` (percentual mensal) or `91` (percentual diário) with `percentual_juros`, or `93` (valor diário) with `valor_juros`; `data_juros` when it does not start the day after the due date | `interest` |
/// | `dado_boleto.multa` | `codigo_tipo_multa` `01` (valor fixo) with `valor_multa` or `02` (percentual) with `percentual_multa`; `data_multa` likewise | `fine` |
/// | `dado_boleto.desconto` | `codigo_tipo_desconto` `01` (valor fixo até a data) or `02` (percentual até a data), `descontos[{data_desconto, valor_desconto or percentual_desconto}]` | `discounts` |
/// | `dado_boleto.valor_abatimento` | 17-digit cents | `abatementCents` |
/// | `dado_boleto.protesto` | `{protesto: true, quantidade_dias_protesto}` | `afterDue: .protest` |
/// | `dados_individuais_boleto[0].data_limite_pagamento` | the last day it may be paid | `paymentLimitDate`, or the due date plus `afterDue: .writeOff` days |
enum ItauRequest {
    /// What Itaú's register body carries (``TermsSupport``): every interest kind with a start date, discounts of one
    /// kind, protest 1–99 days, a write-off as the payment limit date.
    static let termsSupport = TermsSupport(
        interest: [.percentPerMonth, .percentPerDay, .amountPerDay], interestStartDate: true, fine: [.percent, .amount],
        fineStartDate: true, discounts: [.percent, .amount], maximumDiscounts: 3, discountsOfOneKind: true, abatement: true,
        protestDays: 1...99, writeOffDays: 1...999, paymentLimitDate: true)

    /// A percentage as Itaú writes it at registration: 12 digits, 5 of them decimals.
    static func rate(_ percent: Percent?) -> String { Digits(max(0, percent?.hundredThousandths ?? 0), width: 12).description }

    /// The two steps of a registration call.
    enum Step: String {
        /// Itaú checks the fields and registers nothing.
        case validation = "validacao"
        /// Itaú registers the title.
        case registration = "efetivacao"
    }

    /// `digits` fitted to `width` (zero-padded; longer only with leading zeros), or nil.
    static func fitted(_ value: String?, width: Int) -> Digits? {
        try? Digits.field(value, width: width, name: "field")
    }

    /// The conta's DAC: `input.accountDV` when given, else modulo 10 of agência and conta (as BoletoKit's Itaú layout
    /// computes it; the conta's zero padding from 5 to 7 digits keeps the weights, so both widths give one digit).
    static func accountDAC(_ input: BoletoInput, agency: Digits, account: Digits) -> Int? {
        if let given = input.accountDV, !given.isEmpty {
            guard given.utf8.count == 1, let digit = Digits(given) else { return nil }
            return digit[0]
        }
        return Modulo10.checkDigit(of: agency + account)
    }

    /// `id_beneficiario`: agência (4) + conta (7) + DAC (1), or nil when the request has no such account.
    static func beneficiaryID(_ request: RegistrationRequest) -> String? {
        let input = request.input
        guard let agency = fitted(input.agency, width: 4), let account = fitted(input.account, width: 7),
              let dac = accountDAC(input, agency: agency, account: account) else { return nil }
        var id = agency + account
        id.append(dac)
        return id.description
    }

    /// The nosso número's 8 digits.
    static func nossoNumero(_ request: RegistrationRequest) -> String? {
        fitted(request.input.nossoNumero, width: 8)?.description
    }

    /// The carteira's 3 digits.
    static func wallet(_ request: RegistrationRequest) -> String? {
        fitted(request.input.wallet, width: 3)?.description
    }

    /// `id_boleto`: `id_beneficiario` (12) + carteira (3) + nosso número (8), the title's id in the write-off.
    static func titleID(_ request: RegistrationRequest) -> String? {
        guard let beneficiary = beneficiaryID(request), let carteira = wallet(request), let number = nossoNumero(request) else { return nil }
        return beneficiary + carteira + number
    }

    /// What Itaú would refuse in `request`, each naming its field; empty when it can be sent.
    static func problems(in request: RegistrationRequest) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let input = request.input
        if input.bank != "341" { problems.append(FieldProblem(field: .bank, message: "must be 341 for Itaú")) }
        let agency = fitted(input.agency, width: 4)
        if agency == nil { problems.append(FieldProblem(field: .agency, message: "must be the agência, at most 4 digits")) }
        if let account = fitted(input.account, width: 7) {
            if let agency, accountDAC(input, agency: agency, account: account) == nil {
                problems.append(FieldProblem(field: .account, message: "the conta's DAC (accountDV) must be one digit"))
            }
        } else {
            problems.append(FieldProblem(field: .account, message: "must be the conta, at most 7 digits"))
        }
        if wallet(request) == nil { problems.append(FieldProblem(field: .wallet, message: "must be the carteira, at most 3 digits")) }
        if nossoNumero(request) == nil { problems.append(FieldProblem(field: .nossoNumero, message: "must be at most 8 digits at Itaú")) }
        if input.dueDate == nil { problems.append(FieldProblem(field: .dueDate, message: "is required by Itaú")) }
        if input.amountCents <= 0 { problems.append(FieldProblem(field: .amount, message: "must be more than zero at Itaú")) }
        if (request.payerName ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            problems.append(FieldProblem(field: .payerName, message: "is required by Itaú"))
        }
        if request.payerDocument == nil { problems.append(FieldProblem(field: .payerDocument, message: "is required by Itaú")) }
        if let address = request.payerAddress {
            if address.zipcode.filter({ $0.isASCII && $0.isNumber }).count != 8 || address.zipcode.contains(where: \.isLetter) {
                problems.append(FieldProblem(field: .payerAddressPart(.zipcode), message: "must be a CEP of 8 digits"))
            }
            if address.state.count != 2 || !address.state.allSatisfy({ $0.isASCII && $0.isLetter }) {
                problems.append(FieldProblem(field: .payerAddressPart(.state), message: "must be the UF's two letters"))
            }
            for (part, value) in [(RequestField.AddressPart.street, address.street), (.neighborhood, address.neighborhood), (.city, address.city)]
            where value.trimmingCharacters(in: .whitespaces).isEmpty {
                problems.append(FieldProblem(field: .payerAddressPart(part), message: "is required by Itaú in an address"))
            }
        }
        return problems
    }

    /// The body for `request` (which has no ``problems(in:)``), issued on `today` unless the request says when.
    static func body(_ request: RegistrationRequest, step: Step, today: CalendarDate, pix: Bool) -> JSON {
        let input = request.input
        let cents = amount(input.amountCents)
        let number = nossoNumero(request) ?? ""
        var titleFields: [(String, JSON)] = [
            ("numero_nosso_numero", .string(number)),
            ("data_vencimento", .string(input.dueDate?.description ?? "")),
            ("valor_titulo", .string(cents)),
        ]
        let terms = request.terms ?? BoletoTerms()
        var limit = terms.paymentLimitDate
        if case .writeOff(let days)? = terms.afterDue, let due = input.dueDate { limit = due.adding(days: days) }
        if let limit { titleFields.append(("data_limite_pagamento", .string(limit.description))) }
        let title: JSON = .object(titleFields)
        var boletoFields: [(String, JSON)] = [
            ("descricao_instrumento_cobranca", .string(pix ? "boleto_pix" : "boleto")),
            ("codigo_carteira", .string(wallet(request) ?? "")),
            ("valor_total_titulo", .string(cents)),
            ("codigo_especie", .string("01")),
            ("data_emissao", .string((request.issueDate ?? today).description)),
            ("texto_seu_numero", .string(seuNumero(input, nossoNumero: number))),
            ("pagador", payer(request)),
            ("dados_individuais_boleto", .array([title])),
        ]
        boletoFields += termPairs(terms)
        let boleto: JSON = .object(boletoFields)
        return .object([("data", .object([
            ("etapa_processo_boleto", .string(step.rawValue)),
            ("beneficiario", .object([("id_beneficiario", .string(beneficiaryID(request) ?? ""))])),
            ("dado_boleto", boleto),
        ]))])
    }

    /// `dado_boleto`'s term fields (the table above), except the payment limit, which is the title's.
    static func termPairs(_ terms: BoletoTerms) -> [(String, JSON)] {
        var pairs: [(String, JSON)] = []
        if let interest = terms.interest {
            var fields: [(String, JSON)] = switch interest.kind {
            case .percentPerMonth: [("codigo_tipo_juros", .string("90")), ("percentual_juros", .string(rate(interest.percent)))]
            case .percentPerDay: [("codigo_tipo_juros", .string("91")), ("percentual_juros", .string(rate(interest.percent)))]
            case .amountPerDay: [("codigo_tipo_juros", .string("93")), ("valor_juros", .string(amount(interest.amountCents ?? 0)))]
            }
            if let start = interest.startDate { fields.append(("data_juros", .string(start.description))) }
            pairs.append(("juros", .object(fields)))
        }
        if let fine = terms.fine {
            var fields: [(String, JSON)] = fine.kind == .amount
                ? [("codigo_tipo_multa", .string("01")), ("valor_multa", .string(amount(fine.amountCents ?? 0)))]
                : [("codigo_tipo_multa", .string("02")), ("percentual_multa", .string(rate(fine.percent)))]
            if let start = fine.startDate { fields.append(("data_multa", .string(start.description))) }
            pairs.append(("multa", .object(fields)))
        }
        if let first = terms.discounts.first {
            let discounts = terms.discounts.map { discount -> JSON in
                .object([("data_desconto", .string(discount.until.description)),
                         discount.kind == .amount ? ("valor_desconto", .string(amount(discount.amountCents ?? 0)))
                                                  : ("percentual_desconto", .string(rate(discount.percent)))])
            }
            pairs.append(("desconto", .object([("codigo_tipo_desconto", .string(first.kind == .amount ? "01" : "02")),
                                                ("descontos", .array(discounts))])))
        }
        if let abatement = terms.abatementCents { pairs.append(("valor_abatimento", .string(amount(abatement)))) }
        if case .protest(let days)? = terms.afterDue {
            pairs.append(("protesto", .object([("protesto", .bool(true)), ("quantidade_dias_protesto", .int(Int64(days)))])))
        }
        return pairs
    }

    /// Cents as Itaú writes amounts: a 17-digit zero-padded string.
    static func amount(_ cents: Int64) -> String { Digits(max(0, cents), width: 17).description }

    /// The beneficiary's own number for the title: `extra.seu_numero` or `extra.document_number`, else the nosso
    /// número; at most 10 characters (the length of the legacy API's `seu_numero`).
    static func seuNumero(_ input: BoletoInput, nossoNumero: String) -> String {
        let own = [input.extra["seu_numero"], input.extra["document_number"]].compactMap { $0?.trimmingCharacters(in: .whitespaces) }
            .first { !$0.isEmpty }
        return String((own ?? nossoNumero).prefix(10))
    }

    /// `pagador{pessoa, endereco}`, texts cut to Itaú's lengths.
    static func payer(_ request: RegistrationRequest) -> JSON {
        let document = request.payerDocument
        let kind: [(String, JSON)] = document?.kind == .cnpj
            ? [("codigo_tipo_pessoa", .string("J")), ("numero_cadastro_nacional_pessoa_juridica", .string(document?.value ?? ""))]
            : [("codigo_tipo_pessoa", .string("F")), ("numero_cadastro_pessoa_fisica", .string(document?.value ?? ""))]
        let name = (request.payerName ?? "").trimmingCharacters(in: .whitespaces)
        var pairs: [(String, JSON)] = [("pessoa", .object([("nome_pessoa", .string(cut(name, 50))), ("tipo_pessoa", .object(kind))]))]
        if let address = request.payerAddress {
            let street = [address.street, address.streetNumber, address.complementary ?? ""]
                .map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }.joined(separator: " ")
            pairs.append(("endereco", .object([
                ("nome_logradouro", .string(cut(street, 45))),
                ("nome_bairro", .string(cut(address.neighborhood, 15))),
                ("nome_cidade", .string(cut(address.city, 20))),
                ("sigla_UF", .string(address.state.uppercased())),
                ("numero_CEP", .string(address.zipcode.filter { $0.isASCII && $0.isNumber })),
            ])))
        }
        return .object(pairs)
    }

    /// The first `length` characters of `text`, without the spaces a cut may leave at the end.
    static func cut(_ text: String, _ length: Int) -> String {
        var prefix = String(text.trimmingCharacters(in: .whitespaces).prefix(length))
        while prefix.last == " " { prefix.removeLast() }
        return prefix
    }
}
