/// CRC-16/CCITT-FALSE, the BR Code's checksum: polynomial 0x1021, initial value 0xFFFF, no reflection, no final
/// XOR. The check value of `"123456789"` is `29B1`.
///
/// The BCB's rule: "O CRC deve ser calculado do início da string do QR até, e incluindo, o 6304", over the
/// payload's UTF-8 bytes, printed as four upper-case hex digits.
public enum CRC16 {
    private static let table: [UInt16] = (0..<256).map { byte in
        var crc = UInt16(byte) << 8
        for _ in 0..<8 { crc = crc & 0x8000 != 0 ? (crc << 1) ^ 0x1021 : crc << 1 }
        return crc
    }

    /// The CRC of `bytes`.
    public static func checksum(_ bytes: some Sequence<UInt8>) -> UInt16 {
        var crc: UInt16 = 0xFFFF
        for byte in bytes { crc = (crc << 8) ^ table[Int(UInt8(truncatingIfNeeded: crc >> 8) ^ byte)] }
        return crc
    }

    /// The CRC of `text`'s UTF-8 bytes as four upper-case hex digits.
    public static func hex(_ text: String) -> String {
        let value = checksum(text.utf8)
        let digits = Array("0123456789ABCDEF")
        return String([12, 8, 4, 0].map { digits[Int((value >> UInt16($0)) & 0xF)] })
    }
}
