import Foundation

/// Bradesco "registro online" text fields (the payer's name, address and messages) as the bank accepts them: the
/// compatibility composition (NFKC), which turns styled letters, circled letters and superscripts into plain ones,
/// then only the printable characters of Latin-1 (U+0020–U+007E, U+00A0–U+00FF). Anything else (emoji,
/// variation selectors, control characters, the fraction slash NFKC leaves in `⅒`) is removed.
public enum BradescoText {
    /// `text` as Bradesco accepts it: `"𝑱𝒆𝒔𝒔𝒊𝒄𝒂⁶ Ⓨ︎Ⓞ︎Ⓛ︎Ⓐ︎Ⓝ︎Ⓓ︎Ⓞ︎ ⅒ 𝒅𝒂 Silva"` → `"Jessica6 YOLANDO 110 da Silva"`.
    public static func normalize(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        for scalar in text.precomposedStringWithCompatibilityMapping.unicodeScalars where (0x20...0x7E).contains(scalar.value) || (0xA0...0xFF).contains(scalar.value) {
            scalars.append(scalar)
        }
        return String(scalars)
    }
}
