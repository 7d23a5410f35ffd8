import ArgumentParser
import BoletoJSON
import BoletoKit
import Foundation
import Providers

/// `boleto cnab remessa`: writes a remessa file from boletos given one JSON object per line.
///
/// Each line is `{"boleto": <canonical input>, "payer": {...}, "document_number", "control", "issue_date",
/// "movement", "fine", "interest_per_day_cents", "protest_days", "pix"}`; see docs/cnab.md. The beneficiary account
/// (agency, account, DVs, wallet) is the boletos' own, and every boleto must be of the same one.
struct CNABRemessaCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remessa",
        abstract: "Write a remessa file for boletos given as JSON lines on standard input.",
        discussion: """
            Exit code 0 when the file was written, 65 when an input line or a value does not fit the layout (the \
            message names the line and the field; nothing is truncated). Text must be in the CNAB character set \
            (upper-case A-Z, digits, space, . , - / ( ) &) unless --normalize-text is given.
            """
    )

    @Flag(help: "Read one JSON object per line from standard input (the only input form).")
    var jsonl = false

    @Option(help: "The bank's FEBRABAN code: 237, 341 or 033 with --layout 400; 001, 104, 033, 756 or 748 with --layout 240.")
    var bank: String

    @Option(help: "240 or 400.")
    var layout: String

    @Option(help: "Nome da empresa, up to 30 characters.")
    var companyName: String

    @Option(help: "The company's CPF or CNPJ (check digits verified).")
    var companyDocument: String?

    @Option(help: "Bradesco's código da empresa, Santander's código de transmissão.")
    var companyCode: String?

    @Option(help: "The file's sequence number (NSA / nº da remessa).")
    var sequence: Int

    @Option(help: "The file's date, YYYY-MM-DD (default today in São Paulo).")
    var date: String?

    @Option(help: "Banco do Brasil: código da carteira of segment P (default 1).")
    var walletCode: String?

    @Flag(help: "Upper-case free text and drop diacritics and other characters outside the CNAB set, instead of refusing it.")
    var normalizeText = false

    @Flag(help: "Separate records with LF instead of CR LF.")
    var lf = false

    func validate() throws {
        guard jsonl else { throw ValidationError("--jsonl is required: boletos are read as JSON lines from standard input.") }
        guard let format = CNABFormat(rawValue: layout) else { throw ValidationError("--layout must be 240 or 400.") }
        guard CNABRemessaLayouts.layout(bank: bank, format: format) != nil else {
            let known = CNABRemessaLayouts.all.map { "\($0.bank)/\($0.format.rawValue)" }.joined(separator: ", ")
            throw ValidationError("There is no CNAB \(layout) remessa writer for bank \(bank) (there are: \(known)).")
        }
        guard sequence >= 0 else { throw ValidationError("--sequence must be 0 or more.") }
        if let date, CalendarDate(iso: date) == nil { throw ValidationError("--date must be YYYY-MM-DD.") }
        if let companyDocument, (try? Document(companyDocument)) == nil {
            throw ValidationError("--company-document is not a valid CPF or CNPJ.")
        }
    }

    struct LineError: Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "line \(line): \(message)" }
    }

    func run() throws {
        let writer = CNABRemessaLayouts.layout(bank: bank, format: CNABFormat(rawValue: layout)!)!
        var titles: [CNABRemessaTitle] = []
        var account: BoletoInput?
        var number = 0
        do {
            while let line = readLine(strippingNewline: true) {
                number += 1
                if line.allSatisfy(\.isWhitespace) { continue }
                let (input, title) = try Self.title(line: line, number: number, normalize: normalizeText)
                guard input.bank == bank else { throw LineError(line: number, message: "boleto.bank is \(input.bank), not \(bank).") }
                if let first = account, first.agency != input.agency || first.account != input.account || first.wallet != input.wallet {
                    throw LineError(line: number, message: "every boleto of a remessa must be of one beneficiary account (agency, account, wallet).")
                }
                account = account ?? input
                titles.append(title)
            }
            guard let account else { throw LineError(line: number, message: "no boleto was given.") }
            let name = normalizeText ? CNABText.normalize(companyName) : companyName
            let header = CNABRemessaHeader(
                companyName: name, companyDocument: companyDocument.flatMap { try? Document($0) }.map(CNABDocument.init),
                companyCode: companyCode, agency: account.agency ?? "", agencyDV: account.agencyDV, account: account.account ?? "",
                accountDV: account.accountDV, wallet: account.wallet ?? "", walletCode: walletCode,
                walletVariation: account.walletVariation, agreement: account.beneficiaryCode,
                fileDate: date.flatMap { CalendarDate(iso: $0) } ?? .todayInSaoPaulo(), sequence: sequence)
            let bytes = try writer.write(header: header, titles: titles, lineEnding: lf ? .lf : .crlf)
            FileHandle.standardOutput.write(Data(bytes))
        } catch let error as LineError {
            FileHandle.standardError.write(Data("boleto: \(TerminalText.safe(String(describing: error)))\n".utf8))
            throw ExitCode(65)
        } catch let error as CNABWriteError {
            FileHandle.standardError.write(Data("boleto: \(TerminalText.safe(String(describing: error)))\n".utf8))
            throw ExitCode(65)
        }
    }

    static let knownKeys: Set<String> = ["boleto", "payer", "document_number", "control", "issue_date", "movement", "fine",
                                         "interest_per_day_cents", "protest_days", "pix"]

    /// One input line: the boleto (canonical input, whose barcode BoletoKit must be able to compute) and the
    /// remessa's fields.
    static func title(line: String, number: Int, normalize: Bool) throws -> (BoletoInput, CNABRemessaTitle) {
        func fail(_ message: String) -> LineError { LineError(line: number, message: message) }
        guard let json = try? JSON.parse(line), case .object(let pairs) = json else { throw fail("the line is not a JSON object.") }
        // The first unknown key in key order, whatever order the keys came in.
        if let key = pairs.lazy.map(\.0).filter({ !knownKeys.contains($0) }).min() { throw fail("\(key) is not a remessa field.") }
        guard let boletoJSON = json["boleto"] else { throw fail("boleto is required (the canonical input object).") }
        let input: BoletoInput
        let boleto: Boleto
        do {
            input = try CanonicalInput.decode(boletoJSON)
            boleto = try Boleto(input)
        } catch {
            throw fail("boleto: \(error.message)")
        }
        guard let due = input.dueDate else { throw fail("boleto.due_date is required for a remessa.") }
        func string(_ value: JSON?, _ field: String, required: Bool = false, raw: Bool = false) throws -> String {
            switch value {
            case .string(let text)?: return normalize && !raw ? CNABText.normalize(text) : text
            case .int(let number)?: return String(number)
            case nil, .null?: if required { throw fail("\(field) is required.") } else { return "" }
            default: throw fail("\(field) must be a string.")
            }
        }
        func integer(_ value: JSON?, _ field: String) throws -> Int64 {
            switch value {
            case .int(let number)?: return number
            case nil, .null?: return 0
            default: throw fail("\(field) must be an integer.")
            }
        }
        guard let payerJSON = json["payer"], case .object = payerJSON else { throw fail("payer is required (an object).") }
        let kindText = try string(payerJSON["document_type"], "payer.document_type", required: true).lowercased()
        guard let kind = Document.Kind(rawValue: kindText) else { throw fail("payer.document_type must be cpf or cnpj.") }
        let documentText = try string(payerJSON["document_number"], "payer.document_number", required: true, raw: true)
        guard let document = try? Document(documentText), document.kind == kind else {
            throw fail("payer.document_number is not a valid \(kind.rawValue.uppercased()).")
        }
        let payer = CNABPayer(
            document: CNABDocument(document), name: try string(payerJSON["name"], "payer.name", required: true),
            address: try string(payerJSON["address"], "payer.address", required: true),
            neighborhood: try string(payerJSON["neighborhood"], "payer.neighborhood"), city: try string(payerJSON["city"], "payer.city"),
            state: try string(payerJSON["state"], "payer.state"),
            zipcode: try string(payerJSON["zipcode"], "payer.zipcode", required: true, raw: true).filter(\.isNumber))
        let issueText = try string(json["issue_date"], "issue_date")
        guard issueText.isEmpty || CalendarDate(iso: issueText) != nil else { throw fail("issue_date must be YYYY-MM-DD.") }
        let printed = boleto.nossoNumero
        let dv = printed.contains("-") ? String(printed.split(separator: "-").last ?? "") : nil
        var title = CNABRemessaTitle(
            movement: try string(json["movement"], "movement").isEmpty ? "01" : try string(json["movement"], "movement"),
            nossoNumero: input.nossoNumero, nossoNumeroDV: dv, documentNumber: try string(json["document_number"], "document_number"),
            control: try string(json["control"], "control"), dueDate: due,
            issueDate: CalendarDate(iso: issueText) ?? .todayInSaoPaulo(), amountCents: input.amountCents,
            interestPerDayCents: try integer(json["interest_per_day_cents"], "interest_per_day_cents"),
            protestDays: Int(try integer(json["protest_days"], "protest_days")), payer: payer)
        if let fine = json["fine"], fine != .null {
            title.fine = CNABFine(code: try string(fine["code"], "fine.code", required: true), value: try integer(fine["value"], "fine.value"))
        }
        if let pix = json["pix"], pix != .null {
            title.pix = CNABPixRequest(keyType: try string(pix["key_type"], "pix.key_type", required: true),
                                       key: try string(pix["key"], "pix.key", required: true, raw: true),
                                       txid: try string(pix["txid"], "pix.txid", raw: true),
                                       maximumCents: input.amountCents, minimumCents: input.amountCents)
        }
        return (input, title)
    }
}
