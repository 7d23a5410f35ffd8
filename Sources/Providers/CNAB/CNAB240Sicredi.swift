extension CNAB240RetornoLayout {
    /// Sicredi (748), "Sicredi — Leiaute CNAB 240, cobrança, retorno": FEBRABAN's segments, the nosso número in
    /// 38-57 read trimmed. 36 is a rejection (laravel-boleto's classification); A4 among the reasons of an
    /// entrada confirmada marks a DDA payer.
    public static let sicredi = CNAB240RetornoLayout(
        bank: "748", manual: "Sicredi, Leiaute CNAB 240 (cobrança), retorno",
        additions: ["36": .init("Envio de e-mail/SMS rejeitado", .rejected)])
}
