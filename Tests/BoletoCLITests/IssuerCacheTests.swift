@testable import BoletoCLI
import BoletoKit
import Testing

/// `barcode --jsonl`'s issuer cache: runs of one beneficiary go through a fitted `BoletoIssuer`, and every line still
/// gets what `Boleto(_:)` gives it, whatever the runs, the failures between them and the fields that change.
@Suite("Issuer cache")
struct IssuerCacheTests {
    static let beneficiaries = [
        BoletoInput(bank: "237", amountCents: 0, dueDate: nil, agency: "1172", account: "403005", wallet: "06", nossoNumero: "1"),
        BoletoInput(bank: "237", amountCents: 0, dueDate: nil, agency: "1172", account: "403006", wallet: "06", nossoNumero: "1"),
        BoletoInput(bank: "341", amountCents: 0, dueDate: nil, agency: "0057", account: "12345", wallet: "109", nossoNumero: "1"),
        BoletoInput(bank: "001", amountCents: 0, dueDate: nil, beneficiaryCode: "1234567", wallet: "18", nossoNumero: "1"),
        BoletoInput(bank: "237", amountCents: 0, dueDate: nil, agency: "99999", account: "1", wallet: "06", nossoNumero: "1"),
    ]

    @Test("10 000 lines in runs of one to twenty lines per beneficiary, a fifth of them failing: the same as Boleto(_:)")
    func sameAsBoleto() {
        var random = SplitMix(seed: 42)
        var cache = IssuerCache()
        var lines = 0, ok = 0
        while lines < 10_000 {
            let beneficiary = Self.beneficiaries[Int(random.next() % UInt64(Self.beneficiaries.count))]
            for _ in 0..<(1 + Int(random.next() % 20)) {
                var input = beneficiary
                let digits = String(random.next() % 100_000_000_000)
                input.nossoNumero = random.next() % 5 == 0 ? ["", "12a", digits + "-1", String(repeating: "9", count: 25)][Int(random.next() % 4)] : digits
                input.amountCents = random.next() % 10 == 0 ? -1 : Int64(random.next() % 10_000_000_000)
                input.dueDate = random.next() % 7 == 0 ? nil : CalendarDate(iso: "2030-01-01")?.adding(days: Int(random.next() % 3000))
                let expected: Result<Boleto, BoletoError>
                do throws(BoletoError) { expected = .success(try Boleto(input)) } catch { expected = .failure(error) }
                let got: Result<Boleto, BoletoError>
                do throws(BoletoError) { got = .success(try cache.boleto(input)) } catch { got = .failure(error) }
                #expect(got == expected, "line \(lines)")
                if case .success = expected { ok += 1 }
                lines += 1
            }
        }
        #expect(ok > 2_500, "only \(ok) lines computed")
    }

    @Test("same beneficiary: every field but nosso número, amount and due date counts")
    func sameBeneficiary() {
        let base = Self.beneficiaries[0]
        var other = base
        other.nossoNumero = "999"; other.amountCents = 5; other.dueDate = CalendarDate(iso: "2030-01-01")
        #expect(IssuerCache.sameBeneficiary(base, other))
        let changes: [(inout BoletoInput) -> Void] = [
            { $0.bank = "341" }, { $0.agency = "1173" }, { $0.agencyDV = "1" }, { $0.account = "1" }, { $0.accountDV = "0" },
            { $0.beneficiaryCode = "1" }, { $0.wallet = "09" }, { $0.walletVariation = "019" }, { $0.extra = ["posto": "1"] },
        ]
        for change in changes {
            var changed = base
            change(&changed)
            #expect(!IssuerCache.sameBeneficiary(base, changed))
        }
    }
}
