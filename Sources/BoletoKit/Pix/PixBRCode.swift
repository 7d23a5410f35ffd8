import Foundation

/// Why a BR Code was refused: the field at fault and one sentence. The message never repeats the value (a key
/// can be a CPF, a name is a person's).
public struct PixError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The field at fault: `payload`, `payload_format_indicator`, `point_of_initiation`, `merchant_account`, `key`,
    /// `url`, `info`, `merchant_category_code`, `currency`, `amount`, `country`, `name`, `city`, `postal_code`,
    /// `additional_data`, `txid` or `crc`.
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// A PIX BR Code (EMV® merchant-presented QR, "copia e cola"), as printed on a boleto híbrido.
///
/// The field table (BCB, Manual de Padrões para Iniciação do Pix, Anexo I), as this type reads and writes it:
///
/// | ID | name | rule |
/// |---|---|---|
/// | 00 | Payload Format Indicator | `01`, first |
/// | 01 | Point of Initiation Method | optional: `11` reusable, `12` single use |
/// | 26 | Merchant Account Information – Pix | 00 GUI `br.gov.bcb.pix` (any case); 01 chave (static) **or** 25 location without `https://` (dynamic); 02 info adicional; 03 FSS |
/// | 52 | Merchant Category Code | 4 digits, `0000` when unknown |
/// | 53 | Transaction Currency | `986` |
/// | 54 | Transaction Amount | optional, ≤ 13 characters, `.` decimal separator |
/// | 58 | Country Code | `BR` |
/// | 59 | Merchant Name | 1–25 |
/// | 60 | Merchant City | 1–15 |
/// | 61 | Postal Code | optional, 8 digits |
/// | 62 | Additional Data Field Template | required: 05 txid, ≤ 25, `***` when none |
/// | 80 | Unreserved template | Pix Automático: 00 GUI, 25 recurrence location |
/// | 63 | CRC16 | CRC-16/CCITT-FALSE over everything through `6304`, 4 upper-case hex digits, last |
public struct PixBRCode: Sendable, Hashable {
    /// Static codes carry a key; dynamic codes a location the payer's app fetches.
    public enum Kind: String, Sendable {
        case `static`, dynamic
    }

    /// The Pix key (26-01) of a static code.
    public var key: String?
    /// The location (26-25, or 80-25 for a recurrence-only code) of a dynamic code, without a scheme.
    public var url: String?
    /// The amount (54) in cents; nil when the payer chooses it.
    public var amountCents: Int64?
    /// The merchant's name (59).
    public var name: String
    /// The merchant's city (60).
    public var city: String
    /// The txid (62-05); `***` when there is none, as in every dynamic code.
    public var txid: String
    /// Free text for the payer (26-02), static codes only.
    public var info: String?
    /// The CEP (61).
    public var postalCode: String?
    /// The merchant category code (52).
    public var merchantCategoryCode: String
    /// Whether the code may be paid once only (01 = `12`).
    public var singleUse: Bool

    /// Static when the code carries a key.
    public var kind: Kind { key != nil ? .static : .dynamic }

    static let gui = "br.gov.bcb.pix"

    /// A static code for `key`. Name, city and info are folded into the BR Code's character set, printable ASCII
    /// (``TextFolding``: `São João` → `Sao Joao`, `ﬁ` → `fi`, case kept, spaces collapsed), so that lengths count
    /// bytes; a character with no ASCII form (an emoji) is an error naming the field. Name and city must then fit
    /// 25 and 15 characters.
    public init(key: String, name: String, city: String, amountCents: Int64? = nil, txid: String? = nil, info: String? = nil,
                postalCode: String? = nil, singleUse: Bool = false) throws(PixError) {
        self.init(key: key, url: nil, amountCents: amountCents, name: try Self.plain(name, field: "name"),
                  city: try Self.plain(city, field: "city"), txid: txid ?? "***",
                  info: try info.map { text throws(PixError) in try Self.plain(text, field: "info") }, postalCode: postalCode,
                  merchantCategoryCode: "0000", singleUse: singleUse)
        try validate()
    }

    /// A dynamic code for the location `url` (a leading `https://` is dropped). Its txid is `***`: the charge's txid
    /// travels in the payload behind the URL.
    public init(url: String, name: String, city: String, amountCents: Int64? = nil, singleUse: Bool = false) throws(PixError) {
        var location = url
        for scheme in ["https://", "HTTPS://"] where location.hasPrefix(scheme) { location.removeFirst(scheme.count) }
        self.init(key: nil, url: location, amountCents: amountCents, name: try Self.plain(name, field: "name"),
                  city: try Self.plain(city, field: "city"),
                  txid: "***", info: nil, postalCode: nil, merchantCategoryCode: "0000", singleUse: singleUse)
        try validate()
    }

    init(key: String?, url: String?, amountCents: Int64?, name: String, city: String, txid: String, info: String?,
                 postalCode: String?, merchantCategoryCode: String, singleUse: Bool) {
        self.key = key
        self.url = url
        self.amountCents = amountCents
        self.name = name
        self.city = city
        self.txid = txid
        self.info = info
        self.postalCode = postalCode
        self.merchantCategoryCode = merchantCategoryCode
        self.singleUse = singleUse
    }

    /// `text` folded into the BR Code's character set (`SÃO MIGUÉL` → `SAO MIGUEL`); an error naming `field` when a
    /// character has no ASCII form.
    static func plain(_ text: String, field: String) throws(PixError) -> String {
        let folded = TextFolding.ascii(text)
        guard folded.unrepresentable == 0 else {
            throw PixError(field, "The \(field) has characters outside the BR Code's character set (printable ASCII) that have no ASCII form, such as emoji.")
        }
        return folded.text
    }

    /// The payload, CRC included.
    public var payload: String {
        var account = [EMVObject(id: "00", value: Self.gui)]
        if let key { account.append(EMVObject(id: "01", value: key)) }
        if let info { account.append(EMVObject(id: "02", value: info)) }
        if let url { account.append(EMVObject(id: "25", value: url)) }
        var objects = [EMVObject(id: "00", value: "01")]
        if singleUse { objects.append(EMVObject(id: "01", value: "12")) }
        objects += [EMVObject(id: "26", value: account.map(\.text).joined()), EMVObject(id: "52", value: merchantCategoryCode),
                    EMVObject(id: "53", value: "986")]
        if let amountCents { objects.append(EMVObject(id: "54", value: Self.amountText(amountCents))) }
        objects += [EMVObject(id: "58", value: "BR"), EMVObject(id: "59", value: name), EMVObject(id: "60", value: city)]
        if let postalCode { objects.append(EMVObject(id: "61", value: postalCode)) }
        objects.append(EMVObject(id: "62", value: EMVObject(id: "05", value: txid).text))
        let body = objects.map(\.text).joined() + "6304"
        return body + CRC16.hex(body)
    }

    static func amountText(_ cents: Int64) -> String { MoneyText.decimal(cents) }

    /// The rules a code must keep, whether built here or read.
    func validate() throws(PixError) {
        if let key {
            guard !key.isEmpty, key.count <= 77 else { throw PixError("key", "The Pix key must be 1 to 77 characters.") }
        }
        if let url {
            guard !url.isEmpty else { throw PixError("url", "The location must not be empty.") }
            guard !url.lowercased().hasPrefix("http://"), !url.lowercased().hasPrefix("https://") else {
                throw PixError("url", "The location must not carry a scheme (https:// is implied).")
            }
        }
        guard (1...25).contains(name.count) else { throw PixError("name", "The merchant name must be 1 to 25 characters.") }
        guard (1...15).contains(city.count) else { throw PixError("city", "The merchant city must be 1 to 15 characters.") }
        guard (1...25).contains(txid.count) else { throw PixError("txid", "The txid must be 1 to 25 characters (*** when none).") }
        if let amountCents {
            guard amountCents > 0, Self.amountText(amountCents).count <= 13 else {
                throw PixError("amount", "The amount must be positive and at most 13 characters long.")
            }
        }
        if let postalCode {
            guard postalCode.count == 8, postalCode.allSatisfy(\.isASCIIDigit) else {
                throw PixError("postal_code", "The postal code must be 8 digits.")
            }
        }
        for (field, text) in [("name", name), ("city", city), ("info", info ?? ""), ("key", key ?? ""), ("url", url ?? "")] {
            guard text.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
                throw PixError(field, "The \(field) must not contain control characters.")
            }
        }
        // The BR Code's character set: a reader that finds anything else in name or city has a code no bank app is
        // required to accept.
        for (field, text) in [("name", name), ("city", city)] where !text.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F }) {
            throw PixError(field, "The \(field) must be printable ASCII, the BR Code's character set.")
        }
        let account = 4 + Self.gui.count + (key.map { 4 + $0.count } ?? 0) + (info.map { 4 + $0.count } ?? 0) + (url.map { 4 + $0.count } ?? 0)
        guard account <= 99 else { throw PixError("merchant_account", "The merchant account template (key, info, location) must fit 99 characters.") }
    }
}
