import BoletoJSON

/// Reading single fields of a REST bank's JSON answer, the same way for every bank.
enum AnswerFields {
    /// A string, or an integer as its digits (banks send some codes and numbers either way); nil for anything else.
    static func text(_ json: JSON?) -> String? {
        switch json {
        case .string(let value)?: value
        case .int(let value)?: String(value)
        default: nil
        }
    }

    /// Only the digits of `text` (a digitable line may come formatted).
    static func digits(_ text: String) -> String {
        String(text.unicodeScalars.filter { ("0"..."9").contains($0) }.map(Character.init))
    }
}
