import BoletoJSON
import Foundation
import Testing
@testable import ReferenceService

/// The `boleto` executable's service commands, run as a user runs them (a child process beside this test binary).
@Suite("boleto serve, migrate and apikey create")
struct CommandLineTests {
    /// The `boleto` binary that `swift build` put beside the test bundle.
    static var binary: URL? {
        var directory = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        for _ in 0..<3 {
            let candidate = directory.appendingPathComponent("boleto")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            directory.deleteLastPathComponent()
        }
        return nil
    }

    struct MissingBinary: Error, CustomStringConvertible {
        var description: String { "the boleto executable is not beside the test bundle: build it first (swift build)" }
    }

    static func requireBinary() throws -> URL {
        guard let binary else { throw MissingBinary() }
        return binary
    }

    /// Runs the binary to completion with `environment`; answers its standard output (a failure throws).
    static func runOnce(_ arguments: [String], environment: [String: String]) throws -> String {
        let process = Process()
        process.executableURL = try requireBinary()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw Failed(arguments: arguments, status: process.terminationStatus) }
        return output
    }

    struct Failed: Error, CustomStringConvertible {
        let arguments: [String]
        let status: Int32
        var description: String { "boleto \(arguments.joined(separator: " ")) exited with \(status)" }
    }

    private func run(_ arguments: [String], dataDirectory: String, environment: [String: String] = [:]) throws -> (Int32, String, String) {
        let process = Process()
        process.executableURL = try Self.requireBinary()
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(["BOLETO_DATA_DIR": dataDirectory]) { $1 }
            .merging(environment) { $1 }
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output, errors)
    }

    private func temporaryDirectory() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("boleto-cli-\(UUID().uuidString)").path
    }

    @Test("apikey create works on a fresh data directory and prints the key alone on the last line")
    func apiKeyCreate() throws {
        let directory = temporaryDirectory()
        let (status, output, _) = try run(["apikey", "create", "acme"], dataDirectory: directory)
        #expect(status == 0)
        let key = try #require(output.split(separator: "\n").last.map(String.init))
        #expect(key.range(of: #"^bk_[0-9a-f]{16}_[0-9A-Za-z]{40}$"#, options: .regularExpression) != nil)
        #expect(output.contains("whsec_"))
        let (migrated, migrateOutput, _) = try run(["migrate"], dataDirectory: directory)
        #expect(migrated == 0)
        #expect(migrateOutput.contains("up to date"))
        let (fresh, freshOutput, _) = try run(["migrate"], dataDirectory: temporaryDirectory())
        #expect(fresh == 0)
        #expect(freshOutput.contains("Applied migrations: 1"))
        let (bad, _, badErrors) = try run(["apikey", "create", ""], dataDirectory: directory)
        #expect(bad != 0)
        #expect(badErrors.contains("NAME"))
        let (badEnv, _, envErrors) = try run(["serve"], dataDirectory: directory, environment: ["BOLETO_PORT": "http"])
        #expect(badEnv != 0)
        #expect(envErrors.contains("BOLETO_PORT"))
    }

    @Test("dead-letters: bad arguments exit 64 with the rule broken; a requeue of nothing says so", arguments: [
        (["dead-letters", "requeue"], "Give either --boleto ID or --all."),
        (["dead-letters", "requeue", "--all", "--boleto", "bol_x"], "Give either --boleto ID or --all."),
        (["dead-letters", "list", "--limit", "0"], "--limit must be 1 to 10000."),
    ])
    func deadLetterArguments(_ arguments: [String], _ message: String) throws {
        let directory = temporaryDirectory()
        let (status, _, errors) = try run(arguments, dataDirectory: directory)
        #expect(status == 64)
        #expect(errors.contains(message))
        let (requeued, output, _) = try run(["dead-letters", "requeue", "--boleto", "bol_none"], dataDirectory: directory)
        #expect(requeued == 0)
        #expect(output == "Requeued 0 jobs.\n")
    }

    @Test("serve prints its URL and first key, serves with that key, and exits 0 on SIGTERM")
    func serve() async throws {
        let directory = temporaryDirectory()
        let process = Process()
        process.executableURL = try Self.requireBinary()
        process.arguments = ["serve", "--port", "0"]
        process.environment = ProcessInfo.processInfo.environment.merging(["BOLETO_DATA_DIR": directory]) { $1 }
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        var text = ""
        let deadline = Date().addingTimeInterval(30)
        while text.split(separator: "\n").count < 3 && Date() < deadline {
            let chunk = out.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            text += String(decoding: chunk, as: UTF8.self)
        }
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count >= 3)
        let url = try #require(lines.first?.components(separatedBy: "listening on ").last)
        #expect(url.hasPrefix("http://127.0.0.1:"))
        let key = try #require(lines.dropFirst(2).first)
        let port = try #require(Int(url.split(separator: ":").last ?? ""))
        let client = TestServiceClient(port: port, key: key)
        #expect(try await client.get("/boletos").status == 200)
        #expect(try await client.get("/boletos", key: "nope").status == 401)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(process.terminationReason == .exit)
    }
}
