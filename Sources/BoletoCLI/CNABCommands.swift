import ArgumentParser
import BoletoJSON
import Foundation
import Providers

/// `boleto cnab`: CNAB 240/400 files.
struct CNABCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cnab",
        abstract: "Read CNAB 240/400 retorno files and write remessa files.",
        subcommands: [Retorno.self, CNABRemessaCommand.self]
    )

    struct Retorno: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "retorno",
            abstract: "Read a retorno file: its titles, what each occurrence means, and what is off in the file.",
            discussion: """
                The bank and the layout (240 or 400) are detected from the header; --bank overrides the bank. \
                Exit code 0 when the file was read (warnings included), 65 when it is not a retorno or its bank has \
                no layout, 66 when it cannot be opened.
                """
        )

        @Argument(help: "The retorno file.")
        var file: String

        @Option(help: "The bank's FEBRABAN code (3 digits), when the header names another.")
        var bank: String?

        @Flag(help: "Print the JSON contract: {bank, layout, titles, warnings}.")
        var json = false

        func validate() throws {
            if let bank, !(bank.count == 3 && bank.allSatisfy { $0.isASCII && $0.isNumber }) {
                throw ValidationError("--bank must be a 3-digit FEBRABAN code such as 237.")
            }
        }

        func run() throws {
            guard let data = FileManager.default.contents(atPath: file) else {
                FileHandle.standardError.write(Data("boleto: cannot read \(TerminalText.safe(file))\n".utf8))
                throw ExitCode(66)
            }
            let retorno: CNABRetorno
            do {
                retorno = try CNABRetornoReader.read(Array(data), bank: bank)
            } catch {
                FileHandle.standardError.write(Data("boleto: \(TerminalText.safe(file)): \(TerminalText.safe(error.description))\n".utf8))
                throw ExitCode(65)
            }
            print(json ? Self.json(retorno).text : TerminalText.safe(Self.text(retorno)))
        }

        /// The stable JSON contract of `boleto cnab retorno --json`.
        static func json(_ retorno: CNABRetorno) -> JSON {
            func date(_ value: String?) -> JSON { JSON(value) }
            return .object([
                ("bank", .string(retorno.bank)),
                ("layout", .string(retorno.format.rawValue)),
                ("titles", .array(retorno.titles.map { title in
                    .object([
                        ("nosso_numero", .string(title.nossoNumero)),
                        ("occurrence_code", .string(title.occurrenceCode)),
                        ("occurrence_kind", .string(title.occurrence.kind.rawValue)),
                        ("face_value_cents", .int(title.faceValueCents)),
                        ("paid_value_cents", .int(title.paidValueCents)),
                        ("fee_cents", .int(title.feeCents)),
                        ("interest_cents", .int(title.interestCents)),
                        ("discount_cents", .int(title.discountCents)),
                        ("due_date", date(title.dueDate?.description)),
                        ("occurrence_date", date(title.occurrenceDate?.description)),
                        ("credit_date", date(title.creditDate?.description)),
                        ("reasons", .array(title.reasons.map { .string($0) })),
                    ])
                })),
                ("warnings", .array(retorno.warnings.map { .object([("line", .int(Int64($0.line))), ("message", .string($0.message))]) })),
            ])
        }

        /// A table for people: one title per line, then the warnings.
        static func text(_ retorno: CNABRetorno) -> String {
            var lines = ["bank \(retorno.bank), CNAB \(retorno.format.rawValue), \(retorno.titles.count) title\(retorno.titles.count == 1 ? "" : "s")"
                         + (retorno.fileDate.map { ", file date \($0)" } ?? "")]
            for title in retorno.titles {
                var line = "line \(title.line)\t\(title.nossoNumero)\t\(title.occurrenceCode) \(title.occurrence.kind.rawValue)\t"
                line += "face \(title.faceValueCents) paid \(title.paidValueCents) fee \(title.feeCents)"
                if let date = title.occurrenceDate { line += "\t\(date)" }
                if !title.reasons.isEmpty { line += "\treasons \(title.reasons.joined(separator: ","))" }
                line += "\t\(title.occurrence.description)"
                lines.append(line)
            }
            for warning in retorno.warnings { lines.append("warning: \(warning)") }
            return lines.joined(separator: "\n")
        }
    }
}
