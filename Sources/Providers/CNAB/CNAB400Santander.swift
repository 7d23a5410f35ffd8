extension CNAB400RetornoLayout {
    /// Santander (033), "Santander Cobrança — Layout CNAB 400, retorno" (as laravel-boleto's reader implements it).
    /// The common positions (see ``CNAB400RetornoLayout``), with the nosso número at 63-70.
    ///
    /// A type-2 record after a title is its boleto híbrido PIX record: 3-79 the QR code's location, 80-114 the txid.
    /// The issuer's number is 63-69 (70 is its DV). The header names the beneficiary's agência at 27-30 (31-46 hold the
    /// conta movimento and conta cobrança, which are not the configuration's account, so they are not compared).
    public static let santander = CNAB400RetornoLayout(
        bank: "033", manual: "Santander Cobrança, arquivo retorno CNAB 400 (com registro PIX tipo 2)",
        detail: CNABRecordLayout("Detalhe (tipo 1)", common + [CNABField("nossoNumero", 63, 70)]),
        occurrences: santanderOccurrences,
        pix: ("2", CNABField("pixLocation", 3, 79), CNABField("pixTxid", 80, 114)),
        header: [CNABField("agency", 27, 30)],
        issuerNumber: { cnabNumber($0, 0..<7) })

    /// Santander's occurrences. Paid: 06, 07, 08, 16, 17; registered: 02; written off: 09, 10; due date: 14;
    /// instructions confirmed: 12, 13, 25, 26, 38; rejected: 01, 03.
    static let santanderOccurrences: [String: CNABOccurrence] = [
        "01": .init("Título não existe", .rejected),
        "02": .init("Entrada título confirmada", .registered),
        "03": .init("Entrada rejeitada", .rejected),
        "06": .init("Liquidação", .paid),
        "07": .init("Liquidação por conta", .paid),
        "08": .init("Liquidação por saldo", .paid),
        "09": .init("Baixa automática", .writtenOff),
        "10": .init("Título baixado conforme instrução ou por título protestado", .writtenOff),
        "11": .init("Em ser", .other),
        "12": .init("Abatimento concedido", .instructionConfirmed),
        "13": .init("Abatimento cancelado", .instructionConfirmed),
        "14": .init("Prorrogação de vencimento", .dueDateChanged),
        "15": .init("Enviado para cartório", .other),
        "16": .init("Título já baixado/liquidado", .paid),
        "17": .init("Liquidado em cartório", .paid),
        "21": .init("Entrada em cartório", .other),
        "22": .init("Retirado de cartório", .other),
        "24": .init("Custas de cartório", .fee),
        "25": .init("Protestar título", .instructionConfirmed),
        "26": .init("Sustar protesto", .instructionConfirmed),
        "35": .init("Título DDA reconhecido pelo pagador", .other),
        "36": .init("Título DDA não reconhecido pelo pagador", .other),
        "37": .init("Título DDA recusado pela CIP", .other),
        "38": .init("Recebimento da instrução não protestar", .instructionConfirmed),
        "39": .init("Espécie de título não permite a instrução", .rejected),
        "61": .init("Confirmação de alteração do valor nominal do título", .other),
        "62": .init("Confirmação de alteração do valor ou percentual mínimo/máximo", .other),
    ]
}
