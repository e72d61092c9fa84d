import Foundation
import LinliStore
import Testing

/// Runs the `linli` binary that `swift build` put beside the test bundle.
struct LinliBinary {
    let url: URL

    init() throws {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent().appendingPathComponent("linli")
        let built = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("../../../.build/debug/linli").standardized
        url = try #require([beside, built].first { FileManager.default.isExecutableFile(atPath: $0.path) }, "build linli first (swift build)")
    }

    /// Runs `linli arguments` and returns its standard output; a failure is a test failure.
    @discardableResult
    func run(_ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        // The database comes from --database only.
        process.environment = ProcessInfo.processInfo.environment.filter { $0.key != "LINLI_DATABASE_URL" }
        let (out, err) = (Pipe(), Pipe())
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        try #require(process.terminationStatus == 0, "linli \(arguments.joined(separator: " ")) exited with \(process.terminationStatus): \(errors)")
        return output
    }

    /// Runs `linli arguments` with `input` on its standard input; its exit status and both outputs.
    func run(_ arguments: [String], input: Data) throws -> (status: Int32, output: String, errors: String) {
        let process = Process()
        process.executableURL = url
        process.arguments = arguments
        let (stdin, out, err) = (Pipe(), Pipe(), Pipe())
        process.standardInput = stdin
        process.standardOutput = out
        process.standardError = err
        try process.run()
        stdin.fileHandleForWriting.write(input)
        try stdin.fileHandleForWriting.close()
        let output = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        let errors = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return (process.terminationStatus, output, errors)
    }
}

@Suite("Every change made at the command line is audited, naming the account that ran it")
struct CommandLineAuditTests {
    @Test("place add, user add, passwd, roles, import and restore each leave their audit entries")
    func everyChangeIsAudited() async throws {
        let linli = try LinliBinary()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("linli-cli-audit-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("linli.sqlite").path
        let db = ["--database", database]

        var parent: String?
        var places: [String] = []
        for (level, name) in [("city", "测试市"), ("district", "测试区"), ("subdistrict", "测试街道"), ("committee", "测试居委"), ("compound", "测试小区")] {
            let line = try linli.run(["place", "add", "--level", level, "--name", name] + (parent.map { ["--parent", $0] } ?? []) + db)
            let id = try #require(line.split(separator: "\t").first.map(String.init))
            places.append(id)
            parent = id
        }
        let (committee, compound) = (places[3], places[4])
        try linli.run(["user", "add", "--phone", "13800009999", "--name", "测试员", "--password", "linli-test-1", "--role", "committee_staff@\(committee)"] + db)
        try linli.run(["user", "passwd", "--phone", "13800009999", "--password", "linli-test-2"] + db)
        try linli.run(["user", "roles", "--phone", "13800009999", "--revoke", "committee_staff@\(committee)"] + db)
        let register = directory.appendingPathComponent("register.csv")
        try Data("楼号,室号,姓名,电话\n3号楼,101,张桂英,13812345678\n".utf8).write(to: register)
        try linli.run(["import", register.path, "--place", compound] + db)

        let store = try await Store.open(.sqlite(path: database))
        let entries = try await store.closing { store in try await store.read { db in try await AuditRecords.entries(limit: 1000, on: db) } }
        let actions = entries.map(\.action)
        #expect(entries.filter { $0.action == "place.create" }.compactMap(\.entityID).sorted() == places.sorted())
        for action in ["user.create", "role.grant", "user.password", "role.revoke", "household.create", "resident.create"] {
            #expect(actions.contains(action), "no \(action) in \(actions)")
        }
        let actors = Set(entries.map(\.actor))
        #expect(actors.count == 1, "one account ran every command: \(actors)")
        #expect(actors.allSatisfy { $0 == "cli" || $0.hasPrefix("cli:") })

        // A restore puts back an older database and says so in it.
        let backup = directory.appendingPathComponent("backup.sqlite").path
        try linli.run(["backup", backup] + db)
        try linli.run(["place", "add", "--level", "building", "--name", "4号楼", "--parent", compound] + db)
        try linli.run(["restore", backup, "--force"] + db)
        let restored = try await Store.open(.sqlite(path: database))
        let after = try await restored.closing { store in try await store.read { db in try await AuditRecords.entries(limit: 1000, on: db) } }
        let restore = try #require(after.first, "the newest entry is the restore")
        #expect(restore.action == "database.restore" && actors.contains(restore.actor))
        #expect(restore.after?.contains("backup.sqlite") == true)
        #expect(after.count == entries.count + 1, "the building added after the backup is gone, its entry with it")
    }
}
