/// The remessa writers, by bank and format.
public enum CNABRemessaLayouts {
    /// Every writer.
    public static let all: [any CNABRemessaLayout] = [
        CNAB400BradescoRemessa(), CNAB400ItauRemessa(), CNAB400SantanderRemessa(), CNAB240BancoDoBrasilRemessa(),
        CNAB240CaixaRemessa(), CNAB240SicoobRemessa(), CNAB240SicrediRemessa(),
        CNAB240SantanderRemessa(),
    ]

    /// The writer for `bank` in `format`, if there is one.
    public static func layout(bank: String, format: CNABFormat) -> (any CNABRemessaLayout)? {
        all.first { $0.bank == bank && $0.format == format }
    }
}
