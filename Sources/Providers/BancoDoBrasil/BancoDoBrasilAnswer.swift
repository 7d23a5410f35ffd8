import BoletoJSON

/// Reading Banco do Brasil's answers (API Cobranças v2).
enum BancoDoBrasilAnswer {
    /// The first error of an `erros` list, in either of the shapes BB answers with:
    /// `{"erros":[{"codigo","versao","mensagem","ocorrencia"}]}` or the older
    /// `{"erros":[{"codigoMensagem","versaoMensagem","textoMensagem","codigoRetorno"}]}`. The message is cut to 200
    /// characters.
    static func error(_ json: JSON?) -> (code: String, message: String)? {
        guard case .array(let errors)? = json?["erros"], let first = errors.first else { return nil }
        guard let code = text(first["codigo"]) ?? text(first["codigoMensagem"]) else { return nil }
        let message = text(first["mensagem"]) ?? text(first["textoMensagem"]) ?? ""
        return (code, String(message.prefix(200)))
    }

    /// A string, or an integer as its digits (BB sends some codes either way).
    static func text(_ json: JSON?) -> String? {
        switch json {
        case .string(let value)?: value
        case .int(let value)?: String(value)
        default: nil
        }
    }

    /// An integer, or a string of digits.
    static func integer(_ json: JSON?) -> Int64? {
        switch json {
        case .int(let value)?: value
        case .string(let value)?: Int64(value)
        default: nil
        }
    }

    /// Only the digits of `text` (BB's `linhaDigitavel` may come formatted).
    static func digits(_ text: String) -> String { String(text.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init)) }

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
