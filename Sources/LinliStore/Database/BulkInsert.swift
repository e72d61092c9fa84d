import LinliCore
import SQLKit

extension SQLDatabase {
    /// Inserts many rows. SQLite is in this process: a one-row statement, prepared once and run
    /// once per row in one go on the writer's thread, beats a statement of many rows, which is
    /// prepared anew for every batch size (and RETURNING costs SQLite more than the insert).
    /// PostgreSQL is a round trip away: many rows go in one statement, staying under its limit
    /// of 65,535 parameters.
    func insertRows(into table: String, columns: [String], rows: [[any Encodable & Sendable]], conflict: String = "") async throws {
        guard !rows.isEmpty else { return }
        if let sqlite = self as? SQLiteSQLDatabase {
            _ = try await sqlite.insertEach(into: table, columns: columns, rows: rows, conflict: conflict)
            return
        }
        try await insertInStatements(into: table, columns: columns, rows: rows, tail: conflict)
    }

    /// Inserts the rows of several tables, none of whose rows refers to another's here. On
    /// PostgreSQL that is one statement, `WITH i1 AS (INSERT ...), i2 AS (INSERT ...) INSERT ...`,
    /// one round trip where each table took one of its own: a batch of filings waits on every
    /// round trip of its transaction, and the next batch waits on it. Foreign keys are checked at
    /// the end of the statement, so the rows may refer to rows written earlier in the
    /// transaction. On SQLite each table is inserted as `insertRows(into:...)` does.
    public func insertRows(_ inserts: [RowsToInsert]) async throws {
        let inserts = inserts.filter { !$0.rows.isEmpty }
        let binds = inserts.reduce(0) { $0 + $1.rows.count * $1.columns.count }
        guard !(self is SQLiteSQLDatabase), inserts.count > 1, binds <= RowsToInsert.bindsPerStatement else {
            for insert in inserts { try await insertRows(into: insert.table, columns: insert.columns, rows: insert.rows, conflict: insert.conflict) }
            return
        }
        try await execute(sql: SQLInsertsTogether(inserts: inserts)) { _ in }
    }

    /// Inserts rows into a table whose key is `id` and returns the keys given, in row order
    /// (PostgreSQL returns a multi-row INSERT's rows in the order of its VALUES).
    func insertRowsReturningIDs<Entity>(into table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws -> [ID<Entity>] {
        guard !rows.isEmpty else { return [] }
        if let sqlite = self as? SQLiteSQLDatabase {
            return try await sqlite.insertEach(into: table, columns: columns, rows: rows, conflict: "").map { id in
                guard let id else { throw StoreError.conflict("a row of \(table) was not inserted") }
                return ID(rawValue: id)
            }
        }
        let returned = try await insertInStatements(into: table, columns: columns, rows: rows, tail: " RETURNING id")
        guard returned.count == rows.count else { throw StoreError.conflict("\(table) returned \(returned.count) keys for \(rows.count) rows") }
        return try returned.map { try $0.decode(column: "id", as: ID<Entity>.self) }
    }

    @discardableResult
    private func insertInStatements(into table: String, columns: [String], rows: [[any Encodable & Sendable]], tail: String) async throws -> [any SQLRow] {
        let head = "INSERT INTO \(table) (\(columns.joined(separator: ", "))) VALUES "
        let rowsPerStatement = max(1, RowsToInsert.bindsPerStatement / max(1, columns.count))
        let collected = RowCollector()
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + rowsPerStatement)
            try await execute(sql: SQLBoundRows(head: head, rows: rows[start..<end], tail: tail)) { collected.append($0) }
            start = end
        }
        return collected.rows
    }
}

/// The rows to insert into one table, as `insertRows(_:)` takes them with other tables' rows.
public struct RowsToInsert: Sendable {
    /// Binds in one PostgreSQL statement, well under its limit of 65,535.
    static let bindsPerStatement = 30_000

    let table: String
    let columns: [String]
    let rows: [[any Encodable & Sendable]]
    /// An `ON CONFLICT ...` clause, or nothing.
    let conflict: String

    public init(into table: String, columns: [String], rows: [[any Encodable & Sendable]], conflict: String = "") {
        self.table = table
        self.columns = columns
        self.rows = rows
        self.conflict = conflict
    }
}

/// `WITH i1 AS (INSERT ...), ... INSERT ...`: every insert but the last in a common table
/// expression of the last. PostgreSQL runs each of them once, whether or not anything reads it.
private struct SQLInsertsTogether: SQLExpression {
    let inserts: [RowsToInsert]

    func serialize(to serializer: inout SQLSerializer) {
        for (index, insert) in inserts.enumerated() {
            let last = index == inserts.count - 1
            serializer.write(index == 0 ? "WITH i1 AS (" : last ? ") " : "), i\(index + 1) AS (")
            SQLBoundRows(head: "INSERT INTO \(insert.table) (\(insert.columns.joined(separator: ", "))) VALUES ", rows: insert.rows[...], tail: insert.conflict)
                .serialize(to: &serializer)
        }
    }
}

/// `head ($1, $2), ($3, $4) tail`: rows of binds written out in one pass. SQLKit's insert builder
/// makes an expression of every value and serializes each on its own, which for a batch of
/// filings was a tenth of the writer's time.
private struct SQLBoundRows: SQLExpression {
    let head: String
    let rows: ArraySlice<[any Encodable & Sendable]>
    let tail: String

    func serialize(to serializer: inout SQLSerializer) {
        // The dialect's placeholder for bind 1 ("?", "$1") gives its form: numbered or not.
        var probe = SQLSerializer(database: serializer.database)
        serializer.dialect.bindPlaceholder(at: 1).serialize(to: &probe)
        let numbered = probe.sql.hasSuffix("1")
        let sigil = numbered ? String(probe.sql.dropLast()) : probe.sql
        var text = head
        text.reserveCapacity(head.count + rows.count * (rows.first?.count ?? 0) * 6 + tail.count)
        for (rowIndex, row) in rows.enumerated() {
            text += rowIndex == 0 ? "(" : ", ("
            for (columnIndex, value) in row.enumerated() {
                if columnIndex > 0 { text += ", " }
                serializer.binds.append(value)
                text += sigil
                if numbered { text += String(serializer.binds.count) }
            }
            text += ")"
        }
        text += tail
        serializer.write(text)
    }
}

/// Rows handed over one by one by the database's row callback, which runs them in order.
private final class RowCollector: @unchecked Sendable {
    private(set) var rows: [any SQLRow] = []
    func append(_ row: any SQLRow) { rows.append(row) }
}
