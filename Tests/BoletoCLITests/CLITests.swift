import BoletoJSON
import BoletoCLI
import BoletoKit
import Foundation
import Testing

enum CLIError: Error { case missingExecutable }

@Suite("Command line")
struct CLITests {
    static let bradescoJSON = #"{"bank":"237","amount_cents":295295,"due_date":"2012-12-28","agency":"1172","account":"0403005","wallet":"06","nosso_numero":"75896452"}"#

    @Test("barcode --jsonl: output keys and values")
    func barcodeLine() {
        let (json, ok) = Reports.barcode(line: Self.bradescoJSON)
        #expect(ok)
        #expect(json["barcode"] == .string("23796556100002952951172060007589645204030050"))
        #expect(json["digitable_line"] == .string("23791172096000758964552040300502655610000295295"))
        #expect(json["digitable_line_formatted"] == .string("23791.17209 60007.589645 52040.300502 6 55610000295295"))
        #expect(json["nosso_numero"] == .string("06/00075896452-5"))
    }

    @Test("barcode --jsonl: bad lines get an error object naming the field", arguments: [
        ("not json", nil),
        ("[1,2]", nil),
        (#"{"amount_cents":1,"due_date":null,"nosso_numero":"1"}"#, "bank"),
        (#"{"bank":"237","amount_cents":"13500","due_date":null,"nosso_numero":"1"}"#, "amount_cents"),
        (#"{"bank":"237","amount_cents":1.5,"due_date":null,"nosso_numero":"1"}"#, "amount_cents"),
        (#"{"bank":"237","amount_cents":1,"nosso_numero":"1"}"#, "due_date"),
        (#"{"bank":"237","amount_cents":1,"due_date":"2024-02-30","nosso_numero":"1"}"#, "due_date"),
        (#"{"bank":"237","amount_cents":1,"due_date":null,"nosso_numro":"1"}"#, "nosso_numro"),
        (#"{"bank":"237","amount_cents":1,"due_date":null,"nosso_numero":"1","extra":{"posta":"1"}}"#, "extra.posta"),
        (#"{"bank":"237","amount_cents":1,"due_date":null,"nosso_numero":"1","agency":true}"#, "agency"),
        (#"{"bank":"2377","amount_cents":1,"due_date":null,"nosso_numero":"1"}"#, "bank"),
        // Several unknown keys: the first in key order is named, whatever order they were sent in.
        (#"{"zeta":1,"bank":"237","alpha":2,"amount_cents":1,"due_date":null,"nosso_numero":"1"}"#, "alpha"),
        (#"{"bank":"237","amount_cents":1,"due_date":null,"nosso_numero":"1","extra":{"zz":"1","posto":5.5,"aa":"2"}}"#, "extra.aa"),
        // A repeated key is an error naming it (issue 15: the first value used to win silently).
        (#"{"bank":"237","amount_cents":1,"due_date":null,"nosso_numero":"1","agency":"1","agency":"x"}"#, "agency"),
        (#"{"bank":"237",}"#, nil),
    ] as [(String, String?)])
    func barcodeErrors(_ line: String, _ field: String?) {
        let (json, ok) = Reports.barcode(line: line)
        #expect(!ok)
        #expect(json["error"]?["field"] == (field.map { JSON.string($0) } ?? .null))
        guard case .string(let message)? = json["error"]?["message"] else {
            Issue.record("no message")
            return
        }
        #expect(!message.isEmpty)
    }

    @Test("A vector-file line is read through its input object, and its id echoed")
    func vectorLine() {
        let line = #"{"id":"237-x","bank":"237","input":"# + Self.bradescoJSON + #","expected":{},"doubtful":false}"#
        let (json, ok) = Reports.barcode(line: line)
        #expect(ok)
        #expect(json["id"] == .string("237-x"))
        #expect(json["barcode"] == .string("23796556100002952951172060007589645204030050"))
        let bad = #"{"id":"237-y","input":{"bank":"237"}}"#
        #expect(Reports.barcode(line: bad).json["id"] == .string("237-y"))
        #expect(Reports.barcode(line: bad).json["error"]?["field"] == .string("amount_cents"))
    }

    @Test("parse reads raw lines, JSON strings and JSON objects from standard input")
    func parseInputShapes() {
        let line = "23791172096000758964552040300502655610000295295"
        #expect(Reports.parseInput(line) == line)
        #expect(Reports.parseInput("\"\(line)\"") == line)
        #expect(Reports.parseInput(#"{"input":"\#(line)"}"#) == line)
        #expect(Reports.parseInput(#"{"barcode":"123"}"#) == "123")
        #expect(Reports.parseInput("{not json") == "{not json")
    }

    @Test("Integers are accepted for identifier fields")
    func integerIdentifiers() {
        let line = #"{"bank":237,"amount_cents":295295,"due_date":"2012-12-28","agency":1172,"account":403005,"wallet":6,"nosso_numero":75896452}"#
        #expect(Reports.barcode(line: line).json["barcode"] == .string("23796556100002952951172060007589645204030050"))
    }

    @Test("parse --jsonl: a valid bank line")
    func parseBank() {
        let (json, ok) = Reports.parse("03399.13428 75401.000007 10838.001013 4 80180000073000",
                                       today: CalendarDate(iso: "2020-01-01")!)
        #expect(ok)
        #expect(json["valid"] == .bool(true))
        #expect(json["type"] == .string("bank"))
        #expect(json["bank"] == .string("033"))
        #expect(json["amount_cents"] == .int(73000))
        #expect(json["due_date"] == .string("2019-09-20"))
        #expect(json["free_field"] == .string("9134275401000001083800101"))
        #expect(json["barcode"] == .string("03394801800000730009134275401000001083800101"))
    }

    @Test("parse --jsonl: the reference date picks the factor's cycle")
    func parseReference() {
        let line = "42297.00408 00002.782472 26173.001129 6 10010000018084"
        #expect(Reports.parse(line, today: CalendarDate(iso: "2026-11-24")!).json["due_date"] == .string("2025-02-23"))
        #expect(Reports.parse(line, today: CalendarDate(iso: "2001-01-01")!).json["due_date"] == .string("2000-07-04"))
    }

    @Test("parse --jsonl: arrecadação and invalid input")
    func parseOther() {
        let (slip, ok) = Reports.parse("83640000001-1 33120138000-2 81288462711-6 08013618155-1", today: CalendarDate(iso: "2026-01-01")!)
        #expect(ok)
        #expect(slip["type"] == .string("arrecadacao"))
        #expect(slip["segment"] == .string("3"))
        #expect(slip["amount_cents"] == .int(13312))
        #expect(slip["company_id"] == .string("0138"))
        let (bad, badOK) = Reports.parse("23791172096000758964552040300503542230000295295", today: CalendarDate(iso: "2026-01-01")!)
        #expect(!badOK)
        #expect(bad["valid"] == .bool(false))
        #expect(bad["error"]?["block"] == .string("field_3"))
    }

    @Test("document: valid, invalid, alphanumeric")
    func document() {
        #expect(Reports.document("12ABC34501DE35", json: false) == ("valid CNPJ: 12.ABC.345/01DE-35", true))
        #expect(Reports.document("111.444.777-35", json: false) == ("valid CPF: 111.444.777-35", true))
        #expect(Reports.document("11144477736", json: false).ok == false)
        #expect(!Reports.document("11144477736", json: false).text.contains("11144477736"))
    }

    @Test("Money text")
    func money() {
        #expect(Reports.money(0) == "R$ 0,00")
        #expect(Reports.money(5) == "R$ 0,05")
        #expect(Reports.money(123_456_789) == "R$ 1.234.567,89")
    }

    /// The built `boleto` executable next to the test bundle.
    static var executable: URL? {
        if let path = ProcessInfo.processInfo.environment["BOLETO_BIN"] { return URL(fileURLWithPath: path) }
        // The test runner sits in the build folder, beside the products.
        var directory = URL(fileURLWithPath: ProcessInfo.processInfo.arguments[0]).resolvingSymlinksInPath()
            .deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("boleto")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    static func run(_ arguments: [String], stdin: String = "") throws -> (out: String, err: String, status: Int32) {
        let process = Process()
        guard let binary = executable else { throw CLIError.missingExecutable }
        process.executableURL = binary
        process.arguments = arguments
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        input.fileHandleForWriting.write(Data(stdin.utf8))
        try input.fileHandleForWriting.close()
        let out = output.fileHandleForReading.readDataToEndOfFile()
        let err = error.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (String(decoding: out, as: UTF8.self), String(decoding: err, as: UTF8.self), process.terminationStatus)
    }

    @Test("The executable: one output line per input line, exit codes")
    func executable() throws {
        let ok = try Self.run(["barcode", "--jsonl"], stdin: Self.bradescoJSON + "\n\n" + Self.bradescoJSON + "\n")
        #expect(ok.status == 0)
        #expect(ok.out.split(separator: "\n").count == 2)
        let mixed = try Self.run(["barcode", "--jsonl"], stdin: Self.bradescoJSON + "\n{}\n" + Self.bradescoJSON + "\n")
        #expect(mixed.status == 1)
        let lines = mixed.out.split(separator: "\n")
        #expect(lines.count == 3)
        #expect(lines[1].hasPrefix(#"{"error":"#))
        #expect(lines[2].contains("23796556100002952951172060007589645204030050"))

        let parse = try Self.run(["parse", "--jsonl", "--today", "2026-11-24"],
                                 stdin: "23791172096000758964552040300502655610000295295\n23791172096000758964552040300502655610000295296\n")
        #expect(parse.status == 1)
        #expect(parse.out.split(separator: "\n").count == 2)
        #expect(try Self.run(["parse", "23791.17209 60007.589645 52040.300502 6 55610000295295"]).status == 0)
        #expect(try Self.run(["parse", "--today", "yesterday", "1"]).status != 0)
        #expect(try Self.run(["document", "12.ABC.345/01DE-35"]).status == 0)
        let invalid = try Self.run(["document", "12.ABC.345/01DE-36"])
        #expect(invalid.status == 1)
        #expect(invalid.out.hasPrefix("invalid: "))
    }

    @Test("barcode and parse start without the whole command tree, yet help and option errors still name `boleto`")
    func batchStart() throws {
        let badJobs = try Self.run(["barcode", "--jsonl", "--jobs", "0"])
        #expect(badJobs.status == 64)
        #expect(badJobs.err.contains("--jobs must be between 1 and 256."))
        #expect(badJobs.err.contains("boleto barcode"))
        let badDate = try Self.run(["parse", "--jsonl", "--today", "tomorrow"])
        #expect(badDate.status == 64)
        #expect(badDate.err.contains("boleto parse"))
        let unknown = try Self.run(["parse", "--colour"])
        #expect(unknown.status == 64)
        #expect(unknown.err.contains("--colour"))
        for command in ["barcode", "parse"] {
            let help = try Self.run([command, "--help"])
            #expect(help.status == 0)
            #expect(help.out.contains("USAGE: boleto \(command)"), "\(help.out)")
        }
        // Arguments instead of standard input, on the direct path: text reports and the exit status of each.
        let text = try Self.run(["parse", "--today", "2026-11-24", "23791172096000758964552040300502655610000295295"])
        #expect(text.status == 0)
        #expect(text.out.hasPrefix("valid bank boleto, Bradesco (237)"))
        let failed = try Self.run(["barcode", "--jsonl", "{}"])
        #expect(failed.status == 1)
        #expect(failed.out == #"{"error":{"field":"bank","message":"The field bank is required."}}"# + "\n")
    }
}

/// `boleto cnab retorno`, on the retorno fixtures that ProvidersTests carries (read from the source tree).
@Suite("CLI: boleto cnab retorno")
struct CNABCLITests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("ProvidersTests/Fixtures/cnab/retorno")

    @Test("--json prints the stable contract: bank, layout, one entry per title with integer cents, warnings")
    func json() throws {
        let run = try CLITests.run(["cnab", "retorno", "--json", Self.fixtures.appendingPathComponent("opencnabphp-sicoob-example.ret").path])
        #expect(run.status == 0, "\(run.err)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(run.out.utf8)) as? [String: Any])
        #expect(object.keys.sorted() == ["bank", "layout", "titles", "warnings"])
        #expect(object["bank"] as? String == "756" && object["layout"] as? String == "240")
        let titles = try #require(object["titles"] as? [[String: Any]])
        #expect(titles.count == 5)
        #expect(titles[0].keys.sorted() == ["credit_date", "discount_cents", "due_date", "face_value_cents", "fee_cents", "interest_cents",
                                            "nosso_numero", "occurrence_code", "occurrence_date", "occurrence_kind", "paid_value_cents", "reasons"])
        #expect(titles.map { $0["occurrence_kind"] as? String } == ["other", "paid", "rejected", "rejected", "rejected"])
        #expect(titles[2]["reasons"] as? [String] == ["09"])
        #expect(titles[0]["face_value_cents"] as? Int == 600 && titles[0]["due_date"] as? String == "2018-12-10")
        #expect(titles[0]["credit_date"] is NSNull)
        let warnings = try #require(object["warnings"] as? [[String: Any]])
        #expect(warnings.map { $0["line"] as? Int } == [8, 13])
    }

    @Test("errors: a file that cannot be read exits 66, one that is not a retorno 65, a bad --bank 64")
    func errors() throws {
        let missing = try CLITests.run(["cnab", "retorno", "/nonexistent/file.ret"])
        #expect(missing.status == 66)
        #expect(missing.err.contains("cannot read /nonexistent/file.ret"))
        let notRetorno = try CLITests.run(["cnab", "retorno", Self.fixtures.appendingPathComponent("opencnabphp-sicoob-example.ret.expected.json").path])
        #expect(notRetorno.status == 65)
        #expect(notRetorno.err.contains("neither a CNAB 400 retorno header"))
        let badBank = try CLITests.run(["cnab", "retorno", "--bank", "23", Self.fixtures.appendingPathComponent("opencnabphp-sicoob-example.ret").path])
        #expect(badBank.status == 64)
        #expect(badBank.err.contains("--bank must be a 3-digit FEBRABAN code"))
    }
}

/// `boleto cnab remessa --jsonl`: boletos in, a remessa file out; bad input named by line and field.
@Suite("CLI: boleto cnab remessa")
struct CNABRemessaCLITests {
    static let line = #"{"boleto": {"bank": "237", "amount_cents": 15990, "due_date": "2027-01-15", "agency": "3381", "account": "0009721", "account_dv": "1", "wallet": "09", "nosso_numero": "42"}, "payer": {"document_type": "cpf", "document_number": "111.444.777-35", "name": "Maria Joaquina da Silva", "address": "Rua Fidêncio Ramos, 308", "neighborhood": "Vila Olímpia", "city": "São Paulo", "state": "SP", "zipcode": "04551-010"}, "document_number": "42", "control": "ORDER-42", "issue_date": "2026-12-01", "fine": {"code": "2", "value": 200}}"#

    @Test("a Bradesco 400 remessa: header, the title with BoletoKit's nosso número DV, trailer; CR LF by default")
    func bradesco() throws {
        let run = try CLITests.run(["cnab", "remessa", "--jsonl", "--bank", "237", "--layout", "400", "--company-name", "LOJA EXEMPLO",
                                    "--company-code", "4242", "--sequence", "17", "--date", "2026-12-01", "--normalize-text"],
                                   stdin: Self.line + "\n")
        #expect(run.status == 0, "\(run.err)")
        let records = run.out.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(records.count == 3)
        #expect(records.allSatisfy { $0.utf8.count == 400 })
        func slice(_ record: String, _ start: Int, _ end: Int) -> String { String(Array(record)[(start - 1)..<end]) }
        #expect(slice(records[0], 1, 19) == "01REMESSA01COBRANCA")
        #expect(slice(records[0], 27, 46) == "00000000000000004242" && slice(records[0], 111, 117) == "0000017")
        #expect(slice(records[1], 21, 37) == "00090338100097211")
        // Nosso número 42 in carteira 09: modulo 11 of 0900000000042 with weights 2-7 is 79 mod 11 = 2, so the DV is 9.
        #expect(slice(records[1], 71, 82) == "000000000429")
        #expect(slice(records[1], 121, 139) == "1501270000000015990")
        #expect(slice(records[1], 235, 274).hasPrefix("MARIA JOAQUINA DA SILVA"))
        #expect(slice(records[1], 275, 314).hasPrefix("RUA FIDENCIO RAMOS, 308"))
        #expect(slice(records[2], 395, 400) == "000003")
    }

    @Test("text outside the CNAB set without --normalize-text, an unknown field, or a second account: exit 65 naming the line")
    func errors() throws {
        let strict = try CLITests.run(["cnab", "remessa", "--jsonl", "--bank", "237", "--layout", "400", "--company-name", "LOJA",
                                       "--sequence", "1"], stdin: Self.line + "\n")
        #expect(strict.status == 65)
        #expect(strict.err.contains("Detalhe (tipo 1) of title 1, payerName (235-274): has characters outside the CNAB set"))
        let unknown = try CLITests.run(["cnab", "remessa", "--jsonl", "--bank", "237", "--layout", "400", "--company-name", "LOJA",
                                        "--sequence", "1"], stdin: #"{"boleto": {}, "color": "red"}"# + "\n")
        #expect(unknown.status == 65 && unknown.err.contains("line 1: color is not a remessa field."))
        let other = Self.line.replacingOccurrences(of: #""agency": "3381""#, with: #""agency": "3382""#)
        let mixed = try CLITests.run(["cnab", "remessa", "--jsonl", "--bank", "237", "--layout", "400", "--company-name", "LOJA",
                                      "--sequence", "1", "--normalize-text"], stdin: Self.line + "\n" + other + "\n")
        #expect(mixed.status == 65 && mixed.err.contains("line 2: every boleto of a remessa must be of one beneficiary account"))
        let noWriter = try CLITests.run(["cnab", "remessa", "--jsonl", "--bank", "341", "--layout", "240", "--company-name", "LOJA",
                                         "--sequence", "1"])
        #expect(noWriter.status == 64 && noWriter.err.contains("There is no CNAB 240 remessa writer for bank 341"))
    }
}

/// `boleto pix parse` and `boleto pix build`: the JSON contract and the exit codes.
@Suite("CLI: boleto pix")
struct PixCLITests {
    static let valid = "00020126580014br.gov.bcb.pix0136123e4567-e12b-12d1-a456-4266554400005204000053039865802BR5913Fulano de Tal6008BRASILIA62070503***63041D3D"

    @Test("parse: the stable contract for a valid code, exit 0; the field at fault for an invalid one, exit 1")
    func parse() throws {
        let ok = try CLITests.run(["pix", "parse", Self.valid])
        #expect(ok.status == 0)
        let json = try JSON.parse(ok.out.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(ok.out.hasPrefix(#"{"valid":true,"kind":"static","#), "the contract's key order")
        #expect(json == .object([
            ("amount_cents", .null), ("city", .string("BRASILIA")), ("key", .string("123e4567-e12b-12d1-a456-426655440000")),
            ("kind", .string("static")), ("name", .string("Fulano de Tal")), ("txid", .string("***")), ("url", .null),
            ("valid", .bool(true)),
        ]))
        let bad = try CLITests.run(["pix", "parse", String(Self.valid.dropLast()) + "E"])
        #expect(bad.status == 1)
        let error = try JSON.parse(bad.out.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(error["valid"] == .bool(false))
        #expect(error["error"]?["field"] == .string("crc"))
    }

    /// Issue 15, findings 6 and 7: an emoji in the name went into field 59, `pix parse` called such a code valid, and
    /// `--amount-cents -1` said "Missing value".
    @Test("build refuses an emoji naming the field; parse refuses a name outside the BR Code's set; a negative amount says why")
    func characterSet() throws {
        let emoji = try CLITests.run(["pix", "build", "--key", "11144477735", "--name", "Loja 🙂", "--city", "Recife"])
        #expect(emoji.status == 1)
        let refused = try JSON.parse(emoji.out.trimmingCharacters(in: .whitespacesAndNewlines))
        #expect(refused["error"]?["field"] == .string("name"))
        // A code another writer made with "São João" in field 59 (8 characters, 10 bytes: BR Code lengths count characters), its CRC recomputed.
        let body = "00020126330014br.gov.bcb.pix011111144477735520400005303986" + "5802BR" + "5908São João" + "6006RECIFE"
            + "62070503***6304"
        let foreign = body + CRC16.hex(body)
        let parsed = try CLITests.run(["pix", "parse", foreign])
        #expect(parsed.status == 1, "\(parsed.out)")
        #expect(try JSON.parse(parsed.out.trimmingCharacters(in: .whitespacesAndNewlines))["error"]?["field"] == .string("name"))
        let negative = try CLITests.run(["pix", "build", "--key", "11144477735", "--name", "Loja", "--city", "Recife", "--amount-cents", "-1"])
        #expect(negative.status == 64)
        #expect(negative.err.contains("--amount-cents must be a positive number of cents"), "\(negative.err)")
        #expect(!negative.err.contains("Missing value"))
    }

    @Test("build: static and dynamic codes that parse back; an over-long name exits 1 naming it")
    func build() throws {
        let built = try CLITests.run(["pix", "build", "--key", "11144477735", "--name", "Loja São João", "--city", "São Paulo",
                                      "--amount-cents", "2067", "--txid", "BOLETO42"])
        #expect(built.status == 0, "\(built.err)")
        let json = try JSON.parse(built.out.trimmingCharacters(in: .whitespacesAndNewlines))
        guard case .string(let payload)? = json["payload"] else { Issue.record("no payload: \(built.out)"); return }
        let code = try PixBRCode.parse(payload)
        #expect(code.amountCents == 2067 && code.name == "Loja Sao Joao" && code.txid == "BOLETO42")
        let dynamic = try CLITests.run(["pix", "build", "--url", "https://pix.example.com/qr/v2/abc", "--name", "Loja", "--city", "Recife"])
        #expect(dynamic.status == 0)
        #expect(try JSON.parse(dynamic.out.trimmingCharacters(in: .whitespacesAndNewlines))["kind"] == .string("dynamic"))
        let long = try CLITests.run(["pix", "build", "--key", "k", "--name", String(repeating: "N", count: 26), "--city", "X"])
        #expect(long.status == 1)
        #expect(try JSON.parse(long.out.trimmingCharacters(in: .whitespacesAndNewlines))["error"]?["field"] == .string("name"))
        #expect(try CLITests.run(["pix", "build", "--name", "N", "--city", "X"]).status != 0, "neither --key nor --url")
    }
}
