import BoletoKit
import Providers

extension ProviderDirectory {
    /// The barcode input of a boleto as stored: its bank, amount, due date, account, title id, and the CNAB settings
    /// and issue date it was created with.
    static func input(_ record: BoletoRecord) -> BoletoInput {
        input(bank: record.bank, amount: record.amount, dueDate: CalendarDate(iso: record.dueDate),
              agency: record.issuerAgency, account: record.issuerAccount, wallet: record.issuerWallet,
              titleID: record.titleID, cnab: record.details.cnab, bankFields: record.details.bankFields, issued: record.issueDate)
    }
}

extension BoletoRecord {
    /// The São Paulo calendar date the boleto was issued on.
    var issueDate: CalendarDate? { Timestamp.parse(createdAt).map { CalendarDate($0, in: .saoPaulo) } }
}

extension RegistrationRequest {
    /// The one builder of a registration request: what a provider is asked to register (or cancel) for a boleto, as
    /// stored or as about to be stored. `input` and `boleto` are the barcode input and boleto already computed for
    /// it (the create path); without them they are computed again from the record.
    init(_ record: BoletoRecord, input: BoletoInput? = nil, boleto: Boleto? = nil) throws {
        let input = input ?? ProviderDirectory.input(record)
        var hints: [String: String] = [:]
        if let scenario = record.details.sandboxScenario { hints[SandboxScenario.hintKey] = scenario }
        self.init(
            requestKey: record.id, input: input, boleto: try boleto ?? Boleto(input), payerName: record.details.payerName,
            payerDocument: record.payerDocumentNumber.flatMap { try? Document($0) }, payerAddress: record.details.payerAddress,
            instructions: record.details.instructions,
            beneficiary: record.details.beneficiaryDocument.flatMap { try? Document($0) }.map { Beneficiary(document: $0) },
            issueDate: record.issueDate, hints: hints, terms: record.terms)
    }
}
