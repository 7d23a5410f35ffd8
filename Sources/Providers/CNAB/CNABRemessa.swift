import BoletoKit

/// Why a remessa could not be written: a value that does not fit its field, or characters the bank does not take.
/// It names the record (as the manual calls it, with the title's position) and the field; nothing is ever
/// truncated or replaced to make a value fit.
public struct CNABWriteError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The record: `Header de arquivo`, `Detalhe (tipo 1) of title 3`, `Segmento Q of title 1`.
    public var record: String
    /// The field's name and positions.
    public var field: String
    /// What is wrong (never the value itself, which may be a payer's data).
    public var message: String

    public init(record: String, field: String, message: String) {
        self.record = record
        self.field = field
        self.message = message
    }

    public var description: String { "\(record), \(field): \(message)" }
}

/// The company's side of a remessa: who sends it and for which account. Fields a bank does not use are ignored.
public struct CNABRemessaHeader: Sendable, Hashable {
    /// Nome da empresa (30 in every layout).
    public var companyName: String
    /// The company's CNPJ or CPF.
    public var companyDocument: CNABDocument?
    /// Bradesco's "código da empresa" (20), Santander's "código de transmissão" (20).
    public var companyCode: String?
    public var agency: String
    public var agencyDV: String?
    public var account: String
    public var accountDV: String?
    /// Carteira.
    public var wallet: String
    /// CNAB 240's código da carteira (segment P, 58): 1 simples, 7 at Banco do Brasil's carteira 17/12 files.
    public var walletCode: String?
    /// Banco do Brasil's variação da carteira.
    public var walletVariation: String?
    /// Banco do Brasil's convênio.
    public var agreement: String?
    /// The file's date and time.
    public var fileDate: CalendarDate
    public var fileTime: CNABTime?
    /// The file's sequence number (NSA, nº da remessa), one per file and increasing.
    public var sequence: Int
    /// The sending program's version, where the layout has a field for it (Caixa 240 header, 212-215).
    public var applicationVersion: String?

    public init(companyName: String, companyDocument: CNABDocument? = nil, companyCode: String? = nil, agency: String,
                agencyDV: String? = nil, account: String, accountDV: String? = nil, wallet: String,
                walletCode: String? = nil, walletVariation: String? = nil, agreement: String? = nil, fileDate: CalendarDate,
                fileTime: CNABTime? = nil, sequence: Int) {
        self.companyName = companyName
        self.companyDocument = companyDocument
        self.companyCode = companyCode
        self.agency = agency
        self.agencyDV = agencyDV
        self.account = account
        self.accountDV = accountDV
        self.wallet = wallet
        self.walletCode = walletCode
        self.walletVariation = walletVariation
        self.agreement = agreement
        self.fileDate = fileDate
        self.fileTime = fileTime
        self.sequence = sequence
    }
}

/// A time of day, as file headers carry it.
public struct CNABTime: Sendable, Hashable {
    public var hour: Int, minute: Int, second: Int

    public init(hour: Int, minute: Int, second: Int) {
        self.hour = hour
        self.minute = minute
        self.second = second
    }
}

/// The payer as a remessa carries it, in the fields the manuals define. Text must already be in the banks'
/// character set (``CNABText/normalize(_:)`` makes it so, explicitly); the writer refuses anything else.
public struct CNABPayer: Sendable, Hashable {
    public var document: CNABDocument
    public var name: String
    /// The address line (logradouro, número, complemento; Bradesco's "endereço completo").
    public var address: String
    public var neighborhood: String
    public var city: String
    /// UF.
    public var state: String
    /// CEP, 8 digits.
    public var zipcode: String

    public init(document: CNABDocument, name: String, address: String, neighborhood: String = "", city: String = "",
                state: String = "", zipcode: String) {
        self.document = document
        self.name = name
        self.address = address
        self.neighborhood = neighborhood
        self.city = city
        self.state = state
        self.zipcode = zipcode
    }
}

/// A CPF or CNPJ as a remessa writes it: its kind and digits. ``init(_:)`` takes a checked ``Document``; the
/// unchecked initializer writes digits as given (test files made with invalid numbers, a bank's own examples).
public struct CNABDocument: Sendable, Hashable {
    public var kind: Document.Kind
    public var digits: String

    /// A checked document.
    public init(_ document: Document) {
        kind = document.kind
        digits = document.value
    }

    /// Digits written as given; the check digits are not verified.
    public init(unchecked kind: Document.Kind, digits: String) {
        self.kind = kind
        self.digits = digits
    }
}

/// A fine ("multa") as remessas carry it.
public struct CNABFine: Sendable, Hashable {
    /// The bank's code (Bradesco: 2 = percentual; Itaú's type-2 record: 1 = valor, 2 = percentual).
    public var code: String
    /// A percentage in hundredths (200 = 2.00 %) or an amount in cents, as the code says.
    public var value: Int64
    /// From when it applies; the due date when nil.
    public var date: CalendarDate?

    public init(code: String, value: Int64, date: CalendarDate? = nil) {
        self.code = code
        self.value = value
        self.date = date
    }
}

/// A discount as remessas carry it: the bank's code, the last day it applies, and its value.
public struct CNABDiscount: Sendable, Hashable {
    /// CNAB 240: 1 valor fixo até a data, 2 percentual até a data. CNAB 400 layouts carry amounts only.
    public var code: String
    /// The last day it applies.
    public var date: CalendarDate
    /// Cents, or hundredths of a percent for code 2.
    public var value: Int64

    public init(code: String, date: CalendarDate, value: Int64) {
        self.code = code
        self.date = date
        self.value = value
    }
}

/// One title of a remessa.
public struct CNABRemessaTitle: Sendable, Hashable {
    /// Código de movimento / ocorrência: 01 entrada (register), 02 baixa (write off), 06 alteração de vencimento.
    public var movement: String
    /// The nosso número as the bank's field takes it (digits, without DV).
    public var nossoNumero: String
    /// Its check digit where the layout carries one (Bradesco: `0`–`9` or `P`).
    public var nossoNumeroDV: String?
    /// Número do documento ("seu número").
    public var documentNumber: String
    /// The company's own control ("uso da empresa", "nº de controle do participante"), echoed in the retorno.
    public var control: String
    public var dueDate: CalendarDate
    public var issueDate: CalendarDate
    public var amountCents: Int64
    /// Espécie do título (01 duplicata mercantil at Bradesco and Itaú).
    public var species: String
    /// Aceite, `A` or `N`.
    public var acceptance: String
    /// Instruções 1 and 2 (CNAB 400).
    public var instructions: [String]
    /// Juros: cents a day, or (CNAB 240 juros code 2) hundredths of a percent a month.
    public var interestPerDayCents: Int64
    /// The first day juros run, where the layout has a field for it (CNAB 240 P 119-126, Itaú 400 386-391); the
    /// writer's default when nil.
    public var interestDate: CalendarDate?
    public var discountDate: CalendarDate?
    public var discountCents: Int64
    public var iofCents: Int64
    public var rebateCents: Int64
    public var fine: CNABFine?
    /// The second and third discounts (CNAB 240 segment R 18-65, Bradesco 400's type-2 record, Santander 400's
    /// 71-76 and 206-218).
    public var moreDiscounts: [CNABDiscount]
    /// Days to protest, where the layout has a field for it (Itaú 392-393, Santander 392-393).
    public var protestDays: Int
    /// CNAB 240's juros code (1 valor por dia, 2 taxa mensal, 3 isento); the writer's default when nil.
    public var interestCode: String?
    /// CNAB 240's discount code (0 none, 1 valor fixo até a data, 2 percentual até a data); the writer's default when nil.
    public var discountCode: String?
    /// CNAB 240's protest code (1 protestar após N dias corridos, 3 não protestar); the writer's default when nil.
    public var protestCode: String?
    /// CNAB 240's days until the bank writes an unpaid title off; the writer's default when nil.
    public var writeOffDays: Int?
    public var payer: CNABPayer
    /// The boleto híbrido's PIX request, for the layouts that carry one (Santander 400 type 8).
    public var pix: CNABPixRequest?

    public init(movement: String = "01", nossoNumero: String, nossoNumeroDV: String? = nil, documentNumber: String,
                control: String = "", dueDate: CalendarDate, issueDate: CalendarDate, amountCents: Int64,
                species: String = "01", acceptance: String = "N", instructions: [String] = ["00", "00"],
                interestPerDayCents: Int64 = 0, discountDate: CalendarDate? = nil, discountCents: Int64 = 0,
                iofCents: Int64 = 0, rebateCents: Int64 = 0, fine: CNABFine? = nil, protestDays: Int = 0,
                payer: CNABPayer) {
        self.movement = movement
        self.nossoNumero = nossoNumero
        self.nossoNumeroDV = nossoNumeroDV
        self.documentNumber = documentNumber
        self.control = control
        self.dueDate = dueDate
        self.issueDate = issueDate
        self.amountCents = amountCents
        self.species = species
        self.acceptance = acceptance
        self.instructions = instructions
        self.interestPerDayCents = interestPerDayCents
        self.discountDate = discountDate
        self.discountCents = discountCents
        self.iofCents = iofCents
        self.rebateCents = rebateCents
        self.fine = fine
        self.moreDiscounts = []
        self.protestDays = protestDays
        self.interestDate = nil
        self.interestCode = nil
        self.discountCode = nil
        self.protestCode = nil
        self.writeOffDays = nil
        self.payer = payer
        self.pix = nil
    }
}

/// What a remessa asks the bank to register as a boleto híbrido's PIX charge (Santander's type-8 record).
public struct CNABPixRequest: Sendable, Hashable {
    /// The DICT key's type: 1 CPF, 2 CNPJ, 3 phone, 4 e-mail, 5 random (EVP).
    public var keyType: String
    public var key: String
    /// The txid, when the company chooses it (the bank assigns one otherwise).
    public var txid: String
    /// 00 as the profile says, 01 any amount, 02 between minimum and maximum, 03 the exact amount.
    public var paymentType: String
    public var paymentCount: Int
    /// 1 percentage, 2 amount.
    public var valueType: String
    public var maximumCents: Int64
    /// Hundredths of a percent (10000 = 100 %).
    public var maximumPercent: Int64
    public var minimumCents: Int64
    public var minimumPercent: Int64

    public init(keyType: String, key: String, txid: String = "", paymentType: String = "00", paymentCount: Int = 1,
                valueType: String = "2", maximumCents: Int64, maximumPercent: Int64 = 10_000, minimumCents: Int64,
                minimumPercent: Int64 = 10_000) {
        self.keyType = keyType
        self.key = key
        self.txid = txid
        self.paymentType = paymentType
        self.paymentCount = paymentCount
        self.valueType = valueType
        self.maximumCents = maximumCents
        self.maximumPercent = maximumPercent
        self.minimumCents = minimumCents
        self.minimumPercent = minimumPercent
    }
}

/// How records are separated. Bank manuals ask for CR LF; some gateways take LF.
public enum CNABLineEnding: String, Sendable, Hashable {
    case crlf, lf

    var bytes: [UInt8] { self == .crlf ? [0x0D, 0x0A] : [0x0A] }
}

/// Text in the character set CNAB files take: upper-case ASCII letters, digits, the space and `. , - / ( ) &`.
public enum CNABText {
    static let allowed: Set<UInt8> = Set(Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 .,-/()&".utf8))

    /// Whether `text` is all in the set.
    public static func isValid(_ text: String) -> Bool { text.utf8.allSatisfy(allowed.contains) }

    /// `text` folded into the set and upper-cased: the explicit step a caller takes before writing free text (the
    /// writer itself never changes a value). ``TextFolding`` first (compatibility decomposition, diacritics:
    /// `Fidêncio` → `FIDENCIO`, `9º` → `9O`, `ﬁ` → `FI`), then any character outside the set becomes a space so words
    /// stay apart, and runs of spaces become one.
    public static func normalize(_ text: String) -> String {
        TextFolding.ascii(TextFolding.ascii(text).text.uppercased(), allowed: allowed.contains).text
    }
}
