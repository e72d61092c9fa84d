import Foundation
import Logging
import SQLKit
import Synchronization

/// SQLite's one writer, with group commit. A durable commit costs an fsync (about 4 ms here), so
/// one commit per write would cap a server near 250 writes a second. Writes that arrive while a
/// commit is under way queue up and share the next transaction (`WriteQueue` says how: each in
/// its own savepoint, the items of a batched write in one call), and each caller hears back only
/// after the commit that holds its write is on disk.
///
/// This queue is the only one a write waits in on SQLite: it decides what commits together.
/// The transactions run on the writer connection's thread, statements inline (see
/// `SQLiteThread`); the queue is behind a lock, so writes join it while a commit is on disk.
final class SQLiteWriter: Sendable {
    private let connection: SQLiteConnection
    private let logger: Logger
    private let state = Mutex(State())

    private struct State {
        var queue: [QueuedWrite] = []
        var draining = false
        var commits = 0
    }

    /// WAL pages after which the writer checkpoints, between two batches.
    ///
    /// SQLite starts the WAL over from its first page only when the writer begins a transaction
    /// with every page already copied back into the database file. Copied by another connection
    /// alone, the WAL never gets there during a surge (new pages keep coming), so it grew by
    /// 25 MB a second, and every page appended to it cost a fresh block of the file. So the
    /// checkpointer copies most pages beside the writer (`SQLiteHousekeeping`), and now and then
    /// the writer copies the rest itself, which lets its next transaction start the WAL over.
    private let checkpointFrames: Int

    init(connection: SQLiteConnection, checkpointFrames: Int, logger: Logger) {
        self.connection = connection
        self.checkpointFrames = checkpointFrames
        self.logger = logger
    }

    /// Transactions committed so far; lets tests see that concurrent writes share commits.
    var commits: Int { state.withLock { $0.commits } }

    /// Writes waiting for the next transaction; lets tests know which writes share one.
    var waiting: Int { state.withLock { $0.queue.count } }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        try await enqueue { QueuedWrite(body, continuation: $0) }
    }

    func write<Batch: BatchedWrite>(_ item: Batch.Item, batchedBy batch: Batch) async throws -> Batch.Output {
        try await enqueue { QueuedWrite(item, batchedBy: batch, continuation: $0) }
    }

    private func enqueue<T: Sendable>(_ write: (CheckedContinuation<any Sendable, any Error>) -> QueuedWrite) async throws -> T {
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            let queued = write(continuation)
            let startDraining = state.withLock { state in
                state.queue.append(queued)
                guard !state.draining else { return false }
                state.draining = true
                return true
            }
            if startDraining {
                Task(executorPreference: connection.thread) { await self.drain() }
            }
        }
        guard let typed = value as? T else { throw StoreError.conflict("a write returned an unexpected type") }
        return typed
    }

    /// The connection itself, for what must run outside a transaction (closing).
    func close() async {
        await connection.close()
    }

    private func drain() async {
        let db = SQLiteSQLDatabase(connection: connection, logger: logger)
        let connection = self.connection
        while true {
            let queue = state.withLock { state in
                let queue = state.queue
                state.queue.removeAll()
                if queue.isEmpty { state.draining = false }
                return queue
            }
            if queue.isEmpty { return }
            let outcomes: [(QueuedWrite, Result<any Sendable, any Error>)]
            do {
                // IMMEDIATE takes the write lock up front, so a batch never fails half-way on a
                // lock held by another process.
                try await db.raw("BEGIN IMMEDIATE").run()
                outcomes = try await WriteQueue.run(WriteQueue.units(queue), on: db, isInTransaction: { connection.isInTransaction })
                // A write that caught an error with which SQLite had ended the transaction went
                // on outside it: none of the batch may be reported written.
                guard connection.isInTransaction else { throw StoreError.conflict("the transaction ended inside a write") }
                try await db.raw("COMMIT").run()
                state.withLock { $0.commits += 1 }
            } catch {
                if connection.isInTransaction {
                    do {
                        try await db.raw("ROLLBACK").run()
                    } catch {
                        logger.critical("a failed batch could not be rolled back", metadata: ["error": "\(error)"])
                    }
                }
                for queued in queue { queued.continuation.resume(throwing: error) }
                continue
            }
            for (queued, outcome) in outcomes { queued.continuation.resume(with: outcome) }
            if connection.walFrames >= checkpointFrames {
                do {
                    // Only a whole copy lets the WAL start over; a reader in the way leaves some for next time.
                    _ = try await connection.checkpoint("PASSIVE")
                } catch {
                    logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
                }
            }
        }
    }
}

/// What an open SQLite store runs beside its connections: the checkpointer, which copies the
/// WAL into the database file off the writer's path.
///
/// A checkpoint writes scattered pages into the database file and fsyncs it. Done by the writer
/// in its commit (SQLite's default), that stalled every request waiting on the commit. Every
/// `interval` with commits, the checkpointer copies what it can without waiting for, or
/// blocking, the writer (PASSIVE); the writer finishes the job now and then, so the WAL starts
/// over (see `SQLiteWriter.checkpointFrames`). After a second without commits it empties the file.
final class SQLiteHousekeeping: Sendable {
    private let checkpointer: SQLiteConnection?
    private let task: Task<Void, Never>?

    init(checkpointer: SQLiteConnection?, interval: Duration, commits: @escaping @Sendable () -> Int, logger: Logger) {
        self.checkpointer = checkpointer
        task = checkpointer.map { connection in
            Task {
                var lastCommits = commits()
                var idleSince = ContinuousClock.now
                var emptied = true
                while true {
                    do { try await Task.sleep(for: interval) } catch { break }
                    let count = commits()
                    let now = ContinuousClock.now
                    if count != lastCommits {
                        (lastCommits, idleSince, emptied) = (count, now, false)
                    } else if emptied || now - idleSince < .seconds(1) {
                        continue
                    }
                    let idle = count == lastCommits && now - idleSince >= .seconds(1)
                    do {
                        // A reader still in the WAL makes TRUNCATE give up (after the checkpointer's
                        // short busy timeout); it is tried again on the next tick.
                        let whole = try await connection.checkpoint(idle ? "TRUNCATE" : "PASSIVE")
                        if idle && whole { emptied = true }
                    } catch {
                        logger.warning("WAL checkpoint failed", metadata: ["error": "\(error)"])
                    }
                }
            }
        }
    }

    /// Stops checkpointing and closes the checkpointer's connection.
    func stop() async {
        task?.cancel()
        _ = await task?.value
        await checkpointer?.close()
    }
}

