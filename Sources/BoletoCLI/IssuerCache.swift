import BoletoKit

/// `barcode --jsonl`'s use of ``BoletoIssuer``: a run of lines of one beneficiary (the same bank, agency, account,
/// carteira, convênio and bank-specific fields, as a month of one issuer's boletos comes) is computed through an
/// issuer fitted once, from the second line of the run on. Lines of another beneficiary each than the last go the
/// general way (``Boleto/init(_:)``), so input that changes beneficiary on every line pays nothing for the check.
/// Either way the output is the same: the issuer answers what ``Boleto/init(_:)`` answers.
struct IssuerCache {
    /// The last input that computed, whose beneficiary a run would share (when `hasLast`). Not an optional, so that
    /// comparing with it borrows it rather than copying it out of one.
    private var last = BoletoInput(bank: "", amountCents: 0, dueDate: nil, nossoNumero: "")
    private var hasLast = false
    /// The issuer fitted for `last`'s beneficiary, once a second line repeated it.
    private var issuer: BoletoIssuer?

    mutating func boleto(_ input: consuming BoletoInput) throws(BoletoError) -> Boleto {
        if hasLast && Self.sameBeneficiary(last, input) {
            if issuer == nil { issuer = try? BoletoIssuer(last) }
            if let issuer {
                return try issuer.boleto(nossoNumero: input.nossoNumero, amountCents: input.amountCents, dueDate: input.dueDate)
            }
        } else if issuer != nil {
            issuer = nil
        }
        let boleto = try Boleto(input)
        last = consume input
        hasLast = true
        return boleto
    }

    /// Whether two inputs differ at most in nosso número, amount and due date.
    static func sameBeneficiary(_ a: BoletoInput, _ b: BoletoInput) -> Bool {
        a.bank == b.bank && a.agency == b.agency && a.account == b.account && a.wallet == b.wallet
            && a.beneficiaryCode == b.beneficiaryCode && a.agencyDV == b.agencyDV && a.accountDV == b.accountDV
            && a.walletVariation == b.walletVariation && a.extra == b.extra
    }
}
