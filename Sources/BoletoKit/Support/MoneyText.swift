/// Amounts as Brazilian money text, the way a boleto prints them.
public enum MoneyText {
    /// `R$ 1.234,56` for 123456 cents: thousands grouped with `.`, two decimals after `,`.
    public static func reais(_ cents: Int64) -> String {
        let reais = String(cents / 100)
        var grouped = ""
        for (index, character) in reais.reversed().enumerated() {
            if index > 0 && index % 3 == 0 { grouped.append(".") }
            grouped.append(character)
        }
        let centsText = String(cents % 100)
        return "R$ \(String(grouped.reversed())),\(centsText.count == 1 ? "0" : "")\(centsText)"
    }

    /// `1234.56` for 123456 cents: reais, a dot and two decimals, no grouping, as machine formats take an amount
    /// (the PIX BR Code's field 54, Caixa's `VALOR`, Itaú's change requests).
    public static func decimal(_ cents: Int64) -> String {
        let fraction = cents % 100
        return "\(cents / 100)." + (fraction < 10 ? "0" : "") + String(fraction)
    }
}
