import ArgumentParser
import LinliStore

struct Migrate: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Bring the database schema up to date (serve does this too).")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let (before, after) = try await database.withStore(migrate: false) { store in
            let before = try await store.schemaVersion() ?? 0
            try await database.migrate(store)
            // Checked (and recorded) now rather than at the next start: a wrong or missing key is
            // best found while the person who moved the database is at the terminal.
            _ = try await database.householdCodeKey(for: store)
            return (before, try await store.schemaVersion() ?? 0)
        }
        print(before == after ? "schema is up to date (version \(after))" : "migrated schema from version \(before) to \(after)")
    }
}
