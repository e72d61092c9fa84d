import Foundation
import Logging
import SQLKit

/// What a database holds, table by table: row counts and a checksum of every row's values, so a
/// backup and its restore can be compared with the original.
public struct DatabaseFingerprint: Sendable, Equatable, CustomStringConvertible {
    public struct Table: Sendable, Equatable {
        public var name: String
        public var rows: Int
        /// FNV-1a over the rows in rowid order, each value quoted as SQLite's quote() writes it.
        public var checksum: UInt64
    }

    public var tables: [Table]

    public var rows: Int { tables.reduce(0) { $0 + $1.rows } }

    public var description: String {
        tables.map { String(format: "%@ %d rows %016llx", $0.name, $0.rows, $0.checksum) }.joined(separator: "\n")
    }
}

public enum BackupError: Error, CustomStringConvertible, Equatable {
    case sqliteOnly
    case targetExists(String)
    case notALinliDatabase(String)
    case integrity(String)

    public var description: String {
        switch self {
        case .sqliteOnly:
            "backup and restore work on SQLite files; for PostgreSQL use pg_dump -Fc and pg_restore (see docs/RELIABILITY.md)"
        case .targetExists(let path):
            "\(path) exists: choose another file, or pass --force to replace it"
        case .notALinliDatabase(let path):
            "\(path) is not a Linli database (no schema_migrations table)"
        case .integrity(let detail):
            "the backup failed its integrity check: \(detail)"
        }
    }
}

extension Store {
    /// Writes a consistent copy of the live database to `path` while the server runs: SQLite's
    /// `VACUUM INTO` reads one snapshot (WAL lets writers go on meanwhile) and writes a compact
    /// file, which is checked before it takes its name. Returns the copy's fingerprint.
    public func backup(to path: String, replacing: Bool = false) async throws -> DatabaseFingerprint {
        guard engine == .sqlite else { throw BackupError.sqliteOnly }
        let manager = FileManager.default
        if manager.fileExists(atPath: path) {
            guard replacing else { throw BackupError.targetExists(path) }
            try manager.removeItem(atPath: path)
        }
        // Written beside the target and renamed, so a half-written backup never has its name.
        let partial = path + ".partial"
        try? manager.removeItem(atPath: partial)
        // VACUUM INTO reads one snapshot by itself. It may run neither inside a transaction (the
        // writer's) nor on a query-only reader, so it gets a connection of its own.
        guard case .sqlite(let source) = location else { throw BackupError.sqliteOnly }
        let connection = try await SQLiteConnection.open(path: source, name: "sqlite-backup")
        do {
            try await connection.query("PRAGMA busy_timeout = 5000")
            try await SQLiteSQLDatabase(connection: connection, logger: logger).raw("VACUUM INTO \(bind: partial)").run()
            await connection.close()
        } catch {
            await connection.close()
            try? manager.removeItem(atPath: partial)
            throw error
        }
        let fingerprint: DatabaseFingerprint
        do {
            fingerprint = try await Self.checkedFingerprint(of: partial, logger: logger)
        } catch {
            // A copy that fails its check never stays behind to be mistaken for a backup.
            try? manager.removeItem(atPath: partial)
            throw error
        }
        try manager.moveItem(atPath: partial, toPath: path)
        return fingerprint
    }

    /// Puts a backup in place of the SQLite database at `target` (linli must not be running on
    /// it). The backup is checked first; the old file is kept as `target.before-restore`.
    /// `entry` (who restored what) is written into the copy before it takes the database's name,
    /// so the restored database never appears without the record of its restore. Returns the
    /// backup's fingerprint, which the restored database matches in every table but `audit_log`.
    public static func restore(from backup: String, to target: String, recording entry: AuditEntry, logger: Logger) async throws -> DatabaseFingerprint {
        let manager = FileManager.default
        let checked = try await checkedFingerprint(of: backup, logger: logger)
        let partial = target + ".restoring"
        for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: partial + suffix) }
        try manager.copyItem(atPath: backup, toPath: partial)
        do {
            let copy = try await Store.open(.sqlite(path: partial), logger: logger, migrate: false)
            try await copy.closing { copy in try await copy.write { db in try await AuditRecords.append([entry], on: db) } }
        } catch {
            for suffix in ["", "-wal", "-shm"] { try? manager.removeItem(atPath: partial + suffix) }
            throw error
        }
        if manager.fileExists(atPath: target) {
            let kept = target + ".before-restore"
            try? manager.removeItem(atPath: kept)
            try manager.moveItem(atPath: target, toPath: kept)
        }
        // A WAL left by the old database would be replayed onto the restored one.
        for suffix in ["-wal", "-shm"] { try? manager.removeItem(atPath: target + suffix) }
        // SQLite folds the WAL into the file when the last connection closes; should one be left,
        // it holds the entry and goes with the file.
        try? manager.removeItem(atPath: partial + "-shm")
        if manager.fileExists(atPath: partial + "-wal") { try manager.moveItem(atPath: partial + "-wal", toPath: target + "-wal") }
        try manager.moveItem(atPath: partial, toPath: target)
        return checked
    }

    /// Opens a copy, refuses it unless it is a Linli database that passes its integrity check,
    /// and returns its fingerprint.
    static func checkedFingerprint(of path: String, logger: Logger) async throws -> DatabaseFingerprint {
        let copy = try await Store.open(.sqlite(path: path), logger: logger, migrate: false)
        return try await copy.closing { copy in
            try await copy.read { db in
                guard try await db.raw("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'").first() != nil else {
                    throw BackupError.notALinliDatabase(path)
                }
                let check = try await db.raw("PRAGMA integrity_check").all().map { try $0.decode(column: "integrity_check", as: String.self) }
                guard check == ["ok"] else { throw BackupError.integrity(check.joined(separator: "; ")) }
                return try await Self.fingerprint(on: db)
            }
        }
    }

    /// Row counts and checksums of every table in the SQLite database.
    public func fingerprint() async throws -> DatabaseFingerprint {
        guard engine == .sqlite else { throw BackupError.sqliteOnly }
        return try await read { db in try await Self.fingerprint(on: db) }
    }

    static func fingerprint(on db: any SQLDatabase) async throws -> DatabaseFingerprint {
        // Ordinary tables only: a full-text index (the answers' trigrams) is a virtual table over
        // shadow tables, some without rowid, all rebuilt from rows that are checked here already.
        let names = try await db.raw("SELECT name FROM pragma_table_list WHERE schema = 'main' AND type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all()
            .map { try $0.decode(column: "name", as: String.self) }
        var tables: [DatabaseFingerprint.Table] = []
        for name in names {
            let columns = try await db.raw("SELECT name FROM pragma_table_info(\(bind: name)) ORDER BY cid").all().map { try $0.decode(column: "name", as: String.self) }
            let quoted = columns.map { "quote(\"\($0)\")" }.joined(separator: " || ',' || ")
            // Streamed row by row: a district's database does not fit in memory twice.
            let accumulator = ChecksumAccumulator()
            try await db.raw("SELECT \(unsafeRaw: quoted) AS line FROM \"\(unsafeRaw: name)\" ORDER BY rowid").run { row in
                accumulator.add((try? row.decode(column: "line", as: String.self)) ?? "")
            }
            tables.append(.init(name: name, rows: accumulator.rows, checksum: accumulator.hash))
        }
        return DatabaseFingerprint(tables: tables)
    }
}

/// FNV-1a over lines, fed one row at a time by the database's row callback, which runs the rows
/// of one query in order, one after another.
private final class ChecksumAccumulator: @unchecked Sendable {
    private(set) var hash: UInt64 = 0xcbf2_9ce4_8422_2325
    private(set) var rows = 0

    func add(_ line: String) {
        for byte in line.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        hash = (hash ^ 10) &* 0x100_0000_01b3
        rows += 1
    }
}
