import BoletoKit

/// Deterministic inputs for the benchmarks and the profiling driver.
///
/// They mimic the C reference (`shared/bench/c_ref/run.sh`): amounts 1…99 999 999 cents, due dates 2025-03-01 plus
/// 0…2799 days, and uniformly random, zero-padded identifiers. A fixed-seed SplitMix64 keeps every run identical.
public enum BenchInputs {
    /// How many inputs each benchmark cycles through.
    public static let count = 10_000

    /// Bradesco (237): agency 4, carteira 09/06/19/26, nosso número 11, account 7 — the C reference's fields.
    public static func bradesco(count: Int = count, seed: UInt64 = 20_261_124) -> [BoletoInput] {
        var rng = SplitMix64(seed: seed)
        let wallets = ["09", "06", "19", "26"]
        return (0..<count).map { _ in
            BoletoInput(bank: "237", amountCents: rng.int64(1..<100_000_000), dueDate: rng.dueDate(),
                        agency: rng.digits(4), account: rng.digits(7), wallet: wallets[rng.int(0..<4)],
                        nossoNumero: rng.digits(11))
        }
    }

    /// Itaú (341), normal carteiras (109 and others that are neither "special" nor wallet-only DAC): agency 4,
    /// account 5 (DAC computed), nosso número 8.
    public static func itau(count: Int = count, seed: UInt64 = 341) -> [BoletoInput] {
        var rng = SplitMix64(seed: seed)
        let wallets = ["109", "112", "157", "175"]
        return (0..<count).map { _ in
            BoletoInput(bank: "341", amountCents: rng.int64(1..<100_000_000), dueDate: rng.dueDate(),
                        agency: rng.digits(4), account: rng.digits(5), wallet: wallets[rng.int(0..<4)],
                        nossoNumero: rng.digits(8))
        }
    }

    /// Banco do Brasil (001), 7-digit convênio: `000000` + convênio(7) + nosso número(10) + carteira(2).
    public static func bancoDoBrasil(count: Int = count, seed: UInt64 = 1) -> [BoletoInput] {
        var rng = SplitMix64(seed: seed)
        let wallets = ["17", "18"]
        return (0..<count).map { _ in
            BoletoInput(bank: "001", amountCents: rng.int64(1..<100_000_000), dueDate: rng.dueDate(),
                        beneficiaryCode: String(rng.int(1_000_000..<10_000_000)), wallet: wallets[rng.int(0..<2)],
                        nossoNumero: rng.digits(10))
        }
    }

    /// Valid 47-digit lines (bare digits), generated from Bradesco inputs as the C reference does.
    public static func lines(count: Int = count) -> [String] {
        bradesco(count: count, seed: 47).map { try! Boleto($0).digitableLine.description }
    }
}

/// SplitMix64: small, fast, deterministic.
public struct SplitMix64: RandomNumberGenerator {
    private var state: UInt64
    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    mutating func int(_ range: Range<Int>) -> Int { Int.random(in: range, using: &self) }
    mutating func int64(_ range: Range<Int64>) -> Int64 { Int64.random(in: range, using: &self) }

    /// `width` random digits, zero-padded.
    mutating func digits(_ width: Int) -> String {
        var text = String(Int64.random(in: 0..<pow10(width), using: &self))
        while text.utf8.count < width { text = "0" + text }
        return text
    }

    /// 2025-03-01 plus 0…2799 days, as in the C reference.
    mutating func dueDate() -> CalendarDate {
        let base = CalendarDate(year: 2025, month: 3, day: 1)!
        return base.adding(days: int(0..<2800))
    }

    private func pow10(_ n: Int) -> Int64 {
        var value: Int64 = 1
        for _ in 0..<n { value *= 10 }
        return value
    }
}
