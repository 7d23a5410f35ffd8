import BoletoKit
import Foundation
import Testing

/// The copied public vectors (see Fixtures/SOURCES.md).
enum Fixtures {
    static func data(_ name: String, _ ext: String) -> Data {
        guard let url = Bundle.module.url(forResource: name, withExtension: ext, subdirectory: "Fixtures"),
              let data = try? Data(contentsOf: url) else {
            fatalError("missing fixture \(name).\(ext)")
        }
        return data
    }

    static func json(_ name: String) -> [String: Any] {
        try! JSONSerialization.jsonObject(with: data(name, "json")) as! [String: Any]
    }

    struct BarcodeVector: CustomTestStringConvertible, Sendable {
        let id: String
        /// The vector's canonical input (SCHEMA.md §2), as the JSON text the CLI reads.
        let inputJSON: String
        let input: BoletoInput
        let barcode: String
        let digitableLine: String
        let nossoNumero: String?
        let doubtful: Bool
        var testDescription: String { id }
    }

    static let barcodeVectors: [BarcodeVector] = {
        let text = String(decoding: data("barcodes", "jsonl"), as: UTF8.self)
        return text.split(separator: "\n").map { line in
            let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let expected = object["expected"] as! [String: Any]
            let input = try! JSONSerialization.data(withJSONObject: object["input"]!)
            return BarcodeVector(id: object["id"] as! String, inputJSON: String(decoding: input, as: UTF8.self),
                                 input: canonicalInput(object["input"] as! [String: Any]),
                                 barcode: expected["barcode"] as! String,
                                 digitableLine: expected["digitable_line"] as! String,
                                 nossoNumero: expected["nosso_numero"] as? String,
                                 doubtful: object["doubtful"] as! Bool)
        }
    }()

    static let generationVectors = barcodeVectors.filter { !$0.doubtful }

    /// Vectors gathered from more public libraries' test suites (Fixtures/extra-vectors.jsonl): each asserts some
    /// of barcode, digitable line, printed nosso número and free field.
    struct ExtraVector: CustomTestStringConvertible, Sendable {
        let id: String
        let source: String
        let inputJSON: String
        let input: BoletoInput
        let expected: [String: String]
        var testDescription: String { id }
    }

    static let extraVectors: [ExtraVector] = {
        let text = String(decoding: data("extra-vectors", "jsonl"), as: UTF8.self)
        return text.split(separator: "\n").map { line in
            let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            let input = try! JSONSerialization.data(withJSONObject: object["input"]!)
            return ExtraVector(id: object["id"] as! String, source: object["source"] as! String,
                               inputJSON: String(decoding: input, as: UTF8.self),
                               input: canonicalInput(object["input"] as! [String: Any]),
                               expected: object["expected"] as! [String: String])
        }
    }()

    /// The vectors' canonical input objects (SCHEMA.md §2) as ``BoletoInput``: a plain mapping of the schema's
    /// fields, so that the domain's tests do not go through the CLI's reader (whose own strictness BoletoCLITests
    /// checks on the same vectors). Identifiers may be strings or integers.
    static func canonicalInput(_ object: [String: Any]) -> BoletoInput {
        func text(_ key: String, in dictionary: [String: Any] = object) -> String? {
            switch dictionary[key] {
            case let value as String: value
            case let value as NSNumber: value.stringValue
            default: nil
            }
        }
        var bank = text("bank")!
        if bank.count < 3 { bank = String(repeating: "0", count: 3 - bank.count) + bank }
        let extra = (object["extra"] as? [String: Any]) ?? [:]
        return BoletoInput(bank: bank, amountCents: (object["amount_cents"] as! NSNumber).int64Value,
                           dueDate: (object["due_date"] as? String).flatMap(CalendarDate.init(iso:)),
                           agency: text("agency"), agencyDV: text("agency_dv"), account: text("account"),
                           accountDV: text("account_dv"), beneficiaryCode: text("beneficiary_code"), wallet: text("wallet"),
                           walletVariation: text("wallet_variation"), nossoNumero: text("nosso_numero")!,
                           extra: Dictionary(uniqueKeysWithValues: extra.keys.compactMap { key in
                               text(key, in: extra).map { (key, $0) }
                           }))
    }
}
