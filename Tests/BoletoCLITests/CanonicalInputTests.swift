import BoletoCLI
import BoletoJSON
import Foundation
import Testing

/// The CLI's reader of the canonical input (SCHEMA.md §2) on every public vector: `boleto barcode --jsonl` must print
/// each vector's barcode, line and nosso número. The vectors are BoletoKitTests' (Tests/BoletoKitTests/Fixtures, with
/// their sources), read from the source tree.
@Suite("CLI: canonical input on the public vectors")
struct CanonicalInputTests {
    struct Vector: CustomTestStringConvertible, Sendable {
        let id: String
        let line: String
        let expected: [String: String]
        var testDescription: String { id }
    }

    static let vectors: [Vector] = {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("BoletoKitTests/Fixtures/barcodes.jsonl")
        let text = String(decoding: (try? Data(contentsOf: file)) ?? Data(), as: UTF8.self)
        return text.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  object["doubtful"] as? Bool == false, let input = object["input"],
                  let data = try? JSONSerialization.data(withJSONObject: input) else { return nil }
            return Vector(id: object["id"] as! String, line: String(decoding: data, as: UTF8.self),
                          expected: (object["expected"] as! [String: Any]).compactMapValues { $0 as? String })
        }
    }()

    @Test("all 97 layout-conforming vectors of barcodes.jsonl are read")
    func present() { #expect(Self.vectors.count == 97) }

    @Test("every layout-conforming vector, read as canonical JSON, prints its barcode, line and nosso número",
          arguments: vectors)
    func vector(_ vector: Vector) {
        let (json, ok) = Reports.barcode(line: vector.line)
        #expect(ok)
        #expect(json["barcode"] == .string(vector.expected["barcode"] ?? ""))
        #expect(json["digitable_line"] == .string(vector.expected["digitable_line"] ?? ""))
        if let nossoNumero = vector.expected["nosso_numero"] { #expect(json["nosso_numero"] == .string(nossoNumero)) }
    }
}
