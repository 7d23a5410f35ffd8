import BoletoKit
import Foundation
import Testing
@testable import ReferenceService

@Suite("Service building blocks")
struct UnitTests {
    @Test("expiration dates: every accepted form maps to its São Paulo calendar date")
    func dateForms() {
        let cases: [(String, String?)] = [
            ("2026-12-20", "2026-12-20"),
            ("2026-12-20T22:30:00-03:00", "2026-12-20"),
            ("2026-12-21T01:30:00Z", "2026-12-20"),
            ("2026-12-21T03:00:00Z", "2026-12-21"),
            ("2026-12-20T23:59:59.999", "2026-12-20"),
            ("2026-12-20T12:00+0100", "2026-12-20"),
            ("Tue Apr 18 2017 18:46:59 GMT-0300 (-03)", "2017-04-18"),
            ("Tue Apr 18 2017 23:46:59 GMT+0000", "2017-04-18"),
            ("Wed Apr 19 2017 01:00:00 GMT+0000 (Coordinated Universal Time)", "2017-04-18"),
            ("2017-04-03T00:00:00Z", "2017-04-02"),
            ("2026-02-30", nil), ("2026-12-20T25:00:00Z", nil), ("20/12/2026", nil), ("", nil),
            ("Tue Foo 18 2017 18:46:59 GMT-0300", nil),
        ]
        for (text, expected) in cases {
            #expect(DateInput.calendarDate(text)?.description == expected, "\(text)")
        }
    }

    @Test("the client cache reads a client once per TTL, never caches an unknown id, and stays within its capacity")
    func clientCache() async throws {
        final class Reads: @unchecked Sendable {
            private let lock = NSLock()
            private var count = 0
            func add() { lock.withLock { count += 1 } }
            var value: Int { lock.withLock { count } }
        }
        let reads = Reads()
        let client = ClientRecord(id: "cli_1", name: "a", keyHash: "h", webhookSecret: "s", createdAt: "t")
        let cache = ClientCache(ttl: .milliseconds(200), capacity: 2)
        let load: () async throws -> ClientRecord? = { reads.add(); return client }
        #expect(try await cache.client(id: "cli_1", load: load) == client)
        #expect(try await cache.client(id: "cli_1", load: load) == client)
        #expect(reads.value == 1)
        try await Task.sleep(for: .milliseconds(250))
        _ = try await cache.client(id: "cli_1", load: load)
        #expect(reads.value == 2)
        let missing: () async throws -> ClientRecord? = { reads.add(); return nil }
        #expect(try await cache.client(id: "cli_x", load: missing) == nil)
        #expect(try await cache.client(id: "cli_x", load: missing) == nil)
        #expect(reads.value == 4)
        // Full: a third live client is read but not kept.
        _ = try await cache.client(id: "cli_2", load: load)
        _ = try await cache.client(id: "cli_3", load: load)
        _ = try await cache.client(id: "cli_3", load: load)
        #expect(reads.value == 7)
    }

    @Test("queue URLs: SQS shapes only")
    func queueURLs() {
        for good in ["https://sqs.us-east-1.amazonaws.com/123456789012/boletos",
                     "https://sqs.sa-east-1.amazonaws.com/123456789012/boletos-status.fifo",
                     "http://127.0.0.1:9324/123456789012/test_queue"] {
            #expect(FieldRules.isQueueURL(good), "\(good)")
        }
        for bad in ["sqs://test", "https://sqs.us-east-1.amazonaws.com/boletos", "https://sqs.us-east-1.amazonaws.com/12345678901/x",
                    "https://sqs.us-east-1.amazonaws.com/123456789012/", "https://sqs.us-east-1.amazonaws.com/123456789012/a b",
                    "https://sqs.us-east-1.amazonaws.com/123456789012/x?y=1", "ftp://h/123456789012/x",
                    "https://sqs.us-east-1.amazonaws.com/123456789012/" + String(repeating: "q", count: 81)] {
            #expect(!FieldRules.isQueueURL(bad), "\(bad)")
        }
    }

    @Test("backoff doubles per attempt within its jitter and never passes the cap")
    func backoff() {
        let backoff = Backoff(base: .milliseconds(100), max: .milliseconds(1000))
        for attempt in 1...20 {
            let ceiling = min(1000.0, 100.0 * pow(2.0, Double(attempt - 1)))
            for _ in 0..<50 {
                let delay = Double(backoff.delay(afterAttempt: attempt).milliseconds)
                #expect(delay >= ceiling / 2 - 1 && delay <= ceiling + 1, "attempt \(attempt): \(delay)")
            }
        }
    }

    @Test("status transitions follow the documented machine")
    func transitions() {
        #expect(BoletoStatus.issued.canMove(to: .pendingRegistration))
        #expect(BoletoStatus.pendingRegistration.canMove(to: .registered))
        #expect(!BoletoStatus.pendingRegistration.canMove(to: .canceled))
        #expect(BoletoStatus.registered.canMove(to: .paid))
        #expect(!BoletoStatus.refused.canMove(to: .registered))
        #expect(!BoletoStatus.canceled.canMove(to: .registered))
        #expect(!BoletoStatus.paid.canMove(to: .canceled))
        #expect(BoletoStatus.allCases.filter(\.awaitsRegistration) == [.issued, .pendingRegistration])
    }

    @Test("settings: documented defaults, and a bad variable is an error that names it")
    func settings() throws {
        let defaults = try ServiceSettings.fromEnvironment([:])
        #expect(defaults.port == 3000 && defaults.host == "127.0.0.1" && defaults.dataDirectory == "./.boleto")
        #expect(defaults.registerDeadline == .milliseconds(2000))
        let custom = try ServiceSettings.fromEnvironment(["BOLETO_PORT": "8081", "BOLETO_WORKER": "false", "BOLETO_REGISTER_DEADLINE_MS": "500"])
        #expect(custom.port == 8081 && !custom.runWorker && custom.registerDeadline == .milliseconds(500))
        for (name, value) in [("BOLETO_PORT", "http"), ("BOLETO_PORT", "70000"), ("BOLETO_WORKER", "maybe"),
                              ("BOLETO_SANDBOX_BANK", "999"), ("BOLETO_JOB_LEASE_MS", "5000"), ("BOLETO_LOG_LEVEL", "loud"), ("BOLETO_STAGE", "a b")] {
            #expect(throws: ServiceSettings.InvalidSetting.self, "\(name)") {
                try ServiceSettings.fromEnvironment([name: value])
            }
            do { _ = try ServiceSettings.fromEnvironment([name: value]) } catch let error as ServiceSettings.InvalidSetting {
                #expect(error.variable == name)
            } catch {}
        }
    }

    @Test("timestamps are fixed-width UTC with milliseconds, so their text sorts in time order")
    func timestamps() {
        #expect(Timestamp.format(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(Timestamp.format(Date(timeIntervalSince1970: 1_764_617_100.5)) == "2025-12-01T19:25:00.500Z")
        let a = Timestamp.format(Date(timeIntervalSince1970: 1_700_000_000.001))
        let b = Timestamp.format(Date(timeIntervalSince1970: 1_700_000_000.010))
        #expect(a < b)
    }

    @Test("stored timestamps read back to the millisecond, by the service's own reader and by Foundation's alike")
    func timestampsParse() throws {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let milliseconds = Int64.random(in: -2_000_000_000_000...4_000_000_000_000, using: &generator)
            let text = Timestamp.format(Date(timeIntervalSince1970: Double(milliseconds) / 1000))
            let parsed = try #require(Timestamp.parse(text))
            #expect(Timestamp.format(parsed) == text)
            #expect(formatter.date(from: text).map(Timestamp.format) == text)
        }
        // Other ISO-8601 forms still read (through Foundation). Text of the service's shape with a field out of range
        // is not a time.
        #expect(Timestamp.parse("2026-12-01T16:25:00.250-03:00").map(Timestamp.format) == "2026-12-01T19:25:00.250Z")
        for bad in ["", "yesterday", "2026-13-01T00:00:00.000Z", "2026-02-30T00:00:00.000Z", "2026-12-01T24:00:00.000Z",
                    "2026-12-01T00:00:00.0a0Z"] {
            #expect(Timestamp.parse(bad) == nil, "\(bad)")
        }
    }

    @Test("identifiers: 25 characters of the 36-letter alphabet, each about equally likely; hex of a hash")
    func identifiers() {
        var counts: [Character: Int] = [:]
        var seen = Set<String>()
        for _ in 0..<4000 {
            let id = Identifiers.make("bol")
            #expect(id.hasPrefix("bol_") && id.count == 29)
            seen.insert(id)
            for character in id.dropFirst(4) { counts[character, default: 0] += 1 }
        }
        #expect(seen.count == 4000)
        #expect(Set(counts.keys) == Set("0123456789abcdefghijklmnopqrstuvwxyz"))
        // 100 000 draws over 36 characters: about 2778 each; a byte taken modulo 36 without rejection would give
        // the first four characters 8/7 of the others' share (about 3170).
        #expect(counts.values.allSatisfy { (2500...3050).contains($0) }, "\(counts)")
        #expect(Identifiers.sha256("abc") == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
        #expect(Identifiers.secret(40).count == 40 && Identifiers.hex(16).count == 16)
    }
}
