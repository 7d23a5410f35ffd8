import BoletoKit
import CHaru
import Foundation

/// The boleto as a one-page A4 PDF, drawn natively with libharu: the recibo do pagador, a cut line, and the ficha de
/// compensação. The ITF bars are filled rectangles at 0.72 pt (0.254 mm) per narrow module, 103 mm by 13 mm, and
/// the PIX QR is filled modules of 2 pt. Text uses the PDF's built-in Helvetica in WinAnsi encoding, so Portuguese
/// accents print and no font file is embedded.
public enum BoletoPDF {
    /// A narrow ITF module, in points.
    static let module: Float = 0.72
    static let margin: Float = 28
    static let width: Float = 595.28 - 2 * 28

    /// The PDF bytes of `sheet`.
    public static func render(_ sheet: BoletoSheet) throws(RenderError) -> [UInt8] {
        let barcode: ITFBarcode
        do { barcode = try ITFBarcode(sheet.barcode) } catch { throw RenderError("The barcode is not 44 digits.") }
        let qr = try sheet.pixPayload.map { payload throws(RenderError) in try QRCode(payload) }
        guard let pdf = HPDF_New(nil, nil) else { throw RenderError("libharu could not create a document.") }
        defer { HPDF_Free(pdf) }
        HPDF_SetCompressionMode(pdf, UInt32(HPDF_COMP_ALL))
        guard let page = HPDF_AddPage(pdf) else { throw RenderError("libharu could not add a page.") }
        HPDF_Page_SetSize(page, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT)
        let (regular, bold) = try fonts(pdf)
        let canvas = Canvas(page: page, regular: regular, bold: bold)
        let top = HPDF_Page_GetHeight(page) - margin

        // Recibo do pagador.
        var y = top
        canvas.text("Recibo do Pagador", x: margin + width, y: y - 8, size: 8, alignRight: true)
        y -= 12
        y = header(canvas, sheet, y: y)
        y = row(canvas, y: y, [("Beneficiário", beneficiary(sheet), 0.75), ("Vencimento", BoletoSheet.text(sheet.dueDate), 0.25)])
        y = row(canvas, y: y, [("Agência / Código do beneficiário", sheet.agencyCode, 0.3), ("Nosso número", sheet.nossoNumero, 0.25),
                               ("Nº do documento", sheet.documentNumber, 0.2), ("(=) Valor do documento", sheet.amountText, 0.25)])
        y = row(canvas, y: y, [("Pagador", payer(sheet), 1)])

        // Cut line.
        y -= 14
        canvas.cutLine(y: y)
        canvas.text("Corte na linha pontilhada", x: margin + width, y: y - 7, size: 5, alignRight: true)
        y -= 14

        // Ficha de compensação.
        y = header(canvas, sheet, y: y)
        y = row(canvas, y: y, [("Local de pagamento", sheet.paymentPlace, 0.75), ("Vencimento", BoletoSheet.text(sheet.dueDate), 0.25)],
                boldLast: true)
        y = row(canvas, y: y, [("Beneficiário", beneficiary(sheet), 0.75), ("Agência / Código do beneficiário", sheet.agencyCode, 0.25)])
        y = row(canvas, y: y, [("Data do documento", BoletoSheet.text(sheet.documentDate), 0.15), ("Nº do documento", sheet.documentNumber, 0.2),
                               ("Espécie doc.", sheet.documentSpecies, 0.1), ("Aceite", sheet.acceptance, 0.08),
                               ("Data do processamento", BoletoSheet.text(sheet.documentDate), 0.22), ("Nosso número", sheet.nossoNumero, 0.25)])
        y = row(canvas, y: y, [("Uso do banco", "", 0.15), ("Carteira", sheet.wallet, 0.12), ("Espécie", "R$", 0.1),
                               ("Quantidade", "", 0.18), ("Valor", "", 0.2), ("(=) Valor do documento", sheet.amountText, 0.25)], boldLast: true)
        // Instructions on the left, the value boxes on the right.
        let boxHeight: Float = 21
        let left = width * 0.75
        canvas.rectangle(x: margin, y: y - 4 * boxHeight, width: left, height: 4 * boxHeight)
        canvas.text("Instruções (texto de responsabilidade do beneficiário)", x: margin + 2, y: y - 7, size: 5)
        for (index, instruction) in sheet.instructions.prefix(7).enumerated() {
            canvas.text(instruction, x: margin + 2, y: y - 18 - Float(index) * 10, size: 8, maxWidth: left - 4)
        }
        for (index, label) in ["(-) Desconto / Abatimento", "(+) Mora / Multa", "(+) Outros acréscimos", "(=) Valor cobrado"].enumerated() {
            let boxY = y - Float(index + 1) * boxHeight
            canvas.rectangle(x: margin + left, y: boxY, width: width - left, height: boxHeight)
            canvas.text(label, x: margin + left + 2, y: boxY + boxHeight - 7, size: 5)
        }
        y -= 4 * boxHeight
        let payerLines = [payer(sheet)] + sheet.payerAddress + (sheet.guarantor.map { ["Sacador / Avalista: " + $0] } ?? [])
        let payerHeight = Float(8 + 10 * payerLines.count)
        canvas.rectangle(x: margin, y: y - payerHeight, width: width, height: payerHeight)
        canvas.text("Pagador", x: margin + 2, y: y - 7, size: 5)
        for (index, text) in payerLines.enumerated() {
            canvas.text(text, x: margin + 2, y: y - 16 - Float(index) * 10, size: 8, maxWidth: width - 4)
        }
        y -= payerHeight
        canvas.text("Ficha de Compensação — Autenticação mecânica", x: margin + width, y: y - 8, size: 6, alignRight: true)

        // The ITF symbol: 13 mm tall, quiet zones left blank.
        let barTop = y - 12
        bars(page, barcode, x: margin + 4, top: barTop)
        y = barTop - barHeight - 10

        if let qr, let payload = sheet.pixPayload {
            let cell: Float = 2
            let side = Float(qr.size) * cell
            let x0 = margin + 4 + Float(QRCode.quietZone) * cell
            let y0 = y - Float(QRCode.quietZone) * cell
            for row in 0..<qr.size {
                for column in 0..<qr.size where qr.isDark(x: column, y: row) {
                    HPDF_Page_Rectangle(page, x0 + Float(column) * cell, y0 - Float(row + 1) * cell, cell, cell)
                }
            }
            HPDF_Page_Fill(page)
            let textX = x0 + side + 12
            canvas.text("Pague com PIX", x: textX, y: y0 - 10, size: 9, bold: true)
            canvas.text("Pix copia e cola:", x: textX, y: y0 - 22, size: 7)
            let chunk = 70
            let characters = Array(payload)
            for (index, start) in stride(from: 0, to: characters.count, by: chunk).enumerated() {
                canvas.text(String(characters[start..<min(start + chunk, characters.count)]), x: textX, y: y0 - 32 - Float(index) * 8, size: 6)
            }
        }

        return try bytes(pdf)
    }

    /// The ITF's height: 13 mm.
    static let barHeight: Float = 36.85

    /// The ITF symbol's bars, its left quiet zone ending at `x`, from `top` down ``barHeight``.
    /// Helvetica and Helvetica-Bold, in WinAnsi.
    static func fonts(_ pdf: HPDF_Doc) throws(RenderError) -> (regular: HPDF_Font, bold: HPDF_Font) {
        guard let regular = HPDF_GetFont(pdf, "Helvetica", "WinAnsiEncoding"),
              let bold = HPDF_GetFont(pdf, "Helvetica-Bold", "WinAnsiEncoding") else {
            throw RenderError("libharu could not load Helvetica.")
        }
        return (regular, bold)
    }

    static func bars(_ page: HPDF_Page, _ barcode: ITFBarcode, x: Float, top: Float) {
        HPDF_Page_SetRGBFill(page, 0, 0, 0)
        for bar in barcode.bars {
            HPDF_Page_Rectangle(page, x + Float(bar.x - ITFBarcode.quietZone) * module, top - barHeight, Float(bar.width) * module, barHeight)
        }
        HPDF_Page_Fill(page)
    }

    /// The document's bytes.
    static func bytes(_ pdf: HPDF_Doc) throws(RenderError) -> [UInt8] {
        HPDF_SaveToStream(pdf)
        var size = HPDF_GetStreamSize(pdf)
        var bytes = [UInt8](repeating: 0, count: Int(size))
        guard HPDF_ReadFromStream(pdf, &bytes, &size) == HPDF_OK || Int(size) == bytes.count else {
            throw RenderError("libharu could not write the document.")
        }
        return Array(bytes.prefix(Int(size)))
    }

    static func beneficiary(_ sheet: BoletoSheet) -> String {
        [sheet.beneficiaryName, sheet.beneficiaryDocument ?? ""].filter { !$0.isEmpty }.joined(separator: " — ")
    }

    static func payer(_ sheet: BoletoSheet) -> String {
        [sheet.payerName, sheet.payerDocument ?? ""].filter { !$0.isEmpty }.joined(separator: " — ")
    }

    /// The bank's name, its code with the DV between two thick rules, and the digitable line; answers the y below.
    static func header(_ canvas: Canvas, _ sheet: BoletoSheet, y: Float) -> Float {
        canvas.text(sheet.bankName, x: margin + 2, y: y - 15, size: 11, bold: true, maxWidth: 120)
        canvas.line(x1: margin + 128, y1: y - 20, x2: margin + 128, y2: y, width: 1.5)
        canvas.text(sheet.bankCodeWithDigit, x: margin + 134, y: y - 15, size: 13, bold: true)
        canvas.line(x1: margin + 182, y1: y - 20, x2: margin + 182, y2: y, width: 1.5)
        canvas.text(sheet.digitableLine, x: margin + width - 2, y: y - 15, size: 10.5, bold: true, alignRight: true)
        canvas.line(x1: margin, y1: y - 20, x2: margin + width, y2: y - 20, width: 1.5)
        return y - 20
    }

    /// One row of labelled boxes whose widths are fractions of the page width; answers the y below.
    static func row(_ canvas: Canvas, y: Float, _ cells: [(String, String, Float)], boldLast: Bool = false) -> Float {
        let height: Float = 21
        var x = margin
        for (index, cell) in cells.enumerated() {
            let cellWidth = width * cell.2
            canvas.rectangle(x: x, y: y - height, width: cellWidth, height: height)
            canvas.text(cell.0, x: x + 2, y: y - 7, size: 5)
            let isLast = index == cells.count - 1 && cells.count > 1
            canvas.text(cell.1, x: isLast ? x + cellWidth - 2 : x + 2, y: y - 17, size: 8.5, bold: boldLast && isLast,
                        alignRight: isLast, maxWidth: cellWidth - 4)
            x += cellWidth
        }
        return y - height
    }

    /// Drawing helpers over one page.
    struct Canvas {
        let page: HPDF_Page
        let regular: HPDF_Font
        let bold: HPDF_Font

        /// Text at a baseline, in WinAnsi (CP1252); cut with an ellipsis to `maxWidth`.
        func text(_ text: String, x: Float, y: Float, size: Float, bold isBold: Bool = false, alignRight: Bool = false,
                  maxWidth: Float = .greatestFiniteMagnitude) {
            guard !text.isEmpty else { return }
            HPDF_Page_SetFontAndSize(page, isBold ? bold : regular, size)
            func bytes(_ value: String) -> [CChar] {
                let data = value.data(using: .windowsCP1252, allowLossyConversion: true) ?? Data(value.utf8)
                return data.map { CChar(bitPattern: $0) } + [0]
            }
            var shown = text
            var encoded = bytes(shown)
            while HPDF_Page_TextWidth(page, encoded) > maxWidth && shown.count > 1 {
                shown = String(shown.dropLast(2)) + "…"
                encoded = bytes(shown)
            }
            let textWidth = HPDF_Page_TextWidth(page, encoded)
            HPDF_Page_BeginText(page)
            HPDF_Page_TextOut(page, alignRight ? x - textWidth : x, y, encoded)
            HPDF_Page_EndText(page)
        }

        /// A dashed cut line across the slip at `y`.
        func cutLine(y: Float) {
            HPDF_Page_SetDash(page, [3, 2], 2, 0)
            line(x1: BoletoPDF.margin, y1: y, x2: BoletoPDF.margin + BoletoPDF.width, y2: y, width: 0.5)
            HPDF_Page_SetDash(page, nil, 0, 0)
        }

        func line(x1: Float, y1: Float, x2: Float, y2: Float, width: Float) {
            HPDF_Page_SetLineWidth(page, width)
            HPDF_Page_MoveTo(page, x1, y1)
            HPDF_Page_LineTo(page, x2, y2)
            HPDF_Page_Stroke(page)
        }

        func rectangle(x: Float, y: Float, width: Float, height: Float) {
            HPDF_Page_SetLineWidth(page, 0.5)
            HPDF_Page_Rectangle(page, x, y, width, height)
            HPDF_Page_Stroke(page)
        }
    }
}
