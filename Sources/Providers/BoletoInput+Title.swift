import BoletoKit

extension BoletoInput {
    /// The barcode input of title `titleID` of a beneficiary account at `bank`, each bank's layout taking the account
    /// its own way:
    /// - every layout takes the title id as its nosso número;
    /// - Caixa's SIGCB (104) takes the account as its código do beneficiário unless one is given;
    /// - Sicredi's (748) nosso número takes the year of issue, from `issued` unless `extra` gives the year or the
    ///   emission date.
    ///
    /// The check digits, convênio, wallet variation and extra fields are the account's, as its bank assigned them.
    public static func title(bank: String, amountCents: Int64, dueDate: CalendarDate?, agency: String, account: String,
                             wallet: String, titleID: Int64, agencyDV: String? = nil, accountDV: String? = nil,
                             beneficiaryCode: String? = nil, walletVariation: String? = nil, extra: [String: String] = [:],
                             issued: CalendarDate? = nil) -> BoletoInput {
        var input = BoletoInput(bank: bank, amountCents: amountCents, dueDate: dueDate, agency: agency, account: account,
                                beneficiaryCode: beneficiaryCode ?? (bank == "104" ? account : nil), wallet: wallet,
                                nossoNumero: String(titleID))
        input.agencyDV = agencyDV
        input.accountDV = accountDV
        input.walletVariation = walletVariation
        input.extra = extra
        if bank == "748", input.extra["year"] == nil, input.extra["emission_date"] == nil, let issued {
            input.extra["emission_date"] = issued.description
        }
        return input
    }
}
