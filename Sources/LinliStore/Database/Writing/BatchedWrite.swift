import SQLKit

/// A kind of write that is cheaper written many at a time: a batch of filings reads all its
/// households with one query, checks all its idempotency keys with another, and inserts all its
/// rows with a few statements, where one filing at a time would take a dozen statements each.
///
/// Handed to `Store.write(_:batchedBy:)`. The store's one write queue decides what commits
/// together (`WriteQueue`): the items of one `BatchedWrite` object waiting there when a transaction
/// starts are handed to `write(_:on:)` together, at most `WriteQueue.maximumBatch` at a time.
public protocol BatchedWrite: AnyObject, Sendable {
    associatedtype Item: Sendable
    associatedtype Output: Sendable

    /// Writes `items` inside the transaction under way and returns one output per item, in the
    /// items' order. An item that must be refused is an output, not a throw: a throw undoes the
    /// whole call, and the queue then writes the items again one at a time, each on its own.
    func write(_ items: [Item], on db: any SQLDatabase) async throws -> [Output]
}
