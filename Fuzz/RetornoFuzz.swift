// libFuzzer entry point for the CNAB retorno reader. Built by scripts/fuzz-retorno.sh, which compiles BoletoKit and
// Providers/CNAB with -sanitize=fuzzer,address (the rest of Providers, with its C libraries, is not needed).
// Every input must end in a CNABRetorno or a CNABError; what a retorno reports must point inside the input.
import BoletoKit

@_cdecl("LLVMFuzzerTestOneInput")
public func retornoFuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = Array(UnsafeBufferPointer(start: data, count: size))
    let lines = bytes.reduce(1) { $1 == 0x0A || $1 == 0x0D ? $0 + 1 : $0 }
    for bank in [nil, "237", "104"] as [String?] {
        guard let retorno = try? CNABRetornoReader.read(bytes, bank: bank) else { continue }
        precondition(retorno.titles.count <= lines, "more titles than lines")
        for title in retorno.titles { precondition(title.line >= 1 && title.line <= lines, "a title outside the file") }
        for warning in retorno.warnings { precondition(warning.line >= 0 && warning.line <= lines, "a warning outside the file") }
        _ = retorno.titles.map(\.event)
    }
    return 0
}
