/// The banks BoletoKit generates boletos for, by FEBRABAN code.
public enum Banks {
    /// Every supported layout, in code order.
    public static let all: [any BankLayout] = [
        BancoDoBrasil(), BancoDoNordeste(), Banestes(), Santander(), Banrisul(), BRB(), Inter(), Uniprime(),
        Ailos(), CrediSIS(), Caixa(), Unicred(), Bradesco(), C6(), Itau(), Real(), HSBC(), Safra(),
        Votorantim(), Daycoval(), Citibank(), Sicredi(), Sicoob(),
    ]

    /// The layout for a 3-digit bank code, or `nil` when BoletoKit has none.
    public static func layout(for code: String) -> (any BankLayout)? {
        lookup(code)?.layout
    }

    /// The layout and the code's digits. Three ASCII digits index a table; no hashing of the code.
    static func lookup(_ code: String) -> (layout: any BankLayout, digits: Digits)? {
        guard let digits = Digits(code), digits.count == 3 else { return nil }
        let index = indexByNumber[digits[0] &* 100 &+ digits[1] &* 10 &+ digits[2]]
        return index < 0 ? nil : (all[Int(index)], digits)
    }

    /// For each number 0–999, its layout's position in `all`, or -1.
    private static let indexByNumber: [Int8] = {
        var table = [Int8](repeating: -1, count: 1000)
        for (index, layout) in all.enumerated() { table[Int(layout.code)!] = Int8(index) }
        return table
    }()

    /// The usual name of a bank BoletoKit has a layout for.
    public static func name(for code: String) -> String? {
        lookup(code)?.layout.name
    }
}

// Helpers shared by the bank files.
extension BoletoInput {
    /// The nosso número fitted to `width`.
    func nossoNumero(width: Int) throws(BoletoError) -> Digits {
        try Digits.field(nossoNumero, width: width, name: "nosso_numero")
    }

    /// An `extra` field fitted to `width`.
    func extraDigits(_ name: String, width: Int) throws(BoletoError) -> Digits {
        try Digits.field(extra(name), width: width, name: "extra.\(name)")
    }
}

extension Digits {
    /// The number of significant digits (leading zeros left out) of a digit string; `nil` for other text.
    static func significantCount(_ text: String) -> Int? {
        guard let digits = Digits(text) else { return nil }
        var index = 0
        while index < digits.count && digits[index] == 0 { index += 1 }
        return digits.count - index
    }
}

/// The ASBACE double check digit ("duplo dígito", Banrisul "NC"), used by Banestes, BRB and Banrisul.
///
/// D1 is modulo 10 of the digits. Then `r` is the modulo-11 remainder of the digits followed by D1 with weights
/// 2–7 from the right; while `r` is 1, D1 becomes `(D1 + 1) mod 10` and `r` is recomputed. D2 is 0 when `r` is 0,
/// otherwise `11 − r`.
enum DoubleCheckDigit {
    static func of(_ digits: Digits) -> (Int, Int) {
        var first = Modulo10.checkDigit(of: digits)
        while true {
            var extended = digits
            extended.append(first)
            let r = Modulo11.remainder(of: extended, maxWeight: 7)
            if r == 1 {
                first = (first + 1) % 10
                continue
            }
            return (first, r == 0 ? 0 : 11 - r)
        }
    }
}
