extension CNAB400RetornoLayout {
    /// Itaú (341), "Cobrança Itaú — CNAB 400, arquivo retorno" (as brcobranca's and laravel-boleto's readers
    /// implement it). The common positions (see ``CNAB400RetornoLayout``), plus:
    ///
    /// | posição | campo |
    /// |---|---|
    /// | 63-70 | nosso número (8) |
    /// | 83-85 | carteira |
    /// | 378-385 | erros / mensagens (4 × 2) |
    /// | 393-394 | código de liquidação (canal) |
    ///
    /// The header names the beneficiary: 27-30 agência, 31-32 zeros, 33-37 conta, 38 DAC.
    ///
    /// The trailer (type 9) carries the count of details at 213-220 and their total value at 221-234, which the
    /// reader checks. A type-3 record after a title is its PIX record (the copia-e-cola string); it is attached,
    /// not counted.
    public static let itau = CNAB400RetornoLayout(
        bank: "341", manual: "Itaú Cobrança, arquivo retorno CNAB 400",
        detail: CNABRecordLayout("Detalhe (tipo 1)", common + [
            CNABField("nossoNumero", 63, 70), CNABField("carteira", 83, 85, .digits), CNABField("reasons", 378, 385),
            CNABField("liquidationChannel", 393, 394),
        ]),
        occurrences: itauOccurrences, attachedTypes: ["3"],
        trailerTotals: (CNABField("detailCount", 213, 220, .digits), CNABField("totalValue", 221, 234, .cents)),
        header: [CNABField("agency", 27, 30), CNABField("account", 33, 37)],
        issuerNumber: { cnabNumber($0, 0..<8) })

    /// Itaú's occurrences. Paid: 06, 07, 08, 10, 59; registered: 02, 64, 71, 73; written off: 05, 09, 47, 72; due
    /// date: 14; instructions confirmed: 04, 12, 13, 19, 20, 21; rejected: 03, 15, 16, 17, 18, 60; fees: the tarifa and custas codes.
    static let itauOccurrences: [String: CNABOccurrence] = [
        "02": .init("Entrada confirmada", .registered),
        "03": .init("Entrada rejeitada", .rejected),
        "04": .init("Alteração de dados - nova entrada ou alteração/exclusão de dados acatada", .instructionConfirmed),
        "05": .init("Alteração de dados - baixa", .writtenOff),
        "06": .init("Liquidação normal", .paid),
        "07": .init("Liquidação parcial - cobrança inteligente (B2B)", .paid),
        "08": .init("Liquidação em cartório", .paid),
        "09": .init("Baixa simples", .writtenOff),
        "10": .init("Baixa por ter sido liquidado", .paid),
        "11": .init("Em ser (só no retorno mensal)", .other),
        "12": .init("Abatimento concedido", .instructionConfirmed),
        "13": .init("Abatimento cancelado", .instructionConfirmed),
        "14": .init("Vencimento alterado", .dueDateChanged),
        "15": .init("Baixas rejeitadas", .rejected),
        "16": .init("Instruções rejeitadas", .rejected),
        "17": .init("Alteração/exclusão de dados rejeitados", .rejected),
        "18": .init("Cobrança contratual - instruções/alterações rejeitadas/pendentes", .rejected),
        "19": .init("Confirma recebimento de instrução de protesto", .instructionConfirmed),
        "20": .init("Confirma recebimento de instrução de sustação de protesto/tarifa", .instructionConfirmed),
        "21": .init("Confirma recebimento de instrução de não protestar", .instructionConfirmed),
        "23": .init("Título enviado a cartório/tarifa", .other),
        "24": .init("Instrução de protesto rejeitada/sustada/pendente", .other),
        "25": .init("Alegações do pagador", .other),
        "26": .init("Tarifa de aviso de cobrança", .fee),
        "27": .init("Tarifa de extrato posição (B40X)", .fee),
        "28": .init("Tarifa de relação das liquidações", .fee),
        "29": .init("Tarifa de manutenção de títulos vencidos", .fee),
        "30": .init("Débito mensal de tarifas (para entradas e baixas)", .fee),
        "32": .init("Baixa por ter sido protestado", .other),
        "33": .init("Custas de protesto", .fee),
        "34": .init("Custas de sustação", .fee),
        "35": .init("Custas de cartório distribuidor", .fee),
        "36": .init("Custas de edital", .fee),
        "37": .init("Tarifa de emissão de boleto/tarifa de envio de duplicata", .fee),
        "38": .init("Tarifa de instrução", .fee),
        "39": .init("Tarifa de ocorrências", .fee),
        "40": .init("Tarifa mensal de emissão de boleto/tarifa mensal de envio de duplicata", .fee),
        "41": .init("Débito mensal de tarifas - extrato de posição (B4EP/B4OX)", .fee),
        "42": .init("Débito mensal de tarifas - outras instruções", .fee),
        "43": .init("Débito mensal de tarifas - manutenção de títulos vencidos", .fee),
        "44": .init("Débito mensal de tarifas - outras ocorrências", .fee),
        "45": .init("Débito mensal de tarifas - protesto", .fee),
        "46": .init("Débito mensal de tarifas - sustação de protesto", .fee),
        "47": .init("Baixa com transferência para desconto", .writtenOff),
        "48": .init("Custas de sustação judicial", .fee),
        "57": .init("Instrução cancelada", .other),
        "59": .init("Baixa por crédito em C/C através do SISPAG", .paid),
        "60": .init("Entrada rejeitada carnê", .rejected),
        "63": .init("Título sustado judicialmente", .other),
        "64": .init("Entrada confirmada com rateio de crédito", .registered),
        "65": .init("Pagamento com cheque - aguardando compensação", .other),
        "69": .init("Cheque devolvido", .other),
        "71": .init("Entrada registrada, aguardando avaliação", .registered),
        "72": .init("Baixa por crédito em C/C através do SISPAG sem título correspondente", .writtenOff),
        "73": .init("Confirmação de entrada na cobrança simples - entrada não aceita na cobrança contratual", .registered),
        "76": .init("Cheque compensado", .other),
    ]
}
