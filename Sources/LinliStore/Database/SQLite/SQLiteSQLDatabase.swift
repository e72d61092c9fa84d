import LinliCore
import Foundation
import Logging
import NIOCore
import NIOPosix
import SQLKit

/// SQLKit's `SQLDatabase` over one of our SQLite connections: every query Linli writes once runs
/// here and on PostgreSQL.
struct SQLiteSQLDatabase: SQLDatabase {
    let connection: SQLiteConnection
    let logger: Logger

    var eventLoop: any EventLoop { MultiThreadedEventLoopGroup.singleton.any() }
    var dialect: any SQLDialect { SQLiteDialect() }
    var queryLogLevel: Logger.Level? { nil }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) -> EventLoopFuture<Void> {
        let promise = eventLoop.makePromise(of: Void.self)
        promise.completeWithTask { try await self.execute(sql: query, onRow) }
        return promise.futureResult
    }

    func execute(sql query: any SQLExpression, _ onRow: @escaping @Sendable (any SQLRow) -> Void) async throws {
        let (sql, binds) = serialize(query)
        let values = try binds.map(SQLiteValue.init(bind:))
        try await connection.execute(sql, values) { onRow($0) }
    }

    /// `INSERT INTO table (columns) VALUES (?, ...)` once per row, with one statement prepared
    /// once; the rowids in row order.
    func insertEach(into table: String, columns: [String], rows: [[any Encodable & Sendable]], conflict: String) async throws -> [Int64?] {
        let sql = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES (\(Array(repeating: "?", count: columns.count).joined(separator: ", ")))\(conflict)"
        return try await connection.insertEach(sql, rows: try rows.map { try $0.map(SQLiteValue.init(bind:)) })
    }
}

/// A row of a result. Integers, reals, text, blobs and NULL read as sqlite-nio read them, so
/// rows written before the switch read back the same (Linli stores dates as integers and JSON as
/// text, which is all it reads).
struct SQLiteRow: SQLRow {
    let columns: SQLiteColumns
    let values: [SQLiteValue]

    var allColumns: [String] { columns.names }

    func contains(column: String) -> Bool { columns.position(of: column) != nil }

    func decodeNil(column: String) throws -> Bool {
        try value(column) == .null
    }

    func decode<D: Decodable>(column: String, as type: D.Type) throws -> D {
        let value = try value(column)
        // The types Linli reads, found by identity: a protocol conformance check costs a lookup
        // in the runtime's cache on every column of every row.
        switch ObjectIdentifier(D.self) {
        case ObjectIdentifier(String.self): if let text = String(sqliteValue: value) { return unsafeBitCast(text, to: D.self) }
        case ObjectIdentifier(String?.self): if let text = String?(sqliteValue: value) { return unsafeBitCast(text, to: D.self) }
        case ObjectIdentifier(Int64.self): if let integer = Int64(sqliteValue: value) { return unsafeBitCast(integer, to: D.self) }
        case ObjectIdentifier(Int64?.self): if let integer = Int64?(sqliteValue: value) { return unsafeBitCast(integer, to: D.self) }
        case ObjectIdentifier(Int.self): if let integer = Int(sqliteValue: value) { return unsafeBitCast(integer, to: D.self) }
        case ObjectIdentifier(Int?.self): if let integer = Int?(sqliteValue: value) { return unsafeBitCast(integer, to: D.self) }
        default:
            if let decodable = D.self as? any SQLiteValueDecodable.Type, let decoded = decodable.init(sqliteValue: value) {
                // swiftlint:disable:next force_cast
                return decoded as! D
            }
            if !(D.self is any SQLiteValueDecodable.Type) { return try Self.decodeJSON(D.self, from: value, column: column) }
        }
        let context = DecodingError.Context(codingPath: [SQLiteColumnKey(column)], debugDescription: "column \(column) holds \(value)")
        throw value == .null ? DecodingError.valueNotFound(D.self, context) : DecodingError.typeMismatch(D.self, context)
    }

    /// Types without a plain counterpart go through JSON: one that is a single value (an enum with
    /// a raw value) decodes from the value itself, one with keys or elements from JSON text.
    private static func decodeJSON<D: Decodable>(_ type: D.Type, from value: SQLiteValue, column: String) throws -> D {
        let decoder = JSONDecoder()
        switch value {
        case .null: return try decoder.decode(D.self, from: Data("null".utf8))
        case .integer(let integer): return try decoder.decode(D.self, from: Data(String(integer).utf8))
        case .real(let real): return try decoder.decode(D.self, from: Data(String(real).utf8))
        case .blob: throw DecodingError.typeMismatch(D.self, .init(codingPath: [SQLiteColumnKey(column)], debugDescription: "column \(column) holds a blob"))
        case .text(let text):
            if let single = try? decoder.decode(D.self, from: JSONEncoder().encode(text)) { return single }
            return try decoder.decode(D.self, from: Data(text.utf8))
        }
    }

    private func value(_ column: String) throws -> SQLiteValue {
        guard let position = columns.position(of: column) else {
            throw DecodingError.keyNotFound(SQLiteColumnKey(column), .init(codingPath: [], debugDescription: "no column \(column) in the row"))
        }
        return values[position]
    }
}

private struct SQLiteColumnKey: CodingKey {
    var stringValue: String
    var intValue: Int? { nil }
    init(_ name: String) { stringValue = name }
    init?(stringValue: String) { self.stringValue = stringValue }
    init?(intValue: Int) { nil }
}

/// The types a column decodes to directly.
protocol SQLiteValueDecodable {
    init?(sqliteValue: SQLiteValue)
}

extension String: SQLiteValueDecodable {
    init?(sqliteValue: SQLiteValue) {
        switch sqliteValue {
        case .text(let text): self = text
        case .integer(let integer): self = String(integer)
        case .real(let real): self = String(real)
        case .blob, .null: return nil
        }
    }
}

extension Int64: SQLiteValueDecodable {
    init?(sqliteValue: SQLiteValue) {
        guard case .integer(let integer) = sqliteValue else { return nil }
        self = integer
    }
}

extension ID: SQLiteValueDecodable {
    init?(sqliteValue: SQLiteValue) {
        guard case .integer(let integer) = sqliteValue else { return nil }
        self.init(rawValue: integer)
    }
}

extension Int: SQLiteValueDecodable {
    init?(sqliteValue: SQLiteValue) {
        guard case .integer(let integer) = sqliteValue else { return nil }
        self = Int(integer)
    }
}

extension Int32: SQLiteValueDecodable {
    init?(sqliteValue: SQLiteValue) {
        guard case .integer(let integer) = sqliteValue, let narrow = Int32(exactly: integer) else { return nil }
        self = narrow
    }
}

extension Double: SQLiteValueDecodable {
    init?(sqliteValue: SQLiteValue) {
        switch sqliteValue {
        case .integer(let integer): self = Double(integer)
        case .real(let real): self = real
        case .text, .blob, .null: return nil
        }
    }
}

extension Bool: SQLiteValueDecodable {
    init?(sqliteValue: SQLiteValue) {
        switch sqliteValue {
        case .integer(let integer): self = integer != 0
        case .real(let real): self = real != 0
        case .text(let text):
            switch text.lowercased() {
            case "true", "yes", "1": self = true
            case "false", "no", "0": self = false
            default: return nil
            }
        case .blob, .null: return nil
        }
    }
}

extension Date: SQLiteValueDecodable {
    init?(sqliteValue: SQLiteValue) {
        switch sqliteValue {
        case .integer(let integer): self = Date(timeIntervalSince1970: Double(integer))
        case .real(let real): self = Date(timeIntervalSince1970: real)
        case .text, .blob, .null: return nil
        }
    }
}

extension Data: SQLiteValueDecodable {
    init?(sqliteValue: SQLiteValue) {
        guard case .blob(let bytes) = sqliteValue else { return nil }
        self = Data(bytes)
    }
}

extension Optional: SQLiteValueDecodable where Wrapped: SQLiteValueDecodable {
    init?(sqliteValue: SQLiteValue) {
        if sqliteValue == .null {
            self = .none
        } else if let wrapped = Wrapped(sqliteValue: sqliteValue) {
            self = .some(wrapped)
        } else {
            return nil
        }
    }
}

/// A bound Optional, whatever it wraps.
private protocol OptionalBind {
    var wrappedBind: (any Encodable)? { get }
}

extension Optional: OptionalBind where Wrapped: Encodable {
    var wrappedBind: (any Encodable)? { self.map { $0 } }
}

extension SQLiteValue {
    /// A value SQLKit binds. Plain values go in as themselves; anything else as JSON text.
    init(bind value: any Encodable) throws {
        // The types Linli binds, found by identity first (a failed cast costs more than a
        // comparison, and an Optional's nil fails every cast before the last).
        switch ObjectIdentifier(type(of: value)) {
        case ObjectIdentifier(Int64.self): self = .integer((value as! Int64)); return
        case ObjectIdentifier(String.self): self = .text((value as! String)); return
        case ObjectIdentifier(Int.self): self = .integer(Int64(value as! Int)); return
        case ObjectIdentifier(Int64?.self): self = (value as! Int64?).map { .integer($0) } ?? .null; return
        case ObjectIdentifier(String?.self): self = (value as! String?).map { .text($0) } ?? .null; return
        case ObjectIdentifier(Int?.self): self = (value as! Int?).map { .integer(Int64($0)) } ?? .null; return
        default: break
        }
        switch value {
        case let integer as Int64: self = .integer(integer)
        case let integer as Int: self = .integer(Int64(integer))
        case let text as String: self = .text(text)
        case let id as any IntegerIdentifier: self = .integer(id.rawValue)
        case let real as Double: self = .real(real)
        case let flag as Bool: self = .integer(flag ? 1 : 0)
        case let integer as Int32: self = .integer(Int64(integer))
        case let date as Date: self = .real(date.timeIntervalSince1970)
        case let data as Data: self = .blob(Array(data))
        case let optional as any OptionalBind:
            guard let wrapped = optional.wrappedBind else {
                self = .null
                return
            }
            try self.init(bind: wrapped)
        default:
            self = try Self.encodeJSON(value)
        }
    }

    /// A type that encodes as one plain value (an enum with a raw value) is bound as that value;
    /// one with keys or elements as JSON text, as sqlite-kit did.
    private static func encodeJSON(_ value: any Encodable) throws -> SQLiteValue {
        let json = try JSONEncoder().encode(value)
        switch json.first {
        case UInt8(ascii: "{"), UInt8(ascii: "["): return .text(String(decoding: json, as: UTF8.self))
        case UInt8(ascii: "\""): return .text(try JSONDecoder().decode(String.self, from: json))
        case UInt8(ascii: "t"): return .integer(1)
        case UInt8(ascii: "f"): return .integer(0)
        case UInt8(ascii: "n"): return .null
        default:
            let number = String(decoding: json, as: UTF8.self)
            if let integer = Int64(number) { return .integer(integer) }
            if let real = Double(number) { return .real(real) }
            return .text(number)
        }
    }
}

/// How SQLKit writes SQL for SQLite.
struct SQLiteDialect: SQLDialect {
    var name: String { "sqlite" }
    var identifierQuote: any SQLExpression { SQLRaw("\"") }
    var literalStringQuote: any SQLExpression { SQLRaw("'") }
    /// Plain `?`: SQLKit writes binds in order, and numbered ones (`?12`) cost SQLite a linear
    /// search per placeholder when it prepares the statement, quadratic in a multi-row insert.
    func bindPlaceholder(at position: Int) -> any SQLExpression { SQLRaw("?") }
    func literalBoolean(_ value: Bool) -> any SQLExpression { SQLRaw(value ? "TRUE" : "FALSE") }
    var literalDefault: any SQLExpression { SQLLiteral.null }
    var supportsIfExists: Bool { true }
    var supportsDropBehavior: Bool { false }
    var supportsAutoIncrement: Bool { false }
    var autoIncrementClause: any SQLExpression { SQLRaw("AUTOINCREMENT") }
    var enumSyntax: SQLEnumSyntax { .unsupported }
    var alterTableSyntax: SQLAlterTableSyntax { .init(allowsBatch: false) }
    var upsertSyntax: SQLUpsertSyntax { .standard }
    var supportsReturning: Bool { true }
    var unionFeatures: SQLUnionFeatures { [.union, .unionAll, .intersect, .except] }
    func customDataType(for dataType: SQLDataType) -> (any SQLExpression)? {
        // SQLite's 64-bit integer is INTEGER; BIGINT would lose the rowid alias of a key.
        if case .bigint = dataType { return SQLDataType.int }
        return nil
    }
}
