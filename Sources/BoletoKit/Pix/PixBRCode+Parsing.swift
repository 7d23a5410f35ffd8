extension PixBRCode {
    /// Reads and validates a payload ("copia e cola"), in the order a reader meets the rules:
    /// 1. the data objects consume the text exactly (every length two digits, 01–99, inside the text);
    /// 2. `00` = `01` comes first and `63` with length 4 comes last; the CRC over everything through `6304` matches;
    /// 3. exactly one merchant account (26–51) has the Pix GUI; it holds a key (01) or a location (25), not both; a
    ///    recurrence-only code has its location in template 80 instead;
    /// 4. the location has no scheme; 52 is 4 digits; 53 = 986; 58 = BR; 59 is 1–25 and 60 1–15 characters; 54, when
    ///    present, is at most 13 characters with a `.` and up to 2 decimals; 62 holds a 05 txid of 1–25 characters.
    public static func parse(_ payload: String) throws(PixError) -> PixBRCode {
        guard !payload.isEmpty else { throw PixError("payload", "The payload is empty.") }
        guard let objects = EMVObject.parse(payload) else {
            throw PixError("payload", "The payload is not a sequence of EMV data objects (ID, 2-digit length, value).")
        }
        guard objects.first?.id == "00" else { throw PixError("payload_format_indicator", "The payload must start with ID 00.") }
        guard objects[0].value == "01" else { throw PixError("payload_format_indicator", "ID 00 must be 01.") }
        guard let last = objects.last, last.id == "63" else { throw PixError("crc", "The CRC (ID 63) must be the last data object.") }
        guard last.value.count == 4 else { throw PixError("crc", "The CRC (ID 63) must be 4 hex digits.") }
        let body = String(payload.dropLast(4))
        guard CRC16.hex(body) == last.value.uppercased() else {
            throw PixError("crc", "The CRC does not match the payload.")
        }
        var seen: Set<String> = []
        for object in objects {
            guard seen.insert(object.id).inserted else { throw PixError("payload", "ID \(object.id) appears twice.") }
        }
        func value(_ id: String) -> String? { objects.first { $0.id == id }?.value }

        var singleUse = false
        if let point = value("01") {
            guard point == "11" || point == "12" else { throw PixError("point_of_initiation", "ID 01 must be 11 or 12.") }
            singleUse = point == "12"
        }
        var accounts: [[EMVObject]] = []
        for object in objects where ("26"..."51").contains(object.id) {
            guard let inner = EMVObject.parse(object.value) else {
                throw PixError("merchant_account", "Merchant account template \(object.id) is not a sequence of data objects.")
            }
            if inner.first(where: { $0.id == "00" })?.value.lowercased() == gui { accounts.append(inner) }
        }
        guard accounts.count == 1, let account = accounts.first else {
            throw PixError("merchant_account", accounts.isEmpty ? "No merchant account (IDs 26-51) has the GUI br.gov.bcb.pix."
                                                              : "More than one merchant account has the GUI br.gov.bcb.pix.")
        }
        func field(_ id: String, in template: [EMVObject]) -> String? { template.first { $0.id == id }?.value }
        let key = field("01", in: account)
        var url = field("25", in: account)
        if key != nil && url != nil {
            throw PixError("merchant_account", "The Pix merchant account holds both a key (01) and a location (25).")
        }
        if key == nil && url == nil, let recurrence = value("80").flatMap(EMVObject.parse),
           field("00", in: recurrence)?.lowercased() == gui {
            url = field("25", in: recurrence)
        }
        guard key != nil || url != nil else {
            throw PixError("merchant_account", "The Pix merchant account holds neither a key (01) nor a location (25).")
        }
        guard let category = value("52"), category.count == 4, category.allSatisfy(\.isASCIIDigit) else {
            throw PixError("merchant_category_code", "ID 52 (merchant category code) must be 4 digits.")
        }
        guard value("53") == "986" else { throw PixError("currency", "ID 53 (currency) must be 986, the real.") }
        guard value("58") == "BR" else { throw PixError("country", "ID 58 (country) must be BR.") }
        guard let name = value("59") else { throw PixError("name", "ID 59 (merchant name) is required.") }
        guard let city = value("60") else { throw PixError("city", "ID 60 (merchant city) is required.") }
        var amountCents: Int64?
        if let amount = value("54") {
            guard amount.count <= 13, let cents = Self.cents(amount) else {
                throw PixError("amount", "ID 54 (amount) must be a number with a . and up to 2 decimals, at most 13 characters.")
            }
            amountCents = cents
        }
        guard let additional = value("62") else { throw PixError("additional_data", "ID 62 (additional data, with the txid) is required.") }
        guard let extra = EMVObject.parse(additional) else {
            throw PixError("additional_data", "ID 62 is not a sequence of data objects.")
        }
        guard let txid = field("05", in: extra) else { throw PixError("txid", "ID 62 must hold the txid (05), *** when none.") }
        let code = PixBRCode(key: key, url: url, amountCents: amountCents, name: name, city: city, txid: txid,
                             info: field("02", in: account), postalCode: value("61"), merchantCategoryCode: category,
                             singleUse: singleUse)
        try code.validate()
        return code
    }

    /// `"10.00"`, `"0.5"`, `"123"` in cents; nil for anything else.
    static func cents(_ text: String) -> Int64? {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let whole = parts.first, !whole.isEmpty, whole.allSatisfy(\.isASCIIDigit) else { return nil }
        var fraction = parts.count == 2 ? String(parts[1]) : ""
        guard fraction.count <= 2, fraction.allSatisfy(\.isASCIIDigit), parts.count == 1 || !fraction.isEmpty else { return nil }
        while fraction.count < 2 { fraction += "0" }
        guard let units = Int64(whole), let hundredths = Int64(fraction), units < 100_000_000_000 else { return nil }
        return units * 100 + hundredths
    }
}
