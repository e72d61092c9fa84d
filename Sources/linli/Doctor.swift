import ArgumentParser
import Foundation
import LinliStore

struct Doctor: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Check a deployment: database reachable, schema version, disk space.")

    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let location = try database.location()
        var healthy = true
        print("database:  \(location)")
        let store: Store
        do {
            store = try await database.open(logger: commandLogger(), migrate: false)
            print("reachable: yes")
        } catch {
            print("reachable: NO — \(error)")
            throw ExitCode.failure
        }
        let version = try await store.schemaVersion()
        let latest = Store.latestSchemaVersion
        switch version {
        case nil: print("schema:    not created yet (run `linli migrate` or `linli serve`)"); healthy = false
        case let version? where version < latest: print("schema:    version \(version), \(latest) available (run `linli migrate`)"); healthy = false
        case let version? where version > latest: print("schema:    version \(version) is newer than this linli (\(latest)): upgrade linli"); healthy = false
        case let version?: print("schema:    version \(version) (latest)")
        }
        let directory: String
        if case .sqlite(let path) = location {
            directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
            let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
            print("file size: \(size / 1_048_576) MiB")
        } else {
            directory = FileManager.default.currentDirectoryPath
        }
        if let free = (try? FileManager.default.attributesOfFileSystem(forPath: directory.isEmpty ? "." : directory))?[.systemFreeSize] as? Int {
            let gib = Double(free) / 1_073_741_824
            print(String(format: "disk free: %.1f GiB in %@", gib, directory.isEmpty ? "." : directory))
            if gib < 1 { print("warning:   less than 1 GiB free"); healthy = false }
        }
        await store.close()
        print(healthy ? "ok" : "problems found")
        if !healthy { throw ExitCode.failure }
    }
}
