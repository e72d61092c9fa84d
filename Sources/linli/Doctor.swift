import ArgumentParser
import Foundation
import LinliStore

struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a deployment: database reachable, schema version, jobs backlog, disk space.")

    @OptionGroup var database: DatabaseOptions

    /// The first schema version with the jobs table.
    static let jobsSchemaVersion = 5

    func run() async throws {
        let location = try database.location()
        print("database:  \(location)")
        let healthy: Bool
        do {
            healthy = try await database.withStore(migrate: false) { store in
                print("reachable: yes")
                return try await check(store, location: location)
            }
        } catch let error as CLIError {
            print("reachable: NO — \(error)")
            throw ExitCode.failure
        }
        print(healthy ? "ok" : "problems found")
        if !healthy { throw ExitCode.failure }
    }

    private func check(_ store: Store, location: DatabaseLocation) async throws -> Bool {
        var healthy = true
        let version = try await store.schemaVersion()
        let latest = Store.latestSchemaVersion
        switch version {
        case nil: print("schema:    not created yet (run `linli migrate` or `linli serve`)"); healthy = false
        case let version? where version < latest: print("schema:    version \(version), \(latest) available (run `linli migrate`)"); healthy = false
        case let version? where version > latest: print("schema:    version \(version) is newer than this linli (\(latest)): upgrade linli"); healthy = false
        case let version?: print("schema:    version \(version) (latest)")
        }
        if let version, version >= Self.jobsSchemaVersion {
            let due = try await store.read { db in try await JobRecords.dueCount(now: Date(), on: db) }
            print("jobs due:  \(due)")
        }
        let directory: String
        if case .sqlite(let path) = location {
            directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            print("file size: \(size / 1_048_576) MiB")
        } else {
            directory = FileManager.default.currentDirectoryPath
        }
        let folder = directory.isEmpty ? "." : directory
        if let free = (try? FileManager.default.attributesOfFileSystem(forPath: folder))?[.systemFreeSize] as? Int {
            let gib = Double(free) / 1_073_741_824
            print(String(format: "disk free: %.1f GiB in %@", gib, folder))
            if gib < 1 { print("warning:   less than 1 GiB free"); healthy = false }
        }
        return healthy
    }
}
