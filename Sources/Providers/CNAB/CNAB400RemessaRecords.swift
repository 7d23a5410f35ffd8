/// Values that the CNAB 400 remessa details of Bradesco, Itaú and Santander fill alike (the same field names in
/// each bank's table). A bank's table that lacks one of these fields ignores it.
enum CNAB400RemessaRecords {
    /// The title's own values: control, nosso número, movement, dates, amounts, instructions and the payer.
    static func detailValues(_ title: CNABRemessaTitle) -> [String: CNABValue] {
        [
            "control": .text(title.control), "nossoNumero": .digits(title.nossoNumero), "movement": .digits(title.movement),
            "dueDate": .date(title.dueDate), "amount": .number(title.amountCents), "species": .digits(title.species),
            "acceptance": .text(title.acceptance), "issueDate": .date(title.issueDate),
            "instruction1": .digits(title.instructions.first ?? "00"), "instruction2": .digits(title.instructions.dropFirst().first ?? "00"),
            "interestPerDay": .number(title.interestPerDayCents), "interestDate": .date(title.interestDate),
            "discountDate": .date(title.discountDate),
            "discount": .number(title.discountCents), "iof": .number(title.iofCents), "rebate": .number(title.rebateCents),
            "payerKind": .digits(title.payer.document.kind == .cpf ? "01" : "02"),
            "payerDocument": .digits(title.payer.document.digits), "payerName": .text(title.payer.name),
            "payerAddress": .text(title.payer.address), "payerNeighborhood": .text(title.payer.neighborhood),
            "payerZipcode": .digits(title.payer.zipcode), "payerCity": .text(title.payer.city),
            "payerState": .text(title.payer.state), "protestDays": .number(Int64(title.protestDays)),
        ]
    }
}
