extension CNAB400RetornoLayout {
    /// Bradesco (237), "Cobrança Bradesco — Layout do Arquivo Retorno CNAB 400" (as brcobranca's and laravel-boleto's
    /// readers implement it):
    ///
    /// | posição | campo |
    /// |---|---|
    /// | 22-24 | carteira |
    /// | 71-82 | nosso número (11) + DV (`P` possible) |
    /// | 109-110 | código de ocorrência |
    /// | 111-116 | data da ocorrência DDMMAA |
    /// | 117-126 | nº do documento |
    /// | 147-152 | vencimento DDMMAA |
    /// | 153-165 | valor do título |
    /// | 166-168, 169-173 | banco, agência cobradora |
    /// | 176-188 | tarifa de cobrança |
    /// | 215-227, 228-240, 241-253 | IOF, abatimento, desconto |
    /// | 254-266 | valor pago |
    /// | 267-279 | juros de mora |
    /// | 280-292 | outros créditos |
    /// | 296-301 | data do crédito DDMMAA |
    /// | 319-328 | motivos das rejeições (5 × 2) |
    /// | 395-400 | nº sequencial |
    ///
    /// The header names the beneficiary by its código da empresa (27-46); each detail by its "identificação da empresa
    /// no banco" (21-37: zero, carteira 22-24, agência 25-29, conta 30-36, DV 37).
    ///
    /// A type-4 record after a title is its boleto híbrido PIX record: 29-105 location, 106-140 txid. The issuer's
    /// number is the nosso número without its DV (the first 11 of 71-82).
    public static let bradesco = CNAB400RetornoLayout(
        bank: "237", manual: "Bradesco Cobrança, arquivo retorno CNAB 400",
        detail: CNABRecordLayout("Detalhe (tipo 1)", common + [
            CNABField("carteira", 22, 24, .digits), CNABField("nossoNumero", 71, 82), CNABField("reasons", 319, 328),
        ]),
        occurrences: bradescoOccurrences,
        pix: ("4", CNABField("pixLocation", 29, 105), CNABField("pixTxid", 106, 140)),
        header: [CNABField("code", 27, 46)],
        titleBeneficiary: [CNABField("agency", 25, 29), CNABField("account", 30, 36)],
        issuerNumber: { cnabNumber($0, 0..<11) })

    /// Bradesco's occurrences. Paid: 06, 15, 17; registered: 02; written off: 09, 10; due date: 14; instructions
    /// confirmed: 12, 13, 19, 20, 33; rejected: 03, 24, 27, 30, 32; fee: 28.
    static let bradescoOccurrences: [String: CNABOccurrence] = [
        "02": .init("Entrada Confirmada", .registered),
        "03": .init("Entrada Rejeitada", .rejected),
        "06": .init("Liquidação normal", .paid),
        "09": .init("Baixado Automaticamente via Arquivo", .writtenOff),
        "10": .init("Baixado conforme instruções da Agência", .writtenOff),
        "11": .init("Em Ser - Arquivo de Títulos pendentes", .other),
        "12": .init("Abatimento Concedido", .instructionConfirmed),
        "13": .init("Abatimento Cancelado", .instructionConfirmed),
        "14": .init("Vencimento Alterado", .dueDateChanged),
        "15": .init("Liquidação em Cartório", .paid),
        "16": .init("Título Pago em Cheque – Vinculado", .other),
        "17": .init("Liquidação após baixa ou Título não registrado", .paid),
        "18": .init("Acerto de Depositária", .other),
        "19": .init("Confirmação Receb. Inst. de Protesto", .instructionConfirmed),
        "20": .init("Confirmação Recebimento Instrução Sustação de Protesto", .instructionConfirmed),
        "21": .init("Acerto do Controle do Participante", .other),
        "22": .init("Título Com Pagamento Cancelado", .other),
        "23": .init("Entrada do Título em Cartório", .other),
        "24": .init("Entrada rejeitada por CEP Irregular", .rejected),
        "27": .init("Baixa Rejeitada", .rejected),
        "28": .init("Débito de tarifas/custas", .fee),
        "30": .init("Alteração de Outros Dados Rejeitados", .rejected),
        "32": .init("Instrução Rejeitada", .rejected),
        "33": .init("Confirmação Pedido Alteração Outros Dados", .instructionConfirmed),
        "34": .init("Retirado de Cartório e Manutenção Carteira", .other),
        "35": .init("Desagendamento do débito automático", .other),
        "68": .init("Acerto dos dados do rateio de Crédito", .other),
        "69": .init("Cancelamento dos dados do rateio", .other),
    ]
}
