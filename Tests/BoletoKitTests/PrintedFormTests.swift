import BoletoKit
import Testing

/// Check digits that arrive attached to their values, as ERPs and older libraries send them.
@Suite("Attached check digits and printed forms")
struct PrintedFormTests {
    static let bradesco = ErrorTests.bradesco

    @Test("A nosso número with its check digit attached is verified, then encoded the same")
    func nossoNumeroWithDV() throws {
        let plain = try Boleto(Self.bradesco)
        var input = Self.bradesco
        input.nossoNumero = "75896452-5"
        #expect(try Boleto(input) == plain)
        input.nossoNumero = "75896452-4"
        #expect(throws: BoletoError.self) { try Boleto(input) }
        do { _ = try Boleto(input) } catch {
            #expect(error.code == .checkDigitMismatch)
            #expect(error.field == "nosso_numero")
        }
    }

    @Test("Bradesco's letter check digit is accepted attached, in either case")
    func letterDV() throws {
        // Carteira 19 + nosso número 00000000001: modulo 11 (weights 2–7) leaves remainder 1, printed P.
        var input = Self.bradesco
        input.wallet = "19"
        input.nossoNumero = "1"
        let printed = try Boleto(input).nossoNumero
        #expect(printed == "19/00000000001-P")
        input.nossoNumero = "1-p"
        #expect(try Boleto(input).nossoNumero == printed)
    }

    @Test("Agency and account with their DVs attached fill agency_dv and account_dv")
    func agencyAccount() throws {
        // Safra encodes both DVs in the free field; vector 422-p01 of the public set.
        let vector = try #require(Fixtures.generationVectors.first { $0.id.hasPrefix("422") })
        let input = vector.input
        var attached = input
        attached.agency = "\(input.agency!)-\(input.agencyDV!)"
        attached.agencyDV = nil
        attached.account = "\(input.account!)-\(input.accountDV!)"
        attached.accountDV = nil
        #expect(try Boleto(attached).barcode.description == vector.barcode)
        attached.accountDV = input.accountDV == "9" ? "8" : "9"
        do {
            _ = try Boleto(attached)
            Issue.record("conflicting DVs accepted")
        } catch {
            #expect(error.field == "account_dv")
        }
    }

    @Test("BB carteira with its variação attached")
    func walletVariation() throws {
        let vector = try #require(Fixtures.generationVectors.first { $0.id == "001-p05" })
        var input = vector.input
        input.wallet = "11-019"
        input.walletVariation = nil
        #expect(try Boleto(input).barcode.description == vector.barcode)
    }

    @Test("A layout without a nosso-número DV rejects an attached one")
    func noDVLayout() throws {
        let vector = try #require(Fixtures.generationVectors.first { $0.id == "001-p05" })
        var input = vector.input
        input.nossoNumero += "-1"
        do {
            _ = try Boleto(input)
            Issue.record("accepted")
        } catch {
            #expect(error.field == "nosso_numero")
        }
    }

    @Test("Sicredi nosso número as sequence, byte+sequence, year+byte+sequence, and with its DV")
    func sicredi() throws {
        let vector = try #require(Fixtures.generationVectors.first { $0.id == "748-p03" })
        let input = vector.input
        let expected = try Boleto(input)
        #expect(expected.barcode.description == vector.barcode)
        let printed = expected.nossoNumero  // AA/BSSSSS-D
        let digitsOnly = printed.filter(\.isNumber)
        for form in [String(digitsOnly.dropFirst(2).dropLast()), String(digitsOnly.dropLast()), digitsOnly,
                     String(digitsOnly.dropLast()) + "-" + String(digitsOnly.last!)] {
            var variant = input
            variant.nossoNumero = form
            #expect(try Boleto(variant) == expected, "\(form)")
        }
        var wrongDV = input
        wrongDV.nossoNumero = String(digitsOnly.dropLast()) + String((Int(String(digitsOnly.last!))! + 1) % 10)
        #expect(throws: BoletoError.self) { try Boleto(wrongDV) }
        var wrongYear = input
        wrongYear.nossoNumero = "00" + String(digitsOnly.dropFirst(2).dropLast())
        #expect(throws: BoletoError.self) { try Boleto(wrongYear) }
    }

    @Test("Caixa SINCO accepts the printed 18-digit nosso número starting with 9")
    func caixaSinco() throws {
        let base = BoletoInput(bank: "104", amountCents: 100, dueDate: nil, beneficiaryCode: "123456",
                               nossoNumero: "12345678901234567", extra: ["kind": "sinco"])
        var printedForm = base
        printedForm.nossoNumero = "912345678901234567"
        #expect(try Boleto(printedForm) == Boleto(base))
        #expect(try Boleto(base).barcode.freeField.description == "1123456912345678901234567")
    }
}

@Suite("Allocation-free outputs")
struct OutputTests {
    @Test("writeASCII writes what description shows, at the given offset", arguments: Fixtures.generationVectors.prefix(30))
    func ascii(_ vector: Fixtures.BarcodeVector) throws {
        let boleto = try Boleto(vector.input)
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 100, alignment: 1)
        defer { buffer.deallocate() }
        buffer.initializeMemory(as: UInt8.self, repeating: UInt8(ascii: "#"))
        let end = boleto.barcode.digits.writeASCII(to: buffer, at: 2)
        #expect(end == 46)
        let lineEnd = boleto.digitableLine.digits.writeASCII(to: buffer, at: end + 1)
        #expect(lineEnd == 94)
        let text = String(decoding: buffer, as: UTF8.self)
        #expect(text == "##" + vector.barcode + "#" + vector.digitableLine + "######")
    }

    @Test("PrintedText interpolation matches String interpolation")
    func printedText() {
        let digits = Digits("00075896452")!
        let printed: PrintedText = "\(Digits("06")!)/\(digits)-\(CheckDigit(letter: "P"))\(12)"
        #expect(printed.description == "06/00075896452-P12")
        #expect(printed.count == 18)
        let literal: PrintedText = "abc"
        #expect(literal.description == "abc")
        #expect(printed != literal)
    }
}
