import BoletoJSON
import BoletoKit
import FakeBanks
import Foundation
import Providers
import Testing
@testable import ReferenceService

/// Boleto terms over real HTTP on both backends: validated with field paths, stored and answered, printed, carried by
/// the banks that can carry them, and refused (naming the bank) by those that cannot.
@Suite("Boleto terms: interest, fine, discounts, abatimento, protest and limits")
struct TermsServiceTests {
    static let due = Body.date(20)

    /// Full terms in the API's shape, on a boleto due in 20 days.
    static func terms(interest: String = "percent_per_month", discounts: String = "percent") -> [(String, JSON)] {
        [("expiration_date", .string(due)), ("amount", .int(100_000)),
         ("interest", .object([("type", .string(interest)), ("value", interest == "amount_per_day" ? .int(30) : .double(1))])),
         ("fine", .object([("type", .string("percent")), ("value", .double(2))])),
         ("discounts", .array([.object([("type", .string(discounts)), ("value", discounts == "percent" ? .double(10) : .int(5_000)),
                                        ("until", .string(Body.date(5)))]),
                               .object([("type", .string(discounts)), ("value", discounts == "percent" ? .double(5) : .int(2_000)),
                                        ("until", .string(Body.date(10)))])])),
         ("abatement", .int(1_000)), ("protest_days", .int(5))]
    }

    @Test("stored and answered: every term, superbowleto's keys beside the new ones, and the printed instructions",
          arguments: ServiceBackend.available)
    func stored(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let created = try await service.post("/boletos", Body.boleto(Self.terms()))
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"]?.string)
            let boleto = try await service.get("/boletos/\(id)").json
            let interest = try #require(boleto["interest"])
            #expect(interest["type"]?.string == "percent_per_month" && Self.number(interest["value"]) == 1 && Self.number(interest["percentage"]) == 1)
            #expect(interest["start_date"] == .null && interest["days"]?.int == 1 && interest["amount"] == .null)
            #expect(boleto["fine"]?["type"]?.string == "percent" && Self.number(boleto["fine"]?["value"]) == 2)
            #expect(boleto["discounts"]?.array?.map { $0["until"]?.string ?? "" } == [Body.date(5), Body.date(10)])
            #expect(boleto["abatement"]?.int == 1_000 && boleto["protest_days"]?.int == 5 && boleto["write_off_days"] == .null)
            let html = try await service.get("/boletos/\(id)/html").text
            #expect(html.contains("juros de 1,00% ao mês (R$ 0,33 ao dia)"), "base 99 000: 99 000 × 1 % / 30 = 33")
            #expect(html.contains("multa de 2,00% (R$ 19,80)") && html.contains("desconto de 10,00% (R$ 99,00)"))
            #expect(html.contains("Abatimento de R$ 10,00.") && html.contains("Protestar 5 dias corridos após o vencimento."))

            // superbowleto's shape still works: a percentage a month from `days` after the due date.
            let legacy = try await service.post("/boletos", Body.boleto([
                ("expiration_date", .string(Self.due)),
                ("interest", .object([("percentage", .double(2)), ("amount", .null), ("days", .int(3))])),
                ("fine", .object([("percentage", .int(0)), ("amount", .int(500)), ("days", .int(0))])),
            ]))
            #expect(legacy.status == 201, "\(legacy.text)")
            #expect(legacy.json["interest"]?["type"]?.string == "percent_per_month" && legacy.json["interest"]?["days"]?.int == 3)
            #expect(legacy.json["fine"]?["type"]?.string == "amount" && legacy.json["fine"]?["amount"]?.int == 500)
        }
    }

    static func errorFields(_ service: TestService, _ changes: [(String, JSON)]) async throws -> Set<String> {
        let reply = try await service.post("/boletos", Body.boleto([("expiration_date", .string(Self.due))] + changes))
        #expect(reply.status == 400, "\(reply.text)")
        return Set(reply.errorFields)
    }

    /// A JSON number as a Double (an answer prints 1.0 as 1).
    static func number(_ json: JSON?) -> Double? {
        switch json {
        case .int(let value)?: Double(value)
        case .double(let value)?: value
        default: nil
        }
    }

    @Test("each broken rule is a 400 naming its field", arguments: ServiceBackend.available)
    func rules(_ backend: ServiceBackend) async throws {
        let cases: [([(String, JSON)], Set<String>)] = [
            ([("interest", .object([("type", .string("percent_per_month")), ("value", .int(101))]))], ["interest.value"]),
            ([("interest", .object([("type", .string("percent_a_week")), ("value", .int(1))]))], ["interest.type"]),
            ([("fine", .object([("type", .string("percent")), ("value", .double(2)), ("start_date", .string(Self.due))]))], ["fine.start_date"]),
            ([("discounts", .array([.object([("type", .string("amount")), ("value", .int(100)), ("until", .string(Body.date(21)))])]))],
             ["discounts[0].until"]),
            ([("discounts", .array([.object([("type", .string("amount")), ("value", .double(1.5)), ("until", .string(Body.date(2)))])]))],
             ["discounts[0].value"]),
            ([("protest_days", .int(5)), ("write_off_days", .int(30))], ["write_off_days"]),
            ([("protest_days", .int(0))], ["protest_days"]),
            ([("payment_limit_date", .string(Body.date(19)))], ["payment_limit_date"]),
            // Not below the amount of 2 000.
            ([("abatement", .int(2_000))], ["abatement"]),
            ([("interest", .object([("type", .string("percent_per_month")), ("value", .int(1)), ("percentage", .int(1))]))], ["interest.type"]),
        ]
        try await withService(backend) { service in
            for (changes, expected) in cases {
                let fields = try await Self.errorFields(service, changes)
                #expect(fields == expected, "\(changes.map(\.0))")
            }
        }
    }

    @Test("Banco do Brasil carries the terms in its own fields; a term it has no field for is a 400 naming BB",
          arguments: ServiceBackend.available)
    func bancoDoBrasil(_ backend: ServiceBackend) async throws {
        let (fake, bb) = try await BancoDoBrasilServiceTests.fakeBB()
        try await withService(backend, { $0.bancoDoBrasil = bb }) { service in
            let created = try await service.post("/boletos", BancoDoBrasilServiceTests.boleto(Self.terms()))
            #expect(created.json["status"]?.string == "registered", "\(created.text)")
            let terms = try #require(await fake.titles.values.first?.terms)
            #expect(terms["jurosMora"]?["tipo"] == .int(2) && Self.number(terms["jurosMora"]?["porcentagem"]) == 1)
            let dueDate = try #require(CalendarDate(iso: Self.due))
            let dayAfter = dueDate.adding(days: 1).description.split(separator: "-").reversed().joined(separator: ".")
            #expect(terms["multa"]?["tipo"] == .int(2) && terms["multa"]?["data"]?.string == dayAfter)
            #expect(terms["desconto"]?["tipo"] == .int(2) && Self.number(terms["desconto"]?["porcentagem"]) == 10)
            #expect(Self.number(terms["segundoDesconto"]?["porcentagem"]) == 5 && terms["segundoDesconto"]?["tipo"] == nil)
            #expect(Self.number(terms["valorAbatimento"]) == 10 && terms["quantidadeDiasProtesto"] == .int(5))

            let perDay = try await service.post("/boletos", BancoDoBrasilServiceTests.boleto(Self.terms(interest: "percent_per_day")))
            #expect(perDay.status == 400 && perDay.errorFields == ["interest.type"], "\(perDay.text)")
            #expect(perDay.text.contains("Banco do Brasil"))
            #expect(await fake.titles.count == 1, "nothing sent")
        }
        try await fake.stop()
    }

    @Test("Itaú carries interest a day with its start date, amount discounts and the payment limit", arguments: ServiceBackend.available)
    func itau(_ backend: ServiceBackend) async throws {
        let (fake, itau) = try await ItauServiceTests.fakeItau()
        try await withService(backend, { $0.itau = itau }) { service in
            let start = Body.date(22)
            var changes = Self.terms(interest: "percent_per_day", discounts: "amount")
            changes.removeAll { $0.0 == "interest" || $0.0 == "protest_days" }
            changes += [("interest", .object([("type", .string("percent_per_day")), ("value", .double(0.033)), ("start_date", .string(start))])),
                        ("write_off_days", .int(30))]
            let created = try await service.post("/boletos", ItauServiceTests.boleto(changes))
            #expect(created.json["status"]?.string == "registered", "\(created.text)")
            let terms = try #require(await fake.titles.values.first?.terms)
            #expect(terms["juros"] == .object([("codigo_tipo_juros", .string("91")), ("percentual_juros", .string("000000003300")),
                                               ("data_juros", .string(start))]))
            #expect(terms["multa"]?["percentual_multa"]?.string == "000000200000")
            #expect(terms["desconto"]?["codigo_tipo_desconto"]?.string == "01")
            #expect(terms["desconto"]?["descontos"]?.array?.compactMap { $0["valor_desconto"]?.string } == ["00000000000005000", "00000000000002000"])
            #expect(terms["valor_abatimento"]?.string == "00000000000001000")
            let due = try #require(CalendarDate(iso: Self.due))
            #expect(terms["data_limite_pagamento"]?.string == due.adding(days: 30).description)
        }
        try await fake.stop()
    }

    @Test("Caixa carries interest a month from a date, the fine, two discounts, abatimento and the protest in SIGCB's elements",
          arguments: ServiceBackend.available)
    func caixa(_ backend: ServiceBackend) async throws {
        let (fake, caixa) = try await BankProviderTests.fakeCaixa()
        try await withService(backend, { $0.caixa = caixa }) { service in
            let externalID = try await BankProviderTests.configureCaixa(service)
            let created = try await service.post("/boletos", BankProviderTests.boleto(externalID, Self.terms()))
            let rejections = await fake.rejections
            #expect(created.json["status"]?.string == "registered", "\(created.text) \(rejections)")
            let terms = try #require(await fake.titles.values.first?.terms)
            let dayAfter = try #require(CalendarDate(iso: Self.due)).adding(days: 1).description
            #expect(terms["JUROS_MORA/TIPO"] == "TAXA_MENSAL" && terms["JUROS_MORA/DATA"] == dayAfter && terms["JUROS_MORA/PERCENTUAL"] == "1.0000")
            #expect(terms["MULTA/DATA"] == dayAfter && terms["MULTA/PERCENTUAL"] == "2.0000")
            #expect(terms["DESCONTOS/DESCONTO[1]/PERCENTUAL"] == "10.0000" && terms["DESCONTOS/DESCONTO[2]/DATA"] == Body.date(10))
            #expect(terms["VALOR_ABATIMENTO"] == "10.00" && terms["POS_VENCIMENTO/ACAO"] == "PROTESTAR" && terms["POS_VENCIMENTO/NUMERO_DIAS"] == "5")

            // A third discount, or a percentage of 5 decimals, is refused naming Caixa; nothing is sent.
            var three = Self.terms()
            three.removeAll { $0.0 == "discounts" }
            three.append(("discounts", .array([1, 2, 3].map { index in
                .object([("type", .string("amount")), ("value", .int(Int64(4_000 / index))), ("until", .string(Body.date(index * 3)))])
            })))
            let refused = try await service.post("/boletos", BankProviderTests.boleto(externalID, three))
            #expect(refused.status == 400 && refused.errorFields == ["discounts"] && refused.text.contains("Caixa"), "\(refused.text)")
            var fine = Self.terms()
            fine.removeAll { $0.0 == "fine" }
            fine.append(("fine", .object([("type", .string("percent")), ("value", .double(2.00001))])))
            let precise = try await service.post("/boletos", BankProviderTests.boleto(externalID, fine))
            #expect(precise.status == 400 && precise.errorFields == ["fine.value"], "\(precise.text)")
            #expect(await fake.titles.count == 1)
        }
        try await fake.stop()
    }

    @Test("Bradesco carries interest a day with its start, the fine, mixed discounts and abatimento; a percentage of interest or a protest is a 400",
          arguments: ServiceBackend.available)
    func bradesco(_ backend: ServiceBackend) async throws {
        let (fake, bradesco) = try await BankProviderTests.fakeBradesco()
        try await withService(backend, { $0.bradesco = bradesco }) { service in
            let externalID = try await BankProviderTests.configure(service)
            var changes = Self.terms(interest: "amount_per_day")
            changes.removeAll { ["interest", "discounts", "protest_days"].contains($0.0) }
            changes += [("interest", .object([("type", .string("amount_per_day")), ("value", .int(30)), ("start_date", .string(Body.date(23)))])),
                        ("discounts", .array([.object([("type", .string("percent")), ("value", .double(10)), ("until", .string(Body.date(5)))]),
                                              .object([("type", .string("amount")), ("value", .int(2_000)), ("until", .string(Body.date(10)))])]))]
            let created = try await service.post("/boletos", BankProviderTests.boleto(externalID, changes))
            #expect(created.json["status"]?.string == "registered", "\(created.text)")
            let fields = try #require(await fake.titles.values.first)
            #expect(fields["vlJuros"] == "30" && fields["qtdeDiasJuros"] == "3" && fields["percentualJuros"] == nil)
            #expect(fields["percentualMulta"] == "00200000" && fields["qtdeDiasMulta"] == "1")
            #expect(fields["percentualDesconto1"] == "01000000" && fields["vlDesconto2"] == "2000")
            let limit = try #require(CalendarDate(iso: Body.date(5)))
            #expect(fields["dataLimiteDesconto1"] == String(format: "%02d.%02d.%04d", limit.day, limit.month, limit.year))
            #expect(fields["vlAbatimento"] == "1000")

            let monthly = try await service.post("/boletos", BankProviderTests.boleto(externalID, Self.terms()))
            #expect(monthly.status == 400 && Set(monthly.errorFields) == ["interest.type", "protest_days"], "\(monthly.text)")
            #expect(monthly.text.contains("Bradesco"))
            #expect(await fake.titles.count == 1)
        }
        try await fake.stop()
    }

    @Test("a term an adapter has no field for is refused by name; the sandbox carries every term", arguments: ServiceBackend.available)
    func refusals(_ backend: ServiceBackend) async throws {
        let problems = BradescoRegistroOnline.termsSupport.problems(BoletoTerms(afterDue: .writeOff(days: 10)), bank: "Bradesco")
        #expect(problems.map(\.field) == [.terms("write_off_days")] && problems[0].message.hasPrefix("Bradesco does not carry an automatic write-off"))
        #expect(CaixaSIGCB.termsSupport.problems(BoletoTerms(interest: .init(kind: .percentPerDay, percent: Percent(1))), bank: "Caixa")
            .map(\.field) == [.terms("interest.type")])
        #expect(CaixaSIGCB.termsSupport.problems(BoletoTerms(), bank: "Caixa").isEmpty)
        try await withService(backend) { service in
            // The sandbox bank carries every term.
            let created = try await service.post("/boletos", Body.boleto(Self.terms()))
            #expect(created.status == 201, "\(created.text)")
        }
    }

    @Test("what the payer owed is compared with what the bank reports: the divergence is in the event")
    func divergence() throws {
        var record = StoreContractTests.boleto(clientID: "cli_1", titleID: 1, status: .registered)
        record.dueDate = "2027-03-10"
        record.amount = 100_000
        record.details.terms = BoletoTerms(interest: .init(kind: .percentPerMonth, percent: Percent(1)),
                                           fine: .init(kind: .percent, percent: Percent(2)))
        // Ten days late: 100 000 + 333 + 2 000.
        let late = JSON.object(record.paymentCheck(paid: 100_000, on: CalendarDate(iso: "2027-03-20")))
        #expect(late["expected_amount"]?.int == 102_333 && late["divergence_cents"]?.int == -2_333)
        let exact = JSON.object(record.paymentCheck(paid: 102_333, on: CalendarDate(iso: "2027-03-20")))
        #expect(exact["expected_amount"]?.int == 102_333 && exact["divergence_cents"] == nil)
        #expect(record.paymentCheck(paid: 1, on: nil).isEmpty)
    }
}
