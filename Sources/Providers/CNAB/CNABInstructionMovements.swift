/// The movements ("códigos de movimento/ocorrência de remessa") that carry a change of a registered title, per layout
/// (`docs/terms-research.md` §6.4 and §7.3: laravel-boleto's tables, Santander's CNAB 400 manual note 21, Sicoob's
/// spreadsheet, FEBRABAN's list):
///
/// | change | 237/400 | 341/400 | 033/400 | 001/240 | 104/240 | 033/240 | 756/240 | 748/240 |
/// |---|---|---|---|---|---|---|---|---|
/// | pedido de baixa (cancel) | 02 | 02 | 02 | 02 | 02 | 02 | 02 | 02 |
/// | due date | 06 | 06 | 06 | 06 | 06 | 06 | 06 (prorrogação) | 06 |
/// | abatimento: grant / withdraw | 04 / 05 | 04 / 05 | 04 / 05 | 04 / 05 | 04 / 05 | 04 / 05 | — | 04 / 05 |
/// | discounts: grant / withdraw | — | — | — | 07 / 08 | 07 / 08 | 10 / 11 | — | 07 / 08 |
/// | protest: instruct / withdraw | 09 / 19 (sustar e manter) | 09 / 18 (sustar) | 09 / 18 (sustar) | 09 / 10 (cancelar) | 09 / 11 (sustar e manter) | 09 / 18 (sustar) | 09 / 11 (desistir e manter) | 09 / 11 (sustar e manter) |
/// | amount | — | — | — | — | 47 | — | — | — |
///
/// The instruction record is the title's whole record with the changed values, as for an entry: the bank reads the
/// fields the movement names. No CNAB 400 layout has a discount movement (Bradesco and Itaú change discounts with 31,
/// "alteração de outros dados", whose fields the sources do not list), and only Caixa's 240 has an amount movement;
/// write-off days change through no movement any source describes.
public enum CNABInstructionMovements {
    /// A pedido de baixa, in every layout.
    public static let writeOff = "02"

    /// The movement that carries `kind` at `bank` in `format`; `withdrawing` for the abatimento, discount or protest
    /// taken away. Nil when the layout has none.
    public static func movement(bank: String, format: CNABFormat, kind: BoletoAlteration.Kind, withdrawing: Bool) -> String? {
        switch kind {
        case .dueDate:
            return "06"
        case .abatement:
            return bank == "756" ? nil : (withdrawing ? "05" : "04")
        case .discounts:
            guard format == .cnab240, bank != "756" else { return nil }
            return bank == "033" ? (withdrawing ? "11" : "10") : (withdrawing ? "08" : "07")
        case .protest:
            guard withdrawing else { return "09" }
            switch (bank, format) {
            case ("237", .cnab400): return "19"
            case ("001", .cnab240): return "10"
            case ("104", _), ("756", _), ("748", _): return "11"
            default: return "18"
            }
        case .amount:
            return bank == "104" && format == .cnab240 ? "47" : nil
        case .writeOff:
            return nil
        }
    }
}

extension CNABRemessaLayout {
    /// The movement that carries `kind` in this layout (``CNABInstructionMovements``).
    public func movement(for kind: BoletoAlteration.Kind, withdrawing: Bool) -> String? {
        CNABInstructionMovements.movement(bank: bank, format: format, kind: kind, withdrawing: withdrawing)
    }
}
