import BoletoKit
import Foundation

/// The JSON of a Bradesco "registro online" registration (`registrarTitulo`), field by field. Every value is a
/// string (the bank takes no numbers, booleans or nulls); dates are `dd.MM.yyyy`, amounts are cents as digits,
/// and free text is ``BradescoText`` (NFKC, printable Latin-1), written as UTF-8 without `\u` escapes, which the
/// bank does not decode.
///
/// | key | length | content |
/// |---|---|---|
/// | `nuCPFCNPJ` | 8 / 9 | beneficiary CNPJ root, or CPF digits 1–9 |
/// | `filialCPFCNPJ` | 4 | CNPJ branch, or `0` for a CPF |
/// | `ctrlCPFCNPJ` | 2 | check digits |
/// | `cdTipoAcesso` | | `2` |
/// | `clubBanco` | | `2269651` |
/// | `cdTipoContrato` | | `48` |
/// | `idProduto` | 2 | carteira |
/// | `nuNegociacao` | 18 | agência(4) + `0000000` + conta(7) |
/// | `cdBanco` | | `237` |
/// | `tpRegistro` | | `1` |
/// | `nuTitulo` | 11 | nosso número, without DV |
/// | `nuCliente` | 10 | "seu número": the nosso número's last 10 digits |
/// | `dtEmissaoTitulo`, `dtVencimentoTitulo` | 10 | `dd.MM.yyyy` |
/// | `tpVencimento` | | `0` |
/// | `vlNominalTitulo` | | cents |
/// | `cdEspecieTitulo` | 2 | `02` (duplicata mercantil) |
/// | `nomePagador` | 70 | |
/// | `logradouroPagador`, `nuLogradouroPagador`, `complementoLogradouroPagador` | 40, 10, 15 | |
/// | `cepPagador`, `complementoCepPagador` | 5, 3 | |
/// | `bairroPagador`, `municipioPagador`, `ufPagador` | 40, 30, 2 | |
/// | `cdIndCpfcnpjPagador` | 1 | `1` CPF, `2` CNPJ |
/// | `nuCpfcnpjPagador` | 14 | zero-padded digits: an alphanumeric CNPJ is refused at creation |
/// | `endEletronicoPagador` | 70 | e-mail; empty |
///
/// The terms, each key sent only when the boleto has the term (keys and formats as Bradesco's registration model
/// documents them; percentages are 8 digits, 3 integer and 5 decimal: 2 % is `00200000`):
///
/// | key | content | from `terms` |
/// |---|---|---|
/// | `vlJuros`, `qtdeDiasJuros` | cents a day; days after the due date it starts (2 digits) | `interest` (`amount_per_day`) |
/// | `percentualMulta` or `vlMulta`, `qtdeDiasMulta` | percentage or cents; days after the due date (3 digits) | `fine` |
/// | `percentualDescontoN` or `vlDescontoN`, `dataLimiteDescontoN` | N = 1…3; `dd.MM.yyyy` | `discounts` |
/// | `vlAbatimento` | cents | `abatementCents` |
///
/// The key set is the one boleto-api sent to Bradesco in production; the protest fields are left out, as its review
/// asked. A percentage of interest is not sent: no source read says whether `percentualJuros` is a month's or a day's
/// rate.
enum BradescoRequest {
    /// What the registration carries (``TermsSupport``).
    static let termsSupport = TermsSupport(
        interest: [.amountPerDay], interestStartDate: true, fine: [.percent, .amount], fineStartDate: true,
        discounts: [.percent, .amount], maximumDiscounts: 3, abatement: true)

    /// The term keys (the table above).
    static func termFields(_ terms: BoletoTerms, dueDate: CalendarDate) -> [String: String] {
        var fields: [String: String] = [:]
        func rate(_ percent: Percent?) -> String { pad(String(max(0, percent?.hundredThousandths ?? 0)), 8) }
        func days(_ start: CalendarDate?) -> String { String(start.map { $0.days(since: dueDate) } ?? 1) }
        if let interest = terms.interest {
            fields["vlJuros"] = String(interest.amountCents ?? 0)
            fields["qtdeDiasJuros"] = days(interest.startDate)
        }
        if let fine = terms.fine {
            if fine.kind == .amount { fields["vlMulta"] = String(fine.amountCents ?? 0) } else { fields["percentualMulta"] = rate(fine.percent) }
            fields["qtdeDiasMulta"] = days(fine.startDate)
        }
        for (index, discount) in terms.discounts.prefix(3).enumerated() {
            let n = String(index + 1)
            if discount.kind == .amount { fields["vlDesconto" + n] = String(discount.amountCents ?? 0) } else {
                fields["percentualDesconto" + n] = rate(discount.percent)
            }
            fields["dataLimiteDesconto" + n] = date(discount.until)
        }
        if let abatement = terms.abatementCents { fields["vlAbatimento"] = String(abatement) }
        return fields
    }

    /// The terms Bradesco refuses beyond ``termsSupport``: start dates past the key's digits, percentages of 1 000 % or
    /// more.
    static func termProblems(_ terms: BoletoTerms?, dueDate: CalendarDate?) -> [FieldProblem] {
        guard let terms else { return [] }
        var problems = termsSupport.problems(terms, bank: "Bradesco")
        if let start = terms.interest?.startDate, let dueDate, start.days(since: dueDate) > 99 {
            problems.append(FieldProblem(field: .terms("interest.start_date"), message: "Bradesco starts interest at most 99 days after the due date."))
        }
        if let start = terms.fine?.startDate, let dueDate, start.days(since: dueDate) > 999 {
            problems.append(FieldProblem(field: .terms("fine.start_date"), message: "Bradesco applies a fine at most 999 days after the due date."))
        }
        return problems
    }

    /// The field limits, by request field.
    static let limits: [(field: RequestField, key: String, length: Int)] = [
        (.payerName, "nomePagador", 70), (.payerAddressPart(.street), "logradouroPagador", 40),
        (.payerAddressPart(.streetNumber), "nuLogradouroPagador", 10),
        (.payerAddressPart(.complementary), "complementoLogradouroPagador", 15),
        (.payerAddressPart(.neighborhood), "bairroPagador", 40), (.payerAddressPart(.city), "municipioPagador", 30),
    ]

    /// Every field the bank would reject, before anything is signed.
    static func problems(in request: RegistrationRequest) -> [FieldProblem] {
        var problems: [FieldProblem] = termProblems(request.terms, dueDate: request.input.dueDate)
        if request.beneficiary == nil {
            problems.append(FieldProblem(field: .beneficiary, message: "is required by Bradesco (the beneficiary's CNPJ or CPF)."))
        }
        if request.input.bank != "237" {
            problems.append(FieldProblem(field: .bank, message: "Bradesco registers only bank 237 boletos."))
        }
        if (request.input.agency ?? "").count > 4 || (request.input.account ?? "").count > 7 {
            problems.append(FieldProblem(field: .account, message: "Bradesco takes an agency of 4 digits and an account of 7."))
        }
        let name = BradescoText.normalize(request.payerName ?? "").trimmingCharacters(in: .whitespaces)
        if name.isEmpty {
            problems.append(FieldProblem(field: .payerName, message: "is required by Bradesco, in Latin-1 characters."))
        }
        if let payer = request.payerDocument {
            if !payer.value.allSatisfy(\.isASCIIDigit) {
                problems.append(FieldProblem(field: .payerDocument,
                                             message: "Bradesco registro online takes a numeric CPF or CNPJ (nuCpfcnpjPagador); an alphanumeric CNPJ cannot be sent."))
            }
        } else {
            problems.append(FieldProblem(field: .payerDocument, message: "is required by Bradesco."))
        }
        if let beneficiary = request.beneficiary?.document, !beneficiary.value.allSatisfy(\.isASCIIDigit) {
            problems.append(FieldProblem(field: .beneficiary,
                                         message: "Bradesco registro online takes a numeric beneficiary CNPJ (nuCPFCNPJ, filialCPFCNPJ, ctrlCPFCNPJ); an alphanumeric CNPJ cannot be sent."))
        }
        if request.payerAddress == nil {
            problems.append(FieldProblem(field: .payerAddress, message: "is required by Bradesco."))
        }
        let values = fields(request)
        for limit in limits where (values[limit.key] ?? "").count > limit.length {
            problems.append(FieldProblem(field: limit.field, message: "Bradesco takes at most \(limit.length) characters."))
        }
        return problems
    }

    /// The request's fields.
    static func fields(_ request: RegistrationRequest) -> [String: String] {
        let input = request.input
        let beneficiary = request.beneficiary?.document
        let nossoNumero = digits(input.nossoNumero)
        let issued = request.issueDate ?? CalendarDate.todayInSaoPaulo()
        var fields: [String: String] = [
            "cdTipoAcesso": "2", "clubBanco": "2269651", "cdTipoContrato": "48", "cdBanco": "237", "tpRegistro": "1",
            "idProduto": pad(input.wallet ?? "", 2),
            "nuNegociacao": pad(input.agency ?? "", 4) + "0000000" + pad(input.account ?? "", 7),
            "nuTitulo": String(Int64(nossoNumero) ?? 0),
            "nuCliente": String(pad(nossoNumero, 11).suffix(10)),
            "dtEmissaoTitulo": date(issued),
            "dtVencimentoTitulo": input.dueDate.map(date) ?? "",
            "tpVencimento": "0",
            "vlNominalTitulo": String(input.amountCents),
            "cdEspecieTitulo": "02",
            "nomePagador": text(request.payerName),
            "endEletronicoPagador": "",
        ]
        if let beneficiary {
            let value = beneficiary.value
            switch beneficiary.kind {
            case .cnpj:
                fields["nuCPFCNPJ"] = String(value.prefix(8))
                fields["filialCPFCNPJ"] = String(value.dropFirst(8).prefix(4))
                fields["ctrlCPFCNPJ"] = String(value.suffix(2))
            case .cpf:
                fields["nuCPFCNPJ"] = String(value.prefix(9))
                fields["filialCPFCNPJ"] = "0"
                fields["ctrlCPFCNPJ"] = String(value.suffix(2))
            }
        }
        if let payer = request.payerDocument {
            fields["cdIndCpfcnpjPagador"] = payer.kind == .cpf ? "1" : "2"
            fields["nuCpfcnpjPagador"] = pad(payer.value, 14)
        }
        if let address = request.payerAddress {
            fields["logradouroPagador"] = text(address.street)
            fields["nuLogradouroPagador"] = text(address.streetNumber)
            fields["complementoLogradouroPagador"] = text(address.complementary)
            fields["bairroPagador"] = text(address.neighborhood)
            fields["municipioPagador"] = text(address.city)
            fields["ufPagador"] = address.state.uppercased()
            let cep = digits(address.zipcode)
            if cep.count >= 5 { fields["cepPagador"] = String(cep.prefix(5)) }
            if cep.count >= 8 { fields["complementoCepPagador"] = String(cep.dropFirst(5).prefix(3)) }
        }
        if let terms = request.terms, let due = input.dueDate { fields.merge(termFields(terms, dueDate: due)) { _, new in new } }
        return fields
    }

    /// The exact bytes that are signed: compact JSON, keys sorted, UTF-8, no `\u` or `\/` escapes.
    static func json(_ request: RegistrationRequest) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array((try? encoder.encode(fields(request))) ?? Data("{}".utf8))
    }

    static func text(_ value: String?) -> String {
        BradescoText.normalize(value ?? "").trimmingCharacters(in: .whitespaces)
    }

    static func digits(_ text: String) -> String { text.filter(\.isASCIIDigit) }

    static func pad(_ text: String, _ width: Int) -> String {
        String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static func date(_ date: CalendarDate) -> String {
        String(format: "%02d.%02d.%04d", date.day, date.month, date.year)
    }
}
