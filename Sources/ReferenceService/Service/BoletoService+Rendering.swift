import BoletoKit
import BoletoRender
import Foundation

extension BoletoService {
    /// The BR Code of a boleto híbrido: static (the key, the boleto's amount, its id as txid) or dynamic (the location).
    /// A rule the settings break is a 400 naming the `pix` field.
    static func pixPayload(_ pix: PixSettings, amount: Int64, txid: String) throws -> String {
        do {
            if let key = pix.key {
                return try PixBRCode(key: key, name: pix.name, city: pix.city, amountCents: amount, txid: txid).payload
            }
            return try PixBRCode(url: pix.url ?? "", name: pix.name, city: pix.city, amountCents: amount).payload
        } catch {
            throw ServiceError.invalid([.invalid("pix." + error.field, "pix.\(error.field): \(error.message)")])
        }
    }

    /// What the printed boleto shows for a stored boleto.
    static func sheet(_ record: BoletoRecord) -> BoletoSheet {
        let details = record.details
        func formatted(_ document: String?) -> String? { document.flatMap { try? Document($0) }?.formatted }
        var address: [String] = []
        if let a = details.payerAddress {
            address.append([a.street + ", " + a.streetNumber, a.complementary ?? "", a.neighborhood].filter { !$0.isEmpty }.joined(separator: " — "))
            address.append("\(a.zipcode) \(a.city) - \(a.state)")
        }
        let issued = Timestamp.parse(record.createdAt).map { CalendarDate($0, in: .saoPaulo) } ?? .todayInSaoPaulo()
        var sheet = BoletoSheet(
            bank: record.bank, barcode: record.barcode, digitableLine: record.digitableLine,
            dueDate: CalendarDate(iso: record.dueDate) ?? issued, amountCents: record.amount,
            beneficiaryName: details.beneficiaryName ?? details.companyName ?? "",
            beneficiaryDocument: formatted(details.beneficiaryDocument ?? details.companyDocumentNumber),
            agencyCode: "\(record.issuerAgency) / \(record.issuerAccount)", nossoNumero: record.nossoNumero,
            documentNumber: String(record.titleID), documentDate: issued, wallet: record.issuerWallet,
            // The terms first, as the banks print them, then the merchant's own text.
            instructions: (record.terms.flatMap { terms in CalendarDate(iso: record.dueDate).map { terms.instructionLines(amountCents: record.amount, dueDate: $0) } } ?? [])
                + (details.instructions ?? "").split(separator: "\n").map(String.init),
            payerName: details.payerName ?? "", payerDocument: formatted(record.payerDocumentNumber), payerAddress: address,
            guarantor: details.beneficiaryName != nil ? details.companyName : nil, pixPayload: details.pixPayload)
        sheet.installment = details.carne.map { "\($0.number)/\($0.count)" }
        return sheet
    }
}
