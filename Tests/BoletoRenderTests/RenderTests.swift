import BoletoKit
import BoletoRender
import Foundation
import Testing

/// The printable boleto. The unit checks cover the sheet's texts, HTML escaping and the PDF's shape. The real-world
/// check is the one that matters: the PDF is rasterised (pdftoppm), and the HTML is rendered by headless Chromium to
/// PNG and to PDF. zbarimg must then read back the ITF as the 44 digits and the QR as the BR Code. This runs for four
/// banks, and for amounts and names at their maximum lengths. scripts/test.sh installs the tools; under CI=true a
/// missing one fails the test.
@Suite("Rendering: HTML and PDF boletos")
struct RenderTests {
    static func sheet(_ vector: Fixtures.BarcodeVector, payer: String = "Maria Joaquina da Silva", pix: String? = nil) -> BoletoSheet {
        BoletoSheet(bank: String(vector.barcode.prefix(3)), barcode: vector.barcode, digitableLine: vector.digitableLine,
                    dueDate: CalendarDate(year: 2027, month: 1, day: 15)!, amountCents: Int64(vector.barcode.dropFirst(9).prefix(10))!,
                    beneficiaryName: "Loja Exemplo Ltda", beneficiaryDocument: "11.222.333/0001-81", agencyCode: "3381 / 0009721",
                    nossoNumero: vector.nossoNumero ?? "1", documentNumber: "42", documentDate: CalendarDate(year: 2026, month: 12, day: 2)!,
                    wallet: "09", instructions: ["Não receber após o vencimento."], payerName: payer,
                    payerDocument: "111.444.777-35", payerAddress: ["Rua Fidêncio Ramos, 308", "04551-010 São Paulo - SP"],
                    pixPayload: pix)
    }

    /// One vector per bank, plus a Bradesco boleto at the largest amount with the longest names and a PIX code at its
    /// limits.
    static let cases: [(String, BoletoSheet)] = {
        var cases: [(String, BoletoSheet)] = []
        for bank in ["237", "104", "001", "341"] {
            let vector = Fixtures.generationVectors.first { $0.barcode.hasPrefix(bank) }!
            cases.append((vector.id, sheet(vector)))
        }
        let boleto = try! Boleto(BoletoInput(bank: "237", amountCents: 9_999_999_999, dueDate: CalendarDate(year: 2027, month: 1, day: 15)!,
                                             agency: "3381", account: "0009721", wallet: "09", nossoNumero: "99999999999"))
        let pix = try! PixBRCode(key: "pagamentos-longos@empresa-exemplo.com.br", name: String(repeating: "N", count: 25),
                                 city: String(repeating: "C", count: 15), amountCents: 9_999_999_999, txid: String(repeating: "T", count: 25))
        var longest = BoletoSheet(
            bank: "237", barcode: boleto.barcode.description, digitableLine: boleto.digitableLine.formatted,
            dueDate: boleto.dueDate!, amountCents: 9_999_999_999, beneficiaryName: String(repeating: "Beneficiário Longo ", count: 6),
            agencyCode: "3381 / 0009721", nossoNumero: boleto.nossoNumero, documentNumber: "9999999999",
            documentDate: CalendarDate(year: 2026, month: 12, day: 2)!, wallet: "09",
            instructions: Array(repeating: String(repeating: "Instrução longa ", count: 8), count: 7),
            payerName: String(repeating: "Pagadora Com Nome Muito Longo ", count: 4), payerDocument: "12.ABC.345/01DE-35",
            payerAddress: [String(repeating: "Avenida Extensa ", count: 6)], pixPayload: pix.payload)
        longest.guarantor = "Sacador Avalista Ltda"
        cases.append(("237-max", longest))
        return cases
    }()

    struct Case: Sendable, CustomTestStringConvertible {
        let id: String
        let sheet: BoletoSheet
        var testDescription: String { id }
    }

    static var arguments: [Case] { cases.map { Case(id: $0.0, sheet: $0.1) } }

    @Test("the bank code's check digit as fichas print it")
    func bankCodes() {
        func code(_ bank: String) -> String { Self.sheet(Fixtures.generationVectors[0]).with(bank: bank).bankCodeWithDigit }
        #expect(["001", "033", "104", "237", "341", "748", "756", "085", "077", "041"].map(code)
                == ["001-9", "033-7", "104-0", "237-2", "341-7", "748-X", "756-0", "085-X", "077-9", "041-8"])
        #expect(Self.sheet(Fixtures.generationVectors[0]).with(amount: 123_456_789).amountText == "R$ 1.234.567,89")
        #expect(Self.sheet(Fixtures.generationVectors[0]).with(amount: 5).amountText == "R$ 0,05")
    }

    @Test("HTML: every field, the barcode and QR inline, nothing fetched, text escaped")
    func html() throws {
        let vector = Fixtures.generationVectors.first { $0.barcode.hasPrefix("237") }!
        let pix = try PixBRCode(key: "11222333000181", name: "Loja", city: "Recife", amountCents: 100).payload
        let html = try BoletoHTML.render(Self.sheet(vector, payer: "<script>alert(1)</script> & Cia", pix: pix))
        #expect(html.contains(vector.digitableLine))
        #expect(html.contains("237-2"))
        #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt; &amp; Cia"))
        #expect(!html.contains("<script>"))
        #expect(html.contains(try ITFBarcode(vector.barcode).svg(module: 1, height: 50)))
        #expect(html.contains(pix))
        #expect(html.contains("@page { size: A4"))
        #expect(!html.contains("http://") || html.components(separatedBy: "http://").count - 1 == html.components(separatedBy: "http://www.w3.org/2000/svg").count - 1,
                "the only URLs are SVG namespaces")
        #expect(!html.contains("<link") && !html.contains("src="))
        // Text stored before control characters were refused is still printed as text.
        let controls = try BoletoHTML.render(Self.sheet(vector, payer: "Maria\u{0000}Silva\u{202E}x"))
        #expect(controls.contains("Maria Silvax"))
        #expect(!controls.unicodeScalars.contains { $0.value == 0 || $0.value == 0x202E })
        let plain = try BoletoHTML.render(Self.sheet(vector))
        #expect(!plain.contains("Pague com PIX"))
    }

    @Test("PDF: one A4 page, text in WinAnsi, no embedded font")
    func pdf() throws {
        let bytes = try BoletoPDF.render(Self.cases[0].1)
        #expect(bytes.starts(with: Array("%PDF-".utf8)))
        #expect(String(decoding: bytes.suffix(8), as: UTF8.self).contains("%%EOF"))
        #expect(throws: RenderError.self) { try BoletoPDF.render(Self.cases[0].1.with(barcode: "123")) }
    }

}

/// The rendered boleto read back by real decoders (see ``RenderTests``). A suite of its own: scripts/test.sh runs it
/// after the rest, because Chromium on a 2-core machine starves the timing-sensitive service tests.
@Suite("Rendering: the PDF and Chromium's rendering read back by zbarimg", .serialized)
struct RenderScanTests {
    typealias Case = RenderTests.Case
    static var arguments: [Case] { RenderTests.arguments }

    // MARK: Real decoders

    static var isCI: Bool { ProcessInfo.processInfo.environment["CI"] == "true" }

    static func tool(_ name: String) -> String? {
        for directory in ["/usr/bin", "/usr/local/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: directory + "/" + name) {
            return directory + "/" + name
        }
        return nil
    }

    @discardableResult
    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    /// What zbarimg reads in `png`: the ITF digits and the QR text.
    static func decode(_ png: String) throws -> (itf: [String], qr: [String]) {
        let lines = try run(tool("zbarimg")!, ["-q", png]).split(separator: "\n").map(String.init)
        return (lines.filter { $0.hasPrefix("I2/5:") }.map { String($0.dropFirst(5)) },
                lines.filter { $0.hasPrefix("QR-Code:") }.map { String($0.dropFirst(8)) })
    }

    /// The tools, or nil (a recorded failure under CI) when one is missing.
    static func tools(_ names: [String]) -> Bool {
        let missing = names.filter { tool($0) == nil }
        guard missing.isEmpty else {
            if isCI { Issue.record("missing \(missing.joined(separator: ", ")): scripts/test.sh installs poppler-utils, zbar-tools and chromium") }
            return false
        }
        return true
    }

    static func directory() throws -> String {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("boleto-render-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    @Test("the PDF, rasterised by pdftoppm: zbarimg reads the 44 digits and the BR Code", arguments: arguments)
    func pdfScans(_ item: Case) throws {
        guard Self.tools(["pdftoppm", "zbarimg"]) else { return }
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        try Data(try BoletoPDF.render(item.sheet)).write(to: URL(fileURLWithPath: dir + "/boleto.pdf"))
        try Self.run(Self.tool("pdftoppm")!, ["-r", "200", "-png", dir + "/boleto.pdf", dir + "/page"])
        let read = try Self.decode(dir + "/page-1.png")
        #expect(read.itf == [item.sheet.barcode])
        #expect(read.qr == (item.sheet.pixPayload.map { [$0] } ?? []))
    }

    @Test("the HTML, rendered by headless Chromium to PNG and to PDF: zbarimg reads both codes", arguments: arguments)
    func htmlScans(_ item: Case) throws {
        guard Self.tools(["chromium", "pdftoppm", "zbarimg"]) else { return }
        let dir = try Self.directory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let page = dir + "/boleto.html"
        try Data(try BoletoHTML.render(item.sheet).utf8).write(to: URL(fileURLWithPath: page))
        let chromium = Self.tool("chromium")!
        let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + dir + "/profile"]
        try Self.run(chromium, common + ["--force-device-scale-factor=3", "--window-size=800,1200", "--screenshot=" + dir + "/shot.png",
                                         "file://" + page])
        let shot = try Self.decode(dir + "/shot.png")
        #expect(shot.itf == [item.sheet.barcode])
        #expect(shot.qr == (item.sheet.pixPayload.map { [$0] } ?? []))
        try Self.run(chromium, common + ["--no-pdf-header-footer", "--print-to-pdf=" + dir + "/printed.pdf", "file://" + page])
        try Self.run(Self.tool("pdftoppm")!, ["-r", "200", "-png", "-f", "1", "-l", "1", dir + "/printed.pdf", dir + "/printed"])
        let printed = try Self.decode(dir + "/printed-1.png")
        #expect(printed.itf == [item.sheet.barcode])
        #expect(printed.qr == (item.sheet.pixPayload.map { [$0] } ?? []))
    }
}

extension BoletoSheet {
    func with(bank: String? = nil, amount: Int64? = nil, barcode: String? = nil) -> BoletoSheet {
        var copy = self
        if let bank { copy.bank = bank }
        if let amount { copy.amountCents = amount }
        if let barcode { copy.barcode = barcode }
        return copy
    }
}
