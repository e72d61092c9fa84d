import Foundation
import Logging
import NIOPosix
import SQLKit
import SQLiteKit

/// SQLite's one writer, with group commit. A durable commit costs an fsync (about 4 ms here), so
/// one commit per write would cap a server near 250 writes a second. Writes that arrive while a
/// commit is under way queue up and share the next transaction: each runs in its own savepoint,
/// so it still succeeds or fails alone, and each caller hears back only after the commit that
/// holds its write is on disk.
actor SQLiteWriter {
    private let connection: SQLiteConnection
    private var queue: [Pending] = []
    private var draining = false
    /// Transactions committed so far; lets tests see that concurrent writes share commits.
    private(set) var commits = 0

    private struct Pending {
        let body: @Sendable (any SQLDatabase) async throws -> any Sendable
        let continuation: CheckedContinuation<any Sendable, any Error>
    }

    init(connection: SQLiteConnection) {
        self.connection = connection
    }

    func write<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        let value = try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<any Sendable, any Error>) in
            queue.append(Pending(body: { try await body($0) }, continuation: continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
        guard let typed = value as? T else { throw StoreError.conflict("a write returned an unexpected type") }
        return typed
    }

    private func drain() async {
        let db = connection.sql(queryLogLevel: nil)
        while !queue.isEmpty {
            let batch = queue
            queue.removeAll()
            var results: [Result<any Sendable, any Error>] = []
            do {
                // IMMEDIATE takes the write lock up front, so a batch never fails half-way on a
                // lock held by another process.
                try await db.raw("BEGIN IMMEDIATE").run()
                for (index, pending) in batch.enumerated() {
                    let savepoint = "write\(index)"
                    try await db.raw("SAVEPOINT \(unsafeRaw: savepoint)").run()
                    do {
                        let value = try await pending.body(db)
                        try await db.raw("RELEASE \(unsafeRaw: savepoint)").run()
                        results.append(.success(value))
                    } catch {
                        try await db.raw("ROLLBACK TO \(unsafeRaw: savepoint)").run()
                        try await db.raw("RELEASE \(unsafeRaw: savepoint)").run()
                        results.append(.failure(error))
                    }
                }
                try await db.raw("COMMIT").run()
                commits += 1
            } catch {
                try? await db.raw("ROLLBACK").run()
                for pending in batch { pending.continuation.resume(throwing: error) }
                continue
            }
            for (pending, result) in zip(batch, results) { pending.continuation.resume(with: result) }
        }
        draining = false
    }
}

/// What an open SQLite store runs beside its connections: the thread pools they block, and the
/// checkpointer that copies the WAL into the database file, off the writer's path.
///
/// A checkpoint writes scattered pages into the database file and fsyncs it, and while it does,
/// the writer's own fsyncs (synchronous=FULL) wait behind it: checkpoints during a surge of
/// filings put a quarter of a second on one request in a hundred. So the checkpointer waits for a
/// lull, a second without a commit, and then empties the WAL; only a WAL past `walLimit` is
/// checkpointed during the surge itself, so the WAL (and the time to read through it) stays bounded.
final class SQLiteHousekeeping: Sendable {
    static let walLimit = 128 * 1024 * 1024

    private let pools: [NIOThreadPool]
    private let checkpointer: SQLiteConnection?
    private let task: Task<Void, Never>?

    init(pools: [NIOThreadPool], checkpointer: SQLiteConnection?, walPath: String?, commits: @escaping @Sendable () async -> Int, logger: Logger) {
        self.pools = pools
        self.checkpointer = checkpointer
        task = checkpointer.map { connection in
            Task {
                var lastCommits = await commits()
                while !Task.isCancelled {
                    try? await Task.sleep(for: .seconds(1))
                    let count = await commits()
                    let idle = count == lastCommits
                    lastCommits = count
                    let walBytes = walPath.flatMap { (try? FileManager.default.attributesOfItem(atPath: $0))?[.size] as? Int } ?? 0
                    guard idle || walBytes > Self.walLimit else { continue }
                    do {
                        // TRUNCATE in a lull empties the file; PASSIVE in a surge copies what it can
                        // without waiting for, or blocking, the writer.
                        _ = try await connection.query(idle ? "PRAGMA wal_checkpoint(TRUNCATE)" : "PRAGMA wal_checkpoint(PASSIVE)")
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
        try? await checkpointer?.close()
    }

    func shutDown() async {
        for pool in pools { try? await pool.shutdownGracefully() }
    }
}
