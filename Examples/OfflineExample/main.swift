// An offline example: compute a boleto from issuer data, then parse and validate a line a customer typed.
// Run it with `swift run offline-example`. No network, no servers: BoletoKit is pure computation.
import BoletoKit

// 1. Issuer data for a Bradesco boleto (bank 237): agency, account, carteira and the issuer's nosso número.
let input = BoletoInput(
    bank: "237",
    amountCents: 295_295,                                // R$ 2.952,95
    dueDate: CalendarDate(iso: "2012-12-28"),
    agency: "1172", account: "0403005", wallet: "06",
    nossoNumero: "75896452"                              // without its check digit: BoletoKit computes it
)

do {
    let boleto = try Boleto(input)
    print("barcode         \(boleto.barcode)")
    print("digitable line  \(boleto.digitableLine.formatted)")
    print("nosso número    \(boleto.nossoNumero)")
} catch {
    // A BoletoError names the field and never repeats its value.
    print("cannot issue: \(error.field ?? "-"): \(error.message)")
}

// 2. A line as a customer might type it, with dots and spaces.
let typed = "03399.13428 75401.000007 10838.001013 4 80180000073000"
do {
    switch try BoletoParser.parse(typed) {
    case .bank(let boleto):
        let today = CalendarDate.todayInSaoPaulo()
        print("valid \(boleto.bankName ?? boleto.bankCode) boleto, \(boleto.amountCents) cents,",
              "due \(boleto.dueDate(reference: CalendarDate(iso: "2019-09-01")!).map(String.init(describing:)) ?? "-")",
              "(seen from 2019-09-01), or \(boleto.dueDate(reference: today).map(String.init(describing:)) ?? "-") seen from today")
    case .arrecadacao(let slip):
        print("valid arrecadação slip, segment \(slip.segment)")
    }
} catch {
    print("invalid line, \(error.block ?? "?"): \(error.message)")
}

// 3. One wrong digit is caught, and the error says which block.
do {
    _ = try BoletoParser.parse("03399.13428 75401.000007 10838.001014 4 80180000073000")
} catch {
    print("typo caught in \(error.block ?? "?"): \(error.message)")
}
