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

    private static func random(_ count: Int, from characters: [UInt8]) -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<count).map { _ in characters[Int(generator.next(upperBound: UInt32(characters.count)))] }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Lower-case hex SHA-256 of `text`.
    static func sha256(_ text: String) -> String {
        SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// Lower-case hex SHA-256 of `bytes`.
    static func sha256(_ bytes: [UInt8]) -> String {
        SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
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
