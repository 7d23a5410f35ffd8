import Crypto
import Foundation

/// Random identifiers and secrets.
enum Identifiers {
    private static let alphabet = Array("0123456789abcdefghijklmnopqrstuvwxyz".utf8)
    private static let base62 = Array("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz".utf8)

    /// `prefix_` followed by 25 random lower-case letters and digits (about 129 bits), like superbowleto's cuids.
    static func make(_ prefix: String) -> String {
        prefix + "_" + random(25, from: alphabet)
    }

    /// A random string of `count` characters from the base-62 alphabet.
    static func secret(_ count: Int) -> String {
        random(count, from: base62)
    }

    /// `count` random lower-case hexadecimal digits.
    static func hex(_ count: Int) -> String {
        random(count, from: Array("0123456789abcdef".utf8))
    }

    /// `count` characters drawn uniformly from `characters` (at most 256). Random bytes come from the system
    /// generator 8 at a time (each draw is a system call), and a byte is used only below the largest multiple of the
    /// alphabet's size, so every character is equally likely.
    private static func random(_ count: Int, from characters: [UInt8]) -> String {
        var generator = SystemRandomNumberGenerator()
        let size = characters.count, limit = 256 - 256 % size
        var out: [UInt8] = []
        out.reserveCapacity(count)
        while out.count < count {
            var word = generator.next()
            for _ in 0..<8 where out.count < count {
                let byte = Int(word & 0xFF)
                word >>= 8
                if byte < limit { out.append(characters[byte % size]) }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Lower-case hex SHA-256 of `text`.
    static func sha256(_ text: String) -> String {
        hex(SHA256.hash(data: Data(text.utf8)))
    }

    /// Lower-case hex SHA-256 of `bytes`.
    static func sha256(_ bytes: [UInt8]) -> String {
        hex(SHA256.hash(data: bytes))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// Lower-case hex of `bytes` (a key's hash is computed on every authenticated request).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for byte in bytes {
            out.append(hexDigits[Int(byte >> 4)])
            out.append(hexDigits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Compares two strings in time that depends only on their lengths.
    static func constantTimeEquals(_ lhs: String, _ rhs: String) -> Bool {
        let a = Array(lhs.utf8), b = Array(rhs.utf8)
        guard a.count == b.count else { return false }
        var difference: UInt8 = 0
        for index in a.indices { difference |= a[index] ^ b[index] }
        return difference == 0
    }
}
