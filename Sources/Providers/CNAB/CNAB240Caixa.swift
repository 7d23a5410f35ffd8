extension CNAB240RetornoLayout {
    /// Caixa (104), "Leiaute de Arquivo Eletrônico Padrão CNAB 240 — Cobrança Bancária Caixa (SIGCB)". The nosso
    /// número is at 40-56 (17: the modalidade `14`/`24` and 15 digits, the issuer's number). For liquidations, 214-223 carries the
    /// channel (02 lotérica, 03 agência, 04 compensação eletrônica…). Additions to FEBRABAN's table: 46 is a
    /// liquidation; 39, 40 and 41 are rejections (laravel-boleto's classification). The file header names the
    /// beneficiary by agência (53-57) and código do beneficiário (59-64), as the remessa does.
    public static let caixa = CNAB240RetornoLayout(
        bank: "104", manual: "Caixa, Leiaute CNAB 240 SIGCB, retorno",
        overrides: [CNABField("nossoNumero", 40, 56)],
        additions: [
            "35": .init("Desagendamento do Débito Automático", .other),
            "36": .init("Alteração de dados do título", .other),
            "39": .init("Baixa rejeitada", .rejected),
            "40": .init("Alteração de vencimento rejeitada", .rejected),
            "41": .init("Alteração de outros dados rejeitada", .rejected),
            "45": .init("Alteração de dados", .other),
            "46": .init("Liquidação", .paid),
            "61": .init("Alteração do valor nominal do título", .other),
            "62": .init("Alteração do valor mínimo/percentual", .other),
        ],
        header: [CNABField("agency", 53, 57, .digits), CNABField("code", 59, 64, .digits)],
        issuerNumber: { cnabNumber($0, 2..<17) })
}
