import BoletoKit
import Mustache

/// The boleto as one self-contained HTML page: the recibo do pagador, a cut line, and the ficha de compensação with
/// the ITF barcode (and the PIX QR of a boleto híbrido) as inline SVG. Nothing is fetched: no fonts, scripts or
/// images from elsewhere. CSS print rules lay it out on A4, the barcode at FEBRABAN's 103 mm by 13 mm.
public enum BoletoHTML {
    /// `text` with control characters (line breaks aside) as spaces and invisible formatting characters removed.
    static func printable(_ text: String) -> String {
        guard !text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) else { return text }
        var scalars = String.UnicodeScalarView()
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .format: continue
            case .control where scalar != "\n": scalars.append(" ")
            default: scalars.append(scalar)
            }
        }
        return String(scalars)
    }

    /// What the payer's page adds above the boleto: the amount and due date, the digitable line and the PIX code
    /// with buttons that copy them, and a link to the PDF.
    public struct PayerBar: Sendable, Hashable {
        /// Where the PDF of the same boleto is (a relative URL works).
        public var pdfURL: String
        /// A notice shown above everything (a boleto already paid), or nil.
        public var notice: String?

        public init(pdfURL: String, notice: String? = nil) {
            self.pdfURL = pdfURL
            self.notice = notice
        }
    }

    /// The page for `sheet`; with `payerBar`, the payer's page (the boleto under a bar of copy buttons; the bar is not
    /// printed).
    public static func render(_ sheet: BoletoSheet, payerBar: PayerBar? = nil) throws(RenderError) -> String {
        let barcode: ITFBarcode
        do { barcode = try ITFBarcode(sheet.barcode) } catch { throw RenderError("The barcode is not 44 digits.") }
        var values: [String: Any] = [
            "bankName": sheet.bankName, "bankCode": sheet.bankCodeWithDigit, "line": sheet.digitableLine,
            "dueDate": BoletoSheet.text(sheet.dueDate), "amount": sheet.amountText, "beneficiary": sheet.beneficiaryName,
            "beneficiaryDocument": sheet.beneficiaryDocument ?? "", "agencyCode": sheet.agencyCode,
            "nossoNumero": sheet.nossoNumero, "documentNumber": sheet.documentNumber,
            "documentDate": BoletoSheet.text(sheet.documentDate), "wallet": sheet.wallet,
            "species": sheet.documentSpecies, "acceptance": sheet.acceptance, "paymentPlace": sheet.paymentPlace,
            "instructions": sheet.instructions, "payer": sheet.payerName, "payerDocument": sheet.payerDocument ?? "",
            "payerAddress": sheet.payerAddress,
            // 103 mm over the symbol's modules; the SVG scales to the CSS box.
            "barcodeSVG": barcode.svg(module: 1, height: 50),
        ]
        if let guarantor = sheet.guarantor { values["guarantor"] = guarantor }
        // Stored text is printed as text: control and invisible formatting characters (a NUL, a bidirectional
        // override) never reach the page, whatever an older version let into the database.
        for (key, value) in values where key != "barcodeSVG" {
            if let text = value as? String { values[key] = printable(text) }
            if let lines = value as? [String] { values[key] = lines.map(printable) }
        }
        if let payload = sheet.pixPayload {
            values["pix"] = ["payload": payload, "qrSVG": try QRCode(payload).svg(module: 4)]
        }
        if let payerBar {
            var bar: [String: Any] = ["pdfURL": payerBar.pdfURL, "lineDigits": sheet.digitableLine.filter(\.isNumber),
                                      "script": payerScript]
            if let notice = payerBar.notice { bar["notice"] = printable(notice) }
            if let payload = sheet.pixPayload { bar["pixPayload"] = payload }
            values["payerBar"] = bar
        }
        return template.render(values)
    }

    /// The payer's page's one script: each copy button puts its code on the clipboard (the Clipboard API, or the
    /// selection fallback of older browsers). A constant, so a server can allow exactly it in its
    /// Content-Security-Policy by hash.
    public static let payerScript = """
    document.querySelectorAll("button[data-copy]").forEach(function (button) {
      button.addEventListener("click", function () {
        var text = document.getElementById(button.dataset.copy).textContent.trim();
        var done = function () { button.textContent = "Copiado!"; };
        if (navigator.clipboard && navigator.clipboard.writeText) {
          navigator.clipboard.writeText(text).then(done, function () {});
        } else {
          var area = document.createElement("textarea");
          area.value = text; document.body.appendChild(area); area.select();
          document.execCommand("copy"); area.remove(); done();
        }
      });
    });
    """

    static let template: MustacheTemplate = {
        // The template is a constant of this file; a syntax error in it is a programming error.
        try! MustacheTemplate(string: source)
    }()

    static let source = #"""
    <!DOCTYPE html>
    <html lang="pt-BR">
    <head>
    <meta charset="utf-8">
    <title>Boleto {{bankName}} {{line}}</title>
    <style>
    @page { size: A4; margin: 10mm; }
    * { box-sizing: border-box; }
    body { font-family: Arial, Helvetica, sans-serif; color: #000; margin: 0; background: #fff; }
    .sheet { width: 190mm; margin: 0 auto; }
    h2 { font-size: 9pt; margin: 2mm 0 1mm; text-align: right; font-weight: normal; }
    .head { display: flex; align-items: flex-end; border-bottom: 0.6mm solid #000; padding-bottom: 1mm; }
    .bank { font-size: 13pt; font-weight: bold; width: 40mm; flex: none; }
    .code { font-size: 15pt; font-weight: bold; border-left: 0.6mm solid #000; border-right: 0.6mm solid #000; padding: 0 3mm; flex: none; white-space: nowrap; }
    .line { font-size: 10pt; font-weight: bold; flex: 1; text-align: right; white-space: nowrap; }
    table { width: 100%; border-collapse: collapse; }
    td { border: 0.2mm solid #000; vertical-align: top; padding: 0.5mm 1mm; font-size: 9pt; height: 8mm; }
    td small { display: block; font-size: 6pt; }
    td.right { width: 45mm; text-align: right; }
    td.right small { text-align: left; }
    .instructions { height: 30mm; }
    .cut { border-top: 0.3mm dashed #000; margin: 6mm 0 2mm; font-size: 6pt; text-align: right; }
    .barcode { margin: 3mm 0 0 0; }
    .barcode svg { width: 103mm; height: 13mm; display: block; }
    .pix { display: flex; gap: 4mm; align-items: center; margin-top: 3mm; font-size: 7pt; }
    .pix svg { width: 32mm; height: 32mm; flex: none; }
    .pix code { word-break: break-all; font-size: 6.5pt; }
    @media print { .sheet { width: auto; } .payer-bar { display: none; } }
    .payer-bar { width: 190mm; margin: 0 auto 6mm; padding: 3mm 0; border-bottom: 0.3mm solid #999; font-size: 11pt; }
    .payer-bar p { margin: 1mm 0; }
    .payer-bar code { font-size: 11pt; word-break: break-all; }
    .payer-bar button, .payer-bar a { font-size: 11pt; margin: 1mm 2mm 1mm 0; padding: 1.5mm 3mm; }
    .payer-bar .notice { font-weight: bold; color: #a00; }
    </style>
    </head>
    <body>
    {{#payerBar}}<nav class="payer-bar">
    {{#notice}}<p class="notice">{{notice}}</p>{{/notice}}
    <p><b>{{amount}}</b> — vencimento {{dueDate}} — {{beneficiary}}</p>
    <p>Linha digitável: <code id="line">{{lineDigits}}</code> <button type="button" id="copy-line" data-copy="line">Copiar linha digitável</button></p>
    {{#pixPayload}}<p>Pix copia e cola: <code id="pix">{{pixPayload}}</code> <button type="button" id="copy-pix" data-copy="pix">Copiar código Pix</button></p>{{/pixPayload}}
    <p><a href="{{pdfURL}}" download>Baixar PDF</a></p>
    <script>{{{script}}}</script>
    </nav>{{/payerBar}}
    <div class="sheet">
    <section class="receipt">
    <h2>Recibo do Pagador</h2>
    <div class="head"><div class="bank">{{bankName}}</div><div class="code">{{bankCode}}</div><div class="line">{{line}}</div></div>
    <table>
    <tr><td colspan="3"><small>Beneficiário</small>{{beneficiary}} {{beneficiaryDocument}}</td><td class="right"><small>Vencimento</small>{{dueDate}}</td></tr>
    <tr><td><small>Agência / Código do beneficiário</small>{{agencyCode}}</td><td><small>Nosso número</small>{{nossoNumero}}</td><td><small>Nº do documento</small>{{documentNumber}}</td><td class="right"><small>(=) Valor do documento</small>{{amount}}</td></tr>
    <tr><td colspan="4"><small>Pagador</small>{{payer}} {{payerDocument}}</td></tr>
    </table>
    </section>
    <div class="cut">Corte na linha pontilhada</div>
    <section class="ficha">
    <div class="head"><div class="bank">{{bankName}}</div><div class="code">{{bankCode}}</div><div class="line">{{line}}</div></div>
    <table>
    <tr><td colspan="5"><small>Local de pagamento</small>{{paymentPlace}}</td><td class="right"><small>Vencimento</small><b>{{dueDate}}</b></td></tr>
    <tr><td colspan="5"><small>Beneficiário</small>{{beneficiary}} {{beneficiaryDocument}}</td><td class="right"><small>Agência / Código do beneficiário</small>{{agencyCode}}</td></tr>
    <tr><td><small>Data do documento</small>{{documentDate}}</td><td><small>Nº do documento</small>{{documentNumber}}</td><td><small>Espécie doc.</small>{{species}}</td><td><small>Aceite</small>{{acceptance}}</td><td><small>Data do processamento</small>{{documentDate}}</td><td class="right"><small>Nosso número</small>{{nossoNumero}}</td></tr>
    <tr><td><small>Uso do banco</small></td><td><small>Carteira</small>{{wallet}}</td><td><small>Espécie</small>R$</td><td><small>Quantidade</small></td><td><small>Valor</small></td><td class="right"><small>(=) Valor do documento</small><b>{{amount}}</b></td></tr>
    <tr><td colspan="5" rowspan="4" class="instructions"><small>Instruções (texto de responsabilidade do beneficiário)</small>{{#instructions}}{{.}}<br>{{/instructions}}</td><td class="right"><small>(-) Desconto / Abatimento</small></td></tr>
    <tr><td class="right"><small>(+) Mora / Multa</small></td></tr>
    <tr><td class="right"><small>(+) Outros acréscimos</small></td></tr>
    <tr><td class="right"><small>(=) Valor cobrado</small></td></tr>
    <tr><td colspan="6"><small>Pagador</small>{{payer}} {{payerDocument}}{{#payerAddress}}<br>{{.}}{{/payerAddress}}{{#guarantor}}<br><small>Sacador / Avalista</small>{{guarantor}}{{/guarantor}}</td></tr>
    </table>
    <h2>Ficha de Compensação — Autenticação mecânica</h2>
    <div class="barcode">{{{barcodeSVG}}}</div>
    {{#pix}}<div class="pix">{{{qrSVG}}}<div><b>Pague com PIX</b><br>Pix copia e cola:<br><code>{{payload}}</code></div></div>{{/pix}}
    </section>
    </div>
    </body>
    </html>
    """#
}
