import ArgumentParser
import Foundation
import Hummingbird
import LinliCore
import LinliServer
import LinliStore
import Logging

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the Linli web server (JSON API and pages).")

    @Option(help: "Address to listen on.") var host = "127.0.0.1"
    @Option(help: "Port to listen on.") var port = 8080
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Seed the compound-scale demo data set into an empty database and print the demo logins.") var demo = false
    @Flag(name: .customLong("secure-cookies"), help: "Mark cookies Secure (when served behind TLS).") var secureCookies = false
    @Option(name: .customLong("session-cache-seconds"), help: "How long a node trusts a session it has looked up (0 turns the cache off). A logout on another node takes effect within this time.") var sessionCacheSeconds: Double = 2
    @Option(name: .customLong("idle-timeout-seconds"), help: "Close a connection that sends nothing for this long.") var idleTimeoutSeconds: Double = 30
    @Option(name: .customLong("job-lease-seconds"), help: "How long a node holds a job before another node may take it over.") var jobLeaseSeconds: Double = 60
    @Option(name: .customLong("log-level"), help: "trace, debug, info, notice, warning, error or critical.") var logLevel = "info"
    @Option(name: .customLong("trusted-proxy"), help: ArgumentHelp(
        "A reverse proxy (address or CIDR range, repeatable or comma-separated) whose X-Forwarded-For names the client for the guess limits: the right-most address there that is not itself a trusted proxy. Without it the peer address counts and X-Forwarded-For is ignored.",
        valueName: "address"))
    var trustedProxy: [String] = []

    private var trustedProxies: TrustedProxies {
        get throws { try TrustedProxies(trustedProxy.flatMap { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }) }
    }
    @Option(name: .customLong("webhook-allow-network"), help: "An internal address range webhooks may reach, such as 127.0.0.1/32 or 10.8.0.0/16 (repeatable). Without it, targets on this machine and private networks are refused.")
    var webhookAllowNetworks: [String] = []
    @Option(name: .customLong("files-directory"), help: "Where uploaded files (box photos) are kept (or LINLI_FILES_DIRECTORY). Default: beside a SQLite database, <database>.files; with PostgreSQL, ./linli-files, which every node must share.")
    var filesDirectory: String?
    @Option(name: .customLong("metrics-token"), help: "Bearer token that /metrics requires (or LINLI_METRICS_TOKEN; at least 16 characters). Without one, /metrics answers 404.")
    var metricsToken: String?

    func validate() throws {
        guard (1...65535).contains(port) else { throw ValidationError("--port must be between 1 and 65535") }
        guard (0.1...3600).contains(idleTimeoutSeconds) else { throw ValidationError("--idle-timeout-seconds must be between 0.1 and 3600") }
        guard (1...3600).contains(jobLeaseSeconds) else { throw ValidationError("--job-lease-seconds must be between 1 and 3600") }
        guard (0...60).contains(sessionCacheSeconds) else { throw ValidationError("--session-cache-seconds must be between 0 and 60") }
        guard Logger.Level(rawValue: logLevel) != nil else { throw ValidationError("--log-level must be one of trace, debug, info, notice, warning, error, critical") }
        do {
            _ = try trustedProxies
        } catch {
            throw ValidationError("\(error)")
        }
        for network in webhookAllowNetworks where IPNetwork(network) == nil {
            throw ValidationError("--webhook-allow-network must be an address or a range such as 127.0.0.1/32 or fd00::/8, not '\(network)'")
        }
        if let token = resolvedMetricsToken, token.count < 16 { throw ValidationError("--metrics-token (or LINLI_METRICS_TOKEN) must have at least 16 characters") }
    }

    /// The flag, else the environment, else beside the database.
    func resolvedFilesDirectory() throws -> URL? {
        if let path = filesDirectory ?? ProcessInfo.processInfo.environment["LINLI_FILES_DIRECTORY"].flatMap({ $0.isEmpty ? nil : $0 }) {
            return URL(fileURLWithPath: path, isDirectory: true)
        }
        switch try database.location() {
        case .sqlite(let path): return URL(fileURLWithPath: path + ".files", isDirectory: true)
        case .sqliteInMemory: return nil
        case .postgres: return URL(fileURLWithPath: "linli-files", isDirectory: true)
        }
    }

    /// The flag, else the environment, where a token stays out of the process list.
    var resolvedMetricsToken: String? {
        metricsToken ?? ProcessInfo.processInfo.environment["LINLI_METRICS_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
    }

    func run() async throws {
        let level = Logger.Level(rawValue: logLevel) ?? .info
        LoggingSystem.bootstrap { label in
            var handler = JSONLogHandler(label: label)
            handler.logLevel = level
            return handler
        }
        MetricsRegistry.bootstrapOnce()
        let logger = Logger(label: "linli")
        let store = try await database.open(logger: logger)
        let householdCodeKey: HouseholdCodeKey
        do {
            householdCodeKey = try await database.householdCodeKey(for: store)
        } catch {
            await store.close()
            throw error
        }
        let services = AppServices(
            store: store, householdCodeKey: householdCodeKey, trustedProxies: try trustedProxies, secureCookies: secureCookies,
            sessionCacheSeconds: sessionCacheSeconds,
            webhookNetworks: WebhookNetworkPolicy(allowing: webhookAllowNetworks.compactMap { IPNetwork($0) }), metricsToken: resolvedMetricsToken,
            filesDirectory: try resolvedFilesDirectory(), logger: logger
        )
        if demo {
            try await DemoSeeding.seedIfEmpty(store: store, householdCodeKey: householdCodeKey, passwords: services.passwords, scale: .compound, seed: 2022)
        } else {
            try await FirstStart.createAdminIfNeeded(store: store, passwords: services.passwords)
        }
        let app = buildApplication(ServerConfiguration(host: host, port: port, idleTimeout: idleTimeoutSeconds, jobLease: jobLeaseSeconds), services: services)
        report("Linli is listening on http://\(host):\(port) (database \(try database.location()))")
        do {
            try await app.runService()
        } catch {
            await store.close()
            throw error
        }
        await store.close()
    }
}

/// The first start on an empty database: a root place and an administrator with a one-time
/// password, printed once.
enum FirstStart {
    static func createAdminIfNeeded(store: Store, passwords: Passwords) async throws {
        let users = try await store.read { db in try await UserRecords.count(on: db) }
        guard users == 0 else { return }
        let password = Tokens.readablePassword()
        let hash = try await passwords.hash(password)
        let now = Date()
        try await store.write { db in
            let root: Place
            if let existing = try await DirectoryRecords.rootPlaces(on: db).first {
                root = existing
            } else {
                root = try await DirectoryRecords.createPlace(parent: nil, level: .city, name: "上海市", code: nil, on: db)
                try await AuditRecords.append([PlaceCommand.creationEntry(root, at: now)], on: db)
            }
            let userID = try await UserRecords.insert(phone: "admin", name: "管理员", passwordHash: hash, at: now, on: db)
            try await UserRecords.grant(.admin, at: root, to: userID, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: CommandActor.name, action: "user.create", entity: "user", entityID: "\(userID)", after: #"{"phone":"admin","role":"admin"}"#)], on: db)
        }
        report("""
            First start: created the administrator.
              login:    admin
              password: \(password)
            This password is shown only once. Change it with `linli user passwd --phone admin`.
            """)
    }
}
