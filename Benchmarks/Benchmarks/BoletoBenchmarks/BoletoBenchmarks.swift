// BoletoKit benchmarks, compared with the C reference in shared/bench/c_ref (see docs/performance.md).
//
// Every benchmark runs 1000 operations per iteration (scalingFactor .kilo) over 10 000 pregenerated, varied inputs,
// so one iteration is one slice of 1000 inputs. Rows marked `*` in the output are per operation (do not pass
// `--scale`: in 1.38.1 it prints them per iteration instead). Inputs are built before measurement starts (in
// `setup`) and are never part of the measured loop.
import Benchmark
import BoletoBenchInputs
import BoletoKit
import Providers

// Built once, on first use; every benchmark's `setup` touches its array so the cost is outside the measurement.
let bradescoInputs = BenchInputs.bradesco()
let itauInputs = BenchInputs.itau()
let bancoDoBrasilInputs = BenchInputs.bancoDoBrasil()
let validLines = BenchInputs.lines()
let bradescoIssuer = try! BoletoIssuer(bradescoInputs[0])
let bradescoVariable = bradescoInputs.map { (Int64($0.nossoNumero)!, $0.amountCents, $0.dueDate) }
let validLineBytes = validLines.flatMap { Array($0.utf8) }

/// The slice of 1000 inputs for this iteration: successive iterations walk through all 10 000.
@inline(__always)
func slice(_ benchmark: Benchmark, _ count: Int) -> Range<Int> {
    let perIteration = benchmark.configuration.scalingFactor.rawValue
    let start = (benchmark.currentIteration * perIteration) % count
    return start..<min(start + perIteration, count)
}

/// The measured operation for generation: the boleto and both output strings.
@inline(__always)
func generate(_ input: BoletoInput) {
    do {
        let boleto = try Boleto(input)
        blackHole(boleto.barcode.description)
        blackHole(boleto.digitableLine.description)
    } catch {
        fatalError("generation failed: \(error)")
    }
}

let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.throughput, .wallClock, .mallocCountTotal],
        warmupIterations: 10,
        scalingFactor: .kilo,
        maxDuration: .seconds(3),
        maxIterations: 100_000
    )

    func generation(_ name: String, _ inputs: @escaping @Sendable () -> [BoletoInput]) {
        Benchmark(name, closure: { benchmark in
            let all = inputs()
            for index in slice(benchmark, all.count) {
                generate(all[index])
            }
        }, setup: { precondition(inputs().count == BenchInputs.count) })
    }

    generation("Generate 237 Bradesco") { bradescoInputs }
    generation("Generate 341 Itau carteira 109") { itauInputs }
    generation("Generate 001 BB convenio 7") { bancoDoBrasilInputs }

    /// Generation writing ASCII into caller buffers, as the C reference does: no allocation at all.
    func asciiGeneration(_ name: String, _ inputs: @escaping @Sendable () -> [BoletoInput]) {
        Benchmark(name, closure: { benchmark in
            let all = inputs()
            let barcode = UnsafeMutableRawBufferPointer.allocate(byteCount: 44, alignment: 1)
            let line = UnsafeMutableRawBufferPointer.allocate(byteCount: 47, alignment: 1)
            defer { barcode.deallocate(); line.deallocate() }
            all.withUnsafeBufferPointer { all in
                for index in slice(benchmark, all.count) {
                    let boleto = try! Boleto(all[index])
                    boleto.barcode.digits.writeASCII(to: barcode)
                    boleto.digitableLine.digits.writeASCII(to: line)
                    blackHole(barcode[4] &+ line[46])
                }
            }
        }, setup: { precondition(inputs().count == BenchInputs.count) })
    }

    asciiGeneration("Generate ASCII 237 Bradesco") { bradescoInputs }
    asciiGeneration("Generate ASCII 341 Itau carteira 109") { itauInputs }
    asciiGeneration("Generate ASCII 001 BB convenio 7") { bancoDoBrasilInputs }

    /// Generation through one ``BoletoIssuer`` (the beneficiary of the first Bradesco input, fitted once), with the
    /// nosso número as a number, as the C reference reads it from its TSV before its timed loop; ASCII out.
    Benchmark("Generate ASCII 237 Bradesco, issuer-fitted", closure: { benchmark in
        let barcode = UnsafeMutableRawBufferPointer.allocate(byteCount: 44, alignment: 1)
        let line = UnsafeMutableRawBufferPointer.allocate(byteCount: 47, alignment: 1)
        defer { barcode.deallocate(); line.deallocate() }
        bradescoVariable.withUnsafeBufferPointer { all in
            for index in slice(benchmark, all.count) {
                let (number, amount, due) = all[index]
                let boleto = try! bradescoIssuer.boleto(nossoNumero: number, amountCents: amount, dueDate: due)
                boleto.barcode.digits.writeASCII(to: barcode)
                boleto.digitableLine.digits.writeASCII(to: line)
                blackHole(barcode[4] &+ line[46])
            }
        }
    }, setup: { precondition(bradescoVariable.count == BenchInputs.count) })

    Benchmark("Parse 47-digit line", closure: { benchmark in
        for index in slice(benchmark, validLines.count) {
            do {
                blackHole(try BoletoParser.parse(validLines[index]))
            } catch {
                fatalError("a valid line failed to parse: \(error)")
            }
        }
    }, setup: { precondition(validLines.count == BenchInputs.count) })

    /// Validation from bytes, as the C reference validates: the 47 ASCII digits of each line, stored end to end in
    /// one buffer before the measurement, read with `Digits(ascii:)` and checked with `parse(digits:)`.
    Benchmark("Parse 47-digit line from bytes", closure: { benchmark in
        validLineBytes.withUnsafeBufferPointer { bytes in
            for index in slice(benchmark, validLines.count) {
                let line = UnsafeBufferPointer(rebasing: bytes[(index * 47)..<(index * 47 + 47)])
                guard let digits = Digits(ascii: line) else { fatalError("a line is not 47 digits") }
                do {
                    blackHole(try BoletoParser.parse(digits: digits))
                } catch {
                    fatalError("a valid line failed to parse: \(error)")
                }
            }
        }
    }, setup: { precondition(validLineBytes.count == 47 * BenchInputs.count) })

    /// Yes-or-no validation from bytes, what the C reference's `validate_line` answers: `isValid(utf8:)`.
    Benchmark("Validate 47-digit line from bytes", closure: { benchmark in
        validLineBytes.withUnsafeBufferPointer { bytes in
            for index in slice(benchmark, validLines.count) {
                let line = UnsafeBufferPointer(rebasing: bytes[(index * 47)..<(index * 47 + 47)])
                guard BoletoParser.isValid(utf8: line) else { fatalError("a valid line was refused") }
                blackHole(index)
            }
        }
    }, setup: { precondition(validLineBytes.count == 47 * BenchInputs.count) })

    // Diagnostics: where the generation time and allocations go.
    Benchmark("Diag 237 Boleto only, no output strings", closure: { benchmark in
        for index in slice(benchmark, bradescoInputs.count) {
            blackHole(try! Boleto(bradescoInputs[index]))
        }
    }, setup: { precondition(bradescoInputs.count == BenchInputs.count) })

    Benchmark("Diag 237 Boleto(input, layout: Bradesco()), no strings", closure: { benchmark in
        let layout = Bradesco()
        for index in slice(benchmark, bradescoInputs.count) {
            blackHole(try! Boleto(bradescoInputs[index], layout: layout))
        }
    }, setup: { precondition(bradescoInputs.count == BenchInputs.count) })

    // The two output Strings alone, from boletos computed up front: what `description` costs.
    Benchmark("Diag 237 output strings only", closure: { benchmark in
        for index in slice(benchmark, bradescoBoletos.count) {
            let boleto = bradescoBoletos[index]
            blackHole(boleto.barcode.description)
            blackHole(boleto.digitableLine.description)
        }
    }, setup: { precondition(bradescoBoletos.count == BenchInputs.count) })

    // The floor any String-returning API pays: two heap Strings of 44 and 47 ASCII bytes, filled by memcpy.
    Benchmark("Diag floor: two 44/47-byte Strings by memcpy", closure: { benchmark in
        asciiSource.withUnsafeBufferPointer { source in
            for _ in benchmark.scaledIterations {
                blackHole(String(unsafeUninitializedCapacity: 44) { buffer in
                    buffer.baseAddress!.update(from: source.baseAddress!, count: 44)
                    return 44
                })
                blackHole(String(unsafeUninitializedCapacity: 47) { buffer in
                    buffer.baseAddress!.update(from: source.baseAddress!, count: 47)
                    return 47
                })
            }
        }
    })

    // The CNAB retorno reader over about 20 MB of real detail records, one whole file per iteration; throughput is
    // files per second, so MB/s = throughput x the size printed by `BoletoProfile retorno` (docs/performance.md).
    for (name, file) in [("Retorno CNAB 400 Itau 20 MB", retornoItau400), ("Retorno CNAB 240 Caixa 20 MB", retornoCaixa240)] {
        Benchmark(name, configuration: .init(metrics: [.throughput, .wallClock, .peakMemoryResident], warmupIterations: 1,
                                             scalingFactor: .one, maxDuration: .seconds(5), maxIterations: 50), closure: { _ in
            blackHole(try! CNABRetornoReader.read(file()).titles.count)
        }, setup: { _ = file() })
    }
}

let bradescoBoletos = bradescoInputs.map { try! Boleto($0) }
let asciiSource = Array(validLines[0].utf8) + [0x30]

let retornoItau400Bytes = RetornoInputs.itau400(megabytes: 20)
let retornoCaixa240Bytes = RetornoInputs.caixa240(megabytes: 20)
@Sendable func retornoItau400() -> [UInt8] { retornoItau400Bytes }
@Sendable func retornoCaixa240() -> [UInt8] { retornoCaixa240Bytes }
