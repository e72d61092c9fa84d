import ArgumentParser
import Foundation
import LinliStore
import Logging

/// `--database` for every command, with `LINLI_DATABASE_URL` as the fallback.
struct DatabaseOptions: ParsableArguments {
    @Option(name: .long, help: "SQLite file path (default linli.sqlite), sqlite://path, or postgres://user:password@host:port/db. Falls back to LINLI_DATABASE_URL.")
    var database: String?

    @Option(name: .long, help: "SQLite durability: full (survives power loss, default) or normal (survives a crash of linli).")
    var durability: String = "full"

    @Option(name: .customLong("household-code-key-file"), help: ArgumentHelp(
        "The secret household codes are stored under (32 bytes, base64, mode 0600). Falls back to LINLI_HOUSEHOLD_CODE_KEY_FILE; LINLI_HOUSEHOLD_CODE_KEY may hold the key itself. Default for SQLite: <database>.household-code-key, created at first start. PostgreSQL needs one of these, the same on every node.",
        valueName: "path"))
    var householdCodeKeyFile: String?

    @Option(name: .customLong("postgres-connections"), help: "PostgreSQL: connections this node opens at most (2-500). N nodes need N times this in the server's max_connections.")
    var postgresConnections: Int = PostgresPool.standard.connections

    @Option(name: .customLong("postgres-batch-transactions"), help: "PostgreSQL: filing transactions in flight at once on this node (1 to connections-1).")
    var postgresBatchTransactions: Int = PostgresPool.standard.batchTransactions

    @Option(name: .customLong("postgres-connection-wait"), help: "PostgreSQL: seconds a call waits for a free connection before it is answered 503 (1-60).")
    var postgresConnectionWait: Int = 10

    @Option(name: .customLong("postgres-statement-timeout"), help: "PostgreSQL: seconds a statement may run before the server cancels it and the call is answered 503 (1-3600).")
    var postgresStatementTimeout: Int = Int(PostgresPool.standard.statementTimeout.components.seconds)

    /// Out-of-range options are told as themselves, before any database is opened, whichever
    /// engine `--database` names.
    func validate() throws {
        _ = try sqliteDurability()
        _ = try postgresPool()
    }

    func postgresPool() throws -> PostgresPool {
        guard PostgresPool.connectionRange.contains(postgresConnections) else {
            throw ValidationError("--postgres-connections must be between \(PostgresPool.connectionRange.lowerBound) and \(PostgresPool.connectionRange.upperBound)")
        }
        guard (1..<postgresConnections).contains(postgresBatchTransactions) else {
            throw ValidationError("--postgres-batch-transactions must be between 1 and \(postgresConnections - 1) (one less than --postgres-connections)")
        }
        guard (1...60).contains(postgresConnectionWait) else { throw ValidationError("--postgres-connection-wait must be between 1 and 60 seconds") }
        guard PostgresPool.statementTimeoutRange.contains(postgresStatementTimeout) else {
            throw ValidationError("--postgres-statement-timeout must be between \(PostgresPool.statementTimeoutRange.lowerBound) and \(PostgresPool.statementTimeoutRange.upperBound) seconds")
        }
        return PostgresPool(connections: postgresConnections, batchTransactions: postgresBatchTransactions,
                            connectionWait: .seconds(postgresConnectionWait), statementTimeout: .seconds(postgresStatementTimeout))
    }

    func location() throws -> DatabaseLocation {
        let argument = database ?? ProcessInfo.processInfo.environment["LINLI_DATABASE_URL"] ?? DatabaseLocation.defaultSQLitePath
        do {
            return try DatabaseLocation(argument: argument)
        } catch {
            throw ValidationError("--database: \(error)")
        }
    }

    func sqliteDurability() throws -> SQLiteDurability {
        guard let value = SQLiteDurability(rawValue: durability.uppercased()) else {
            throw ValidationError("--durability must be full or normal, not '\(durability)'")
        }
        return value
    }

    /// Opens (and migrates) the store, turning failures into one clear line.
    func open(logger: Logger = Logger(label: "linli"), migrate: Bool = true) async throws -> Store {
        let location = try location()
        let durability = try sqliteDurability()
        let pool = try postgresPool()
        let store: Store
        do {
            store = try await Store.open(location, logger: logger, migrate: false, durability: durability, postgresPool: pool)
        } catch let error as StoreError {
            throw CLIError(error.description)
        } catch {
            throw CLIError("cannot open the database \(location): \(error)")
        }
        guard migrate else { return store }
        do {
            try await self.migrate(store)
            return store
        } catch {
            await store.close()
            throw error
        }
    }

    /// Brings the schema up to date; a migration that keys household codes reads the key, or
    /// creates it where a new key may be made.
    func migrate(_ store: Store) async throws {
        let (keyFile, location) = (householdCodeKeyFile, try location())
        do {
            try await store.migrate(householdCodeKey: { try await Self.findHouseholdCodeKey(file: keyFile, location: location, store: store).key })
        } catch let error as StoreError {
            throw CLIError(error.description)
        } catch let error as HouseholdCodeKeyError {
            throw CLIError(error.description)
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("cannot migrate the database \(location): \(error)")
        }
    }

    /// Where the household code key file is, if the key is kept in a file.
    func householdCodeKeyPath() throws -> String? {
        try Self.householdCodeKeyPath(file: householdCodeKeyFile, location: location())
    }

    private static func householdCodeKeyPath(file: String?, location: DatabaseLocation) throws -> String? {
        let environment = ProcessInfo.processInfo.environment
        if environment["LINLI_HOUSEHOLD_CODE_KEY"].map({ !$0.isEmpty }) == true { return nil }
        if let path = file ?? environment["LINLI_HOUSEHOLD_CODE_KEY_FILE"].flatMap({ $0.isEmpty ? nil : $0 }) { return path }
        switch location {
        // Beside the database: one machine, and a file a copy of the database leaves out.
        case .sqlite(let path): return path + ".household-code-key"
        case .sqliteInMemory: return nil
        // Every node must check codes with the same key, which no default location can promise.
        case .postgres: throw HouseholdCodeKeyError.postgresNeedsKey
        }
    }

    /// The household code key, and where it came from for messages.
    private static func findHouseholdCodeKey(file: String?, location: DatabaseLocation, store: Store) async throws -> (key: HouseholdCodeKey, source: String) {
        if let text = ProcessInfo.processInfo.environment["LINLI_HOUSEHOLD_CODE_KEY"], !text.isEmpty {
            return (try HouseholdCodeKey(base64: text, source: "LINLI_HOUSEHOLD_CODE_KEY"), "LINLI_HOUSEHOLD_CODE_KEY")
        }
        // An in-memory database lives as long as this process, and so may its key.
        guard let path = try householdCodeKeyPath(file: file, location: location) else { return (HouseholdCodeKey.random(), "memory") }
        return (try await store.householdCodeKey(file: path), path)
    }

    /// The household code key for a migrated store, checked against the key its codes were made
    /// with; refused in one clear line when missing, unreadable, too open or another key.
    func householdCodeKey(for store: Store) async throws -> HouseholdCodeKey {
        do {
            let (key, source) = try await Self.findHouseholdCodeKey(file: householdCodeKeyFile, location: location(), store: store)
            try await store.adoptHouseholdCodeKey(key, source: source)
            return key
        } catch let error as HouseholdCodeKeyError {
            throw CLIError(error.description)
        }
    }
}

extension DatabaseOptions {
    /// Runs `body` with an open store and closes it afterwards, whatever happens.
    func withStore<T>(migrate: Bool = true, _ body: (Store) async throws -> T) async throws -> T {
        try await open(logger: commandLogger(), migrate: migrate).closing(after: body)
    }
}

/// An error for a person at a terminal: printed as one line, exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Quiet logs for one-shot commands; `serve` sets up JSON logs itself.
func commandLogger() -> Logger {
    var logger = Logger(label: "linli")
    logger.logLevel = .warning
    return logger
}

/// Progress lines on stderr, so stdout stays clean for data.
func report(_ line: String) {
    FileHandle.standardError.write(Data((line + "\n").utf8))
}
