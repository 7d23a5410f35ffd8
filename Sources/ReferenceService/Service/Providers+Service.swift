import BoletoKit
import Providers

/// The providers the service can register boletos with, by issuer.
struct ProviderDirectory: Sendable {
    struct Entry: Sendable {
        /// The FEBRABAN layout of the issuer's barcodes.
        let bank: String
        /// The adapter that registers online; nil for `cnab`, whose boletos are registered by remessa files.
        let registrar: (any BoletoRegistrar)?
        /// Whether the issuer takes a sandbox scenario.
        let isSandbox: Bool
        /// Whether boletos of this issuer must carry the beneficiary's CNPJ/CPF (the real banks check it).
        var needsBeneficiary = false
        /// Barcode fields the bank's settings give every boleto of this issuer (Banco do Brasil's convênio).
        var bankFields: BankFields? = nil
    }

    let sandbox: any BoletoRegistrar
    let sandboxBank: String
    /// The real banks this deployment configures, by issuer (`bradesco`, `caixa`).
    var banks: [String: Entry] = [:]

    /// The issuer's entry. `cnab` is always there, with the bank of the configuration (`bank`) it is used through.
    func entry(for issuer: String, bank: String? = nil) -> Entry? {
        if Issuer.isSandbox(issuer) { return Entry(bank: sandboxBank, registrar: sandbox, isSandbox: true) }
        if issuer == Issuer.cnab { return Entry(bank: bank ?? "", registrar: nil, isSandbox: false, needsBeneficiary: true) }
        return banks[issuer]
    }

    /// Why `issuer` has no entry.
    static func missing(_ issuer: String) -> String {
        switch issuer {
        case "bradesco": "issuer bradesco is not enabled on this service (BOLETO_BRADESCO_URL is not set)."
        case "caixa": "issuer caixa is not enabled on this service (BOLETO_CAIXA_URL is not set)."
        case "bb": "issuer bb is not enabled on this service (BOLETO_BB_API_URL is not set)."
        case "itau": "issuer itau is not enabled on this service (BOLETO_ITAU_API_URL is not set)."
        case "cnab": "issuer cnab boletos are issued through a cnab configuration: external_id must name one."
        default: "issuer has no provider in this service."
        }
    }

    /// The barcode input of a boleto of `bank` (``BoletoInput/title(bank:amountCents:dueDate:agency:account:wallet:titleID:agencyDV:accountDV:beneficiaryCode:walletVariation:extra:issued:)``),
    /// with a `cnab` configuration's check digits, convênio, wallet variation and extra fields.
    static func input(bank: String, amount: Int64, dueDate: CalendarDate?, agency: String, account: String, wallet: String,
                      titleID: Int64, cnab: CNABSettings? = nil, bankFields: BankFields? = nil, issued: CalendarDate? = nil) -> BoletoInput {
        .title(bank: bank, amountCents: amount, dueDate: dueDate, agency: agency, account: account, wallet: wallet,
               titleID: titleID, agencyDV: cnab?.agencyDV, accountDV: cnab?.accountDV,
               beneficiaryCode: cnab?.beneficiaryCode ?? bankFields?.beneficiaryCode,
               walletVariation: cnab?.walletVariation ?? bankFields?.walletVariation, extra: cnab?.extra ?? [:],
               issued: cnab == nil ? nil : issued)
    }
}
