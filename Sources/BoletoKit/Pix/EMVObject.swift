/// One data object of an EMV® merchant-presented QR payload: `ID` (2 digits), `LEN` (2 digits, 01–99) and `VALUE`.
/// Templates (Pix's 26, 62, 80) hold data objects of the same form in their value.
struct EMVObject: Sendable, Hashable {
    let id: String
    let value: String

    /// The object's text: id, two-digit length, value. Lengths count characters.
    var text: String { id + (value.count < 10 ? "0" : "") + String(value.count) + value }

    /// Walks `text` into its data objects; nil when a length is not two digits, is zero, or overruns the text, or when
    /// characters are left over.
    static func parse(_ text: String) -> [EMVObject]? {
        let characters = Array(text)
        var objects: [EMVObject] = []
        var index = 0
        while index < characters.count {
            guard index + 4 <= characters.count else { return nil }
            let id = String(characters[index..<index + 2])
            let lengthText = String(characters[index + 2..<index + 4])
            guard id.allSatisfy(\.isASCIIDigit), lengthText.allSatisfy(\.isASCIIDigit), let length = Int(lengthText),
                  length > 0, index + 4 + length <= characters.count else { return nil }
            objects.append(EMVObject(id: id, value: String(characters[index + 4..<index + 4 + length])))
            index += 4 + length
        }
        return objects
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
