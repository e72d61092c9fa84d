import SQLKit

extension SQLDatabase {
    /// Inserts many rows with multi-row INSERTs, staying under both engines' bind limits
    /// (PostgreSQL allows 65,535 parameters per statement).
    func insertRows(into table: String, columns: [String], rows: [[any Encodable & Sendable]]) async throws {
        guard !rows.isEmpty else { return }
        let rowsPerStatement = max(1, 30_000 / max(1, columns.count))
        var start = 0
        while start < rows.count {
            let end = min(rows.count, start + rowsPerStatement)
            let builder = self.insert(into: table).columns(columns)
            for row in rows[start..<end] {
                builder.values(row.map { SQLBind($0) as any SQLExpression })
            }
            try await builder.run()
            start = end
        }
    }
}

/// `X <= path < X0` for each scope: the place itself and everything under it. Paths hold only
/// digits and '/', and '/' sorts just below '0', so this one range is exactly the place and its
/// descendants; being a single range, the path index also yields rows in path order, which
/// lets `ORDER BY path LIMIT n` stop early. An empty scope matches nothing (never everything).
func scopeCondition(column: String, scopes: [String]) -> SQLQueryString {
    guard !scopes.isEmpty else { return "1 = 0" }
    let parts: [SQLQueryString] = scopes.map { scope in
        "(\(unsafeRaw: column) >= \(bind: scope) AND \(unsafeRaw: column) < \(bind: scope + "0"))"
    }
    return "(" + parts.joined(separator: " OR ") + ")"
}
