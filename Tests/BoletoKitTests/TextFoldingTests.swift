import BoletoKit
import Testing

/// Folding free text into ASCII (issue 15, findings 6 and 10): compatibility decomposition and diacritics first,
/// word boundaries kept, runs of spaces collapsed, and what has no ASCII form counted; the BR Code's name and city
/// follow it, and a reader refuses what a writer would not write.
@Suite("Text folding")
struct TextFoldingTests {
    @Test("folding keeps letters (fullwidth, ligatures, ordinals, diacritics), words apart and spaces single", arguments: [
        ("Ｓão ﬁlho", "Sao filho"), ("nº 5", "no 5"), ("Rua A\tB\nC", "Rua A B C"), ("  João   da  Silva  ", "Joao da Silva"),
        ("Straße Ærø Œuvre Łódź", "Strasse AEro OEuvre Lodz"), ("Maria\u{200B}na", "Mariana"), ("D’Ávila — “Cia”", "D'Avila - \"Cia\""),
        ("São Paulo…", "Sao Paulo..."), ("CAFÉ\u{00A0}& BAR", "CAFE & BAR"), ("x²", "x2"), ("", ""), ("\u{0000}\u{0007}", ""),
    ])
    func folds(_ input: String, _ expected: String) {
        let folded = TextFolding.ascii(input)
        #expect(folded.text == expected)
        #expect(folded.unrepresentable == 0)
        #expect(folded.text.utf8.allSatisfy { $0 >= 0x20 && $0 < 0x7F })
    }

    @Test("characters with no ASCII form become spaces between words, and are counted")
    func unrepresentable() {
        #expect(TextFolding.ascii("Loja🙂Centro").text == "Loja Centro")
        #expect(TextFolding.ascii("Loja🙂Centro").unrepresentable == 1)
        #expect(TextFolding.ascii("Москва 2").text == "2")
        #expect(TextFolding.ascii("Москва 2").unrepresentable == 6)
        // A target narrower than ASCII: what it does not allow separates words too.
        #expect(TextFolding.ascii("A&B", allowed: { $0 != UInt8(ascii: "&") }).text == "A B")
    }

    /// A payload with `name` in field 59 as it is, and its CRC: what another writer might emit.
    static func payload(name: String) -> String {
        func field(_ id: String, _ value: String) -> String {
            // BR Code lengths count characters.
            let count = value.count
            return id + (count < 10 ? "0" : "") + String(count) + value
        }
        let account = field("00", "br.gov.bcb.pix") + field("01", "11222333000181")
        let body = field("00", "01") + field("26", account) + field("52", "0000") + field("53", "986") + field("58", "BR")
            + field("59", name) + field("60", "RECIFE") + field("62", field("05", "***")) + "6304"
        return body + CRC16.hex(body)
    }

    @Test("the BR Code: name and city are folded when built; emoji are an error naming the field; a reader refuses non-ASCII")
    func brCode() throws {
        let built = try PixBRCode(key: "11222333000181", name: "Ｓão João  ﬁlhos", city: "São  Paulo")
        #expect(built.name == "Sao Joao filhos")
        #expect(built.city == "Sao Paulo")
        #expect(try PixBRCode.parse(built.payload).name == "Sao Joao filhos")
        for (name, city, field) in [("Loja 🙂", "Recife", "name"), ("Loja", "Recife 🏖", "city")] {
            do {
                _ = try PixBRCode(key: "11222333000181", name: name, city: city)
                Issue.record("\(name), \(city) was built")
            } catch {
                #expect(error.field == field)
            }
        }
        // `boleto pix parse` used to call such a code valid.
        for name in ["Loja 🙂", "São João"] {
            do {
                _ = try PixBRCode.parse(Self.payload(name: name))
                Issue.record("\(name) was read as valid")
            } catch {
                #expect(error.field == "name", "\(name): \(error)")
            }
        }
        #expect(try PixBRCode.parse(Self.payload(name: "Sao Joao")).name == "Sao Joao", "the helper's payload is otherwise valid")
    }
}
