import BoletoJSON
import BoletoKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads the canonical input object (`SCHEMA.md` §2) into a ``BoletoInput``.
///
/// Identifier fields take a string of digits (an integer is accepted and read as its digits); unknown keys, at the
/// top level and in `extra`, are errors, so a misspelt optional field cannot silently change a barcode.
public enum CanonicalInput {
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
        if let key = repeatedKey(pairs) {
            throw BoletoError(.invalidValue, field: key, "The field \(key) appears more than once.")
        }
        // A line of a vector file (`{"id", "input": {…}, "expected": …}`) carries the canonical object under `input`.
        if case .object? = json["input"] {
            return try decode(json["input"]!)
        }
        // The first unknown key in key order, whatever order the keys came in.
        if let key = pairs.lazy.map(\.0).filter({ Key($0) == nil }).min() {
            throw BoletoError(.invalidValue, field: key, "The field \(key) is not part of the canonical input.")
        }
        var fields = Fields()
        for key in Key.allCases { fields.set(json[key.name.description], for: key) }
        return try decode(fields)
    }

    /// The canonical object's top-level keys (`SCHEMA.md` §2): the one list that the JSON path, the unknown-key check
    /// and the byte-level reader (``CanonicalReader``) use.
    enum Key: Int, CaseIterable {
        case bank, amountCents, dueDate, nossoNumero, agency, agencyDV, account, accountDV, beneficiaryCode, wallet,
             walletVariation, extra

        /// The key as written in JSON.
        var name: StaticString {
            switch self {
            case .bank: "bank"
            case .amountCents: "amount_cents"
            case .dueDate: "due_date"
            case .nossoNumero: "nosso_numero"
            case .agency: "agency"
            case .agencyDV: "agency_dv"
            case .account: "account"
            case .accountDV: "account_dv"
            case .beneficiaryCode: "beneficiary_code"
            case .wallet: "wallet"
            case .walletVariation: "wallet_variation"
            case .extra: "extra"
            }
        }

        /// The key whose name is `utf8`, compared byte for byte; nil for any other text.
        init?(utf8: UnsafeBufferPointer<UInt8>) {
            // Raw values rather than `allCases`, which would build an array on every call.
            var raw = 0
            while let key = Key(rawValue: raw) {
                raw += 1
                let name = key.name
                // Length, first and last byte before the whole name: most keys differ in those.
                if name.utf8CodeUnitCount == utf8.count, name.utf8Start[0] == utf8[0], name.utf8Start[utf8.count - 1] == utf8[utf8.count - 1],
                   memcmp(name.utf8Start, utf8.baseAddress!, utf8.count) == 0 {
                    self = key
                    return
                }
            }
            return nil
        }

        /// The key named `name`; nil for any other text.
        init?(_ name: String) {
            var name = name
            guard let key = name.withUTF8({ Key(utf8: $0) }) else { return nil }
            self = key
        }
    }

    /// The canonical object's values by field, each the JSON value under its key, or nil when the key is absent.
    /// The object has been checked for unknown and repeated keys.
    struct Fields {
        var bank, amountCents, dueDate, nossoNumero, agency, agencyDV, account, accountDV, beneficiaryCode, wallet,
            walletVariation, extra: JSON?

        /// Stores the value under `key` (readers fill the fields by key; the checks read them by name).
        mutating func set(_ value: JSON?, for key: Key) {
            switch key {
            case .bank: bank = value
            case .amountCents: amountCents = value
            case .dueDate: dueDate = value
            case .nossoNumero: nossoNumero = value
            case .agency: agency = value
            case .agencyDV: agencyDV = value
            case .account: account = value
            case .accountDV: accountDV = value
            case .beneficiaryCode: beneficiaryCode = value
            case .wallet: wallet = value
            case .walletVariation: walletVariation = value
            case .extra: extra = value
            }
        }
    }

    /// The values' checks, in the order their errors are reported; the same for the byte-level reader
    /// (``CanonicalReader``) and the parsed object.
    static func decode(_ fields: borrowing Fields) throws(BoletoError) -> BoletoInput {
        guard var bank = try text(fields.bank, field: "bank"), !bank.isEmpty else { throw missing("bank") }
        if bank.utf8.count < 3, Digits(bank) != nil { bank = String(repeating: "0", count: 3 - bank.utf8.count) + bank }
        guard bank.utf8.count == 3, Digits(bank) != nil else {
            throw BoletoError(.invalidValue, field: "bank", "The field bank must be a 3-digit FEBRABAN code.")
        }
        guard let amountJSON = fields.amountCents, amountJSON != .null else { throw missing("amount_cents") }
        guard case .int(let amount) = amountJSON else {
            throw BoletoError(.invalidValue, field: "amount_cents", "The field amount_cents must be an integer number of cents.")
        }
        guard let dueJSON = fields.dueDate else { throw missing("due_date", " (null for no due date)") }
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
        guard let nossoNumero = try text(fields.nossoNumero, field: "nosso_numero") else { throw missing("nosso_numero") }
        let agency = try text(fields.agency, field: "agency")
        let agencyDV = try text(fields.agencyDV, field: "agency_dv")
        let account = try text(fields.account, field: "account")
        let accountDV = try text(fields.accountDV, field: "account_dv")
        let beneficiaryCode = try text(fields.beneficiaryCode, field: "beneficiary_code")
        let wallet = try text(fields.wallet, field: "wallet")
        let walletVariation = try text(fields.walletVariation, field: "wallet_variation")
        var extra: [String: String] = [:]
        if let extraJSON = fields.extra, extraJSON != .null {
            guard case .object(let extraPairs) = extraJSON else {
                throw BoletoError(.invalidValue, field: "extra", "The field extra must be an object.")
            }
            if let key = repeatedKey(extraPairs) {
                throw BoletoError(.invalidValue, field: "extra.\(key)", "The field extra.\(key) appears more than once.")
            }
            // Each key once with its first value, in key order: what is reported first does not depend on the order
            // the keys came in.
            for (key, value) in JSON.firstValuesByKey(extraPairs) {
                guard BoletoInput.extraFieldNames.contains(key) else {
                    throw BoletoError(.invalidValue, field: "extra.\(key)", "The field extra.\(key) is not a known bank-specific field.")
                }
                if let text = try text(value, field: "extra.\(key)") { extra[key] = text }
            }
        }
        return BoletoInput(bank: bank, amountCents: amount, dueDate: dueDate, agency: agency, agencyDV: agencyDV,
                           account: account, accountDV: accountDV, beneficiaryCode: beneficiaryCode, wallet: wallet,
                           walletVariation: walletVariation, nossoNumero: nossoNumero, extra: extra)
    }

    /// The first key, in key order, that `pairs` hold more than once; nil when each is there once. An object has a
    /// dozen keys at most, so pairs are compared without hashing.
    static func repeatedKey(_ pairs: [(String, JSON)]) -> String? {
        var repeated: String?
        for i in pairs.indices {
            for j in (i + 1)..<pairs.count where pairs[i].0 == pairs[j].0 {
                if repeated.map({ pairs[i].0 < $0 }) ?? true { repeated = pairs[i].0 }
            }
        }
        return repeated
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
