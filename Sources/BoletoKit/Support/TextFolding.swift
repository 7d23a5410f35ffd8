import Foundation

/// Folds free text (a name, an address, a city) into the plain ASCII that BR Codes and most bank formats carry,
/// losing as little as possible:
///
/// 1. compatibility decomposition (NFKD): fullwidth and styled letters become plain ones (`Ｓ` → `S`), ligatures
///    split (`ﬁ` → `fi`), ordinals and superscripts become their letter or digit (`nº` → `no`, `²` → `2`), the
///    ellipsis becomes three dots and the no-break space a space;
/// 2. diacritics are removed (`São` → `Sao`, `ç` → `c`);
/// 3. letters without a decomposition are transliterated: `ß` → `ss`, `æ` → `ae`, `ø` → `o`, `œ` → `oe`, `ł` → `l`,
///    `đ`/`ð` → `d`, `þ` → `th`, `ı` → `i` (and their capitals);
/// 4. typographic quotes and dashes become `'`, `"` and `-`;
/// 5. invisible formatting characters (zero-width spaces and joiners, direction marks) are removed;
/// 6. whitespace, control characters, characters the target does not allow and characters with no ASCII form
///    (emoji, other scripts) become a space, so words stay apart; the last are counted as ``Folded/unrepresentable``;
/// 7. runs of spaces become one, and the ends are trimmed.
///
/// ```swift
/// TextFolding.ascii("Ｓão  ﬁlho\tnº 5").text   // "Sao filho no 5"
/// ```
public enum TextFolding {
    /// The folded text, and how many characters had no ASCII form.
    public struct Folded: Sendable, Hashable {
        public var text: String
        /// Characters that had no ASCII form (an emoji, a letter of another script), each now a space.
        public var unrepresentable: Int
    }

    /// Printable ASCII, U+0020–U+007E: the BR Code's character set.
    public static let printableASCII: @Sendable (UInt8) -> Bool = { $0 >= 0x20 && $0 < 0x7F }

    static let letters: [Unicode.Scalar: String] = [
        "ß": "ss", "ẞ": "SS", "æ": "ae", "Æ": "AE", "ø": "o", "Ø": "O", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L",
        "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i", "ħ": "h", "Ħ": "H", "ŀ": "l", "Ŀ": "L",
        "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "“": "\"", "”": "\"", "„": "\"", "‟": "\"", "″": "\"",
        "⁄": "/", "∕": "/", "‐": "-", "‑": "-", "‒": "-", "–": "-", "—": "-", "―": "-", "−": "-", "«": "\"", "»": "\"",
    ]

    /// Folds `text` into the ASCII characters `allowed` accepts (printable ASCII by default).
    public static func ascii(_ text: String, allowed: (UInt8) -> Bool = printableASCII) -> Folded {
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        var unrepresentable = 0
        func space() { if let last = out.last, last != 0x20 { out.append(0x20) } }
        func put(_ byte: UInt8) {
            if byte == 0x20 || !allowed(byte) { space() } else { out.append(byte) }
        }
        // Only text with something beyond ASCII needs the decomposition.
        let source = text.utf8.allSatisfy { $0 < 0x80 } ? text : text.decomposedStringWithCompatibilityMapping
        for scalar in source.unicodeScalars {
            if scalar.isASCII {
                let byte = UInt8(scalar.value)
                if byte < 0x20 || byte == 0x7F { space() } else { put(byte) }
                continue
            }
            if let mapped = letters[scalar] {
                for byte in mapped.utf8 { put(byte) }
                continue
            }
            switch scalar.properties.generalCategory {
            case .nonspacingMark, .enclosingMark, .spacingMark, .format:
                continue
            case .control, .spaceSeparator, .lineSeparator, .paragraphSeparator:
                space()
            default:
                unrepresentable += 1
                space()
            }
        }
        while out.last == 0x20 { out.removeLast() }
        let start = out.firstIndex { $0 != 0x20 } ?? out.endIndex
        return Folded(text: String(decoding: out[start...], as: UTF8.self), unrepresentable: unrepresentable)
    }
}
