import Logging
import PostgresNIO
import SQLKit

/// PostgreSQL's queue of batched writes on one node. A plain `Store.write` on PostgreSQL takes a
/// connection of the pool and its own transaction at once, as the server runs many side by
/// side; a batched write waits here, so the items that arrive together share one call and one
/// commit.
///
/// Up to `maximumInFlight` transactions run at once, each on its own connection (two by default,
/// `PostgresPool.standard`). A transaction spends most of its time waiting: on each round trip,
/// on the scheduling of this node's tasks between them, and on the commit's fsync. Another
/// transaction fills that wait. When a transaction ends, the next one takes every item that
/// arrived meanwhile, so batches grow with the load.
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
    /// Writes that must be waiting before a transaction starts beside one under way. A second
    /// transaction costs round trips and a commit of its own, and pays only when enough writes
    /// share them: started for every write that came, it split a busy node's filings into small
    /// batches (one node: 3,024 filings/s, two nodes 0.79 times that; waiting for 16: 3,605/s and
    /// 0.90 times, docs/PERFORMANCE.md). With fewer waiting, they wait for the transaction under
    /// way to end, as with one in flight.
    static let overlapAtLeast = 16

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
        while inFlight < maximumInFlight, !queue.isEmpty, inFlight == 0 || queue.count >= Self.overlapAtLeast {
            let taken = queue
            queue.removeAll()
            inFlight += 1
            Task { await self.run(taken) }
        }
    }

    private func run(_ taken: [QueuedWrite]) async {
        do {
            let outcomes = try await client.withConnection(waitingAtMost: connectionWait) { connection in
                try await Self.write(taken, on: connection.sql(queryLogLevel: nil))
            }
            for (queued, outcome) in outcomes { queued.continuation.resume(with: outcome) }
        } catch {
            for queued in taken { queued.continuation.resume(throwing: error) }
        }
        inFlight -= 1
        startTransactions()
    }

    /// Only batched writes queue here, so a transaction usually holds one unit: the items of one
    /// batched write. That unit goes in without the savepoint `WriteQueue.run` would give it, two
    /// round trips fewer, and the batch after it waits on every round trip of this one. If it
    /// fails, its transaction is rolled back and its items are written again, one by one in a
    /// second transaction, each in a savepoint of its own, as `WriteQueue` would have done after
    /// rolling back to the savepoint.
    private static func write(_ taken: [QueuedWrite], on db: any SQLDatabase) async throws -> [(QueuedWrite, Result<any Sendable, any Error>)] {
        let units = WriteQueue.units(taken)
        guard units.count == 1, let unit = units.first else {
            return try await Store.transaction(on: db, begin: "BEGIN") { db in try await WriteQueue.run(units, on: db, isInTransaction: { true }) }
        }
        do {
            let outputs = try await Store.transaction(on: db, begin: "BEGIN") { db in
                do {
                    return try await WriteQueue.perform(unit, on: db)
                } catch {
                    throw UnitFailed(error: error)
                }
            }
            return zip(unit, outputs.map { .success($0) }).map { ($0, $1) }
        } catch let failed as UnitFailed {
            guard unit.count > 1 else { return [(unit[0], .failure(failed.error))] }
            return try await Store.transaction(on: db, begin: "BEGIN") { db in
                try await WriteQueue.run(unit.map { [$0] }, on: db, isInTransaction: { true })
            }
        }
    }

    /// The unit's own failure, told apart from a failure to begin or commit: after that one the
    /// commit's fate is unknown, and writing the items again could write them twice.
    private struct UnitFailed: Error {
        let error: any Error
    }
}
