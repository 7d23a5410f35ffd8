import BoletoKit
import FakeBanks
import Foundation
import Providers

/// One PKI per test process (RSA key generation is slow), and the requests the Bradesco tests send.
enum BradescoFixtures {
    static let pki = try! TestPKI()
    static let company = try! pki.company(named: "ACME COMERCIO LTDA:11222333000181")

    static let signer = CMSSigner(identity: try! SigningIdentity(certificate: company.certificate, privateKey: company.key))

    /// A running fake Bradesco that trusts the test CA.
    static func fake(delay: Duration = .seconds(3)) async throws -> (FakeBradesco, String) {
        let fake = FakeBradesco(trustRoots: [pki.authority.certificate])
        await fake.setDelay(delay)
        let url = try await fake.start(identity: pki.server)
        return (fake, url)
    }

    /// An adapter for `url` that trusts the test CA, with `scenario` sent as `X-Fake-Scenario`.
    static func adapter(_ url: String, scenario: String? = nil, signer: any Signer = signer, timeout: Duration = .seconds(10),
                        trusting: Bool = true) throws -> BradescoRegistroOnline {
        let endpoint = try BankEndpoint(url: url, timeout: timeout, additionalTrustRoots: trusting ? [pki.authority.certificatePEM] : [])
        return try BradescoRegistroOnline(configuration: .init(endpoint: endpoint, signer: signer,
                                                               extraHeaders: scenario.map { ["X-Fake-Scenario": $0] } ?? [:]))
    }

    /// A Bradesco boleto for a payer whose name needs normalising.
    static func request(nossoNumero: String = "00000012345", amount: Int64 = 12_345,
                        payerName: String = "𝑱𝒆𝒔𝒔𝒊𝒄𝒂⁶ Ⓨ︎Ⓞ︎Ⓛ︎Ⓐ︎Ⓝ︎Ⓓ︎Ⓞ︎ ⅒ 𝒅𝒂 Silva") throws -> RegistrationRequest {
        let today = CalendarDate.todayInSaoPaulo()
        let input = BoletoInput(bank: "237", amountCents: amount, dueDate: today.adding(days: 30), agency: "3381",
                                account: "0009721", wallet: "09", nossoNumero: nossoNumero)
        return RegistrationRequest(
            requestKey: "bol_test_\(nossoNumero)", input: input, boleto: try Boleto(input), payerName: payerName,
            payerDocument: try Document("111.444.777-35"),
            payerAddress: PostalAddress(zipcode: "01310-100", street: "Avenida Paulista", streetNumber: "1000",
                                        complementary: "Conjunto 42", neighborhood: "Bela Vista", city: "São Paulo", state: "SP"),
            beneficiary: Beneficiary(document: try Document("11.222.333/0001-81")), issueDate: today)
    }
}
