import PostgresNIO
import Synchronization

/// How one node uses PostgreSQL's connections. A deployment of N nodes needs
/// `N × connections` of the server's `max_connections`, plus a few for `psql` and backups.
public struct PostgresPool: Sendable, Equatable {
    /// Connections this node opens at most. Reads, plain writes and batch transactions share them.
    public var connections: Int
    /// Batch transactions (filings) that may wait on their commit at once; each holds a
    /// connection meanwhile, so it is less than `connections`, leaving room for reads.
    public var batchTransactions: Int
    /// How long a read or write waits for a free connection before it is refused with
    /// `StoreError.busy` (answered 503 with `Retry-After`), so an exhausted pool never hangs a caller.
    public var connectionWait: Duration
    /// The longest a statement may run before PostgreSQL cancels it (its `statement_timeout`, set
    /// for every connection of this node): a query gone wrong, or one waiting on a lock that is
    /// not let go, then fails and frees its connection instead of holding it until someone
    /// notices. Migrations run without it: building an index on a city's tables may take longer.
    public var statementTimeout: Duration

    /// 16 connections; two batch transactions in flight, the best of one to four in the PostgreSQL
    /// intake benchmark (docs/PERFORMANCE.md): a transaction spends most of its time waiting on
    /// round trips, and a second one fills that wait, while four split the filings into more,
    /// smaller transactions for the same two cores. Two in flight route filings from the same
    /// counts, so the least-loaded choice of owner is approximate by at most one batch, as between
    /// two nodes. 10 seconds' wait for a connection, far beyond a busy pool's usual wait and well
    /// inside a phone's patience.
    /// Statements get 30 seconds: a filing's take milliseconds, a district's board a second or
    /// two at city scale.
    public static let standard = PostgresPool(connections: 16, batchTransactions: 2, connectionWait: .seconds(10), statementTimeout: .seconds(30))

    public static let connectionRange = 2...500

    public static let statementTimeoutRange = 1...3600

    public init(connections: Int, batchTransactions: Int, connectionWait: Duration, statementTimeout: Duration = Self.standard.statementTimeout) {
        self.connections = min(max(connections, Self.connectionRange.lowerBound), Self.connectionRange.upperBound)
        self.batchTransactions = min(max(batchTransactions, 1), self.connections - 1)
        self.connectionWait = connectionWait
        let range = Duration.seconds(Self.statementTimeoutRange.lowerBound)...Duration.seconds(Self.statementTimeoutRange.upperBound)
        self.statementTimeout = min(max(statementTimeout, range.lowerBound), range.upperBound)
    }

    /// The timeout in PostgreSQL's unit, milliseconds (bounded by `statementTimeoutRange`, so
    /// never 0, which would mean none).
    var statementTimeoutMilliseconds: Int64 {
        let (seconds, attoseconds) = statementTimeout.components
        return seconds * 1000 + attoseconds / 1_000_000_000_000_000
    }
}

extension PostgresClient {
    /// `withConnection`, refused with `StoreError.busy` when no connection is free within `wait`.
    /// Only the wait is timed: once a connection is lent, `body` runs as long as it takes.
    func withConnection<T: Sendable>(waitingAtMost wait: Duration, _ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws -> T {
        let lent = LentFlag()
        return try await withThrowingTaskGroup(of: T?.self) { group in
            group.addTask {
                try await self.withConnection { connection in
                    lent.set()
                    return try await body(connection)
                }
            }
            group.addTask {
                try await Task.sleep(for: wait)
                if lent.isSet { return nil }
                throw StoreError.busy
            }
            while let result = try await group.next() {
                if let value = result {
                    group.cancelAll()
                    return value
                }
            }
            throw StoreError.conflict("a connection's work ended without a result")
        }
    }
}

/// Whether a connection was lent yet, shared by the two racing tasks above.
private final class LentFlag: Sendable {
    private let state = Mutex(false)
    func set() { state.withLock { $0 = true } }
    var isSet: Bool { state.withLock { $0 } }
}
