import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresKit
import PostgresNIO
import SQLKit

public enum DatabaseEngine: String, Sendable {
    case sqlite, postgres
}

/// The one owner of the database: it opens the connections, runs the migrations and hands out
/// `SQLDatabase`s for reads and transactional writes. Every query runs unchanged on both engines.
public final class Store: Sendable {
    public let engine: DatabaseEngine
    public let location: DatabaseLocation
    private let backend: Backend
    let logger: Logger

    private enum Backend: Sendable {
        case sqlite(writer: SQLiteWriter, readers: SQLiteReaders, housekeeping: SQLiteHousekeeping)
        case postgres(client: PostgresClient, runner: Task<Void, Never>, batches: PostgresWriteQueue, pool: PostgresPool)
    }

    /// Opens the database and brings its schema up to date (`migrate: false` leaves it alone, for
    /// `linli doctor`).
    ///
    /// On SQLite, the writer restarts the WAL once it holds `walCheckpointFrames` pages (see
    /// `SQLiteWriter`), so the file stays near that size (4 KB a page) however long a surge lasts.
    public static func open(
        _ location: DatabaseLocation, logger: Logger = Logger(label: "linli.store"), migrate: Bool = true, durability: SQLiteDurability = .full,
        walCheckpointFrames: Int = defaultWALCheckpointFrames, postgresPool: PostgresPool = .standard
    ) async throws -> Store {
        let store: Store
        switch location {
        case .sqlite(let path):
            store = try await openSQLite(path: path, location: location, readerCount: 4, durability: durability, walCheckpointFrames: walCheckpointFrames, logger: logger)
        case .sqliteInMemory:
            // Readers of an in-memory database would each see their own empty database.
            store = try await openSQLite(path: ":memory:", location: location, readerCount: 0, durability: durability, walCheckpointFrames: walCheckpointFrames, logger: logger)
        case .postgres(let url):
            store = try await openPostgres(url, location: location, pool: postgresPool, logger: logger)
        }
        if migrate {
            do {
                try await Migrator(store: store).migrate()
            } catch {
                await store.close()
                throw error
            }
        }
        return store
    }

    private init(engine: DatabaseEngine, location: DatabaseLocation, backend: Backend, logger: Logger) {
        self.engine = engine
        self.location = location
        self.backend = backend
        self.logger = logger
    }

    /// 16,384 pages (64 MB): a writer checkpoint stalls the writer (about 30 ms here), so they are
    /// best rare; the checkpointer keeps the rest of the copying off the writer in between.
    public static let defaultWALCheckpointFrames = 16_384

    private static func openSQLite(path: String, location: DatabaseLocation, readerCount: Int, durability: SQLiteDurability, walCheckpointFrames: Int, logger: Logger) async throws -> Store {
        // Every connection has a thread of its own, and a transaction runs on its connection's
        // thread from start to end (see `SQLiteThread`): a commit never waits in line behind
        // reads, and no statement waits for a thread to come back to it.
        var opened: [SQLiteConnection] = []
        do {
            let writer = try await SQLiteConnection.open(path: path, name: "sqlite-writer")
            opened.append(writer)
            // The busy timeout first, so a backup or `linli doctor` holding a lock delays the
            // switch to WAL instead of failing it.
            try await configureSQLite(writer)
            // WAL lets readers run beside the single writer; FULL makes a commit durable across
            // power loss before we acknowledge it: a resident told "filed" must find the request
            // there after any crash (docs/RELIABILITY.md, promise 1).
            guard case .text(let mode) = try await writer.query("PRAGMA journal_mode = WAL").first?.values.first, mode == "wal" || location == .sqliteInMemory else {
                throw StoreError.conflict("the database cannot use a write-ahead log")
            }
            try await writer.query("PRAGMA synchronous = \(durability.rawValue)")
            var readers: [SQLiteConnection] = []
            for index in 0..<readerCount {
                let reader = try await SQLiteConnection.open(path: path, name: "sqlite-reader-\(index)")
                opened.append(reader)
                try await configureSQLite(reader)
                try await reader.query("PRAGMA query_only = ON")
                readers.append(reader)
            }
            var checkpointer: SQLiteConnection?
            if case .sqlite = location {
                // Checkpoints copy the WAL back into the database file and fsync it: after a burst
                // of filings, hundreds of scattered index pages. Done by the writer in its commit
                // (SQLite's default), that stalled every request waiting on the commit for up to
                // half a second. A connection of its own does it beside the writer, in the lulls
                // (see `SQLiteHousekeeping`).
                let connection = try await SQLiteConnection.open(path: path, name: "sqlite-ckpt")
                opened.append(connection)
                // A checkpoint that must wait (TRUNCATE, for readers to leave the WAL) holds the
                // write lock while it waits: it gives up soon and tries again on its next tick.
                try await connection.query("PRAGMA busy_timeout = 100")
                try await connection.query("PRAGMA synchronous = \(durability.rawValue)")
                checkpointer = connection
            }
            try await writer.countWALFrames()
            let sqliteWriter = SQLiteWriter(connection: writer, checkpointFrames: walCheckpointFrames, logger: logger)
            let housekeeping = SQLiteHousekeeping(checkpointer: checkpointer, interval: .milliseconds(200), commits: { sqliteWriter.commits }, logger: logger)
            let backend = Backend.sqlite(writer: sqliteWriter, readers: SQLiteReaders(readers), housekeeping: housekeeping)
            return Store(engine: .sqlite, location: location, backend: backend, logger: logger)
        } catch {
            for connection in opened { await connection.close() }
            throw StoreError.cannotOpen(location: location.description, reason: Self.describe(error))
        }
    }

    private static func configureSQLite(_ connection: SQLiteConnection) async throws {
        try await connection.query("PRAGMA foreign_keys = ON")
        try await connection.query("PRAGMA busy_timeout = 5000")
        try await connection.query("PRAGMA cache_size = -32000")
        // Statement journals (each savepoint's, each multi-row statement's) stay in memory: spilled
        // to a temporary file past 64 KB, they were as many bytes written as the WAL itself.
        try await connection.query("PRAGMA temp_store = MEMORY")
    }

    /// NIOSSL's settings for the URL's `sslmode` and `sslrootcert`; nil for `disable`.
    static func tlsConfiguration(_ url: PostgresURL) -> TLSConfiguration? {
        var tls = TLSConfiguration.makeClientConfiguration()
        if let roots = url.sslRootCertificate, roots != "system" { tls.trustRoots = .file(roots) }
        switch url.sslMode {
        case .disable: return nil
        case .prefer, .require: tls.certificateVerification = .none
        case .verifyCA: tls.certificateVerification = .noHostnameVerification
        case .verifyFull: tls.certificateVerification = .fullVerification
        }
        return tls
    }

    private static func openPostgres(_ url: PostgresURL, location: DatabaseLocation, pool: PostgresPool, logger: Logger) async throws -> Store {
        let tls = tlsConfiguration(url)
        if let roots = url.sslRootCertificate, roots != "system", !FileManager.default.isReadableFile(atPath: roots) {
            throw StoreError.cannotOpen(location: location.description, reason: "sslrootcert: cannot read \(roots)")
        }
        if let tls {
            // One connection on its own first: the pool retries a refused certificate in silence
            // until the timeout below, and the person starting linli needs to hear why.
            do {
                let context = try NIOSSLContext(configuration: tls)
                var probe = PostgresConnection.Configuration(
                    host: url.host, port: url.port, username: url.username, password: url.password, database: url.database,
                    tls: url.sslMode == .prefer ? .prefer(context) : .require(context)
                )
                probe.options.connectTimeout = .seconds(5)
                let connection = try await PostgresConnection.connect(configuration: probe, id: 0, logger: logger)
                try await connection.close()
            } catch {
                throw StoreError.cannotOpen(location: location.description, reason: "TLS (sslmode=\(url.sslMode.rawValue)): \(describe(error))")
            }
        }
        let clientTLS: PostgresClient.Configuration.TLS = switch (url.sslMode, tls) {
        case (_, nil): .disable
        case (.prefer, let tls?): .prefer(tls)
        case (_, let tls?): .require(tls)
        }
        var configuration = PostgresClient.Configuration(host: url.host, port: url.port, username: url.username, password: url.password, database: url.database, tls: clientTLS)
        configuration.options.maximumConnections = pool.connections
        configuration.options.connectTimeout = .seconds(5)
        // Not idle_in_transaction_session_timeout as well: a connection the server ended that way
        // left the next query on it waiting for ever (PostgresNIO 1.33.2), where a statement
        // timeout is an ordinary error.
        configuration.options.additionalStartupParameters = [("statement_timeout", "\(pool.statementTimeoutMilliseconds)")]
        if let searchPath = url.searchPath {
            configuration.options.additionalStartupParameters.append(("search_path", searchPath))
        }
        // The pool logs each failed connection attempt; the one error that matters is thrown below.
        var poolLogger = logger
        poolLogger.logLevel = .error
        let client = PostgresClient(configuration: configuration, backgroundLogger: poolLogger)
        let runner = Task { await client.run() }
        let store = Store(engine: .postgres, location: location, backend: .postgres(client: client, runner: runner, batches: PostgresWriteQueue(client: client, maximumInFlight: pool.batchTransactions, connectionWait: pool.connectionWait), pool: pool), logger: logger)
        do {
            // The pool retries an unreachable server for ever; a person starting linli wants an answer.
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { _ = try await store.read { db in try await db.raw("SELECT 1").all() } }
                group.addTask {
                    try await Task.sleep(for: .seconds(10))
                    throw StoreError.cannotOpen(location: location.description, reason: "no answer within 10 seconds")
                }
                try await group.next()
                group.cancelAll()
            }
        } catch let error as StoreError {
            runner.cancel()
            throw error
        } catch {
            runner.cancel()
            throw StoreError.cannotOpen(location: location.description, reason: describe(error))
        }
        return store
    }

    /// A read-only look at the database, as one snapshot: every query of `body` sees the database
    /// as it was at its first, whatever commits meanwhile, so a request and its history always
    /// come from the same moment. On SQLite it runs on a reader connection of its own, beside the
    /// writer; on PostgreSQL in a REPEATABLE READ transaction.
    public func read<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let writer, let readers, _):
            // In memory there are no readers: read through the writer, in its order.
            if readers.isEmpty { return try await writer.write(body) }
            let logger = self.logger
            return try await readers.withReader { reader in
                // The body runs on the reader's thread. A deferred BEGIN takes its snapshot at the
                // first query and never blocks the writer.
                try await withTaskExecutorPreference(reader.thread) {
                    try await Self.transaction(on: SQLiteSQLDatabase(connection: reader, logger: logger), begin: "BEGIN", body)
                }
            }
        case .postgres(let client, _, _, let pool):
            return try await client.withConnection(waitingAtMost: pool.connectionWait) { connection in
                try await Self.transaction(on: connection.sql(queryLogLevel: nil), begin: "START TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY", body)
            }
        }
    }

    /// A transaction: all of `body` is committed (durably) before this returns, or none of it is.
    /// On SQLite concurrent writes share commits (see `SQLiteWriter`); each stays atomic.
    public func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        switch backend {
        case .sqlite(let writer, _, _):
            return try await writer.write(body)
        case .postgres(let client, _, _, let pool):
            return try await client.withConnection(waitingAtMost: pool.connectionWait) { connection in
                try await Self.transaction(on: connection.sql(queryLogLevel: nil), begin: "BEGIN", body)
            }
        }
    }

    /// Writes `item` with the other items of `batch` waiting when the next transaction starts, in
    /// one call of `batch.write` (see `BatchedWrite`); returns once the commit holding it is
    /// durable. An item whose batch fails is written again on its own, so it fails only for itself.
    public func write<Batch: BatchedWrite>(_ item: Batch.Item, batchedBy batch: Batch) async throws -> Batch.Output {
        switch backend {
        case .sqlite(let writer, _, _):
            return try await writer.write(item, batchedBy: batch)
        case .postgres(_, _, let batches, _):
            return try await batches.write(item, batchedBy: batch)
        }
    }

    /// Transactions committed by SQLite's writer (nil on PostgreSQL).
    public var sqliteCommits: Int? {
        get async {
            guard case .sqlite(let writer, _, _) = backend else { return nil }
            return writer.commits
        }
    }

    /// Writes waiting for their transaction to start: all writes on SQLite, batched writes on
    /// PostgreSQL. Lets tests know which writes share a transaction.
    var writesWaiting: Int {
        get async {
            switch backend {
            case .sqlite(let writer, _, _): writer.waiting
            case .postgres(_, _, let batches, _): await batches.waiting
            }
        }
    }

    /// `body` between `begin` and COMMIT, rolled back if it throws; for every transaction on a
    /// connection of its own (SQLite's readers, PostgreSQL).
    static func transaction<T: Sendable>(on db: any SQLDatabase, begin: SQLQueryString, _ body: @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await db.raw(begin).run()
        do {
            let result = try await body(db)
            try await db.raw("COMMIT").run()
            return result
        } catch {
            try? await db.raw("ROLLBACK").run()
            throw error
        }
    }

    /// Runs `body` and closes the store afterwards, whether `body` succeeds or throws.
    public func closing<T>(after body: (Store) async throws -> T) async throws -> T {
        do {
            let result = try await body(self)
            await close()
            return result
        } catch {
            await close()
            throw error
        }
    }

    public func close() async {
        switch backend {
        case .sqlite(let writer, let readers, let housekeeping):
            await housekeeping.stop()
            for reader in readers.all { await reader.close() }
            // The last connection to close checkpoints the WAL into the file and removes it.
            await writer.close()
        case .postgres(_, let runner, _, _):
            runner.cancel()
            _ = await runner.value
        }
    }

    /// True if `error` is a unique constraint refusing a row, on either engine: the way the
    /// database tells two concurrent writers that only one of them may win.
    public static func isUniqueViolation(_ error: any Error) -> Bool {
        if let sqlite = error as? SQLiteError { return sqlite.isUniqueViolation }
        if let psql = error as? PSQLError {
            return psql.serverInfo?[.sqlState] == "23505"
        }
        return false
    }

    /// True if PostgreSQL cancelled a statement that ran past the statement timeout.
    public static func isTimeout(_ error: any Error) -> Bool {
        (error as? PSQLError)?.serverInfo?[.sqlState] == "57014"
    }

    static func describe(_ error: any Error) -> String {
        if let psql = error as? PSQLError {
            // A refused certificate has no server message; what NIOSSL said is in `underlying`.
            if let message = psql.serverInfo?[.message] { return message }
            return psql.underlying.map { "\(psql.code): \($0)" } ?? "\(psql.code)"
        }
        return String(describing: error)
    }
}

/// How hard SQLite works to keep a commit: FULL survives power loss (the default), NORMAL only
/// a crash of the process.
public enum SQLiteDurability: String, Sendable, CaseIterable {
    case full = "FULL"
    case normal = "NORMAL"
}

public enum StoreError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(location: String, reason: String)
    case schemaTooNew(database: Int, known: Int)
    case notFound
    case conflict(String)
    /// No connection came free in time (PostgreSQL's pool is exhausted): try again in a moment.
    case busy

    public var description: String {
        switch self {
        case .cannotOpen(let location, let reason): "cannot open the database \(location): \(reason)"
        case .schemaTooNew(let database, let known): "the database schema is version \(database) but this linli knows only up to \(known): upgrade linli"
        case .notFound: "not found"
        case .conflict(let reason): "conflict: \(reason)"
        case .busy: "the database has no free connection: try again in a moment"
        }
    }
}
