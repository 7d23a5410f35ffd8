import BoletoKit
import Testing

/// `BoletoIssuer` against `Boleto(_:)`: for every bank, the same boleto or the same error for the beneficiary's
/// fields with any nosso número, amount and due date, valid or not.
@Suite("Boleto issuer")
struct BoletoIssuerTests {
    static func outcome(_ body: () throws(BoletoError) -> Boleto) -> Result<Boleto, BoletoError> {
        do { return .success(try body()) } catch { return .failure(error) }
    }

    /// A nosso número to try: valid ones of every length, leading zeros, a check digit attached with a hyphen,
    /// letters, blanks, and lengths past every slot.
    static func nossoNumero(_ rng: inout SplitMix, template: String) -> String {
        switch rng.int(0...9) {
        case 0: return template
        case 1: return "000" + template
        case 2: return template + "-" + String(rng.int(0...9))
        case 3: return template + "-P"
        case 4: return rng.digits(rng.int(20...30))
        case 5: return rng.pick(["", " ", "12a", "-1", "1 2", "１２"])
        default: return rng.digits(rng.int(1...17))
        }
    }

    @Test("the same boleto or error as Boleto(_:) for 300 beneficiaries per bank and 10 variations each",
          arguments: Banks.all.map(\.code))
    func sameAsBoleto(bank: String) throws {
        var fitted = 0
        for seed in 0..<300 {
            let template = Samples.input(bank: bank, seed: seed * 7919 + 13)
            let issuer = try BoletoIssuer(template)
            var rng = SplitMix(seed: seed)
            for _ in 0..<10 {
                var input = template
                input.nossoNumero = Self.nossoNumero(&rng, template: template.nossoNumero)
                input.amountCents = rng.pick([Int64(rng.int(0...9_999_999_999)), -1, 10_000_000_000, 0])
                input.dueDate = rng.pick([
                    nil, DueDateFactor.firstDate.adding(days: rng.int(0...9000)),
                    DueDateFactor.firstDate.adding(days: -rng.int(1...400)), DueDateFactor.lastDate.adding(days: rng.int(1...400)),
                ])
                let expected = Self.outcome { () throws(BoletoError) in try Boleto(input) }
                let got = Self.outcome { () throws(BoletoError) in
                    try issuer.boleto(nossoNumero: input.nossoNumero, amountCents: input.amountCents, dueDate: input.dueDate)
                }
                #expect(got == expected, "\(bank) seed \(seed): nosso número \(input.nossoNumero)")
                if case .success = expected { fitted += 1 }
            }
        }
        // Enough of the variations were valid boletos for the comparison to be about barcodes, not only errors.
        #expect(fitted > 250, "only \(fitted) valid boletos")
    }

    @Test("a numeric nosso número is the same as its digits, and a negative or oversized one is the text's error",
          arguments: ["237", "341", "001", "104"])
    func numericNossoNumero(bank: String) throws {
        var rng = SplitMix(seed: 20261207)
        for seed in 0..<200 {
            let issuer = try BoletoIssuer(Samples.input(bank: bank, seed: seed))
            let value = rng.pick([Int64(rng.int(0...99_999_999)), Int64(rng.int(0...99_999_999_999)), -Int64(rng.int(1...999)),
                                  Int64.max, 0])
            let due = DueDateFactor.firstDate.adding(days: rng.int(0...9000))
            let byNumber = Self.outcome { () throws(BoletoError) in try issuer.boleto(nossoNumero: value, amountCents: 100, dueDate: due) }
            let byText = Self.outcome { () throws(BoletoError) in
                try issuer.boleto(nossoNumero: String(value), amountCents: 100, dueDate: due)
            }
            #expect(byNumber == byText, "\(bank): \(value)")
        }
    }

    @Test("the beneficiary's errors come at init, as Boleto(_:) names them")
    func beneficiaryErrors() {
        let good = BoletoInput(bank: "237", amountCents: 0, dueDate: nil, agency: "1172", account: "403005", wallet: "06",
                               nossoNumero: "1")
        var cases: [BoletoInput] = []
        var input = good; input.agency = "12345"; cases.append(input)
        input = good; input.account = nil; cases.append(input)
        input = good; input.wallet = "x"; cases.append(input)
        input = good; input.bank = "999"; cases.append(input)
        for input in cases {
            let expected = Self.outcome { () throws(BoletoError) in try Boleto(input) }
            var thrown: BoletoError?
            do { _ = try BoletoIssuer(input) } catch { thrown = error }
            guard case .failure(let error) = expected else {
                Issue.record("\(input) should not compute")
                continue
            }
            #expect(thrown == error)
        }
        #expect((try? BoletoIssuer(good)) != nil)
    }

    @Test("every generation vector through an issuer gives its barcode, line and nosso número", arguments: Fixtures.generationVectors)
    func vectors(vector: Fixtures.BarcodeVector) throws {
        let issuer = try BoletoIssuer(vector.input)
        let boleto = try issuer.boleto(nossoNumero: vector.input.nossoNumero, amountCents: vector.input.amountCents,
                                       dueDate: vector.input.dueDate)
        #expect(boleto.barcode.description == vector.barcode)
        #expect(boleto.digitableLine.description == vector.digitableLine)
        if let nossoNumero = vector.nossoNumero { #expect(boleto.nossoNumero == nossoNumero) }
    }
}
