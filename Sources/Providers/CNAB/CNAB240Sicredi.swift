extension CNAB240RetornoLayout {
    /// Sicredi (748), "Sicredi — Leiaute CNAB 240, cobrança, retorno": FEBRABAN's segments, the nosso número in
    /// 38-57 read trimmed (`AABNNNNND`: the issuer's number is year + byte + sequence, the 8 digits before the DV). 36 is a rejection (laravel-boleto's classification); A4 among the reasons of an
    /// entrada confirmada marks a DDA payer.
    public static let sicredi = CNAB240RetornoLayout(
        bank: "748", manual: "Sicredi, Leiaute CNAB 240 (cobrança), retorno",
        additions: ["36": .init("Envio de e-mail/SMS rejeitado", .rejected)],
        issuerNumber: { $0.count == 9 ? cnabNumber($0, 0..<8) : nil })
}
