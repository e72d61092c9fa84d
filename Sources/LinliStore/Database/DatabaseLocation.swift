import Foundation

/// Where the data lives: an embedded SQLite file (the default) or a PostgreSQL server.
public enum DatabaseLocation: Sendable, Equatable, CustomStringConvertible {
    case sqlite(path: String)
    case sqliteInMemory
    case postgres(PostgresURL)

    public static let defaultSQLitePath = "linli.sqlite"

    /// Parses `--database` / `LINLI_DATABASE_URL`: a `postgres://` or `postgresql://` URL, a
    /// `sqlite://path` URL, `:memory:`, or a plain file path.
    public init(argument: String) throws(DatabaseLocationError) {
        let trimmed = argument.trimmingCharacters(in: .whitespaces)
        if trimmed.isEmpty { throw .empty }
        if trimmed == ":memory:" || trimmed == "sqlite::memory:" {
            self = .sqliteInMemory
        } else if trimmed.hasPrefix("postgres://") || trimmed.hasPrefix("postgresql://") {
            self = .postgres(try PostgresURL(trimmed))
        } else if trimmed.hasPrefix("sqlite://") {
            let path = String(trimmed.dropFirst("sqlite://".count))
            if path.isEmpty { throw .empty }
            self = .sqlite(path: path)
        } else if trimmed.contains("://") {
            throw .unsupportedScheme(String(trimmed.prefix { $0 != ":" }))
        } else {
            self = .sqlite(path: trimmed)
        }
    }

    public var description: String {
        switch self {
        case .sqlite(let path): "sqlite://\(path)"
        case .sqliteInMemory: "sqlite::memory:"
        case .postgres(let url): url.redacted
        }
    }
}

public enum DatabaseLocationError: Error, Equatable, CustomStringConvertible {
    case empty
    case unsupportedScheme(String)
    case invalidPostgresURL(String)

    public var description: String {
        switch self {
        case .empty: "the database location is empty"
        case .unsupportedScheme(let scheme): "unsupported database scheme '\(scheme)': use postgres://..., sqlite://path or a file path"
        case .invalidPostgresURL(let reason): "invalid PostgreSQL URL: \(reason)"
        }
    }
}

/// postgres://user:password@host:port/database
public struct PostgresURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// `?search_path=schema`: lets tests give each run its own schema in one database.
    public var searchPath: String?

    public init(_ string: String) throws(DatabaseLocationError) {
        guard let components = URLComponents(string: string) else { throw .invalidPostgresURL("cannot parse") }
        guard let host = components.host, !host.isEmpty else { throw .invalidPostgresURL("no host") }
        guard let user = components.user, !user.isEmpty else { throw .invalidPostgresURL("no user name") }
        let database = String(components.path.drop { $0 == "/" })
        self.host = host
        self.port = components.port ?? 5432
        self.username = user.removingPercentEncoding ?? user
        self.password = components.password.map { $0.removingPercentEncoding ?? $0 }
        self.database = database.isEmpty ? self.username : database
        self.searchPath = components.queryItems?.first { $0.name == "search_path" }?.value
    }

    /// The URL without its password, for logs and `linli doctor`.
    public var redacted: String {
        "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)" + (searchPath.map { "?search_path=\($0)" } ?? "")
    }
}
