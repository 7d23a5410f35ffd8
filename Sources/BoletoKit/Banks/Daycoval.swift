/// Daycoval (707): the Inter layout.
///
/// | posição | tamanho | conteúdo |
/// |---|---|---|
/// | 20–23 | 4 | agência |
/// | 24–26 | 3 | carteira: 121 |
/// | 27–33 | 7 | operação (`extra.operation`) |
/// | 34–43 | 10 | nosso número (8 significant digits) |
/// | 44 | 1 | DV: modulo 10 of agência(4) + carteira(3) + nosso número(10) |
///
/// Printed `AAAA<agency_dv>/CCC/NNNNNNNNNN-D`.
public struct Daycoval: BankLayout {
    public var code: String { "707" }
    public var name: String { "Daycoval" }
    public init() {}

    public func encode(_ input: BoletoInput) throws(BoletoError) -> FreeFieldEncoding {
        try OperationLayout.encode(input)
    }

    public func decode(_ freeField: Digits) throws(BoletoError) -> BoletoInput {
        OperationLayout.decode(freeField, bank: code)
    }
}
