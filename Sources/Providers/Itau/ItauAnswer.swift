import BoletoJSON
import BoletoKit

/// Reading Itaú's answers leniently. The sources read give the names of the fields an answer carries (`id_boleto`,
/// `codigo_barras`, `numero_linha_digitavel`, the PIX copy-and-paste text) but not a frozen schema, and say some
/// answers are wrapped in `data` and some not; so fields are looked for wherever the answer nests them, and errors are
/// read as the HTTP status plus a best-effort message.
enum ItauAnswer {
    /// The answer's content: what `data` holds when the answer is wrapped in it, else the answer itself.
    static func content(_ json: JSON?) -> JSON? {
        if let data = json?["data"] { return data }
        return json
    }

    /// The first value named `key` in `json`, searched depth-first through objects and arrays (at most `depth`
    /// levels), an object's own members before its nested ones.
    static func find(_ key: String, in json: JSON?, depth: Int = 6) -> JSON? {
        guard let json, depth > 0 else { return nil }
        switch json {
        case .object(let pairs):
            if let hit = pairs.first(where: { $0.0 == key }) { return hit.1 }
            for (_, value) in pairs {
                if let hit = find(key, in: value, depth: depth - 1) { return hit }
            }
            return nil
        case .array(let values):
            for value in values {
                if let hit = find(key, in: value, depth: depth - 1) { return hit }
            }
            return nil
        default:
            return nil
        }
    }

    /// A string, or an integer as its digits (``AnswerFields/text(_:)``); nil also for an empty string.
    static func text(_ json: JSON?) -> String? { AnswerFields.text(json).flatMap { $0.isEmpty ? nil : $0 } }

    /// The barcode's digits, wherever the answer carries `codigo_barras`.
    static func barcode(_ json: JSON?) -> String? { text(find("codigo_barras", in: json)).map(AnswerFields.digits) }

    /// The digitable line's digits, wherever the answer carries `numero_linha_digitavel`.
    static func digitableLine(_ json: JSON?) -> String? { text(find("numero_linha_digitavel", in: json)).map(AnswerFields.digits) }

    /// The PIX copy-and-paste text (BR Code): `dados_qrcode.emv`, else `pix_copia_e_cola`, wherever they are.
    static func pixCode(_ json: JSON?) -> String? {
        text(find("emv", in: find("dados_qrcode", in: json))) ?? text(find("pix_copia_e_cola", in: json))
    }

    /// The titles of a query answer: `{"data": [...]}`, a bare list, or one title object (wrapped or not); nil when
    /// the answer is none of these.
    static func titles(_ json: JSON?) -> [JSON]? {
        guard let inner = content(json) else { return nil }
        if case .array(let items) = inner { return items }
        if inner["situacao_geral_boleto"] != nil || inner["id_boleto"] != nil { return [inner] }
        return nil
    }

    /// A title's state in Itaú's words (`situacao_geral_boleto`).
    static func status(_ title: JSON) -> String? { text(find("situacao_geral_boleto", in: title)) }

    /// What a state means: `Paga`/`Pago`/`Liquidada` paid, `Baixada` written off, `Em Aberto` open (accents and case
    /// aside); anything else is not settled yet.
    static func meaning(_ status: String) -> TitleState {
        let folded = TextFolding.ascii(status).text.uppercased()
        if folded.hasPrefix("PAG") || folded.hasPrefix("LIQUIDAD") { return .paid }
        if isWrittenOff(status) { return .writtenOff }
        if folded.hasPrefix("EM ABERTO") { return .open }
        return .other
    }

    /// The payment of a paid title: `valor_pago` (17-digit cents) when Itaú sends it, else the title's `valor_titulo`,
    /// with `data_pagamento` (`YYYY-MM-DD`) when present. Nil without an amount.
    static func payment(_ title: JSON) -> BankPayment? {
        guard let amount = text(find("valor_pago", in: title)) ?? text(find("valor_titulo", in: title)), let cents = Int64(amount), cents > 0 else {
            return nil
        }
        return BankPayment(amountCents: cents, date: text(find("data_pagamento", in: title)).flatMap { CalendarDate(iso: $0) })
    }

    /// Whether a state says the title was written off (`Baixada`, `BAIXADO`, accents and case aside).
    static func isWrittenOff(_ status: String) -> Bool {
        TextFolding.ascii(status).text.uppercased().hasPrefix("BAIXAD")
    }

    /// A best-effort message of an error answer: `mensagem` or `message`, at the top or inside `data`, cut to 200
    /// characters.
    static func message(_ json: JSON?) -> String? {
        for candidate in [json, json?["data"]] {
            if let found = text(candidate?["mensagem"]) ?? text(candidate?["message"]) { return String(found.prefix(200)) }
        }
        return nil
    }

    /// ``message(_:)``, or one naming the status when the answer has none.
    static func message(_ json: JSON?, status: Int) -> String {
        message(json) ?? "Itaú answered HTTP \(status)."
    }
}
