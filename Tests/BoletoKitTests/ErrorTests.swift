import BoletoKit
import Foundation
import Testing

@Suite("Typed errors for bad input")
struct ErrorTests {
    static let bradesco = BoletoInput(bank: "237", amountCents: 295295, dueDate: CalendarDate(iso: "2012-12-28"),
                                      agency: "1172", account: "0403005", wallet: "06", nossoNumero: "75896452")

    func error(_ input: BoletoInput) -> BoletoError? {
        do {
            _ = try Boleto(input)
            return nil
        } catch {
            return error
        }
    }

    @Test("The reference input generates")
    func reference() throws {
        #expect(try Boleto(Self.bradesco).barcode.description == "23796556100002952951172060007589645204030050")
    }

    @Test("Unknown bank")
    func unknownBank() {
        var input = Self.bradesco
        input.bank = "999"
        #expect(error(input)?.code == .unknownBank)
        #expect(error(input)?.field == "bank")
    }

    @Test("Amount overflow and negative amounts", arguments: [Int64(-1), 10_000_000_000, Int64.max])
    func amounts(_ cents: Int64) {
        var input = Self.bradesco
        input.amountCents = cents
        #expect(error(input)?.code == .amountOutOfRange)
        #expect(error(input)?.field == "amount_cents")
    }

    @Test("The largest amount fits")
    func largestAmount() throws {
        var input = Self.bradesco
        input.amountCents = 9_999_999_999
        #expect(try Boleto(input).barcode.amountCents == 9_999_999_999)
    }

    @Test("Dates outside the factor range", arguments: ["2000-07-02", "1997-10-08", "2049-10-14", "2100-01-01"])
    func datesOutOfRange(_ date: String) {
        var input = Self.bradesco
        input.dueDate = CalendarDate(iso: date)
        #expect(error(input)?.code == .dueDateOutOfRange)
        #expect(error(input)?.field == "due_date")
    }

    @Test("The ends of the factor range encode", arguments: [("2000-07-03", 1000), ("2049-10-13", 9999),
                                                             ("2025-02-21", 9999), ("2025-02-22", 1000)])
    func rangeEnds(_ date: String, _ factor: Int) throws {
        var input = Self.bradesco
        input.dueDate = CalendarDate(iso: date)
        #expect(try Boleto(input).barcode.factor == factor)
    }

    @Test("Decoding never answers a date past 2049-10-13")
    func windowCap() {
        // Factor 3769 is 2008-02-01 and 2032-09-22; seen from 2045 its next cycle would be 2057.
        let factor = 3769
        #expect(DueDateFactor.candidates(for: factor).map(\.description) == ["2008-02-01", "2032-09-22"])
        #expect(DueDateFactor.date(for: factor, reference: CalendarDate(iso: "2045-01-01")!) == nil)
        #expect(DueDateFactor.date(for: factor, reference: CalendarDate(iso: "2030-01-01")!) == CalendarDate(iso: "2032-09-22"))
    }

    @Test("A missing bank field is named", arguments: ["agency", "account", "wallet"])
    func missingField(_ name: String) {
        for value in [nil, ""] as [String?] {
            var input = Self.bradesco
            switch name {
            case "agency": input.agency = value
            case "account": input.account = value
            default: input.wallet = value
            }
            #expect(error(input)?.code == .missingField)
            #expect(error(input)?.field == name)
        }
    }

    @Test("Every bank names each of its required fields when it is missing", arguments: Banks.all.map(\.code))
    func requiredFieldsPerBank(_ bank: String) throws {
        let sample = Samples.input(bank: bank, seed: 7)
        _ = try Boleto(sample)
        let paths: [(WritableKeyPath<BoletoInput, String?>, String)] = [
            (\.agency, "agency"), (\.agencyDV, "agency_dv"), (\.account, "account"), (\.accountDV, "account_dv"),
            (\.beneficiaryCode, "beneficiary_code"), (\.wallet, "wallet"), (\.walletVariation, "wallet_variation"),
        ]
        for (path, name) in paths where sample[keyPath: path] != nil {
            var input = sample
            input[keyPath: path] = nil
            do {
                let boleto = try Boleto(input)
                // Optional field: dropping it must still give a valid boleto.
                #expect(BoletoParser.isValid(boleto.digitableLine.description))
            } catch {
                #expect(error.field == name, "\(bank) without \(name)")
                #expect(error.code == .missingField)
            }
        }
        for key in sample.extra.keys where key != "kind" {  // `kind` selects the layout itself
            var input = sample
            input.extra[key] = nil
            do { _ = try Boleto(input) } catch {
                #expect(error.field == "extra.\(key)", "\(bank) without extra.\(key)")
            }
        }
        var input = sample
        input.nossoNumero = ""
        #expect(error(input)?.field == "nosso_numero")
    }

    @Test("Malformed bank fields: letters and too many digits")
    func malformedFields() {
        var input = Self.bradesco
        input.agency = "11A2"
        #expect(error(input)?.code == .invalidCharacters)
        #expect(error(input)?.field == "agency")
        input.agency = "12345"
        #expect(error(input)?.code == .fieldTooLong)
        input.agency = "001172"
        #expect(error(input) == nil, "extra leading zeros are dropped")
        input.nossoNumero = "123456789012"
        #expect(error(input)?.field == "nosso_numero")
    }

    @Test("Bank-specific rules", arguments: [
        (#"{"bank":"001","amount_cents":1,"due_date":null,"beneficiary_code":"12345","wallet":"18","nosso_numero":"1"}"#, "beneficiary_code"),
        (#"{"bank":"104","amount_cents":1,"due_date":null,"beneficiary_code":"123456","wallet":"11","nosso_numero":"1"}"#, "wallet"),
        (#"{"bank":"104","amount_cents":1,"due_date":null,"beneficiary_code":"1050000","wallet":"14","nosso_numero":"1"}"#, "beneficiary_code"),
        (#"{"bank":"104","amount_cents":1,"due_date":null,"beneficiary_code":"1","wallet":"14","nosso_numero":"1","extra":{"kind":"x"}}"#, "extra.kind"),
        (#"{"bank":"748","amount_cents":1,"due_date":null,"agency":"1","beneficiary_code":"1","wallet":"2","nosso_numero":"1","extra":{"posto":"1","year":"24"}}"#, "wallet"),
        (#"{"bank":"748","amount_cents":1,"due_date":null,"agency":"1","beneficiary_code":"1","wallet":"1","nosso_numero":"1","extra":{"posto":"1"}}"#, "extra.year"),
        (#"{"bank":"748","amount_cents":1,"due_date":null,"agency":"1","beneficiary_code":"1","wallet":"1","nosso_numero":"1","extra":{"posto":"1","year":"24","byte":"1"}}"#, "extra.byte"),
        (#"{"bank":"341","amount_cents":1,"due_date":null,"agency":"1","account":"1","wallet":"198","nosso_numero":"1","beneficiary_code":"1"}"#, "extra.seu_numero"),
        (#"{"bank":"097","amount_cents":1,"due_date":null,"agency":"1","beneficiary_code":"1","nosso_numero":"1","extra":{"beneficiary_document":"123"}}"#, "extra.beneficiary_document"),
        (#"{"bank":"070","amount_cents":1,"due_date":null,"agency":"1","account":"1","wallet":"3","nosso_numero":"1"}"#, "wallet"),
        (#"{"bank":"001","amount_cents":1,"due_date":null,"beneficiary_code":"1234567","wallet":"18","nosso_numero":"1","extra":{"kind":"nn17"}}"#, "extra.kind"),
        (#"{"bank":"001","amount_cents":1,"due_date":null,"beneficiary_code":"1234","agency":"1","account":"1","wallet":"18","nosso_numero":"1","extra":{"kind":"nn17"}}"#, "extra.kind"),
        (#"{"bank":"021","amount_cents":1,"due_date":null,"account":"1","wallet_variation":"1","nosso_numero":"1"}"#, "wallet_variation"),
    ])
    func bankRules(_ json: String, _ field: String) throws {
        let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
        #expect(error(Fixtures.canonicalInput(object))?.field == field)
    }

    @Test("Error text never repeats the value")
    func noValueInMessages() {
        var input = Self.bradesco
        input.agency = "98765"
        let message = error(input)?.message ?? ""
        #expect(!message.contains("98765"))
        #expect(!(try! #require(error(input))).description.contains("98765"))
    }

    @Test("Lines: wrong lengths, letters, bad check digits name the block", arguments: [
        ("", "length"),
        ("2379", "length"),
        ("237917209600075896455204030050254223000029529599", "length"),
        ("23791.17209 60007.589645 52040.300502 5 42230000029529X", "input"),
        ("23792172096000758964552040300502542230000295295", "field_1"),
        ("23791172096000758964652040300502542230000295295", "field_2"),
        ("23791172096000758964552040300503542230000295295", "field_3"),
        ("23791172096000758964552040300502642230000295295", "general_dv"),
        ("23711172096000758964552040300502542230000295295", "field_1"),
        ("23796422300002952951172060007589645204030050", "general_dv"),
        ("23706422300002952951172060007589645204030050", "currency"),
        ("858900004608524601791605607593050865831483000010", "block_1"),
        ("858900004609524601791605607593050865831483000011", "block_4"),
        ("854900004609524601791605607593050865831483000010", "value_id"),
    ])
    func lineErrors(_ text: String, _ block: String) {
        do {
            _ = try BoletoParser.parse(text)
            Issue.record("accepted")
        } catch {
            #expect(error.block == block, "\(error.message)")
        }
    }
}
