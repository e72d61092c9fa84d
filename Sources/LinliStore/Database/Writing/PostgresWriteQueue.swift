import Logging
import PostgresNIO
import SQLKit

/// PostgreSQL's queue of batched writes on one node. A plain `Store.write` on PostgreSQL takes a
/// connection of the pool and its own transaction at once, as the server runs many side by
/// side; a batched write waits here, so the items that arrive together share one call and one
/// commit.
///
/// Up to `maximumInFlight` transactions run at once, each on its own connection (one unless the
/// operator asks for more): a commit waits for the server's fsync, and a server with cores and
/// disks to spare can take several. On two cores more did not help, as each transaction then held
/// fewer filings for the same CPU (docs/PERFORMANCE.md, "Request intake on PostgreSQL"). When a
/// transaction ends, the next one takes every item that arrived meanwhile, so batches grow with
/// the load.
///
/// Two transactions in flight may hold filings of the same household and kind: the unique index
/// makes the second wait for the first and then refuses it, exactly as between two nodes, and the
/// intake's retry answers it (`RequestIntake`). Rows go in sorted by their unique keys
/// (`FilingBatch`), so two transactions never wait for each other in a circle.
actor PostgresWriteQueue {
    private let client: PostgresClient
    private let maximumInFlight: Int
    private let connectionWait: Duration
    private var queue: [QueuedWrite] = []
    private var inFlight = 0

    init(client: PostgresClient, maximumInFlight: Int, connectionWait: Duration) {
        self.client = client
        self.maximumInFlight = max(1, maximumInFlight)
        self.connectionWait = connectionWait
    }

    /// Writes waiting for a transaction; lets tests know which writes share one.
    var waiting: Int { queue.count }

    func write<Batch: BatchedWrite>(_ item: Batch.Item, batchedBy batch: Batch) async throws -> Batch.Output {
        let value = try await withCheckedThrowingContinuation { continuation in
            queue.append(QueuedWrite(item, batchedBy: batch, continuation: continuation))
            startTransactions()
        }
        guard let typed = value as? Batch.Output else { throw StoreError.conflict("a write returned an unexpected type") }
        return typed
    }

    private func startTransactions() {
        while inFlight < maximumInFlight, !queue.isEmpty {
            let taken = queue
            queue.removeAll()
            inFlight += 1
            Task { await self.run(taken) }
        }
    }

    private func run(_ taken: [QueuedWrite]) async {
        do {
            let outcomes = try await client.withConnection(waitingAtMost: connectionWait) { connection in
                try await Store.transaction(on: connection.sql(queryLogLevel: nil), begin: "BEGIN") { db in
                    try await WriteQueue.run(WriteQueue.units(taken), on: db, isInTransaction: { true })
                }
            }
            for (queued, outcome) in outcomes { queued.continuation.resume(with: outcome) }
        } catch {
            for queued in taken { queued.continuation.resume(throwing: error) }
        }
        inFlight -= 1
        startTransactions()
    }
}
