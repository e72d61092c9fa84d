import CSQLite
import Foundation

/// A value as SQLite stores it.
enum SQLiteValue: Sendable, Hashable {
    case null
    case integer(Int64)
    case real(Double)
    case text(String)
    case blob([UInt8])
}

/// An error SQLite reported, with its extended result code.
public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String

    /// A unique or primary-key constraint refused a row (SQLITE_CONSTRAINT_UNIQUE and
    /// SQLITE_CONSTRAINT_PRIMARYKEY, macros Swift does not import).
    public var isUniqueViolation: Bool {
        code == 2067 || code == 1555
    }

    public var description: String { "SQLite error \(code): \(message)" }
}

/// One connection to a SQLite database, confined to a thread of its own (`SQLiteThread`).
///
/// Statements are prepared once and kept (sqlite-nio, which we used before, prepared every
/// statement anew: a tenth of a filing's CPU went to parsing and planning the same SQL again).
final class SQLiteConnection: @unchecked Sendable {
    let thread: SQLiteThread
    // Touched only on `thread`.
    private var handle: OpaquePointer?
    private var statements: [String: CachedStatement] = [:]
    private var uses = 0
    /// Frames in the WAL after this connection's last commit, kept by SQLite's WAL hook.
    private let walFrameCount = UnsafeMutablePointer<Int32>.allocate(capacity: 1)

    /// Enough for every query Linli runs; queries with IN lists of many lengths take a statement
    /// per length and may push older ones out.
    static let statementCacheSize = 128

    private init(handle: OpaquePointer, thread: SQLiteThread) {
        self.handle = handle
        self.thread = thread
        walFrameCount.initialize(to: 0)
    }

    deinit {
        walFrameCount.deallocate()
    }

    /// Counts the WAL's frames after each commit of this connection (`walFrames`). It replaces
    /// SQLite's automatic checkpoints, which the writer does its own way.
    func countWALFrames() async throws {
        try await thread.run {
            // The result is the replaced hook's argument (the automatic checkpoint's threshold): not needed.
            _ = sqlite3_wal_hook(handle, { context, _, _, frames in
                context?.assumingMemoryBound(to: Int32.self).pointee = frames
                return SQLITE_OK
            }, walFrameCount)
        }
    }

    /// The WAL's frames after this connection's last commit; read on the connection's thread.
    var walFrames: Int {
        precondition(thread.isCurrent, "a SQLite connection used off its thread")
        return Int(walFrameCount.pointee)
    }

    /// False outside a transaction, as after an error (disk full, I/O) with which SQLite rolled
    /// the whole transaction back by itself; read on the connection's thread.
    var isInTransaction: Bool {
        // Off its thread only once closed (a stopped thread's jobs run elsewhere): no transaction.
        guard thread.isCurrent, let handle else { return false }
        return sqlite3_get_autocommit(handle) == 0
    }

    /// Runs `PRAGMA wal_checkpoint(mode)`; true when every page in the WAL was copied back (false
    /// when a reader or the writer stood in the way).
    func checkpoint(_ mode: String) async throws -> Bool {
        let rows = try await query("PRAGMA wal_checkpoint(\(mode))")
        return rows.first?.values.first == .integer(0)
    }

    /// Opens `path` (":memory:" for a private in-memory database) on a new thread named `name`.
    static func open(path: String, name: String) async throws -> SQLiteConnection {
        let thread = SQLiteThread(name: name)
        do {
            let handle = try await thread.run { () throws -> SendableHandle in
                var handle: OpaquePointer?
                // NOMUTEX: the connection is used on its own thread only, so SQLite's per-call
                // locking would guard against nothing.
                let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
                let status = sqlite3_open_v2(path, &handle, flags, nil)
                guard status == SQLITE_OK, let handle else {
                    let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "cannot open"
                    sqlite3_close_v2(handle)
                    throw SQLiteError(code: status, message: message)
                }
                sqlite3_extended_result_codes(handle, 1)
                return SendableHandle(pointer: handle)
            }
            return SQLiteConnection(handle: handle.pointer, thread: thread)
        } catch {
            thread.stop()
            throw error
        }
    }

    /// Runs one statement, calling `onRow` for each row it returns, in order.
    func execute(_ sql: String, _ binds: [SQLiteValue], onRow: (SQLiteRow) throws -> Void) async throws {
        try await thread.run { try self.executeHere(sql, binds, onRow: onRow) }
    }

    /// Runs the one-row INSERT `sql` once for each of `rows`, as one step on the connection's
    /// thread; returns the rowid of each row inserted (nil where a conflict clause skipped it).
    func insertEach(_ sql: String, rows: [[SQLiteValue]]) async throws -> [Int64?] {
        try await thread.run {
            precondition(thread.isCurrent, "a SQLite connection used off its thread")
            guard let handle else { throw SQLiteThread.closed }
            let statement = try prepared(sql, on: handle)
            let pointer = statement.pointer
            var ids: [Int64?] = []
            ids.reserveCapacity(rows.count)
            do {
                let parameters = Int(sqlite3_bind_parameter_count(pointer))
                for row in rows {
                    // Bindings outlast a reset: a short row would take the last row's values.
                    guard row.count == parameters else { throw SQLiteError(code: SQLITE_RANGE, message: "a row of \(row.count) values for \(parameters) parameters") }
                    for (index, value) in row.enumerated() {
                        try check(bind(value, at: Int32(index + 1), to: pointer), on: handle)
                    }
                    let status = sqlite3_step(pointer)
                    guard status == SQLITE_DONE else { throw error(status, on: handle) }
                    ids.append(sqlite3_changes(handle) > 0 ? sqlite3_last_insert_rowid(handle) : nil)
                    sqlite3_reset(pointer)
                }
            } catch {
                finish(statement, transient: false)
                throw error
            }
            finish(statement, transient: false)
            return ids
        }
    }

    /// Runs `sql` for its effect and returns the rows, for PRAGMAs and the like.
    @discardableResult
    func query(_ sql: String) async throws -> [SQLiteRow] {
        try await thread.run {
            var rows: [SQLiteRow] = []
            try self.executeHere(sql, []) { rows.append($0) }
            return rows
        }
    }

    func close() async {
        _ = try? await thread.run {
            for statement in self.statements.values { sqlite3_finalize(statement.pointer) }
            self.statements.removeAll()
            sqlite3_close_v2(self.handle)
            self.handle = nil
        }
        thread.stop()
    }

    private func executeHere(_ sql: String, _ binds: [SQLiteValue], onRow: (SQLiteRow) throws -> Void) throws {
        precondition(thread.isCurrent, "a SQLite connection used off its thread")
        guard let handle else { throw SQLiteThread.closed }
        // A schema change (the migrations) can change what a kept `SELECT *` returns, so DDL is
        // prepared for once and empties the cache.
        let changesSchema = Self.changesSchema(sql)
        let statement = try changesSchema ? CachedStatement(pointer: prepare(sql, on: handle), lastUse: 0) : prepared(sql, on: handle)
        let pointer = statement.pointer
        do {
            for (index, value) in binds.enumerated() {
                try check(bind(value, at: Int32(index + 1), to: pointer), on: handle)
            }
            var columns: SQLiteColumns?
            while true {
                let status = sqlite3_step(pointer)
                if status == SQLITE_DONE { break }
                guard status == SQLITE_ROW else { throw error(status, on: handle) }
                let names = columns ?? statement.columns(of: pointer)
                columns = names
                var values: [SQLiteValue] = []
                values.reserveCapacity(names.names.count)
                for index in 0..<Int32(names.names.count) { values.append(Self.value(of: pointer, at: index)) }
                try onRow(SQLiteRow(columns: names, values: values))
            }
        } catch {
            finish(statement, transient: changesSchema)
            throw error
        }
        finish(statement, transient: changesSchema)
        if changesSchema { flushStatements() }
    }

    private func finish(_ statement: CachedStatement, transient: Bool) {
        if transient {
            sqlite3_finalize(statement.pointer)
        } else {
            sqlite3_reset(statement.pointer)
            sqlite3_clear_bindings(statement.pointer)
        }
    }

    private func prepare(_ sql: String, on handle: OpaquePointer, flags: UInt32 = 0) throws -> OpaquePointer {
        var pointer: OpaquePointer?
        let status = sqlite3_prepare_v3(handle, sql, -1, flags, &pointer, nil)
        guard status == SQLITE_OK, let pointer else {
            sqlite3_finalize(pointer)
            throw status == SQLITE_OK ? SQLiteError(code: SQLITE_MISUSE, message: "no statement in the SQL") : error(status, on: handle)
        }
        return pointer
    }

    private func prepared(_ sql: String, on handle: OpaquePointer) throws -> CachedStatement {
        uses += 1
        if let cached = statements[sql] {
            cached.lastUse = uses
            return cached
        }
        let pointer = try prepare(sql, on: handle, flags: UInt32(SQLITE_PREPARE_PERSISTENT))
        if statements.count >= Self.statementCacheSize, let oldest = statements.min(by: { $0.value.lastUse < $1.value.lastUse }) {
            sqlite3_finalize(oldest.value.pointer)
            statements[oldest.key] = nil
        }
        let statement = CachedStatement(pointer: pointer, lastUse: uses)
        statements[sql] = statement
        return statement
    }

    private func flushStatements() {
        for statement in statements.values { sqlite3_finalize(statement.pointer) }
        statements.removeAll()
    }

    private static func changesSchema(_ sql: String) -> Bool {
        let head = sql.utf8.prefix(8).map { $0 | 0x20 }
        return head.starts(with: "create".utf8) || head.starts(with: "drop".utf8) || head.starts(with: "alter".utf8)
    }

    private func bind(_ value: SQLiteValue, at index: Int32, to statement: OpaquePointer) -> Int32 {
        switch value {
        case .null: return sqlite3_bind_null(statement, index)
        case .integer(let integer): return sqlite3_bind_int64(statement, index, integer)
        case .real(let real): return sqlite3_bind_double(statement, index, real)
        case .text(let text):
            var text = text
            return text.withUTF8 { bytes in
                guard let base = bytes.baseAddress, !bytes.isEmpty else { return sqlite3_bind_text(statement, index, "", 0, sqliteTransient) }
                return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) { sqlite3_bind_text(statement, index, $0, Int32(bytes.count), sqliteTransient) }
            }
        case .blob(let bytes):
            return bytes.withUnsafeBytes { buffer in
                // A zero-length blob is still a blob, not NULL.
                sqlite3_bind_blob(statement, index, buffer.baseAddress ?? UnsafeRawPointer(bitPattern: 1), Int32(buffer.count), sqliteTransient)
            }
        }
    }

    private static func value(of statement: OpaquePointer, at index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(statement, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(statement, index))
        case SQLITE_FLOAT:
            return .real(sqlite3_column_double(statement, index))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard let bytes = sqlite3_column_text(statement, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: bytes, count: count), as: UTF8.self))
        case SQLITE_BLOB:
            let count = Int(sqlite3_column_bytes(statement, index))
            guard let bytes = sqlite3_column_blob(statement, index) else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        default:
            return .null
        }
    }

    private func check(_ status: Int32, on handle: OpaquePointer) throws {
        guard status == SQLITE_OK else { throw error(status, on: handle) }
    }

    /// The connection's last error, which explains `status`; a status the connection did not
    /// record (some misuse) speaks for itself.
    private func error(_ status: Int32, on handle: OpaquePointer) -> SQLiteError {
        let code = sqlite3_extended_errcode(handle)
        guard code & 0xFF == status & 0xFF else { return SQLiteError(code: status, message: String(cString: sqlite3_errstr(status))) }
        return SQLiteError(code: code, message: String(cString: sqlite3_errmsg(handle)))
    }
}

/// SQLite copies a bound text or blob at once (SQLITE_TRANSIENT), so Swift's buffer may go.
private let sqliteTransient = unsafeBitCast(-1, to: sqlite3_destructor_type.self)

private struct SendableHandle: @unchecked Sendable {
    let pointer: OpaquePointer
}

/// A prepared statement kept for reuse, with the names of the columns it returns.
private final class CachedStatement {
    let pointer: OpaquePointer
    var lastUse: Int
    private var columns: SQLiteColumns?

    init(pointer: OpaquePointer, lastUse: Int) {
        self.pointer = pointer
        self.lastUse = lastUse
    }

    private var preparedTimes: Int32 = -1

    /// Worked out again whenever SQLite has prepared the statement again by itself, as it does
    /// when another connection changed the schema under it (the names may be new).
    func columns(of statement: OpaquePointer) -> SQLiteColumns {
        let times = sqlite3_stmt_status(statement, SQLITE_STMTSTATUS_REPREPARE, 0)
        if let columns, times == preparedTimes { return columns }
        let fresh = SQLiteColumns(names: (0..<sqlite3_column_count(statement)).map { String(cString: sqlite3_column_name(statement, $0)) })
        (columns, preparedTimes) = (fresh, times)
        return fresh
    }
}

/// The column names of a result, shared by its rows.
final class SQLiteColumns: Sendable {
    let names: [String]
    private let positions: [String: Int]

    init(names: [String]) {
        self.names = names
        var positions: [String: Int] = [:]
        // The first of two same-named columns wins, as in SQLite's own lookup by name.
        for (index, name) in names.enumerated() where positions[name] == nil { positions[name] = index }
        self.positions = positions
    }

    func position(of name: String) -> Int? { positions[name] }
}
