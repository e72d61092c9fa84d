import SQLKit

/// Coalesces writes of one kind that arrive together into one transaction, handed to `batch`
/// together. Group commit already shares the fsync between writes; this also shares the work
/// a write does before it writes: a batch of filings reads all its households with one query,
/// checks all its idempotency keys with another, and so on (`RequestService.write`).
///
/// Each item still succeeds or fails alone: if a batch fails (one row breaks a unique constraint,
/// say), its items are written again one by one, in the order they arrived, each in its own
/// savepoint of one transaction, and each caller hears its own outcome. A caller hears back only
/// after the commit holding its write, so an acknowledged write is durable.
public actor WriteBatcher<Item: Sendable, Output: Sendable> {
    public typealias Batch = @Sendable ([Item], any SQLDatabase) async throws -> [Output]
    public typealias Single = @Sendable (Item, any SQLDatabase) async throws -> Output

    private let store: Store
    private let maximumBatch: Int
    private let batch: Batch
    private let single: Single
    private var queue: [(item: Item, continuation: CheckedContinuation<Output, any Error>)] = []
    private var draining = false
    /// Batches written so far and how many of them fell back to one write per item; for tests.
    public private(set) var batches = 0
    public private(set) var fallbacks = 0
    /// Items waiting for the next batch; for tests.
    public var waiting: Int { queue.count }

    /// `batch` must return one output per item, in the items' order; `single` writes one item.
    public init(store: Store, maximumBatch: Int = 256, batch: @escaping Batch, single: @escaping Single) {
        self.store = store
        self.maximumBatch = max(1, maximumBatch)
        self.batch = batch
        self.single = single
    }

    public func submit(_ item: Item) async throws -> Output {
        try await withCheckedThrowingContinuation { continuation in
            queue.append((item, continuation))
            if !draining {
                draining = true
                Task { await self.drain() }
            }
        }
    }

    private func drain() async {
        while !queue.isEmpty {
            let taken = Array(queue.prefix(maximumBatch))
            queue.removeFirst(taken.count)
            let items = taken.map(\.item)
            batches += 1
            let batch = self.batch
            do {
                let outputs = try await store.write { db in
                    let outputs = try await batch(items, db)
                    guard outputs.count == items.count else { throw StoreError.conflict("a batch write returned \(outputs.count) results for \(items.count) items") }
                    return outputs
                }
                for (pending, output) in zip(taken, outputs) { pending.continuation.resume(returning: output) }
            } catch {
                if taken.count == 1 {
                    taken[0].continuation.resume(throwing: error)
                    continue
                }
                fallbacks += 1
                await writeOneByOne(taken)
            }
        }
        draining = false
    }

    /// In the order they arrived, in one transaction, each in a savepoint of its own: as if they
    /// had come one after another, and with one commit for all of them.
    private func writeOneByOne(_ taken: [(item: Item, continuation: CheckedContinuation<Output, any Error>)]) async {
        let single = self.single
        let items = taken.map(\.item)
        do {
            let results = try await store.write { db in
                var results: [Result<Output, any Error>] = []
                for item in items {
                    results.append(try await db.inSavepoint("batched_item") { try await single(item, $0) })
                }
                return results
            }
            for (pending, result) in zip(taken, results) { pending.continuation.resume(with: result) }
        } catch {
            for pending in taken { pending.continuation.resume(throwing: error) }
        }
    }
}
