import BoletoCLI
import Testing

/// Which command lines run Swift Concurrency on NIO's event loops (measured in docs/performance.md).
@Suite("Executor choice")
struct ExecutorChoiceTests {
    @Test("serve and worker on Postgres take over the executor; SQLite, other commands and an empty URL do not")
    func choice() {
        let postgres = ["BOLETO_DATABASE_URL": "postgres://u@127.0.0.1:5432/db"]
        #expect(BoletoMain.runsOnEventLoops(arguments: ["boleto", "serve"], environment: postgres))
        #expect(BoletoMain.runsOnEventLoops(arguments: ["boleto", "worker"], environment: postgres))
        #expect(!BoletoMain.runsOnEventLoops(arguments: ["boleto", "serve"], environment: [:]))
        #expect(!BoletoMain.runsOnEventLoops(arguments: ["boleto", "serve"], environment: ["BOLETO_DATABASE_URL": ""]))
        #expect(!BoletoMain.runsOnEventLoops(arguments: ["boleto", "migrate"], environment: postgres))
        #expect(!BoletoMain.runsOnEventLoops(arguments: ["boleto", "barcode", "serve"], environment: postgres))
        #expect(!BoletoMain.runsOnEventLoops(arguments: ["boleto"], environment: postgres))
    }
}
