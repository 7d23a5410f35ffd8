import BoletoJSON
import Foundation
import Testing
@testable import ReferenceService

/// The HTTP edge (issue 15, findings 4, 5 and 7): authentication before the body, body limits while streaming,
/// header, idle and request timeouts, a connection cap, the error format for what the HTTP parser refuses, and 415
/// for bodies that are not JSON. Over raw loopback sockets, since no HTTP client sends these requests.
@Suite("HTTP edge: slow and hostile clients")
struct HTTPEdgeTests {
    static func head(_ method: String, _ path: String, _ headers: [String]) -> String {
        "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\n" + headers.map { $0 + "\r\n" }.joined() + "\r\n"
    }

    /// Sends `request` on a new connection; answers the response and whether the server closed the connection
    /// (waiting for the close only with `untilClosed`).
    static func exchange(_ service: TestService, _ request: String, untilClosed: Bool = false) async throws -> (RawResponse?, closed: Bool) {
        let connection = try await RawConnection.open(port: service.port)
        await connection.send(request)
        let (bytes, closed) = await connection.read(seconds: 5, untilResponse: !untilClosed)
        return (RawResponse(bytes), closed)
    }

    @Test("what the HTTP parser refuses answers 400 in the error format, then closes")
    func parserRejections() async throws {
        try await withService { service in
            let manyHeaders = (0..<10_000).map { "X-H\($0): v" }
            let cases: [(String, String)] = [
                ("10,000 headers", Self.head("GET", "/boletos", manyHeaders)),
                ("a 100 KB header", Self.head("GET", "/boletos", ["X-Big: " + String(repeating: "a", count: 100_000)])),
                ("Content-Length -1", Self.head("POST", "/boletos", ["Content-Length: -1"])),
                ("Content-Length and Transfer-Encoding", Self.head("POST", "/boletos", ["Content-Length: 5", "Transfer-Encoding: chunked"]) + "0\r\n\r\n"),
                ("a malformed request line", "GARBAGE\r\n\r\n"),
            ]
            for (name, request) in cases {
                let (response, closed) = try await Self.exchange(service, request, untilClosed: true)
                #expect(response?.status == 400, "\(name)")
                #expect(response?.headers["content-type"] == "application/json; charset=utf-8", "\(name)")
                #expect(response?.json["errors"]?.array?.first?["type"]?.string == "invalid_request", "\(name): \(response?.body ?? "")")
                #expect(response?.json["errors"]?.array?.first?["message"]?.string?.isEmpty == false, "\(name)")
                #expect(closed, "\(name)")
            }
        }
    }

    @Test("a head that does not finish in time gets 408 and is closed; a silent connection is closed; so is a body that stalls")
    func timeouts() async throws {
        try await withService(.embedded, { settings in
            settings.httpHeaderTimeout = .milliseconds(400)
            // Room for the keep-alive pause below on a loaded machine; the silent connection still closes well within 5 s.
            settings.httpIdleTimeout = .milliseconds(2000)
            settings.httpRequestTimeout = .milliseconds(1000)
        }) { service in
            // Half a request, then nothing: the finding kept such sockets open for 100 s and counting.
            let slow = try await RawConnection.open(port: service.port)
            await slow.send("POST /boletos HTTP/1.1\r\nHost: 127.0.0.1\r\nx-api-key: ")
            let started = Date()
            let (bytes, closed) = await slow.read(seconds: 5)
            let response = RawResponse(bytes)
            #expect(response?.status == 408)
            #expect(response?.json["errors"]?.array?.first?["type"]?.string == "request_timeout")
            #expect(closed)
            #expect(Date().timeIntervalSince(started) < 3)

            let silent = try await RawConnection.open(port: service.port)
            let quiet = await silent.read(seconds: 5)
            #expect(quiet.closed && quiet.bytes.isEmpty, "an idle connection is closed without a response")

            let stalled = try await RawConnection.open(port: service.port)
            await stalled.send(Self.head("POST", "/boletos", ["x-api-key: \(service.apiKey)", "Content-Type: application/json", "Content-Length: 100"]) + "{\"amount\"")
            let stall = await stalled.read(seconds: 5)
            #expect(stall.closed, "a body that stops arriving is cut at the request timeout")

            // A keep-alive connection between requests is only subject to the idle limit, and still works.
            let kept = try await RawConnection.open(port: service.port)
            await kept.send(Self.head("GET", "/_health_check", []))
            #expect(RawResponse(await kept.read(seconds: 10, untilResponse: true).bytes)?.status == 200)
            try await Task.sleep(for: .milliseconds(300))
            await kept.send(Self.head("GET", "/_health_check", []))
            #expect(RawResponse(await kept.read(seconds: 10, untilResponse: true).bytes)?.status == 200)
        }
    }

    @Test("authentication comes before the body: a wrong key with a huge body is refused at once and the body is never read",
          arguments: ServiceBackend.available)
    func authenticationFirst(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            for path in ["/retornos", "/boletos", "/configurations", "/remessas"] {
                let connection = try await RawConnection.open(port: service.port)
                // 30 MiB announced, 1 KiB sent: an answer can only come if the server did not wait for the rest.
                await connection.send(Self.head("POST", path, ["x-api-key: wrong", "Content-Type: application/json",
                                                               "Content-Length: \(30 << 20)"]) + String(repeating: "a", count: 1024))
                let (bytes, closed) = await connection.read(seconds: 5)
                let response = RawResponse(bytes)
                #expect(response?.status == 401, "\(path)")
                #expect(response?.headers["connection"] == "close", "\(path)")
                #expect(closed, "\(path): the unread body is not drained")
            }
        }
    }

    @Test("body limits hold while streaming: a chunked body past the limit is a 413 before it ends")
    func streamingLimit() async throws {
        try await withService(.embedded, { $0.maxBodyBytes = 2048 }) { service in
            let connection = try await RawConnection.open(port: service.port)
            await connection.send(Self.head("POST", "/boletos", ["x-api-key: \(service.apiKey)", "Content-Type: application/json",
                                                                 "Transfer-Encoding: chunked"]))
            await connection.send("1000\r\n" + String(repeating: " ", count: 4096) + "\r\n")
            let (bytes, closed) = await connection.read(seconds: 5)
            #expect(RawResponse(bytes)?.status == 413)
            #expect(RawResponse(bytes)?.json["errors"]?.array?.first?["type"]?.string == "payload_too_large")
            #expect(closed)
        }
    }

    @Test("the connection cap: past it, a connection waits until another closes")
    func connectionCap() async throws {
        try await withService(.embedded, { $0.httpMaxConnections = 4 }) { service in
            var held: [RawConnection] = []
            for _ in 0..<4 {
                let connection = try await RawConnection.open(port: service.port)
                await connection.send(Self.head("GET", "/_health_check", []))
                #expect(RawResponse(await connection.read(seconds: 10, untilResponse: true).bytes)?.status == 200)
                held.append(connection)
            }
            let waiting = try await RawConnection.open(port: service.port)
            await waiting.send(Self.head("GET", "/_health_check", []))
            #expect(await waiting.read(seconds: 0.7, untilResponse: true).bytes.isEmpty, "not served while 4 are open")
            held.removeFirst()
            #expect(RawResponse(await waiting.read(seconds: 10, untilResponse: true).bytes)?.status == 200, "served once one closed")
        }
    }

    @Test("bodies that are not JSON get 415 on every route that takes JSON; JSON in any spelling is read",
          arguments: ServiceBackend.available)
    func mediaTypes(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let created = try await service.post("/boletos", Body.boleto())
            let id = try #require(created.json["id"]?.string)
            let body = Body.boleto().text
            let routes: [(String, String)] = [("POST", "/boletos"), ("PATCH", "/boletos/\(id)"), ("POST", "/boletos/\(id)/cancel"),
                                              ("POST", "/configurations"), ("PATCH", "/configurations/x"), ("POST", "/remessas"),
                                              ("POST", "/retornos")]
            for (method, path) in routes {
                for type in ["text/plain", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", nil,
                             "application/json; charset=iso-8859-1", "application/jsonx"] as [String?] {
                    let headers = ["x-api-key: \(service.apiKey)", "Content-Length: \(body.utf8.count)"] + (type.map { ["Content-Type: \($0)"] } ?? [])
                    let (response, _) = try await Self.exchange(service, Self.head(method, path, headers) + body)
                    #expect(response?.status == 415, "\(method) \(path) \(type ?? "none")")
                    #expect(response?.json["errors"]?.array?.first?["field"]?.string == "Content-Type", "\(method) \(path)")
                }
            }
            for type in ["application/json", "Application/JSON", "application/json; charset=UTF-8", "application/json;charset=\"utf-8\""] {
                let headers = ["x-api-key: \(service.apiKey)", "Content-Length: \(body.utf8.count)", "Content-Type: \(type)"]
                let (response, _) = try await Self.exchange(service, Self.head("POST", "/boletos", headers) + body)
                #expect(response?.status == 201, "\(type): \(response?.body ?? "")")
            }
            // No body, no media type needed.
            let (cancel, _) = try await Self.exchange(service, Self.head("POST", "/boletos/\(id)/cancel", ["x-api-key: \(service.apiKey)", "Content-Length: 0"]))
            #expect(cancel?.status == 200)
        }
    }

    @Test("the rate limit: a token bucket per client, 429 with Retry-After past it, other clients untouched")
    func rateLimit() async throws {
        try await withService(.embedded, { $0.rateLimitPerSecond = 1; $0.rateLimitBurst = 3 }) { service in
            // Eight at once against a burst of 3 and a rate of 1/s: whatever the machine's pace, most are refused.
            let replies = try await withThrowingTaskGroup(of: Reply.self) { group in
                for _ in 0..<8 { group.addTask { try await service.get("/boletos") } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            let served = replies.filter { $0.status == 200 }.count
            #expect((3...6).contains(served), "\(replies.map(\.status))")
            #expect(replies.allSatisfy { $0.status == 200 || $0.status == 429 })
            let limited = try #require(replies.first { $0.status == 429 })
            #expect(limited.errorTypes == ["rate_limited"])
            let wait = try #require(limited.header("Retry-After").flatMap { Int($0) })
            #expect((1...2).contains(wait))
            let other = try await service.newClient("other")
            #expect(try await service.get("/boletos", key: other.key).status == 200, "each client has its own bucket")
            #expect(try await service.get("/_health_check").status == 200, "open routes are not limited")
            try await Task.sleep(for: .seconds(Double(wait)))
            #expect(try await service.get("/boletos").status == 200, "the bucket refills at the rate")
        }
    }

    @Test("the token bucket: burst, refill at the rate, the wait it announces")
    func bucket() {
        let limiter = RateLimiter(rate: 4, burst: 2)
        let start = ContinuousClock.now
        #expect(limiter.take("a", now: start) == nil)
        #expect(limiter.take("a", now: start) == nil)
        #expect(limiter.take("a", now: start) == 1, "empty: a token in 0.25 s, announced as 1 s")
        #expect(limiter.take("b", now: start) == nil)
        #expect(limiter.take("a", now: start + .milliseconds(260)) == nil, "one token back after a quarter second")
        #expect(limiter.take("a", now: start + .milliseconds(270)) != nil)
        #expect(limiter.take("a", now: start + .seconds(10)) == nil, "refilled, never past the burst")
        #expect(limiter.take("a", now: start + .seconds(10)) == nil)
        #expect(limiter.take("a", now: start + .seconds(10)) != nil)
    }
}
