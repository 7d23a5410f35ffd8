import BoletoKit
import Foundation

/// Caixa SIGCB's field rules for `INCLUI_BOLETO` and `BAIXA_BOLETO`, checked before anything is sent, and the
/// values the envelope carries.
///
/// Free text is measured after ``CaixaText/clean(_:)`` and trimming, because that is what is sent. A value that
/// does not fit is reported, never cut: a boleto whose payer name or address was silently truncated would not be
/// the boleto the caller asked for.
///
/// | field (service API) | SIGCB element | rule |
/// |---|---|---|
/// | `payer_name` | `PAGADOR/NOME` (CPF) or `PAGADOR/RAZAO_SOCIAL` (CNPJ) | required, at most 40 |
/// | `payer_document_number` | `PAGADOR/CPF` or `PAGADOR/CNPJ` | required; numeric (SIGCB's CNPJ is a number, so an alphanumeric CNPJ cannot be sent) |
/// | `payer_address` | `PAGADOR/ENDERECO` | required: SIGCB takes the address with every title |
/// | `payer_address.street` | `ENDERECO/LOGRADOURO` | street, number and complement joined by spaces: required, at most 40 |
/// | `payer_address.neighborhood` | `ENDERECO/BAIRRO` | required, at most 15 |
/// | `payer_address.city` | `ENDERECO/CIDADE` | required, at most 15 |
/// | `payer_address.state` | `ENDERECO/UF` | one of the 27 UFs |
/// | `payer_address.zipcode` | `ENDERECO/CEP` | 8 digits (`-` and `.` dropped) |
/// | `instructions` | `FICHA_COMPENSACAO/MENSAGENS/MENSAGEM`, `RECIBO_PAGADOR/MENSAGENS/MENSAGEM` | wrapped at word breaks (and at the caller's line breaks) into at most 2 messages of 40; the same messages go on both parts of the boleto |
/// | `issuer_account` | `CODIGO_BENEFICIARIO` | the código do beneficiário, 1 to 7 digits, zero-padded to 7 |
/// | `issuer_agency` | `HEADER/UNIDADE` | 1 to 4 digits, zero-padded to 4 |
/// | `issuer_wallet` | — | `14` (`RG`), the registered wallet; wallet 24 has no registration |
/// | `title_id` | `NOSSO_NUMERO` | 15 digits (or 17 starting with `14`), not zero: sent as `14` + 15 digits |
/// | `expiration_date` | `DATA_VENCIMENTO` | required |
/// | `amount` | `VALOR` | more than zero |
///
/// `NUMERO_DOCUMENTO` (at most 11, the "número do documento" printed on the boleto) is not taken from the caller:
/// it is the last 11 digits of the 15-digit nosso número, so it is stable across retries and unique wherever the
/// nosso número is. `DATA_EMISSAO` is the request's issue date, or today in São Paulo.
enum CaixaFields {
    /// `NOME`, `RAZAO_SOCIAL`.
    static let nameLength = 40
    /// `LOGRADOURO`.
    static let streetLength = 40
    /// `BAIRRO`.
    static let neighborhoodLength = 15
    /// `CIDADE`.
    static let cityLength = 15
    /// One `MENSAGEM`.
    static let messageLength = 40
    /// How many `MENSAGEM` the instructions may fill (`FICHA_COMPENSACAO` takes two).
    static let messageCount = 2
    /// `NUMERO_DOCUMENTO`.
    static let documentNumberLength = 11

    /// The 27 UFs.
    static let states: Set<String> = [
        "AC", "AL", "AP", "AM", "BA", "CE", "DF", "ES", "GO", "MA", "MT", "MS", "MG", "PA", "PB", "PR", "PE", "PI",
        "RJ", "RN", "RS", "RO", "RR", "SC", "SP", "SE", "TO",
    ]

    // MARK: Values

    /// Free text as it is sent: in Caixa's characters, without leading or trailing spaces.
    static func text(_ value: String?) -> String {
        CaixaText.clean(value ?? "").trimmingCharacters(in: .whitespaces)
    }

    /// `LOGRADOURO`: street, number and complement, each cleaned, joined by single spaces.
    static func street(_ address: PostalAddress) -> String {
        [address.street, address.streetNumber, address.complementary ?? ""].map { text($0) }.filter { !$0.isEmpty }
            .joined(separator: " ")
    }

    /// The instructions as `MENSAGEM` lines of at most 40: each of the caller's lines is cleaned and wrapped at
    /// spaces; a word longer than a line is split. Empty when there are no instructions.
    static func messages(_ instructions: String?) -> [String] {
        guard let instructions else { return [] }
        var lines: [String] = []
        for paragraph in instructions.split(whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" }) {
            var current = ""
            for piece in CaixaText.clean(String(paragraph)).split(separator: " ") {
                var word = String(piece)
                while word.count > messageLength {
                    if !current.isEmpty {
                        lines.append(current)
                        current = ""
                    }
                    lines.append(String(word.prefix(messageLength)))
                    word = String(word.dropFirst(messageLength))
                }
                if word.isEmpty { continue }
                if current.isEmpty {
                    current = word
                } else if current.count + 1 + word.count <= messageLength {
                    current += " " + word
                } else {
                    lines.append(current)
                    current = word
                }
            }
            if !current.isEmpty { lines.append(current) }
        }
        return lines
    }

    /// `value` as `width` digits: zero-padded, or with extra leading zeros dropped; nil when it is not digits or
    /// does not fit.
    static func fit(_ value: String?, width: Int) -> String? {
        guard let value, !value.isEmpty, value.allSatisfy(\.isASCIIDigit) else { return nil }
        var digits = Substring(value)
        while digits.count > width, digits.first == "0" { digits = digits.dropFirst() }
        guard digits.count <= width else { return nil }
        return String(repeating: "0", count: width - digits.count) + digits
    }

    /// `CODIGO_BENEFICIARIO`, 7 digits, from the request's código do beneficiário.
    static func beneficiaryCode(_ input: BoletoInput) -> String? {
        guard let code = fit(input.beneficiaryCode, width: 7), code != "0000000" else { return nil }
        return code
    }

    /// `UNIDADE`, 4 digits, from the request's agency.
    static func unit(_ input: BoletoInput) -> String? {
        fit(input.agency, width: 4)
    }

    /// `NOSSO_NUMERO`, 17 digits: `14` and the 15-digit nosso número (given as 15 digits, or as 17 starting with 14).
    static func nossoNumero(_ input: BoletoInput) -> String? {
        var number = Substring(input.nossoNumero)
        if number.count == 17, number.hasPrefix("14"), number.allSatisfy(\.isASCIIDigit) { number = number.dropFirst(2) }
        guard let fifteen = fit(String(number), width: 15), fifteen != String(repeating: "0", count: 15) else { return nil }
        return "14" + fifteen
    }

    /// Whether the request's wallet is the registered one (14, or its letters RG).
    static func isRegisteredWallet(_ input: BoletoInput) -> Bool {
        switch input.wallet?.uppercased() ?? "" {
        case "14", "RG": return true
        default: return false
        }
    }

    /// The beneficiary document the hash is computed with: digits only (11 or 14); nil when the request has none or
    /// it is an alphanumeric CNPJ, which SIGCB's hash cannot hold.
    static func beneficiaryDocument(_ request: RegistrationRequest) -> String? {
        guard let document = request.beneficiary?.document, document.value.allSatisfy(\.isASCIIDigit) else { return nil }
        return document.value
    }

    // MARK: Problems

    /// Every problem SIGCB would reject `request`'s `INCLUI_BOLETO` for.
    /// What SIGCB's `INCLUI_BOLETO` carries (``TermsSupport``): interest a month or an amount a day from a date, a fine
    /// from a date, two discounts of one kind (the number its clients send; a third is not confirmed), abatimento, and
    /// one `POS_VENCIMENTO` action: protest or return ("devolver") after N days, which also expresses a payment limit.
    static let termsSupport = TermsSupport(
        interest: [.percentPerMonth, .amountPerDay], interestStartDate: true, fine: [.percent, .amount], fineStartDate: true,
        discounts: [.percent, .amount], maximumDiscounts: 2, discountsOfOneKind: true, abatement: true,
        protestDays: 1...99, writeOffDays: 1...999, paymentLimitDate: true)

    /// The terms SIGCB cannot carry beyond ``termsSupport``: percentages of more than 4 decimals, and a payment limit
    /// together with a protest (both are the one `POS_VENCIMENTO`).
    static func termProblems(_ terms: BoletoTerms?) -> [FieldProblem] {
        guard let terms else { return [] }
        var problems = termsSupport.problems(terms, bank: "Caixa")
        let percents: [(String, Percent?)] = [("interest.value", terms.interest?.percent), ("fine.value", terms.fine?.percent)]
            + terms.discounts.enumerated().map { ("discounts[\($0.offset)].value", $0.element.percent) }
        for (path, percent) in percents where (percent?.hundredThousandths ?? 0) % 10 != 0 {
            problems.append(FieldProblem(field: .terms(path), message: "Caixa takes percentages with at most 4 decimal places."))
        }
        if terms.paymentLimitDate != nil, case .protest? = terms.afterDue {
            problems.append(FieldProblem(field: .terms("payment_limit_date"),
                                         message: "Caixa carries a protest or a payment limit (one POS_VENCIMENTO), not both."))
        }
        return problems
    }

    static func problems(in request: RegistrationRequest) -> [FieldProblem] {
        var problems = keyProblems(in: request) + termProblems(request.terms)
        let input = request.input
        if !isRegisteredWallet(input) {
            problems.append(FieldProblem(field: .wallet, message: "Caixa SIGCB registers titles of wallet 14 (RG) only."))
        }
        if input.dueDate == nil {
            problems.append(FieldProblem(field: .dueDate, message: "Caixa SIGCB requires a due date (DATA_VENCIMENTO)."))
        }
        if input.amountCents <= 0 {
            problems.append(FieldProblem(field: .amount, message: "Caixa SIGCB requires an amount greater than zero (VALOR)."))
        }
        let name = text(request.payerName)
        if name.isEmpty {
            problems.append(FieldProblem(field: .payerName, message: "Caixa SIGCB requires the payer's name (NOME or RAZAO_SOCIAL)."))
        } else if name.count > nameLength {
            problems.append(tooLong(.payerName, limit: nameLength, count: name.count))
        }
        if let document = request.payerDocument {
            if !document.value.allSatisfy(\.isASCIIDigit) {
                problems.append(FieldProblem(field: .payerDocument,
                                             message: "Caixa SIGCB takes a numeric CNPJ only; an alphanumeric CNPJ cannot be sent."))
            }
        } else {
            problems.append(FieldProblem(field: .payerDocument, message: "Caixa SIGCB requires the payer's CPF or CNPJ."))
        }
        if let address = request.payerAddress {
            problems += addressProblems(address)
        } else {
            problems.append(FieldProblem(field: .payerAddress, message: "Caixa SIGCB requires the payer's address (PAGADOR/ENDERECO)."))
        }
        let lines = Self.messages(request.instructions)
        if lines.count > messageCount {
            problems.append(FieldProblem(
                field: .instructions,
                message: "Caixa SIGCB prints at most \(messageCount) lines of \(messageLength) characters of instructions; these need \(lines.count)."))
        }
        return problems
    }

    /// The problems with the fields that name a title at the bank (beneficiary code, agency, nosso número): the
    /// ones `BAIXA_BOLETO` needs too.
    static func keyProblems(in request: RegistrationRequest) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        if beneficiaryCode(request.input) == nil {
            problems.append(FieldProblem(field: .account,
                                         message: "Caixa SIGCB requires the código do beneficiário: 1 to 7 digits, not zero."))
        }
        if unit(request.input) == nil {
            problems.append(FieldProblem(field: .agency, message: "Caixa SIGCB requires the agency (UNIDADE): 1 to 4 digits."))
        }
        if nossoNumero(request.input) == nil {
            problems.append(FieldProblem(field: .nossoNumero,
                                         message: "Caixa SIGCB takes a nosso número of 15 digits (or 17 starting with 14), not zero."))
        }
        return problems
    }

    private static func addressProblems(_ address: PostalAddress) -> [FieldProblem] {
        var problems: [FieldProblem] = []
        let joined = Self.street(address)
        if text(address.street).isEmpty {
            problems.append(FieldProblem(field: .payerAddressPart(.street), message: "Caixa SIGCB requires the street (LOGRADOURO)."))
        } else if joined.count > streetLength {
            problems.append(FieldProblem(
                field: .payerAddressPart(.street),
                message: "Caixa SIGCB takes at most \(streetLength) characters for street, number and complement together (LOGRADOURO); these have \(joined.count)."))
        }
        for (field, value, limit, element) in [(RequestField.payerAddressPart(.neighborhood), address.neighborhood, neighborhoodLength, "BAIRRO"),
                                               (.payerAddressPart(.city), address.city, cityLength, "CIDADE")] {
            let cleaned = text(value)
            if cleaned.isEmpty {
                problems.append(FieldProblem(field: field, message: "Caixa SIGCB requires this field (\(element))."))
            } else if cleaned.count > limit {
                problems.append(tooLong(field, limit: limit, count: cleaned.count))
            }
        }
        if !states.contains(address.state.uppercased()) {
            problems.append(FieldProblem(field: .payerAddressPart(.state), message: "Caixa SIGCB requires one of the 27 UFs, two letters (UF)."))
        }
        if Self.zipcode(address) == nil {
            problems.append(FieldProblem(field: .payerAddressPart(.zipcode), message: "Caixa SIGCB requires a CEP of 8 digits (CEP)."))
        }
        return problems
    }

    /// `CEP`: the zipcode's 8 digits, `-`, `.` and spaces dropped; nil when that is not 8 digits or is all zeros.
    static func zipcode(_ address: PostalAddress) -> String? {
        let digits = address.zipcode.filter { $0 != "-" && $0 != "." && $0 != " " }
        guard digits.count == 8, digits.allSatisfy(\.isASCIIDigit), digits != "00000000" else { return nil }
        return digits
    }

    private static func tooLong(_ field: RequestField, limit: Int, count: Int) -> FieldProblem {
        FieldProblem(field: field,
                     message: "Caixa SIGCB takes at most \(limit) characters (counted after removing characters outside its set); this has \(count).")
    }

    // MARK: The title

    /// Everything `INCLUI_BOLETO` sends, normalised; nil when `request` has a problem or lacks its beneficiary
    /// document.
    static func title(for request: RegistrationRequest, issueDate: CalendarDate) -> CaixaTitle? {
        let input = request.input
        guard Self.problems(in: request).isEmpty, let key = Self.key(for: request),
              let beneficiaryDocument = Self.beneficiaryDocument(request),
              let dueDate = input.dueDate, let payerDocument = request.payerDocument, let address = request.payerAddress,
              let zipcode = Self.zipcode(address) else { return nil }
        return CaixaTitle(
            key: key, beneficiaryDocument: beneficiaryDocument,
            documentNumber: String(key.nossoNumero.suffix(documentNumberLength)), dueDate: dueDate,
            amountCents: input.amountCents, issueDate: issueDate,
            payerIsCompany: payerDocument.kind == .cnpj, payerDocument: payerDocument.value, payerName: text(request.payerName),
            street: Self.street(address), neighborhood: text(address.neighborhood), city: text(address.city),
            state: address.state.uppercased(), zipcode: zipcode, messages: Self.messages(request.instructions), terms: request.terms)
    }

    /// What names a title at the bank; nil when a key field has a problem.
    static func key(for request: RegistrationRequest) -> CaixaTitleKey? {
        guard let code = Self.beneficiaryCode(request.input), let unit = Self.unit(request.input),
              let nossoNumero = Self.nossoNumero(request.input) else { return nil }
        return CaixaTitleKey(beneficiaryCode: code, unit: unit, nossoNumero: nossoNumero)
    }
}

/// The fields that name a title at Caixa, as sent.
struct CaixaTitleKey: Hashable, Sendable {
    /// `CODIGO_BENEFICIARIO`, 7 digits.
    var beneficiaryCode: String
    /// `UNIDADE`, 4 digits.
    var unit: String
    /// `NOSSO_NUMERO`, 17 digits starting with 14.
    var nossoNumero: String
}

/// A title as `INCLUI_BOLETO` sends it: every value normalised and within SIGCB's limits.
struct CaixaTitle: Hashable, Sendable {
    var key: CaixaTitleKey
    /// The beneficiary's CPF or CNPJ digits, for `AUTENTICACAO`.
    var beneficiaryDocument: String
    /// `NUMERO_DOCUMENTO`.
    var documentNumber: String
    var dueDate: CalendarDate
    var amountCents: Int64
    /// `DATA_EMISSAO`.
    var issueDate: CalendarDate
    /// CNPJ + RAZAO_SOCIAL when true, CPF + NOME otherwise.
    var payerIsCompany: Bool
    var payerDocument: String
    var payerName: String
    /// `LOGRADOURO`.
    var street: String
    var neighborhood: String
    var city: String
    var state: String
    var zipcode: String
    /// `MENSAGEM` lines, at most 2.
    var messages: [String]
    /// Interest, fine, discounts, abatimento and what happens after the due date (``CaixaEnvelope``'s table).
    var terms: BoletoTerms? = nil
}
