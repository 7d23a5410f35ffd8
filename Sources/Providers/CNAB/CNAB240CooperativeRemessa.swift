import BoletoKit

/// The CNAB 240 remessa that Sicoob and Sicredi share (FEBRABAN's layout 081/040, as brcobranca writes it for both),
/// with what differs per bank in a ``Profile``. Each title is segments P, Q and R.
///
/// | registro | posição | campo |
/// |---|---|---|
/// | header de arquivo | 18, 19-32 | tipo de inscrição, CPF/CNPJ |
/// | | 53-57, 58, 59-70, 71 | cooperativa (agência), DV, conta, DV |
/// | | 73-102, 103-132 | nome da empresa, nome do banco |
/// | | 143, 144-151, 152-157, 158-163 | `1`, data, hora, NSA |
/// | | 164-166, 167-171 | layout `081`, densidade |
/// | header de lote | 9, 10-11, 14-16 | `R`, `01`, `040` |
/// | | 18, 19-33, 54-72 | tipo de inscrição, nº (15), agência e conta as in the header |
/// | | 74-103, 184-191, 192-199 | nome da empresa, nº da remessa, data de gravação |
/// | segmento P | 18-37 | agência e conta |
/// | | 38-57 | nosso número, per bank |
/// | | 58, 59, 60, 61, 62 | carteira `1`, cadastramento, tipo de documento, emissão `2`, distribuição `2` |
/// | | 63-77, 78-85, 86-100 | nº do documento (15), vencimento, valor |
/// | | 107-108, 109, 110-117 | espécie, aceite, emissão |
/// | | 118-141 | juros: código (1 valor por dia, 2 taxa mensal, the profile's isento: 0 at Sicoob, 3 at Sicredi), data, valor |
/// | | 142-165 | desconto: código, data, valor |
/// | | 166-180, 181-195, 196-220 | IOF, abatimento, uso da empresa (alinhado à direita) |
/// | | 221-223, 224-227 | protesto: código, prazo; baixa: código, prazo |
/// | segmento Q | 18-232 | payer and sacador/avalista (FEBRABAN's Q) |
/// | segmento R | 66-89 | multa: código, data, valor (FEBRABAN's R) |
/// | trailer de lote | 18-23, 24-29, 30-46 | registros, títulos em cobrança simples, valor total |
/// | trailer de arquivo | 18-23, 24-29, 30-35 | lotes, registros, contas (zeros) |
struct CNAB240CooperativeRemessa {
    /// What differs between the banks that use this layout.
    struct Profile: Sendable {
        let bank: String
        /// Header 103-132.
        let bankName: String
        /// Header 167-171.
        let density: String
        /// P 59 and 60.
        let registration: String
        let documentKind: String
        /// P 118 for a title without interest: the bank's isento code.
        let exemptInterestCode: String
        /// P 38-57 for a title.
        let nossoNumero: @Sendable (CNABRemessaHeader, CNABRemessaTitle) -> String
        /// The juros date for a code (nil: zeros).
        let interestDate: @Sendable (String, CNABRemessaTitle) -> CalendarDate?
        /// The baixa code and its days (as written: digits or blanks) for a title with `protestCode`.
        let writeOff: @Sendable (String, CNABRemessaTitle) -> (code: String, days: String)
        /// Whether the batch trailer carries the count and total of the titles.
        let countsTitles: Bool
    }

    let profile: Profile

    var prefix: [(CNABField, String?)] { CNAB240RemessaRecords.prefix(bank: profile.bank) }

    var fileHeader: CNABRecordFormat {
        CNABRecordFormat("Header de arquivo", width: 240, [
            (CNABField("bank", 1, 3), profile.bank), (CNABField("batch", 4, 7), "0000"), (CNABField("type", 8, 8), "0"),
            (CNABField("blank1", 9, 17), nil), (CNABField("companyKind", 18, 18, .digits), nil),
            (CNABField("companyDocument", 19, 32, .digits), nil), (CNABField("agreement", 33, 52), nil),
            (CNABField("agency", 53, 57, .digits), nil), (CNABField("agencyDV", 58, 58), nil),
            (CNABField("account", 59, 70, .digits), nil), (CNABField("accountDV", 71, 71), nil),
            (CNABField("agencyAccountDV", 72, 72), nil), (CNABField("companyName", 73, 102), nil),
            (CNABField("bankName", 103, 132), nil), (CNABField("blank2", 133, 142), nil),
            (CNABField("code", 143, 143), "1"), (CNABField("fileDate", 144, 151, .dateDDMMAAAA), nil),
            (CNABField("fileTime", 152, 157, .digits), nil), (CNABField("sequence", 158, 163, .digits), nil),
            (CNABField("version", 164, 166), "081"), (CNABField("density", 167, 171, .digits), nil),
            (CNABField("blank3", 172, 240), nil),
        ])
    }

    var batchHeader: CNABRecordFormat {
        CNABRecordFormat("Header de lote", width: 240, prefix + [
            (CNABField("operation", 9, 9), "R"), (CNABField("service", 10, 11), "01"), (CNABField("blank1", 12, 13), nil),
            (CNABField("version", 14, 16), "040"), (CNABField("blank2", 17, 17), nil),
            (CNABField("companyKind", 18, 18, .digits), nil), (CNABField("companyDocument", 19, 33, .digits), nil),
            (CNABField("agreement", 34, 53), nil), (CNABField("agency", 54, 58, .digits), nil),
            (CNABField("agencyDV", 59, 59), nil), (CNABField("account", 60, 71, .digits), nil),
            (CNABField("accountDV", 72, 72), nil), (CNABField("agencyAccountDV", 73, 73), nil),
            (CNABField("companyName", 74, 103), nil), (CNABField("message1", 104, 143), nil),
            (CNABField("message2", 144, 183), nil), (CNABField("remessaNumber", 184, 191, .digits), nil),
            (CNABField("recordingDate", 192, 199, .dateDDMMAAAA), nil), (CNABField("creditDate", 200, 207, .dateDDMMAAAA), nil),
            (CNABField("blank3", 208, 240), nil),
        ])
    }

    var segmentP: CNABRecordFormat {
        CNABRecordFormat("Segmento P", width: 240, prefix + [
            (CNABField("sequence", 9, 13, .digits), nil), (CNABField("segment", 14, 14), "P"), (CNABField("blank1", 15, 15), nil),
            (CNABField("movement", 16, 17, .digits), nil), (CNABField("agency", 18, 22, .digits), nil),
            (CNABField("agencyDV", 23, 23), nil), (CNABField("account", 24, 35, .digits), nil),
            (CNABField("accountDV", 36, 36), nil), (CNABField("agencyAccountDV", 37, 37), nil),
            (CNABField("nossoNumero", 38, 57), nil), (CNABField("wallet", 58, 58), "1"),
            (CNABField("registration", 59, 59), nil), (CNABField("documentKind", 60, 60), nil),
            (CNABField("issuance", 61, 61), "2"), (CNABField("distribution", 62, 62), "2"),
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
            (CNABField("writeOffDays", 225, 227), nil), (CNABField("currency", 228, 229), "09"),
            (CNABField("contract", 230, 239, .digits), nil), (CNABField("blank2", 240, 240), nil),
        ])
    }

    var batchTrailer: CNABRecordFormat {
        CNABRecordFormat("Trailer de lote", width: 240, prefix + [
            (CNABField("blank1", 9, 17), nil), (CNABField("records", 18, 23, .digits), nil),
            (CNABField("titles", 24, 29, .digits), nil), (CNABField("total", 30, 46, .digits), nil),
            (CNABField("otherTotals", 47, 115, .digits), nil), (CNABField("blank2", 116, 240), nil),
        ])
    }

    var fileTrailer: CNABRecordFormat {
        CNABRecordFormat("Trailer de arquivo", width: 240, [
            (CNABField("bank", 1, 3), profile.bank), (CNABField("batch", 4, 7), "9999"), (CNABField("type", 8, 8), "9"),
            (CNABField("blank1", 9, 17), nil), (CNABField("batches", 18, 23, .digits), nil),
            (CNABField("records", 24, 29, .digits), nil), (CNABField("accounts", 30, 35, .digits), nil),
            (CNABField("blank2", 36, 240), nil),
        ])
    }

    func write(header: CNABRemessaHeader, titles: [CNABRemessaTitle], lineEnding: CNABLineEnding,
               join: ([[UInt8]], CNABLineEnding) -> [UInt8]) throws(CNABWriteError) -> [UInt8] {
        let company = header.companyDocument
        let account: [String: CNABValue] = [
            "companyKind": .digits(company?.kind == .cnpj ? "2" : "1"), "companyDocument": .digits(company?.digits ?? ""),
            "agency": .digits(header.agency), "agencyDV": .text(header.agencyDV ?? ""), "account": .digits(header.account),
            "accountDV": .text(header.accountDV ?? ""), "companyName": .text(header.companyName),
        ]
        var records: [[UInt8]] = []
        let time = header.fileTime.map { String(format: "%02d%02d%02d", $0.hour, $0.minute, $0.second) } ?? "000000"
        records.append(try fileHeader.render(account.merging([
            "bankName": .text(profile.bankName), "fileDate": .date(header.fileDate), "fileTime": .digits(time),
            "sequence": .number(Int64(header.sequence)), "density": .digits(profile.density),
        ]) { $1 }, record: "Header de arquivo"))
        records.append(try batchHeader.render(account.merging([
            "batch": .number(1), "type": .text("1"), "remessaNumber": .number(Int64(header.sequence)),
            "recordingDate": .date(header.fileDate),
        ]) { $1 }, record: "Header de lote"))
        let segmentP = self.segmentP, segmentQ = CNAB240RemessaRecords.segmentQ(bank: profile.bank)
        let segmentR = CNAB240RemessaRecords.segmentR(bank: profile.bank)
        var sequence = 0
        for (index, title) in titles.enumerated() {
            func next() -> CNABValue { sequence += 1; return .number(Int64(sequence)) }
            let common: [String: CNABValue] = ["batch": .number(1), "type": .text("3"), "movement": .digits(title.movement)]
            let interestCode = title.interestCode ?? (title.interestPerDayCents == 0 ? profile.exemptInterestCode : "1")
            let protestCode = title.protestCode ?? (title.protestDays == 0 ? "3" : "1")
            let writeOff = profile.writeOff(protestCode, title)
            records.append(try segmentP.render(common.merging(account) { $1 }.merging([
                "sequence": next(), "nossoNumero": .text(profile.nossoNumero(header, title)),
                "registration": .text(profile.registration), "documentKind": .text(profile.documentKind),
                "documentNumber": .digits(title.documentNumber), "dueDate": .date(title.dueDate),
                "amount": .number(title.amountCents), "species": .digits(title.species), "acceptance": .text(title.acceptance),
                "issueDate": .date(title.issueDate), "interestCode": .digits(interestCode),
                "interestDate": .date(interestCode == "1" || interestCode == "2" ? title.interestDate ?? profile.interestDate(interestCode, title) : nil), "interest": .number(title.interestPerDayCents),
                "discountCode": .digits(title.discountCode ?? (title.discountCents == 0 ? "0" : "1")),
                "discountDate": .date(title.discountDate), "discount": .number(title.discountCents),
                "iof": .number(title.iofCents), "rebate": .number(title.rebateCents), "control": .rightText(title.control),
                "protestCode": .digits(protestCode), "protestDays": .number(Int64(title.protestDays)),
                "writeOffCode": .digits(writeOff.code), "writeOffDays": .text(writeOff.days),
            ]) { $1 }, record: "Segmento P of title \(index + 1)"))
            records += try CNAB240RemessaRecords.segmentsQR(title, index: index, common: common, sequence: &sequence,
                                                            q: segmentQ, r: segmentR, fineFrom: title.dueDate)
        }
        let total = titles.reduce(Int64(0)) { $0 + $1.amountCents }
        records += try CNAB240RemessaRecords.trailers(after: records, batch: batchTrailer, file: fileTrailer, batchValues: [
            "titles": .number(profile.countsTitles ? Int64(titles.count) : 0), "total": .number(profile.countsTitles ? total : 0),
        ])
        return join(records, lineEnding)
    }
}
