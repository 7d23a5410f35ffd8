extension CNAB240RetornoLayout {
    /// Banco do Brasil (001), "Leiaute de Arquivo — Padrão CNAB 240, cobrança": FEBRABAN's segments. The nosso
    /// número fills 38-57 (a 7-digit convênio and a 10-digit sequence, 17 characters, for convênios of 7 digits),
    /// read trimmed. For liquidations, 214-223 carries the channel, not rejection reasons. The issuer's number is the
    /// sequence after the convênio: the last 10 of 17 (convênio 7), the last 5 of 11 (convênio 6). The file header
    /// names the beneficiary as FEBRABAN's does, and its convênio at 33-41.
    public static let bancoDoBrasil = CNAB240RetornoLayout(
        bank: "001", manual: "Banco do Brasil, Leiaute CNAB 240 (cobrança), retorno",
        header: febrabanHeader + [CNABField("code", 33, 41, .digits)],
        issuerNumber: { $0.count == 17 ? cnabNumber($0, 7..<17) : $0.count == 11 ? cnabNumber($0, 6..<11) : nil })
}
