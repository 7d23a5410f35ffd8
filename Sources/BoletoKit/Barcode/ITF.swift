/// The boleto's barcode symbol: Interleaved 2 of 5 (ITF) of the 44 digits, as the FEBRABAN barcode specification
/// asks for it.
///
/// - Each digit is five elements, two of them wide: 0 `NNWWN`, 1 `WNNNW`, 2 `NWNNW`, 3 `WWNNN`, 4 `NNWNW`,
///   5 `WNWNN`, 6 `NWWNN`, 7 `NNNWW`, 8 `WNNWN`, 9 `NWNWN`.
/// - Digits go in pairs: the first digit's elements are the bars and the second's the spaces between them.
/// - The start is `NNNN` (bar, space, bar, space) and the stop `WNN` (bar, space, bar).
/// - A wide element is ``wideRatio`` narrow modules. FEBRABAN allows 1:2.25 to 1:3; 3 is used, the most tolerant
///   for scanners.
/// - A quiet zone of ``quietZone`` narrow modules sits on each side.
///
/// For the 44 digits that is 405 modules of symbol. At the usual 0.254 mm narrow module it measures 102.9 mm, within
/// FEBRABAN's 103 mm by 13 mm box.
public struct ITFBarcode: Sendable, Hashable {
    /// A wide element's width in narrow modules.
    public static let wideRatio = 3
    /// The blank margin on each side, in narrow modules.
    public static let quietZone = 10

    /// The encoded digits.
    public let digits: String
    /// Every element from the first bar to the last, alternating bar and space: true for wide.
    public let elements: [Bool]

    static let patterns: [[Bool]] = ["NNWWN", "WNNNW", "NWNNW", "WWNNN", "NNWNW", "WNWNN", "NWWNN", "NNNWW", "WNNWN", "NWNWN"]
        .map { $0.map { $0 == "W" } }

    /// The symbol of `digits`: an even number of ASCII digits (a boleto's 44).
    public init(_ digits: String) throws(BoletoError) {
        let values = digits.utf8.map { Int($0) - 0x30 }
        guard !values.isEmpty, values.allSatisfy({ (0...9).contains($0) }) else {
            throw BoletoError(.invalidCharacters, field: "barcode", "An ITF barcode encodes digits only.")
        }
        guard values.count % 2 == 0 else {
            throw BoletoError(.invalidLength, field: "barcode", "An ITF barcode encodes an even number of digits.")
        }
        var elements = [false, false, false, false]
        for pair in stride(from: 0, to: values.count, by: 2) {
            for index in 0..<5 {
                elements.append(Self.patterns[values[pair]][index])
                elements.append(Self.patterns[values[pair + 1]][index])
            }
        }
        elements += [true, false, false]
        self.digits = digits
        self.elements = elements
    }

    /// The symbol of a boleto's barcode.
    public init(_ barcode: Barcode) {
        // A Barcode is always 44 digits.
        self = try! ITFBarcode(barcode.description)
    }

    /// The width with both quiet zones, in narrow modules.
    public var totalModules: Int {
        elements.reduce(2 * Self.quietZone) { $0 + ($1 ? Self.wideRatio : 1) }
    }

    /// The bars, as offsets and widths in narrow modules from the left edge (quiet zone included): what a PDF page
    /// fills as rectangles and an SVG draws as `rect`s.
    public var bars: [(x: Int, width: Int)] {
        var result: [(x: Int, width: Int)] = []
        var x = Self.quietZone
        for (index, wide) in elements.enumerated() {
            let width = wide ? Self.wideRatio : 1
            if index % 2 == 0 { result.append((x, width)) }
            x += width
        }
        return result
    }

    /// PDF content-stream operators that fill the bars: one `x y w h re` per bar and a final `f`, in points,
    /// with the symbol's left edge (quiet zone included) at `x` and its bottom at `y`. A PDF writer can append them
    /// to a page's content as they are.
    public func pdfOperators(x: Double = 0, y: Double = 0, module: Double = 0.72, height: Double = 36.85) -> String {
        func number(_ value: Double) -> String {
            let rounded = (value * 1000).rounded() / 1000
            return rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        }
        let rects = bars.map { "\(number(x + Double($0.x) * module)) \(number(y)) \(number(Double($0.width) * module)) \(number(height)) re" }
        return (["0 g"] + rects + ["f"]).joined(separator: "\n")
    }

    /// An SVG image of the symbol: `module` user units per narrow module, `height` units tall, black bars on white.
    public func svg(module: Double = 1, height: Double = 50) -> String {
        func number(_ value: Double) -> String {
            value == value.rounded() ? String(Int(value)) : String(value)
        }
        let width = Double(totalModules) * module
        var svg = #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(number(width)) \#(number(height))" "#
            + #"width="\#(number(width))" height="\#(number(height))" shape-rendering="crispEdges" role="img" "#
            + #"aria-label="\#(digits)"><rect width="100%" height="100%" fill="white"/>"#
        for bar in bars {
            svg += #"<rect x="\#(number(Double(bar.x) * module))" width="\#(number(Double(bar.width) * module))" "#
                + #"height="\#(number(height))"/>"#
        }
        return svg + "</svg>"
    }
}
