import Providers

/// The one mapping from the field names of the layers below (BoletoKit's canonical input, Providers' request
/// fields) to this API's request field paths. Problems found below the service carry their own names
/// (``FieldError/Origin``); ``APIError`` names them here, prefixing the message with the path as every field error
/// does.
enum RequestFieldPaths {
    /// The request field a BoletoKit error's canonical field concerns.
    static func path(boletoField field: String?) -> String {
        switch field ?? "" {
        case "agency", "agency_dv": "issuer_agency"
        case "account", "account_dv": "issuer_account"
        case "wallet", "wallet_variation": "issuer_wallet"
        case "nosso_numero": "title_id"
        case "beneficiary_code": "cnab.beneficiary_code"
        case let name where name.hasPrefix("extra."): "cnab.extra"
        case "due_date": "expiration_date"
        case "amount_cents": "amount"
        default: "issuer"
        }
    }

    /// The request field a bank adapter's field concerns.
    static func path(_ field: RequestField) -> String {
        switch field {
        case .bank: "issuer"
        case .agency: "issuer_agency"
        case .account: "issuer_account"
        case .wallet, .walletVariation: "issuer_wallet"
        case .beneficiaryCode: "cnab.beneficiary_code"
        case .nossoNumero: "title_id"
        case .dueDate: "expiration_date"
        case .amount: "amount"
        case .beneficiary: "beneficiary_document_number"
        case .payerName: "payer_name"
        case .payerDocument: "payer_document_number"
        case .payerAddress: "payer_address"
        case .payerAddressPart(let part): "payer_address." + path(part)
        case .instructions: "instructions"
        case .terms(let path): path
        }
    }

    static func path(_ part: RequestField.AddressPart) -> String {
        switch part {
        case .zipcode: "zipcode"
        case .street: "street"
        case .streetNumber: "street_number"
        case .complementary: "complementary"
        case .neighborhood: "neighborhood"
        case .city: "city"
        case .state: "state"
        }
    }

    /// `problem` with its field named as the request names it.
    static func named(_ problem: FieldError) -> FieldError {
        guard let origin = problem.origin else { return problem }
        let path = switch origin {
        case .boleto(let field): path(boletoField: field)
        case .provider(let field): path(field)
        }
        return FieldError(problem.type, "\(path): \(problem.message)", field: path)
    }
}
