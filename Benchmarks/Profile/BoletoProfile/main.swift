// A plain driver for profiling BoletoKit's hot paths without the benchmark harness.
//
//   BoletoProfile generate 237|341|001 PASSES   generation over 10 000 pregenerated inputs, PASSES times
//   BoletoProfile generate-ascii 237|341|001 PASSES   the same, writing ASCII into caller buffers (no allocation)
//   BoletoProfile issuer-ascii 237 PASSES        the same Bradesco boletos through one BoletoIssuer (one beneficiary:
//                                               the first input's), with numeric nosso números, ASCII out
//   BoletoProfile parse PASSES                  parse+validate of 10 000 pregenerated 47-digit lines
//   BoletoProfile parse-bytes PASSES            the same lines as bytes: Digits(ascii:) and parse(digits:)
//   BoletoProfile valid-bytes PASSES            the same, yes or no: isValid(utf8:)
//   BoletoProfile floor N                       N times two heap Strings (44 and 47 bytes) by memcpy
//
// The measured work sits in `hotGenerate` / `hotParse` (never inlined) so that
// `valgrind --tool=callgrind --toggle-collect='*hotGenerate*'` profiles only it. Prints the rate (ns/op) too.
import BoletoBenchInputs
import BoletoKit
import Providers
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
        for index in inputs.indices {  // by index: the element is borrowed in place, not copied
            let boleto = try! Boleto(inputs[index])
            let barcode = boleto.barcode.description
            let line = boleto.digitableLine.description
            total &+= barcode.utf8.count &+ line.utf8.count
            sink(barcode)
            sink(line)
        }
    }
    return total
}

/// Generation into caller buffers: the boleto and both outputs as ASCII, with no allocation at all.
@inline(never)
func hotGenerateASCII(_ inputs: [BoletoInput], passes: Int) -> Int {
    var total = 0
    let barcode = UnsafeMutableRawBufferPointer.allocate(byteCount: 44, alignment: 1)
    let line = UnsafeMutableRawBufferPointer.allocate(byteCount: 47, alignment: 1)
    defer { barcode.deallocate(); line.deallocate() }
    // Through an unsafe buffer: Array's subscript getter would copy each BoletoInput (retaining its strings),
    // which is the caller's cost, not BoletoKit's.
    inputs.withUnsafeBufferPointer { inputs in
    for _ in 0..<passes {
        for index in inputs.indices {
            let boleto = try! Boleto(inputs[index])
            total &+= boleto.barcode.digits.writeASCII(to: barcode)
            total &+= boleto.digitableLine.digits.writeASCII(to: line)
            total &+= Int(barcode[4]) &+ Int(line[46])
        }
    }
    }
    return total
}

/// Generation through a ``BoletoIssuer`` fitted once: per boleto only the nosso número (a number, as the C reference
/// reads it), the amount and the due date, written as ASCII into caller buffers.
@inline(never)
func hotIssuerASCII(_ issuer: BoletoIssuer, _ variable: [(Int64, Int64, CalendarDate?)], passes: Int) -> Int {
    var total = 0
    let barcode = UnsafeMutableRawBufferPointer.allocate(byteCount: 44, alignment: 1)
    let line = UnsafeMutableRawBufferPointer.allocate(byteCount: 47, alignment: 1)
    defer { barcode.deallocate(); line.deallocate() }
    variable.withUnsafeBufferPointer { variable in
        for _ in 0..<passes {
            for index in variable.indices {
                let (number, amount, due) = variable[index]
                let boleto = try! issuer.boleto(nossoNumero: number, amountCents: amount, dueDate: due)
                total &+= boleto.barcode.digits.writeASCII(to: barcode)
                total &+= boleto.digitableLine.digits.writeASCII(to: line)
                total &+= Int(barcode[4]) &+ Int(line[46])
            }
        }
    }
    return total
}

@inline(never)
func hotParse(_ lines: [String], passes: Int) -> Int {
    var total = 0
    for _ in 0..<passes {
        for index in lines.indices {
            let parsed = try! BoletoParser.parse(lines[index])
            if case .bank(let boleto) = parsed { total &+= boleto.barcode.digits[4] }
            sink(parsed)
        }
    }
    return total
}

/// Validation from bytes, as the C reference does it: the lines' ASCII digits end to end in one buffer, each read
/// with `Digits(ascii:)` and checked with `parse(digits:)`.
@inline(never)
func hotParseBytes(_ bytes: [UInt8], count: Int, passes: Int) -> Int {
    var total = 0
    bytes.withUnsafeBufferPointer { bytes in
        for _ in 0..<passes {
            for index in 0..<count {
                let digits = Digits(ascii: UnsafeBufferPointer(rebasing: bytes[(index &* 47)..<(index &* 47 &+ 47)]))!
                let parsed = try! BoletoParser.parse(digits: digits)
                if case .bank(let boleto) = parsed { total &+= boleto.barcode.digits[4] }
                sink(parsed)
            }
        }
    }
    return total
}

/// Yes-or-no validation from bytes, as the C reference's `validate_line`: `isValid(utf8:)`.
@inline(never)
func hotValidBytes(_ bytes: [UInt8], count: Int, passes: Int) -> Int {
    var total = 0
    bytes.withUnsafeBufferPointer { bytes in
        for _ in 0..<passes {
            for index in 0..<count {
                total &+= BoletoParser.isValid(utf8: UnsafeBufferPointer(rebasing: bytes[(index &* 47)..<(index &* 47 &+ 47)])) ? 1 : 0
            }
        }
    }
    return total
}

/// The floor of a String-returning API: two heap Strings of 44 and 47 ASCII bytes, filled by memcpy.
@inline(never)
func hotFloor(_ source: [UInt8], operations: Int) -> Int {
    var total = 0
    source.withUnsafeBufferPointer { source in
        for _ in 0..<operations {
            let a = String(unsafeUninitializedCapacity: 44) { buffer in
                buffer.baseAddress!.update(from: source.baseAddress!, count: 44)
                return 44
            }
            let b = String(unsafeUninitializedCapacity: 47) { buffer in
                buffer.baseAddress!.update(from: source.baseAddress!, count: 47)
                return 47
            }
            total &+= a.utf8.count &+ b.utf8.count
            sink(a)
            sink(b)
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
case "generate" where arguments.count == 4, "generate-ascii" where arguments.count == 4:
    let inputs: [BoletoInput]
    switch arguments[2] {
    case "237": inputs = BenchInputs.bradesco()
    case "341": inputs = BenchInputs.itau()
    case "001": inputs = BenchInputs.bancoDoBrasil()
    default: print("unknown bank \(arguments[2])"); exit(2)
    }
    let passes = Int(arguments[3]) ?? 1
    let ascii = arguments[1] == "generate-ascii"
    var total = 0
    let elapsed = clock.measure {
        total = ascii ? hotGenerateASCII(inputs, passes: passes) : hotGenerate(inputs, passes: passes)
    }
    report("\(arguments[1]) \(arguments[2])", operations: inputs.count * passes, elapsed, check: total)
case "issuer-ascii" where arguments.count == 4 && arguments[2] == "237":
    let inputs = BenchInputs.bradesco()
    let issuer = try! BoletoIssuer(inputs[0])
    let variable = inputs.map { (Int64($0.nossoNumero)!, $0.amountCents, $0.dueDate) }
    let passes = Int(arguments[3]) ?? 1
    var total = 0
    let elapsed = clock.measure { total = hotIssuerASCII(issuer, variable, passes: passes) }
    report("issuer-ascii 237", operations: inputs.count * passes, elapsed, check: total)
case "parse":
    let lines = BenchInputs.lines()
    let passes = Int(arguments[2]) ?? 1
    var total = 0
    let elapsed = clock.measure { total = hotParse(lines, passes: passes) }
    report("parse", operations: lines.count * passes, elapsed, check: total)
case "parse-bytes":
    let lines = BenchInputs.lines()
    let bytes = lines.flatMap { Array($0.utf8) }
    precondition(bytes.count == 47 * lines.count)
    let passes = Int(arguments[2]) ?? 1
    var total = 0
    let elapsed = clock.measure { total = hotParseBytes(bytes, count: lines.count, passes: passes) }
    report("parse-bytes", operations: lines.count * passes, elapsed, check: total)
case "valid-bytes":
    let lines = BenchInputs.lines()
    let bytes = lines.flatMap { Array($0.utf8) }
    let passes = Int(arguments[2]) ?? 1
    var total = 0
    let elapsed = clock.measure { total = hotValidBytes(bytes, count: lines.count, passes: passes) }
    precondition(total == lines.count * passes, "a valid line was refused")
    report("valid-bytes", operations: lines.count * passes, elapsed, check: total)
case "retorno" where arguments.count == 5:
    // BoletoProfile retorno 400|240 MEGABYTES PASSES: the CNAB reader over a large file, in MB/s.
    let megabytes = Int(arguments[3]) ?? 20
    let file = arguments[2] == "240" ? RetornoInputs.caixa240(megabytes: megabytes) : RetornoInputs.itau400(megabytes: megabytes)
    let passes = Int(arguments[4]) ?? 1
    var titles = 0, warnings = 0
    let elapsed = clock.measure {
        for _ in 0..<passes {
            let retorno = try! CNABRetornoReader.read(file)
            titles += retorno.titles.count
            warnings += retorno.warnings.count
        }
    }
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    print("retorno \(arguments[2]): \(file.count) bytes x \(passes) in \(seconds) s = \(Double(file.count * passes) / seconds / 1e6) MB/s [\(titles / passes) titles, \(warnings) warnings]")
case "floor":
    let operations = Int(arguments[2]) ?? 1
    var total = 0
    let source = Array(repeating: UInt8(ascii: "7"), count: 48)
    let elapsed = clock.measure { total = hotFloor(source, operations: operations) }
    report("floor (two Strings)", operations: operations, elapsed, check: total)
default:
    print("usage: BoletoProfile generate 237|341|001 PASSES | parse PASSES")
    exit(2)
}

func report(_ what: String, operations: Int, _ elapsed: Duration, check: Int) {
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) * 1e-18
    let rate = Double(operations) / seconds
    print("\(what): \(operations) ops in \(seconds) s = \(Int(rate)) ops/s (\(1e9 / rate) ns/op) [check \(check)]")
}
