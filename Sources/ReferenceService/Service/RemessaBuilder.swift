import BoletoKit
import Foundation
import Providers

/// Turns a `cnab` configuration and its boletos into a remessa file, with Providers' writers. Free text (names,
/// addresses) is normalised into the CNAB character set, since API input is UTF-8; a value that still does not fit
/// its field is an error naming the request field, never truncated.
enum RemessaBuilder {
    /// The writer for a configuration's bank and layout.
    static func writer(bank: String, layout: String) -> (any CNABRemessaLayout)? {
        CNABFormat(rawValue: layout).flatMap { CNABRemessaLayouts.layout(bank: bank, format: $0) }
    }

    /// The layouts a bank has a writer for.
    static func layouts(bank: String) -> [String] {
        CNABRemessaLayouts.all.filter { $0.bank == bank }.map(\.format.rawValue).sorted()
    }

    /// The banks with a writer.
    static var banks: [String] { Array(Set(CNABRemessaLayouts.all.map(\.bank))).sorted() }

    /// The file header of a configuration's remessa number `sequence`.
    static func header(_ configuration: ConfigurationRecord, settings: CNABSettings, sequence: Int, date: CalendarDate) -> CNABRemessaHeader {
        let layout = writer(bank: configuration.issuerBank ?? "", layout: settings.layout)
        let walletIsCode = layout?.walletIsCode ?? false
        return CNABRemessaHeader(
            companyName: CNABText.normalize(settings.companyName),
            companyDocument: configuration.beneficiaryDocument.flatMap { try? Document($0) }.map(CNABDocument.init),
            companyCode: settings.companyCode, agency: configuration.issuerAgency, agencyDV: settings.agencyDV,
            account: configuration.issuerAccount, accountDV: settings.accountDV,
            wallet: walletIsCode ? settings.walletCode ?? configuration.issuerWallet : configuration.issuerWallet,
            walletCode: settings.walletCode, walletVariation: settings.walletVariation,
            agreement: settings.beneficiaryCode ?? layout?.defaultAgreement(account: configuration.issuerAccount),
            fileDate: date, sequence: sequence)
    }

    /// The beneficiary a configuration's files name, as its remessa header writes it: the agency and account, and the
    /// contract code (Bradesco's código da empresa; otherwise the convênio or código do beneficiário, Caixa's default
    /// being the account).
    static func beneficiary(_ configuration: ConfigurationRecord, settings: CNABSettings) -> CNABBeneficiary {
        let bank = configuration.issuerBank ?? ""
        let code = bank == "237" ? settings.companyCode
            : settings.beneficiaryCode ?? writer(bank: bank, layout: settings.layout)?.defaultAgreement(account: configuration.issuerAccount)
        return CNABBeneficiary(agency: configuration.issuerAgency, account: configuration.issuerAccount, code: code)
    }

    /// Refuses (400 naming `content_base64` and the part) a retorno that names a beneficiary other than the
    /// configuration's, in its header or in any title, or that names none this configuration can be compared with.
    static func checkBeneficiary(of retorno: CNABRetorno, configuration: ConfigurationRecord, settings: CNABSettings) throws {
        let expected = beneficiary(configuration, settings: settings)
        var compared = 0
        var named: [(where: String, CNABBeneficiary)] = [("header", retorno.beneficiary)]
        named += retorno.titles.compactMap { title in title.beneficiary.map { ("line \(title.line)", $0) } }
        for (place, found) in named {
            let (mismatches, count) = found.mismatches(with: expected)
            compared += count
            if let first = mismatches.first {
                let part = first.part == .code ? "beneficiary code" : first.part.rawValue
                throw ServiceError.invalid([.invalid("content_base64", "content_base64 is a retorno of another beneficiary: its \(place) names \(part) \(first.found), the configuration's is \(first.expected). Nothing was applied.")])
            }
        }
        guard compared > 0 else {
            throw ServiceError.invalid([.invalid("content_base64", "content_base64 names no beneficiary agency, account or code to compare with the configuration's, so it cannot be applied to it.")])
        }
    }

    /// A boleto as a remessa title, with its terms as `layout` codes them: its entry (movement 01), or for a registered
    /// boleto with a pending `cnab` change, the change's movement (a pedido de baixa, an alteration) with the changed
    /// values. Nil when it lacks the payer a remessa must carry.
    static func title(_ record: BoletoRecord, layout: any CNABRemessaLayout) -> CNABRemessaTitle? {
        if let pending = record.details.pendingChange, record.status == .registered, let movement = pending.movement {
            // An instruction: the title's record with the changed values, under the change's movement.
            let changed = pending.alteration.flatMap { try? record.altered(by: $0) } ?? record
            var title = entry(changed, layout: layout)
            title?.movement = movement
            return title
        }
        return entry(record, layout: layout)
    }

    /// A boleto's entry (movement 01).
    private static func entry(_ record: BoletoRecord, layout: any CNABRemessaLayout) -> CNABRemessaTitle? {
        guard let document = record.payerDocumentNumber.flatMap({ try? Document($0) }), let name = record.details.payerName,
              let address = record.details.payerAddress, let due = CalendarDate(iso: record.dueDate) else { return nil }
        let street = [address.street + ", " + address.streetNumber, address.complementary ?? ""]
            .filter { !$0.isEmpty }.joined(separator: " ")
        let payer = CNABPayer(document: CNABDocument(document), name: CNABText.normalize(name), address: CNABText.normalize(street),
                              neighborhood: CNABText.normalize(address.neighborhood), city: CNABText.normalize(address.city),
                              state: CNABText.normalize(address.state), zipcode: address.zipcode.filter(\.isNumber))
        let parts = record.nossoNumero.split(separator: "-")
        let issued = Timestamp.parse(record.createdAt).map { CalendarDate($0, in: .saoPaulo) } ?? due
        var title = CNABRemessaTitle(movement: "01", nossoNumero: String(record.titleID),
                                     nossoNumeroDV: parts.count > 1 ? String(parts.last!) : nil,
                                     documentNumber: String(record.titleID), control: String(record.titleID), dueDate: due,
                                     issueDate: issued, amountCents: record.amount, payer: payer)
        title.pix = pixRequest(record)
        layout.encode(record.details.terms, into: &title)
        return title
    }

    /// The boleto híbrido's PIX request, for the layouts with a PIX record (Santander 400's type 8): the key and txid
    /// of the BR Code the boleto was issued with (its configuration's static key), for exactly the boleto's amount
    /// (payment type 03, "não aceita divergente"). Nil for a boleto without a keyed BR Code. Layouts without a PIX
    /// record ignore it; their boletos keep the static code the merchant's own key receives.
    static func pixRequest(_ record: BoletoRecord) -> CNABPixRequest? {
        guard let payload = record.details.pixPayload, let code = try? PixBRCode.parse(payload), let key = code.key else { return nil }
        return CNABPixRequest(keyType: pixKeyType(key), key: key, txid: code.txid == "***" ? "" : code.txid, paymentType: "03",
                              maximumCents: record.amount, minimumCents: record.amount)
    }

    /// The DICT key type of `key`: 1 CPF, 2 CNPJ, 3 phone (`+55…`), 4 e-mail, 5 random key (EVP).
    static func pixKeyType(_ key: String) -> String {
        if key.hasPrefix("+") { return "3" }
        if key.contains("@") { return "4" }
        if let document = try? Document(key), document.value == key { return document.kind == .cpf ? "1" : "2" }
        return "5"
    }

    /// The request field a writer error concerns: the boleto's for title fields, the configuration's for header ones.
    static func field(of error: CNABWriteError) -> String {
        switch error.field.split(separator: " ").first.map(String.init) ?? "" {
        case "payerName": "payer_name"
        case "payerAddress": "payer_address.street"
        case "payerNeighborhood": "payer_address.neighborhood"
        case "payerCity": "payer_address.city"
        case "payerState": "payer_address.state"
        case "payerZipcode": "payer_address.zipcode"
        case "payerDocument", "payerKind": "payer_document_number"
        case "amount": "amount"
        case "interestPerDay", "interest", "interestDate", "interestCode": "interest"
        case "fineCode", "finePercent", "fine", "fineDate", "code", "date", "value": "fine"
        case "discount", "discountDate", "discountCode", "secondDiscountDate", "discount2", "discount2Date", "discount3",
             "discount3Date": "discounts"
        case "rebate": "abatement"
        case "protestDays", "instruction1", "instruction2", "writeOffDays": "terms"
        case "dueDate": "expiration_date"
        case "nossoNumero", "nossoNumeroDV", "documentNumber", "control": "title_id"
        case "companyName": "cnab.company_name"
        case "companyCode": "cnab.company_code"
        case "companyDocument": "beneficiary_document_number"
        case "agreement": "cnab.beneficiary_code"
        case "agencyDV": "cnab.agency_dv"
        case "accountDV", "agencyAccountDV": "cnab.account_dv"
        case "walletCode": "cnab.wallet_code"
        case "walletVariation": "cnab.wallet_variation"
        case "agency": "issuer_agency"
        case "account": "issuer_account"
        case "wallet": "issuer_wallet"
        case "sequence", "remessaSequence": "cnab.first_sequence"
        default: "cnab"
        }
    }

    /// The message of a writer error for an API client: the field and what is wrong, without the value.
    static func message(of error: CNABWriteError) -> String {
        "\(field(of: error)): \(error.message) (remessa \(error.record), field \(error.field))."
    }
}
