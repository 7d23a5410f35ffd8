import BoletoKit

/// Records that CNAB 240 remessas share across banks (FEBRABAN's layout, which Banco do Brasil and Caixa follow
/// as it is for these records).
enum CNAB240RemessaRecords {
    /// Positions 1-8: banco, lote, tipo de registro.
    static func prefix(bank: String) -> [(CNABField, String?)] {
        [(CNABField("bank", 1, 3), bank), (CNABField("batch", 4, 7, .digits), nil), (CNABField("type", 8, 8), nil)]
    }

    /// Segmento Q: the payer and the sacador/avalista.
    static func segmentQ(bank: String) -> CNABRecordFormat {
        CNABRecordFormat("Segmento Q", width: 240, prefix(bank: bank) + [
            (CNABField("sequence", 9, 13, .digits), nil), (CNABField("segment", 14, 14), "Q"), (CNABField("blank1", 15, 15), nil),
            (CNABField("movement", 16, 17, .digits), nil), (CNABField("payerKind", 18, 18, .digits), nil),
            (CNABField("payerDocument", 19, 33, .digits), nil), (CNABField("payerName", 34, 73), nil),
            (CNABField("payerAddress", 74, 113), nil), (CNABField("payerNeighborhood", 114, 128), nil),
            (CNABField("payerZipcode", 129, 133, .digits), nil), (CNABField("payerZipcodeSuffix", 134, 136, .digits), nil),
            (CNABField("payerCity", 137, 151), nil), (CNABField("payerState", 152, 153), nil),
            (CNABField("guarantorKind", 154, 154, .digits), nil), (CNABField("guarantorDocument", 155, 169, .digits), nil),
            (CNABField("guarantorName", 170, 209), nil), (CNABField("correspondentBank", 210, 212, .digits), nil),
            (CNABField("correspondentNossoNumero", 213, 232), nil), (CNABField("blank2", 233, 240), nil),
        ])
    }

    /// Segmento R: discounts 2 and 3, the fine, messages and the debit account (FEBRABAN's R).
    static func segmentR(bank: String) -> CNABRecordFormat {
        CNABRecordFormat("Segmento R", width: 240, prefix(bank: bank) + [
            (CNABField("sequence", 9, 13, .digits), nil), (CNABField("segment", 14, 14), "R"), (CNABField("blank1", 15, 15), nil),
            (CNABField("movement", 16, 17, .digits), nil), (CNABField("discount2Code", 18, 18, .digits), nil),
            (CNABField("discount2Date", 19, 26, .dateDDMMAAAA), nil), (CNABField("discount2", 27, 41, .digits), nil),
            (CNABField("discount3Code", 42, 42, .digits), nil), (CNABField("discount3Date", 43, 50, .dateDDMMAAAA), nil),
            (CNABField("discount3", 51, 65, .digits), nil), (CNABField("fineCode", 66, 66, .digits), nil),
            (CNABField("fineDate", 67, 74, .dateDDMMAAAA), nil), (CNABField("fine", 75, 89, .digits), nil),
            (CNABField("payerInformation", 90, 99), nil), (CNABField("message3", 100, 139), nil),
            (CNABField("message4", 140, 179), nil), (CNABField("blank2", 180, 199), nil),
            (CNABField("payerOccurrence", 200, 207, .digits), nil), (CNABField("debitBank", 208, 210, .digits), nil),
            (CNABField("debitAgency", 211, 215, .digits), nil), (CNABField("debitAgencyDV", 216, 216), nil),
            (CNABField("debitAccount", 217, 228, .digits), nil), (CNABField("debitAccountDV", 229, 229), nil),
            (CNABField("debitDV", 230, 230), nil), (CNABField("debitNotice", 231, 231, .digits), nil),
            (CNABField("blank3", 232, 240), nil),
        ])
    }

    /// Segmento R as Caixa and Santander write it: discounts 2 and 3 and the fine, then blanks from 90 on. Santander's
    /// manual reserves 42-65 (no third discount; written as zeros, as brcobranca does): `thirdDiscount` false.
    static func shortSegmentR(bank: String, thirdDiscount: Bool = true) -> CNABRecordFormat {
        let third: [(CNABField, String?)] = thirdDiscount
            ? [(CNABField("discount3Code", 42, 42, .digits), nil), (CNABField("discount3Date", 43, 50, .dateDDMMAAAA), nil),
               (CNABField("discount3", 51, 65, .digits), nil)]
            : [(CNABField("reserved", 42, 65, .digits), nil)]
        return CNABRecordFormat("Segmento R", width: 240, prefix(bank: bank) + [
            (CNABField("sequence", 9, 13, .digits), nil), (CNABField("segment", 14, 14), "R"), (CNABField("blank1", 15, 15), nil),
            (CNABField("movement", 16, 17, .digits), nil), (CNABField("discount2Code", 18, 18, .digits), nil),
            (CNABField("discount2Date", 19, 26, .dateDDMMAAAA), nil), (CNABField("discount2", 27, 41, .digits), nil),
        ] + third + [
            (CNABField("fineCode", 66, 66, .digits), nil),
            (CNABField("fineDate", 67, 74, .dateDDMMAAAA), nil), (CNABField("fine", 75, 89, .digits), nil),
            (CNABField("payerInformation", 90, 99), nil), (CNABField("message3", 100, 139), nil),
            (CNABField("message4", 140, 179), nil), (CNABField("blank2", 180, 240), nil),
        ])
    }

    /// Segments Q and R of title `index` (0-based), numbered after `sequence`. `fineFrom` is the fine's date when the
    /// title gives none (the due date, or the day after it, per bank). R carries the second and third discounts where
    /// the format has their fields (a layout that has none refuses such terms in its `termsProblems`).
    static func segmentsQR(_ title: CNABRemessaTitle, index: Int, common: [String: CNABValue], sequence: inout Int,
                           q: CNABRecordFormat, r: CNABRecordFormat, fineFrom: CalendarDate) throws(CNABWriteError) -> [[UInt8]] {
        sequence += 1
        let payer = segmentQValues(title).merging(["sequence": .number(Int64(sequence))]) { $1 }
        let qRecord = try q.render(common.merging(payer) { $1 }, record: "Segmento Q of title \(index + 1)")
        sequence += 1
        var fine: [String: CNABValue] = ["sequence": .number(Int64(sequence))]
        if let value = title.fine {
            fine["fineCode"] = .digits(value.code)
            fine["fineDate"] = .date(value.date ?? fineFrom)
            fine["fine"] = .number(value.value)
        }
        for (offset, discount) in title.moreDiscounts.prefix(2).enumerated() {
            fine["discount\(offset + 2)Code"] = .digits(discount.code)
            fine["discount\(offset + 2)Date"] = .date(discount.date)
            fine["discount\(offset + 2)"] = .number(discount.value)
        }
        let rRecord = try r.render(common.merging(fine) { $1 }, record: "Segmento R of title \(index + 1)")
        return [qRecord, rRecord]
    }

    /// The batch and file trailers that close a one-batch file whose records so far are `records`. `batchValues` are
    /// the bank's own batch trailer fields (title count and total, where it writes them).
    static func trailers(after records: [[UInt8]], batch: CNABRecordFormat, file: CNABRecordFormat,
                         batchValues: [String: CNABValue] = [:]) throws(CNABWriteError) -> [[UInt8]] {
        let values: [String: CNABValue] = ["batch": .number(1), "type": .text("5"), "records": .number(Int64(records.count))]
        let batchTrailer = try batch.render(values.merging(batchValues) { $1 }, record: "Trailer de lote")
        let fileTrailer = try file.render(["batches": .number(1), "records": .number(Int64(records.count + 2))],
                                          record: "Trailer de arquivo")
        return [batchTrailer, fileTrailer]
    }

    /// The values of segment Q for `title`.
    static func segmentQValues(_ title: CNABRemessaTitle) -> [String: CNABValue] {
        let zipcode = title.payer.zipcode
        return [
            "payerKind": .digits(title.payer.document.kind == .cpf ? "1" : "2"),
            "payerDocument": .digits(title.payer.document.digits), "payerName": .text(title.payer.name),
            "payerAddress": .text(title.payer.address), "payerNeighborhood": .text(title.payer.neighborhood),
            "payerZipcode": .digits(String(zipcode.prefix(5))), "payerZipcodeSuffix": .digits(String(zipcode.dropFirst(5))),
            "payerCity": .text(title.payer.city), "payerState": .text(title.payer.state),
        ]
    }
}
