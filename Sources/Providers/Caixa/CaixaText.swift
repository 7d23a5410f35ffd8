import Foundation

/// The characters Caixa SIGCB accepts in free text (names, addresses, messages): ASCII letters and digits, the space
/// and `! ' ( ) * + , - . / : ; = ? _`. Caixa rejects anything else, XML-escaped or not, with "(66) CARACTER
/// INVALIDO"; letters with diacritics lose them (`Ç` → `C`), and any other character becomes a space, so the text
/// keeps its length and word breaks.
public enum CaixaText {
    static let punctuation: Set<Character> = [" ", "!", "'", "(", ")", "*", "+", ",", "-", ".", "/", ":", ";", "=", "?", "_"]

    /// `text` in the characters Caixa accepts.
    public static func clean(_ text: String) -> String {
        var result = ""
        for character in text {
            // The canonical decomposition separates a letter from its diacritics; the base letter is kept.
            let base = String(character).decomposedStringWithCanonicalMapping.unicodeScalars.first.map(Character.init) ?? " "
            if base.isASCII && (base.isLetter || base.isNumber) || punctuation.contains(base) {
                result.append(base)
            } else {
                result.append(" ")
            }
        }
        return result
    }
}
