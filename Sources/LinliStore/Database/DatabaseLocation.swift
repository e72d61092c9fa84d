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

/// postgres://user:password@host:port/database?sslmode=verify-full&sslrootcert=/path/ca.pem
public struct PostgresURL: Sendable, Equatable {
    public var host: String
    public var port: Int
    public var username: String
    public var password: String?
    public var database: String
    /// `?search_path=schema`: lets tests give each run its own schema in one database.
    public var searchPath: String?
    /// `?sslmode=`, with libpq's names and meanings. `disable` when not given, as before TLS was
    /// supported: `prefer` would encrypt without proving who answers, and would fall back to
    /// plain text without a word, so a deployment that needs TLS should say `verify-full`.
    public var sslMode: PostgresSSLMode
    /// `?sslrootcert=`: the CA certificates (PEM) that vouch for the server, or `system` for the
    /// system's own; the system's when not given. Only `verify-ca` and `verify-full` check it.
    public var sslRootCertificate: String?

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
        var parameters: [String: String] = [:]
        for item in components.queryItems ?? [] {
            guard ["search_path", "sslmode", "sslrootcert"].contains(item.name) else {
                throw .invalidPostgresURL("unknown parameter '\(item.name)' (Linli reads search_path, sslmode and sslrootcert)")
            }
            guard let value = item.value, !value.isEmpty else { throw .invalidPostgresURL("'\(item.name)' needs a value") }
            guard parameters.updateValue(value, forKey: item.name) == nil else { throw .invalidPostgresURL("'\(item.name)' is given twice") }
        }
        self.searchPath = parameters["search_path"]
        if let mode = parameters["sslmode"] {
            guard let known = PostgresSSLMode(rawValue: mode) else {
                throw .invalidPostgresURL("sslmode '\(mode)' is not one of \(PostgresSSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            self.sslMode = known
        } else {
            self.sslMode = .disable
        }
        self.sslRootCertificate = parameters["sslrootcert"]
        // Silently ignoring the CA file would leave the operator believing the server is checked.
        if sslRootCertificate != nil, !sslMode.verifiesCertificate {
            throw .invalidPostgresURL("sslrootcert is used only with sslmode=verify-ca or verify-full, not \(sslMode.rawValue)")
        }
    }

    /// The URL without its password, for logs and `linli doctor`.
    public var redacted: String {
        var query: [String] = []
        if let searchPath { query.append("search_path=\(searchPath)") }
        if sslMode != .disable { query.append("sslmode=\(sslMode.rawValue)") }
        if let sslRootCertificate { query.append("sslrootcert=\(sslRootCertificate)") }
        return "postgres://\(username)\(password == nil ? "" : ":***")@\(host):\(port)/\(database)" + (query.isEmpty ? "" : "?" + query.joined(separator: "&"))
    }
}

/// libpq's `sslmode` values that Linli supports.
public enum PostgresSSLMode: String, Sendable, CaseIterable {
    /// Plain text.
    case disable
    /// TLS if the server offers it, plain text if not; the certificate is not checked.
    case prefer
    /// TLS or no connection; the certificate is not checked (encryption against eavesdroppers only).
    case require
    /// TLS with a certificate chain to a trusted CA, for any host name.
    case verifyCA = "verify-ca"
    /// TLS with a certificate chain to a trusted CA, issued for the host connected to.
    case verifyFull = "verify-full"

    public var verifiesCertificate: Bool { self == .verifyCA || self == .verifyFull }
}
