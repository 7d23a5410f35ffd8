import BoletoKit
import Foundation
import Testing

@Suite("Public vectors")
struct VectorTests {
    @Test("Every layout-conforming vector generates its barcode, line and nosso número",
          arguments: Fixtures.generationVectors)
    func generation(_ vector: Fixtures.BarcodeVector) throws {
        let input = vector.input
        let boleto = try Boleto(input)
        #expect(boleto.barcode.description == vector.barcode)
        #expect(boleto.digitableLine.description == vector.digitableLine)
        if let nossoNumero = vector.nossoNumero {
            #expect(boleto.nossoNumero == nossoNumero)
        }
    }

    @Test("Every vector's barcode and line parse, and each gives back the other", arguments: Fixtures.barcodeVectors)
    func parsing(_ vector: Fixtures.BarcodeVector) throws {
        guard case .bank(let fromLine) = try BoletoParser.parse(vector.digitableLine),
              case .bank(let fromBarcode) = try BoletoParser.parse(vector.barcode) else {
            Issue.record("parsed as arrecadação")
            return
        }
        #expect(fromLine.barcode.description == vector.barcode)
        #expect(fromBarcode.digitableLine.description == vector.digitableLine)
        #expect(fromLine.bankCode == String(vector.barcode.prefix(3)))
    }

    @Test("Vectors from more public test suites", arguments: Fixtures.extraVectors)
    func extra(_ vector: Fixtures.ExtraVector) throws {
        let boleto = try Boleto(vector.input)
        #expect(!vector.expected.isEmpty)
        if let barcode = vector.expected["barcode"] { #expect(boleto.barcode.description == barcode) }
        if let line = vector.expected["digitable_line"] { #expect(boleto.digitableLine.description == line) }
        if let nossoNumero = vector.expected["nosso_numero"] { #expect(boleto.nossoNumero == nossoNumero) }
        if let freeField = vector.expected["free_field"] { #expect(boleto.barcode.freeField.description == freeField) }
    }

    @Test("The 109 vectors cover all 23 banks")
    func coverage() {
        let banks = Set(Fixtures.generationVectors.map { String($0.barcode.prefix(3)) })
        #expect(banks == Set(Banks.all.map(\.code)))
        #expect(Banks.all.count == 23)
    }

    @Test("Due-date factors, including the 2025 reset")
    func factors() throws {
        let vectors = Fixtures.json("factors")["vectors"] as! [[String: Any]]
        #expect(vectors.count >= 10)
        for vector in vectors {
            let date = try #require(CalendarDate(iso: vector["due_date"] as! String))
            let factor = Int(vector["factor"] as! String)!
            if factor >= 1000 {
                #expect(try DueDateFactor.factor(for: date) == factor, "\(date)")
            } else {
                // Legacy arithmetic only: such dates are outside what a boleto can encode.
                #expect(throws: BoletoError.self) { try DueDateFactor.factor(for: date) }
            }
            #expect(DueDateFactor.candidates(for: factor).contains(date), "\(date)")
            #expect(DueDateFactor.date(for: factor, reference: date) == date, "\(date)")
        }
    }

    @Test("Valid lines and barcodes decode to the expected fields")
    func validParseVectors() throws {
        let root = Fixtures.json("parse")
        let bank = root["bank_boletos"] as! [[String: Any]]
        let arrecadacao = root["arrecadacao"] as! [[String: Any]]
        #expect(bank.count + arrecadacao.count >= 15)
        for entry in bank {
            let expected = entry["expected"] as! [String: Any]
            guard case .bank(let boleto) = try BoletoParser.parse(entry["input"] as! String) else {
                Issue.record("not a bank boleto")
                continue
            }
            #expect(boleto.barcode.description == expected["barcode"] as? String)
            #expect(boleto.digitableLine.description == expected["digitable_line"] as? String)
            #expect(boleto.bankCode == expected["bank"] as? String)
            #expect(boleto.bankName == expected["bank_name"] as? String)
            #expect(boleto.amountCents == Int64(expected["amount_cents"] as! Int))
            #expect(boleto.barcode.freeField.description == expected["free_field"] as? String)
            #expect(String(boleto.barcode.generalDV) == expected["general_dv"] as? String)
            #expect(boleto.dueDateCandidates.map(\.description) == expected["due_date_candidates"] as! [String])
            if let due = expected["due_date_expected"] as? String {
                // Seen from the expected date itself, the window must pick it.
                let date = CalendarDate(iso: due)!
                #expect(boleto.dueDate(reference: date) == date)
            }
        }
        for entry in arrecadacao {
            let expected = entry["expected"] as! [String: Any]
            guard case .arrecadacao(let slip) = try BoletoParser.parse(entry["input"] as! String) else {
                Issue.record("not an arrecadação slip")
                continue
            }
            #expect(slip.barcode.description == expected["barcode"] as? String)
            #expect(slip.digitableLine.description == expected["digitable_line"] as? String)
            #expect(String(slip.segment) == expected["segment"] as? String)
            #expect(slip.segmentName == expected["segment_name"] as? String)
            #expect(slip.modulo == expected["modulo"] as? Int)
            #expect(slip.amountCents == Int64(expected["amount_cents"] as! Int))
            #expect(slip.valueField.description == expected["value_field"] as? String)
            #expect(slip.companyID.description == expected["company_id"] as? String)
            #expect(slip.freeField.description == expected["free_field"] as? String)
            // The 48-digit line and the barcode parse to the same slip.
            #expect(try BoletoParser.parse(slip.barcode.description) == .arrecadacao(slip))
        }
    }

    @Test("Invalid inputs are rejected")
    func invalidParseVectors() {
        let invalid = Fixtures.json("parse")["invalid"] as! [[String: Any]]
        #expect(invalid.count >= 10)
        for entry in invalid {
            let input = entry["input"] as! String
            #expect(throws: BoletoError.self, "\(entry["reason"]!)") { try BoletoParser.parse(input) }
        }
    }

    @Test("CPF and CNPJ vectors, including the alphanumeric CNPJ")
    func documents() throws {
        let root = Fixtures.json("documents")
        let all = (root["cpf"] as! [[String: Any]]) + (root["cnpj"] as! [[String: Any]])
        #expect(all.count >= 35)
        for entry in all {
            let value = entry["value"] as! String
            #expect(Document.isValid(value) == (entry["valid"] as! Bool), "\(entry["reason"]!)")
        }
        for entry in root["cnpj_check_digit_calculation"] as! [[String: Any]] {
            #expect(throws: BoletoError.self) { try Document.checkDigits(base: entry["base"] as! String) }
        }
        for entry in root["lenient_input_policy_examples"] as! [[String: Any]] {
            let document = try Document(entry["value"] as! String)
            #expect(document.value == entry["normalised"] as! String)
        }
    }
}
