/// Large retorno files for the CNAB reader's benchmark, made by repeating real detail records (from the fixtures
/// in Tests/ProvidersTests/Fixtures/cnab: brcobranca's Itaú CNAB 400 retorno and laravel-boleto's Caixa CNAB 240
/// retorno, both MIT) with their sequence numbers and trailer counts kept right, so the file reads without a
/// warning.
public enum RetornoInputs {
    static let itauHeader = "02RETORNO01COBRANCA       073000035110        PLUTO ALTO ELENTAS LTDA ME    341BANCO ITAU S.A.20051301600BPI00025210513                                                                                                                                                                                                                                                                                   000001"

    /// One Itaú detail (type 1), its sequence (395-400) replaced per copy.
    static let itauDetail = "10216733872000107073000035110                                 00000011            109000000114             I06200513          00000011            000000000000000400010418739  000000000021000000000000000000000000000000000000000000000000000000000000000000000000000379000000000000000000000000000   21051300000000000000000000000                                                                    B5000002"

    /// A CNAB 400 Itaú retorno of about `megabytes` MB.
    public static func itau400(megabytes: Int) -> [UInt8] {
        let count = megabytes * 1_000_000 / 401
        var bytes: [UInt8] = []
        bytes.reserveCapacity((count + 2) * 401)
        bytes += Array(itauHeader.utf8) + [0x0A]
        let detail = Array(itauDetail.utf8)
        for index in 0..<count {
            bytes += detail[0..<394] + Array(pad(index + 2, 6).utf8) + [0x0A]
        }
        let total = Int64(count) * 4000
        var trailer = Array(("9201341" + String(repeating: " ", count: 205)).utf8)
        trailer += Array((pad(count, 8) + pad64(total, 14)).utf8)
        trailer += [UInt8](repeating: 0x20, count: 394 - trailer.count)
        bytes += trailer + Array(pad(count + 2, 6).utf8) + [0x0A]
        return bytes
    }

    static func pad(_ value: Int, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }

    static func pad64(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return String(repeating: "0", count: max(0, width - text.count)) + text
    }
}

extension RetornoInputs {
    static let caixaFileHeader = "10400000         2090183800001990000000000000000000001234204321000000000EMPRESA                       C ECON FEDERAL                          20601201405551100162204000000                    RETORNO-PRODUCAO                  000            "
    static let caixaBatchHeader = "10400011T0100030 20090183800001990000000000000000000001234204321000000000EMPRESA                                                                                                       00001622060120140000000000                          00   "
    static let caixaT = "1040001300001T 060000000432100000000   240000000111369979100000000000000002012014000000000008000000010860000000000000000          090000000000000000                                                  000000000000125020101                     "
    static let caixaU = "1040001300002U 06000000000000000000000000000000000000000000000000000000000000000000000008000000000000008000000000000000000000000000000000060120140701201400000701201400000000000000000000000000000000000000000000000000000000000000000000       "
    static let caixaBatchTrailer = "10400015         00002000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000                                                                                                                             "
    static let caixaFileTrailer = "10499999         000001000022                                                                                                                                                                                                                   "

    /// A CNAB 240 Caixa retorno of about `megabytes` MB: one batch of T/U pairs, sequence numbers (9-13) and the
    /// trailers' counts kept right.
    public static func caixa240(megabytes: Int) -> [UInt8] {
        let pairs = min(megabytes * 1_000_000 / 482, 49_999)
        var bytes: [UInt8] = []
        bytes.reserveCapacity((pairs * 2 + 4) * 241)
        bytes += Array(caixaFileHeader.utf8) + [0x0A] + Array(caixaBatchHeader.utf8) + [0x0A]
        let t = Array(caixaT.utf8), u = Array(caixaU.utf8)
        for index in 0..<pairs {
            bytes += t[0..<8] + Array(pad(index * 2 + 1, 5).utf8) + t[13...] + [0x0A]
            bytes += u[0..<8] + Array(pad(index * 2 + 2, 5).utf8) + u[13...] + [0x0A]
        }
        let batchTrailer = Array(caixaBatchTrailer.utf8)
        bytes += batchTrailer[0..<17] + Array(pad(pairs * 2 + 2, 6).utf8) + batchTrailer[23...] + [0x0A]
        let fileTrailer = Array(caixaFileTrailer.utf8)
        bytes += fileTrailer[0..<23] + Array(pad(pairs * 2 + 4, 6).utf8) + fileTrailer[29...] + [0x0A]
        return bytes
    }
}
