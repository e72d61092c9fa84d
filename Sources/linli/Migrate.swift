import ArgumentParser
import LinliStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date (serve does this too).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let store = try await database.open(logger: commandLogger(), migrate: false)
        let before = try await store.schemaVersion() ?? 0
        try await store.migrate()
        let after = try await store.schemaVersion() ?? 0
        print(before == after ? "schema is up to date (version \(after))" : "migrated schema from version \(before) to \(after)")
        await store.close()
    }
}
