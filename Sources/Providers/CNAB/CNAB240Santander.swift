extension CNAB240RetornoLayout {
    /// Santander (033), "Santander — Layout CNAB 240, cobrança, retorno". Its segment T is shifted from
    /// FEBRABAN's (laravel-boleto's Santander reader):
    ///
    /// | posição | campo |
    /// |---|---|
    /// | 41-53 | nosso número (12, the issuer's number, then the DV) |
    /// | 54 | carteira |
    /// | 55-69 | nº do documento |
    /// | 70-77 | vencimento DDMMAAAA |
    /// | 78-92 | valor nominal |
    /// | 93-95, 96-100 | banco, agência cobradora + DV |
    /// | 194-208 | tarifa / custas |
    /// | 209-218 | motivos (5 × 2) |
    ///
    /// Segment U is FEBRABAN's. The retorno's file header differs from the remessa's: 33-36 agência, 38-46 conta,
    /// 53-61 código do beneficiário; the agência and the código are compared.
    public static let santander = CNAB240RetornoLayout(
        bank: "033", manual: "Santander, Layout CNAB 240 (cobrança), retorno",
        overrides: [
            CNABField("nossoNumero", 41, 53), CNABField("carteira", 54, 54), CNABField("documentNumber", 55, 69),
            CNABField("dueDate", 70, 77, .dateDDMMAAAA), CNABField("faceValue", 78, 92, .cents),
            CNABField("collectingBank", 93, 95, .digits), CNABField("collectingAgency", 96, 100),
            CNABField("companyUse", 101, 125), CNABField("fee", 194, 208, .cents), CNABField("reasons", 209, 218),
        ],
        header: [CNABField("agency", 33, 36, .digits), CNABField("code", 53, 61, .digits)],
        issuerNumber: { cnabNumber($0, 0..<12) })
}
