import BoletoKit
import Crypto
import Foundation

/// The `AUTENTICACAO` hash of a Caixa SIGCB request (the SIBAR header), computed from the title it concerns:
///
/// | part | width | content |
/// |---|---|---|
/// | `CODIGO_BENEFICIARIO` | 7 | zero-padded |
/// | `NOSSO_NUMERO` | 17 | the 17-digit nosso número, or 0 when the bank assigns it |
/// | `DATA_VENCIMENTO` | 8 | `ddMMyyyy`; zeros for `BAIXA_BOLETO` and `CONSULTA_BOLETO` |
/// | `VALOR` | 15 | the amount in centavos; zeros for `BAIXA_BOLETO` and `CONSULTA_BOLETO` |
/// | beneficiary CPF/CNPJ | 14 | zero-padded digits |
///
/// `AUTENTICACAO` is the base64 of the SHA-256 of those 61 ASCII characters.
public enum CaixaAuthentication {
    /// The 61-character text the hash is taken of. `dueDate` and `amountCents` are nil for operations that send
    /// zeros in their place (`BAIXA_BOLETO`, `CONSULTA_BOLETO`).
    public static func checksum(beneficiaryCode: String, nossoNumero: String, dueDate: CalendarDate?, amountCents: Int64?,
                                beneficiaryDocument: String) -> String {
        let date = dueDate.map { pad($0.day, 2) + pad($0.month, 2) + pad($0.year, 4) } ?? String(repeating: "0", count: 8)
        let amount = amountCents.map { pad(Int($0), 15) } ?? String(repeating: "0", count: 15)
        return padDigits(beneficiaryCode, 7) + padDigits(nossoNumero, 17) + date + amount + padDigits(beneficiaryDocument, 14)
    }

    /// `AUTENTICACAO` for `checksum`.
    public static func token(checksum: String) -> String {
        Data(SHA256.hash(data: Data(checksum.utf8))).base64EncodedString()
    }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    /// The digits of `text` (punctuation of a formatted CNPJ dropped), zero-padded on the left to `width`.
    private static func padDigits(_ text: String, _ width: Int) -> String {
        let digits = text.filter(\.isASCIIDigit)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
