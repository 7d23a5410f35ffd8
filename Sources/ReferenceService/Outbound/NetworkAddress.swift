#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An IP address the service might connect to, and whether it is a public unicast address.
///
/// Parsing accepts every notation the C resolver accepts, because that is what a connection would use: IPv4 in
/// dotted, shortened (`127.1`), single-number (`2130706433`), octal (`0177.0.0.1`) and hexadecimal (`0x7f.1`) forms
/// (`inet_aton`), and IPv6 in any RFC 4291 text form, with or without brackets (`inet_pton`).
public enum NetworkAddress: Sendable, Hashable, CustomStringConvertible {
    case v4(UInt32)
    case v6([UInt8])

    /// Parses an IP literal; nil for anything else (a host name).
    public init?(literal text: String) {
        var host = Substring(text)
        if host.hasPrefix("[") && host.hasSuffix("]") { host = host.dropFirst().dropLast() }
        guard !host.isEmpty, host.utf8.count < 64 else { return nil }
        if host.contains(":") {
            var storage = in6_addr()
            guard inet_pton(AF_INET6, String(host), &storage) == 1 else { return nil }
            self = .v6(withUnsafeBytes(of: &storage) { Array($0) })
            return
        }
        var storage = in_addr()
        guard inet_aton(String(host), &storage) != 0 else { return nil }
        self = .v4(UInt32(bigEndian: storage.s_addr))
    }

    /// The address of a resolved socket address, or nil for another family.
    init?(socketAddress pointer: UnsafePointer<sockaddr>) {
        switch Int32(pointer.pointee.sa_family) {
        case AF_INET:
            let value = pointer.withMemoryRebound(to: sockaddr_in.self, capacity: 1) { $0.pointee.sin_addr.s_addr }
            self = .v4(UInt32(bigEndian: value))
        case AF_INET6:
            var bytes = pointer.withMemoryRebound(to: sockaddr_in6.self, capacity: 1) { $0.pointee.sin6_addr }
            self = .v6(withUnsafeBytes(of: &bytes) { Array($0) })
        default:
            return nil
        }
    }

    /// The canonical text: dotted IPv4, or RFC 5952 IPv6 (without brackets).
    public var description: String {
        switch self {
        case .v4(let value):
            return "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
        case .v6(let bytes):
            var storage = in6_addr()
            withUnsafeMutableBytes(of: &storage) { $0.copyBytes(from: bytes) }
            var buffer = [CChar](repeating: 0, count: Int(INET6_ADDRSTRLEN))
            guard inet_ntop(AF_INET6, &storage, &buffer, socklen_t(buffer.count)) != nil else { return "?" }
            return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        }
    }

    /// Why the address is not a public unicast address, or nil when it is. The ranges are IANA's special-purpose
    /// registries (RFC 6890 and its updates): loopback, private, shared (CGNAT), link-local, unique-local,
    /// site-local, multicast, unspecified, broadcast, documentation, benchmarking and reserved space, and IPv6
    /// forms that carry an IPv4 address (mapped, compatible, NAT64, 6to4), which are refused outright or judged by
    /// the address they carry.
    public var nonPublicReason: String? {
        switch self {
        case .v4(let value):
            return Self.reason(v4: value)
        case .v6(let b):
            func prefix(_ bytes: [UInt8], bits: Int) -> Bool {
                for bit in 0..<bits where (b[bit / 8] >> (7 - bit % 8)) & 1 != (bytes[bit / 8] >> (7 - bit % 8)) & 1 {
                    return false
                }
                return true
            }
            let zero = [UInt8](repeating: 0, count: 16)
            if b == zero { return "unspecified" }
            if b == zero.prefix(15) + [1] { return "loopback" }
            if prefix(zero.prefix(10) + [0xFF, 0xFF] + [0, 0, 0, 0], bits: 96) { return "IPv4-mapped" }
            if prefix(zero, bits: 96) { return "IPv4-compatible" }
            if prefix([0x00, 0x64, 0xFF, 0x9B] + [UInt8](repeating: 0, count: 12), bits: 96) {
                return Self.reason(v4: Self.embedded(b, at: 12)).map { "NAT64 of a \($0) IPv4 address" }
            }
            if prefix([0x20, 0x02] + [UInt8](repeating: 0, count: 14), bits: 16) {
                return Self.reason(v4: Self.embedded(b, at: 2)).map { "6to4 of a \($0) IPv4 address" } ?? "6to4"
            }
            if prefix([0xFC] + [UInt8](repeating: 0, count: 15), bits: 7) { return "unique-local" }
            if prefix([0xFE, 0x80] + [UInt8](repeating: 0, count: 14), bits: 10) { return "link-local" }
            if prefix([0xFE, 0xC0] + [UInt8](repeating: 0, count: 14), bits: 10) { return "site-local" }
            if b[0] == 0xFF { return "multicast" }
            if prefix([0x20, 0x01, 0x0D, 0xB8] + [UInt8](repeating: 0, count: 12), bits: 32) { return "documentation" }
            if prefix([0x01, 0x00] + [UInt8](repeating: 0, count: 14), bits: 64) { return "discard-only" }
            if prefix([0x20, 0x01] + [UInt8](repeating: 0, count: 14), bits: 23) { return "IETF protocol assignment" }
            if b[0] & 0xE0 != 0x20 { return "reserved (not global unicast)" }
            return nil
        }
    }

    private static func embedded(_ bytes: [UInt8], at index: Int) -> UInt32 {
        bytes[index..<index + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }

    private static func reason(v4 value: UInt32) -> String? {
        func within(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: UInt32, _ bits: UInt32) -> Bool {
            let network = a << 24 | b << 16 | c << 8 | d
            let mask: UInt32 = bits == 0 ? 0 : ~UInt32(0) << (32 - bits)
            return value & mask == network
        }
        if value == 0 { return "unspecified" }
        if within(0, 0, 0, 0, 8) { return "\"this network\"" }
        if within(127, 0, 0, 0, 8) { return "loopback" }
        if within(10, 0, 0, 0, 8) || within(172, 16, 0, 0, 12) || within(192, 168, 0, 0, 16) { return "private" }
        if within(100, 64, 0, 0, 10) { return "shared (carrier-grade NAT)" }
        if within(169, 254, 0, 0, 16) { return "link-local" }
        if within(192, 0, 0, 0, 24) { return "IETF protocol assignment" }
        if within(192, 0, 2, 0, 24) || within(198, 51, 100, 0, 24) || within(203, 0, 113, 0, 24) { return "documentation" }
        if within(198, 18, 0, 0, 15) { return "benchmarking" }
        if within(224, 0, 0, 0, 4) { return "multicast" }
        if value == 0xFFFF_FFFF { return "broadcast" }
        if within(240, 0, 0, 0, 4) { return "reserved" }
        return nil
    }
}
