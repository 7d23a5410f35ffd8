import BoletoJSON
import Providers

/// The JSON resources the API answers with.
enum Resources {
    static func boleto(_ b: BoletoRecord) -> JSON {
        let d = b.details
        return .object([
            ("object", .string("boleto")),
            ("id", .string(b.id)),
            ("token", .string(b.token)),
            ("status", .string(b.status.rawValue)),
            ("queue_url", JSON(d.queueURL)),
            ("webhook_url", JSON(d.webhookURL)),
            ("expiration_date", .string(b.dueDate)),
            ("amount", .int(b.amount)),
            ("paid_amount", .int(b.paidAmount)),
            ("instructions", JSON(d.instructions)),
            ("issuer", .string(b.issuer)),
            ("issuer_id", .null),
            ("issuer_account", .string(b.issuerAccount)),
            ("issuer_agency", .string(b.issuerAgency)),
            ("issuer_wallet", .string(b.issuerWallet)),
            ("issuer_response_code", JSON(b.issuerResponseCode)),
            ("bank", .string(b.bank)),
            ("title_id", .int(b.titleID)),
            ("nosso_numero", .string(b.nossoNumero)),
            ("barcode", .string(b.barcode)),
            ("digitable_line", .string(b.digitableLine)),
            ("payer_name", JSON(d.payerName)),
            ("payer_document_type", JSON(d.payerDocumentType)),
            ("payer_document_number", JSON(b.payerDocumentNumber)),
            ("payer_address", address(d.payerAddress)),
            ("company_name", JSON(d.companyName)),
            ("company_document_number", JSON(d.companyDocumentNumber)),
            ("beneficiary_document_number", JSON(d.beneficiaryDocument)),
            ("company_address", address(d.companyAddress)),
            ("interest", charge(d.interest)),
            ("fine", charge(d.fine)),
            ("reference_id", JSON(b.referenceID)),
            ("external_id", JSON(d.externalID)),
            ("bank_response_code", JSON(b.bankResponseCode)),
            ("register", .bool(d.register)),
            ("boleto_url", JSON(d.bankURL)),
            ("pix_qr_code", JSON(d.pixPayload)),
            ("beneficiary_name", JSON(d.beneficiaryName)),
            ("created_at", .string(b.createdAt)),
            ("updated_at", .string(b.updatedAt)),
        ])
    }

    static func address(_ a: PostalAddress?) -> JSON {
        guard let a else { return .null }
        return .object([
            ("zipcode", .string(a.zipcode)), ("street", .string(a.street)), ("street_number", .string(a.streetNumber)),
            ("complementary", JSON(a.complementary)), ("neighborhood", .string(a.neighborhood)),
            ("city", .string(a.city)), ("state", .string(a.state)),
        ])
    }

    static func charge(_ c: ChargeTerms?) -> JSON {
        guard let c else { return .null }
        return .object([
            ("percentage", c.percentage.map { .double($0) } ?? .null),
            ("amount", c.amount.map { .int($0) } ?? .null),
            ("days", c.days.map { .int(Int64($0)) } ?? .null),
        ])
    }

    static func event(_ e: BoletoEvent) -> JSON {
        .object([
            ("object", .string("boleto_event")),
            ("id", .string(e.id)),
            ("boleto_id", .string(e.boletoID)),
            ("type", .string(e.type)),
            ("status", .string(e.status.rawValue)),
            ("previous_status", JSON(e.previousStatus?.rawValue)),
            ("detail", (try? JSON.parse(e.detail)) ?? .object([])),
            ("created_at", .string(e.createdAt)),
        ])
    }

    static func configuration(_ c: ConfigurationRecord) -> JSON {
        .object([
            ("object", .string("configuration")),
            ("id", .string(c.id)),
            ("external_id", .string(c.externalID)),
            ("issuer", .string(c.issuer)),
            ("issuer_account", .string(c.issuerAccount)),
            ("issuer_agency", .string(c.issuerAgency)),
            ("issuer_wallet", .string(c.issuerWallet)),
            ("sandbox_scenario", JSON(c.sandboxScenario)),
            ("beneficiary_document_number", JSON(c.beneficiaryDocument)),
            ("issuer_bank", JSON(c.issuerBank)),
            ("cnab", cnab(c.cnab)),
            ("beneficiary_name", JSON(c.beneficiaryName)),
            ("pix", c.pix.map { .object([("key", JSON($0.key)), ("url", JSON($0.url)), ("name", .string($0.name)),
                                         ("city", .string($0.city))]) } ?? .null),
            ("created_at", .string(c.createdAt)),
            ("updated_at", .string(c.updatedAt)),
        ])
    }

    static func cnab(_ s: CNABSettings?) -> JSON {
        guard let s else { return .null }
        return .object([
            ("layout", .string(s.layout)), ("company_name", .string(s.companyName)), ("company_code", JSON(s.companyCode)),
            ("beneficiary_code", JSON(s.beneficiaryCode)), ("agency_dv", JSON(s.agencyDV)), ("account_dv", JSON(s.accountDV)),
            ("wallet_code", JSON(s.walletCode)), ("wallet_variation", JSON(s.walletVariation)),
            ("extra", s.extra.map { .object($0.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }) } ?? .null),
            ("first_sequence", .int(Int64(s.firstSequence))),
        ])
    }

    /// A remessa's description (the file itself is `GET /remessas/:id`).
    static func remessa(_ r: RemessaRecord) -> JSON {
        .object([
            ("object", .string("remessa")), ("id", .string(r.id)), ("external_id", .string(r.externalID)),
            ("bank", .string(r.bank)), ("layout", .string(r.layout)), ("sequence", .int(Int64(r.sequence))),
            ("boleto_count", .int(Int64(r.boletoIDs.count))), ("total_amount", .int(r.totalAmount)),
            ("boleto_ids", .array(r.boletoIDs.map(JSON.string))), ("size", .int(Int64(r.content.utf8.count))),
            ("sha256", .string(r.sha256)), ("file_url", .string("/remessas/\(r.id)")), ("created_at", .string(r.createdAt)),
        ])
    }
}
