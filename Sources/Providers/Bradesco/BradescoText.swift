import BoletoKit
import Foundation

/// Bradesco "registro online" text fields (the payer's name, address and messages) as the bank accepts them: the
/// printable characters of Latin-1 (U+0020–U+007E, U+00A0–U+00FF). The text first goes through the compatibility
/// composition (NFKC), which turns styled letters, circled letters and superscripts into plain ones; a character
/// still outside Latin-1 is folded with ``TextFolding`` (`ő` → `o`, `ﬁ` → `fi`), and one with no form there at all
/// (an emoji), like whitespace and control characters, becomes a space so words stay apart. Runs of spaces become
/// one and the ends are trimmed.
public enum BradescoText {
    /// `text` as Bradesco accepts it: `"𝑱𝒆𝒔𝒔𝒊𝒄𝒂⁶ Ⓨ︎Ⓞ︎Ⓛ︎Ⓐ︎Ⓝ︎Ⓓ︎Ⓞ︎ ⅒ 𝒅𝒂 Silva"` → `"Jessica6 YOLANDO 1/10 da Silva"`,
    /// `"Rua A\tB\nC"` → `"Rua A B C"`.
    public static func normalize(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        func space() { if let last = out.unicodeScalars.last, last != " " { out.unicodeScalars.append(" ") } }
        for character in text.precomposedStringWithCompatibilityMapping {
            let scalars = character.unicodeScalars
            if scalars.allSatisfy({ (0x21...0x7E).contains($0.value) || (0xA1...0xFF).contains($0.value) }) {
                out.unicodeScalars.append(contentsOf: scalars)
                continue
            }
            if scalars.allSatisfy({ $0.properties.generalCategory == .format }) { continue }
            let folded = TextFolding.ascii(String(character)).text
            if folded.isEmpty { space() } else { out += folded }
        }
        while out.last == " " { out.removeLast() }
        return out
    }
}
