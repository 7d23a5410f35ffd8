import BoletoKit
import Testing
@testable import Providers

/// Bank text rules and Caixa's authentication hash, against the vectors of the public libraries that use them
/// (boleto-api's `caixa_test.go` and the seed's Bradesco example).
@Suite("Bank text and hashes")
struct BankTextTests {
    @Test("Caixa AUTENTICACAO: boleto-api's vector (agreement 200656, bank-assigned number, R$ 10,00, 2017-08-30)")
    func caixaHash() {
        let checksum = CaixaAuthentication.checksum(beneficiaryCode: "200656", nossoNumero: "0",
                                                    dueDate: CalendarDate(year: 2017, month: 8, day: 30), amountCents: 1000,
                                                    beneficiaryDocument: "00.732.159/0001-09")
        #expect(checksum == "0200656000000000000000003008201700000000000100000732159000109")
        #expect(checksum.count == 61)
        #expect(CaixaAuthentication.token(checksum: checksum) == "LvWr1op5Ayibn6jsCQ3/2bW4KwThVAlLK5ftxABlq20=")
        // BAIXA_BOLETO and CONSULTA_BOLETO send zeros for the date and the amount.
        let query = CaixaAuthentication.checksum(beneficiaryCode: "200656", nossoNumero: "14000000000000123", dueDate: nil,
                                                 amountCents: nil, beneficiaryDocument: "00732159000109")
        #expect(query == "0200656" + "14000000000000123" + "00000000" + String(repeating: "0", count: 15) + "00732159000109")
    }

    @Test("Caixa free text: folded (compatibility decomposition, diacritics), anything outside its set a space between words, spaces collapsed", arguments: [
        ("Ântôníõ Tùpìnâmbáú", "Antonio Tupinambau"),
        ("NotAccepted @#$%¨{}[]^~\"&<>\\", "NotAccepted"),
        ("Ｓão ﬁlho", "Sao filho"), ("nº 10", "no 10"), ("Rua  A   B", "Rua A B"), ("A&B", "A B"), ("Loja🙂Centro", "Loja Centro"),
        ("Willian Jadson Bezerra Menezes Tupinambá", "Willian Jadson Bezerra Menezes Tupinamba"),
        ("Rua da Assunção de Sá 123 Seção A, s 02", "Rua da Assuncao de Sa 123 Secao A, s 02"),
        ("Belém do Pará", "Belem do Para"),
        ("Açaí", "Acai"),
    ])
    func caixaText(_ input: String, _ expected: String) {
        #expect(CaixaText.clean(input) == expected)
    }

    @Test("Bradesco text: NFKC, printable Latin-1 kept, the rest folded or a space between words, spaces collapsed", arguments: [
        ("𝑱𝒆𝒔𝒔𝒊𝒄𝒂⁶ Ⓨ︎Ⓞ︎Ⓛ︎Ⓐ︎Ⓝ︎Ⓓ︎Ⓞ︎ ⅒ 𝒅𝒂 Silva", "Jessica6 YOLANDO 1/10 da Silva"),
        ("José da Conceição", "José da Conceição"),
        ("Ana\u{0007}\tMaria 🙂", "Ana Maria"),
        ("ｆｕｌｌｗｉｄｔｈ", "fullwidth"),
        ("Rua A\tB\nC", "Rua A B C"), ("Zoë Őrs", "Zoë Ors"), ("Maria\u{200B}na", "Mariana"), ("  A   B  ", "A B"),
    ])
    func bradescoText(_ input: String, _ expected: String) {
        #expect(BradescoText.normalize(input) == expected)
    }
}
