import BoletoKit

/// The characters Caixa SIGCB accepts in free text (names, addresses, messages): ASCII letters and digits, the space
/// and `! ' ( ) * + , - . / : ; = ? _`. Caixa rejects anything else, XML-escaped or not, with "(66) CARACTER
/// INVALIDO". Text is folded into that set with ``TextFolding``: compatibility decomposition and diacritics first
/// (`Ｓão ﬁlho` → `Sao filho`, `nº` → `no`, `Ç` → `C`), then any other character becomes a space so words stay apart,
/// and runs of spaces become one.
public enum CaixaText {
    static func allowed(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "0")...UInt8(ascii: "9"): true
        default: Array(" !'()*+,-./:;=?_".utf8).contains(byte)
        }
    }

    /// `text` in the characters Caixa accepts.
    public static func clean(_ text: String) -> String {
        TextFolding.ascii(text, allowed: allowed).text
    }
}
