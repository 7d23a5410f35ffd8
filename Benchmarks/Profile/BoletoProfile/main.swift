// A plain driver for profiling BoletoKit's hot paths without the benchmark harness.
//
//   BoletoProfile generate 237|341|001 PASSES   generation over 10 000 pregenerated inputs, PASSES times
//   BoletoProfile parse PASSES                  parse+validate of 10 000 pregenerated 47-digit lines
//
// The measured work sits in `hotGenerate` / `hotParse` (never inlined) so that
// `valgrind --tool=callgrind --toggle-collect='*hotGenerate*'` profiles only it. Prints the rate (ns/op) too.
import BoletoBenchInputs
import BoletoKit
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@inline(never)
func sink(_ value: some Any) {}

@inline(never)
func hotGenerate(_ inputs: [BoletoInput], passes: Int) -> Int {
    var total = 0
    for _ in 0..<passes {
        for input in inputs {
            let boleto = try! Boleto(input)
            let barcode = boleto.barcode.description
            let line = boleto.digitableLine.description
            total &+= barcode.utf8.count &+ line.utf8.count
            sink(barcode)
            sink(line)
        }
    }
    return total
}

@inline(never)
func hotParse(_ lines: [String], passes: Int) -> Int {
    var total = 0
    for _ in 0..<passes {
        for line in lines {
            let parsed = try! BoletoParser.parse(line)
            if case .bank(let boleto) = parsed { total &+= boleto.barcode.digits[4] }
            sink(parsed)
        }
    }
    return total
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    print("usage: BoletoProfile generate 237|341|001 PASSES | parse PASSES")
    exit(2)
}
let clock = ContinuousClock()
switch arguments[1] {
case "generate" where arguments.count == 4:
    let inputs: [BoletoInput]
    switch arguments[2] {
    case "237": inputs = BenchInputs.bradesco()
    case "341": inputs = BenchInputs.itau()
    case "001": inputs = BenchInputs.bancoDoBrasil()
    default: print("unknown bank \(arguments[2])"); exit(2)
    }
    let passes = Int(arguments[3]) ?? 1
    var total = 0
    let elapsed = clock.measure { total = hotGenerate(inputs, passes: passes) }
    report("generate \(arguments[2])", operations: inputs.count * passes, elapsed, check: total)
case "parse":
    let lines = BenchInputs.lines()
    let passes = Int(arguments[2]) ?? 1
    var total = 0
    let elapsed = clock.measure { total = hotParse(lines, passes: passes) }
    report("parse", operations: lines.count * passes, elapsed, check: total)
default:
    print("usage: BoletoProfile generate 237|341|001 PASSES | parse PASSES")
    exit(2)
}

func report(_ what: String, operations: Int, _ elapsed: Duration, check: Int) {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    let rate = Double(operations) / seconds
    print("\(what): \(operations) ops in \(seconds) s = \(Int(rate)) ops/s (\(1e9 / rate) ns/op) [check \(check)]")
}
