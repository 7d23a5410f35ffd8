import BoletoJSON
import Foundation
import Testing
@testable import ReferenceService

/// Issue 15, finding 8: the README's example used a webhook on a host it can never reach, so the walkthrough left
/// a worker retrying it. The example's body, read from the README itself, must be accepted on the default settings
/// and give the worker nothing to send anywhere.
@Suite("README example")
struct ReadmeExampleTests {
    static func body() throws -> String {
        let readme = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("README.md"), encoding: .utf8)
        let start = try #require(readme.range(of: "-d '{"))
        let end = try #require(readme.range(of: "}'", range: start.upperBound..<readme.endIndex))
        return "{" + readme[start.upperBound..<end.lowerBound] + "}"
    }

    @Test("the README's create request is accepted with safe outbound settings and leaves no webhook to deliver",
          arguments: ServiceBackend.available)
    func example(_ backend: ServiceBackend) async throws {
        let text = try Self.body().replacingOccurrences(of: #"'"$DUE"'"#, with: Body.date(10))
        let json = try JSON.parse(text)
        #expect(json["webhook_url"] == nil, "the example names no webhook")
        try await withService(backend, { $0.allowPrivateTargets = false }) { service in
            let created = try await service.request(.POST, "/boletos", json: text)
            #expect(created.status == 201, "\(created.text)")
            let id = try #require(created.json["id"]?.string)
            #expect(created.json["status"]?.string == "registered")
            let jobs = try await service.service.store.jobs(boletoID: id)
            #expect(!jobs.contains { $0.kind == .webhook }, "\(jobs)")
        }
    }
}
