import Foundation
import LinliCore
import LinliStore
import LinliTestSupport
import Logging
import SQLKit
import Testing

@Suite("Backups: taken while linli writes, restored to the same data")
struct BackupTests {
    @Test("a backup taken during writes is consistent, and restoring it gives the same counts and checksums")
    func backupAndRestore() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("linli-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let original = directory.appendingPathComponent("linli.sqlite").path
        let store = try await Store.open(.sqlite(path: original))
        try await store.closing { store in
            try await store.write { db in try await db.raw("CREATE TABLE pairs (id INTEGER PRIMARY KEY, pair INTEGER NOT NULL, note TEXT)").run() }
            _ = try await store.write { db in try await DirectoryRecords.createPlace(parent: nil, level: .city, name: "上海市", code: "310000", on: db) }
            // Each write adds two rows of one pair: a consistent copy never holds half a pair.
            let writer = Task {
                var pair = 0
                while !Task.isCancelled {
                    pair += 1
                    let number = pair
                    try await store.write { db in
                        try await db.raw("INSERT INTO pairs (pair, note) VALUES (\(bind: number), '甲'), (\(bind: number), '乙')").run()
                    }
                }
            }
            // Take the backup once writes are flowing, however slow this machine is today.
            for _ in 0..<500 {
                let written = try await store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM pairs").first()?.decode(column: "n", as: Int.self) } ?? 0
                if written >= 20 { break }
                try await Task.sleep(for: .milliseconds(20))
            }
            let during = directory.appendingPathComponent("during.sqlite").path
            let taken = try await store.backup(to: during)
            try await Task.sleep(for: .milliseconds(100))
            writer.cancel()
            _ = try? await writer.value
            let pairs = try #require(taken.tables.first { $0.name == "pairs" })
            #expect(pairs.rows > 0 && pairs.rows % 2 == 0, "\(pairs.rows) rows: half a write was copied")
            #expect(taken.tables.first { $0.name == "places" }?.rows == 1)
            let copy = try await Store.open(.sqlite(path: during), migrate: false)
            let half = try await copy.closing { copy in
                try await copy.read { db in try await db.raw("SELECT COUNT(*) AS n FROM (SELECT pair FROM pairs GROUP BY pair HAVING COUNT(*) <> 2)").first()?.decode(column: "n", as: Int.self) }
            }
            #expect(half == 0)
            await #expect(throws: BackupError.targetExists(during)) { try await store.backup(to: during) }

            // With the writes stopped, the backup, the original and the restore are the same.
            let quietPath = directory.appendingPathComponent("quiet.sqlite").path
            let quiet = try await store.backup(to: quietPath)
            #expect(try await store.fingerprint() == quiet)
            #expect(quiet.tables.count >= 10 && quiet.rows > pairs.rows)
            let restoredPath = directory.appendingPathComponent("restored.sqlite").path
            try Data("an older database".utf8).write(to: URL(fileURLWithPath: restoredPath))
            let restoreEntry = AuditEntry(at: Date(), actor: "cli:test", action: "database.restore", entity: "database", after: #"{"from":"quiet.sqlite"}"#)
            let restored = try await Store.restore(from: quietPath, to: restoredPath, recording: restoreEntry, logger: Logger(label: "test"))
            #expect(restored == quiet)
            #expect(FileManager.default.fileExists(atPath: restoredPath + ".before-restore"), "the replaced file is kept")
            let reopened = try await Store.open(.sqlite(path: restoredPath))
            let (again, logged) = try await reopened.closing { store in
                (try await store.fingerprint(), try await store.read { db in try await AuditRecords.entries(action: "database.restore", on: db) })
            }
            // Every table as backed up, and the audit log one entry longer: the restore itself.
            #expect(again.tables.filter { $0.name != "audit_log" } == quiet.tables.filter { $0.name != "audit_log" })
            #expect(again.tables.first { $0.name == "audit_log" }?.rows == (quiet.tables.first { $0.name == "audit_log" }?.rows).map { $0 + 1 })
            #expect(logged.map(\.actor) == ["cli:test"])
            #expect(!FileManager.default.fileExists(atPath: restoredPath + ".restoring"))
        }
    }

    @Test("restore refuses a file that is not a Linli database and leaves the target alone")
    func refusesForeignFile() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("linli-backup-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let foreign = directory.appendingPathComponent("foreign.sqlite").path
        let other = try await Store.open(.sqlite(path: foreign), migrate: false)
        try await other.closing { store in try await store.write { db in try await db.raw("CREATE TABLE notes (id INTEGER PRIMARY KEY)").run() } }
        let target = directory.appendingPathComponent("linli.sqlite").path
        try Data("keep me".utf8).write(to: URL(fileURLWithPath: target))
        await #expect(throws: BackupError.notALinliDatabase(foreign)) { try await Store.restore(from: foreign, to: target, recording: AuditEntry(at: Date(), actor: "cli:test", action: "database.restore", entity: "database"), logger: Logger(label: "test")) }
        #expect(try String(contentsOfFile: target, encoding: .utf8) == "keep me")
    }
}
