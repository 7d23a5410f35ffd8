import BoletoJSON

// The JSON bodies the API takes, as `Decodable` types. Every field is a `JSONField`, so `JSONValueDecoder` reads a
// whole body even when some fields are of the wrong type, and reports each such field, each unknown key and each
// repeated key with its path. The rules that follow typing (required, lengths, ranges, formats) are in the readers
// (`CreateBoletoRequest`, `FieldRules`, the handlers), through `FieldChecks`.

/// `POST /boletos`.
struct CreateBoletoBody: Decodable {
    var queueURL: JSONField<String>
    var webhookURL: JSONField<String>
    var expirationDate: JSONField<String>
    var amount: JSONField<Int64>
    var instructions: JSONField<String>
    var issuer: JSONField<String>
    var issuerAccount: JSONField<String>
    var issuerAgency: JSONField<String>
    var issuerWallet: JSONField<String>
    var titleID: JSONField<Int64>
    var register: JSONField<Bool>
    var payerName: JSONField<String>
    var payerDocumentType: JSONField<String>
    var payerDocumentNumber: JSONField<String>
    var payerAddress: JSONField<AddressBody>
    var companyName: JSONField<String>
    var companyDocumentNumber: JSONField<String>
    var companyAddress: JSONField<AddressBody>
    var beneficiaryDocumentNumber: JSONField<String>
    var interest: JSONField<ChargeBody>
    var fine: JSONField<ChargeBody>
    var discounts: JSONField<[DiscountBody]>
    var abatement: JSONField<Int64>
    var protestDays: JSONField<Int64>
    var writeOffDays: JSONField<Int64>
    var paymentLimitDate: JSONField<String>
    var referenceID: JSONField<String>
    var externalID: JSONField<String>

    enum CodingKeys: String, CodingKey {
        case queueURL = "queue_url", webhookURL = "webhook_url", expirationDate = "expiration_date", amount, instructions
        case issuer, issuerAccount = "issuer_account", issuerAgency = "issuer_agency", issuerWallet = "issuer_wallet"
        case titleID = "title_id", register, payerName = "payer_name", payerDocumentType = "payer_document_type"
        case payerDocumentNumber = "payer_document_number", payerAddress = "payer_address", companyName = "company_name"
        case companyDocumentNumber = "company_document_number", companyAddress = "company_address"
        case beneficiaryDocumentNumber = "beneficiary_document_number", interest, fine, referenceID = "reference_id"
        case externalID = "external_id", discounts, abatement, protestDays = "protest_days", writeOffDays = "write_off_days"
        case paymentLimitDate = "payment_limit_date"
    }
}

/// `payer_address`, `company_address`. `street_number` is a string or a non-negative integer.
struct AddressBody: Decodable {
    var zipcode: JSONField<String>
    var street: JSONField<String>
    var streetNumber: JSONField<JSON>
    var complementary: JSONField<String>
    var neighborhood: JSONField<String>
    var city: JSONField<String>
    var state: JSONField<String>

    enum CodingKeys: String, CodingKey {
        case zipcode, street, streetNumber = "street_number", complementary, neighborhood, city, state
    }
}

/// `interest`, `fine`: `{type, value, start_date}`, or superbowleto's `{percentage, amount, days}`.
struct ChargeBody: Decodable {
    var type: JSONField<String>
    var value: JSONField<Double>
    var startDate: JSONField<String>
    var percentage: JSONField<Double>
    var amount: JSONField<Int64>
    var days: JSONField<Int64>

    enum CodingKeys: String, CodingKey {
        case type, value, startDate = "start_date", percentage, amount, days
    }
}

/// One of `discounts`: `{type, value, until}`.
struct DiscountBody: Decodable {
    var type: JSONField<String>
    var value: JSONField<Double>
    var until: JSONField<String>
}

/// `PATCH /boletos/:id`: superbowleto's payment fields, or a change carried to the bank.
struct UpdateBoletoBody: Decodable {
    var paidAmount: JSONField<Int64>
    var bankResponseCode: JSONField<String>
    var expirationDate: JSONField<String>
    var amount: JSONField<Int64>
    var discounts: JSONField<[DiscountBody]>
    var abatement: JSONField<Int64>
    var protestDays: JSONField<Int64>
    var writeOffDays: JSONField<Int64>

    enum CodingKeys: String, CodingKey {
        case paidAmount = "paid_amount", bankResponseCode = "bank_response_code", expirationDate = "expiration_date", amount
        case discounts, abatement, protestDays = "protest_days", writeOffDays = "write_off_days"
    }

    /// Whether it asks for a change of the boleto at its bank.
    var asksForChange: Bool {
        expirationDate.isSent || amount.isSent || discounts.isSent || abatement.isSent || protestDays.isSent || writeOffDays.isSent
    }
}

/// `POST /boletos/:id/cancel`: an empty object when a body is sent.
struct CancelBoletoBody: Decodable {
    private enum CodingKeys: CodingKey {}

    init(from decoder: any Decoder) throws {
        _ = try decoder.container(keyedBy: CodingKeys.self)
    }
}

/// The account fields of `POST /configurations` and `PATCH /configurations/:id`.
struct AccountBody: Decodable {
    var issuer: JSONField<String>
    var issuerAccount: JSONField<String>
    var issuerAgency: JSONField<String>
    var issuerWallet: JSONField<String>
    var sandboxScenario: JSONField<String>
    var beneficiaryDocumentNumber: JSONField<String>
    var issuerBank: JSONField<String>
    var cnab: JSONField<CNABBody>
    var beneficiaryName: JSONField<String>
    var pix: JSONField<PixBody>

    enum CodingKeys: String, CodingKey {
        case issuer, issuerAccount = "issuer_account", issuerAgency = "issuer_agency", issuerWallet = "issuer_wallet"
        case sandboxScenario = "sandbox_scenario", beneficiaryDocumentNumber = "beneficiary_document_number"
        case issuerBank = "issuer_bank", cnab, beneficiaryName = "beneficiary_name", pix
    }
}

/// `POST /configurations`: an `external_id` and the account fields, in one object.
struct CreateConfigurationBody: Decodable {
    var externalID: JSONField<String>
    var account: AccountBody

    enum CodingKeys: String, CodingKey {
        case externalID = "external_id"
    }

    init(from decoder: any Decoder) throws {
        externalID = try decoder.container(keyedBy: CodingKeys.self).decode(JSONField<String>.self, forKey: .externalID)
        account = try AccountBody(from: decoder)
    }
}

/// A configuration's `cnab` object.
struct CNABBody: Decodable {
    var layout: JSONField<String>
    var companyName: JSONField<String>
    var companyCode: JSONField<String>
    var beneficiaryCode: JSONField<String>
    var walletCode: JSONField<String>
    var walletVariation: JSONField<String>
    var agencyDV: JSONField<String>
    var accountDV: JSONField<String>
    var extra: JSONField<JSON>
    var firstSequence: JSONField<Int64>

    enum CodingKeys: String, CodingKey {
        case layout, companyName = "company_name", companyCode = "company_code", beneficiaryCode = "beneficiary_code"
        case walletCode = "wallet_code", walletVariation = "wallet_variation", agencyDV = "agency_dv"
        case accountDV = "account_dv", extra, firstSequence = "first_sequence"
    }
}

/// A configuration's `pix` object.
struct PixBody: Decodable {
    var key: JSONField<String>
    var url: JSONField<String>
    var name: JSONField<String>
    var city: JSONField<String>
}

/// `POST /remessas`.
struct RemessaBody: Decodable {
    var externalID: JSONField<String>
    var limit: JSONField<Int64>

    enum CodingKeys: String, CodingKey {
        case externalID = "external_id", limit
    }
}

/// `POST /retornos`.
struct RetornoBody: Decodable {
    var externalID: JSONField<String>
    var contentBase64: JSONField<String>

    enum CodingKeys: String, CodingKey {
        case externalID = "external_id", contentBase64 = "content_base64"
    }
}
