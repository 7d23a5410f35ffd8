import BoletoKit
import Foundation
import Providers

/// What a client sends for a configuration, as the API edge read it. On a change, a `…Sent` flag tells a field that
/// was sent as null (cleared) from one that was not sent (kept).
struct ConfigurationFields: Sendable {
    var issuer, account, agency, wallet, scenario, beneficiary, issuerBank: String?
    var cnab: CNABSettings?
    var beneficiaryName: String?
    var pix: PixSettings?
    var scenarioSent = false, beneficiarySent = false, issuerBankSent = false, cnabSent = false
    var beneficiaryNameSent = false, pixSent = false
}

/// Beneficiary configurations (superbowleto's `Configurations`): the rules a configuration must meet, and its
/// create, change and reads. A configuration that could never issue a boleto is refused when it is written, not at
/// its first boleto.
struct ConfigurationService: Sendable {
    let store: any ConfigurationStore
    let providers: ProviderDirectory

    /// Creates a configuration; a second one with the same `external_id` is a conflict.
    func create(clientID: String, externalID: String, fields: ConfigurationFields) async throws -> ConfigurationRecord {
        guard let issuer = fields.issuer, let account = fields.account, let agency = fields.agency,
              let wallet = fields.wallet else {
            throw ServiceError.invalid("issuer", "issuer, issuer_account, issuer_agency and issuer_wallet are required.")
        }
        let now = Timestamp.now()
        var record = ConfigurationRecord(id: Identifiers.make("cf"), clientID: clientID, externalID: externalID,
                                         issuer: issuer, issuerAccount: account, issuerAgency: agency, issuerWallet: wallet,
                                         sandboxScenario: fields.scenario, beneficiaryDocument: fields.beneficiary,
                                         issuerBank: fields.issuerBank, cnab: fields.cnab, beneficiaryName: fields.beneficiaryName,
                                         pix: fields.pix, createdAt: now, updatedAt: now)
        try check(&record)
        do { try await store.insertConfiguration(record) } catch StoreError.duplicate(let field) {
            throw ServiceError.conflict("A configuration with this external_id already exists.", field: field)
        }
        return record
    }

    /// Changes the fields sent, and checks the result as a whole.
    func update(_ current: ConfigurationRecord, fields: ConfigurationFields) async throws -> ConfigurationRecord {
        var record = current
        record.issuer = fields.issuer ?? record.issuer
        record.issuerAccount = fields.account ?? record.issuerAccount
        record.issuerAgency = fields.agency ?? record.issuerAgency
        record.issuerWallet = fields.wallet ?? record.issuerWallet
        if fields.scenarioSent { record.sandboxScenario = fields.scenario }
        if fields.beneficiarySent { record.beneficiaryDocument = fields.beneficiary }
        if fields.issuerBankSent { record.issuerBank = fields.issuerBank }
        if fields.cnabSent { record.cnab = fields.cnab }
        if fields.beneficiaryNameSent { record.beneficiaryName = fields.beneficiaryName }
        if fields.pixSent { record.pix = fields.pix }
        record.updatedAt = Timestamp.now()
        try check(&record)
        try await store.updateConfiguration(record)
        return record
    }

    /// A client's configuration by id.
    func find(clientID: String, id: String) async throws -> ConfigurationRecord {
        guard !id.isEmpty, let record = try await store.configuration(clientID: clientID, id: id) else {
            throw ServiceError.notFound("Configuration")
        }
        return record
    }

    /// A client's configuration by external id.
    func find(clientID: String, externalID: String) async throws -> ConfigurationRecord {
        guard !externalID.isEmpty, let record = try await store.configuration(clientID: clientID, externalID: externalID) else {
            throw ServiceError.notFound("Configuration")
        }
        return record
    }

    /// Checks the account data against the issuer's barcode layout, so a configuration that can never issue a
    /// boleto is refused when it is written rather than at the first boleto.
    private func check(_ record: inout ConfigurationRecord) throws {
        try Self.settleCNAB(&record)
        guard let provider = providers.entry(for: record.issuer, bank: record.issuerBank) else {
            throw ServiceError.invalid([.invalid("issuer", ProviderDirectory.missing(record.issuer))])
        }
        if provider.needsBeneficiary && record.beneficiaryDocument == nil {
            throw ServiceError.invalid([.invalid("beneficiary_document_number",
                                                "beneficiary_document_number is required for \(record.issuer) configurations.")])
        }
        if record.sandboxScenario != nil && !provider.isSandbox {
            throw ServiceError.invalid([.invalid("sandbox_scenario", "sandbox_scenario applies to sandbox issuers only.")])
        }
        let input = ProviderDirectory.input(bank: provider.bank, amount: 100, dueDate: .todayInSaoPaulo(),
                                            agency: record.issuerAgency, account: record.issuerAccount,
                                            wallet: record.issuerWallet, titleID: 1, cnab: record.cnab,
                                            bankFields: provider.bankFields, issued: .todayInSaoPaulo())
        do { _ = try Boleto(input) } catch { throw ServiceError.invalid([.boleto(error)]) }
        if record.cnab != nil { try Self.checkRemessaHeader(record) }
        if let pix = record.pix { _ = try BoletoService.pixPayload(pix, amount: 100, txid: "CHECK") }
    }

    /// A `cnab` configuration needs `issuer_bank` (a bank with a remessa writer) and `cnab` (its layout defaulting to
    /// the bank's only one); the other issuers take neither.
    private static func settleCNAB(_ record: inout ConfigurationRecord) throws {
        guard record.issuer == Issuer.cnab else {
            if record.issuerBank != nil {
                throw ServiceError.invalid([.invalid("issuer_bank", "issuer_bank applies to cnab configurations only.")])
            }
            if record.cnab != nil { throw ServiceError.invalid([.invalid("cnab", "cnab applies to cnab configurations only.")]) }
            return
        }
        guard let bank = record.issuerBank else {
            throw ServiceError.invalid([.invalid("issuer_bank", "issuer_bank is required for cnab configurations: one of [\(RemessaBuilder.banks.joined(separator: ", "))].")])
        }
        guard var settings = record.cnab else {
            throw ServiceError.invalid([.invalid("cnab", "cnab is required for cnab configurations (at least cnab.company_name).")])
        }
        let layouts = RemessaBuilder.layouts(bank: bank)
        if settings.layout.isEmpty {
            guard layouts.count == 1 else {
                throw ServiceError.invalid([.invalid("cnab.layout", "cnab.layout is required for bank \(bank): one of [\(layouts.joined(separator: ", "))].")])
            }
            settings.layout = layouts[0]
        }
        guard layouts.contains(settings.layout) else {
            throw ServiceError.invalid([.invalid("cnab.layout", "cnab.layout must be one of [\(layouts.joined(separator: ", "))] for bank \(bank).")])
        }
        if RemessaBuilder.writer(bank: bank, layout: settings.layout)?.walletIsCode == true && settings.walletCode == nil {
            throw ServiceError.invalid([.invalid("cnab.wallet_code", "cnab.wallet_code is required for bank \(bank) CNAB \(settings.layout): the remessa's one-digit código da carteira (1 eletrônica com registro, 5 rápida com registro), apart from the barcode's carteira in issuer_wallet.")])
        }
        record.cnab = settings
    }

    /// Writes a one-title remessa with the configuration's header, so that a header the bank's layout cannot carry
    /// (a company name too long, a missing código) is refused when the configuration is written.
    private static func checkRemessaHeader(_ record: ConfigurationRecord) throws {
        guard let settings = record.cnab, let bank = record.issuerBank,
              let writer = RemessaBuilder.writer(bank: bank, layout: settings.layout) else { return }
        let sample = CNABRemessaTitle(
            nossoNumero: "1", nossoNumeroDV: "0", documentNumber: "1", dueDate: .todayInSaoPaulo(), issueDate: .todayInSaoPaulo(),
            amountCents: 100, payer: CNABPayer(document: CNABDocument(unchecked: .cpf, digits: "00000000191"), name: "PAGADOR",
                                                address: "RUA", zipcode: "01001000"))
        do {
            _ = try writer.write(header: RemessaBuilder.header(record, settings: settings, sequence: settings.firstSequence,
                                                               date: .todayInSaoPaulo()),
                                 titles: [sample], lineEnding: .crlf)
        } catch {
            throw ServiceError.invalid([.invalid(RemessaBuilder.field(of: error), RemessaBuilder.message(of: error))])
        }
    }
}
