/// Text the CLI prints for people, made safe for a terminal: control characters (other than line breaks and tabs)
/// and the invisible characters that reorder or hide text are shown as `\u{1B}`-style escapes. A file, a key or a
/// value that carries an escape sequence cannot then recolour, move or rewrite what the terminal shows. JSON output
/// needs none of this: its encoder escapes control characters already.
enum TerminalText {
    static func safe(_ text: String) -> String {
        guard !text.utf8.allSatisfy({ ($0 >= 0x20 && $0 < 0x7F) || $0 == 0x0A || $0 == 0x09 }) else { return text }
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if scalar == "\n" || scalar == "\t" || !needsEscape(scalar) {
                result.unicodeScalars.append(scalar)
            } else {
                result += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            }
        }
        return result
    }

    static func needsEscape(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator: true
        default: false
        }
    }
}

/// Writes `text` and a newline to standard output, made safe for a terminal.
func printSafe(_ text: String) {
    print(TerminalText.safe(text))
}
