import BoletoKit

/// Santander (033) CNAB 400 remessa with the boleto híbrido's PIX record, "Santander — Layout CNAB 400 Cobrança,
/// remessa" (version 058, as brcobranca writes it; its fixture is reproduced byte for byte):
///
/// | registro | posição | campo |
/// |---|---|---|
/// | header | 1-26 | `0`, `1`, `REMESSA`, `01`, `COBRANCA` |
/// | | 27-46, 47-76 | código de transmissão (20), nome da empresa |
/// | | 77-79, 80-94, 95-100 | `033`, `SANTANDER`, data DDMMAA |
/// | | 101-116 | zeros; 392-394 versão `058` |
/// | detalhe (1) | 2-3, 4-17 | tipo de inscrição da empresa, nº |
/// | | 18-37, 38-62 | código de transmissão, nº de controle do participante |
/// | | 63-70, 71-76 | nosso número (8), data do segundo desconto |
/// | | 78, 79-82 | multa: código (4 percentual), percentual |
/// | | 83-84, 85-97 | unidade de valor moeda (00), valor em outra unidade |
/// | | 102-107, 108 | data da multa, carteira (1 eletrônica com registro) |
/// | | 109-110, 111-120 | código de ocorrência, seu número (10, numeric here) |
/// | | 121-126, 127-139 | vencimento, valor |
/// | | 140-142, 143-147 | `033`, agência cobradora (zeros) |
/// | | 148-149, 150, 151-156 | espécie, aceite, emissão |
/// | | 157-160 | instruções 1 e 2 |
/// | | 161-173, 174-179, 180-192 | mora por dia, data e valor do desconto |
/// | | 193-205, 206-218 | IOF, abatimento |
/// | | 219-220, 221-234, 235-274 | tipo de inscrição do pagador, nº, nome (40) |
/// | | 275-314, 315-326, 327-334 | endereço (40), bairro (12), CEP |
/// | | 335-349, 350-351, 352-381 | cidade (15), UF, sacador/avalista (30) |
/// | | 383, 384-385 | `I`, complemento: the account's last digit and its DV |
/// | | 392-393 | dias para protesto |
/// | PIX (8) | 2-3, 4-5, 6 | tipo de pagamento, quantidade, tipo de valor (1 %, 2 valor) |
/// | | 7-19, 20-24 | valor máximo, percentual máximo |
/// | | 25-37, 38-42 | valor mínimo, percentual mínimo |
/// | | 43, 44-120, 121-155 | tipo de chave DICT, chave, txid |
/// | trailer (9) | 2-7, 8-20 | quantidade de registros, valor total |
/// | | 21-394 | zeros |
/// | all | 395-400 | nº sequencial |
///
/// Terms (``encode(_:into:)``), after the manual's notes 4, 11, 13, 25 and 28: juros a day at 161-173 (no code, no
/// date); the fine as a percentage only, code `4` at 78 with 79-82 (two decimals) and its date at 102-107 (zeros: after
/// the due date); the first discount at 174-192 and the second's date at 71-76 with its value at 206-218, the field the
/// abatimento also uses, so a title has a second discount or an abatimento; instrução 1 `06` protestar with the days at
/// 392-393, or `02`/`03` baixar após 15/30 dias (the only write-off periods). No payment limit date.
public struct CNAB400SantanderRemessa: CNABRemessaLayout {
    public var bank: String { "033" }
    public var format: CNABFormat { .cnab400 }
    /// The detail takes a one-digit código da carteira at 108 (1 eletrônica com registro, 5 rápida com registro, …),
    /// while the barcode takes the three-digit carteira (101, 102, 201).
    public var walletIsCode: Bool { true }

    public init() {}

    static let header = CNABRecordFormat("Header de arquivo", width: 400, [
        (CNABField("type", 1, 1), "0"), (CNABField("operation", 2, 2), "1"), (CNABField("literal", 3, 9), "REMESSA"),
        (CNABField("service", 10, 11), "01"), (CNABField("serviceLiteral", 12, 26), "COBRANCA       "),
        (CNABField("transmissionCode", 27, 46, .digits), nil), (CNABField("companyName", 47, 76), nil),
        (CNABField("bank", 77, 79), "033"), (CNABField("bankName", 80, 94), "SANTANDER      "),
        (CNABField("fileDate", 95, 100, .dateDDMMAA), nil), (CNABField("zeros", 101, 116, .digits), nil),
        (CNABField("blank", 117, 391), nil), (CNABField("version", 392, 394), "058"),
        (CNABField("sequence", 395, 400, .digits), nil),
    ])

    static let detail = CNABRecordFormat("Detalhe (tipo 1)", width: 400, [
        (CNABField("type", 1, 1), "1"), (CNABField("companyKind", 2, 3, .digits), nil),
        (CNABField("companyDocument", 4, 17, .digits), nil), (CNABField("transmissionCode", 18, 37, .digits), nil),
        (CNABField("control", 38, 62), nil), (CNABField("nossoNumero", 63, 70, .digits), nil),
        (CNABField("secondDiscountDate", 71, 76, .dateDDMMAA), nil), (CNABField("blank1", 77, 77), nil),
        (CNABField("fineCode", 78, 78, .digits), nil), (CNABField("finePercent", 79, 82, .digits), nil),
        (CNABField("currency", 83, 84, .digits), nil), (CNABField("otherUnitValue", 85, 97, .digits), nil),
        (CNABField("blank2", 98, 101), nil), (CNABField("fineDate", 102, 107, .dateDDMMAA), nil),
        (CNABField("wallet", 108, 108, .digits), nil), (CNABField("movement", 109, 110, .digits), nil),
        (CNABField("documentNumber", 111, 120, .digits), nil), (CNABField("dueDate", 121, 126, .dateDDMMAA), nil),
        (CNABField("amount", 127, 139, .digits), nil), (CNABField("bank", 140, 142), "033"),
        (CNABField("collectingAgency", 143, 147, .digits), nil), (CNABField("species", 148, 149, .digits), nil),
        (CNABField("acceptance", 150, 150), nil), (CNABField("issueDate", 151, 156, .dateDDMMAA), nil),
        (CNABField("instruction1", 157, 158, .digits), nil), (CNABField("instruction2", 159, 160, .digits), nil),
        (CNABField("interestPerDay", 161, 173, .digits), nil), (CNABField("discountDate", 174, 179, .dateDDMMAA), nil),
        (CNABField("discount", 180, 192, .digits), nil), (CNABField("iof", 193, 205, .digits), nil),
        (CNABField("rebate", 206, 218, .digits), nil), (CNABField("payerKind", 219, 220, .digits), nil),
        (CNABField("payerDocument", 221, 234, .digits), nil), (CNABField("payerName", 235, 274), nil),
        (CNABField("payerAddress", 275, 314), nil), (CNABField("payerNeighborhood", 315, 326), nil),
        (CNABField("payerZipcode", 327, 334, .digits), nil), (CNABField("payerCity", 335, 349), nil),
        (CNABField("payerState", 350, 351), nil), (CNABField("guarantor", 352, 381), nil),
        (CNABField("blank3", 382, 382), nil), (CNABField("complementKind", 383, 383), "I"),
        (CNABField("complement", 384, 385, .digits), nil), (CNABField("blank4", 386, 391), nil),
        (CNABField("protestDays", 392, 393, .digits), nil), (CNABField("blank5", 394, 394), nil),
        (CNABField("sequence", 395, 400, .digits), nil),
    ])

    static let pix = CNABRecordFormat("PIX (tipo 8)", width: 400, [
        (CNABField("type", 1, 1), "8"), (CNABField("paymentType", 2, 3, .digits), nil),
        (CNABField("paymentCount", 4, 5, .digits), nil), (CNABField("valueType", 6, 6, .digits), nil),
        (CNABField("maximum", 7, 19, .digits), nil), (CNABField("maximumPercent", 20, 24, .digits), nil),
        (CNABField("minimum", 25, 37, .digits), nil), (CNABField("minimumPercent", 38, 42, .digits), nil),
        (CNABField("keyType", 43, 43, .digits), nil), (CNABField("key", 44, 120), nil), (CNABField("txid", 121, 155), nil),
        (CNABField("blank", 156, 394), nil), (CNABField("sequence", 395, 400, .digits), nil),
    ])

    static let trailer = CNABRecordFormat("Trailer de arquivo", width: 400, [
        (CNABField("type", 1, 1), "9"), (CNABField("records", 2, 7, .digits), nil), (CNABField("total", 8, 20, .digits), nil),
        (CNABField("zeros", 21, 394, .digits), nil), (CNABField("sequence", 395, 400, .digits), nil),
    ])

    public func write(header: CNABRemessaHeader, titles: [CNABRemessaTitle], lineEnding: CNABLineEnding = .crlf) throws(CNABWriteError) -> [UInt8] {
        var records: [[UInt8]] = []
        let code = header.companyCode ?? ""
        records.append(try Self.header.render([
            "transmissionCode": .digits(code), "companyName": .text(header.companyName), "fileDate": .date(header.fileDate),
            "sequence": .number(1),
        ], record: "Header de arquivo"))
        let complement = String(header.account.suffix(1)) + (header.accountDV ?? "0")
        for (index, title) in titles.enumerated() {
            var values = CNAB400RemessaRecords.detailValues(title).merging([
                "companyKind": .digits(header.companyDocument?.kind == .cnpj ? "02" : "01"),
                "companyDocument": .digits(header.companyDocument?.digits ?? ""), "transmissionCode": .digits(code),
                "wallet": .digits(header.wallet), "documentNumber": .digits(title.documentNumber),
                "complement": .digits(complement), "sequence": .number(Int64(records.count + 1)),
            ]) { $1 }
            if let fine = title.fine {
                values["fineCode"] = .digits(fine.code)
                values["finePercent"] = .number(fine.value)
                values["fineDate"] = .date(fine.date)
            }
            if let second = title.moreDiscounts.first {
                guard title.rebateCents == 0 else {
                    throw CNABWriteError(record: "Detalhe (tipo 1) of title \(index + 1)", field: "rebate (206-218)",
                                         message: "holds the abatimento or the second discount's value, not both.")
                }
                values["secondDiscountDate"] = .date(second.date)
                values["rebate"] = .number(second.value)
            }
            records.append(try Self.detail.render(values, record: "Detalhe (tipo 1) of title \(index + 1)"))
            if let pix = title.pix {
                records.append(try Self.pix.render([
                    "paymentType": .digits(pix.paymentType), "paymentCount": .number(Int64(pix.paymentCount)),
                    "valueType": .digits(pix.valueType), "maximum": .number(pix.maximumCents),
                    "maximumPercent": .number(pix.maximumPercent), "minimum": .number(pix.minimumCents),
                    "minimumPercent": .number(pix.minimumPercent), "keyType": .digits(pix.keyType),
                    "key": .ascii(pix.key), "txid": .ascii(pix.txid), "sequence": .number(Int64(records.count + 1)),
                ], record: "PIX (tipo 8) of title \(index + 1)"))
            }
        }
        let total = titles.reduce(Int64(0)) { $0 + $1.amountCents }
        records.append(try Self.trailer.render([
            "records": .number(Int64(records.count + 1)), "total": .number(total), "sequence": .number(Int64(records.count + 1)),
        ], record: "Trailer de arquivo"))
        return join(records, lineEnding)
    }

    public var termsSupport: TermsSupport {
        TermsSupport(interest: [.amountPerDay], fine: [.percent], fineStartDate: true, discounts: [.amount], maximumDiscounts: 2,
                     abatement: true, protestDays: 1...99, writeOffDays: 15...30)
    }

    public func termsProblems(_ terms: BoletoTerms, dueDate: CalendarDate) -> [FieldProblem] {
        var problems = CNABTerms.problems(terms, support: termsSupport, bank: "Santander CNAB 400",
                                          maximumPercent: ["fine": Percent(hundredThousandths: 9_999_000)])
        if case .writeOff(let days)? = terms.afterDue, days != 15, days != 30 {
            problems.append(FieldProblem(field: .terms("write_off_days"),
                                         message: "Santander CNAB 400 writes a title off after 15 or 30 days only (instructions 02 and 03)."))
        }
        if terms.discounts.count > 1, terms.abatementCents != nil {
            problems.append(FieldProblem(field: .terms("abatement"),
                                         message: "Santander CNAB 400 carries an abatimento or a second discount (one field, 206-218), not both."))
        }
        return problems
    }

    public func encode(_ terms: BoletoTerms?, into title: inout CNABRemessaTitle) {
        guard let terms else { return }
        CNABTerms.encode400(terms, into: &title)
        title.interestDate = nil
        if let fine = terms.fine { title.fine = CNABFine(code: "4", value: CNABTerms.value(fine), date: fine.startDate) }
        title.moreDiscounts = terms.discounts.dropFirst().map { CNABDiscount(code: "1", date: $0.until, value: CNABTerms.value($0)) }
        switch terms.afterDue {
        case .protest(let days)?:
            title.instructions = ["06", "00"]
            title.protestDays = days
        case .writeOff(let days)?:
            title.instructions = [days == 15 ? "02" : "03", "00"]
        case nil:
            break
        }
    }
}
