import ArgumentParser
import Foundation
import LinliStore

struct Backup: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Copy the SQLite database to a file while linli runs (a consistent snapshot, checked).",
        discussion: "For PostgreSQL use pg_dump -Fc; see docs/RELIABILITY.md."
    )

    @Argument(help: "The backup file to write.") var file: String
    @Flag(help: "Replace the file if it exists.") var force = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        let started = Date()
        let fingerprint = try await database.withStore(migrate: false) { store in
            do {
                return try await store.backup(to: file, replacing: force)
            } catch let error as BackupError {
                throw CLIError(error.description)
            }
        }
        let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        print(String(format: "backup: %@, %d tables, %d rows, %.1f MiB, integrity ok, %.1f s", file, fingerprint.tables.count, fingerprint.rows, Double(size) / 1_048_576, Date().timeIntervalSince(started)))
        print(fingerprint)
        // The key stays out on purpose: a stolen backup must not give up the household codes.
        print("not in the backup: \(keyName(database)). Keep a copy of it apart from the backup: a restore needs it to check household codes, and the backup alone cannot test one.")
    }
}

struct Restore: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Put a backup in place of the SQLite database. Stop linli first; the old file is kept as <database>.before-restore."
    )

    @Argument(help: "The backup file to restore.") var file: String
    @Flag(help: "Replace an existing database.") var force = false
    @OptionGroup var database: DatabaseOptions

    func run() async throws {
        guard case .sqlite(let target) = try database.location() else { throw CLIError(BackupError.sqliteOnly.description) }
        guard FileManager.default.fileExists(atPath: file) else { throw CLIError("no backup at \(file)") }
        if FileManager.default.fileExists(atPath: target), !force {
            throw CLIError("\(target) exists: stop linli, then pass --force to replace it (the old file is kept as \(target).before-restore)")
        }
        let fingerprint: DatabaseFingerprint
        do {
            let entry = AuditEntry(at: Date(), actor: CommandActor.name, action: "database.restore", entity: "database", after: UserCommand.json(["from": file]))
            fingerprint = try await Store.restore(from: file, to: target, recording: entry, logger: commandLogger())
        } catch let error as BackupError {
            throw CLIError(error.description)
        }
        print("restored: \(target) from \(file), \(fingerprint.tables.count) tables, \(fingerprint.rows) rows, integrity ok (and one audit entry more, the restore)")
        print(fingerprint)
        print("household codes are checked with \(keyName(database)), which a backup does not hold: if this machine lost it, put the copy kept with the backup back (mode 0600) before starting linli, which refuses to start without it.")
    }
}

/// How the household code key of `database` is named to the person running a command.
private func keyName(_ database: DatabaseOptions) -> String {
    guard let path = try? database.householdCodeKeyPath() else { return "the household code key (LINLI_HOUSEHOLD_CODE_KEY)" }
    return "the household code key file \(path)"
}
