extension BoletoInput {
    /// The input with check digits that arrived attached to their values split off, as ERPs and older libraries
    /// often send them: `agency: "278-0"`, `account: "039232-4"`, `wallet: "17-019"` (BB carteira and variação),
    /// `nosso_numero: "0001984-7"`.
    ///
    /// A split value must agree with the separate field when both are given. A nosso número's attached check
    /// digit is returned so the caller can verify it against the one the bank's rule computes.
    func splittingAttachedCheckDigits() throws(BoletoError) -> (input: BoletoInput, nossoNumeroDV: String?) {
        var copy = self
        if let (agency, dv) = Self.split(agency) {
            copy.agency = agency
            copy.agencyDV = try Self.merge(dv, into: agencyDV, field: "agency_dv", source: "agency")
        }
        if let (account, dv) = Self.split(account) {
            copy.account = account
            copy.accountDV = try Self.merge(dv, into: accountDV, field: "account_dv", source: "account")
        }
        if let (wallet, variation) = Self.split(wallet, maxSuffix: 3) {
            copy.wallet = wallet
            copy.walletVariation = try Self.merge(variation, into: walletVariation, field: "wallet_variation", source: "wallet")
        }
        var nossoNumeroDV: String?
        if let (base, dv) = Self.split(nossoNumero, maxSuffix: 2) {
            copy.nossoNumero = base
            nossoNumeroDV = dv
        }
        return (copy, nossoNumeroDV)
    }

    /// `"1234-5"` → `("1234", "5")`: one hyphen, digits before it, up to `maxSuffix` characters after it.
    private static func split(_ value: String?, maxSuffix: Int = 1) -> (String, String)? {
        guard let value, let hyphen = value.firstIndex(of: "-"), value.lastIndex(of: "-") == hyphen else { return nil }
        let head = String(value[..<hyphen]).trimmingSpaces
        let tail = String(value[value.index(after: hyphen)...]).trimmingSpaces
        guard !head.isEmpty, Digits(head) != nil, !tail.isEmpty, tail.count <= maxSuffix else { return nil }
        return (head, tail)
    }

    private static func merge(_ attached: String, into separate: String?, field: String,
                              source: String) throws(BoletoError) -> String {
        if let separate, !separate.isEmpty, separate.uppercased() != attached.uppercased() {
            throw BoletoError(.invalidValue, field: field,
                              "The check digit attached to \(source) differs from \(field).")
        }
        return attached
    }
}

extension String {
    var trimmingSpaces: String {
        var text = Substring(self)
        while text.first == " " { text = text.dropFirst() }
        while text.last == " " { text = text.dropLast() }
        return String(text)
    }
}
