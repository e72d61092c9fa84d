import SQLKit

/// A write waiting for its transaction, and the caller waiting to hear how it went.
struct QueuedWrite: Sendable {
    enum Work: Sendable {
        /// A transaction body of its own (`Store.write(_:)`).
        case alone(@Sendable (any SQLDatabase) async throws -> any Sendable)
        /// One item of a `BatchedWrite`, written with the other items of the same object.
        case batched(batch: ObjectIdentifier, item: any Sendable, write: @Sendable ([any Sendable], any SQLDatabase) async throws -> [any Sendable])
    }

    let work: Work
    let continuation: CheckedContinuation<any Sendable, any Error>

    init(_ body: @escaping @Sendable (any SQLDatabase) async throws -> some Sendable, continuation: CheckedContinuation<any Sendable, any Error>) {
        work = .alone { try await body($0) }
        self.continuation = continuation
    }

    init<Batch: BatchedWrite>(_ item: Batch.Item, batchedBy batch: Batch, continuation: CheckedContinuation<any Sendable, any Error>) {
        work = .batched(batch: ObjectIdentifier(batch), item: item) { items, db in
            let typed = try items.map { item in
                guard let item = item as? Batch.Item else { throw StoreError.conflict("a batched write was queued with an item of another kind") }
                return item
            }
            let outputs = try await batch.write(typed, on: db)
            guard outputs.count == typed.count else { throw StoreError.conflict("a batched write returned \(outputs.count) results for \(typed.count) items") }
            return outputs.map { $0 as any Sendable }
        }
        self.continuation = continuation
    }
}

/// What one transaction does with the writes queued for it, on either engine. SQLite's writer
/// (`SQLiteWriter`) and PostgreSQL's queue of batched writes (`PostgresWriteQueue`) take every
/// write waiting when their transaction starts and hand them here; they only begin and commit.
///
/// The recovery, all of it here:
/// - **Savepoints.** In a transaction shared by several units, each runs in a savepoint: a unit
///   that fails is undone alone, its callers hear its error, and the others commit. A
///   transaction of one unit needs none: its failure rolls back the transaction.
/// - **One item at a time.** A batched call that throws (one row broke a unique index, say) is
///   undone, and its items are written again one by one, in the order they arrived, each in a
///   savepoint of its own: as if they had come one after another, still in one commit.
/// The third recovery, the retry after another node won a unique index, belongs to the caller
/// that knows what the index means (the request intake).
enum WriteQueue {
    /// The most items handed to one batched call: enough to share the reads of a surge, few
    /// enough that the statements' bind lists stay far below SQLite's and PostgreSQL's limits.
    static let maximumBatch = 256

    /// The queue as the units a transaction runs, in the order their first write arrived: each
    /// plain write alone, the items of one batched write together.
    static func units(_ queue: [QueuedWrite]) -> [[QueuedWrite]] {
        var units: [[QueuedWrite]] = []
        var openBatch: [ObjectIdentifier: Int] = [:]
        for write in queue {
            guard case .batched(let batch, _, _) = write.work else {
                units.append([write])
                continue
            }
            if let index = openBatch[batch], units[index].count < maximumBatch {
                units[index].append(write)
            } else {
                openBatch[batch] = units.count
                units.append([write])
            }
        }
        return units
    }

    /// Runs `units` inside the transaction under way and returns each write's outcome, paired
    /// with it. Throws only when the transaction itself is lost (a savepoint that cannot be rolled
    /// back, a transaction SQLite ended on its own): then nothing of it may be reported written.
    static func run(_ units: [[QueuedWrite]], on db: any SQLDatabase, isInTransaction: () -> Bool) async throws -> [(QueuedWrite, Result<any Sendable, any Error>)] {
        if units.count == 1, units[0].count == 1 {
            return [(units[0][0], .success(try await perform(units[0], on: db)[0]))]
        }
        var outcomes: [(QueuedWrite, Result<any Sendable, any Error>)] = []
        for unit in units {
            switch try await db.inSavepoint("write", isInTransaction: isInTransaction, { try await perform(unit, on: $0) }) {
            case .success(let outputs):
                outcomes += zip(unit, outputs.map { .success($0) })
            case .failure(let error) where unit.count == 1:
                outcomes.append((unit[0], .failure(error)))
            case .failure:
                for write in unit {
                    let outcome = try await db.inSavepoint("write", isInTransaction: isInTransaction) { try await perform([write], on: $0)[0] }
                    outcomes.append((write, outcome))
                }
            }
        }
        return outcomes
    }

    /// One unit: a plain write, or one call of a batched write with the unit's items.
    static func perform(_ unit: [QueuedWrite], on db: any SQLDatabase) async throws -> [any Sendable] {
        switch unit[0].work {
        case .alone(let body):
            return [try await body(db)]
        case .batched(_, _, let write):
            let items = unit.map { queued -> any Sendable in
                guard case .batched(_, let item, _) = queued.work else { return () }
                return item
            }
            return try await write(items, db)
        }
    }
}
