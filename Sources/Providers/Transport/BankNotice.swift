import BoletoJSON

/// What a bank's notification (a webhook it calls) says about which titles changed. The body is only a hint: the
/// service asks the bank's API about each title it names and applies that answer, never the body's claims, so a
/// forged or replayed notice changes nothing. Titles are named by their number in the beneficiary's sequence (the
/// service's `title_id`).
public enum BankNotice {
    /// The most titles one notification may name; the rest are ignored.
    public static let maximumTitles = 100

    /// The objects of a notification body: the body itself, the elements of an array, or those of `key` (and of
    /// `data.key`), whichever are there.
    static func entries(_ body: JSON, key: String? = nil) -> [JSON] {
        switch body {
        case .array(let items):
            return items
        case .object:
            if let key {
                if case .array(let items)? = body[key] { return items }
                if case .array(let items)? = body["data"]?[key] { return items }
            }
            return [body]
        default:
            return []
        }
    }

    /// Banco do Brasil's "baixa operacional" webhook: an object, or an array of them, whose `id` is the title's
    /// `numeroTituloCliente` (`"000"` + convênio (7) + nosso número (10)). Entries of another convênio (their `id`, or
    /// `numeroConvenio` when sent) are ignored.
    ///
    /// | field | use |
    /// |---|---|
    /// | `id` | the title: its last 10 digits, when it starts with `000` + `convenio` |
    /// | `numeroConvenio` | must be `convenio` when present |
    /// | `codigoEstadoBaixaOperacional`, `valorPagoSacado`, `dataLiquidacao`, … | ignored: the query answers them |
    public static func bancoDoBrasil(_ body: JSON, convenio: String) -> [Int64] {
        var titles: [Int64] = []
        for entry in entries(body) {
            if let sent = AnswerFields.text(entry["numeroConvenio"]), Int64(sent) != Int64(convenio) { continue }
            guard let id = AnswerFields.text(entry["id"]) ?? AnswerFields.text(entry["numeroTituloCliente"]) else { continue }
            let digits = AnswerFields.digits(id)
            guard digits.count == 20, digits.hasPrefix("000" + convenio), let number = Int64(digits.suffix(10)) else { continue }
            titles.append(number)
        }
        return unique(titles)
    }

    /// Itaú's boleto notification: `boletos[]` (also under `data`, or an array of them), each naming the title by
    /// `numeroNossoNumero` (8 digits) or by `idBoleto`, whose last 8 digits are the nosso número.
    public static func itau(_ body: JSON) -> [Int64] {
        var titles: [Int64] = []
        for entry in entries(body, key: "boletos") {
            let text = AnswerFields.text(entry["numeroNossoNumero"]) ?? AnswerFields.text(entry["numero_nosso_numero"])
                ?? (AnswerFields.text(entry["idBoleto"]) ?? AnswerFields.text(entry["id_boleto"])).map { String(AnswerFields.digits($0).suffix(8)) }
            guard let text, case let digits = AnswerFields.digits(text), (1...8).contains(digits.count), let number = Int64(digits) else { continue }
            titles.append(number)
        }
        return unique(titles)
    }

    /// The titles in order, each once, at most ``maximumTitles``.
    static func unique(_ titles: [Int64]) -> [Int64] {
        var seen = Set<Int64>()
        return Array(titles.filter { seen.insert($0).inserted }.prefix(maximumTitles))
    }
}
