import BoletoJSON
import BoletoKit

/// Reading Banco do Brasil's answers (API Cobranças v2).
enum BancoDoBrasilAnswer {
    /// The first error of an `erros` list, in either of the shapes BB answers with:
    /// `{"erros":[{"codigo","versao","mensagem","ocorrencia"}]}` or the older
    /// `{"erros":[{"codigoMensagem","versaoMensagem","textoMensagem","codigoRetorno"}]}`. The message is cut to 200
    /// characters.
    static func error(_ json: JSON?) -> (code: String, message: String)? {
        guard case .array(let errors)? = json?["erros"], let first = errors.first else { return nil }
        guard let code = AnswerFields.text(first["codigo"]) ?? AnswerFields.text(first["codigoMensagem"]) else { return nil }
        let message = AnswerFields.text(first["mensagem"]) ?? AnswerFields.text(first["textoMensagem"]) ?? ""
        return (code, String(message.prefix(200)))
    }

    /// An integer, or a string of digits.
    static func integer(_ json: JSON?) -> Int64? {
        switch json {
        case .int(let value)?: value
        case .string(let value)?: Int64(value)
        default: nil
        }
    }

    /// What a `codigoEstadoTituloCobranca` means: 1 open; 6 liquidado, 10 baixado/pago em cartório, 11 liquidado/
    /// protestado, 12 liquidado em cartório and 16 creditado are paid; 7 baixado is written off; the rest (cartório
    /// states, em liquidação, agendado, cheque awaiting clearing, partly paid, em processamento) is not settled yet.
    static func meaning(_ code: Int64) -> TitleState {
        switch code {
        case 1: .open
        case 6, 10, 11, 12, 16: .paid
        case 7: .writtenOff
        default: .other
        }
    }

    /// The payment of a paid title: `valorPagoSacado` (decimal), the day of `dataCreditoLiquidacao` or else
    /// `dataRecebimentoTitulo` (`dd.mm.aaaa`), and `codigoCanalPagamento`. Nil without an amount.
    static func payment(_ json: JSON) -> BankPayment? {
        let amount: Int64? = switch json["valorPagoSacado"] {
        case .double(let value)?: Int64((value * 100).rounded())
        case .int(let value)?: value * 100
        default: nil
        }
        guard let amount, amount > 0 else { return nil }
        return BankPayment(amountCents: amount, date: date(AnswerFields.text(json["dataCreditoLiquidacao"]) ?? AnswerFields.text(json["dataRecebimentoTitulo"])),
                           channel: AnswerFields.text(json["codigoCanalPagamento"]))
    }

    /// A `dd.mm.aaaa` (or `dd/mm/aaaa`) date.
    static func date(_ text: String?) -> CalendarDate? {
        guard let text else { return nil }
        let parts = text.prefix(10).split(whereSeparator: { $0 == "." || $0 == "/" })
        guard parts.count == 3, let day = Int(parts[0]), let month = Int(parts[1]), let year = Int(parts[2]) else { return nil }
        return CalendarDate(year: year, month: month, day: day)
    }

    /// The name of a `codigoEstadoTituloCobranca` (model `RespostaDetalhamentoBoleto`, "Código da situação atual do
    /// boleto"):
    ///
    /// | code | state | | code | state |
    /// |---|---|---|---|---|
    /// | 1 | NORMAL | | 12 | TITULO LIQUID/PGCRTO |
    /// | 2 | MOVIMENTO CARTORIO | | 13 | TITULO PROTESTADO AGUARDANDO BAIXA |
    /// | 3 | EM CARTORIO | | 14 | TITULO EM LIQUIDACAO |
    /// | 4 | TITULO COM OCORRENCIA DE CARTORIO | | 15 | TITULO AGENDADO |
    /// | 5 | PROTESTADO ELETRONICO | | 16 | TITULO CREDITADO |
    /// | 6 | LIQUIDADO | | 17 | PAGO EM CHEQUE - AGUARD.LIQUIDACAO |
    /// | 7 | BAIXADO | | 18 | PAGO PARCIALMENTE |
    /// | 8 | TITULO COM PENDENCIA DE CARTORIO | | 19 | PAGO PARCIALMENTE CREDITADO |
    /// | 9 | TITULO PROTESTADO MANUAL | | 21 | TITULO AGENDADO COMPE |
    /// | 10 | TITULO BAIXADO/PAGO EM CARTORIO | | 80 | EM PROCESSAMENTO (ESTADO TRANSITÓRIO) |
    /// | 11 | TITULO LIQUIDADO/PROTESTADO | | | |
    static func stateName(_ code: Int64) -> String {
        switch code {
        case 1: "NORMAL"
        case 2: "MOVIMENTO CARTORIO"
        case 3: "EM CARTORIO"
        case 4: "TITULO COM OCORRENCIA DE CARTORIO"
        case 5: "PROTESTADO ELETRONICO"
        case 6: "LIQUIDADO"
        case 7: "BAIXADO"
        case 8: "TITULO COM PENDENCIA DE CARTORIO"
        case 9: "TITULO PROTESTADO MANUAL"
        case 10: "TITULO BAIXADO/PAGO EM CARTORIO"
        case 11: "TITULO LIQUIDADO/PROTESTADO"
        case 12: "TITULO LIQUID/PGCRTO"
        case 13: "TITULO PROTESTADO AGUARDANDO BAIXA"
        case 14: "TITULO EM LIQUIDACAO"
        case 15: "TITULO AGENDADO"
        case 16: "TITULO CREDITADO"
        case 17: "PAGO EM CHEQUE - AGUARD.LIQUIDACAO"
        case 18: "PAGO PARCIALMENTE"
        case 19: "PAGO PARCIALMENTE CREDITADO"
        case 21: "TITULO AGENDADO COMPE"
        case 80: "EM PROCESSAMENTO"
        default: "ESTADO \(code)"
        }
    }
}
