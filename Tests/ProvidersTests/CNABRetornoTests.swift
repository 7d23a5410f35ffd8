import BoletoKit
import Foundation
import Providers
import Testing

/// The retorno reader against real files from brcobranca, laravel-boleto and OpenCnabPHP (Fixtures/cnab, with
/// their sources and licences in SOURCES.md). Each file's `.expected.json` says what a correct parser extracts;
/// these tests compare every title field by field.
@Suite("CNAB retorno: the real fixtures, field by field")
struct CNABRetornoTests {
    static let fixtures = [
        "brcobranca-CNAB400BRADESCO.RET", "brcobranca-CNAB400ITAU.RET", "laravel-boleto-cnab400-santander_pix.ret",
        "brcobranca-CNAB240-BB.RET", "brcobranca-CNAB240SICREDI.CRT", "laravel-boleto-cnab240-caixa.ret",
        "opencnabphp-sicoob-example.ret",
    ]

    static func fixture(_ name: String) throws -> (bytes: [UInt8], expected: [String: Any]) {
        let directory = try #require(Bundle.module.resourceURL).appendingPathComponent("Fixtures/cnab/retorno")
        let bytes = Array(try Data(contentsOf: directory.appendingPathComponent(name)))
        let json = try Data(contentsOf: directory.appendingPathComponent(name + ".expected.json"))
        return (bytes, try #require(try JSONSerialization.jsonObject(with: json) as? [String: Any]))
    }

    /// laravel-boleto's kinds (the fixtures' `occurrence_kind`) and the normalised kinds that correspond to them.
    static let kinds: [String: Set<CNABOccurrenceKind>] = [
        "liquidacao": [.paid], "entrada_confirmada": [.registered], "rejeicao": [.rejected], "baixa": [.writtenOff],
        "alteracao": [.dueDateChanged, .instructionConfirmed, .other], "protesto": [.instructionConfirmed, .other],
        "outros": [.other, .fee, .instructionConfirmed],
    ]

    static func date(_ value: Any?) -> CalendarDate? { (value as? String).flatMap { CalendarDate(iso: $0) } }

    @Test("every title of every fixture is extracted as its expected.json says", arguments: CNABRetornoTests.fixtures)
    func fixtureTitles(_ name: String) throws {
        let (bytes, expected) = try Self.fixture(name)
        let retorno = try CNABRetornoReader.read(bytes)
        let header = try #require(expected["header"] as? [String: Any])
        #expect(retorno.bank == header["bank_code"] as? String)
        #expect(retorno.format.rawValue == (expected["format"] as? String)?.replacingOccurrences(of: "CNAB", with: ""))
        #expect(retorno.fileDate == Self.date(header["file_date"]))
        let titles = try #require(expected["titles"] as? [[String: Any]])
        try #require(retorno.titles.count == titles.count)
        for (title, want) in zip(retorno.titles, titles) {
            let line = (want["line"] ?? want["line_T"]) as? Int
            #expect(title.line == line)
            #expect(title.nossoNumero == want["nosso_numero"] as? String, "line \(title.line)")
            #expect(title.documentNumber == want["numero_documento"] as? String, "line \(title.line)")
            #expect(title.occurrenceCode == want["occurrence_code"] as? String, "line \(title.line)")
            #expect(title.occurrence.description == want["occurrence_description"] as? String, "line \(title.line)")
            let kind = try #require(want["occurrence_kind"] as? String)
            #expect(Self.kinds[kind]?.contains(title.occurrence.kind) == true, "line \(title.line): \(kind) vs \(title.occurrence.kind)")
            #expect(title.dueDate == Self.date(want["due_date"]), "line \(title.line)")
            #expect(title.occurrenceDate == Self.date(want["occurrence_date"]), "line \(title.line)")
            #expect(title.creditDate == Self.date(want["credit_date"]), "line \(title.line)")
            for (field, value) in [("face_value_cents", title.faceValueCents), ("paid_value_cents", title.paidValueCents),
                                   ("fee_cents", title.feeCents), ("interest_cents", title.interestCents),
                                   ("discount_cents", title.discountCents), ("rebate_cents", title.rebateCents),
                                   ("iof_cents", title.iofCents)] {
                #expect(Int64((want[field] as? Int) ?? -1) == value, "line \(title.line): \(field)")
            }
            #expect(title.reasons == (want["motivos"] as? [String] ?? []), "line \(title.line)")
            if let pix = want["pix"] as? [String: String] {
                #expect(title.pix == CNABPix(location: pix["location"] ?? "", txid: pix["txid"] ?? ""))
            } else {
                #expect(title.pix == nil)
            }
        }
        let summary = try #require(expected["summary"] as? [String: Any])
        #expect(Int64(summary["sum_face_value_cents"] as? Int ?? -1) == retorno.titles.reduce(0) { $0 + $1.faceValueCents })
        #expect(Int64(summary["sum_paid_value_cents"] as? Int ?? -1) == retorno.titles.reduce(0) { $0 + $1.paidValueCents })
    }

    @Test("the clean fixtures read without a warning; the hand-edited Sicoob file reports its T/U and trailer mismatches",
          arguments: CNABRetornoTests.fixtures)
    func warnings(_ name: String) throws {
        let retorno = try CNABRetornoReader.read(try Self.fixture(name).bytes)
        if name.hasPrefix("opencnabphp-sicoob") {
            #expect(retorno.warnings.map(\.description) == [
                "line 8: segment U's movement code 01 differs from its T's 03; the T's is used.",
                "line 13: the batch trailer counts 17 titles worth 8600 cents; the batch holds 5 worth 2600.",
            ])
        } else {
            #expect(retorno.warnings.isEmpty, "\(retorno.warnings)")
        }
    }

    @Test("the issuer's number inside each bank's nosso número (the title id a boleto was issued with)", arguments: [
        ("brcobranca-CNAB400BRADESCO.RET", Int64(30)), ("brcobranca-CNAB400ITAU.RET", 11),
        ("laravel-boleto-cnab400-santander_pix.ret", 1), ("brcobranca-CNAB240-BB.RET", 20673),
        ("brcobranca-CNAB240SICREDI.CRT", 17_200_059), ("laravel-boleto-cnab240-caixa.ret", 11_136_997),
        ("opencnabphp-sicoob-example.ret", 501),
    ])
    func issuerNumbers(_ name: String, _ first: Int64) throws {
        let retorno = try CNABRetornoReader.read(try Self.fixture(name).bytes)
        #expect(retorno.titles.first?.issuerNumber == first)
        #expect(retorno.titles.allSatisfy { $0.issuerNumber != nil })
    }

    /// The beneficiary each fixture's header names, read off the files at the manuals' positions (Bradesco's titles
    /// carry agency 01467 and account 0019669 at 25-29 and 30-36). Santander's CNAB 400 fixture is zero-filled
    /// apart from its agency.
    @Test("the beneficiary each retorno names: header agency, account and contract code; Bradesco's titles", arguments: [
        ("brcobranca-CNAB400BRADESCO.RET", CNABBeneficiary(code: "00000000000004540691")),
        ("brcobranca-CNAB400ITAU.RET", CNABBeneficiary(agency: "0730", account: "03511")),
        ("laravel-boleto-cnab400-santander_pix.ret", CNABBeneficiary(agency: "1111")),
        ("brcobranca-CNAB240-BB.RET", CNABBeneficiary(agency: "01234", account: "000000005432", code: "001999957")),
        ("brcobranca-CNAB240SICREDI.CRT", CNABBeneficiary(agency: "00390", account: "000000004146")),
        ("laravel-boleto-cnab240-caixa.ret", CNABBeneficiary(agency: "01234", code: "043210")),
        ("opencnabphp-sicoob-example.ret", CNABBeneficiary(agency: "04190", account: "000000007380")),
    ])
    func beneficiaries(_ name: String, _ expected: CNABBeneficiary) throws {
        let retorno = try CNABRetornoReader.read(try Self.fixture(name).bytes)
        #expect(retorno.beneficiary == expected)
        if name.contains("BRADESCO") {
            #expect(retorno.titles.allSatisfy { $0.beneficiary == CNABBeneficiary(agency: "01467", account: "0019669") })
        } else {
            #expect(retorno.titles.allSatisfy { $0.beneficiary == nil })
        }
        // Leading zeros do not matter; any other difference is a mismatch, and a part the other side lacks is not compared.
        let same = CNABBeneficiary(agency: expected.agency.map { CNABBeneficiary.normalized($0) },
                                   account: expected.account.map { "00" + $0 }, code: expected.code)
        #expect(retorno.beneficiary.mismatches(with: same).mismatches.isEmpty)
        #expect(retorno.beneficiary.mismatches(with: same).compared == [expected.agency, expected.account, expected.code].compactMap { $0 }.count)
        let other = CNABBeneficiary(agency: "9999", account: "1", code: "2")
        #expect(retorno.beneficiary.mismatches(with: other).mismatches.map(\.part)
                == CNABBeneficiary.Part.allCases.filter { retorno.beneficiary[$0] != nil })
        #expect(retorno.beneficiary.mismatches(with: CNABBeneficiary()).compared == 0)
    }

    @Test("Bradesco: the character after the issuer's number is the DV BoletoKit computes for it (carteira 09)")
    func bradescoCheckDigits() throws {
        let retorno = try CNABRetornoReader.read(try Self.fixture("brcobranca-CNAB400BRADESCO.RET").bytes)
        var mismatches: [Int] = []
        for title in retorno.titles {
            let number = try #require(title.issuerNumber)
            let input = BoletoInput(bank: "237", amountCents: 1, dueDate: CalendarDate(year: 2030, month: 1, day: 1), agency: "1",
                                    account: "1", wallet: "09", nossoNumero: String(number))
            if !(try Boleto(input).nossoNumero).hasSuffix("-" + String(title.nossoNumero.suffix(1))) { mismatches.append(title.line) }
        }
        // Five of the six carry the DV of carteira 09 (the letter P included). The first, 00000000030-3, does not:
        // BoletoKit computes 5 for it. brcobranca's spec reads that line's positions only, so its DV was never checked.
        #expect(mismatches == [2])
    }

    @Test("Santander 240: a real retorno's segment Y03 after T and U gives its title the QR Code location and txid")
    func santander240Pix() throws {
        let url = try #require(Bundle.module.resourceURL)
            .appendingPathComponent("Fixtures/cnab/retorno/opencnabphp-santander-cnab240-pix.ret")
        let retorno = try CNABRetornoReader.read(Array(try Data(contentsOf: url)))
        #expect(retorno.bank == "033" && retorno.format == .cnab240)
        #expect(retorno.titles.count == 1)
        let title = try #require(retorno.titles.first)
        #expect(title.occurrenceCode == "02" && title.occurrence.kind == .registered)
        #expect(title.nossoNumero == "0000354269950")
        #expect(title.pix == CNABPix(location: "pix.santander.com.br/qr/v2/cobv/48bbcd90-ec0c-4b89-a8be-6dbe646fbf1d",
                                     txid: "YKP008404399000035426995028102024"))
        // The file is an excerpt of a longer one: only its trailers' counts are off.
        #expect(retorno.warnings.allSatisfy { $0.message.contains("trailer counts") }, "\(retorno.warnings)")
    }
}
