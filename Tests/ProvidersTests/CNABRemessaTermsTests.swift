import BoletoKit
import Foundation
import Providers
import Testing

/// Boleto terms in each remessa layout, byte by byte: every expected value below is the manual's picture of the input
/// (DDMMAA or DDMMAAAA dates, 9(n)V99 values), written out by hand, at the positions the manual's table gives (quoted
/// in each writer's documentation).
@Suite("CNAB remessa: boleto terms in each layout's fields")
struct CNABRemessaTermsTests {
    static let issue = CalendarDate(year: 2026, month: 3, day: 1)!
    static let due = CalendarDate(year: 2026, month: 3, day: 10)!
    static func day(_ d: Int) -> CalendarDate { CalendarDate(year: 2026, month: 3, day: d)! }
    static let payer = CNABPayer(document: CNABDocument(unchecked: .cpf, digits: "82136760505"), name: "MARIA DA SILVA",
                                 address: "RUA DAS FLORES 10", neighborhood: "CENTRO", city: "SAO PAULO", state: "SP",
                                 zipcode: "01001000")

    static func header(_ layout: any CNABRemessaLayout) -> CNABRemessaHeader {
        let company = CNABDocument(unchecked: .cnpj, digits: "74576177000177")
        switch layout.bank {
        case "237": return CNABRemessaHeader(companyName: "EMPRESA", companyCode: "123", agency: "1234", account: "1234567",
                                             accountDV: "1", wallet: "09", fileDate: issue, sequence: 1)
        case "341": return CNABRemessaHeader(companyName: "EMPRESA", companyDocument: company, agency: "1234", account: "12345",
                                             accountDV: "1", wallet: "109", fileDate: issue, sequence: 1)
        case "001": return CNABRemessaHeader(companyName: "EMPRESA", companyDocument: company, agency: "1234", agencyDV: "3",
                                             account: "12345", accountDV: "5", wallet: "17", walletCode: "7",
                                             walletVariation: "019", agreement: "1234567", fileDate: issue, sequence: 1)
        case "104": return CNABRemessaHeader(companyName: "EMPRESA", companyDocument: company, agency: "12345", agencyDV: "1",
                                             account: "", wallet: "14", agreement: "123456", fileDate: issue, sequence: 1)
        case "033" where layout.format == .cnab400:
            return CNABRemessaHeader(companyName: "EMPRESA", companyDocument: company, companyCode: "12345678901234567890",
                                     agency: "1234", account: "013001234", accountDV: "3", wallet: "1", fileDate: issue, sequence: 1)
        case "033": return CNABRemessaHeader(companyName: "EMPRESA", companyDocument: company, companyCode: "000100001234567",
                                             agency: "0001", agencyDV: "9", account: "013001234", accountDV: "3", wallet: "1",
                                             fileDate: issue, sequence: 1)
        default: return CNABRemessaHeader(companyName: "EMPRESA", companyDocument: company, agency: "4327", agencyDV: "3",
                                          account: "03666", accountDV: "8", wallet: "01", fileDate: issue, sequence: 1)
        }
    }

    /// The file's records for one title (`title`, or R$ 1.000,00 due 10/03/2026) with `terms`, encoded by the layout.
    static func records(_ layout: any CNABRemessaLayout, _ terms: BoletoTerms?, title given: CNABRemessaTitle? = nil) throws -> [String] {
        var title = given ?? CNABRemessaTitle(nossoNumero: "1234567", nossoNumeroDV: "1", documentNumber: "77", control: "77",
                                              dueDate: due, issueDate: issue, amountCents: 100_000, payer: payer)
        layout.encode(terms, into: &title)
        let bytes = try layout.write(header: header(layout), titles: [title], lineEnding: .lf)
        return String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// Positions `from`-`to` (1-based, inclusive) of `record`.
    static func at(_ record: String, _ from: Int, _ to: Int) -> String {
        let bytes = Array(record.utf8)
        return String(decoding: bytes[(from - 1)..<to], as: UTF8.self)
    }

    static func percent(_ text: String) -> Percent { Percent(Double(text)!)! }

    /// The same terms for every layout that can take them: juros R$ 0,33 a day, a 2 % fine, discounts of R$ 50,00 to
    /// 05/03 and R$ 25,00 to 07/03, an abatimento of R$ 10,00, protest after 5 days.
    static let common = BoletoTerms(
        interest: .init(kind: .amountPerDay, amountCents: 33), fine: .init(kind: .percent, percent: percent("2")),
        discounts: [.init(kind: .amount, amountCents: 5_000, until: day(5)), .init(kind: .amount, amountCents: 2_500, until: day(7))],
        abatementCents: 1_000, afterDue: .protest(days: 5))

    // MARK: CNAB 400

    @Test("Bradesco 400: multa 66-70, mora 161-173, desconto 174-192, abatimento 206-218, instruções 06 + dias; descontos 2 e 3 in a type-2 record")
    func bradesco() throws {
        var terms = Self.common
        terms.abatementCents = 1_000
        terms.discounts.append(.init(kind: .amount, amountCents: 1_000, until: Self.day(9)))
        let layout = CNAB400BradescoRemessa()
        #expect(layout.termsProblems(terms, dueDate: Self.due).isEmpty)
        let records = try Self.records(layout, terms)
        let detail = records[1], second = records[2]
        #expect(Self.at(detail, 1, 1) == "1")
        #expect(Self.at(detail, 66, 66) == "2")
        #expect(Self.at(detail, 67, 70) == "0200")
        #expect(Self.at(detail, 157, 158) == "06")
        #expect(Self.at(detail, 159, 160) == "05")
        #expect(Self.at(detail, 161, 173) == "0000000000033")
        #expect(Self.at(detail, 174, 179) == "050326")
        #expect(Self.at(detail, 180, 192) == "0000000005000")
        #expect(Self.at(detail, 206, 218) == "0000000001000")
        #expect(Self.at(second, 1, 1) == "2")
        #expect(Self.at(second, 2, 321).allSatisfy { $0 == " " })
        #expect(Self.at(second, 322, 327) == "070326")
        #expect(Self.at(second, 328, 340) == "0000000002500")
        #expect(Self.at(second, 341, 346) == "090326")
        #expect(Self.at(second, 347, 359) == "0000000001000")
        #expect(Self.at(second, 367, 369) == "009")
        #expect(Self.at(second, 370, 374) == "01234")
        #expect(Self.at(second, 375, 382) == "12345671")
        #expect(Self.at(second, 383, 394) == "000012345671")
        #expect(Self.at(second, 395, 400) == "000003")
        #expect(records.count == 4)

        var writeOff = Self.common
        writeOff.afterDue = .writeOff(days: 30)
        let written = try Self.records(layout, writeOff)[1]
        #expect(Self.at(written, 157, 160) == "1830")
        // One discount: no type-2 record.
        var one = Self.common
        one.discounts.removeLast()
        #expect(try Self.records(layout, one).count == 3)
    }

    @Test("Bradesco 400 refuses what it cannot carry, naming the field and the layout")
    func bradescoRefusals() {
        let layout = CNAB400BradescoRemessa()
        let terms = BoletoTerms(interest: .init(kind: .percentPerMonth, percent: Self.percent("1")),
                                fine: .init(kind: .percent, percent: Self.percent("2.125"), startDate: Self.day(12)),
                                afterDue: .protest(days: 3), paymentLimitDate: Self.day(30))
        let problems = layout.termsProblems(terms, dueDate: Self.due)
        let fields = problems.map(\.field.description)
        #expect(fields.contains("terms.interest.type"))
        #expect(fields.contains("terms.fine.start_date"))
        #expect(fields.contains("terms.fine.value"))
        #expect(fields.contains("terms.protest_days"))
        #expect(fields.contains("terms.payment_limit_date"))
        #expect(problems.allSatisfy { $0.message.contains("Bradesco CNAB 400") })
        let hundred = BoletoTerms(fine: .init(kind: .percent, percent: Self.percent("100")))
        #expect(layout.termsProblems(hundred, dueDate: Self.due).map(\.field.description) == ["terms.fine.value"])
    }

    @Test("Itaú 400: mora 161-173 from the data de mora 386-391, multa in the type-2 record, instrução 34 with the prazo at 392-393")
    func itau() throws {
        var terms = Self.common
        terms.discounts.removeLast()
        terms.interest?.startDate = Self.day(13)
        terms.fine = .init(kind: .amount, amountCents: 1_500, startDate: Self.day(12))
        let layout = CNAB400ItauRemessa()
        #expect(layout.termsProblems(terms, dueDate: Self.due).isEmpty)
        let records = try Self.records(layout, terms)
        let detail = records[1], fine = records[2]
        #expect(Self.at(detail, 157, 158) == "34")
        #expect(Self.at(detail, 161, 173) == "0000000000033")
        #expect(Self.at(detail, 174, 179) == "050326")
        #expect(Self.at(detail, 180, 192) == "0000000005000")
        #expect(Self.at(detail, 206, 218) == "0000000001000")
        #expect(Self.at(detail, 386, 391) == "130326")
        #expect(Self.at(detail, 392, 393) == "05")
        #expect(Self.at(fine, 1, 1) == "2")
        #expect(Self.at(fine, 2, 2) == "1")
        #expect(Self.at(fine, 3, 10) == "12032026")
        #expect(Self.at(fine, 11, 23) == "0000000001500")

        let limited = BoletoTerms(fine: .init(kind: .percent, percent: Self.percent("2")), paymentLimitDate: Self.day(30))
        let limitedDetail = try Self.records(layout, limited)
        #expect(Self.at(limitedDetail[1], 157, 158) == "91")
        #expect(Self.at(limitedDetail[1], 392, 393) == "20")
        #expect(Self.at(limitedDetail[1], 386, 391) == "000000")
        #expect(Self.at(limitedDetail[2], 2, 2) == "2")
        #expect(Self.at(limitedDetail[2], 11, 23) == "0000000000200")
    }

    @Test("Itaú 400 refuses a second discount, and a payment limit together with a protest (one prazo field)")
    func itauRefusals() {
        let layout = CNAB400ItauRemessa()
        var terms = Self.common
        terms.paymentLimitDate = Self.day(30)
        let fields = layout.termsProblems(terms, dueDate: Self.due).map(\.field.description)
        #expect(fields.sorted() == ["terms.discounts", "terms.payment_limit_date"])
        let far = BoletoTerms(paymentLimitDate: CalendarDate(year: 2026, month: 7, day: 1)!)
        #expect(layout.termsProblems(far, dueDate: Self.due).map(\.field.description) == ["terms.payment_limit_date"])
    }

    @Test("Santander 400: multa code 4 at 78 with 79-82 and its date at 102-107; desconto 2 at 71-76 and 206-218; instrução 06")
    func santander() throws {
        var terms = Self.common
        terms.abatementCents = nil
        terms.fine?.startDate = Self.day(11)
        let layout = CNAB400SantanderRemessa()
        #expect(layout.termsProblems(terms, dueDate: Self.due).isEmpty)
        let detail = try Self.records(layout, terms)[1]
        #expect(Self.at(detail, 71, 76) == "070326")
        #expect(Self.at(detail, 78, 78) == "4")
        #expect(Self.at(detail, 79, 82) == "0200")
        #expect(Self.at(detail, 102, 107) == "110326")
        #expect(Self.at(detail, 157, 158) == "06")
        #expect(Self.at(detail, 161, 173) == "0000000000033")
        #expect(Self.at(detail, 174, 179) == "050326")
        #expect(Self.at(detail, 180, 192) == "0000000005000")
        #expect(Self.at(detail, 206, 218) == "0000000002500")
        #expect(Self.at(detail, 392, 393) == "05")

        for (days, code) in [(15, "02"), (30, "03")] {
            let written = try Self.records(layout, BoletoTerms(afterDue: .writeOff(days: days)))[1]
            #expect(Self.at(written, 157, 158) == code)
        }
    }

    @Test("Santander 400 refuses a write-off other than 15 or 30 days and an abatimento with a second discount")
    func santanderRefusals() {
        let layout = CNAB400SantanderRemessa()
        var terms = Self.common
        terms.afterDue = .writeOff(days: 20)
        let fields = layout.termsProblems(terms, dueDate: Self.due).map(\.field.description)
        #expect(fields.sorted() == ["terms.abatement", "terms.write_off_days"])
    }

    // MARK: CNAB 240

    static let layouts240: [any CNABRemessaLayout] = [
        CNAB240BancoDoBrasilRemessa(), CNAB240CaixaRemessa(), CNAB240SantanderRemessa(), CNAB240SicoobRemessa(),
        CNAB240SicrediRemessa(),
    ]

    static func segment(_ records: [String], _ letter: String) -> String? {
        records.first { $0.utf8.count == 240 && at($0, 8, 8) == "3" && at($0, 14, 14) == letter }
    }

    @Test("CNAB 240, every layout: juros P 118-141, desconto 1 P 142-165, abatimento P 181-195, protesto P 221-223, desconto 2 R 18-41, multa R 66-89",
          arguments: layouts240.indices)
    func febraban240(index: Int) throws {
        let layout = Self.layouts240[index]
        var terms = Self.common
        terms.interest?.startDate = Self.day(11)
        terms.fine?.startDate = Self.day(12)
        #expect(layout.termsProblems(terms, dueDate: Self.due).isEmpty, "\(layout.bank)")
        let records = try Self.records(layout, terms)
        let p = try #require(Self.segment(records, "P")), r = try #require(Self.segment(records, "R"))
        #expect(Self.at(p, 118, 118) == "1", "\(layout.bank)")
        #expect(Self.at(p, 119, 126) == "11032026", "\(layout.bank)")
        #expect(Self.at(p, 127, 141) == "000000000000033", "\(layout.bank)")
        #expect(Self.at(p, 142, 142) == "1", "\(layout.bank)")
        #expect(Self.at(p, 143, 150) == "05032026", "\(layout.bank)")
        #expect(Self.at(p, 151, 165) == "000000000005000", "\(layout.bank)")
        #expect(Self.at(p, 181, 195) == "000000000001000", "\(layout.bank)")
        #expect(Self.at(p, 221, 223) == "105", "\(layout.bank)")
        #expect(Self.at(r, 18, 18) == "1", "\(layout.bank)")
        #expect(Self.at(r, 19, 26) == "07032026", "\(layout.bank)")
        #expect(Self.at(r, 27, 41) == "000000000002500", "\(layout.bank)")
        #expect(Self.at(r, 42, 65) == String(repeating: "0", count: 24), "\(layout.bank)")
        #expect(Self.at(r, 66, 66) == "2", "\(layout.bank)")
        #expect(Self.at(r, 67, 74) == "12032026", "\(layout.bank)")
        #expect(Self.at(r, 75, 89) == "000000000000200", "\(layout.bank)")
    }

    @Test("CNAB 240 without terms: each bank's isento code at P 118 (Sicoob 0, the others 3), no discount, não protestar",
          arguments: layouts240.indices)
    func noTerms240(index: Int) throws {
        let layout = Self.layouts240[index]
        let p = try #require(Self.segment(try Self.records(layout, nil), "P"))
        #expect(Self.at(p, 118, 118) == (layout.bank == "756" ? "0" : "3"), "\(layout.bank)")
        #expect(Self.at(p, 119, 141) == String(repeating: "0", count: 23), "\(layout.bank)")
        #expect(Self.at(p, 142, 142) == "0", "\(layout.bank)")
        #expect(Self.at(p, 221, 221) == "3", "\(layout.bank)")
    }

    @Test("CNAB 240: a rate a month is juros code 2 with two decimals; a third discount at R 42-65; percent discounts code 2")
    func rates240() throws {
        let terms = BoletoTerms(
            interest: .init(kind: .percentPerMonth, percent: Self.percent("1.5")), fine: .init(kind: .amount, amountCents: 2_000),
            discounts: [.init(kind: .percent, percent: Self.percent("5"), until: Self.day(3)),
                        .init(kind: .percent, percent: Self.percent("3"), until: Self.day(5)),
                        .init(kind: .percent, percent: Self.percent("1.25"), until: Self.day(7))])
        for layout in [CNAB240BancoDoBrasilRemessa() as any CNABRemessaLayout, CNAB240CaixaRemessa(), CNAB240SicoobRemessa()] {
            #expect(layout.termsProblems(terms, dueDate: Self.due).isEmpty, "\(layout.bank)")
            let records = try Self.records(layout, terms)
            let p = try #require(Self.segment(records, "P")), r = try #require(Self.segment(records, "R"))
            #expect(Self.at(p, 118, 118) == "2", "\(layout.bank)")
            #expect(Self.at(p, 127, 141) == "000000000000150", "\(layout.bank)")
            #expect(Self.at(p, 142, 165) == "2" + "03032026" + "000000000000500", "\(layout.bank)")
            #expect(Self.at(r, 18, 41) == "2" + "05032026" + "000000000000300", "\(layout.bank)")
            #expect(Self.at(r, 42, 65) == "2" + "07032026" + "000000000000125", "\(layout.bank)")
            #expect(Self.at(r, 66, 66) == "1", "\(layout.bank)")
            #expect(Self.at(r, 75, 89) == "000000000002000", "\(layout.bank)")
        }
    }

    @Test("CNAB 240 write-offs: Caixa baixa 1 with three digits, Santander with two, Sicredi 60 days only, BB and Sicoob none")
    func writeOff240() throws {
        let terms = BoletoTerms(afterDue: .writeOff(days: 45))
        let caixa = try #require(Self.segment(try Self.records(CNAB240CaixaRemessa(), terms), "P"))
        #expect(Self.at(caixa, 221, 227) == "3001045")
        let santander = try #require(Self.segment(try Self.records(CNAB240SantanderRemessa(), terms), "P"))
        #expect(Self.at(santander, 221, 227) == "3001045")
        let sicredi = try #require(Self.segment(try Self.records(CNAB240SicrediRemessa(), BoletoTerms(afterDue: .writeOff(days: 60))), "P"))
        #expect(Self.at(sicredi, 224, 227) == "1060")
        #expect(CNAB240SicrediRemessa().termsProblems(terms, dueDate: Self.due).map(\.field.description) == ["terms.write_off_days"])
        #expect(CNAB240SantanderRemessa().termsProblems(BoletoTerms(afterDue: .writeOff(days: 120)), dueDate: Self.due)
            .map(\.field.description) == ["terms.write_off_days"])
        for layout in [CNAB240BancoDoBrasilRemessa() as any CNABRemessaLayout, CNAB240SicoobRemessa()] {
            let problems = layout.termsProblems(terms, dueDate: Self.due)
            #expect(problems.map(\.field.description) == ["terms.write_off_days"], "\(layout.bank)")
        }
    }

    @Test("CNAB 240 limits: Sicredi takes no rate a month and reads four digits of the fine; Santander two discounts; two decimals everywhere")
    func limits240() {
        let monthly = BoletoTerms(interest: .init(kind: .percentPerMonth, percent: Self.percent("1")),
                                  fine: .init(kind: .amount, amountCents: 10_000))
        #expect(CNAB240SicrediRemessa().termsProblems(monthly, dueDate: Self.due).map(\.field.description).sorted()
            == ["terms.fine.value", "terms.interest.type"])
        var three = Self.common
        three.discounts.append(.init(kind: .amount, amountCents: 1_000, until: Self.day(9)))
        #expect(CNAB240SantanderRemessa().termsProblems(three, dueDate: Self.due).map(\.field.description) == ["terms.discounts"])
        let fine = BoletoTerms(fine: .init(kind: .percent, percent: Self.percent("2.125")))
        for layout in Self.layouts240 {
            let problems = layout.termsProblems(fine, dueDate: Self.due)
            #expect(problems.map(\.field.description) == ["terms.fine.value"], "\(layout.bank)")
            #expect(problems.first?.message.contains("2 decimal places") == true)
        }
    }

    @Test("every layout names itself in its refusals and has terms support")
    func everyLayout() {
        for layout in CNABRemessaLayouts.all {
            let terms = BoletoTerms(interest: .init(kind: .percentPerDay, percent: Self.percent("0.03")))
            let problems = layout.termsProblems(terms, dueDate: Self.due)
            #expect(problems.map(\.field.description) == ["terms.interest.type"], "\(layout.bank) \(layout.format)")
            #expect(problems.first?.message.contains("CNAB") == true)
            #expect(!layout.termsSupport.interest.isEmpty)
        }
    }

    @Test("Itaú 400 boleto híbrido: an entry with a PIX request is movement 71 with a type-3 record (key 2-78, txid 79-142); an instruction is not")
    func itauPix() throws {
        let layout = CNAB400ItauRemessa()
        var title = CNABRemessaTitle(nossoNumero: "1234567", documentNumber: "77", control: "77", dueDate: Self.due, issueDate: Self.issue,
                                     amountCents: 100_000, payer: Self.payer)
        title.pix = CNABPixRequest(keyType: "4", key: "cobranca@loja.example", txid: "B0L3T0abc123", maximumCents: 100_000,
                                   minimumCents: 100_000)
        let bytes = try layout.write(header: Self.header(layout), titles: [title], lineEnding: .lf)
        let records = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)
        #expect(records.map { Self.at($0, 1, 1) } == ["0", "1", "3", "9"])
        #expect(Self.at(records[1], 109, 110) == "71")
        #expect(Self.at(records[2], 2, 78) == "cobranca@loja.example" + String(repeating: " ", count: 56))
        #expect(Self.at(records[2], 79, 142) == "B0L3T0abc123" + String(repeating: " ", count: 52))
        #expect(Self.at(records[2], 395, 400) == "000003")
        title.movement = "06"
        let change = String(decoding: try layout.write(header: Self.header(layout), titles: [title], lineEnding: .lf), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        #expect(change.map { Self.at($0, 1, 1) } == ["0", "1", "9"] && Self.at(change[1], 109, 110) == "06")
    }

    @Test("Santander 240 boleto híbrido: an entry with a PIX request adds Y03 (key type 81, key 82-158, txid 159-193) and Y53 (payment type 20-21, limits 24-55) after R")
    func santanderPix240() throws {
        let layout = CNAB240SantanderRemessa()
        var title = CNABRemessaTitle(nossoNumero: "1234567", nossoNumeroDV: "9", documentNumber: "77", control: "77", dueDate: Self.due,
                                     issueDate: Self.issue, amountCents: 100_000, payer: Self.payer)
        title.pix = CNABPixRequest(keyType: "2", key: "11222333000181", txid: "B0L3T0abc123", paymentType: "03",
                                   maximumCents: 100_000, minimumCents: 100_000)
        let records = try Self.records(layout, nil, title: title)
        #expect(records.map { Self.at($0, 8, 8) == "3" ? "3" + Self.at($0, 14, 14) : Self.at($0, 8, 8) }
            == ["0", "1", "3P", "3Q", "3R", "3Y", "3Y", "5", "9"])
        let y03 = records[5], y53 = records[6]
        #expect(Self.at(y03, 9, 13) == "00004" && Self.at(y03, 16, 19) == "0103")
        #expect(Self.at(y03, 20, 80).allSatisfy { $0 == " " })
        #expect(Self.at(y03, 81, 81) == "2")
        #expect(Self.at(y03, 82, 158) == "11222333000181" + String(repeating: " ", count: 63))
        #expect(Self.at(y03, 159, 193) == "B0L3T0abc123" + String(repeating: " ", count: 23))
        #expect(Self.at(y53, 9, 13) == "00005" && Self.at(y53, 16, 19) == "0153")
        #expect(Self.at(y53, 20, 24) == "03012")
        #expect(Self.at(y53, 25, 39) == "000000000100000" && Self.at(y53, 40, 55) == "2000000000100000")
        #expect(Self.at(records[7], 18, 23) == "000007", "the batch trailer counts the Y segments")
        // An instruction carries no PIX segment; a request left to the profile (00) has no Y53.
        title.movement = "06"
        #expect(try Self.records(layout, nil, title: title).count == 7)
        title.movement = "01"
        title.pix?.paymentType = "00"
        #expect(try Self.records(layout, nil, title: title).filter { Self.at($0, 14, 14) == "Y" }.count == 1)
    }
}
