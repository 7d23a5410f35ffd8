import BoletoJSON
import Providers
import Testing

/// Reading which titles a bank's notification names (the body is only a hint; the service asks the bank).
@Suite("Bank notifications: the titles they name")
struct BankNoticeTests {
    @Test("Banco do Brasil: `id` is 000 + convênio + nosso número; other convênios and malformed ids are ignored")
    func bancoDoBrasil() throws {
        let body = try JSON.parse("""
            [{"id":"00031285570000000042","numeroConvenio":3128557,"codigoEstadoBaixaOperacional":1,"valorPagoSacado":10.5},
             {"id":"00031285570000000042"},
             {"id":"00076543210000000043"},
             {"id":"00031285570000000044","numeroConvenio":7654321},
             {"id":"0003128557000000045"},
             {"numeroTituloCliente":"00031285570000000046"},
             {"id":31285570000000047}]
            """)
        #expect(BankNotice.bancoDoBrasil(body, convenio: "3128557") == [42, 46])
        #expect(BankNotice.bancoDoBrasil(try JSON.parse(#"{"id":"00031285570000000042"}"#), convenio: "3128557") == [42])
        #expect(BankNotice.bancoDoBrasil(.string("00031285570000000042"), convenio: "3128557").isEmpty)
        let many = JSON.array((1...150).map { .object([("id", .string("0003128557" + String(format: "%010d", $0)))]) })
        #expect(BankNotice.bancoDoBrasil(many, convenio: "3128557").count == BankNotice.maximumTitles)
    }

    @Test("Itaú: boletos[] (also under data, or a bare array) by numeroNossoNumero or the last 8 digits of idBoleto")
    func itau() throws {
        let wrapped = try JSON.parse("""
            {"data":{"boletos":[{"idBoleto":"150000000001231090001234","numeroNossoNumero":"00001234"},
                                {"idBoleto":"15000000000123109000055"},{"valorPagoTotalCobranca":"10.00"}]}}
            """)
        #expect(BankNotice.itau(wrapped) == [1234, 9000055])
        #expect(BankNotice.itau(try JSON.parse(#"{"boletos":[{"numeroNossoNumero":"87654321"}]}"#)) == [87_654_321])
        #expect(BankNotice.itau(try JSON.parse(#"[{"numeroNossoNumero":"123456789"},{"numeroNossoNumero":"7"}]"#)) == [7])
    }
}
