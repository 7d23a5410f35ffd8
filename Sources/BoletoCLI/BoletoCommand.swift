import ArgumentParser
import NIOCore
import NIOPosix
import BoletoKit
import Foundation

/// The `boleto` command line.
@available(macOS 10.15, macCatalyst 13, iOS 13, tvOS 13, watchOS 6, *)
public struct BoletoCommand: AsyncParsableCommand {
    public static let configuration = CommandConfiguration(
        commandName: "boleto",
        abstract: "Compute, parse and validate Brazilian boletos; run the reference boleto service.",
        subcommands: [BarcodeCommand.self, ParseCommand.self, DocumentCommand.self, PixCommand.self, ServeCommand.self,
                      WorkerCommand.self, MigrateCommand.self, APIKeyCommand.self, QueuesCommand.self,
                      DeadLettersCommand.self, CNABCommand.self]
    )

    public init() {}
}

/// Lines of standard input, without their line breaks.
/// Standard input's lines, read like the batch commands read them (``LineStream``): a line that is not UTF-8 or is
/// too long comes as its problem, never as text with replacement characters.
func standardInputLines() -> AnySequence<LineStream.Line> {
    AnySequence { () -> AnyIterator<LineStream.Line> in
        var stream = LineStream()
        return AnyIterator { stream.next() }
    }
}

func emit(_ text: String) {
    printSafe(text)
}

/// Prints human-readable reports separated by a blank line.
struct TextReports {
    private var count = 0
    mutating func emit(_ text: String) {
        if count > 0 { print("") }
        printSafe(text)
        count += 1
    }

    /// Reports every line of `source` with `answer` (its report and whether it succeeded, or nil to skip the line).
    /// A line that could not be read (too long, not UTF-8) reports its problem and fails. Answers whether every line
    /// succeeded.
    static func run(_ source: AnySequence<LineStream.Line>, _ answer: (String) -> (text: String, ok: Bool)?) -> Bool {
        var reports = TextReports()
        var allOK = true
        for raw in source {
            guard case .text(let line) = raw else {
                reports.emit("error: \(raw.problem ?? "")")
                allOK = false
                continue
            }
            guard let (text, ok) = answer(line) else { continue }
            reports.emit(text)
            allOK = allOK && ok
        }
        return allOK
    }
}

struct BarcodeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "barcode",
        abstract: "Compute barcodes and digitable lines from canonical input objects (one JSON object per line).",
        discussion: "Reads JSON objects from the arguments, or one per line from standard input. Exit code 0 when every input succeeded, 1 otherwise."
    )

    @Flag(name: .long, help: "Write one JSON object per input line.")
    var jsonl = false

    @Option(name: .long, help: "With --jsonl: lines computed at once on that many cores, output kept in input order (default 1).")
    var jobs = 1

    @Argument(help: "Canonical input objects; standard input is read when none is given.")
    var inputs: [String] = []

    func validate() throws {
        try Batch.validate(jobs: jobs)
    }

    /// `--jsonl`'s output line for one input line's bytes (nil: too long to keep); nil for a blank line.
    static func answer(_ bytes: UnsafeBufferPointer<UInt8>?, _ out: inout [UInt8], issuers: inout IssuerCache) -> Bool? {
        // A plain line is read from its bytes; anything else the general way, which names every error.
        var fields = CanonicalInput.Fields()
        if let bytes, CanonicalReader.read(bytes, into: &fields) {
            return Reports.appendBarcode(fields, issuers: &issuers, to: &out)
        }
        let line = LineStream.Line(bytes)
        guard case .text(let text) = line else {
            Batch.append(Reports.barcodeUnread(line), to: &out)
            return false
        }
        if text.allSatisfy(\.isWhitespace) { return nil }
        return Reports.appendBarcode(line: text, to: &out)
    }

    func run() throws {
        if jsonl {
            var lines = inputs.isEmpty ? BatchLines(LineStream()) : BatchLines(inputs)
            let allOK = Batch.run(&lines, jobs: jobs) {
                var issuers = IssuerCache()
                return { bytes, out in Self.answer(bytes, &out, issuers: &issuers) }
            }
            if !allOK { throw ExitCode(1) }
            return
        }
        let source = inputs.isEmpty ? standardInputLines() : AnySequence(inputs.map(LineStream.Line.text))
        let allOK = TextReports.run(source) { line in
            line.allSatisfy(\.isWhitespace) ? nil : Reports.barcodeText(line: line)
        }
        if !allOK { throw ExitCode(1) }
    }
}

struct ParseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "parse",
        abstract: "Parse and validate digitable lines and barcodes (bank boletos and arrecadação slips).",
        discussion: "Reads the arguments, or one input per line from standard input. Exit code 0 only if every input was valid."
    )

    @Option(name: .long, help: "The reference date for decoding due dates (YYYY-MM-DD); default: today in São Paulo.")
    var today: String?

    @Flag(name: .long, help: "Write one JSON object per input.")
    var jsonl = false

    @Option(name: .long, help: "With --jsonl: lines checked at once on that many cores, output kept in input order (default 1).")
    var jobs = 1

    @Argument(help: "Lines or barcodes; standard input is read when none is given.")
    var lines: [String] = []

    func validate() throws {
        if let today, CalendarDate(iso: today) == nil {
            throw ValidationError("--today must be a YYYY-MM-DD date.")
        }
        try Batch.validate(jobs: jobs)
    }

    /// `--jsonl`'s output line for one input line's bytes (nil: too long to keep); nil for a line skipped as blank.
    static func answer(_ bytes: UnsafeBufferPointer<UInt8>?, _ out: inout [UInt8], today: CalendarDate, skipBlank: Bool) -> Bool? {
        // A line of digits only (a scanned or exported line) is parsed from its bytes; anything else as text.
        if let bytes, !bytes.isEmpty, let digits = Digits(ascii: bytes) {
            return Reports.appendParse(digits: digits, today: today, to: &out)
        }
        let raw = LineStream.Line(bytes)
        guard case .text(let text) = raw else {
            Batch.append(Reports.parseUnread(raw), to: &out)
            return false
        }
        let line = Reports.parseInput(Batch.trimmed(text))
        if skipBlank && line.isEmpty { return nil }
        return Reports.appendParse(line, today: today, to: &out)
    }

    func run() throws {
        let reference = today.flatMap { CalendarDate(iso: $0) } ?? CalendarDate.todayInSaoPaulo()
        if jsonl {
            let fromStandardInput = lines.isEmpty
            var source = fromStandardInput ? BatchLines(LineStream()) : BatchLines(lines)
            let allOK = Batch.run(&source, jobs: jobs) {
                { bytes, out in Self.answer(bytes, &out, today: reference, skipBlank: fromStandardInput) }
            }
            if !allOK { throw ExitCode(1) }
            return
        }
        let fromStandardInput = lines.isEmpty
        let source = fromStandardInput ? standardInputLines() : AnySequence(lines.map(LineStream.Line.text))
        let allOK = TextReports.run(source) { raw in
            let line = Reports.parseInput(raw.trimmingCharacters(in: .whitespacesAndNewlines))
            return fromStandardInput && line.isEmpty ? nil : Reports.parseText(line, today: reference)
        }
        if !allOK { throw ExitCode(1) }
    }
}

struct DocumentCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "document",
        abstract: "Validate and format a CPF or CNPJ (including the alphanumeric CNPJ). Exit code 1 when invalid."
    )

    @Flag(name: .long, help: "Write a JSON object.")
    var json = false

    @Argument(help: "The CPF or CNPJ, with or without punctuation.")
    var value: String

    func run() throws {
        let (text, ok) = Reports.document(value, json: json)
        emit(text)
        if !ok { throw ExitCode(1) }
    }
}

/// The entry point of the `boleto` executable: runs ``BoletoCommand`` asynchronously (its `serve`, `migrate` and
/// `apikey` subcommands are async).
public enum BoletoMain {
    public static func run() async {
        await BoletoCommand.main()
    }

    /// Runs `barcode` and `parse` straight away, parsing only their own options, and exits; returns for any other
    /// command line, and for one these commands reject or ask help for, which ``run()`` then reports as usual.
    ///
    /// The batch commands are run thousands of times by scripts and on inputs of a few lines: parsing the whole
    /// command tree (every subcommand's options, by reflection) costs more start-up time and memory than a short
    /// batch itself. Output and exit status are the same either way.
    public static func runBatchCommand(_ arguments: [String] = CommandLine.arguments) {
        guard arguments.count > 1 else { return }
        let rest = Array(arguments.dropFirst(2))
        // Help, version and completion requests name the whole `boleto` tree: the usual path answers them.
        if rest.contains(where: { $0 == "-h" || $0 == "--help" || $0 == "help" || $0.hasPrefix("--generate-completion")
            || $0 == "--version" || $0.hasPrefix("--experimental") }) { return }
        let command: any ParsableCommand.Type
        switch arguments[1] {
        case "barcode": command = BarcodeCommand.self
        case "parse": command = ParseCommand.self
        default: return
        }
        guard var parsed = try? command.parseAsRoot(rest) else { return }
        do {
            try parsed.run()
            exit(0)
        } catch {
            command.exit(withError: error)
        }
    }

    /// Makes NIO's event loops Swift Concurrency's global executor for the long-running commands (`serve`,
    /// `worker`) on Postgres, so that a request's handler, its database call and its response run on the same threads
    /// instead of hopping between NIO's loops and the cooperative pool. Measured (`docs/performance.md`): 10–25 %
    /// less service CPU per Postgres read; on the embedded SQLite store, whose calls block threads of their own, it
    /// cost as much, so that store keeps the default executor. Call it first thing on the main thread, once.
    public static func prepareExecutor() {
        guard runsOnEventLoops(arguments: CommandLine.arguments, environment: ProcessInfo.processInfo.environment) else { return }
        NIOSingletons.unsafeTryInstallSingletonPosixEventLoopGroupAsConcurrencyGlobalExecutor()
    }

    /// Whether ``prepareExecutor()`` takes over the executor for this command line: `serve` or `worker` with
    /// `BOLETO_DATABASE_URL` set.
    public static func runsOnEventLoops(arguments: [String], environment: [String: String]) -> Bool {
        arguments.count > 1 && ["serve", "worker"].contains(arguments[1])
            && environment["BOLETO_DATABASE_URL"].map { !$0.isEmpty } == true
    }
}
