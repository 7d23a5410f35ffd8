import BoletoKit

/// Caixa (104) CNAB 240 remessa, "Leiaute de Arquivo Eletrônico Padrão CNAB 240 — Cobrança Bancária Caixa
/// (SIGCB)", file layout 050 and batch 030 as brcobranca writes them (its fixture is reproduced byte for byte).
/// Each title is segments P, Q and R.
///
/// | registro | posição | campo |
/// |---|---|---|
/// | header de arquivo | 18, 19-32 | tipo de inscrição, CPF/CNPJ |
/// | | 33-52 | reserved (zeros) |
/// | | 53-57, 58, 59-64 | agência, DV, código do beneficiário (6) |
/// | | 73-102, 103-132 | nome da empresa, `CAIXA ECONOMICA FEDERAL` |
/// | | 143, 144-151, 152-157, 158-163 | `1`, data, hora, NSA |
/// | | 164-166, 192-211, 212-215 | layout `050`, `REMESSA-PRODUCAO`, versão do aplicativo |
/// | header de lote | 9, 10-11, 14-16 | `R`, `01`, `030` |
/// | | 18, 19-33, 34-39 | tipo de inscrição, nº (15), código do beneficiário |
/// | | 54-58, 59, 60-65 | agência, DV, código do convênio (the beneficiary code again) |
/// | | 74-103, 184-191, 192-199 | nome da empresa, nº da remessa, data de gravação |
/// | segmento P | 18-22, 23, 24-29 | agência, DV, código do beneficiário |
/// | | 41-42, 43-57 | modalidade (14 registrada, emitida pelo beneficiário), nosso número (15, no DV) |
/// | | 58, 59, 61, 62 | carteira `1`, cadastramento `1`, emissão `2` (beneficiário), distribuição `0` |
/// | | 63-73, 78-85, 86-100 | seu número (11), vencimento, valor |
/// | | 107-108, 109, 110-117 | espécie (99), aceite, emissão |
/// | | 118-141 | juros: código (1 valor por dia, 2 taxa mensal, 3 isento), data (the day after the due date), valor |
/// | | 142-165 | desconto: código (`0` none), data, valor |
/// | | 166-180, 181-195, 196-220 | IOF, abatimento, uso da empresa |
/// | | 221-223 | protesto: código (1 protestar, 3 não), prazo |
/// | | 224-227 | baixa/devolução: `1` after 120 days (or the title's own) when not protested, `2` otherwise |
/// | | 228-229 | moeda `09` |
/// | segmento Q | 18-232 | payer and sacador/avalista (FEBRABAN's Q) |
/// | segmento R | 66, 67-74, 75-89 | multa: código (0 sem, 1 valor, 2 percentual), data, valor |
/// | trailer de lote | 18-23, 24-92 | quantidade de registros, totals (zeros, as brcobranca writes them) |
/// | trailer de arquivo | 18-23, 24-29 | quantidade de lotes, de registros |
public struct CNAB240CaixaRemessa: CNABRemessaLayout {
    public var bank: String { "104" }
    public var format: CNABFormat { .cnab240 }

    /// SIGCB's código do beneficiário is the account the boletos are issued in.
    public func defaultAgreement(account: String) -> String? { account }

    public init() {}

    static let prefix = CNAB240RemessaRecords.prefix(bank: "104")

    static let fileHeader = CNABRecordFormat("Header de arquivo", width: 240, [
        (CNABField("bank", 1, 3), "104"), (CNABField("batch", 4, 7), "0000"), (CNABField("type", 8, 8), "0"),
        (CNABField("blank1", 9, 17), nil), (CNABField("companyKind", 18, 18, .digits), nil),
        (CNABField("companyDocument", 19, 32, .digits), nil), (CNABField("reserved1", 33, 52, .digits), nil),
        (CNABField("agency", 53, 57, .digits), nil), (CNABField("agencyDV", 58, 58), nil),
        (CNABField("beneficiary", 59, 64, .digits), nil), (CNABField("reserved2", 65, 71, .digits), nil),
        (CNABField("reserved3", 72, 72, .digits), nil), (CNABField("companyName", 73, 102), nil),
        (CNABField("bankName", 103, 132), "CAIXA ECONOMICA FEDERAL       "), (CNABField("blank2", 133, 142), nil),
        (CNABField("code", 143, 143), "1"), (CNABField("fileDate", 144, 151, .dateDDMMAAAA), nil),
        (CNABField("fileTime", 152, 157, .digits), nil), (CNABField("sequence", 158, 163, .digits), nil),
        (CNABField("version", 164, 166), "050"), (CNABField("density", 167, 171, .digits), nil),
        (CNABField("blank3", 172, 191), nil), (CNABField("situation", 192, 211), "REMESSA-PRODUCAO    "),
        (CNABField("applicationVersion", 212, 215), nil), (CNABField("blank4", 216, 240), nil),
    ])

    static let batchHeader = CNABRecordFormat("Header de lote", width: 240, prefix + [
        (CNABField("operation", 9, 9), "R"), (CNABField("service", 10, 11), "01"), (CNABField("zeros", 12, 13), "00"),
        (CNABField("version", 14, 16), "030"), (CNABField("blank2", 17, 17), nil),
        (CNABField("companyKind", 18, 18, .digits), nil), (CNABField("companyDocument", 19, 33, .digits), nil),
        (CNABField("beneficiary", 34, 39, .digits), nil), (CNABField("reserved1", 40, 53, .digits), nil),
        (CNABField("agency", 54, 58, .digits), nil), (CNABField("agencyDV", 59, 59), nil),
        (CNABField("agreement", 60, 65, .digits), nil), (CNABField("model", 66, 72, .digits), nil),
        (CNABField("reserved", 73, 73, .digits), nil), (CNABField("companyName", 74, 103), nil),
        (CNABField("message1", 104, 143), nil), (CNABField("message2", 144, 183), nil),
        (CNABField("remessaNumber", 184, 191, .digits), nil), (CNABField("recordingDate", 192, 199, .dateDDMMAAAA), nil),
        (CNABField("creditDate", 200, 207, .dateDDMMAAAA), nil), (CNABField("blank4", 208, 240), nil),
    ])

    static let segmentP = CNABRecordFormat("Segmento P", width: 240, prefix + [
        (CNABField("sequence", 9, 13, .digits), nil), (CNABField("segment", 14, 14), "P"), (CNABField("blank1", 15, 15), nil),
        (CNABField("movement", 16, 17, .digits), nil), (CNABField("agency", 18, 22, .digits), nil),
        (CNABField("agencyDV", 23, 23), nil), (CNABField("beneficiary", 24, 29, .digits), nil),
        (CNABField("reserved1", 30, 40, .digits), nil), (CNABField("modality", 41, 42, .digits), nil),
        (CNABField("nossoNumero", 43, 57, .digits), nil), (CNABField("wallet", 58, 58), "1"),
        (CNABField("registration", 59, 59), "1"), (CNABField("documentKind", 60, 60), "2"),
        (CNABField("issuance", 61, 61), "2"), (CNABField("distribution", 62, 62), "0"),
        (CNABField("documentNumber", 63, 73, .digits), nil), (CNABField("blank2", 74, 77), nil),
        (CNABField("dueDate", 78, 85, .dateDDMMAAAA), nil), (CNABField("amount", 86, 100, .digits), nil),
        (CNABField("collectingAgency", 101, 105, .digits), nil), (CNABField("collectingAgencyDV", 106, 106, .digits), nil),
        (CNABField("species", 107, 108, .digits), nil), (CNABField("acceptance", 109, 109), nil),
        (CNABField("issueDate", 110, 117, .dateDDMMAAAA), nil), (CNABField("interestCode", 118, 118, .digits), nil),
        (CNABField("interestDate", 119, 126, .dateDDMMAAAA), nil), (CNABField("interest", 127, 141, .digits), nil),
        (CNABField("discountCode", 142, 142, .digits), nil), (CNABField("discountDate", 143, 150, .dateDDMMAAAA), nil),
        (CNABField("discount", 151, 165, .digits), nil), (CNABField("iof", 166, 180, .digits), nil),
        (CNABField("rebate", 181, 195, .digits), nil), (CNABField("control", 196, 220), nil),
        (CNABField("protestCode", 221, 221, .digits), nil), (CNABField("protestDays", 222, 223, .digits), nil),
        (CNABField("writeOffCode", 224, 224, .digits), nil), (CNABField("writeOffDays", 225, 227, .digits), nil),
        (CNABField("currency", 228, 229), "09"), (CNABField("reserved3", 230, 239, .digits), nil),
        (CNABField("blank3", 240, 240), nil),
    ])

    static let segmentQ = CNAB240RemessaRecords.segmentQ(bank: "104")

    static let segmentR = CNAB240RemessaRecords.shortSegmentR(bank: "104")

    static let batchTrailer = CNABRecordFormat("Trailer de lote", width: 240, prefix + [
        (CNABField("blank1", 9, 17), nil), (CNABField("records", 18, 23, .digits), nil),
        (CNABField("totals", 24, 92, .digits), nil), (CNABField("blank2", 93, 240), nil),
    ])

    static let fileTrailer = CNABRecordFormat("Trailer de arquivo", width: 240, [
        (CNABField("bank", 1, 3), "104"), (CNABField("batch", 4, 7), "9999"), (CNABField("type", 8, 8), "9"),
        (CNABField("blank1", 9, 17), nil), (CNABField("batches", 18, 23, .digits), nil),
        (CNABField("records", 24, 29, .digits), nil), (CNABField("blank2", 30, 240), nil),
    ])

    public func write(header: CNABRemessaHeader, titles: [CNABRemessaTitle], lineEnding: CNABLineEnding = .crlf) throws(CNABWriteError) -> [UInt8] {
        let company = header.companyDocument
        let beneficiary = header.agreement ?? ""
        let account: [String: CNABValue] = [
            "companyKind": .digits(company?.kind == .cnpj ? "2" : "1"), "companyDocument": .digits(company?.digits ?? ""),
            "agency": .digits(header.agency), "agencyDV": .text(header.agencyDV ?? ""), "beneficiary": .digits(beneficiary),
            "companyName": .text(header.companyName),
        ]
        var records: [[UInt8]] = []
        let time = header.fileTime.map { String(format: "%02d%02d%02d", $0.hour, $0.minute, $0.second) } ?? "000000"
        records.append(try Self.fileHeader.render(account.merging([
            "fileDate": .date(header.fileDate), "fileTime": .digits(time), "sequence": .number(Int64(header.sequence)),
            "applicationVersion": .rightText(header.applicationVersion ?? ""),
        ]) { $1 }, record: "Header de arquivo"))
        records.append(try Self.batchHeader.render(account.merging([
            "batch": .number(1), "type": .text("1"), "agreement": .digits(beneficiary),
            "remessaNumber": .number(Int64(header.sequence)), "recordingDate": .date(header.fileDate),
        ]) { $1 }, record: "Header de lote"))
        var sequence = 0
        for (index, title) in titles.enumerated() {
            func next() -> CNABValue { sequence += 1; return .number(Int64(sequence)) }
            let common: [String: CNABValue] = ["batch": .number(1), "type": .text("3"), "movement": .digits(title.movement)]
            let interestCode = title.interestCode ?? (title.interestPerDayCents == 0 ? "3" : "1")
            let protestCode = title.protestCode ?? (title.protestDays == 0 ? "3" : "1")
            records.append(try Self.segmentP.render(common.merging([
                "sequence": next(), "agency": .digits(header.agency), "agencyDV": .text(header.agencyDV ?? ""),
                "beneficiary": .digits(beneficiary), "modality": .digits(header.wallet), "nossoNumero": .digits(title.nossoNumero),
                "documentNumber": .digits(title.documentNumber), "dueDate": .date(title.dueDate), "amount": .number(title.amountCents),
                "species": .digits(title.species), "acceptance": .text(title.acceptance), "issueDate": .date(title.issueDate),
                "interestCode": .digits(interestCode),
                "interestDate": .date(interestCode == "1" || interestCode == "2" ? title.interestDate ?? title.dueDate.adding(days: 1) : nil),
                "interest": .number(title.interestPerDayCents),
                "discountCode": .digits(title.discountCode ?? (title.discountCents == 0 ? "0" : "1")),
                "discountDate": .date(title.discountDate),
                "discount": .number(title.discountCents), "iof": .number(title.iofCents), "rebate": .number(title.rebateCents),
                "control": .text(title.control), "protestCode": .digits(protestCode),
                "protestDays": .number(Int64(title.protestDays)),
                "writeOffCode": .digits(protestCode == "3" ? "1" : "2"),
                "writeOffDays": .number(protestCode == "3" ? Int64(title.writeOffDays ?? 120) : 0),
            ]) { $1 }, record: "Segmento P of title \(index + 1)"))
            records += try CNAB240RemessaRecords.segmentsQR(title, index: index, common: common, sequence: &sequence,
                                                            q: Self.segmentQ, r: Self.segmentR, fineFrom: title.dueDate.adding(days: 1))
        }
        records += try CNAB240RemessaRecords.trailers(after: records, batch: Self.batchTrailer, file: Self.fileTrailer)
        return join(records, lineEnding)
    }

    /// Terms: FEBRABAN's P and R (``CNABTerms/encode240(_:into:)``), juros isento `3`, three discounts (R
    /// 18-65); a write-off is baixa code `1` with its days at 225-227 (up to 999), written when the title is not
    /// protested.
    public var termsSupport: TermsSupport {
        TermsSupport(interest: [.amountPerDay, .percentPerMonth], interestStartDate: true, fine: [.percent, .amount],
                     fineStartDate: true, discounts: [.percent, .amount], maximumDiscounts: 3, abatement: true,
                     protestDays: 1...99, writeOffDays: 1...999)
    }

    public func termsProblems(_ terms: BoletoTerms, dueDate: CalendarDate) -> [FieldProblem] {
        CNABTerms.problems(terms, support: termsSupport, bank: "Caixa CNAB 240")
    }

    public func encode(_ terms: BoletoTerms?, into title: inout CNABRemessaTitle) {
        CNABTerms.encode240(terms, into: &title)
    }
}
