// Renders a boleto híbrido to PDF and HTML: BoletoKit computes the barcode and the line, builds the PIX BR Code,
// and BoletoRender draws the ficha de compensação and the recibo do pagador.
//
//   swift run render-example [DIRECTORY]     # writes boleto.pdf and boleto.html (default: the current directory)
import BoletoKit
import BoletoRender
import Foundation

let directory = CommandLine.arguments.dropFirst().first ?? FileManager.default.currentDirectoryPath
let due = CalendarDate(year: 2027, month: 1, day: 15)!
let input = BoletoInput(bank: "237", amountCents: 123_456, dueDate: due, agency: "3381", account: "0009721", wallet: "09",
                        nossoNumero: "42")
let boleto = try Boleto(input)
let pix = try PixBRCode(key: "11222333000181", name: "Loja Exemplo Ltda", city: "São Paulo", amountCents: 123_456, txid: "BOLETO42")
let sheet = BoletoSheet(
    bank: "237", barcode: boleto.barcode.description, digitableLine: boleto.digitableLine.formatted, dueDate: due,
    amountCents: 123_456, beneficiaryName: "Loja Exemplo Ltda", beneficiaryDocument: "11.222.333/0001-81",
    agencyCode: "3381 / 0009721", nossoNumero: boleto.nossoNumero, documentNumber: "42",
    documentDate: CalendarDate(year: 2026, month: 12, day: 2)!, wallet: "09",
    instructions: ["Não receber após o vencimento.", "Pague também com PIX pelo QR code."],
    payerName: "Maria Joaquina da Silva", payerDocument: "111.444.777-35",
    payerAddress: ["Rua Fidêncio Ramos, 308, 9º andar — Vila Olímpia", "04551-010 São Paulo - SP"], pixPayload: pix.payload)
let pdf = try BoletoPDF.render(sheet)
let html = try BoletoHTML.render(sheet)
let pdfURL = URL(fileURLWithPath: directory).appendingPathComponent("boleto.pdf")
let htmlURL = URL(fileURLWithPath: directory).appendingPathComponent("boleto.html")
try Data(pdf).write(to: pdfURL)
try Data(html.utf8).write(to: htmlURL)
print("barcode  \(boleto.barcode.description)")
print("line     \(boleto.digitableLine.formatted)")
print("pix      \(pix.payload)")
print("wrote \(pdfURL.path) (\(pdf.count) bytes) and \(htmlURL.path) (\(html.utf8.count) bytes)")
