extension CNAB240RetornoLayout {
    /// Banco do Brasil (001), "Leiaute de Arquivo — Padrão CNAB 240, cobrança": FEBRABAN's segments. The nosso
    /// número fills 38-57 (a 7-digit convênio and a 10-digit sequence, 17 characters, for convênios of 7 digits),
    /// read trimmed. For liquidations, 214-223 carries the channel, not rejection reasons.
    public static let bancoDoBrasil = CNAB240RetornoLayout(
        bank: "001", manual: "Banco do Brasil, Leiaute CNAB 240 (cobrança), retorno")
}
