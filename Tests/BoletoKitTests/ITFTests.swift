import BoletoKit
import Foundation
import Testing

/// The ITF symbol, checked by decoding it back the way a scanner does: from bar and space widths alone.
@Suite("ITF barcode")
struct ITFTests {
    /// Reads digits from run widths (bars and spaces alternating, starting with a bar), the reverse of the encoder,
    /// written from the symbology's definition: a digit's five elements carry weights 1 2 4 7 0, two of them wide.
    static func decode(_ widths: [Int]) -> String? {
        guard widths.count >= 7, widths.prefix(4).allSatisfy({ $0 == 1 }), widths.suffix(3) == [3, 1, 1] else { return nil }
        let body = Array(widths.dropFirst(4).dropLast(3))
        guard body.count % 10 == 0 else { return nil }
        func digit(_ five: [Int]) -> Character? {
            guard five.filter({ $0 == 3 }).count == 2, five.allSatisfy({ $0 == 1 || $0 == 3 }) else { return nil }
            let sum = zip(five, [1, 2, 4, 7, 0]).reduce(0) { $0 + ($1.0 == 3 ? $1.1 : 0) }
            let value = sum == 11 ? 0 : sum
            return value <= 9 ? Character(String(value)) : nil
        }
        var digits = ""
        for pair in stride(from: 0, to: body.count, by: 10) {
            let chunk = Array(body[pair..<pair + 10])
            guard let first = digit(stride(from: 0, to: 10, by: 2).map { chunk[$0] }),
                  let second = digit(stride(from: 1, to: 10, by: 2).map { chunk[$0] }) else { return nil }
            digits.append(first)
            digits.append(second)
        }
        return digits
    }

    @Test("every barcode vector encodes to a symbol that decodes back to its 44 digits", arguments: Fixtures.barcodeVectors)
    func roundTrip(_ vector: Fixtures.BarcodeVector) throws {
        let symbol = try ITFBarcode(vector.barcode)
        #expect(Self.decode(symbol.elements.map { $0 ? ITFBarcode.wideRatio : 1 }) == vector.barcode)
        #expect(symbol.elements.count == 4 + 44 * 5 + 3)
        #expect(symbol.totalModules == 405 + 2 * ITFBarcode.quietZone)
    }

    @Test("bars: quiet zones, alternation and widths; the SVG draws exactly them")
    func geometry() throws {
        let symbol = try ITFBarcode("23796556100002952951172060007589645204030050")
        let bars = symbol.bars
        #expect(bars.first?.x == ITFBarcode.quietZone)
        let last = try #require(bars.last)
        #expect(last.x + last.width == symbol.totalModules - ITFBarcode.quietZone)
        #expect(bars.count == (symbol.elements.count + 1) / 2)
        for (a, b) in zip(bars, bars.dropFirst()) { #expect(b.x > a.x + a.width, "a space between bars") }
        let svg = symbol.svg(module: 2, height: 100)
        #expect(svg.components(separatedBy: "<rect x=").count - 1 == bars.count)
        #expect(svg.contains(#"viewBox="0 0 \#(symbol.totalModules * 2) 100""#))
        #expect(svg.contains(#"<rect x="\#(bars[1].x * 2)" width="\#(bars[1].width * 2)""#))
    }

    @Test("PDF operators: one rectangle per bar at the module width, then a fill")
    func pdfOperators() throws {
        let symbol = try ITFBarcode("23796556100002952951172060007589645204030050")
        let lines = symbol.pdfOperators(x: 10, y: 20, module: 1, height: 30).split(separator: "\n").map(String.init)
        #expect(lines.first == "0 g")
        #expect(lines.last == "f")
        #expect(lines.count == symbol.bars.count + 2)
        #expect(lines[1] == "\(10 + symbol.bars[0].x) 20 \(symbol.bars[0].width) 30 re")
        let widths = lines.dropFirst().dropLast().map { Int($0.split(separator: " ")[2])! }
        #expect(widths == symbol.bars.map(\.width))
    }

    @Test("odd lengths and non-digits are refused")
    func refused() {
        #expect(throws: BoletoError.self) { try ITFBarcode("123") }
        #expect(throws: BoletoError.self) { try ITFBarcode("12a4") }
        #expect(throws: BoletoError.self) { try ITFBarcode("") }
    }
}
