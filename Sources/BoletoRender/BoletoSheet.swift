import BoletoKit

/// What a printed boleto shows: the ficha de compensação and the recibo do pagador, as text ready to print.
/// Both renderers (``BoletoHTML``, ``BoletoPDF``) draw the same sheet.
public struct BoletoSheet: Sendable, Hashable {
    /// The FEBRABAN code, 3 digits.
    public var bank: String
    /// The 44-digit barcode.
    public var barcode: String
    /// The digitable line, formatted (`23793.38128 …`).
    public var digitableLine: String
    public var dueDate: CalendarDate
    public var amountCents: Int64
    public var beneficiaryName: String
    /// The beneficiary's CNPJ or CPF, formatted.
    public var beneficiaryDocument: String?
    /// Agência / código do beneficiário, as the bank prints it.
    public var agencyCode: String
    /// The nosso número, as the bank prints it.
    public var nossoNumero: String
    /// Número do documento.
    public var documentNumber: String
    public var documentDate: CalendarDate
    public var wallet: String
    public var instructions: [String]
    public var payerName: String
    /// The payer's CPF or CNPJ, formatted.
    public var payerDocument: String?
    /// The payer's address, one line per entry.
    public var payerAddress: [String]
    /// The sacador avalista, when there is one.
    public var guarantor: String?
    /// The PIX BR Code of the boleto híbrido.
    public var pixPayload: String?
    /// Espécie do documento (DM, duplicata mercantil, by default).
    public var documentSpecies = "DM"
    /// Aceite.
    public var acceptance = "N"
    /// Local de pagamento.
    public var paymentPlace = "Pagável em qualquer banco até o vencimento."
    /// The installment of a carnê (`3/12`), printed on its slip; nil for a lone boleto.
    public var installment: String? = nil

    public init(bank: String, barcode: String, digitableLine: String, dueDate: CalendarDate, amountCents: Int64,
                beneficiaryName: String, beneficiaryDocument: String? = nil, agencyCode: String, nossoNumero: String,
                documentNumber: String, documentDate: CalendarDate, wallet: String, instructions: [String] = [],
                payerName: String, payerDocument: String? = nil, payerAddress: [String] = [], guarantor: String? = nil,
                pixPayload: String? = nil) {
        self.bank = bank
        self.barcode = barcode
        self.digitableLine = digitableLine
        self.dueDate = dueDate
        self.amountCents = amountCents
        self.beneficiaryName = beneficiaryName
        self.beneficiaryDocument = beneficiaryDocument
        self.agencyCode = agencyCode
        self.nossoNumero = nossoNumero
        self.documentNumber = documentNumber
        self.documentDate = documentDate
        self.wallet = wallet
        self.instructions = instructions
        self.payerName = payerName
        self.payerDocument = payerDocument
        self.payerAddress = payerAddress
        self.guarantor = guarantor
        self.pixPayload = pixPayload
    }

    /// The bank's name, when BoletoKit has its layout.
    public var bankName: String { Banks.name(for: bank) ?? "Banco \(bank)" }

    /// The bank code with its check digit, as the ficha prints it (`237-2`): modulo 11 with weights 2 to 4 from the
    /// right, 10 printed as `X` (Sicredi's 748-X, Ailos' 085-X) and 11 as 0, with Caixa's 104-0 the exception.
    public var bankCodeWithDigit: String {
        guard bank != "104" else { return "104-0" }
        let sum = zip(bank.reversed(), [2, 3, 4]).reduce(0) { $0 + (Int(String($1.0)) ?? 0) * $1.1 }
        let digit = 11 - sum % 11
        return bank + "-" + (digit == 10 ? "X" : digit == 11 ? "0" : String(digit))
    }

    /// `R$ 1.234,56`.
    public var amountText: String { MoneyText.reais(amountCents) }

    /// `dd/MM/yyyy`.
    static func text(_ date: CalendarDate) -> String {
        func two(_ n: Int) -> String { n < 10 ? "0\(n)" : "\(n)" }
        return "\(two(date.day))/\(two(date.month))/\(date.year)"
    }
}
