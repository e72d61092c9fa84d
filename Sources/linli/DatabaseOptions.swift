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
        do {
            return try await Store.open(location, logger: logger, migrate: migrate, durability: try sqliteDurability())
        } catch let error as StoreError {
            throw CLIError(error.description)
        } catch {
            throw CLIError("cannot open the database \(location): \(error)")
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
