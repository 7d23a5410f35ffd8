import AsyncHTTPClient
import BoletoJSON
import BoletoKit
import Foundation
import NIOCore
import Testing
@testable import ReferenceService

/// The payer's page over real HTTP on both backends: reached by the boleto's token without a key, showing the boleto
/// and nothing of the client, gone once canceled, rate-limited per address.
@Suite("The payer's page")
struct PayerPageTests {
    /// A boleto híbrido through a PIX configuration; answers its resource.
    static func hybrid(_ service: TestService) async throws -> JSON {
        let configured = try await RenderingServiceTests.configure(service, pix: .object([
            ("key", .string("11222333000181")), ("name", .string("Loja Exemplo Ltda")), ("city", .string("São Paulo")),
        ]))
        #expect(configured.status == 201, "\(configured.text)")
        let created = try await service.post("/boletos", Body.boleto([
            ("external_id", .string("loja-pix")), ("issuer", .null), ("issuer_account", .null), ("issuer_agency", .null),
            ("issuer_wallet", .null), ("amount", .int(123_456)), ("webhook_url", .string("https://hooks.example.com/secret-path")),
        ]))
        #expect(created.status == 201, "\(created.text)")
        return created.json
    }

    @Test("boleto_url is the page; without a key it shows the boleto, the copy buttons and the PDF, and nothing of the client",
          arguments: ServiceBackend.available)
    func page(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let boleto = try await Self.hybrid(service)
            let token = try #require(boleto["token"]?.string), id = try #require(boleto["id"]?.string)
            #expect(boleto["boleto_url"]?.string == "/pay/" + token)
            let page = try await service.request(.GET, "/pay/\(token)", key: "")
            #expect(page.status == 200)
            #expect(page.header("Content-Type") == "text/html; charset=utf-8" && page.header("Cache-Control") == "no-store")
            let policy = try #require(page.header("Content-Security-Policy"))
            #expect(policy.contains("default-src 'none'") && policy.contains("script-src 'sha256-") && !policy.contains("script-src 'unsafe-inline'"))
            #expect(page.header("Referrer-Policy") == "no-referrer" && page.header("X-Robots-Tag")?.contains("noindex") == true)
            let digits = try #require(boleto["digitable_line"]?.string).filter(\.isNumber)
            let payload = try #require(boleto["pix_qr_code"]?.string)
            #expect(page.text.contains("<code id=\"line\">\(digits)</code>") && page.text.contains("<code id=\"pix\">\(payload)</code>"))
            #expect(page.text.contains("Copiar código Pix") && page.text.contains("href=\"/pay/\(token)/pdf\""))
            for secret in [id, "order-42", "secret-path", service.client.id, "loja-pix"] {
                #expect(!page.text.contains(secret), "the page shows \(secret)")
            }
            let pdf = try await service.request(.GET, "/pay/\(token)/pdf", key: "")
            #expect(pdf.status == 200 && pdf.header("Content-Type") == "application/pdf" && pdf.text.hasPrefix("%PDF-"))

            // Paid: the page says so.
            #expect(try await service.request(.PATCH, "/boletos/\(id)", json: #"{"paid_amount":123456}"#).json["status"]?.string == "paid")
            #expect(try await service.request(.GET, "/pay/\(token)", key: "").text.contains("Este boleto já foi pago."))

            // Unknown, or guessed from the id: 404; the API's own routes still need a key.
            #expect(try await service.request(.GET, "/pay/\(id)", key: "").status == 404)
            #expect(try await service.request(.GET, "/pay/sandbox_nope", key: "").status == 404)
            #expect(try await service.request(.GET, "/boletos/\(id)", key: "").status == 401)
        }
    }

    @Test("a canceled boleto's page is gone and its boleto_url null; BOLETO_PUBLIC_URL makes the link absolute", arguments: ServiceBackend.available)
    func revoked(_ backend: ServiceBackend) async throws {
        try await withService(backend, { $0.publicURL = "https://boletos.example.com" }) { service in
            let created = try await service.post("/boletos", Body.boleto([("register", .bool(false))]))
            let token = try #require(created.json["token"]?.string), id = try #require(created.json["id"]?.string)
            #expect(created.json["boleto_url"]?.string == "https://boletos.example.com/pay/" + token)
            #expect(try await service.request(.GET, "/pay/\(token)", key: "").status == 200)
            let canceled = try await service.post("/boletos/\(id)/cancel", .object([]))
            #expect(canceled.json["status"]?.string == "canceled" && canceled.json["boleto_url"] == .null, "\(canceled.text)")
            let gone = try await service.request(.GET, "/pay/\(token)", key: "")
            #expect(gone.status == 410 && gone.text.contains("cancelado"))
            #expect(try await service.request(.GET, "/pay/\(token)/pdf", key: "").status == 410)
        }
    }

    @Test("each address gets BOLETO_PAYER_PAGE_PER_MINUTE requests, then 429 with Retry-After")
    func rateLimited() async throws {
        try await withService(.embedded, { $0.payerPagePerMinute = 3 }) { service in
            let created = try await service.post("/boletos", Body.boleto())
            let token = try #require(created.json["token"]?.string)
            var statuses: [Int] = []
            for _ in 0..<5 { statuses.append(try await service.request(.GET, "/pay/\(token)", key: "").status) }
            #expect(statuses.prefix(3).allSatisfy { $0 == 200 } && statuses.last == 429, "\(statuses)")
            let limited = try await service.request(.GET, "/pay/\(token)/pdf", key: "")
            #expect(limited.status == 429 && Int(limited.header("Retry-After") ?? "") ?? 0 >= 1)
            // The API itself is not limited by it.
            #expect(try await service.get("/boletos").status == 200)
        }
    }

    @Test("BOLETO_PUBLIC_URL and BOLETO_PAYER_PAGE_PER_MINUTE are checked, naming the variable")
    func settings() throws {
        let set = try ServiceSettings.fromEnvironment(["BOLETO_PUBLIC_URL": "https://pay.example.com/", "BOLETO_PAYER_PAGE_PER_MINUTE": "0"])
        #expect(set.publicURL == "https://pay.example.com" && set.payerPagePerMinute == 0)
        for (variable, value) in [("BOLETO_PUBLIC_URL", "pay.example.com"), ("BOLETO_PUBLIC_URL", "ftp://x.example"),
                                  ("BOLETO_PAYER_PAGE_PER_MINUTE", "-1")] {
            #expect(throws: ServiceSettings.InvalidSetting.self, "\(variable)=\(value)") { try ServiceSettings.fromEnvironment([variable: value]) }
        }
    }
}

/// The payer's page as a browser shows it: headless Chromium renders the page the service serves, zbarimg reads the
/// ITF and the QR from the screenshot, and the PIX button puts the BR Code on the clipboard. Heavy: it runs with the
/// other scans, after the rest of the suite (`scripts/test.sh`).
@Suite("The payer's page in Chromium", .serialized)
struct PayerPageRenderScanTests {
    @Test("zbarimg reads both codes from Chromium's screenshot; the PIX button copies the BR Code")
    func chromium() async throws {
        guard let chromium = RenderingServiceTests.tool("chromium"), let zbarimg = RenderingServiceTests.tool("zbarimg") else {
            if StoreBackend.isCI { Issue.record("chromium and zbarimg are missing: scripts/test.sh installs them") }
            return
        }
        try await withService(.embedded) { service in
            let boleto = try await PayerPageTests.hybrid(service)
            let token = try #require(boleto["token"]?.string)
            let payload = try #require(boleto["pix_qr_code"]?.string)
            let html = try await service.request(.GET, "/pay/\(token)", key: "").text
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("payer-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: directory) }
            let common = ["--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--user-data-dir=" + directory + "/profile"]
            try Data(html.utf8).write(to: URL(fileURLWithPath: directory + "/page.html"))
            _ = try RenderingServiceTests.run(chromium, common + ["--force-device-scale-factor=3", "--window-size=800,1500",
                                                                 "--screenshot=" + directory + "/shot.png", "file://" + directory + "/page.html"])
            let read = try RenderingServiceTests.run(zbarimg, ["-q", directory + "/shot.png"])
            #expect(read.contains("I2/5:" + (boleto["barcode"]?.string ?? "?")), "\(read)")
            #expect(read.contains("QR-Code:" + payload), "\(read)")
            // docs/payer-page.png is made this way: BOLETO_PAYER_PAGE_SCREENSHOT=docs/payer-page.png.
            if let keep = ProcessInfo.processInfo.environment["BOLETO_PAYER_PAGE_SCREENSHOT"] {
                _ = try RenderingServiceTests.run(chromium, common + ["--force-device-scale-factor=1", "--window-size=820,1250",
                                                                     "--screenshot=" + keep, "file://" + directory + "/page.html"])
            }

            // The page's own button, clicked, with the clipboard recorded into the page (Chromium gives a headless
            // page no clipboard): the text it writes is the BR Code.
            let probe = """
                <script>
                navigator.clipboard.writeText = function (text) { document.body.dataset.copied = text; return Promise.resolve(); };
                document.getElementById("copy-pix").click();
                </script>
                """
            try Data(html.replacingOccurrences(of: "</body>", with: probe + "</body>").utf8).write(to: URL(fileURLWithPath: directory + "/probe.html"))
            let dom = try RenderingServiceTests.run(chromium, common + ["--dump-dom", "--virtual-time-budget=2000", "file://" + directory + "/probe.html"])
            #expect(dom.contains("data-copied=\"\(payload)\""), "\(dom.suffix(400))")
            #expect(dom.contains("Copiado!"))
        }
    }
}
