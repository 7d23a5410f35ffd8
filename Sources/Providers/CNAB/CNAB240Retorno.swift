/// A bank's CNAB 240 retorno layout: FEBRABAN's segments T and U with the bank's own deviations (where it puts
/// the nosso número, Santander's shifted T), and its occurrence table (FEBRABAN's, with the bank's additions).
///
/// Segment T (FEBRABAN "Layout Padrão de Arquivos CNAB 240", cobrança, retorno):
///
/// | posição | campo |
/// |---|---|
/// | 14 | segmento `T` |
/// | 16-17 | código de movimento retorno |
/// | 38-57 | nosso número (20, bank-specific) |
/// | 58 | carteira |
/// | 59-73 | nº do documento |
/// | 74-81 | vencimento DDMMAAAA |
/// | 82-96 | valor nominal |
/// | 97-99, 100-105 | banco, agência cobradora + DV |
/// | 106-130 | uso da empresa |
/// | 199-213 | tarifa / custas |
/// | 214-223 | motivos da ocorrência (5 × 2) |
///
/// Segment U: 18-32 juros/multa/encargos, 33-47 desconto, 48-62 abatimento, 63-77 IOF, 78-92 valor pago, 93-107
/// valor líquido, 108-122 outras despesas, 123-137 outros créditos, 138-145 data da ocorrência, 146-153 data do
/// crédito.
public struct CNAB240RetornoLayout: Sendable {
    /// The bank's FEBRABAN code.
    public let bank: String
    /// The manual the layout follows.
    public let manual: String
    public let segmentT: CNABRecordLayout
    public let segmentU: CNABRecordLayout
    /// Occurrence codes (T 16-17) and what they mean at this bank.
    public let occurrences: [String: CNABOccurrence]
    /// The issuer's number inside the bank's nosso número (``CNABTitle/issuerNumber``).
    public let issuerNumber: @Sendable (String) -> Int64?
    /// The file header's fields that name the beneficiary (`agency`, `account`, `code`; see ``CNABBeneficiary``).
    public let header: [CNABField]
    /// The segments' fields, resolved once.
    let t: TFields
    let u: UFields

    struct TFields {
        let occurrenceCode, nossoNumero, documentNumber, dueDate, faceValue, fee, reasons: CNABField

        init(_ layout: CNABRecordLayout) {
            occurrenceCode = layout["occurrenceCode"]
            nossoNumero = layout["nossoNumero"]
            documentNumber = layout["documentNumber"]
            dueDate = layout["dueDate"]
            faceValue = layout["faceValue"]
            fee = layout["fee"]
            reasons = layout["reasons"]
        }
    }

    struct UFields {
        let occurrenceCode, interest, discount, rebate, iof, paidValue, occurrenceDate, creditDate: CNABField

        init(_ layout: CNABRecordLayout) {
            occurrenceCode = layout["occurrenceCode"]
            interest = layout["interest"]
            discount = layout["discount"]
            rebate = layout["rebate"]
            iof = layout["iof"]
            paidValue = layout["paidValue"]
            occurrenceDate = layout["occurrenceDate"]
            creditDate = layout["creditDate"]
        }
    }

    /// FEBRABAN's layout with `overrides` on segment T and `additions` to the occurrence table.
    public init(bank: String, manual: String, overrides: [CNABField] = [], additions: [String: CNABOccurrence] = [:],
                header: [CNABField] = febrabanHeader, issuerNumber: @escaping @Sendable (String) -> Int64?) {
        self.bank = bank
        self.manual = manual
        self.segmentT = Self.febrabanT.replacing(overrides)
        self.segmentU = Self.febrabanU
        self.occurrences = Self.febrabanOccurrences.merging(additions) { _, bank in bank }
        self.issuerNumber = issuerNumber
        self.header = header
        self.t = TFields(segmentT)
        self.u = UFields(segmentU)
    }

    /// FEBRABAN's file header, 53-57 agência and 59-70 conta corrente (58 and 71-72 are check digits), the same in
    /// the remessa and the retorno.
    public static let febrabanHeader = [CNABField("agency", 53, 57, .digits), CNABField("account", 59, 70, .digits)]

    static let febrabanT = CNABRecordLayout("Segmento T", [
        CNABField("occurrenceCode", 16, 17, .digits), CNABField("nossoNumero", 38, 57), CNABField("carteira", 58, 58),
        CNABField("documentNumber", 59, 73), CNABField("dueDate", 74, 81, .dateDDMMAAAA),
        CNABField("faceValue", 82, 96, .cents), CNABField("collectingBank", 97, 99, .digits),
        CNABField("collectingAgency", 100, 105), CNABField("companyUse", 106, 130), CNABField("fee", 199, 213, .cents),
        CNABField("reasons", 214, 223),
    ])

    static let febrabanU = CNABRecordLayout("Segmento U", [
        CNABField("occurrenceCode", 16, 17, .digits), CNABField("interest", 18, 32, .cents),
        CNABField("discount", 33, 47, .cents), CNABField("rebate", 48, 62, .cents), CNABField("iof", 63, 77, .cents),
        CNABField("paidValue", 78, 92, .cents), CNABField("netCredit", 93, 107, .cents),
        CNABField("otherExpenses", 108, 122, .cents), CNABField("otherCredits", 123, 137, .cents),
        CNABField("occurrenceDate", 138, 145, .dateDDMMAAAA), CNABField("creditDate", 146, 153, .dateDDMMAAAA),
    ])

    /// FEBRABAN's retorno movement codes (as BoletoNetCore's table and laravel-boleto's classification have them).
    /// Paid: 06, 17; registered: 02; written off: 09; due date: 14; instructions confirmed: 07, 08, 12, 13, 19, 20, 27,
    /// 46; rejected: 03, 26, 30; fee: 28.
    static let febrabanOccurrences: [String: CNABOccurrence] = [
        "02": .init("Entrada Confirmada", .registered),
        "03": .init("Entrada Rejeitada", .rejected),
        "04": .init("Transferência de Carteira/Entrada", .other),
        "05": .init("Transferência de Carteira/Baixa", .other),
        "06": .init("Liquidação", .paid),
        "07": .init("Confirmação do Recebimento da Instrução de Desconto", .instructionConfirmed),
        "08": .init("Confirmação do Recebimento do Cancelamento do Desconto", .instructionConfirmed),
        "09": .init("Baixa", .writtenOff),
        "11": .init("Título em Carteira (em ser)", .other),
        "12": .init("Confirmação Recebimento Instrução de Abatimento", .instructionConfirmed),
        "13": .init("Confirmação Recebimento Instrução de Cancelamento Abatimento", .instructionConfirmed),
        "14": .init("Confirmação Recebimento Instrução Alteração de Vencimento", .dueDateChanged),
        "15": .init("Franco de Pagamento", .other),
        "17": .init("Liquidação Após Baixa ou Liquidação Título Não Registrado", .paid),
        "19": .init("Confirmação Recebimento Instrução de Protesto", .instructionConfirmed),
        "20": .init("Confirmação Recebimento Instrução de Sustação/Cancelamento de Protesto", .instructionConfirmed),
        "23": .init("Remessa a Cartório (Aponte em Cartório)", .other),
        "24": .init("Retirada de Cartório e Manutenção em Carteira", .other),
        "25": .init("Protestado e Baixado (Baixa por Ter Sido Protestado)", .other),
        "26": .init("Instrução Rejeitada", .rejected),
        "27": .init("Confirmação do Pedido de Alteração de Outros Dados", .instructionConfirmed),
        "28": .init("Débito de Tarifas/Custas", .fee),
        "29": .init("Ocorrências do Pagador", .other),
        "30": .init("Alteração de Dados Rejeitada", .rejected),
        "33": .init("Confirmação da Alteração dos Dados do Rateio de Crédito", .other),
        "34": .init("Confirmação do Cancelamento dos Dados do Rateio de Crédito", .other),
        "35": .init("Confirmação do Desagendamento do Débito Automático", .other),
        "36": .init("Confirmação de envio de e-mail/SMS", .other),
        "37": .init("Envio de e-mail/SMS rejeitado", .other),
        "38": .init("Confirmação de alteração do Prazo Limite de Recebimento", .other),
        "39": .init("Confirmação de Dispensa de Prazo Limite de Recebimento", .other),
        "40": .init("Confirmação da alteração do número do título dado pelo beneficiário", .other),
        "41": .init("Confirmação da alteração do número controle do Participante", .other),
        "42": .init("Confirmação da alteração dos dados do Pagador", .other),
        "43": .init("Confirmação da alteração dos dados do Sacador/Avalista", .other),
        "44": .init("Título pago com cheque devolvido", .other),
        "45": .init("Título pago com cheque compensado", .other),
        "46": .init("Instrução para cancelar protesto confirmada", .instructionConfirmed),
        "47": .init("Instrução para protesto para fins falimentares confirmada", .other),
        "48": .init("Confirmação de instrução de transferência de carteira/modalidade de cobrança", .other),
        "49": .init("Alteração de contrato de cobrança", .other),
        "50": .init("Título pago com cheque pendente de liquidação", .other),
        "51": .init("Título DDA reconhecido pelo pagador", .other),
        "52": .init("Título DDA não reconhecido pelo pagador", .other),
        "53": .init("Título DDA recusado pela CIP", .other),
        "54": .init("Confirmação da Instrução de Baixa de Título Negativado sem Protesto", .other),
    ]

    /// Reads the records after the file header (`lines[0]`).
    func read(_ lines: [CNABLine], warnings: inout [CNABWarning]) -> [CNABTitle] {
        var titles: [CNABTitle] = []
        titles.reserveCapacity(lines.count / 2)
        var pendingT: (line: CNABLine, title: CNABTitle)?
        var batchStart: CNABLine?
        var batchCount = 0
        var batchSum: Int64 = 0
        var batches = 0
        var sawTrailer = false
        /// Whether the last record was a title's U (or a Y03 after it): a Y03 belongs to that title.
        var afterU = false

        func closeT() {
            guard let pending = pendingT else { return }
            warnings.append(CNABWarning(line: pending.line.number, message: "segment T has no segment U after it; its values are the T's alone."))
            titles.append(pending.title)
            batchCount += 1
            batchSum += pending.title.faceValueCents
            pendingT = nil
        }

        for line in lines.dropFirst() {
            if sawTrailer {
                warnings.append(CNABWarning(line: line.number, message: "a record after the file trailer (type 9) is ignored."))
                continue
            }
            let wasAfterU = afterU
            afterU = false
            switch line.byte(at: 8) {
            case UInt8(ascii: "1"):
                closeT()
                if batchStart != nil { warnings.append(CNABWarning(line: line.number, message: "a batch header before the previous batch's trailer.")) }
                batchStart = line
                batchCount = 0
                batchSum = 0
                batches += 1
            case UInt8(ascii: "3"):
                if batchStart == nil { warnings.append(CNABWarning(line: line.number, message: "a detail outside any batch (no batch header before it).")) }
                switch line.byte(at: 14) {
                case UInt8(ascii: "T"):
                    closeT()
                    pendingT = (line, title(t: line, &warnings))
                case UInt8(ascii: "U"):
                    guard var pending = pendingT else {
                        warnings.append(CNABWarning(line: line.number, message: "segment U has no segment T before it; ignored."))
                        continue
                    }
                    pendingT = nil
                    complete(&pending.title, u: line, &warnings)
                    batchCount += 1
                    batchSum += pending.title.faceValueCents
                    titles.append(pending.title)
                    afterU = true
                    continue
                case UInt8(ascii: "Y") where bank == "033" && line.text(Self.optionalRecord) == "03":
                    // Santander's Y03 after a title's T and U: its boleto híbrido's QR Code location and txid.
                    if wasAfterU, !titles.isEmpty {
                        let location = line.text(Self.pixLocation), txid = line.text(Self.pixTxid)
                        if !location.isEmpty || !txid.isEmpty { titles[titles.count - 1].pix = CNABPix(location: location, txid: txid) }
                        afterU = true
                    } else {
                        warnings.append(CNABWarning(line: line.number, message: "segment Y03 does not follow a title's segment U; ignored."))
                    }
                    continue
                default:
                    // Other segments (Y, W) carry optional data this reader does not model.
                    continue
                }
            case UInt8(ascii: "5"):
                closeT()
                if let start = batchStart {
                    checkBatchTrailer(line, start: start, count: batchCount, sum: batchSum, &warnings)
                } else {
                    warnings.append(CNABWarning(line: line.number, message: "a batch trailer with no batch header."))
                }
                batchStart = nil
            case UInt8(ascii: "9"):
                closeT()
                sawTrailer = true
                if batchStart != nil { warnings.append(CNABWarning(line: line.number, message: "the last batch has no trailer (type 5).")) }
                checkFileTrailer(line, batches: batches, records: lines.count, &warnings)
            default:
                warnings.append(CNABWarning(line: line.number, message: "record type \(line.character(at: 8)) (position 8) is not a CNAB 240 record; ignored."))
            }
        }
        closeT()
        if !sawTrailer { warnings.append(CNABWarning(line: lines.last?.number ?? 0, message: "the file has no trailer (type 9): it may be cut short.")) }
        return titles
    }

    func title(t line: CNABLine, _ warnings: inout [CNABWarning]) -> CNABTitle {
        let code = line.text(t.occurrenceCode)
        let known = occurrences[code]
        if known == nil {
            warnings.append(CNABWarning(line: line.number, message: "occurrence code \(code.isEmpty ? "(blank)" : code) is not in bank \(bank)'s table."))
        }
        let nossoNumero = line.text(t.nossoNumero)
        return CNABTitle(
            line: line.number, nossoNumero: nossoNumero, issuerNumber: issuerNumber(nossoNumero),
            documentNumber: line.text(t.documentNumber),
            occurrenceCode: code, occurrence: known ?? CNABOccurrence("Ocorrência \(code) (not in bank \(bank)'s table)", .other),
            reasons: line.reasons(t.reasons), dueDate: line.date(t.dueDate, &warnings), occurrenceDate: nil, creditDate: nil,
            faceValueCents: line.cents(t.faceValue, &warnings), paidValueCents: 0, feeCents: line.cents(t.fee, &warnings),
            interestCents: 0, discountCents: 0, rebateCents: 0, iofCents: 0, pix: nil)
    }

    func complete(_ title: inout CNABTitle, u line: CNABLine, _ warnings: inout [CNABWarning]) {
        if !line.slice(u.occurrenceCode).elementsEqual(title.occurrenceCode.utf8) {
            let code = line.text(u.occurrenceCode)
            if code != title.occurrenceCode {
                warnings.append(CNABWarning(line: line.number, message: "segment U's movement code \(code) differs from its T's \(title.occurrenceCode); the T's is used."))
            }
        }
        title.interestCents = line.cents(u.interest, &warnings)
        title.discountCents = line.cents(u.discount, &warnings)
        title.rebateCents = line.cents(u.rebate, &warnings)
        title.iofCents = line.cents(u.iof, &warnings)
        title.paidValueCents = line.cents(u.paidValue, &warnings)
        title.occurrenceDate = line.date(u.occurrenceDate, &warnings)
        title.creditDate = line.date(u.creditDate, &warnings)
    }

    /// Santander's segment Y03 (retorno): registro opcional `03`, the QR Code's location (without `https://`) and
    /// the txid (the H7815 manual's notes 42, 51 and 52; a real file in OpenCnabPHP's Santander PIX work agrees).
    static let optionalRecord = CNABField("optionalRecord", 18, 19)
    static let pixLocation = CNABField("pixLocation", 82, 158)
    static let pixTxid = CNABField("pixTxid", 159, 193)

    static let batchRecordCount = CNABField("recordCount", 18, 23, .digits)
    static let batchTitleCount = CNABField("simpleCount", 24, 29, .digits)
    static let batchTotal = CNABField("simpleTotal", 30, 46, .cents)
    static let fileBatchCount = CNABField("batchCount", 18, 23, .digits)
    static let fileRecordCount = CNABField("recordCount", 24, 29, .digits)

    /// The batch trailer's record count (header to trailer) and, when the bank fills them, its count and total of
    /// cobrança simples titles.
    func checkBatchTrailer(_ line: CNABLine, start: CNABLine, count titles: Int, sum: Int64, _ warnings: inout [CNABWarning]) {
        let records = line.cents(Self.batchRecordCount, &warnings)
        let expected = Int64(line.number - start.number + 1)
        if records != expected {
            warnings.append(CNABWarning(line: line.number, message: "the batch trailer counts \(records) records; the batch has \(expected)."))
        }
        let count = line.cents(Self.batchTitleCount, &warnings)
        let total = line.cents(Self.batchTotal, &warnings)
        if (count != 0 || total != 0) && (count != Int64(titles) || total != sum) {
            warnings.append(CNABWarning(line: line.number, message: "the batch trailer counts \(count) titles worth \(total) cents; the batch holds \(titles) worth \(sum)."))
        }
    }

    func checkFileTrailer(_ line: CNABLine, batches: Int, records: Int, _ warnings: inout [CNABWarning]) {
        let batchCount = line.cents(Self.fileBatchCount, &warnings)
        let recordCount = line.cents(Self.fileRecordCount, &warnings)
        if batchCount != Int64(batches) {
            warnings.append(CNABWarning(line: line.number, message: "the file trailer counts \(batchCount) batches; the file has \(batches)."))
        }
        if recordCount != Int64(line.number) {
            warnings.append(CNABWarning(line: line.number, message: "the file trailer counts \(recordCount) records; the file has \(line.number)."))
        }
    }
}
