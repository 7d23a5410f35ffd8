import Foundation

/// The public barcode vectors that BoletoKitTests carries (Tests/BoletoKitTests/Fixtures, sources and licences in
/// its SOURCES.md), read from the source tree: the rendered boletos print these digits.
enum Fixtures {
    struct BarcodeVector: Sendable {
        let id: String
        let barcode: String
        let digitableLine: String
        let nossoNumero: String?
    }

    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("BoletoKitTests/Fixtures")

    /// The vectors that follow their bank's layout (not marked doubtful).
    static let generationVectors: [BarcodeVector] = {
        guard let data = try? Data(contentsOf: directory.appendingPathComponent("barcodes.jsonl")) else {
            fatalError("missing fixture barcodes.jsonl in \(directory.path)")
        }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").compactMap { line in
            let object = try! JSONSerialization.jsonObject(with: Data(line.utf8)) as! [String: Any]
            guard object["doubtful"] as? Bool == false else { return nil }
            let expected = object["expected"] as! [String: Any]
            return BarcodeVector(id: object["id"] as! String, barcode: expected["barcode"] as! String,
                                 digitableLine: expected["digitable_line"] as! String,
                                 nossoNumero: expected["nosso_numero"] as? String)
        }
    }()
}
