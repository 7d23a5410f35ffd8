import BoletoJSON
import Foundation
import Hummingbird
import Testing
@testable import ReferenceService

/// The outbound rules (issue 15, finding 1): webhook and queue URLs that point inside the network are refused at
/// creation, and a webhook host that resolves inside the network at delivery is not delivered to.
@Suite("Outbound targets: SSRF")
struct OutboundTargetTests {
    /// Every notation of an address inside the network that the finding delivered to or stored, and more.
    static let insideWebhooks = [
        "http://127.0.0.1:8080/x", "http://[::1]:8080/x", "http://localhost:8080/x", "http://0.0.0.0/x", "http://127.1/x",
        "http://2130706433/x", "http://[::ffff:127.0.0.1]/x", "HTTP://127.0.0.1/x", "http://169.254.169.254/latest/meta-data/",
        "http://metadata.google.internal/", "http://10.0.0.1/",
        "https://127.0.0.1/x", "https://127.1/x", "https://2130706433/x", "https://0x7f000001/x", "https://0x7f.1/x",
        "https://0177.0.0.1/x", "https://017700000001/x", "https://[::1]/x", "https://[::ffff:127.0.0.1]/x",
        "https://[::ffff:7f00:1]/x", "https://[0:0:0:0:0:ffff:7f00:1]/x", "https://[::127.0.0.1]/x", "https://[64:ff9b::a00:1]/x",
        "https://[2002:a00:1::]/x", "https://169.254.169.254/latest/meta-data/", "https://[fd00:ec2::254]/", "https://[fe80::1]/x",
        "https://[fc00::1]/x", "https://[ff02::1]/x", "https://[::]/x", "https://0.0.0.0/x", "https://0/x", "https://10.1.2.3/x",
        "https://172.16.0.1/x", "https://172.31.255.255/x", "https://192.168.0.1/x", "https://100.64.0.1/x", "https://224.0.0.1/x",
        "https://255.255.255.255/x", "https://240.0.0.1/x", "https://192.0.2.1/x", "https://localhost/x", "https://LOCALHOST./x",
        "https://api.localhost/x", "https://metadata.google.internal/computeMetadata/v1/", "https://printer.local/x",
        "https://intranet/x", "https://db.corp.internal/x", "https://1.0.0.127.in-addr.arpa/x",
        "https://user:pass@hooks.example.com/x", "ftp://hooks.example.com/x", "hooks.example.com/x",
    ]

    static let insideQueues = [
        "http://127.0.0.1:9324/123456789012/q", "https://169.254.169.254/123456789012/q", "https://127.0.0.1/123456789012/q",
        "http://sqs.us-east-1.amazonaws.com/123456789012/q", "https://sqs.us-east-1.amazonaws.com.evil.example/123456789012/q",
        "https://evil.example/123456789012/q", "https://sqs.us-east-1.amazonaws.com:8443/123456789012/q",
    ]

    @Test("IP literals in every notation the resolver accepts, and their class")
    func addresses() {
        let cases: [(String, String?, String?)] = [
            ("127.0.0.1", "127.0.0.1", "loopback"), ("127.1", "127.0.0.1", "loopback"), ("2130706433", "127.0.0.1", "loopback"),
            ("0x7f000001", "127.0.0.1", "loopback"), ("0177.0.0.1", "127.0.0.1", "loopback"), ("0x7f.1", "127.0.0.1", "loopback"),
            ("[::1]", "::1", "loopback"), ("::ffff:127.0.0.1", "::ffff:127.0.0.1", "IPv4-mapped"), ("0", "0.0.0.0", "unspecified"),
            ("169.254.169.254", "169.254.169.254", "link-local"), ("fd00::1", "fd00::1", "unique-local"),
            ("64:ff9b::808:808", "64:ff9b::808:808", nil), ("64:ff9b::a00:1", "64:ff9b::a00:1", "NAT64 of a private IPv4 address"),
            ("8.8.8.8", "8.8.8.8", nil), ("2001:4860:4860::8888", "2001:4860:4860::8888", nil), ("100.63.255.255", "100.63.255.255", nil),
            ("172.32.0.1", "172.32.0.1", nil), ("2001:db8::1", "2001:db8::1", "documentation"),
        ]
        for (text, canonical, reason) in cases {
            let address = NetworkAddress(literal: text)
            #expect(address?.description == canonical, "\(text)")
            #expect(address?.nonPublicReason == reason, "\(text)")
        }
        for name in ["hooks.example.com", "localhost", "1.2.3.4.nip.io", "", "[]", "[hooks.example.com]"] {
            #expect(NetworkAddress(literal: name) == nil, "\(name)")
        }
    }

    @Test("the policy: webhooks https on public hosts, queues of SQS; the development setting lifts the network rules only")
    func policy() {
        let safe = OutboundPolicy()
        for url in Self.insideWebhooks { #expect(safe.webhookProblem(url) != nil, "\(url)") }
        for url in ["https://hooks.example.com/boletos", "https://8.8.8.8/x", "https://[2001:4860:4860::8888]:8443/x",
                    "https://Hooks.Example.COM./x", "https://xn--bcher-kva.example/x"] {
            #expect(safe.webhookProblem(url) == nil, "\(url)")
        }
        for url in Self.insideQueues { #expect(safe.queueProblem(url) != nil, "\(url)") }
        for url in ["https://sqs.us-east-1.amazonaws.com/123456789012/boletos", "https://sqs.sa-east-1.amazonaws.com/123456789012/a.fifo",
                    "https://us-east-1.queue.amazonaws.com/123456789012/q", "https://sqs.cn-north-1.amazonaws.com.cn/123456789012/q"] {
            #expect(safe.queueProblem(url) == nil, "\(url)")
        }
        let local = OutboundPolicy(sqsEndpoint: URL(string: "http://127.0.0.1:9324"))
        #expect(local.queueProblem("http://127.0.0.1:9324/123456789012/q") == nil, "the configured endpoint's own queues")
        #expect(local.queueProblem("http://127.0.0.1:9325/123456789012/q") != nil, "another port is another server")
        let development = OutboundPolicy(allowPrivate: true)
        #expect(development.webhookProblem("http://127.0.0.1:8080/x") == nil)
        #expect(development.webhookProblem("http://localhost:8080/x") == nil)
        #expect(development.webhookProblem("ftp://127.0.0.1/x") != nil)
        #expect(development.webhookProblem("http://user@127.0.0.1/x") != nil)
        #expect(development.queueProblem("http://127.0.0.1:9324/123456789012/q") == nil)
        #expect(development.queueProblem("http://127.0.0.1:9324/q") != nil, "the shape still applies")
    }

    @Test("creation: every inside webhook and queue URL is a 400 naming its field; public ones are accepted",
          arguments: ServiceBackend.available)
    func creation(_ backend: ServiceBackend) async throws {
        try await withService(backend, { $0.allowPrivateTargets = false }) { service in
            for url in Self.insideWebhooks {
                let reply = try await service.post("/boletos", Body.boleto([("webhook_url", .string(url))]))
                #expect(reply.status == 400, "\(url): \(reply.text)")
                #expect(reply.json["errors"]?.array?.map { $0["field"]?.string } == ["webhook_url"], "\(url): \(reply.text)")
            }
            for url in Self.insideQueues {
                let reply = try await service.post("/boletos", Body.boleto([("queue_url", .string(url))]))
                #expect(reply.status == 400, "\(url): \(reply.text)")
                #expect(reply.json["errors"]?.array?.map { $0["field"]?.string } == ["queue_url"], "\(url): \(reply.text)")
            }
            let accepted = try await service.post("/boletos", Body.boleto([("webhook_url", .string("https://hooks.example.com/boletos"))]))
            #expect(accepted.status == 201, "\(accepted.text)")
        }
    }

    /// A resolver that answers fixed addresses: the DNS of a host that resolves inside the network (DNS rebinding),
    /// or of a test name that real DNS does not know.
    struct FixedResolver: HostResolver {
        let answers: [String: [String]]
        func addresses(of host: String) async throws -> [NetworkAddress] {
            guard let answer = answers[host] else { throw CancellationError() }
            return answer.compactMap { NetworkAddress(literal: $0) }
        }
    }

    /// The error the boleto's webhook job records after its first failed delivery (waits up to 10 s).
    static func webhookError(_ service: TestService, _ id: String) async throws -> String? {
        for _ in 0..<200 {
            if let error = try await service.service.store.jobs(boletoID: id).first(where: { $0.kind == .webhook })?.lastError {
                return error
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }

    @Test("delivery: a host that resolves inside the network is not delivered to, and the job says why", arguments: ServiceBackend.available)
    func rebinding(_ backend: ServiceBackend) async throws {
        let receiver = try await WebhookReceiver().start()
        defer { Task { await receiver.stop() } }
        let resolver = FixedResolver(answers: ["rebind.example.com": ["93.184.215.14", "127.0.0.1"]])
        try await withService(backend, { $0.allowPrivateTargets = false; $0.hostResolver = resolver }) { service in
            let url = "https://rebind.example.com:\(receiver.port)/hooks/boletos"
            let created = try await service.post("/boletos", Body.boleto([("webhook_url", .string(url))]))
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"]?.string)
            let lastError = try await Self.webhookError(service, id)
            #expect(lastError == "The webhook's host resolves to a loopback address; not delivered.")
            #expect(receiver.deliveries.isEmpty)
        }
    }

    @Test("delivery connects to the address that was checked, naming the host", arguments: ServiceBackend.available)
    func pinned(_ backend: ServiceBackend) async throws {
        let receiver = try await WebhookReceiver().start()
        defer { Task { await receiver.stop() } }
        // `.test` names never resolve in real DNS: a delivery can only reach the receiver through this answer.
        let resolver = FixedResolver(answers: ["hooks.boletokit.test": ["127.0.0.1"]])
        try await withService(backend, { $0.hostResolver = resolver }) { service in
            let url = "http://hooks.boletokit.test:\(receiver.port)/hooks/boletos"
            let created = try await service.post("/boletos", Body.boleto([("webhook_url", .string(url))]))
            #expect(created.status == 201, "\(created.text)")
            let delivered = try await receiver.waitFor(1)
            #expect(delivered.first?.host == "hooks.boletokit.test:\(receiver.port)")
        }
    }

    @Test("delivery never follows a redirect: a 307 is a failed delivery, and the redirect's target gets nothing",
          arguments: ServiceBackend.available)
    func redirects(_ backend: ServiceBackend) async throws {
        let receiver = try await WebhookReceiver().start()
        defer { Task { await receiver.stop() } }
        let router = Router()
        router.post("/hooks/boletos") { _, _ -> Response in
            Response(status: .temporaryRedirect, headers: [.location: receiver.url])
        }
        let (redirector, port) = await startOnLoopback(router)
        defer { redirector.cancel() }
        let resolver = FixedResolver(answers: ["hooks.boletokit.test": ["127.0.0.1"]])
        try await withService(backend, { $0.hostResolver = resolver }) { service in
            // An IP literal goes through the shared client; a host name through a client pinned to its address.
            for url in ["http://127.0.0.1:\(port)/hooks/boletos", "http://hooks.boletokit.test:\(port)/hooks/boletos"] {
                let created = try await service.post("/boletos", Body.boleto([("webhook_url", .string(url))]))
                #expect(created.status == 201, "\(created.text)")
                let id = try #require(created.json["id"]?.string)
                let lastError = try await Self.webhookError(service, id)
                #expect(lastError == "The receiver answered HTTP 307.", "\(url)")
            }
            try await Task.sleep(for: .milliseconds(300))
            #expect(receiver.deliveries.isEmpty)
        }
    }
}
