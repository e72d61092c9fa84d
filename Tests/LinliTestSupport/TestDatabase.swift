import Foundation
import LinliStore
import Logging
import SQLKit

/// The engines a test runs on: SQLite always, PostgreSQL when `LINLI_TEST_POSTGRES_URL` points at
/// a server (`scripts/test-postgres start` prints one). In CI a missing PostgreSQL fails the run.
public enum TestEngine: String, CaseIterable, Sendable, CustomStringConvertible {
    case sqlite, postgres

    public var description: String { rawValue }

    public static let postgresURL = ProcessInfo.processInfo.environment["LINLI_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }

    public static var available: [TestEngine] {
        if postgresURL == nil {
            announceSkip
            return [.sqlite]
        }
        return [.sqlite, .postgres]
    }

    private static let announceSkip: Void = {
        FileHandle.standardError.write(Data("NOTE: LINLI_TEST_POSTGRES_URL is not set: the PostgreSQL run of the store and server tests is SKIPPED (run scripts/test-postgres start and export the URL it prints).\n".utf8))
    }()

    public static var isCI: Bool { ProcessInfo.processInfo.environment["CI"].map { !$0.isEmpty && $0 != "false" } ?? false }
}

extension PostgresPool {
    /// The standard pool, but waiting up to a minute for a connection: the whole suite runs at
    /// once on a small machine, and only the tests of the wait itself should meet it.
    public static let testing = PostgresPool(connections: standard.connections, batchTransactions: standard.batchTransactions, connectionWait: .seconds(60))
}

/// A fresh, migrated database for one test: a temporary SQLite file, or a new schema in the test
/// PostgreSQL server, removed afterwards. `migrate: false` leaves it empty, for tests of migrations.
public func withTestStore<T>(_ engine: TestEngine, migrate: Bool = true, postgresPool: PostgresPool = .testing, _ body: (Store) async throws -> T) async throws -> T {
    var logger = Logger(label: "linli.test")
    logger.logLevel = .warning
    switch engine {
    case .sqlite:
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("linli-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        // NORMAL durability keeps the suite fast; durability itself is measured in the benchmarks.
        return try await Store.open(.sqlite(path: directory.appendingPathComponent("test.sqlite").path), logger: logger, migrate: migrate, durability: .normal).closing(after: body)
    case .postgres:
        guard let base = TestEngine.postgresURL else { throw TestDatabaseError.postgresNotConfigured }
        let schema = "t_" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(16)
        let admin = try await Store.open(try DatabaseLocation(argument: base), logger: logger, migrate: false)
        try await admin.write { db in try await db.raw("CREATE SCHEMA \(unsafeRaw: String(schema))").run() }
        let separator = base.contains("?") ? "&" : "?"
        let store = try await Store.open(try DatabaseLocation(argument: base + separator + "search_path=" + schema), logger: logger, migrate: migrate, postgresPool: postgresPool)
        func cleanUp() async {
            await store.close()
            try? await admin.write { db in try await db.raw("DROP SCHEMA \(unsafeRaw: String(schema)) CASCADE").run() }
            await admin.close()
        }
        do {
            let result = try await body(store)
            await cleanUp()
            return result
        } catch {
            await cleanUp()
            throw error
        }
    }
}

public enum TestDatabaseError: Error {
    case postgresNotConfigured
}
