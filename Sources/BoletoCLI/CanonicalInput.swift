import BoletoJSON
import BoletoKit

/// Reads the canonical input object (`SCHEMA.md` §2) into a ``BoletoInput``.
///
/// Identifier fields take a string of digits (an integer is accepted and read as its digits); unknown keys, at the
/// top level and in `extra`, are errors, so a misspelt optional field cannot silently change a barcode.
public enum CanonicalInput {
    static let stringFields = [
        "agency", "agency_dv", "account", "account_dv", "beneficiary_code", "wallet", "wallet_variation",
    ]
    static let knownFields = Set(["bank", "amount_cents", "due_date", "nosso_numero", "extra"] + stringFields)

    /// Decodes one line of JSON text.
    public static func decode(line: String) throws(BoletoError) -> BoletoInput {
        let json: JSON
        do { json = try JSON.parse(line) } catch {
            throw BoletoError(.malformedInput, "The line is not valid JSON.")
        }
        return try decode(json)
    }

    /// Decodes a parsed JSON object.
    public static func decode(_ json: JSON) throws(BoletoError) -> BoletoInput {
        guard case .object(let pairs) = json else {
            throw BoletoError(.malformedInput, "Each line must be a JSON object.")
        }
        // A line of a vector file (`{"id", "input": {…}, "expected": …}`) carries the canonical object under `input`.
        if case .object? = json["input"] {
            return try decode(json["input"]!)
        }
        for (key, _) in pairs where !knownFields.contains(key) {
            throw BoletoError(.invalidValue, field: key, "The field \(key) is not part of the canonical input.")
        }
        guard var bank = try text(json["bank"], field: "bank"), !bank.isEmpty else { throw missing("bank") }
        if bank.utf8.count < 3, Digits(bank) != nil { bank = String(repeating: "0", count: 3 - bank.utf8.count) + bank }
        guard bank.utf8.count == 3, Digits(bank) != nil else {
            throw BoletoError(.invalidValue, field: "bank", "The field bank must be a 3-digit FEBRABAN code.")
        }
        guard let amountJSON = json["amount_cents"], amountJSON != .null else { throw missing("amount_cents") }
        guard case .int(let amount) = amountJSON else {
            throw BoletoError(.invalidValue, field: "amount_cents", "The field amount_cents must be an integer number of cents.")
        }
        guard let dueJSON = json["due_date"] else { throw missing("due_date", " (null for no due date)") }
        var dueDate: CalendarDate?
        switch dueJSON {
        case .null: dueDate = nil
        case .string(let value):
            guard let date = CalendarDate(iso: value) else {
                throw BoletoError(.invalidDate, field: "due_date", "The field due_date must be a YYYY-MM-DD date or null.")
            }
            dueDate = date
        default:
            throw BoletoError(.invalidDate, field: "due_date", "The field due_date must be a YYYY-MM-DD date or null.")
        }
        guard let nossoNumero = try text(json["nosso_numero"], field: "nosso_numero") else { throw missing("nosso_numero") }
        var values: [String: String] = [:]
        for field in stringFields {
            if let value = try text(json[field], field: field) { values[field] = value }
        }
        var extra: [String: String] = [:]
        if let extraJSON = json["extra"], extraJSON != .null {
            guard case .object(let extraPairs) = extraJSON else {
                throw BoletoError(.invalidValue, field: "extra", "The field extra must be an object.")
            }
            for (key, value) in extraPairs {
                guard BoletoInput.extraFieldNames.contains(key) else {
                    throw BoletoError(.invalidValue, field: "extra.\(key)", "The field extra.\(key) is not a known bank-specific field.")
                }
                if let text = try text(value, field: "extra.\(key)") { extra[key] = text }
            }
        }
        return BoletoInput(bank: bank, amountCents: amount, dueDate: dueDate, agency: values["agency"],
                           agencyDV: values["agency_dv"], account: values["account"], accountDV: values["account_dv"],
                           beneficiaryCode: values["beneficiary_code"], wallet: values["wallet"],
                           walletVariation: values["wallet_variation"], nossoNumero: nossoNumero, extra: extra)
    }

    private static func text(_ json: JSON?, field: String) throws(BoletoError) -> String? {
        switch json {
        case nil, .null?: return nil
        case .string(let value)?: return value
        case .int(let value)? where value >= 0: return String(value)
        default:
            throw BoletoError(.invalidValue, field: field, "The field \(field) must be a string of digits (or a non-negative integer).")
        }
    }

    private static func missing(_ field: String, _ why: String = "") -> BoletoError {
        BoletoError(.missingField, field: field, "The field \(field) is required\(why).")
    }
}
