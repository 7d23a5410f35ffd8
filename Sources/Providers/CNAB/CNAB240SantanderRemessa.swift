import BoletoKit

/// Santander (033) CNAB 240 remessa, "Santander — Layout CNAB 240 Cobrança" (file layout 040, batch 030, as brcobranca
/// writes it; its fixture is reproduced byte for byte). Its header is shifted from FEBRABAN's, and its P segment
/// has the account twice. Each title is segments P, Q and R.
///
/// | registro | posição | campo |
/// |---|---|---|
/// | header de arquivo | 17, 18-32 | tipo de inscrição, CPF/CNPJ (15) |
/// | | 33-47 | código de transmissão (15) |
/// | | 73-102, 103-132 | nome da empresa, `BANCO SANTANDER` |
/// | | 143, 144-151, 158-163, 164-166 | `1`, data, NSA, layout `040` |
/// | header de lote | 9, 10-11, 14-16 | `R`, `01`, `030` |
/// | | 18, 19-33, 54-68 | tipo de inscrição, nº (15), código de transmissão |
/// | | 74-103, 184-191, 192-199 | nome da empresa, nº da remessa, data de gravação |
/// | segmento P | 18-21, 22 | agência (4), DV |
/// | | 23-31, 32, 33-41, 42 | conta corrente and conta cobrança (9) with their DVs |
/// | | 45-57 | nosso número (12) + DV |
/// | | 58, 59, 60 | tipo de cobrança `1`, cadastramento `1`, tipo de documento `2` |
/// | | 63-77, 78-85, 86-100 | seu número (15), vencimento, valor |
/// | | 101-105, 107-108, 109, 110-117 | agência cobradora (zeros), espécie, aceite, emissão |
/// | | 118-141, 142-165 | juros (3 isento), desconto |
/// | | 166-180, 181-195, 196-220 | IOF, abatimento, uso da empresa |
/// | | 221-223, 224-227 | protesto (3 não protestar), baixa: código (3 use the profile's), prazo |
/// | | 228-229 | moeda `00` |
/// | segmento Q | 18-209 | payer and sacador/avalista (FEBRABAN's positions) |
/// | | 210-221 | zeros (banco correspondente and carnê fields) |
/// | segmento R | 66-89 | multa: código, data, valor |
/// | trailers | 18-23, 24-29 | registros do lote; lotes, registros do arquivo |
///
/// The boleto híbrido ("Boleto SX (QR Code - PIX)", the manual's notes 42, 46 and 49-52, as OpenCnabPHP's Santander
/// writer and a transcription of the H7815 manual v8.3 give it): an entry with a PIX request adds, after its R, the
/// optional segments Y03 (the key and txid) and Y53 (how it may be paid):
///
/// | segmento | posição | campo |
/// |---|---|---|
/// | Y03 | 16-17, 18-19 | movimento `01`, registro opcional `03` |
/// | | 20-80 | brancos |
/// | | 81, 82-158 | tipo de chave (1 CPF, 2 CNPJ, 3 celular, 4 e-mail, 5 aleatória), chave DICT (77) |
/// | | 159-193, 194-240 | txid (35; blank: the bank assigns one), brancos |
/// | Y53 | 16-17, 18-19 | movimento `01`, registro opcional `53` |
/// | | 20-21, 22-23 | tipo de pagamento (01 qualquer valor, 02 entre mínimo e máximo, 03 não aceita divergente), quantidade de pagamentos |
/// | | 24, 25-39 | tipo do valor máximo (1 percentual, 2 valor), máximo 9(13)V99 or 9(10)V5 |
/// | | 40, 41-55 | tipo do valor mínimo, mínimo |
/// | | 56-240 | brancos |
public struct CNAB240SantanderRemessa: CNABRemessaLayout {
    public var bank: String { "033" }
    public var format: CNABFormat { .cnab240 }

    public init() {}

    static let prefix = CNAB240RemessaRecords.prefix(bank: "033")

    static let fileHeader = CNABRecordFormat("Header de arquivo", width: 240, [
        (CNABField("bank", 1, 3), "033"), (CNABField("batch", 4, 7), "0000"), (CNABField("type", 8, 8), "0"),
        (CNABField("blank1", 9, 16), nil), (CNABField("companyKind", 17, 17, .digits), nil),
        (CNABField("companyDocument", 18, 32, .digits), nil), (CNABField("transmissionCode", 33, 47, .digits), nil),
        (CNABField("blank2", 48, 72), nil), (CNABField("companyName", 73, 102), nil),
        (CNABField("bankName", 103, 132), "BANCO SANTANDER               "), (CNABField("blank3", 133, 142), nil),
        (CNABField("code", 143, 143), "1"), (CNABField("fileDate", 144, 151, .dateDDMMAAAA), nil),
        (CNABField("blank4", 152, 157), nil), (CNABField("sequence", 158, 163, .digits), nil),
        (CNABField("version", 164, 166), "040"), (CNABField("blank5", 167, 240), nil),
    ])

    static let batchHeader = CNABRecordFormat("Header de lote", width: 240, prefix + [
        (CNABField("operation", 9, 9), "R"), (CNABField("service", 10, 11), "01"), (CNABField("blank1", 12, 13), nil),
        (CNABField("version", 14, 16), "030"), (CNABField("blank2", 17, 17), nil),
        (CNABField("companyKind", 18, 18, .digits), nil), (CNABField("companyDocument", 19, 33, .digits), nil),
        (CNABField("blank3", 34, 53), nil), (CNABField("transmissionCode", 54, 68, .digits), nil),
        (CNABField("blank4", 69, 73), nil), (CNABField("companyName", 74, 103), nil),
        (CNABField("message1", 104, 143), nil), (CNABField("message2", 144, 183), nil),
        (CNABField("remessaNumber", 184, 191, .digits), nil), (CNABField("recordingDate", 192, 199, .dateDDMMAAAA), nil),
        (CNABField("creditDate", 200, 207, .dateDDMMAAAA), nil), (CNABField("blank5", 208, 240), nil),
    ])

    static let segmentP = CNABRecordFormat("Segmento P", width: 240, prefix + [
        (CNABField("sequence", 9, 13, .digits), nil), (CNABField("segment", 14, 14), "P"), (CNABField("blank1", 15, 15), nil),
        (CNABField("movement", 16, 17, .digits), nil), (CNABField("agency", 18, 21, .digits), nil),
        (CNABField("agencyDV", 22, 22), nil), (CNABField("account", 23, 31, .digits), nil),
        (CNABField("accountDV", 32, 32), nil), (CNABField("collectionAccount", 33, 41, .digits), nil),
        (CNABField("collectionAccountDV", 42, 42), nil), (CNABField("blank2", 43, 44), nil),
        (CNABField("nossoNumero", 45, 57, .digits), nil), (CNABField("collectionKind", 58, 58), "1"),
        (CNABField("registration", 59, 59), "1"), (CNABField("documentKind", 60, 60), "2"),
        (CNABField("blank3", 61, 62), nil), (CNABField("documentNumber", 63, 77), nil),
        (CNABField("dueDate", 78, 85, .dateDDMMAAAA), nil), (CNABField("amount", 86, 100, .digits), nil),
        (CNABField("collectingAgency", 101, 104, .digits), nil), (CNABField("collectingAgencyDV", 105, 105, .digits), nil),
        (CNABField("blank4", 106, 106), nil), (CNABField("species", 107, 108, .digits), nil),
        (CNABField("acceptance", 109, 109), nil), (CNABField("issueDate", 110, 117, .dateDDMMAAAA), nil),
        (CNABField("interestCode", 118, 118, .digits), nil), (CNABField("interestDate", 119, 126, .dateDDMMAAAA), nil),
        (CNABField("interest", 127, 141, .digits), nil), (CNABField("discountCode", 142, 142, .digits), nil),
        (CNABField("discountDate", 143, 150, .dateDDMMAAAA), nil), (CNABField("discount", 151, 165, .digits), nil),
        (CNABField("iof", 166, 180, .digits), nil), (CNABField("rebate", 181, 195, .digits), nil),
        (CNABField("control", 196, 220), nil), (CNABField("protestCode", 221, 221, .digits), nil),
        (CNABField("protestDays", 222, 223, .digits), nil), (CNABField("writeOffCode", 224, 224, .digits), nil),
        (CNABField("writeOffDays", 225, 227, .digits), nil), (CNABField("currency", 228, 229), "00"),
        (CNABField("blank5", 230, 240), nil),
    ])

    static let segmentQ = CNABRecordFormat("Segmento Q", width: 240,
                                          Array(CNAB240RemessaRecords.segmentQ(bank: "033").entries.prefix { $0.field.end <= 209 }
                                                    .map { ($0.field, $0.constant) }) + [
        (CNABField("correspondent", 210, 221, .digits), nil), (CNABField("blank3", 222, 240), nil),
    ])

    static let segmentR = CNAB240RemessaRecords.shortSegmentR(bank: "033", thirdDiscount: false)

    static let segmentY03 = CNABRecordFormat("Segmento Y03", width: 240, prefix + [
        (CNABField("sequence", 9, 13, .digits), nil), (CNABField("segment", 14, 14), "Y"), (CNABField("blank1", 15, 15), nil),
        (CNABField("movement", 16, 17, .digits), nil), (CNABField("optional", 18, 19), "03"), (CNABField("blank2", 20, 80), nil),
        (CNABField("keyType", 81, 81, .digits), nil), (CNABField("key", 82, 158), nil), (CNABField("txid", 159, 193), nil),
        (CNABField("blank3", 194, 240), nil),
    ])

    static let segmentY53 = CNABRecordFormat("Segmento Y53", width: 240, prefix + [
        (CNABField("sequence", 9, 13, .digits), nil), (CNABField("segment", 14, 14), "Y"), (CNABField("blank1", 15, 15), nil),
        (CNABField("movement", 16, 17, .digits), nil), (CNABField("optional", 18, 19), "53"),
        (CNABField("paymentType", 20, 21, .digits), nil), (CNABField("paymentCount", 22, 23, .digits), nil),
        (CNABField("maximumType", 24, 24, .digits), nil), (CNABField("maximum", 25, 39, .digits), nil),
        (CNABField("minimumType", 40, 40, .digits), nil), (CNABField("minimum", 41, 55, .digits), nil),
        (CNABField("blank2", 56, 240), nil),
    ])

    static let batchTrailer = CNABRecordFormat("Trailer de lote", width: 240, prefix + [
        (CNABField("blank1", 9, 17), nil), (CNABField("records", 18, 23, .digits), nil), (CNABField("blank2", 24, 240), nil),
    ])

    static let fileTrailer = CNABRecordFormat("Trailer de arquivo", width: 240, [
        (CNABField("bank", 1, 3), "033"), (CNABField("batch", 4, 7), "9999"), (CNABField("type", 8, 8), "9"),
        (CNABField("blank1", 9, 17), nil), (CNABField("batches", 18, 23, .digits), nil),
        (CNABField("records", 24, 29, .digits), nil), (CNABField("blank2", 30, 240), nil),
    ])

    public func write(header: CNABRemessaHeader, titles: [CNABRemessaTitle], lineEnding: CNABLineEnding = .crlf) throws(CNABWriteError) -> [UInt8] {
        let company = header.companyDocument
        let identity: [String: CNABValue] = [
            "companyKind": .digits(company?.kind == .cnpj ? "2" : "1"), "companyDocument": .digits(company?.digits ?? ""),
            "transmissionCode": .digits(header.companyCode ?? ""), "companyName": .text(header.companyName),
        ]
        var records: [[UInt8]] = []
        records.append(try Self.fileHeader.render(identity.merging([
            "fileDate": .date(header.fileDate), "sequence": .number(Int64(header.sequence)),
        ]) { $1 }, record: "Header de arquivo"))
        records.append(try Self.batchHeader.render(identity.merging([
            "batch": .number(1), "type": .text("1"), "remessaNumber": .number(Int64(header.sequence)),
            "recordingDate": .date(header.fileDate),
        ]) { $1 }, record: "Header de lote"))
        var sequence = 0
        for (index, title) in titles.enumerated() {
            func next() -> CNABValue { sequence += 1; return .number(Int64(sequence)) }
            let common: [String: CNABValue] = ["batch": .number(1), "type": .text("3"), "movement": .digits(title.movement)]
            let interestCode = title.interestCode ?? (title.interestPerDayCents == 0 ? "3" : "1")
            let nossoNumero = zeroPadded(title.nossoNumero, 12) + (title.nossoNumeroDV ?? "")
            records.append(try Self.segmentP.render(common.merging([
                "sequence": next(), "agency": .digits(header.agency), "agencyDV": .text(header.agencyDV ?? ""),
                "account": .digits(header.account), "accountDV": .text(header.accountDV ?? ""),
                "collectionAccount": .digits(header.account), "collectionAccountDV": .text(header.accountDV ?? ""),
                "nossoNumero": .digits(nossoNumero), "documentNumber": .text(title.documentNumber),
                "dueDate": .date(title.dueDate), "amount": .number(title.amountCents), "species": .digits(title.species),
                "acceptance": .text(title.acceptance), "issueDate": .date(title.issueDate), "interestCode": .digits(interestCode),
                "interestDate": .date(interestCode == "3" ? nil : title.interestDate ?? title.dueDate.adding(days: 1)),
                "interest": .number(title.interestPerDayCents),
                "discountCode": .digits(title.discountCode ?? (title.discountCents == 0 ? "0" : "1")),
                "discountDate": .date(title.discountDate), "discount": .number(title.discountCents),
                "iof": .number(title.iofCents), "rebate": .number(title.rebateCents), "control": .text(title.control),
                "protestCode": .digits(title.protestCode ?? (title.protestDays == 0 ? "3" : "1")),
                "protestDays": .number(Int64(title.protestDays)),
                "writeOffCode": .digits(title.writeOffDays == nil || title.writeOffDays == 0 ? "3" : "1"),
                "writeOffDays": .number(Int64(title.writeOffDays ?? 0)),
            ]) { $1 }, record: "Segmento P of title \(index + 1)"))
            records += try CNAB240RemessaRecords.segmentsQR(title, index: index, common: common, sequence: &sequence,
                                                            q: Self.segmentQ, r: Self.segmentR, fineFrom: title.dueDate.adding(days: 1))
            if let pix = title.pix, title.movement == "01" {
                records.append(try Self.segmentY03.render(common.merging([
                    "sequence": next(), "keyType": .digits(pix.keyType), "key": .ascii(pix.key), "txid": .ascii(pix.txid),
                ]) { $1 }, record: "Segmento Y03 of title \(index + 1)"))
                // Y53 is optional: without it ("00", as the beneficiary's profile says) the profile applies. A percentage
                // is 9(10)V5: hundredths of a percent take three more zeros.
                func value(_ type: String, cents: Int64, percent: Int64) -> CNABValue { .number(type == "1" ? percent * 1_000 : cents) }
                if pix.paymentType != "00" {
                records.append(try Self.segmentY53.render(common.merging([
                    "sequence": next(), "paymentType": .digits(pix.paymentType),
                    "paymentCount": .number(Int64(pix.paymentCount)), "maximumType": .digits(pix.valueType),
                    "maximum": value(pix.valueType, cents: pix.maximumCents, percent: pix.maximumPercent),
                    "minimumType": .digits(pix.valueType),
                    "minimum": value(pix.valueType, cents: pix.minimumCents, percent: pix.minimumPercent),
                ]) { $1 }, record: "Segmento Y53 of title \(index + 1)"))
                }
            }
        }
        records += try CNAB240RemessaRecords.trailers(after: records, batch: Self.batchTrailer, file: Self.fileTrailer)
        return join(records, lineEnding)
    }

    /// Terms: FEBRABAN's P and R (``CNABTerms/encode240(_:into:)``), juros isento `3`, two discounts (the
    /// manual reserves R 42-65); a write-off is baixa code `1` with its days (226-227, up to 99).
    public var termsSupport: TermsSupport {
        TermsSupport(interest: [.amountPerDay, .percentPerMonth], interestStartDate: true, fine: [.percent, .amount],
                     fineStartDate: true, discounts: [.percent, .amount], maximumDiscounts: 2, abatement: true,
                     protestDays: 1...99, writeOffDays: 1...99)
    }

    public func termsProblems(_ terms: BoletoTerms, dueDate: CalendarDate) -> [FieldProblem] {
        CNABTerms.problems(terms, support: termsSupport, bank: "Santander CNAB 240")
    }

    public func encode(_ terms: BoletoTerms?, into title: inout CNABRemessaTitle) {
        CNABTerms.encode240(terms, into: &title)
    }
}
