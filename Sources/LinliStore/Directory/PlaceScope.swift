import SQLKit

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
