import BoletoKit

/// Bradesco (237) CNAB 400 remessa, "Cobrança Bradesco — Layout do Arquivo Remessa CNAB 400" (as brcobranca
/// writes it; its fixture is reproduced byte for byte):
///
/// | registro | posição | campo |
/// |---|---|---|
/// | header | 1-1, 2-2, 3-9 | `0`, `1`, `REMESSA` |
/// | | 10-11, 12-26 | `01`, `COBRANCA` |
/// | | 27-46 | código da empresa (20) |
/// | | 47-76 | nome da empresa (30) |
/// | | 77-79, 80-94 | `237`, `BRADESCO` |
/// | | 95-100 | data de gravação DDMMAA |
/// | | 109-110, 111-117 | `MX`, nº sequencial da remessa |
/// | detalhe (1) | 2-20 | débito automático (zeros) |
/// | | 21-37 | `0` + carteira (3) + agência (5) + conta (7) + DV |
/// | | 38-62 | nº de controle do participante (25) |
/// | | 63-65 | banco (débito automático) `000` |
/// | | 66, 67-70 | multa: código (`0` sem, `2` percentual), percentual (2 decimais) |
/// | | 71-81, 82 | nosso número (11), DV (`P` possible) |
/// | | 83-92 | desconto bonificação por dia |
/// | | 93, 94 | condição de emissão (`2` cliente emite), débito automático `N` |
/// | | 106 | endereçamento do aviso de débito `2` |
/// | | 109-110 | identificação da ocorrência (01 remessa, 02 pedido de baixa, 06 alteração de vencimento) |
/// | | 111-120 | nº do documento (10) |
/// | | 121-126, 127-139 | vencimento DDMMAA, valor |
/// | | 140-142, 143-147 | banco e agência encarregados (zeros) |
/// | | 148-149, 150, 151-156 | espécie, aceite, emissão DDMMAA |
/// | | 157-158, 159-160 | instruções 1 e 2 |
/// | | 161-173 | mora por dia de atraso |
/// | | 174-179, 180-192 | data limite e valor do desconto |
/// | | 193-205, 206-218 | IOF, abatimento |
/// | | 219-220, 221-234 | tipo de inscrição do pagador (01 CPF, 02 CNPJ), nº |
/// | | 235-274, 275-314 | nome, endereço completo (40 each) |
/// | | 315-326, 327-334, 335-394 | 1ª mensagem, CEP, sacador avalista ou 2ª mensagem |
/// | detalhe (2) | 2-321 | quatro mensagens de 80 (brancos) |
/// | | 322-327, 328-340 | data limite e valor do desconto 2 |
/// | | 341-346, 347-359 | data limite e valor do desconto 3 |
/// | | 367-369, 370-374, 375-381, 382 | carteira, agência, conta, DV |
/// | | 383-393, 394 | nosso número, DV |
/// | trailer (9) | 2-394 | brancos |
///
/// Terms (``encode(_:into:)``): juros a day at 161-173 (no code, no date: from the day after the due date); the fine
/// as a percentage only, code `2` at 66 and 67-70 with two decimals (no date field); the first discount in the type-1
/// record and the second and third in a type-2 record, amounts only; abatimento at 206-218; and instrução 1 `06`
/// protestar or `18` decurso de prazo (baixa) with the days in instrução 2 (159-160). The manual's protest minimum
/// is 5 days. Bradesco 400 has no payment limit date (its instructions 09 and 11 are fixed periods).
/// | all | 395-400 | nº sequencial do registro |
public struct CNAB400BradescoRemessa: CNABRemessaLayout {
    public var bank: String { "237" }
    public var format: CNABFormat { .cnab400 }

    public init() {}

    static let header = CNABRecordFormat("Header de arquivo", width: 400, [
        (CNABField("type", 1, 1), "0"), (CNABField("operation", 2, 2), "1"), (CNABField("literal", 3, 9), "REMESSA"),
        (CNABField("service", 10, 11), "01"), (CNABField("serviceLiteral", 12, 26), "COBRANCA       "),
        (CNABField("companyCode", 27, 46, .digits), nil), (CNABField("companyName", 47, 76), nil),
        (CNABField("bank", 77, 79), "237"), (CNABField("bankName", 80, 94), "BRADESCO       "),
        (CNABField("fileDate", 95, 100, .dateDDMMAA), nil), (CNABField("blank1", 101, 108), nil),
        (CNABField("system", 109, 110), "MX"), (CNABField("remessaSequence", 111, 117, .digits), nil),
        (CNABField("blank2", 118, 394), nil), (CNABField("sequence", 395, 400, .digits), nil),
    ])

    static let detail = CNABRecordFormat("Detalhe (tipo 1)", width: 400, [
        (CNABField("type", 1, 1), "1"), (CNABField("debit", 2, 20, .digits), nil),
        (CNABField("company", 21, 37, .digits), nil), (CNABField("control", 38, 62), nil),
        (CNABField("debitBank", 63, 65, .digits), nil), (CNABField("fineCode", 66, 66, .digits), nil),
        (CNABField("finePercent", 67, 70, .digits), nil), (CNABField("nossoNumero", 71, 81, .digits), nil),
        (CNABField("nossoNumeroDV", 82, 82), nil), (CNABField("bonus", 83, 92, .digits), nil),
        (CNABField("issuance", 93, 93), "2"), (CNABField("debitNotice", 94, 94), "N"),
        (CNABField("operation", 95, 104), nil), (CNABField("split", 105, 105), nil),
        (CNABField("noticeAddressing", 106, 106), "2"), (CNABField("blank1", 107, 108), nil),
        (CNABField("movement", 109, 110, .digits), nil), (CNABField("documentNumber", 111, 120), nil),
        (CNABField("dueDate", 121, 126, .dateDDMMAA), nil), (CNABField("amount", 127, 139, .digits), nil),
        (CNABField("collectingBank", 140, 142, .digits), nil), (CNABField("collectingAgency", 143, 147, .digits), nil),
        (CNABField("species", 148, 149, .digits), nil), (CNABField("acceptance", 150, 150), nil),
        (CNABField("issueDate", 151, 156, .dateDDMMAA), nil), (CNABField("instruction1", 157, 158, .digits), nil),
        (CNABField("instruction2", 159, 160, .digits), nil), (CNABField("interestPerDay", 161, 173, .digits), nil),
        (CNABField("discountDate", 174, 179, .dateDDMMAA), nil), (CNABField("discount", 180, 192, .digits), nil),
        (CNABField("iof", 193, 205, .digits), nil), (CNABField("rebate", 206, 218, .digits), nil),
        (CNABField("payerKind", 219, 220, .digits), nil), (CNABField("payerDocument", 221, 234, .digits), nil),
        (CNABField("payerName", 235, 274), nil), (CNABField("payerAddress", 275, 314), nil),
        (CNABField("message1", 315, 326), nil), (CNABField("payerZipcode", 327, 334, .digits), nil),
        (CNABField("message2", 335, 394), nil), (CNABField("sequence", 395, 400, .digits), nil),
    ])

    static let discounts = CNABRecordFormat("Detalhe (tipo 2)", width: 400, [
        (CNABField("type", 1, 1), "2"), (CNABField("messages", 2, 321), nil),
        (CNABField("discount2Date", 322, 327, .dateDDMMAA), nil), (CNABField("discount2", 328, 340, .digits), nil),
        (CNABField("discount3Date", 341, 346, .dateDDMMAA), nil), (CNABField("discount3", 347, 359, .digits), nil),
        (CNABField("blank", 360, 366), nil), (CNABField("wallet", 367, 369, .digits), nil),
        (CNABField("agency", 370, 374, .digits), nil), (CNABField("account", 375, 381, .digits), nil),
        (CNABField("accountDV", 382, 382), nil), (CNABField("nossoNumero", 383, 393, .digits), nil),
        (CNABField("nossoNumeroDV", 394, 394), nil), (CNABField("sequence", 395, 400, .digits), nil),
    ])

    static let trailer = CNABRecordFormat("Trailer de arquivo", width: 400, [
        (CNABField("type", 1, 1), "9"), (CNABField("blank", 2, 394), nil), (CNABField("sequence", 395, 400, .digits), nil),
    ])

    public func write(header: CNABRemessaHeader, titles: [CNABRemessaTitle], lineEnding: CNABLineEnding = .crlf) throws(CNABWriteError) -> [UInt8] {
        var records: [[UInt8]] = []
        records.append(try Self.header.render([
            "companyCode": .digits(header.companyCode ?? ""), "companyName": .text(header.companyName),
            "fileDate": .date(header.fileDate), "remessaSequence": .number(Int64(header.sequence)), "sequence": .number(1),
        ], record: "Header de arquivo"))
        for (index, title) in titles.enumerated() {
            let company = "0" + zeroPadded(header.wallet, 3) + zeroPadded(header.agency, 5) + zeroPadded(header.account, 7) + (header.accountDV ?? "0")
            var values = CNAB400RemessaRecords.detailValues(title).merging([
                "company": .digits(company), "nossoNumeroDV": .text(title.nossoNumeroDV ?? ""),
                "documentNumber": .text(title.documentNumber), "sequence": .number(Int64(records.count + 1)),
            ]) { $1 }
            if let fine = title.fine {
                values["fineCode"] = .digits(fine.code)
                values["finePercent"] = .number(fine.value)
            }
            records.append(try Self.detail.render(values, record: "Detalhe (tipo 1) of title \(index + 1)"))
            if !title.moreDiscounts.isEmpty {
                var more: [String: CNABValue] = [
                    "wallet": .digits(header.wallet), "agency": .digits(header.agency), "account": .digits(header.account),
                    "accountDV": .text(header.accountDV ?? "0"), "nossoNumero": .digits(title.nossoNumero),
                    "nossoNumeroDV": .text(title.nossoNumeroDV ?? ""), "sequence": .number(Int64(records.count + 1)),
                ]
                for (offset, discount) in title.moreDiscounts.prefix(2).enumerated() {
                    more["discount\(offset + 2)Date"] = .date(discount.date)
                    more["discount\(offset + 2)"] = .number(discount.value)
                }
                records.append(try Self.discounts.render(more, record: "Detalhe (tipo 2) of title \(index + 1)"))
            }
        }
        records.append(try Self.trailer.render(["sequence": .number(Int64(records.count + 1))], record: "Trailer de arquivo"))
        return join(records, lineEnding)
    }

    public var termsSupport: TermsSupport {
        TermsSupport(interest: [.amountPerDay], fine: [.percent], discounts: [.amount], maximumDiscounts: 3, abatement: true,
                     protestDays: 5...99, writeOffDays: 1...99)
    }

    public func termsProblems(_ terms: BoletoTerms, dueDate: CalendarDate) -> [FieldProblem] {
        CNABTerms.problems(terms, support: termsSupport, bank: "Bradesco CNAB 400",
                           maximumPercent: ["fine": Percent(hundredThousandths: 9_999_000)])
    }

    public func encode(_ terms: BoletoTerms?, into title: inout CNABRemessaTitle) {
        guard let terms else { return }
        CNABTerms.encode400(terms, into: &title)
        title.interestDate = nil
        if let fine = terms.fine { title.fine = CNABFine(code: "2", value: CNABTerms.value(fine)) }
        title.moreDiscounts = terms.discounts.dropFirst().map { CNABDiscount(code: "1", date: $0.until, value: CNABTerms.value($0)) }
        if let (code, days) = CNABTerms.afterDueInstruction(terms, protest: "06", writeOff: "18") {
            title.instructions = [code, zeroPadded(String(days), 2)]
        }
    }
}
