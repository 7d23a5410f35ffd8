import BoletoJSON
import BoletoCLI
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
        let inputJSON: String
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
                               expected: object["expected"] as! [String: String])
        }
    }()
}
