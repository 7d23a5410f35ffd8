import BoletoJSON
import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A plain TCP connection to the service on loopback, for requests no HTTP client would send (a half-written head,
/// 10,000 headers, a conflicting length). Blocking socket calls run on a dispatch queue, never on the test's
/// concurrency threads, which the in-process service needs.
final class RawConnection: @unchecked Sendable {
    private let socket: Int32

    private init(socket: Int32) { self.socket = socket }

    deinit { Glibc.close(socket) }

    struct Failed: Error, CustomStringConvertible { let description: String }

    private static func blocking<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async { continuation.resume(with: Result { try work() }) }
        }
    }

    /// Connects to 127.0.0.1:`port`.
    static func open(port: Int) async throws -> RawConnection {
        try await blocking {
            let fd = Glibc.socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
            guard fd >= 0 else { throw Failed(description: "socket") }
            var address = sockaddr_in()
            address.sin_family = sa_family_t(AF_INET)
            address.sin_port = in_port_t(UInt16(port).bigEndian)
            address.sin_addr.s_addr = inet_addr("127.0.0.1")
            let connected = withUnsafePointer(to: &address) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
            }
            guard connected == 0 else {
                Glibc.close(fd)
                throw Failed(description: "connect")
            }
            return RawConnection(socket: fd)
        }
    }

    /// Sends `bytes`; answers false when the peer had closed the connection.
    @discardableResult
    func send(_ bytes: [UInt8]) async -> Bool {
        let socket = self.socket
        return (try? await Self.blocking {
            var sent = 0
            while sent < bytes.count {
                let n = bytes[sent...].withUnsafeBytes { Glibc.send(socket, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n <= 0 { return false }
                sent += n
            }
            return true
        }) ?? false
    }

    @discardableResult
    func send(_ text: String) async -> Bool { await send(Array(text.utf8)) }

    /// Reads until the peer closes the connection, a whole response has arrived (with `untilResponse`), or `seconds`
    /// pass. Answers what arrived and whether the peer closed.
    func read(seconds: Double, untilResponse: Bool = false) async -> (bytes: [UInt8], closed: Bool) {
        let socket = self.socket
        return (try? await Self.blocking {
            var received: [UInt8] = []
            let deadline = Date().addingTimeInterval(seconds)
            while true {
                if untilResponse, RawResponse(received) != nil { return (received, false) }
                let left = Int32(max(0, deadline.timeIntervalSinceNow * 1000))
                if left == 0 { return (received, false) }
                var poller = pollfd(fd: socket, events: Int16(POLLIN), revents: 0)
                guard poll(&poller, 1, left) > 0 else { return (received, false) }
                var chunk = [UInt8](repeating: 0, count: 65_536)
                let n = chunk.withUnsafeMutableBytes { recv(socket, $0.baseAddress, $0.count, 0) }
                if n <= 0 { return (received, true) }
                received += chunk.prefix(n)
            }
        }) ?? ([], true)
    }
}

/// A response read off a ``RawConnection``: status, headers (lowercased names) and the body its length announces.
struct RawResponse {
    let status: Int
    let headers: [String: String]
    let body: String

    var json: JSON { (try? JSON.parse(body)) ?? .null }

    init?(_ bytes: [UInt8]) {
        guard let end = bytes.indices.dropLast(3).first(where: { bytes[$0] == 13 && bytes[$0 + 1] == 10 && bytes[$0 + 2] == 13 && bytes[$0 + 3] == 10 }) else { return nil }
        let lines = String(decoding: bytes[..<end], as: UTF8.self).components(separatedBy: "\r\n")
        guard let first = lines.first, let code = first.split(separator: " ").dropFirst().first.flatMap({ Int($0) }) else { return nil }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else { continue }
            headers[line[..<colon].lowercased()] = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        }
        let length = headers["content-length"].flatMap { Int($0) } ?? 0
        let body = bytes[(end + 4)...]
        guard body.count >= length else { return nil }
        status = code
        self.headers = headers
        self.body = String(decoding: body.prefix(length), as: UTF8.self)
    }
}
