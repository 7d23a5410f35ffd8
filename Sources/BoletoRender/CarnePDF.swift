import BoletoKit
import CHaru

/// A carnê as one PDF booklet: each installment's slip (the ficha de compensação, compact: the bank's header and
/// digitable line, installment, due date, nosso número and amount, beneficiary, payer and the first instruction, and
/// the ITF at FEBRABAN's 103 mm by 13 mm), three to an A4 page with a cut line between them.
public enum CarnePDF {
    /// Slips on one page.
    public static let slipsPerPage = 3

    /// The PDF bytes of `sheets`, in order.
    public static func render(_ sheets: [BoletoSheet]) throws(RenderError) -> [UInt8] {
        guard !sheets.isEmpty else { throw RenderError("A carnê has no installments.") }
        var barcodes: [ITFBarcode] = []
        for sheet in sheets {
            do { barcodes.append(try ITFBarcode(sheet.barcode)) } catch { throw RenderError("A barcode is not 44 digits.") }
        }
        guard let pdf = HPDF_New(nil, nil) else { throw RenderError("libharu could not create a document.") }
        defer { HPDF_Free(pdf) }
        HPDF_SetCompressionMode(pdf, UInt32(HPDF_COMP_ALL))
        let (regular, bold) = try BoletoPDF.fonts(pdf)
        let margin = BoletoPDF.margin
        var page: HPDF_Page?
        var slipTop: Float = 0
        let slipHeight: Float = (841.89 - 2 * margin) / Float(slipsPerPage)
        for (index, sheet) in sheets.enumerated() {
            if index % slipsPerPage == 0 {
                guard let next = HPDF_AddPage(pdf) else { throw RenderError("libharu could not add a page.") }
                HPDF_Page_SetSize(next, HPDF_PAGE_SIZE_A4, HPDF_PAGE_PORTRAIT)
                page = next
                slipTop = HPDF_Page_GetHeight(next) - margin
            }
            guard let page else { continue }
            let canvas = BoletoPDF.Canvas(page: page, regular: regular, bold: bold)
            var y = BoletoPDF.header(canvas, sheet, y: slipTop)
            y = BoletoPDF.row(canvas, y: y, [("Parcela", sheet.installment ?? "", 0.12), ("Vencimento", BoletoSheet.text(sheet.dueDate), 0.2),
                                            ("Nosso número", sheet.nossoNumero, 0.33), ("(=) Valor do documento", sheet.amountText, 0.35)],
                              boldLast: true)
            y = BoletoPDF.row(canvas, y: y, [("Beneficiário", BoletoPDF.beneficiary(sheet), 0.65),
                                            ("Agência / Código do beneficiário", sheet.agencyCode, 0.35)])
            y = BoletoPDF.row(canvas, y: y, [("Pagador", BoletoPDF.payer(sheet), 1)])
            y = BoletoPDF.row(canvas, y: y, [("Instruções", sheet.instructions.first ?? "", 1)])
            canvas.text("Ficha de Compensação — Autenticação mecânica", x: margin + BoletoPDF.width, y: y - 8, size: 6, alignRight: true)
            BoletoPDF.bars(page, barcodes[index], x: margin + 4, top: y - 12)
            // A cut line between slips.
            slipTop -= slipHeight
            if (index + 1) % slipsPerPage != 0 && index + 1 < sheets.count {
                canvas.cutLine(y: slipTop + 10)
            }
        }
        return try BoletoPDF.bytes(pdf)
    }
}
