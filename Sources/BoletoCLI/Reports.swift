import BoletoJSON
import BoletoKit

/// The CLI's JSON and text outputs, kept apart from argument handling so tests can check them directly.
public enum Reports {
    /// `boleto barcode --jsonl`: the output object for one input line, and whether it succeeded.
    public static func barcode(line: String) -> (json: JSON, ok: Bool) {
        let (id, result) = barcodeResult(line: line)
        let idPair: [(String, JSON)] = id.map { [("id", .string($0))] } ?? []
        switch result {
        case .success(let boleto): return (.object(idPair + barcodePairs(boleto)), true)
        case .failure(let error): return (.object(idPair + [("error", errorObject(error))]), false)
        }
    }

    /// ``barcode(line:)``'s output line (and its newline) appended to `out`, the same bytes as
    /// `barcode(line:).json.text + "\n"`. A success is written without building a ``JSON`` value: the batch path.
    public static func appendBarcode(line: String, to out: inout [UInt8]) -> Bool {
        let (id, result) = barcodeResult(line: line)
        return appendBarcode(id: id, result: result, to: &out)
    }

    /// The output line of a canonical object read by ``CanonicalReader`` (no vector-file `id`), computed through
    /// `issuers` (``IssuerCache``), which remembers the beneficiary of the lines before.
    static func appendBarcode(_ fields: borrowing CanonicalInput.Fields, issuers: inout IssuerCache, to out: inout [UInt8]) -> Bool {
        do throws(BoletoError) {
            let boleto = try issuers.boleto(CanonicalInput.decode(fields))
            out.append(UInt8(ascii: "{"))
            writeSuccess(boleto, to: &out)
            return true
        } catch {
            return appendBarcode(id: nil, result: .failure(error), to: &out)
        }
    }

    private static func appendBarcode(id: String?, result: Result<Boleto, BoletoError>, to out: inout [UInt8]) -> Bool {
        out.append(UInt8(ascii: "{"))
        if let id {
            out.append(contentsOf: #""id":"#.utf8)
            JSON.string(id).write(to: &out)
            out.append(UInt8(ascii: ","))
        }
        switch result {
        case .success(let boleto):
            writeSuccess(boleto, to: &out)
            return true
        case .failure(let error):
            out.append(contentsOf: #""error":"#.utf8)
            errorObject(error).write(to: &out)
            out.append(contentsOf: "}\n".utf8)
            return false
        }
    }

    /// A computed boleto's keys, the object's closing brace and the newline, after the `{` (and `id`) already written.
    private static func writeSuccess(_ boleto: Boleto, to out: inout [UInt8]) {
        let written = ByteWriter.append(to: &out) { line in
            line.raw(#""barcode":"#); line.quoted(boleto.barcode.digits)
            line.raw(#","digitable_line":"#); line.quoted(boleto.digitableLine.digits)
            line.raw(#","digitable_line_formatted":"#); line.quotedFormatted(boleto.digitableLine)
            line.raw(#","nosso_numero":"#); line.string(boleto.printedNossoNumero)
            line.raw(#","due_date":"#)
            if let due = boleto.dueDate { line.quoted(due) } else { line.raw("null") }
            line.raw(#","due_date_factor":"#); line.quoted(boleto.barcode.digits[5..<9])
            line.raw("}\n")
        }
        if !written {
            // Longer than the line buffer (a very long nosso número): the general writer.
            out.append(contentsOf: JSON.object(barcodePairs(boleto)).bytes.dropFirst())
            out.append(0x0A)
        }
    }

    /// The line's boleto or error, and a vector-file line's `id`, which is echoed so that outputs can be matched to
    /// inputs. The line is parsed once.
    private static func barcodeResult(line: String) -> (id: String?, result: Result<Boleto, BoletoError>) {
        let json = try? JSON.parse(line)
        var id: String?
        if case .object? = json?["input"], case .string(let value)? = json?["id"] { id = value }
        do throws(BoletoError) {
            guard let json else { throw BoletoError(.malformedInput, "The line is not valid JSON.") }
            return (id, .success(try Boleto(CanonicalInput.decode(json))))
        } catch {
            return (id, .failure(error))
        }
    }

    private static func errorObject(_ error: BoletoError) -> JSON {
        .object([("field", JSON(error.field)), ("message", .string(error.message))])
    }

    /// `boleto barcode --jsonl`: the output object for an input line that could not be read (too long, not UTF-8).
    static func barcodeUnread(_ line: LineStream.Line) -> JSON {
        .object([("error", .object([("field", .null), ("message", .string(line.problem ?? ""))]))])
    }

    static func barcodePairs(_ boleto: Boleto) -> [(String, JSON)] {
        [
            ("barcode", .string(boleto.barcode.description)),
            ("digitable_line", .string(boleto.digitableLine.description)),
            ("digitable_line_formatted", .string(boleto.digitableLine.formatted)),
            ("nosso_numero", .string(boleto.nossoNumero)),
            ("due_date", JSON(boleto.dueDate?.description)),
            ("due_date_factor", .string(boleto.barcode.digits[5..<9].description)),
        ]
    }

    /// `boleto barcode` without `--jsonl`: a few aligned lines.
    public static func barcodeText(line: String) -> (text: String, ok: Bool) {
        do {
            let boleto = try Boleto(CanonicalInput.decode(line: line))
            return ("""
                digitable line  \(boleto.digitableLine.formatted)
                barcode         \(boleto.barcode)
                nosso número    \(boleto.nossoNumero)
                """, true)
        } catch {
            let field = error.field.map { " (\($0))" } ?? ""
            return ("error\(field): \(error.message)", false)
        }
    }

    /// `boleto parse --jsonl`: the output object for one input, and whether it was valid.
    public static func parse(_ input: String, today: CalendarDate) -> (json: JSON, ok: Bool) {
        do {
            switch try BoletoParser.parse(input) {
            case .bank(let boleto): return (bankJSON(boleto, today: today), true)
            case .arrecadacao(let slip): return (arrecadacaoJSON(slip), true)
            }
        } catch {
            return (parseErrorJSON(error), false)
        }
    }

    /// ``parse(_:today:)``'s output line (and its newline) appended to `out`, the same bytes as
    /// `parse(_:today:).json.text + "\n"`. A bank boleto is written without building a ``JSON`` value: the batch path.
    public static func appendParse(_ input: String, today: CalendarDate, to out: inout [UInt8]) -> Bool {
        appendParse(today: today, to: &out) { () throws(BoletoError) in try BoletoParser.parse(input) }
    }

    /// ``appendParse(_:today:to:)`` for an input of digits only, read from its bytes.
    static func appendParse(digits: Digits, today: CalendarDate, to out: inout [UInt8]) -> Bool {
        appendParse(today: today, to: &out) { () throws(BoletoError) in try BoletoParser.parse(digits: digits) }
    }

    @inline(__always)
    private static func appendParse(today: CalendarDate, to out: inout [UInt8],
                                    _ parse: () throws(BoletoError) -> ParsedBoleto) -> Bool {
        let ok: Bool
        do {
            switch try parse() {
            case .bank(let boleto): writeBank(boleto, today: today, to: &out)
            case .arrecadacao(let slip): arrecadacaoJSON(slip).write(to: &out)
            }
            ok = true
        } catch {
            parseErrorJSON(error).write(to: &out)
            ok = false
        }
        out.append(0x0A)
        return ok
    }

    private static func parseErrorJSON(_ error: BoletoError) -> JSON {
        .object([
            ("valid", .bool(false)),
            ("error", .object([("block", JSON(error.block)), ("message", .string(error.message))])),
        ])
    }

    /// ``bankJSON(_:today:)`` written straight to bytes (``ByteWriter``): constant keys, digits and dates written as
    /// they are, other text escaped.
    static func writeBank(_ boleto: BankBoleto, today: CalendarDate, to out: inout [UInt8]) {
        let code = boleto.barcode.digits
        let written = ByteWriter.append(to: &out) { line in
            line.raw(#"{"valid":true,"type":"bank","barcode":"#); line.quoted(code)
            line.raw(#","digitable_line":"#); line.quoted(boleto.digitableLine.digits)
            line.raw(#","digitable_line_formatted":"#); line.quotedFormatted(boleto.digitableLine)
            // bank, currency and general DV: the barcode's first five digits, as text.
            line.raw(#","bank":"#); line.quoted(code[0..<3])
            line.raw(#","bank_name":"#)
            if let name = boleto.bankName { line.string(name) } else { line.raw("null") }
            line.raw(#","currency":"#); line.quoted(code[3..<4])
            line.raw(#","general_dv":"#); line.quoted(code[4..<5])
            line.raw(#","amount_cents":"#); line.int(boleto.amountCents)
            line.raw(#","due_date_factor":"#); line.quoted(code[5..<9])
            line.raw(#","due_date":"#)
            if let due = boleto.dueDate(reference: today) { line.quoted(due) } else { line.raw("null") }
            line.raw(#","due_date_candidates":["#)
            for (index, date) in boleto.dueDateCandidates.enumerated() {
                if index > 0 { line.byte(UInt8(ascii: ",")) }
                line.quoted(date)
            }
            line.raw(#"],"free_field":"#); line.quoted(boleto.barcode.freeField)
            if let fields = boleto.bankFields {
                line.raw(#","bank_fields":{"#)
                var first = true
                forEachNamedField(fields) { key, value in
                    if !first { line.byte(UInt8(ascii: ",")) }
                    first = false
                    line.byte(UInt8(ascii: "\""))
                    line.raw(key)
                    line.raw(#"":"#)
                    line.string(value)
                }
                if !fields.extra.isEmpty {
                    if !first { line.byte(UInt8(ascii: ",")) }
                    line.raw(#""extra":{"#)
                    for (index, (key, value)) in sortedExtra(fields).enumerated() {
                        if index > 0 { line.byte(UInt8(ascii: ",")) }
                        line.string(key)
                        line.byte(UInt8(ascii: ":"))
                        line.string(value)
                    }
                    line.byte(UInt8(ascii: "}"))
                }
                line.byte(UInt8(ascii: "}"))
            }
            line.byte(UInt8(ascii: "}"))
        }
        if !written { bankJSON(boleto, today: today).write(to: &out) }
    }

    /// `boleto parse --jsonl`: the output object for an input line too long to read (``LineStream/maxLineBytes``).
    static func parseUnread(_ line: LineStream.Line) -> JSON {
        let message = line.problem.map { $0.replacingOccurrences(of: "The line", with: "The input") } ?? ""
        return .object([("valid", .bool(false)), ("error", .object([("block", .null), ("message", .string(message))]))])
    }

    static func bankJSON(_ boleto: BankBoleto, today: CalendarDate) -> JSON {
        var pairs: [(String, JSON)] = [
            ("valid", .bool(true)),
            ("type", .string("bank")),
            ("barcode", .string(boleto.barcode.description)),
            ("digitable_line", .string(boleto.digitableLine.description)),
            ("digitable_line_formatted", .string(boleto.digitableLine.formatted)),
            ("bank", .string(boleto.bankCode)),
            ("bank_name", JSON(boleto.bankName)),
            ("currency", .string(String(boleto.barcode.currency))),
            ("general_dv", .string(String(boleto.barcode.generalDV))),
            ("amount_cents", .int(boleto.amountCents)),
            ("due_date_factor", .string(boleto.barcode.digits[5..<9].description)),
            ("due_date", JSON(boleto.dueDate(reference: today)?.description)),
            ("due_date_candidates", .array(boleto.dueDateCandidates.map { .string($0.description) })),
            ("free_field", .string(boleto.barcode.freeField.description)),
        ]
        if let fields = boleto.bankFields { pairs.append(("bank_fields", fieldsJSON(fields))) }
        return .object(pairs)
    }

    static func fieldsJSON(_ input: BoletoInput) -> JSON {
        var pairs: [(String, JSON)] = []
        forEachNamedField(input) { key, value in pairs.append((key.description, .string(value))) }
        if !input.extra.isEmpty {
            pairs.append(("extra", .object(sortedExtra(input).map { ($0.key, .string($0.value)) })))
        }
        return .object(pairs)
    }

    /// `bank_fields.extra` in output order: by key.
    static func sortedExtra(_ input: BoletoInput) -> [(key: String, value: String)] {
        input.extra.sorted { $0.key < $1.key }
    }

    /// The named fields of `bank_fields` that `input` has, in output order (`extra` comes after them).
    @inline(__always)
    static func forEachNamedField(_ input: BoletoInput, _ body: (StaticString, String) -> Void) {
        if let value = input.agency { body("agency", value) }
        if let value = input.agencyDV { body("agency_dv", value) }
        if let value = input.account { body("account", value) }
        if let value = input.accountDV { body("account_dv", value) }
        if let value = input.beneficiaryCode { body("beneficiary_code", value) }
        if let value = input.wallet { body("wallet", value) }
        if let value = input.walletVariation { body("wallet_variation", value) }
        body("nosso_numero", input.nossoNumero)
    }

    static func arrecadacaoJSON(_ slip: ArrecadacaoSlip) -> JSON {
        .object([
            ("valid", .bool(true)),
            ("type", .string("arrecadacao")),
            ("barcode", .string(slip.barcode.description)),
            ("digitable_line", .string(slip.digitableLine.description)),
            ("digitable_line_formatted", .string(slip.formattedLine)),
            ("product", .string("8")),
            ("segment", .string(String(slip.segment))),
            ("segment_name", JSON(slip.segmentName)),
            ("value_id", .string(String(slip.valueIdentifier))),
            ("modulo", .int(Int64(slip.modulo))),
            ("value_kind", .string(slip.isEffectiveValue ? "effective_value" : "reference_value")),
            ("general_dv", .string(String(slip.generalDV))),
            ("value_field", .string(slip.valueField.description)),
            ("amount_cents", slip.amountCents.map { .int($0) } ?? .null),
            ("company_id", .string(slip.companyID.description)),
            ("free_field", .string(slip.freeField.description)),
        ])
    }

    /// An input line of `boleto parse` as given, or the text inside a JSON string (`"2379…"`) or a JSON object's
    /// `input`, `line`, `digitable_line` or `barcode` key, so JSON Lines of either shape can be piped in.
    public static func parseInput(_ line: String) -> String {
        guard let first = line.first, first == "\"" || first == "{", let json = try? JSON.parse(line) else { return line }
        if case .string(let text) = json { return text }
        for key in ["input", "line", "digitable_line", "barcode"] {
            if case .string(let text)? = json[key] { return text }
        }
        return line
    }

    /// `boleto parse` without `--jsonl`.
    public static func parseText(_ input: String, today: CalendarDate) -> (text: String, ok: Bool) {
        do {
            switch try BoletoParser.parse(input) {
            case .bank(let boleto):
                let bank = boleto.bankName.map { "\($0) (\(boleto.bankCode))" } ?? "bank \(boleto.bankCode)"
                let due = boleto.dueDate(reference: today).map { "\($0) (factor \(boleto.factor))" }
                    ?? (boleto.factor == 0 ? "none" : "outside the window around \(today) (factor \(boleto.factor))")
                return ("""
                    valid bank boleto, \(bank)
                    digitable line  \(boleto.digitableLine.formatted)
                    barcode         \(boleto.barcode)
                    amount          \(money(boleto.amountCents))
                    due date        \(due)
                    free field      \(boleto.barcode.freeField)
                    """, true)
            case .arrecadacao(let slip):
                let amount = slip.amountCents.map(money) ?? "reference value \(slip.valueField)"
                return ("""
                    valid arrecadação slip, segment \(slip.segment)\(slip.segmentName.map { " (\($0))" } ?? "")
                    digitable line  \(slip.formattedLine)
                    barcode         \(slip.barcode)
                    amount          \(amount)
                    company id      \(slip.companyID)
                    """, true)
            }
        } catch {
            return ("invalid: \(error.message)", false)
        }
    }

    /// Brazilian money text: `R$ 1.234,56`.
    public static func money(_ cents: Int64) -> String { MoneyText.reais(cents) }

    /// `boleto document`: the output and whether the document is valid.
    public static func document(_ value: String, json: Bool) -> (text: String, ok: Bool) {
        do {
            let document = try Document(value)
            if json {
                return (JSON.object([("valid", .bool(true)), ("kind", .string(document.kind.rawValue)),
                                     ("value", .string(document.value)), ("formatted", .string(document.formatted))]).text, true)
            }
            return ("valid \(document.kind.rawValue.uppercased()): \(document.formatted)", true)
        } catch {
            if json {
                return (JSON.object([("valid", .bool(false)), ("error", .object([("message", .string(error.message))]))]).text, false)
            }
            return ("invalid: \(error.message)", false)
        }
    }
}
