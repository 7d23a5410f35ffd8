// Registers one boleto with Bradesco's "registro online" protocol, against the fake Bradesco on loopback HTTPS:
//   swift run bradesco-example
// The certificates (a CA, the bank's TLS certificate, the company's e-CNPJ stand-in) are made on the spot. With a
// real bank, the endpoint is Bradesco's URL and the identity comes from the company's .pfx:
//   let identity = try SigningIdentity(pkcs12: Array(try Data(contentsOf: pfxURL)), password: password)
import BoletoKit
import FakeBanks
import Foundation
import Providers

let pki = try TestPKI()
let company = try pki.company(named: "LOJA EXEMPLO LTDA:11222333000181")
let bank = FakeBradesco(trustRoots: [pki.authority.certificate])
let url = try await bank.start(identity: pki.server)

// The adapter: the bank's URL (https only; the fake's CA is trusted in addition to the system's) and the signer.
let endpoint = try BankEndpoint(url: url, timeout: .seconds(10), additionalTrustRoots: [pki.authority.certificatePEM])
let signer = CMSSigner(identity: try SigningIdentity(certificate: company.certificate, privateKey: company.key))
let bradesco = try BradescoRegistroOnline(configuration: .init(endpoint: endpoint, signer: signer))

// The boleto: BoletoKit computes the barcode and line; the adapter sends the title and the payer.
let input = BoletoInput(bank: "237", amountCents: 15_990, dueDate: CalendarDate.todayInSaoPaulo().adding(days: 15),
                        agency: "3381", account: "0009721", wallet: "09", nossoNumero: "00000000042")
let request = RegistrationRequest(
    requestKey: "order-42", input: input, boleto: try Boleto(input), payerName: "Maria Joaquina da Silva",
    payerDocument: try Document("111.444.777-35"),
    payerAddress: PostalAddress(zipcode: "04551-010", street: "Rua Fidêncio Ramos", streetNumber: "308",
                                complementary: "9º andar", neighborhood: "Vila Olímpia", city: "São Paulo", state: "SP"),
    beneficiary: Beneficiary(document: try Document("11.222.333/0001-81")))

let outcome = await bradesco.register(request)
switch outcome {
case .registered(let barcode, let line, let nossoNumero, _, _):
    print("registered\n  nosso número \(nossoNumero)\n  line         \(line)\n  barcode      \(barcode)")
default:
    print("not registered: \(outcome)")
}
// A second attempt is recognised as the same title, which a caller reconciles to registered.
print("again: \(await bradesco.register(request))")

try await bradesco.shutdown()
try await bank.stop()
if case .registered = outcome {} else { exit(1) }
