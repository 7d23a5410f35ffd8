// Registers one boleto híbrido (barcode and PIX) with Banco do Brasil's API Cobranças v2, against the fake BB on
// loopback HTTPS, then asks for it, pays it at the fake and asks again:
//   swift run bb-example
// With the real bank, `api` is https://api.bb.com.br/cobrancas/v2 (homologation https://api.hm.bb.com.br/cobrancas/v2,
// with `applicationKeyParameter: "gw-app-key"`), the token URL https://oauth.bb.com.br/oauth/token, and the client id,
// secret and application key come from BB's developer portal.
import BoletoKit
import FakeBanks
import Foundation
import Providers

let pki = try TestPKI()
let bank = FakeBancoDoBrasil(applicationKey: "example-app-key", convenio: 3_128_557, clientID: "example-client",
                             clientSecret: "example-secret")
let (api, tokenURL) = try await bank.start(identity: pki.server)

// The adapter: the API and token URLs (https only; the fake's CA is trusted in addition to the system's), the OAuth
// client (HTTP Basic, BB's two scopes) and the application key. Tokens are fetched once and reused.
let endpoint = try BankEndpoint(url: api, timeout: .seconds(10), additionalTrustRoots: [pki.authority.certificatePEM])
let credentials = try OAuthClientCredentials(tokenURL: tokenURL, clientID: "example-client", clientSecret: "example-secret",
                                             scope: "cobrancas.boletos-info cobrancas.boletos-requisicao", authentication: .basic)
let bb = try BancoDoBrasilCobranca(configuration: .init(api: endpoint, credentials: credentials, applicationKey: "example-app-key"))

// The boleto: convênio of 7 digits, carteira 17 variação 35; BoletoKit computes the barcode and line.
let input = BoletoInput(bank: "001", amountCents: 15_990, dueDate: CalendarDate.todayInSaoPaulo().adding(days: 15),
                        beneficiaryCode: "3128557", wallet: "17", walletVariation: "35", nossoNumero: "42")
let request = RegistrationRequest(
    requestKey: "order-42", input: input, boleto: try Boleto(input), payerName: "Maria Joaquina da Silva",
    payerDocument: try Document("111.444.777-35"),
    payerAddress: PostalAddress(zipcode: "70040-912", street: "SBS Quadra 1", streetNumber: "1", complementary: nil,
                                neighborhood: "Asa Sul", city: "Brasília", state: "DF"),
    instructions: "Não receber após o vencimento.")

let outcome = await bb.register(request)
switch outcome {
case .registered(let barcode, let line, let nossoNumero, _, let pix):
    print("registered\n  nosso número \(nossoNumero)\n  line         \(line)\n  barcode      \(barcode)\n  PIX          \(pix ?? "none")")
default:
    print("not registered: \(outcome)")
}
print("query: \(await bb.query(request))")
await bank.pay("0003128557" + "0000000042")
let paid = await bb.query(request)
print("after payment: \(paid)")
// A second registration of the same title is recognised by asking BB for it.
print("again: \(await bb.register(request))")

try await bb.shutdown()
try await bank.stop()
guard case .registered(_, _, _, _, .some) = outcome, case .found("LIQUIDADO", _, _, _, _) = paid else { exit(1) }
