import BoletoKit

/// A small deterministic generator (SplitMix64), so property tests can build whole inputs from one seed.
struct SplitMix {
    var state: UInt64
    init(seed: Int) { state = UInt64(bitPattern: Int64(seed)) }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.count))
    }

    /// `width` random digits.
    mutating func digits(_ width: Int) -> String {
        String((0..<width).map { _ in Character(String(int(0...9))) })
    }

    mutating func pick<T>(_ values: [T]) -> T { values[int(0...values.count - 1)] }
}

/// Valid issuer data for every bank, drawn at random.
enum Samples {
    static func input(bank: String, seed: Int) -> BoletoInput {
        var rng = SplitMix(seed: seed)
        let due = DueDateFactor.firstDate.adding(days: rng.int(0...(DueDateFactor.lastDate.days(since: DueDateFactor.firstDate))))
        var input = BoletoInput(bank: bank, amountCents: Int64(rng.int(0...9_999_999_999)),
                                dueDate: rng.int(0...20) == 0 ? nil : due, nossoNumero: "")
        switch bank {
        case "001":
            let convenio = rng.pick([4, 6, 7, 8, 17])
            if convenio == 17 {
                input.beneficiaryCode = rng.digits(6)
                input.nossoNumero = rng.digits(17)
                input.extra = ["kind": "nn17"]
            } else {
                input.beneficiaryCode = String(rng.int(1...9)) + rng.digits(convenio - 1)
                input.nossoNumero = rng.digits([4: 7, 6: 5, 7: 10, 8: 9][convenio]!)
            }
            input.agency = rng.digits(4)
            input.account = rng.digits(8)
            input.wallet = rng.pick(["11", "17", "18", "31"])
        case "004":
            input.agency = rng.digits(4); input.account = rng.digits(7); input.accountDV = rng.digits(1)
            input.nossoNumero = rng.digits(7)
        case "021":
            input.account = rng.digits(10); input.accountDV = rng.digits(1); input.nossoNumero = rng.digits(8)
            input.walletVariation = String(rng.int(2...7))
        case "033":
            input.beneficiaryCode = rng.digits(7); input.nossoNumero = rng.digits(12)
            input.wallet = rng.pick(["101", "102", "201"])
        case "041":
            input.agency = rng.digits(4); input.beneficiaryCode = rng.digits(7); input.nossoNumero = rng.digits(8)
        case "070":
            input.agency = rng.digits(3); input.account = rng.digits(7); input.wallet = String(rng.int(1...2))
            input.nossoNumero = rng.digits(rng.pick([6, 9]))
        case "077", "707":
            input.agency = rng.digits(4); input.agencyDV = rng.digits(1); input.wallet = bank == "077" ? "110" : "121"
            input.extra = ["operation": rng.digits(7)]; input.nossoNumero = rng.digits(10)
        case "084", "237":
            input.agency = rng.digits(4); input.account = rng.digits(7); input.wallet = rng.digits(2)
            input.nossoNumero = rng.digits(11)
        case "085":
            input.beneficiaryCode = rng.digits(6); input.account = rng.digits(7); input.nossoNumero = rng.digits(9)
        case "097":
            input.agency = rng.digits(4); input.beneficiaryCode = rng.digits(6); input.nossoNumero = rng.digits(6)
            input.extra = ["beneficiary_document": rng.digits(rng.pick([11, 14]))]
        case "104":
            switch rng.int(0...2) {
            case 0:
                input.beneficiaryCode = rng.pick([rng.digits(6), String(rng.int(1_100_000...9_999_999))])
                input.wallet = rng.pick(["14", "24"]); input.nossoNumero = rng.digits(15)
            case 1:
                input.beneficiaryCode = rng.digits(6); input.nossoNumero = rng.digits(17); input.extra = ["kind": "sinco"]
            default:
                input.agency = rng.digits(4); input.beneficiaryCode = rng.digits(8)
                input.nossoNumero = rng.pick(["80", "82", "9" + rng.digits(1)]) + rng.digits(8)
                input.extra = ["kind": "sicob", "operation": rng.digits(3)]
            }
        case "136":
            input.agency = rng.digits(4); input.account = rng.digits(9); input.accountDV = rng.digits(1)
            input.nossoNumero = rng.digits(10)
        case "336":
            input.beneficiaryCode = rng.digits(12); input.nossoNumero = rng.digits(10); input.wallet = rng.digits(2)
            input.extra = ["modality": rng.digits(1)]
        case "341":
            input.agency = rng.digits(4); input.account = rng.digits(5); input.nossoNumero = rng.digits(8)
            input.wallet = rng.pick(["109", "112", "126", "157", "175", "198", "106"])
            if ["198", "106"].contains(input.wallet!) {
                input.beneficiaryCode = rng.digits(5); input.extra = ["seu_numero": rng.digits(7)]
            }
        case "356":
            input.agency = rng.digits(4); input.account = rng.digits(7); input.nossoNumero = rng.digits(13)
        case "399":
            if rng.int(0...1) == 0 {
                input.beneficiaryCode = rng.digits(7); input.nossoNumero = rng.digits(13)
            } else {
                input.agency = rng.digits(4); input.account = rng.digits(7); input.nossoNumero = rng.digits(10)
                input.extra = ["kind": "csb"]
            }
        case "422":
            input.agency = rng.digits(4); input.agencyDV = rng.digits(1); input.account = rng.digits(8)
            input.accountDV = rng.digits(1); input.nossoNumero = rng.digits(8)
        case "655":
            input.beneficiaryCode = rng.digits(10); input.wallet = rng.digits(3); input.nossoNumero = rng.digits(10)
        case "745":
            input.wallet = "3"; input.walletVariation = rng.digits(3); input.beneficiaryCode = "0" + rng.digits(9)
            input.nossoNumero = rng.digits(11)
        case "748":
            input.agency = rng.digits(4); input.beneficiaryCode = rng.digits(5); input.wallet = rng.pick(["1", "3"])
            input.extra = ["posto": rng.digits(2), "byte": String(rng.int(2...9)), "year": rng.digits(2)]
            input.nossoNumero = rng.digits(5)
        case "756":
            input.agency = rng.digits(4); input.beneficiaryCode = rng.digits(7); input.wallet = rng.digits(1)
            input.extra = ["modality": rng.digits(2)]; input.nossoNumero = rng.digits(7)
        default:
            fatalError("no sample for bank \(bank)")
        }
        return input
    }
}
