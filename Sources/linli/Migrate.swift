import ArgumentParser
import LinliStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date (serve does this too).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let (before, after) = try await database.withStore(migrate: false) { store in
            let before = try await store.schemaVersion() ?? 0
            try await store.migrate()
            return (before, try await store.schemaVersion() ?? 0)
        }
        print(before == after ? "schema is up to date (version \(after))" : "migrated schema from version \(before) to \(after)")
    }
}
