import BoletoKit
import Foundation
import Providers
import Testing

/// The remessa writers against brcobranca's fixtures (Fixtures/cnab/remessa, sources in SOURCES.md): the inputs
/// its specs give produce the fixture byte for byte.
@Suite("CNAB remessa: byte-exact against the fixtures")
struct CNABRemessaTests {
    static func fixture(_ name: String) throws -> [UInt8] {
        let url = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/cnab/remessa/\(name)")
        return Array(try Data(contentsOf: url))
    }

    static let day = CalendarDate(year: 2015, month: 7, day: 14)!
    /// brcobranca's spec payer: an unchecked CPF, the name and address as its formatter leaves them.
    static func payer(address: String, neighborhood: String = "", city: String = "") -> CNABPayer {
        CNABPayer(document: CNABDocument(unchecked: .cpf, digits: "12345678901"), name: "PABLO DIEGO JOSE FRANCISCO DE PAULA JUAN",
                  address: address, neighborhood: neighborhood, city: city, state: "SP", zipcode: "12345678")
    }

    static func firstDifference(_ a: [UInt8], _ b: [UInt8]) -> String {
        let index = (0..<min(a.count, b.count)).first { a[$0] != b[$0] } ?? min(a.count, b.count)
        let line = a.prefix(index).filter { $0 == 0x0A }.count + 1
        let column = index - (a.prefix(index).lastIndex(of: 0x0A).map { $0 + 1 } ?? 0) + 1
        return "first difference at line \(line), column \(column) (sizes \(a.count) and \(b.count))"
    }

    @Test("Bradesco 400: header, one title with a 2 % fine, trailer")
    func bradesco400() throws {
        let input = BoletoInput(bank: "237", amountCents: 19_990, dueDate: Self.day, agency: "1234", account: "1234567",
                                wallet: "01", nossoNumero: "123")
        // The nosso número's DV is BoletoKit's (modulo 11 base 7 with the carteira): P for 123 in carteira 01.
        let dv = try #require(try Boleto(input).nossoNumero.split(separator: "-").last.map(String.init))
        #expect(dv == "P")
        let header = CNABRemessaHeader(companyName: "SOCIEDADE BRASILEIRA DE ZOOLOG", companyCode: "123", agency: "12345",
                                       account: "1234567", accountDV: "1", wallet: "01", fileDate: Self.day, sequence: 1)
        let title = CNABRemessaTitle(nossoNumero: "123", nossoNumeroDV: dv, documentNumber: "1", control: "6969", dueDate: Self.day,
                                     issueDate: Self.day, amountCents: 19_990, fine: CNABFine(code: "2", value: 200),
                                     payer: Self.payer(address: "RUA RIO GRANDE DO SU SANTA RITA DE CSP"))
        let written = try CNAB400BradescoRemessa().write(header: header, titles: [title], lineEnding: .lf)
        let expected = try Self.fixture("brcobranca-remessa-bradesco-cnab400.rem")
        #expect(written == expected, "\(Self.firstDifference(written, expected))")
    }

    static let company = CNABDocument(unchecked: .cpf, digits: "12345678910")

    @Test("Itaú 400: header, one title, its type-2 fine record, trailer")
    func itau400() throws {
        let header = CNABRemessaHeader(companyName: "SOCIEDADE BRASILEIRA DE ZOOLOG", companyDocument: Self.company, agency: "1234",
                                       account: "12345", accountDV: "1", wallet: "123", fileDate: Self.day, sequence: 1)
        let title = CNABRemessaTitle(nossoNumero: "123", documentNumber: "", control: "6969", dueDate: Self.day, issueDate: Self.day,
                                     amountCents: 19_990, fine: CNABFine(code: "1", value: 200), protestDays: 3,
                                     payer: CNABPayer(document: CNABDocument(unchecked: .cpf, digits: "12345678901"),
                                                      name: "PABLO DIEGO JOSE FRANCISCO DE", address: "RUA RIO GRANDE DO SUL SAO PAULO MINAS CA",
                                                      neighborhood: "SAO JOSE DOS", city: "SANTA RITA DE C", state: "SP", zipcode: "12345678"))
        let written = try CNAB400ItauRemessa().write(header: header, titles: [title], lineEnding: .lf)
        let expected = try Self.fixture("brcobranca-remessa-itau-cnab400.rem")
        #expect(written == expected, "\(Self.firstDifference(written, expected))")
    }

    @Test("Santander 400: a boleto híbrido title with its type-8 PIX record; the trailer counts records and sums values")
    func santander400Pix() throws {
        let header = CNABRemessaHeader(companyName: "SOCIEDADE BRASILEIRA DE ZOOLOG", companyDocument: Self.company,
                                       companyCode: "17777751042700080112",
                                       agency: "8888", account: "000002997", accountDV: "8", wallet: "1", fileDate: Self.day, sequence: 1)
        var title = CNABRemessaTitle(nossoNumero: "123", documentNumber: "", control: "6969", dueDate: Self.day, issueDate: Self.day,
                                     amountCents: 19_990, instructions: ["06", "00"], interestPerDayCents: 800,
                                     fine: CNABFine(code: "4", value: 200), protestDays: 6,
                                     payer: CNABPayer(document: CNABDocument(unchecked: .cpf, digits: "12345678901"),
                                                      name: "PABLO DIEGO JOSE FRANCISCO DE PAULA JUAN",
                                                      address: "RUA RIO GRANDE DO SUL SAO PAULO MINAS CA", neighborhood: "SAO JOSE DOS",
                                                      city: "SANTA RITA DE C", state: "SP", zipcode: "12345678"))
        title.pix = CNABPixRequest(keyType: "1", key: "12345678910", maximumCents: 19_990, minimumCents: 19_990)
        let written = try CNAB400SantanderRemessa().write(header: header, titles: [title], lineEnding: .lf)
        let expected = try Self.fixture("brcobranca-remessa-santander-cnab400-pix.rem")
        #expect(written == expected, "\(Self.firstDifference(written, expected))")
    }

    @Test("Banco do Brasil 240: file and batch headers, segments P, Q and R, trailers with their counts")
    func bancoDoBrasil240() throws {
        let header = CNABRemessaHeader(companyName: "SOCIEDADE BRASILEIRA DE ZOOLOG",
                                       companyDocument: CNABDocument(unchecked: .cpf, digits: "12345678901"), agency: "1234", agencyDV: "3", account: "12345",
                                       accountDV: "5", wallet: "12", walletCode: "7", walletVariation: "123", agreement: "1234567",
                                       fileDate: Self.day, fileTime: CNABTime(hour: 16, minute: 15, second: 15), sequence: 0)
        let title = CNABRemessaTitle(nossoNumero: "123", documentNumber: "6969", control: "6969", dueDate: Self.day, issueDate: Self.day,
                                     amountCents: 19_990, species: "02",
                                     payer: CNABPayer(document: CNABDocument(unchecked: .cpf, digits: "12345678901"),
                                                      name: "PABLO DIEGO JOSE FRANCISCO DE PAULA JUAN",
                                                      address: "RUA RIO GRANDE DO SUL SAO PAULO MINAS CA", neighborhood: "SAO JOSE DOS QU",
                                                      city: "SANTA RITA DE C", state: "SP", zipcode: "12345678"))
        let written = try CNAB240BancoDoBrasilRemessa().write(header: header, titles: [title], lineEnding: .lf)
        let expected = try Self.fixture("brcobranca-remessa-banco_brasil-cnab240.rem")
        #expect(written == expected, "\(Self.firstDifference(written, expected))")
    }

    @Test("Caixa 240 (SIGCB): headers with the beneficiary code, segments P, Q and R, trailers")
    func caixa240() throws {
        var header = CNABRemessaHeader(companyName: "SOCIEDADE BRASILEIRA DE ZOOLOG",
                                       companyDocument: CNABDocument(unchecked: .cpf, digits: "12345678901"), agency: "12345",
                                       agencyDV: "1", account: "", wallet: "14", agreement: "123456", fileDate: Self.day,
                                       fileTime: CNABTime(hour: 16, minute: 15, second: 15), sequence: 1)
        header.applicationVersion = "1234"
        var title = CNABRemessaTitle(nossoNumero: "123", documentNumber: "6969", control: "00000006969", dueDate: Self.day,
                                     issueDate: Self.day, amountCents: 19_990, species: "99", fine: CNABFine(code: "2", value: 0),
                                     payer: CNABPayer(document: CNABDocument(unchecked: .cpf, digits: "12345678901"),
                                                      name: "PABLO DIEGO JOSE FRANCISCO DE PAULA JUAN",
                                                      address: "RUA RIO GRANDE DO SUL SAO PAULO MINAS CA", neighborhood: "SAO JOSE DOS QU",
                                                      city: "SANTA RITA DE C", state: "SP", zipcode: "12345678"))
        title.interestCode = "1"
        let written = try CNAB240CaixaRemessa().write(header: header, titles: [title], lineEnding: .lf)
        let expected = try Self.fixture("brcobranca-remessa-caixa-cnab240.rem")
        #expect(written == expected, "\(Self.firstDifference(written, expected))")
    }

    /// brcobranca's Sicoob and Sicredi payer.
    static let cooperativePayer = CNABPayer(document: CNABDocument(unchecked: .cpf, digits: "82136760505"),
                                            name: "PABLO DIEGO JOSE FRANCISCO DE PAULA JUAN",
                                            address: "RUA RIO GRANDE DO SUL SAO PAULO MINAS CA", neighborhood: "SAO JOSE DOS QU",
                                            city: "SANTA RITA DE C", state: "RJ", zipcode: "12345678")

    @Test("Sicoob 240: nosso número with parcela, modalidade and formulário; the batch trailer counts the titles")
    func sicoob240() throws {
        let header = CNABRemessaHeader(companyName: "SOCIEDADE BRASILEIRA DE ZOOLOG",
                                       companyDocument: CNABDocument(unchecked: .cnpj, digits: "74576177000177"), agency: "4327",
                                       agencyDV: "3", account: "03666", accountDV: "8", wallet: "01", fileDate: Self.day,
                                       fileTime: CNABTime(hour: 16, minute: 15, second: 15), sequence: 0)
        var title = CNABRemessaTitle(nossoNumero: "429715", documentNumber: "6969", control: "6969", dueDate: Self.day,
                                     issueDate: Self.day, amountCents: 5_000, species: "02", payer: Self.cooperativePayer)
        title.protestCode = "1"
        let written = try CNAB240SicoobRemessa().write(header: header, titles: [title], lineEnding: .lf)
        let expected = try Self.fixture("brcobranca-remessa-bancoob-cnab240.rem")
        #expect(written == expected, "\(Self.firstDifference(written, expected))")
    }

    @Test("Sicredi 240: nosso número AABNNNNND, juros from the next day, baixa after 60 days")
    func sicredi240() throws {
        let day = CalendarDate(year: 2007, month: 7, day: 14)!
        let header = CNABRemessaHeader(companyName: "SOCIEDADE BRASILEIRA DE ZOOLOG",
                                       companyDocument: CNABDocument(unchecked: .cnpj, digits: "74576177000177"), agency: "0165",
                                       account: "00623", accountDV: "8", wallet: "01", fileDate: day,
                                       fileTime: CNABTime(hour: 16, minute: 15, second: 15), sequence: 0)
        var title = CNABRemessaTitle(nossoNumero: "072000031", documentNumber: "6969", control: "6969", dueDate: day,
                                     issueDate: day, amountCents: 5_000, species: "03", payer: Self.cooperativePayer)
        title.interestCode = "1"
        title.discountCode = "1"
        let written = try CNAB240SicrediRemessa().write(header: header, titles: [title], lineEnding: .lf)
        let expected = try Self.fixture("brcobranca-remessa-sicredi-cnab240.rem")
        #expect(written == expected, "\(Self.firstDifference(written, expected))")
    }

    @Test("Santander 240: the shifted header with the código de transmissão, the account twice in P, trailers")
    func santander240() throws {
        let header = CNABRemessaHeader(companyName: "SOCIEDADE BRASILEIRA DE ZOOLOG",
                                       companyDocument: CNABDocument(unchecked: .cnpj, digits: "28254225000193"),
                                       companyCode: "000100001234567", agency: "0001", agencyDV: "9", account: "013001234",
                                       accountDV: "3", wallet: "1", fileDate: Self.day, sequence: 1)
        let title = CNABRemessaTitle(nossoNumero: "1234567", nossoNumeroDV: "9", documentNumber: "9999", control: "9999",
                                     dueDate: Self.day, issueDate: Self.day, amountCents: 19_990, species: "02",
                                     payer: CNABPayer(document: CNABDocument(unchecked: .cpf, digits: "12345678901"),
                                                      name: "PABLO DIEGO JOSE FRANCISCO DE PAULA JUAN",
                                                      address: "RUA RIO GRANDE DO SUL SAO PAULO MINAS CA", neighborhood: "SAO JOSE DOS QU",
                                                      city: "SANTA RITA DE C", state: "SP", zipcode: "12345678"))
        let written = try CNAB240SantanderRemessa().write(header: header, titles: [title], lineEnding: .lf)
        let expected = try Self.fixture("brcobranca-remessa-santander-cnab240.rem")
        #expect(written == expected, "\(Self.firstDifference(written, expected))")
    }

    @Test("a value too long or outside the character set is an error naming the record and the field; nothing is truncated")
    func overflow() throws {
        let header = CNABRemessaHeader(companyName: "SOCIEDADE BRASILEIRA DE ZOOLOGIA LTDA", companyCode: "123", agency: "12345",
                                       account: "1234567", wallet: "01", fileDate: Self.day, sequence: 1)
        #expect(throws: CNABWriteError(record: "Header de arquivo", field: "companyName (47-76)", message: "is 37 characters; the field takes 30.")) {
            try CNAB400BradescoRemessa().write(header: header, titles: [])
        }
        var fitting = header
        fitting.companyName = "SOCIEDADE BRASILEIRA"
        let accented = CNABRemessaTitle(nossoNumero: "123", documentNumber: "1", dueDate: Self.day, issueDate: Self.day, amountCents: 1,
                                        payer: Self.payer(address: "RUA FIDÊNCIO RAMOS 308"))
        #expect(throws: CNABWriteError(record: "Detalhe (tipo 1) of title 1", field: "payerAddress (275-314)",
                                       message: "has characters outside the CNAB set (A-Z, 0-9, space, . , - / ( ) &).")) {
            try CNAB400BradescoRemessa().write(header: fitting, titles: [accented])
        }
        #expect(CNABText.normalize("Rua Fidêncio Ramos, 308 – 9º andar!") == "RUA FIDENCIO RAMOS, 308 - 9O ANDAR")
        #expect(CNABText.normalize("Ｓão ﬁlho\tA&B @ C") == "SAO FILHO A&B C")
        var big = accented
        big.payer.address = "RUA FIDENCIO RAMOS 308"
        big.amountCents = 10_000_000_000_000
        #expect(throws: CNABWriteError(record: "Detalhe (tipo 1) of title 1", field: "amount (127-139)", message: "does not fit in 13 digits.")) {
            try CNAB400BradescoRemessa().write(header: fitting, titles: [big])
        }
    }

    @Test("records are separated by CR LF by default, every record 400 wide, sequence numbers per record")
    func lineEndings() throws {
        let header = CNABRemessaHeader(companyName: "LOJA", companyCode: "1", agency: "1", account: "1", wallet: "09", fileDate: Self.day, sequence: 7)
        let title = CNABRemessaTitle(nossoNumero: "1", nossoNumeroDV: "0", documentNumber: "1", dueDate: Self.day, issueDate: Self.day,
                                     amountCents: 100, payer: Self.payer(address: "RUA A"))
        let bytes = try CNAB400BradescoRemessa().write(header: header, titles: [title, title])
        let records = bytes.split(separator: 0x0A).map { Array($0) }
        #expect(records.count == 4)
        #expect(records.allSatisfy { $0.count == 401 && $0.last == 0x0D })
        #expect(records.map { String(decoding: $0[394..<400], as: UTF8.self) } == ["000001", "000002", "000003", "000004"])
        // The retorno reader's sequence check agrees with the writer's numbering on the trailer.
        #expect(String(decoding: records[0][110..<117], as: UTF8.self) == "0000007")
    }
}
