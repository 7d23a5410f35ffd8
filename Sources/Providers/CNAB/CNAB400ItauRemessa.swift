import BoletoKit

/// Itaú (341) CNAB 400 remessa, "Itaú Cobrança — Layout de Arquivos CNAB 400" (as brcobranca writes it; its
/// fixture is reproduced byte for byte):
///
/// | registro | posição | campo |
/// |---|---|---|
/// | header | 1-26 | `0`, `1`, `REMESSA`, `01`, `COBRANCA` |
/// | | 27-30, 31-32, 33-37, 38 | agência, `00`, conta, DAC |
/// | | 47-76, 77-79, 80-94, 95-100 | nome da empresa, `341`, `BANCO ITAU SA`, data DDMMAA |
/// | detalhe (1) | 2-3, 4-17 | tipo de inscrição da empresa (01 CPF, 02 CNPJ), nº |
/// | | 18-21, 22-23, 24-28, 29 | agência, `00`, conta, DAC |
/// | | 34-37 | instrução/alegação a cancelar (zeros) |
/// | | 38-62 | uso da empresa (25) |
/// | | 63-70 | nosso número (8) |
/// | | 71-83 | quantidade de moeda (zeros) |
/// | | 84-86, 108 | nº da carteira, código da carteira (`I`) |
/// | | 109-110 | código de ocorrência |
/// | | 111-120 | nº do documento (10, numeric here) |
/// | | 121-126, 127-139 | vencimento, valor |
/// | | 140-142, 143-147 | `341`, agência cobradora (zeros) |
/// | | 148-149, 150, 151-156 | espécie, aceite, emissão |
/// | | 157-160 | instruções 1 e 2 |
/// | | 161-173, 174-179, 180-192 | juros de 1 dia, desconto até, valor do desconto |
/// | | 193-205, 206-218 | IOF, abatimento |
/// | | 219-220, 221-234 | tipo de inscrição do pagador, nº |
/// | | 235-264, 275-314, 315-326 | nome (30), logradouro (40), bairro (12) |
/// | | 327-334, 335-349, 350-351 | CEP, cidade (15), UF |
/// | | 352-381 | sacador/avalista (30) |
/// | | 386-391, 392-393 | data de mora (zeros: from the day after the due date), prazo em dias |
/// | multa (2) | 2, 3-10, 11-23 | código (1 valor, 2 percentual), data DDMMAAAA, valor ou percentual |
/// | trailer (9) | 2-394 | brancos |
/// | all | 395-400 | nº sequencial |
///
/// A title with a fine gets its type-2 record right after its type-1 record.
///
/// The boleto híbrido (laravel-boleto's Itaú writer, the only public one): an entry with a PIX request is written with
/// movement **71** ("remessa com registro PIX") instead of 01, and a type-3 record follows its other records:
///
/// | registro | posição | campo |
/// |---|---|---|
/// | PIX (3) | 1 | `3` |
/// | | 2-78 | chave PIX (DICT), 77 |
/// | | 79-142 | identificador (txid), 64 |
/// | | 143-394 | brancos |
///
/// Terms (``encode(_:into:)``): juros a day at 161-173 from the "data de mora" at 386-391 (zeros: the day after the
/// due date); the fine in a type-2 record (code `1` valor or `2` percentual at 2, its date at 3-10, the value at
/// 11-23); one discount (174-192), amounts only (discounts 2 and 3 need Itaú's type-5 record, enabled per beneficiary);
/// abatimento at 206-218; instrução 1 `34` protestar após XX dias corridos, `92` devolver após XX dias, or `91` não
/// receber após XX dias (the payment limit), XX being the prazo at 392-393, so one of them per title.
public struct CNAB400ItauRemessa: CNABRemessaLayout {
    public var bank: String { "341" }
    public var format: CNABFormat { .cnab400 }

    public init() {}

    static let header = CNABRecordFormat("Header de arquivo", width: 400, [
        (CNABField("type", 1, 1), "0"), (CNABField("operation", 2, 2), "1"), (CNABField("literal", 3, 9), "REMESSA"),
        (CNABField("service", 10, 11), "01"), (CNABField("serviceLiteral", 12, 26), "COBRANCA       "),
        (CNABField("agency", 27, 30, .digits), nil), (CNABField("zeros", 31, 32), "00"),
        (CNABField("account", 33, 37, .digits), nil), (CNABField("accountDV", 38, 38, .digits), nil),
        (CNABField("blank1", 39, 46), nil), (CNABField("companyName", 47, 76), nil), (CNABField("bank", 77, 79), "341"),
        (CNABField("bankName", 80, 94), "BANCO ITAU SA  "), (CNABField("fileDate", 95, 100, .dateDDMMAA), nil),
        (CNABField("blank2", 101, 394), nil), (CNABField("sequence", 395, 400, .digits), nil),
    ])

    static let detail = CNABRecordFormat("Detalhe (tipo 1)", width: 400, [
        (CNABField("type", 1, 1), "1"), (CNABField("companyKind", 2, 3, .digits), nil),
        (CNABField("companyDocument", 4, 17, .digits), nil), (CNABField("agency", 18, 21, .digits), nil),
        (CNABField("zeros", 22, 23), "00"), (CNABField("account", 24, 28, .digits), nil),
        (CNABField("accountDV", 29, 29, .digits), nil), (CNABField("blank1", 30, 33), nil),
        (CNABField("cancelInstruction", 34, 37, .digits), nil), (CNABField("control", 38, 62), nil),
        (CNABField("nossoNumero", 63, 70, .digits), nil), (CNABField("currencyQuantity", 71, 83, .digits), nil),
        (CNABField("wallet", 84, 86, .digits), nil), (CNABField("bankUse", 87, 107), nil),
        (CNABField("walletCode", 108, 108), "I"), (CNABField("movement", 109, 110, .digits), nil),
        (CNABField("documentNumber", 111, 120, .digits), nil), (CNABField("dueDate", 121, 126, .dateDDMMAA), nil),
        (CNABField("amount", 127, 139, .digits), nil), (CNABField("bank", 140, 142), "341"),
        (CNABField("collectingAgency", 143, 147, .digits), nil), (CNABField("species", 148, 149, .digits), nil),
        (CNABField("acceptance", 150, 150), nil), (CNABField("issueDate", 151, 156, .dateDDMMAA), nil),
        (CNABField("instruction1", 157, 158, .digits), nil), (CNABField("instruction2", 159, 160, .digits), nil),
        (CNABField("interestPerDay", 161, 173, .digits), nil), (CNABField("discountDate", 174, 179, .dateDDMMAA), nil),
        (CNABField("discount", 180, 192, .digits), nil), (CNABField("iof", 193, 205, .digits), nil),
        (CNABField("rebate", 206, 218, .digits), nil), (CNABField("payerKind", 219, 220, .digits), nil),
        (CNABField("payerDocument", 221, 234, .digits), nil), (CNABField("payerName", 235, 264), nil),
        (CNABField("blank2", 265, 274), nil), (CNABField("payerAddress", 275, 314), nil),
        (CNABField("payerNeighborhood", 315, 326), nil), (CNABField("payerZipcode", 327, 334, .digits), nil),
        (CNABField("payerCity", 335, 349), nil), (CNABField("payerState", 350, 351), nil),
        (CNABField("guarantor", 352, 381), nil), (CNABField("blank3", 382, 385), nil),
        (CNABField("interestDate", 386, 391, .dateDDMMAA), nil), (CNABField("protestDays", 392, 393, .digits), nil),
        (CNABField("blank4", 394, 394), nil), (CNABField("sequence", 395, 400, .digits), nil),
    ])

    static let fine = CNABRecordFormat("Multa (tipo 2)", width: 400, [
        (CNABField("type", 1, 1), "2"), (CNABField("code", 2, 2, .digits), nil),
        (CNABField("date", 3, 10, .dateDDMMAAAA), nil), (CNABField("value", 11, 23, .digits), nil),
        (CNABField("blank", 24, 394), nil), (CNABField("sequence", 395, 400, .digits), nil),
    ])

    static let pix = CNABRecordFormat("PIX (tipo 3)", width: 400, [
        (CNABField("type", 1, 1), "3"), (CNABField("key", 2, 78), nil), (CNABField("txid", 79, 142), nil),
        (CNABField("blank", 143, 394), nil), (CNABField("sequence", 395, 400, .digits), nil),
    ])

    static let trailer = CNABRecordFormat("Trailer de arquivo", width: 400, [
        (CNABField("type", 1, 1), "9"), (CNABField("blank", 2, 394), nil), (CNABField("sequence", 395, 400, .digits), nil),
    ])

    public func write(header: CNABRemessaHeader, titles: [CNABRemessaTitle], lineEnding: CNABLineEnding = .crlf) throws(CNABWriteError) -> [UInt8] {
        var records: [[UInt8]] = []
        records.append(try Self.header.render([
            "agency": .digits(header.agency), "account": .digits(header.account), "accountDV": .digits(header.accountDV ?? "0"),
            "companyName": .text(header.companyName), "fileDate": .date(header.fileDate), "sequence": .number(1),
        ], record: "Header de arquivo"))
        for (index, title) in titles.enumerated() {
            let company = header.companyDocument
            // An entry with a PIX request is a "remessa com registro PIX".
            let pix = title.movement == "01" ? title.pix : nil
            var values = CNAB400RemessaRecords.detailValues(title).merging([
                "companyKind": .digits(company?.kind == .cnpj ? "02" : "01"), "companyDocument": .digits(company?.digits ?? ""),
                "agency": .digits(header.agency), "account": .digits(header.account), "accountDV": .digits(header.accountDV ?? "0"),
                "wallet": .digits(header.wallet), "documentNumber": .digits(title.documentNumber),
                "sequence": .number(Int64(records.count + 1)),
            ]) { $1 }
            if pix != nil { values["movement"] = .digits("71") }
            records.append(try Self.detail.render(values, record: "Detalhe (tipo 1) of title \(index + 1)"))
            if let fine = title.fine {
                records.append(try Self.fine.render([
                    "code": .digits(fine.code), "date": .date(fine.date ?? title.dueDate), "value": .number(fine.value),
                    "sequence": .number(Int64(records.count + 1)),
                ], record: "Multa (tipo 2) of title \(index + 1)"))
            }
            if let pix {
                records.append(try Self.pix.render([
                    "key": .ascii(pix.key), "txid": .ascii(pix.txid), "sequence": .number(Int64(records.count + 1)),
                ], record: "PIX (tipo 3) of title \(index + 1)"))
            }
        }
        records.append(try Self.trailer.render(["sequence": .number(Int64(records.count + 1))], record: "Trailer de arquivo"))
        return join(records, lineEnding)
    }

    public var termsSupport: TermsSupport {
        TermsSupport(interest: [.amountPerDay], interestStartDate: true, fine: [.percent, .amount], fineStartDate: true,
                     discounts: [.amount], maximumDiscounts: 1, abatement: true, protestDays: 1...99, writeOffDays: 1...99,
                     paymentLimitDate: true)
    }

    public func termsProblems(_ terms: BoletoTerms, dueDate: CalendarDate) -> [FieldProblem] {
        var problems = CNABTerms.problems(terms, support: termsSupport, bank: "Itaú CNAB 400")
        if let limit = terms.paymentLimitDate {
            if terms.afterDue != nil {
                problems.append(FieldProblem(field: .terms("payment_limit_date"),
                                             message: "Itaú CNAB 400 carries one day count (392-393): a payment limit or a protest/write-off, not both."))
            } else if !(1...99).contains(limit.days(since: dueDate)) {
                problems.append(FieldProblem(field: .terms("payment_limit_date"),
                                             message: "Itaú CNAB 400 takes a payment limit 1 to 99 days after the due date."))
            }
        }
        return problems
    }

    public func encode(_ terms: BoletoTerms?, into title: inout CNABRemessaTitle) {
        guard let terms else { return }
        CNABTerms.encode400(terms, into: &title)
        if let fine = terms.fine {
            title.fine = CNABFine(code: fine.kind == .percent ? "2" : "1", value: CNABTerms.value(fine), date: fine.startDate)
        }
        if let (code, days) = CNABTerms.afterDueInstruction(terms, protest: "34", writeOff: "92") {
            title.instructions = [code, "00"]
            title.protestDays = days
        } else if let limit = terms.paymentLimitDate {
            title.instructions = ["91", "00"]
            title.protestDays = limit.days(since: title.dueDate)
        }
    }
}
