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

    /// 16 connections; one batch transaction at a time, as before several could be in flight, until
    /// the PostgreSQL intake benchmark shows what more gives (more in flight also makes the
    /// least-loaded routing of filings approximate: two transactions choose from the same counts);
    /// 10 seconds' wait, far beyond a busy pool's usual wait and well inside a phone's patience.
    public static let standard = PostgresPool(connections: 16, batchTransactions: 1, connectionWait: .seconds(10))

    public static let connectionRange = 2...500

    public init(connections: Int, batchTransactions: Int, connectionWait: Duration) {
        self.connections = min(max(connections, Self.connectionRange.lowerBound), Self.connectionRange.upperBound)
        self.batchTransactions = min(max(batchTransactions, 1), self.connections - 1)
        self.connectionWait = connectionWait
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
