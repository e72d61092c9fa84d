import Logging
import PostgresNIO
import SQLKit

/// PostgreSQL's queue of batched writes on one node. A plain `Store.write` on PostgreSQL takes a
/// connection of the pool and its own transaction at once, as the server runs many side by
/// side; a batched write waits here, so the items that arrive together share one call and one
/// commit. One transaction at a time: the items that arrive while it runs wait for the next.
actor PostgresWriteQueue {
    private let client: PostgresClient
    private var queue: [QueuedWrite] = []
    private var draining = false

    init(client: PostgresClient) {
        self.client = client
    }

    /// Writes waiting for the next transaction; lets tests know which writes share one.
    var waiting: Int { queue.count }

    func write<Batch: BatchedWrite>(_ item: Batch.Item, batchedBy batch: Batch) async throws -> Batch.Output {
        let value = try await withCheckedThrowingContinuation { continuation in
            queue.append(QueuedWrite(item, batchedBy: batch, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
        guard let typed = value as? Batch.Output else { throw StoreError.conflict("a write returned an unexpected type") }
        return typed
    }

    private func drain() async {
        while !queue.isEmpty {
            let taken = queue
            queue.removeAll()
            do {
                let outcomes = try await client.withConnection { connection in
                    let db = connection.sql(queryLogLevel: nil)
                    try await db.raw("BEGIN").run()
                    do {
                        let outcomes = try await WriteQueue.run(WriteQueue.units(taken), on: db, isInTransaction: { true })
                        try await db.raw("COMMIT").run()
                        return outcomes
                    } catch {
                        try? await db.raw("ROLLBACK").run()
                        throw error
                    }
                }
                for (queued, outcome) in outcomes { queued.continuation.resume(with: outcome) }
            } catch {
                for queued in taken { queued.continuation.resume(throwing: error) }
            }
        }
        draining = false
    }
}
