import BoletoKit
import Testing

@Suite("Documents")
struct DocumentTests {
    @Test("A document interpolated into a log line shows only its last four characters")
    func masked() throws {
        let cpf = try Document("111.444.777-35")
        #expect("\(cpf)" == "***.***.*77-35")
        #expect(!String(reflecting: cpf).contains("11144477735"))
        let cnpj = try Document("12.abc.345/01de-35")
        #expect(cnpj.value == "12ABC34501DE35")
        #expect(cnpj.formatted == "12.ABC.345/01DE-35")
        #expect("\(cnpj)" == "**.***.***/**DE-35")
    }

    @Test("Check digits of a base, numeric and alphanumeric")
    func checkDigits() throws {
        #expect(try Document.checkDigits(base: "111444777") == "35")
        #expect(try Document.checkDigits(base: "12ABC34501DE") == "35")
        #expect(try Document.checkDigits(base: "900247810001") == "47")
    }

    @Test("Errors say what is wrong without the number", arguments: [
        ("111.444.777-36", BoletoError.Code.checkDigitMismatch),
        ("1114447773", .invalidLength),
        ("11144477A35", .invalidCharacters),
        ("22222222222", .invalidValue),
    ])
    func errors(_ value: String, _ code: BoletoError.Code) {
        do {
            _ = try Document(value)
            Issue.record("accepted")
        } catch {
            #expect(error.code == code)
            #expect(!error.message.contains(Document.normalized(value)))
        }
    }
}
