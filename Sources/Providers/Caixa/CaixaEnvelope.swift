import BoletoKit
import Foundation

/// The SOAP 1.1 envelopes the adapter sends to Caixa's `ManutencaoCobrancaBancaria/Boleto/Externo`, built with
/// libxml2 (every text escaped by the writer, never by a template):
///
/// ```
/// soapenv:Envelope  (soapenv = http://schemas.xmlsoap.org/soap/envelope/)
///   soapenv:Body
///     ext:SERVICO_ENTRADA  (ext = http://caixa.gov.br/sibar/manutencao_cobranca_bancaria/boleto/externo)
///       sib:HEADER  (sib = http://caixa.gov.br/sibar); its children and everything under DADOS are unqualified
///         VERSAO, AUTENTICACAO, USUARIO_SERVICO, OPERACAO, SISTEMA_ORIGEM, UNIDADE, DATA_HORA
///       DADOS
///         INCLUI_BOLETO { CODIGO_BENEFICIARIO, TITULO { … } }   or   BAIXA_BOLETO { CODIGO_BENEFICIARIO, NOSSO_NUMERO }
/// ```
///
/// | field | length | content |
/// |---|---|---|
/// | `HEADER/VERSAO` | — | the configured version (`1.0`) |
/// | `HEADER/AUTENTICACAO` | 44 | ``CaixaAuthentication``: base64 SHA-256; date and value zeros for `BAIXA_BOLETO` |
/// | `HEADER/USUARIO_SERVICO` | — | the configured bus user (`SGCBS02P`) |
/// | `HEADER/OPERACAO` | — | `INCLUI_BOLETO` or `BAIXA_BOLETO` |
/// | `HEADER/SISTEMA_ORIGEM` | — | `SIGCB` |
/// | `HEADER/UNIDADE` | 4 | the agency, zero-padded |
/// | `HEADER/DATA_HORA` | 14 | `yyyyMMddHHmmss`, São Paulo time |
/// | `CODIGO_BENEFICIARIO` | 7 | zero-padded |
/// | `TITULO/NOSSO_NUMERO` | 17 | `14` + the 15-digit nosso número |
/// | `TITULO/NUMERO_DOCUMENTO` | ≤ 11 | the nosso número's last 11 digits |
/// | `TITULO/DATA_VENCIMENTO` | 10 | `YYYY-MM-DD` |
/// | `TITULO/VALOR` | — | reais with a dot and 2 decimals (`10.00`) |
/// | `TITULO/TIPO_ESPECIE` | 2 | `99` (outros) |
/// | `TITULO/FLAG_ACEITE` | 1 | `S` |
/// | `TITULO/DATA_EMISSAO` | 10 | `YYYY-MM-DD` |
/// | `TITULO/JUROS_MORA` | — | `TIPO ISENTO`, `VALOR 0`; with interest `TIPO TAXA_MENSAL` + `DATA` + `PERCENTUAL`, or `TIPO VALOR_POR_DIA` + `DATA` + `VALOR` (`DATA` the start, the day after the due date by default) |
/// | `TITULO/VALOR_ABATIMENTO` | — | the abatimento in reais, else `0` |
/// | `TITULO/POS_VENCIMENTO` | — | `ACAO PROTESTAR` + the protest days, or `ACAO DEVOLVER` + the write-off days (or the payment limit's days after the due date), else `DEVOLVER 0` |
/// | `TITULO/MULTA` | — | with a fine: `DATA` + `VALOR` or `PERCENTUAL` |
/// | `TITULO/DESCONTOS/DESCONTO` | — | each discount: `DATA` + `VALOR` or `PERCENTUAL` |
///
/// Percentages are written with a dot and 4 decimals (`2.0000`), amounts as reais with 2.
/// | `TITULO/CODIGO_MOEDA` | 1 | `9` (real) |
/// | `TITULO/PAGADOR` | — | `CPF` (11) + `NOME` (40), or `CNPJ` (14) + `RAZAO_SOCIAL` (40) |
/// | `PAGADOR/ENDERECO` | — | `LOGRADOURO` (40: street, number, complement), `BAIRRO` (15), `CIDADE` (15), `UF` (2), `CEP` (8) |
/// | `TITULO/FICHA_COMPENSACAO/MENSAGENS/MENSAGEM` | 40 | the instructions, 1 or 2 lines; omitted without instructions |
/// | `TITULO/RECIBO_PAGADOR/MENSAGENS/MENSAGEM` | 40 | the same lines |
///
/// Free text has gone through ``CaixaText/clean(_:)`` (``CaixaFields``), so the bank never sees a character it
/// answers "(66) CARACTER INVALIDO" for.
enum CaixaEnvelope {
    static let soap = "http://schemas.xmlsoap.org/soap/envelope/"
    static let service = "http://caixa.gov.br/sibar/manutencao_cobranca_bancaria/boleto/externo"
    static let sibar = "http://caixa.gov.br/sibar"

    /// `SOAPAction` of `INCLUI_BOLETO`.
    static let includeAction = "IncluiBoleto"
    /// `SOAPAction` of `BAIXA_BOLETO`.
    static let writeOffAction = "BaixaBoleto"
    /// `SOAPAction` of `ALTERA_BOLETO`.
    static let alterAction = "AlteraBoleto"

    /// The configured header fields.
    struct Settings: Sendable {
        var versao: String
        var usuarioServico: String
        var sistemaOrigem: String
    }

    /// The `INCLUI_BOLETO` envelope for `title`, stamped `now`.
    static func incluiBoleto(_ title: CaixaTitle, settings: Settings, now: Date) -> [UInt8] {
        titleEnvelope("INCLUI_BOLETO", title, settings: settings, now: now) { titulo in
            titulo.element("TIPO_ESPECIE", text: "99")
            titulo.element("FLAG_ACEITE", text: "S")
            titulo.element("DATA_EMISSAO", text: title.issueDate.description)
            let terms = title.terms ?? BoletoTerms()
            let interest = titulo.element("JUROS_MORA")
            let dayAfter = title.dueDate.adding(days: 1)
            switch terms.interest {
            case let charge? where charge.kind == .amountPerDay:
                interest.element("TIPO", text: "VALOR_POR_DIA")
                interest.element("DATA", text: (charge.startDate ?? dayAfter).description)
                interest.element("VALOR", text: amount(charge.amountCents ?? 0))
            case let charge?:
                interest.element("TIPO", text: "TAXA_MENSAL")
                interest.element("DATA", text: (charge.startDate ?? dayAfter).description)
                interest.element("PERCENTUAL", text: percent(charge.percent))
            case nil:
                interest.element("TIPO", text: "ISENTO")
                interest.element("VALOR", text: "0")
            }
            titulo.element("VALOR_ABATIMENTO", text: terms.abatementCents.map(amount) ?? "0")
            afterDue(terms, in: titulo, returnDays: terms.paymentLimitDate.map { max(0, $0.days(since: title.dueDate)) } ?? 0)
            titulo.element("CODIGO_MOEDA", text: "9")
            let payer = titulo.element("PAGADOR")
            if title.payerIsCompany {
                payer.element("CNPJ", text: title.payerDocument)
                payer.element("RAZAO_SOCIAL", text: title.payerName)
            } else {
                payer.element("CPF", text: title.payerDocument)
                payer.element("NOME", text: title.payerName)
            }
            let address = payer.element("ENDERECO")
            address.element("LOGRADOURO", text: title.street)
            address.element("BAIRRO", text: title.neighborhood)
            address.element("CIDADE", text: title.city)
            address.element("UF", text: title.state)
            address.element("CEP", text: title.zipcode)
            if let fine = terms.fine {
                let element = titulo.element("MULTA")
                element.element("DATA", text: (fine.startDate ?? dayAfter).description)
                if fine.kind == .amount { element.element("VALOR", text: amount(fine.amountCents ?? 0)) } else {
                    element.element("PERCENTUAL", text: percent(fine.percent))
                }
            }
            discounts(terms, in: titulo)
            if !title.messages.isEmpty {
                for part in ["FICHA_COMPENSACAO", "RECIBO_PAGADOR"] {
                    let messages = titulo.element(part).element("MENSAGENS")
                    for line in title.messages { messages.element("MENSAGEM", text: line) }
                }
            }
        }
    }

    /// The `BAIXA_BOLETO` envelope for the title `key` names, stamped `now`.
    static func baixaBoleto(_ key: CaixaTitleKey, beneficiaryDocument: String, settings: Settings, now: Date) -> [UInt8] {
        let checksum = CaixaAuthentication.checksum(beneficiaryCode: key.beneficiaryCode, nossoNumero: key.nossoNumero,
                                                    dueDate: nil, amountCents: nil, beneficiaryDocument: beneficiaryDocument)
        return envelope(operation: "BAIXA_BOLETO", unit: key.unit, authentication: CaixaAuthentication.token(checksum: checksum),
                        settings: settings, now: now) { dados in
            let operation = dados.element("BAIXA_BOLETO")
            operation.element("CODIGO_BENEFICIARIO", text: key.beneficiaryCode)
            operation.element("NOSSO_NUMERO", text: key.nossoNumero)
        }
    }

    /// The `ALTERA_BOLETO` envelope of `title` (the title as the change leaves it), stamped `now`. `altera_boleto_titulo_entrada_Type`
    /// (Caixa's schema, as the WSDL-generated clients carry it) makes every element but `NOSSO_NUMERO` optional, in
    /// `INCLUI_BOLETO`'s order without `DATA_EMISSAO` and `CODIGO_MOEDA`: the document number, due date and amount
    /// are always sent (the hash covers them, with the new values), and of the rest only what `kinds` changes:
    /// `VALOR_ABATIMENTO`, `POS_VENCIMENTO` and `DESCONTOS`.
    static func alteraBoleto(_ title: CaixaTitle, kinds: [BoletoAlteration.Kind], settings: Settings, now: Date) -> [UInt8] {
        titleEnvelope("ALTERA_BOLETO", title, settings: settings, now: now) { titulo in
            let terms = title.terms ?? BoletoTerms()
            if kinds.contains(.abatement) {
                titulo.element("VALOR_ABATIMENTO", text: terms.abatementCents.map(amount) ?? "0")
            }
            if kinds.contains(.protest) || kinds.contains(.writeOff) { afterDue(terms, in: titulo, returnDays: 0) }
            if kinds.contains(.discounts) { discounts(terms, in: titulo) }
        }
    }

    /// An operation on `title` (`INCLUI_BOLETO`, `ALTERA_BOLETO`): the hash over its beneficiary, nosso número, due date
    /// and amount, then `CODIGO_BENEFICIARIO` and `TITULO` with `NOSSO_NUMERO`, `NUMERO_DOCUMENTO`, `DATA_VENCIMENTO`
    /// and `VALOR`; `rest` writes the title's other elements.
    private static func titleEnvelope(_ operation: String, _ title: CaixaTitle, settings: Settings, now: Date,
                                      rest: (XMLNode) -> Void) -> [UInt8] {
        let checksum = CaixaAuthentication.checksum(
            beneficiaryCode: title.key.beneficiaryCode, nossoNumero: title.key.nossoNumero, dueDate: title.dueDate,
            amountCents: title.amountCents, beneficiaryDocument: title.beneficiaryDocument)
        return envelope(operation: operation, unit: title.key.unit, authentication: CaixaAuthentication.token(checksum: checksum),
                        settings: settings, now: now) { dados in
            let element = dados.element(operation)
            element.element("CODIGO_BENEFICIARIO", text: title.key.beneficiaryCode)
            let titulo = element.element("TITULO")
            titulo.element("NOSSO_NUMERO", text: title.key.nossoNumero)
            titulo.element("NUMERO_DOCUMENTO", text: title.documentNumber)
            titulo.element("DATA_VENCIMENTO", text: title.dueDate.description)
            titulo.element("VALOR", text: amount(title.amountCents))
            rest(titulo)
        }
    }

    /// `POS_VENCIMENTO`: `PROTESTAR` or `DEVOLVER` after the terms' days, or `DEVOLVER` after `returnDays` without one.
    private static func afterDue(_ terms: BoletoTerms, in titulo: XMLNode, returnDays: Int) {
        let element = titulo.element("POS_VENCIMENTO")
        let (action, days): (String, Int) = switch terms.afterDue {
        case .protest(let days)?: ("PROTESTAR", days)
        case .writeOff(let days)?: ("DEVOLVER", days)
        case nil: ("DEVOLVER", returnDays)
        }
        element.element("ACAO", text: action)
        element.element("NUMERO_DIAS", text: String(days))
    }

    /// `DESCONTOS`, one `DESCONTO{DATA, VALOR or PERCENTUAL}` each; nothing without discounts.
    private static func discounts(_ terms: BoletoTerms, in titulo: XMLNode) {
        guard !terms.discounts.isEmpty else { return }
        let list = titulo.element("DESCONTOS")
        for discount in terms.discounts {
            let element = list.element("DESCONTO")
            element.element("DATA", text: discount.until.description)
            if discount.kind == .amount { element.element("VALOR", text: amount(discount.amountCents ?? 0)) } else {
                element.element("PERCENTUAL", text: percent(discount.percent))
            }
        }
    }

    /// `Envelope/Body/SERVICO_ENTRADA` with its `HEADER`; `fill` writes into `DADOS`.
    private static func envelope(operation: String, unit: String, authentication: String, settings: Settings, now: Date,
                                 fill: (XMLNode) -> Void) -> [UInt8] {
        let tree = XMLTree(root: "Envelope", prefix: "soapenv", namespace: soap)
        let ext = tree.declare(prefix: "ext", namespace: service)
        let sib = tree.declare(prefix: "sib", namespace: sibar)
        let entrada = tree.root.element("Body", in: tree.rootNamespace).element("SERVICO_ENTRADA", in: ext)
        let header = entrada.element("HEADER", in: sib)
        header.element("VERSAO", text: settings.versao)
        header.element("AUTENTICACAO", text: authentication)
        header.element("USUARIO_SERVICO", text: settings.usuarioServico)
        header.element("OPERACAO", text: operation)
        header.element("SISTEMA_ORIGEM", text: settings.sistemaOrigem)
        header.element("UNIDADE", text: unit)
        header.element("DATA_HORA", text: dateTime(now))
        fill(entrada.element("DADOS"))
        return tree.serialized()
    }

    /// A percentage with a dot and 4 decimals (`2.0000`, `0.0330`); the fields take no more.
    static func percent(_ value: Percent?) -> String {
        let tenThousandths = (value?.hundredThousandths ?? 0) / 10
        let fraction = String(tenThousandths % 10_000)
        return "\(tenThousandths / 10_000)." + String(repeating: "0", count: 4 - fraction.count) + fraction
    }

    /// `VALOR`: reais, a dot and two decimals (`1000` → `10.00`).
    static func amount(_ cents: Int64) -> String { MoneyText.decimal(cents) }

    /// `DATA_HORA`: `yyyyMMddHHmmss` in São Paulo.
    static func dateTime(_ date: Date) -> String {
        let seconds = Int((date.timeIntervalSince1970 + Double(TimeZone.saoPaulo.secondsFromGMT(for: date))).rounded(.down))
        let secondOfDay = ((seconds % 86_400) + 86_400) % 86_400
        let day = CalendarDate(daysSinceUnixEpoch: (seconds - secondOfDay) / 86_400)
        func pad(_ value: Int, _ width: Int) -> String {
            let text = String(value)
            return String(repeating: "0", count: max(0, width - text.count)) + text
        }
        return pad(day.year, 4) + pad(day.month, 2) + pad(day.day, 2)
            + pad(secondOfDay / 3600, 2) + pad(secondOfDay % 3600 / 60, 2) + pad(secondOfDay % 60, 2)
    }
}
