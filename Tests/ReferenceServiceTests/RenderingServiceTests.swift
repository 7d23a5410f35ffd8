import AsyncHTTPClient
import BoletoJSON
import BoletoKit
import Foundation
import Testing
@testable import ReferenceService

/// `GET /boletos/:id/html` and `/pdf`, and the boleto híbrido: a configuration with a PIX receiver gives each boleto
/// a BR Code (`pix_qr_code`) that the printed boleto carries as a QR. The PDF served is read back by zbarimg.
@Suite("The printable boleto and the boleto híbrido in the service")
struct RenderingServiceTests {
    static func configure(_ service: TestService, pix: JSON) async throws -> Reply {
        try await service.post("/configurations", .object([
            ("external_id", .string("loja-pix")), ("issuer", .string("sandbox")), ("issuer_account", .string("9721")),
            ("issuer_agency", .string("3381")), ("issuer_wallet", .string("26")),
            ("beneficiary_name", .string("Loja Exemplo Ltda")), ("beneficiary_document_number", .string("11.222.333/0001-81")),
            ("pix", pix),
        ]))
    }

    static func tool(_ name: String) -> String? {
        ["/usr/bin/", "/usr/local/bin/"].map { $0 + name }.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static func run(_ tool: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }

    @Test("a PIX configuration makes boletos híbridos; html and pdf carry the line, the barcode and the QR",
          arguments: ServiceBackend.available)
    func hybrid(_ backend: ServiceBackend) async throws {
        try await withService(backend) { service in
            let configured = try await Self.configure(service, pix: .object([
                ("key", .string("11222333000181")), ("name", .string("Loja Exemplo Ltda")), ("city", .string("São Paulo")),
            ]))
            #expect(configured.status == 201, "\(configured.text)")
            #expect(configured.json["pix"]?["city"]?.string == "São Paulo")
            let created = try await service.post("/boletos", Body.boleto([
                ("external_id", .string("loja-pix")), ("issuer", .null), ("issuer_account", .null), ("issuer_agency", .null),
                ("issuer_wallet", .null), ("amount", .int(123_456)),
            ]))
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"]?.string)
            let payload = try #require(created.json["pix_qr_code"]?.string)
            let code = try PixBRCode.parse(payload)
            #expect(code.key == "11222333000181")
            #expect(code.amountCents == 123_456)
            #expect(code.city == "Sao Paulo")
            #expect(code.txid == String(id.dropFirst(4)))
            #expect(created.json["beneficiary_name"]?.string == "Loja Exemplo Ltda")

            let html = try await service.get("/boletos/\(id)/html")
            #expect(html.status == 200)
            #expect(html.headers.first(name: "Content-Type")?.hasPrefix("text/html") == true)
            #expect(html.text.contains(try #require(created.json["digitable_line"]?.string)))
            #expect(html.text.contains(payload))
            #expect(html.text.contains("Loja Exemplo Ltda"))

            let pdf = try await service.get("/boletos/\(id)/pdf")
            #expect(pdf.status == 200)
            #expect(pdf.headers.first(name: "Content-Type") == "application/pdf")
            #expect(pdf.text.hasPrefix("%PDF-"))

            guard let pdftoppm = Self.tool("pdftoppm"), let zbarimg = Self.tool("zbarimg") else {
                if StoreBackend.isCI { Issue.record("pdftoppm and zbarimg are missing: scripts/test.sh installs them") }
                return
            }
            // The body as bytes, fetched again: the reply's text view is not byte-exact for binary content.
            let directory = FileManager.default.temporaryDirectory.appendingPathComponent("boleto-pdf-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(at: directory) }
            var request = HTTPClientRequest(url: service.baseURL + "/boletos/\(id)/pdf")
            request.headers.add(name: "x-api-key", value: service.apiKey)
            let response = try await TestService.http.execute(request, timeout: .seconds(30))
            let buffer = try await response.body.collect(upTo: 4 * 1024 * 1024)
            try Data(buffer.readableBytesView).write(to: directory.appendingPathComponent("boleto.pdf"))
            _ = try Self.run(pdftoppm, ["-r", "200", "-png", directory.appendingPathComponent("boleto.pdf").path,
                                        directory.appendingPathComponent("page").path])
            let read = try Self.run(zbarimg, ["-q", directory.appendingPathComponent("page-1.png").path])
            #expect(read.contains("I2/5:" + (created.json["barcode"]?.string ?? "?")), "\(read)")
            #expect(read.contains("QR-Code:" + payload), "\(read)")
        }
    }

    @Test("bad PIX settings get a 400 naming the field; a boleto without PIX renders without a QR; others' boletos are 404")
    func errors() async throws {
        try await withService { service in
            func field(_ reply: Reply) -> String? { reply.json["errors"]?.array?.first?["field"]?.string }
            let cases: [(JSON, String)] = [
                (.object([("key", .string("k")), ("name", .string(String(repeating: "N", count: 26))), ("city", .string("Recife"))]), "pix.name"),
                (.object([("key", .string("k")), ("name", .string("Loja")), ("city", .string(String(repeating: "C", count: 16)))]), "pix.city"),
                (.object([("name", .string("Loja")), ("city", .string("Recife"))]), "pix.key"),
                (.object([("key", .string("k")), ("url", .string("x.example/qr")), ("name", .string("Loja")), ("city", .string("Recife"))]), "pix.key"),
                (.object([("url", .string("http://x.example/qr")), ("name", .string("Loja")), ("city", .string("Recife"))]), "pix.url"),
                (.string("key"), "pix"),
            ]
            for (pix, expected) in cases {
                let reply = try await Self.configure(service, pix: pix)
                #expect(reply.status == 400, "\(reply.text)")
                #expect(field(reply) == expected, "\(reply.text)")
            }
            let plain = try await service.post("/boletos", Body.boleto())
            let id = try #require(plain.json["id"]?.string)
            #expect(plain.json["pix_qr_code"] == .null)
            let html = try await service.get("/boletos/\(id)/html")
            #expect(html.status == 200)
            #expect(!html.text.contains("Pague com PIX"))
            let other = try await service.newClient("other")
            #expect(try await service.get("/boletos/\(id)/pdf", key: other.key).status == 404)
            #expect(try await service.get("/boletos/bol_missing/html").status == 404)
        }
    }
}
