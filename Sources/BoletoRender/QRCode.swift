import CQRencode

/// A QR code symbol, encoded by libqrencode: the module matrix, drawn by the HTML (SVG) and PDF renderers.
public struct QRCode: Sendable, Hashable {
    /// Modules per side.
    public let size: Int
    /// Row-major, `true` for dark.
    public let modules: [Bool]
    /// The quiet zone each side, in modules (ISO/IEC 18004 asks for 4).
    public static let quietZone = 4

    /// The symbol of `text`, in byte mode with error correction level M (the level PIX apps print).
    public init(_ text: String) throws(RenderError) {
        guard let code = QRcode_encodeString8bit(text, 0, QR_ECLEVEL_M) else {
            throw RenderError("The text does not fit a QR code.")
        }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        size = width
        modules = (0..<width * width).map { code.pointee.data[$0] & 1 == 1 }
    }

    /// Whether the module at column `x`, row `y` is dark.
    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    /// An SVG image: `module` user units per module, quiet zone included.
    public func svg(module: Double = 4) -> String {
        let side = Double(size + 2 * Self.quietZone) * module
        func number(_ value: Double) -> String { value == value.rounded() ? String(Int(value)) : String(value) }
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else { x += 1; continue }
                var run = 1
                while x + run < size && isDark(x: x + run, y: y) { run += 1 }
                path += "M\(x + Self.quietZone) \(y + Self.quietZone)h\(run)v1h-\(run)z"
                x += run
            }
        }
        return #"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \#(size + 2 * Self.quietZone) \#(size + 2 * Self.quietZone)" "#
            + #"width="\#(number(side))" height="\#(number(side))" shape-rendering="crispEdges" role="img" aria-label="QR code PIX">"#
            + #"<rect width="100%" height="100%" fill="white"/><path d="\#(path)"/></svg>"#
    }
}
