import Foundation
import Testing

@Suite("Database options at the command line: a value out of range is told as itself, before any database is opened")
struct DatabaseOptionsTests {
    @Test("a pool or durability option out of range names the option and its range, for serve and for another command, with SQLite named as the database")
    func outOfRange() throws {
        let linli = try LinliBinary()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("linli-options-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("linli.sqlite").path
        let cases: [(arguments: [String], told: String)] = [
            (["--postgres-statement-timeout", "0"], "--postgres-statement-timeout must be between 1 and 3600 seconds"),
            (["--postgres-connections", "1"], "--postgres-connections must be between 2 and 500"),
            (["--postgres-connections", "4", "--postgres-batch-transactions", "4"], "--postgres-batch-transactions must be between 1 and 3"),
            (["--postgres-connection-wait", "61"], "--postgres-connection-wait must be between 1 and 60 seconds"),
            (["--durability", "sometimes"], "--durability must be full or normal, not 'sometimes'"),
        ]
        for command in [["serve", "--port", "1"], ["verify"]] {
            for (arguments, told) in cases {
                let run = try linli.run(command + ["--database", database] + arguments, input: Data())
                #expect(run.status != 0, "\(command + arguments)")
                #expect(run.errors.contains(told), "\(command + arguments): \(run.errors)")
                #expect(!run.errors.contains("cannot open the database"), "\(command + arguments): \(run.errors)")
            }
        }
        // Nothing was opened, so nothing was made.
        #expect(!FileManager.default.fileExists(atPath: database))
    }
}
