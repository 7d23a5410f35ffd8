/// HSBC (399), legacy: CNR (default) and CSB, chosen by `extra.kind`.
///
/// **CNR**:
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–26 | 7 | código do cedente (`beneficiary_code`) |
/// | 27–39 | 13 | nosso número |
/// | 40–43 | 4 | due date as julian: day of the year(3) + last digit of the year; `0000` without due date |
/// | 44 | 1 | `2` (código do aplicativo) |
///
/// Printed nosso número (16 digits): nosso número(13) + D1 + T + D2, with D1 = modulo 11 (standard) of the nosso
/// número, T = `4` with a due date and `5` without, and D2 = modulo 11 (standard) of the sum of the numbers
/// nosso número·D1·T, código and the due date as DDMMYY (0 without due date).
///
/// **CSB**: nosso número(10) + DV(1, modulo 11 weights 2–7, standard) + agência(4) + conta(7) + `00` + `1`.
/// Printed `NNNNNNNNNN-D`.
public struct HSBC: BankLayout {
    public var code: String { "399" }
    public var name: String { "HSBC (legacy)" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        switch input.extra("kind") ?? "cnr" {
        case "cnr": return try cnr(input)
        case "csb": return try csb(input)
        default: throw .invalid("extra.kind", "The HSBC kind must be cnr or csb.")
        }
    }

    private func cnr(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        let beneficiary = try Digits.field(input.beneficiaryCode, width: 7, name: "beneficiary_code")
        let nossoNumero = try input.nossoNumero(width: 13)
        var freeField = beneficiary + nossoNumero
        var dateNumber: Int64 = 0
        if let due = input.dueDate {
            freeField.append(Digits(Int64(due.dayOfYear), width: 3))
            freeField.append(due.year % 10)
            dateNumber = Int64(due.day * 10_000 + due.month * 100 + due.year % 100)
        } else {
            freeField.append(literal: "0000")
        }
        freeField.append(2)
        var printed = nossoNumero
        printed.append(Modulo11.checkDigit(of: nossoNumero))
        printed.append(input.dueDate == nil ? 5 : 4)
        let sum = printed.int64Value + beneficiary.int64Value + dateNumber
        var sumDigits = Digits()
        for character in String(sum).utf8 { sumDigits.append(Int(character) - 48) }
        printed.append(Modulo11.checkDigit(of: sumDigits))
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(printed)")
    }

    private func csb(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        let nossoNumero = try input.nossoNumero(width: 10)
        let dv = Modulo11.checkDigit(of: nossoNumero, maxWeight: 7)
        var freeField = nossoNumero
        freeField.append(dv)
        freeField.append(try Digits.field(input.agency, width: 4, name: "agency"))
        freeField.append(try Digits.field(input.account, width: 7, name: "account"))
        freeField.append(literal: "001")
        return FreeFieldEncoding(freeField: freeField, nossoNumero: "\(nossoNumero)-\(dv)")
    }

    /// Reads CSB when the field ends in `001`, otherwise CNR.
    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        if freeField[22..<25] == Digits("001")! {
            return BoletoInput(bank: code, amountCents: 0, dueDate: nil, agency: freeField[11..<15].description,
                               account: freeField[15..<22].description, nossoNumero: freeField[0..<10].description,
                               extra: ["kind": "csb"])
        }
        return BoletoInput(bank: code, amountCents: 0, dueDate: nil, beneficiaryCode: freeField[0..<7].description,
                           nossoNumero: freeField[7..<20].description, extra: ["kind": "cnr"])
    }
}
