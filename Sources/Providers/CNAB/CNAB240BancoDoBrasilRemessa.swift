import BoletoKit

/// Banco do Brasil (001) CNAB 240 remessa, "Leiaute de Arquivo — Padrão CNAB 240, Cobrança" (file layout 083,
/// batch 042, as brcobranca writes it; its fixture is reproduced byte for byte). One title is segments P, Q and R.
///
/// | registro | posição | campo |
/// |---|---|---|
/// | header de arquivo | 18, 19-32 | tipo de inscrição (1 CPF, 2 CNPJ), nº |
/// | | 33-52 | convênio (9) + `0014` + carteira (2) + variação (3) + brancos |
/// | | 53-57, 58, 59-70, 71 | agência, DV, conta, DV |
/// | | 73-102, 103-132 | nome da empresa, `BANCO DO BRASIL SA` |
/// | | 143, 144-151, 152-157 | `1` remessa, data DDMMAAAA, hora HHMMSS |
/// | | 158-163, 164-166, 167-171 | NSA, `083`, densidade |
/// | header de lote | 9, 10-11, 14-16 | `R`, `01` cobrança, `042` |
/// | | 18, 19-33, 34-53 | tipo de inscrição, nº (15), convênio |
/// | | 54-72, 74-103 | agência e conta como no header, nome da empresa |
/// | | 184-191, 192-199 | nº da remessa, data de gravação |
/// | segmento P | 16-17, 18-37 | movimento, agência e conta |
/// | | 38-57 | nosso número: convênio (7) + sequencial (10), alinhado à esquerda |
/// | | 58, 59, 61, 62 | carteira, cadastramento `1`, emissão `0`, distribuição `0` |
/// | | 63-77, 78-85, 86-100 | nº do documento (15), vencimento, valor |
/// | | 107-108, 109, 110-117 | espécie, aceite, emissão |
/// | | 118, 119-126, 127-141 | juros: código (1 valor por dia, 3 isento), data, valor |
/// | | 142, 143-150, 151-165 | desconto: código (0 sem), data, valor |
/// | | 166-180, 181-195 | IOF, abatimento |
/// | | 196-220 | uso da empresa (25, alinhado à direita) |
/// | | 221, 222-223, 224, 225-227 | protesto (1 protestar, 3 não), prazo, baixa (0), prazo |
/// | | 228-229 | moeda `09` |
/// | segmento Q | 18, 19-33, 34-73 | pagador: tipo de inscrição, nº (15), nome (40) |
/// | | 74-113, 114-128 | endereço (40), bairro (15) |
/// | | 129-133, 134-136, 137-151, 152-153 | CEP, sufixo, cidade (15), UF |
/// | | 154, 155-169, 170-209 | sacador/avalista: tipo, nº, nome |
/// | segmento R | 66, 67-74, 75-89 | multa: código (0 sem, 1 valor, 2 percentual), data, valor |
/// | trailer de lote | 18-23 | quantidade de registros do lote |
/// | trailer de arquivo | 18-23, 24-29 | quantidade de lotes, de registros |
public struct CNAB240BancoDoBrasilRemessa: CNABRemessaLayout {
    public var bank: String { "001" }
    public var format: CNABFormat { .cnab240 }

    public init() {}

    static let prefix = CNAB240RemessaRecords.prefix(bank: "001")

    static let fileHeader = CNABRecordFormat("Header de arquivo", width: 240, [
        (CNABField("bank", 1, 3), "001"), (CNABField("batch", 4, 7), "0000"), (CNABField("type", 8, 8), "0"),
        (CNABField("blank1", 9, 17), nil), (CNABField("companyKind", 18, 18, .digits), nil),
        (CNABField("companyDocument", 19, 32, .digits), nil), (CNABField("agreement", 33, 52), nil),
        (CNABField("agency", 53, 57, .digits), nil), (CNABField("agencyDV", 58, 58), nil),
        (CNABField("account", 59, 70, .digits), nil), (CNABField("accountDV", 71, 71), nil),
        (CNABField("agencyAccountDV", 72, 72), nil), (CNABField("companyName", 73, 102), nil),
        (CNABField("bankName", 103, 132), "BANCO DO BRASIL SA            "), (CNABField("blank2", 133, 142), nil),
        (CNABField("code", 143, 143), "1"), (CNABField("fileDate", 144, 151, .dateDDMMAAAA), nil),
        (CNABField("fileTime", 152, 157, .digits), nil), (CNABField("sequence", 158, 163, .digits), nil),
        (CNABField("version", 164, 166), "083"), (CNABField("density", 167, 171, .digits), nil),
        (CNABField("bankReserved", 172, 191, .digits), nil), (CNABField("companyReserved", 192, 211, .digits), nil),
        (CNABField("blank3", 212, 240), nil),
    ])

    static let batchHeader = CNABRecordFormat("Header de lote", width: 240, prefix + [
        (CNABField("operation", 9, 9), "R"), (CNABField("service", 10, 11), "01"), (CNABField("blank1", 12, 13), nil),
        (CNABField("version", 14, 16), "042"), (CNABField("blank2", 17, 17), nil),
        (CNABField("companyKind", 18, 18, .digits), nil), (CNABField("companyDocument", 19, 33, .digits), nil),
        (CNABField("agreement", 34, 53), nil), (CNABField("agency", 54, 58, .digits), nil),
        (CNABField("agencyDV", 59, 59), nil), (CNABField("account", 60, 71, .digits), nil),
        (CNABField("accountDV", 72, 72), nil), (CNABField("agencyAccountDV", 73, 73), nil),
        (CNABField("companyName", 74, 103), nil), (CNABField("message1", 104, 143), nil),
        (CNABField("message2", 144, 183), nil), (CNABField("remessaNumber", 184, 191, .digits), nil),
        (CNABField("recordingDate", 192, 199, .dateDDMMAAAA), nil), (CNABField("creditDate", 200, 207, .dateDDMMAAAA), nil),
        (CNABField("blank3", 208, 240), nil),
    ])

    static let segmentP = CNABRecordFormat("Segmento P", width: 240, prefix + [
        (CNABField("sequence", 9, 13, .digits), nil), (CNABField("segment", 14, 14), "P"), (CNABField("blank1", 15, 15), nil),
        (CNABField("movement", 16, 17, .digits), nil), (CNABField("agency", 18, 22, .digits), nil),
        (CNABField("agencyDV", 23, 23), nil), (CNABField("account", 24, 35, .digits), nil),
        (CNABField("accountDV", 36, 36), nil), (CNABField("agencyAccountDV", 37, 37), nil),
        (CNABField("nossoNumero", 38, 57), nil), (CNABField("walletCode", 58, 58, .digits), nil),
        (CNABField("registration", 59, 59), "1"), (CNABField("documentKind", 60, 60), nil),
        (CNABField("issuance", 61, 61), "0"), (CNABField("distribution", 62, 62), "0"),
        (CNABField("documentNumber", 63, 77, .digits), nil), (CNABField("dueDate", 78, 85, .dateDDMMAAAA), nil),
        (CNABField("amount", 86, 100, .digits), nil), (CNABField("collectingAgency", 101, 105, .digits), nil),
        (CNABField("collectingAgencyDV", 106, 106), nil), (CNABField("species", 107, 108, .digits), nil),
        (CNABField("acceptance", 109, 109), nil), (CNABField("issueDate", 110, 117, .dateDDMMAAAA), nil),
        (CNABField("interestCode", 118, 118, .digits), nil), (CNABField("interestDate", 119, 126, .dateDDMMAAAA), nil),
        (CNABField("interest", 127, 141, .digits), nil), (CNABField("discountCode", 142, 142, .digits), nil),
        (CNABField("discountDate", 143, 150, .dateDDMMAAAA), nil), (CNABField("discount", 151, 165, .digits), nil),
        (CNABField("iof", 166, 180, .digits), nil), (CNABField("rebate", 181, 195, .digits), nil),
        (CNABField("control", 196, 220), nil), (CNABField("protestCode", 221, 221, .digits), nil),
        (CNABField("protestDays", 222, 223, .digits), nil), (CNABField("writeOffCode", 224, 224, .digits), nil),
        (CNABField("writeOffDays", 225, 227, .digits), nil), (CNABField("currency", 228, 229), "09"),
        (CNABField("contract", 230, 239, .digits), nil), (CNABField("blank2", 240, 240), nil),
    ])

    static let segmentQ = CNAB240RemessaRecords.segmentQ(bank: "001")

    static let segmentR = CNAB240RemessaRecords.segmentR(bank: "001")

    static let batchTrailer = CNABRecordFormat("Trailer de lote", width: 240, prefix + [
        (CNABField("blank", 9, 17), nil), (CNABField("records", 18, 23, .digits), nil), (CNABField("zeros", 24, 240, .digits), nil),
    ])

    static let fileTrailer = CNABRecordFormat("Trailer de arquivo", width: 240, [
        (CNABField("bank", 1, 3), "001"), (CNABField("batch", 4, 7), "9999"), (CNABField("type", 8, 8), "9"),
        (CNABField("blank1", 9, 17), nil), (CNABField("batches", 18, 23, .digits), nil),
        (CNABField("records", 24, 29, .digits), nil), (CNABField("blank2", 30, 240), nil),
    ])

    public func write(header: CNABRemessaHeader, titles: [CNABRemessaTitle], lineEnding: CNABLineEnding = .crlf) throws(CNABWriteError) -> [UInt8] {
        let company = header.companyDocument
        let agreement = zeroPadded(header.agreement ?? "", 9) + "0014" + zeroPadded(header.wallet, 2)
            + zeroPadded(header.walletVariation ?? "", 3)
        let account: [String: CNABValue] = [
            "companyKind": .digits(company?.kind == .cnpj ? "2" : "1"), "companyDocument": .digits(company?.digits ?? ""),
            "agreement": .text(agreement), "agency": .digits(header.agency), "agencyDV": .text(header.agencyDV ?? ""),
            "account": .digits(header.account), "accountDV": .text(header.accountDV ?? ""), "companyName": .text(header.companyName),
        ]
        var records: [[UInt8]] = []
        let time = header.fileTime.map { String(format: "%02d%02d%02d", $0.hour, $0.minute, $0.second) } ?? "000000"
        records.append(try Self.fileHeader.render(account.merging([
            "fileDate": .date(header.fileDate), "fileTime": .digits(time), "sequence": .number(Int64(header.sequence)),
        ]) { $1 }, record: "Header de arquivo"))
        records.append(try Self.batchHeader.render(account.merging([
            "batch": .number(1), "type": .text("1"), "recordingDate": .date(header.fileDate),
        ]) { $1 }, record: "Header de lote"))
        var sequence = 0
        for (index, title) in titles.enumerated() {
            func next() -> CNABValue { sequence += 1; return .number(Int64(sequence)) }
            let common: [String: CNABValue] = ["batch": .number(1), "type": .text("3"), "movement": .digits(title.movement)]
            let nossoNumero = zeroPadded(header.agreement ?? "", 7) + zeroPadded(title.nossoNumero, 10)
            records.append(try Self.segmentP.render(common.merging([
                "sequence": next(), "agency": .digits(header.agency), "agencyDV": .text(header.agencyDV ?? ""),
                "account": .digits(header.account), "accountDV": .text(header.accountDV ?? ""),
                "nossoNumero": .text(nossoNumero), "walletCode": .digits(header.walletCode ?? "1"),
                "documentNumber": .digits(title.documentNumber), "dueDate": .date(title.dueDate),
                "amount": .number(title.amountCents), "species": .digits(title.species), "acceptance": .text(title.acceptance),
                "issueDate": .date(title.issueDate),
                "interestCode": .digits(title.interestCode ?? (title.interestPerDayCents == 0 ? "3" : "1")),
                "interestDate": .date(title.interestDate), "interest": .number(title.interestPerDayCents),
                "discountCode": .digits(title.discountCode ?? (title.discountCents == 0 ? "0" : "1")),
                "discountDate": .date(title.discountDate),
                "discount": .number(title.discountCents), "iof": .number(title.iofCents), "rebate": .number(title.rebateCents),
                "control": .rightText(title.control),
                "protestCode": .digits(title.protestCode ?? (title.protestDays == 0 ? "3" : "1")), "protestDays": .number(Int64(title.protestDays)),
            ]) { $1 }, record: "Segmento P of title \(index + 1)"))
            records += try CNAB240RemessaRecords.segmentsQR(title, index: index, common: common, sequence: &sequence,
                                                            q: Self.segmentQ, r: Self.segmentR, fineFrom: title.dueDate)
        }
        records += try CNAB240RemessaRecords.trailers(after: records, batch: Self.batchTrailer, file: Self.fileTrailer)
        return join(records, lineEnding)
    }

    /// Terms: FEBRABAN's P and R (``CNABTerms/encode240(_:into:)``), juros isento `3`. The juros date left
    /// zeros is the due date for the bank (juros from the day after it); BB's writer does not fill 224-227 (baixa), as
    /// brcobranca, so an automatic write-off is not offered here.
    public var termsSupport: TermsSupport {
        TermsSupport(interest: [.amountPerDay, .percentPerMonth], interestStartDate: true, fine: [.percent, .amount],
                     fineStartDate: true, discounts: [.percent, .amount], maximumDiscounts: 3, abatement: true,
                     protestDays: 1...99)
    }

    public func termsProblems(_ terms: BoletoTerms, dueDate: CalendarDate) -> [FieldProblem] {
        CNABTerms.problems(terms, support: termsSupport, bank: "Banco do Brasil CNAB 240")
    }

    public func encode(_ terms: BoletoTerms?, into title: inout CNABRemessaTitle) {
        CNABTerms.encode240(terms, into: &title)
    }
}
