import BoletoKit
import FakeBanks
import Foundation
import Providers

/// Requests, adapters and fake banks for the Caixa SIGCB tests. The beneficiary is boleto-api's fixture one
/// (código 200656, CNPJ 00.732.159/0001-09).
enum CaixaFixtures {
    /// One CA and server certificate for every Caixa test (RSA key generation is slow).
    static let pki: TestPKI = try! TestPKI()

    static let beneficiaryCode = "200656"
    static let companyDocument = "00732159000109"
    /// A valid CNPJ that is not the fake's beneficiary's.
    static let otherCompany = "11222333000181"
    static let agency = "1679"
    static let payerCPF = "52998224725"
    static let dueDate = CalendarDate(year: 2027, month: 1, day: 15)!
    static let issueDate = CalendarDate(year: 2026, month: 12, day: 1)!

    /// boleto-api's address vector: cleaned, `Rua da Assuncao de Sa 123 Secao A, s 02`, `Acai`, `Belem do Para`.
    static let address = PostalAddress(zipcode: "66010-000", street: "Rua da Assunção de Sá", streetNumber: "123",
                                       complementary: "Seção A, s 02", neighborhood: "Açaí", city: "Belém do Pará",
                                       state: "PA")

    static let instructions = "Não receber após o vencimento.\nMulta de 2% após o vencimento"

    /// A registration request for the fixture beneficiary; throws when BoletoKit cannot make its boleto.
    static func request(nossoNumero: String = "000000000000123", amountCents: Int64 = 2000,
                        dueDate: CalendarDate = CaixaFixtures.dueDate, beneficiaryCode: String = CaixaFixtures.beneficiaryCode,
                        wallet: String = "14", agency: String = CaixaFixtures.agency,
                        payerName: String? = "José da Conceição", payerDocument: String? = CaixaFixtures.payerCPF,
                        address: PostalAddress? = CaixaFixtures.address,
                        instructions: String? = CaixaFixtures.instructions,
                        beneficiaryDocument: String? = CaixaFixtures.companyDocument,
                        issueDate: CalendarDate? = CaixaFixtures.issueDate) throws -> RegistrationRequest {
        let input = BoletoInput(bank: "104", amountCents: amountCents, dueDate: dueDate, agency: agency,
                                beneficiaryCode: beneficiaryCode, wallet: wallet, nossoNumero: nossoNumero)
        return RegistrationRequest(
            requestKey: "bol_caixa_\(nossoNumero)", input: input, boleto: try Boleto(input), payerName: payerName,
            payerDocument: try payerDocument.map { try Document($0) }, payerAddress: address, instructions: instructions,
            beneficiary: try beneficiaryDocument.map { Beneficiary(document: try Document($0), name: "Empresa Teste") },
            issueDate: issueDate)
    }

    /// A fake Caixa for the fixture beneficiary whose slow answers take `delay`.
    static func startFake(delay: Duration = .seconds(3)) async throws -> FakeCaixa {
        try await FakeCaixa(identity: pki.server, beneficiaryCode: beneficiaryCode, beneficiaryDocument: companyDocument,
                            delay: delay)
    }

    /// An adapter for `url`, trusting the test CA unless `trusted` is false.
    static func adapter(url: String, timeout: Duration = .seconds(10), trusted: Bool = true,
                        headers: [String: String] = [:]) throws -> CaixaSIGCB {
        let endpoint = try BankEndpoint(url: url, timeout: timeout, connectTimeout: .seconds(5),
                                        additionalTrustRoots: trusted ? [pki.authority.certificatePEM] : [])
        return try CaixaSIGCB(configuration: CaixaSIGCB.Configuration(endpoint: endpoint, extraHeaders: headers))
    }

    /// Runs `body` with a fresh fake and an adapter for it, and shuts both down afterwards, also when `body` throws.
    static func withBank(delay: Duration = .seconds(3), timeout: Duration = .seconds(30), trusted: Bool = true,
                         headers: [String: String] = [:], path: String? = nil,
                         _ body: (FakeCaixa, CaixaSIGCB) async throws -> Void) async throws {
        let fake = try await startFake(delay: delay)
        let url = path.map { fake.url.replacingOccurrences(of: FakeCaixa.path, with: $0) } ?? fake.url
        let adapter: CaixaSIGCB
        do {
            adapter = try Self.adapter(url: url, timeout: timeout, trusted: trusted, headers: headers)
        } catch {
            try? await fake.stop()
            throw error
        }
        do {
            try await body(fake, adapter)
        } catch {
            try? await adapter.shutdown()
            try? await fake.stop()
            throw error
        }
        try await adapter.shutdown()
        try await fake.stop()
    }

    /// The 17-digit nosso número SIGCB gets for a 15-digit one.
    static func caixaNumber(_ fifteen: String) -> String {
        "14" + String(repeating: "0", count: max(0, 15 - fifteen.count)) + fifteen
    }
}
