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
