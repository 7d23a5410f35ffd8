import ArgumentParser
import BoletoJSON
import BoletoKit
import Foundation

/// `boleto pix`: PIX BR Codes ("copia e cola") of the boleto híbrido.
struct PixCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "pix",
        abstract: "Parse, validate and build PIX BR Codes.",
        subcommands: [Parse.self, Build.self]
    )

    /// The stable JSON contract of a valid code.
    static func json(_ code: PixBRCode) -> JSON {
        .object([
            ("valid", .bool(true)), ("kind", .string(code.kind.rawValue)), ("key", JSON(code.key)), ("url", JSON(code.url)),
            ("amount_cents", code.amountCents.map { .int($0) } ?? .null), ("name", .string(code.name)),
            ("city", .string(code.city)), ("txid", .string(code.txid)),
        ])
    }

    /// The stable JSON contract of a refused code or input.
    static func json(_ error: PixError) -> JSON {
        .object([("valid", .bool(false)),
                 ("error", .object([("field", .string(error.field)), ("message", .string(error.message))]))])
    }

    struct Parse: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "parse",
            abstract: "Validate a BR Code and print its fields as JSON.",
            discussion: """
                Prints {"valid": true, "kind": "static"|"dynamic", "key", "url", "amount_cents", "name", "city", "txid"} \
                and exits 0, or {"valid": false, "error": {"field", "message"}} and exits 1.
                """
        )

        @Argument(help: "The payload, as the QR code or the copia e cola carries it.")
        var payload: String

        func run() throws {
            do {
                print(PixCommand.json(try PixBRCode.parse(payload)).text)
            } catch {
                print(PixCommand.json(error).text)
                throw ExitCode(1)
            }
        }
    }

    struct Build: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "build",
            abstract: "Build a BR Code: static with --key, dynamic with --url.",
            discussion: """
                Prints {"valid": true, "payload", "kind", …} and exits 0, or {"valid": false, "error": {"field", "message"}} \
                and exits 1 when an input breaks a rule (name over 25 characters, city over 15, txid over 25, …). Name \
                and city lose their diacritics.
                """
        )

        @Option(help: "The Pix key (static code): CPF, CNPJ, +55 phone, e-mail or random key.")
        var key: String?

        @Option(help: "The location (dynamic code), with or without https://.")
        var url: String?

        @Option(help: "The merchant's name, up to 25 characters.")
        var name: String

        @Option(help: "The merchant's city, up to 15 characters.")
        var city: String

        // `.unconditional`: a value that starts with a dash (`-1`) is this option's value, refused below with its
        // reason, not a missing value followed by an unknown flag.
        @Option(parsing: .unconditional, help: "The amount in cents, a positive integer (omit to let the payer choose).")
        var amountCents: Int64?

        @Option(help: "The txid of a static code, up to 25 characters.")
        var txid: String?

        @Option(help: "Free text for the payer (static codes).")
        var info: String?

        @Option(help: "The merchant's CEP, 8 digits.")
        var postalCode: String?

        @Flag(help: "A code that can be paid once only (point of initiation 12).")
        var singleUse = false

        func validate() throws {
            guard (key == nil) != (url == nil) else { throw ValidationError("Give exactly one of --key (static) and --url (dynamic).") }
            if url != nil && (txid != nil || info != nil) {
                throw ValidationError("--txid and --info belong to static codes; a dynamic code's txid is behind its URL.")
            }
            if let amountCents, amountCents <= 0 {
                throw ValidationError("--amount-cents must be a positive number of cents (omit it to let the payer choose the amount).")
            }
        }

        func run() throws {
            do {
                let code: PixBRCode
                if let key {
                    code = try PixBRCode(key: key, name: name, city: city, amountCents: amountCents, txid: txid, info: info,
                                         postalCode: postalCode, singleUse: singleUse)
                } else {
                    var built = try PixBRCode(url: url ?? "", name: name, city: city, amountCents: amountCents, singleUse: singleUse)
                    if let postalCode {
                        built.postalCode = postalCode
                        _ = try PixBRCode.parse(built.payload)
                    }
                    code = built
                }
                guard case .object(let pairs) = PixCommand.json(code) else { return }
                print(JSON.object([pairs[0], ("payload", .string(code.payload))] + pairs.dropFirst()).text)
            } catch {
                print(PixCommand.json(error).text)
                throw ExitCode(1)
            }
        }
    }
}
