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
    }

    let sandbox: any BoletoRegistrar
    let sandboxBank: String

    func entry(for issuer: String) -> Entry? {
        Issuer.isSandbox(issuer) ? Entry(bank: sandboxBank, registrar: sandbox, isSandbox: true) : nil
    }
}
