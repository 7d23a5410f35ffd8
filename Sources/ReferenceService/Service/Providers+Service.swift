import BoletoKit
import Providers

/// The providers the service can register boletos with, by issuer.
struct ProviderDirectory: Sendable {
    struct Entry: Sendable {
        /// The FEBRABAN layout of the issuer's barcodes.
        let bank: String
        let registrar: any BoletoRegistrar
        /// Whether the issuer takes a sandbox scenario.
        let isSandbox: Bool
        /// Whether boletos of this issuer must carry the beneficiary's CNPJ/CPF (the real banks check it).
        var needsBeneficiary = false
    }

    let sandbox: any BoletoRegistrar
    let sandboxBank: String
    /// The real banks this deployment configures, by issuer (`bradesco`, `caixa`).
    var banks: [String: Entry] = [:]

    func entry(for issuer: String) -> Entry? {
        Issuer.isSandbox(issuer) ? Entry(bank: sandboxBank, registrar: sandbox, isSandbox: true) : banks[issuer]
    }

    /// Why `issuer` has no entry.
    static func missing(_ issuer: String) -> String {
        switch issuer {
        case "bradesco": "issuer bradesco is not enabled on this service (BOLETO_BRADESCO_URL is not set)."
        case "caixa": "issuer caixa is not enabled on this service (BOLETO_CAIXA_URL is not set)."
        default: "issuer has no provider in this service."
        }
    }

    /// The barcode input of a boleto of `bank`. Caixa's SIGCB layout takes the account as its código do
    /// beneficiário, and every layout takes the title id as its nosso número.
    static func input(bank: String, amount: Int64, dueDate: CalendarDate?, agency: String, account: String, wallet: String,
                      titleID: Int64) -> BoletoInput {
        BoletoInput(bank: bank, amountCents: amount, dueDate: dueDate, agency: agency, account: account,
                    beneficiaryCode: bank == "104" ? account : nil, wallet: wallet, nossoNumero: String(titleID))
    }
}
