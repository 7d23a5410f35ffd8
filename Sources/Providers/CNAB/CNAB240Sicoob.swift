extension CNAB240RetornoLayout {
    /// Sicoob (756), "Sicoob — Leiaute CNAB 240, cobrança bancária, retorno": the nosso número is 38-47 (10 with its
    /// DV; the issuer's number is the first 9), followed by the parcela (48-49), modalidade (50-51) and tipo de
    /// formulário (52). 50 is a liquidation by
    /// check pending clearance, which laravel-boleto counts as paid.
    public static let sicoob = CNAB240RetornoLayout(
        bank: "756", manual: "Sicoob, Leiaute CNAB 240 (cobrança), retorno",
        overrides: [CNABField("nossoNumero", 38, 47)],
        additions: ["50": .init("Título pago com cheque pendente de liquidação", .paid)],
        issuerNumber: { cnabNumber($0, 0..<9) })
}
