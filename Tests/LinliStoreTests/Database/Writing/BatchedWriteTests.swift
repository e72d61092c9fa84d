import Foundation
@testable import LinliStore
import LinliTestSupport
import SQLKit
import Synchronization
import Testing

/// Inserts names into `batch_probe`, all of a call's names in one statement, and remembers how
/// many items each call was handed. A call of the one name "hold" waits for `gate` to finish.
final class ProbeBatch: BatchedWrite {
    let gate: AsyncStream<Void>?
    let calls = Mutex<[Int]>([])

    init(gate: AsyncStream<Void>? = nil) {
        self.gate = gate
    }

    func write(_ names: [String], on db: any SQLDatabase) async throws -> [Int64] {
        calls.withLock { $0.append(names.count) }
        if names == ["hold"], let gate { for await _ in gate {} }
        let rows: [SQLQueryString] = names.map { "(\(bind: $0))" }
        let ids = try await db.raw("INSERT INTO batch_probe (name) VALUES " + rows.joined(separator: ", ") + " RETURNING id, name").all()
            .reduce(into: [String: Int64]()) { $0[try $1.decode(column: "name", as: String.self)] = try $1.decode(column: "id", as: Int64.self) }
        return try names.map { try #require(ids[$0]) }
    }

    static func createTable(_ store: Store, engine: TestEngine) async throws {
        try await store.write { db in try await db.raw("CREATE TABLE batch_probe (id \(unsafeRaw: engine == .postgres ? "BIGSERIAL" : "INTEGER") PRIMARY KEY, name TEXT NOT NULL UNIQUE)").run() }
    }
}

@Suite("Writes that arrive together are written together, and each still succeeds or fails alone")
struct BatchedWriteTests {
    @Test("60 concurrent writes share calls; the one that breaks a unique constraint fails alone", arguments: TestEngine.available)
    func batchesAndFallback(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            try await ProbeBatch.createTable(store, engine: engine)
            try await store.write { db in try await db.raw("INSERT INTO batch_probe (name) VALUES ('taken')").run() }
            let batch = ProbeBatch()
            let names = (1...59).map { "item-\($0)" } + ["taken"]
            let outcomes = await withTaskGroup(of: (String, Result<Int64, any Error>).self) { group in
                for name in names {
                    group.addTask {
                        do { return (name, .success(try await store.write(name, batchedBy: batch))) } catch { return (name, .failure(error)) }
                    }
                }
                return await group.reduce(into: [String: Result<Int64, any Error>]()) { $0[$1.0] = $1.1 }
            }
            let failed = outcomes.filter { if case .failure = $0.value { true } else { false } }.map(\.key)
            #expect(failed == ["taken"])
            if case .failure(let error) = outcomes["taken"] { #expect(Store.isUniqueViolation(error)) }
            // Each caller got the id of its own row.
            let stored = try await store.read { db in
                try await db.raw("SELECT id, name FROM batch_probe").all().reduce(into: [String: Int64]()) { $0[try $1.decode(column: "name", as: String.self)] = try $1.decode(column: "id", as: Int64.self) }
            }
            #expect(stored.count == 60)
            for (name, outcome) in outcomes {
                if case .success(let id) = outcome { #expect(stored[name] == id, "\(name)") }
            }
            let calls = batch.calls.withLock { $0 }
            #expect(calls.contains { $0 > 1 }, "calls of \(calls) items: nothing was written together")
            // The call holding "taken" failed; its items were written again one at a time.
            #expect(calls.filter { $0 == 1 }.count >= 2, "calls of \(calls) items: no call fell back to one item at a time")
        }
    }

    @Test("a batch that fails is written again in the order its writes arrived: the first of two twins wins", arguments: TestEngine.available)
    func fallbackInOrder(engine: TestEngine) async throws {
        // One batch transaction at a time, so the twins wait together behind the first.
        let oneAtATime = PostgresPool(connections: 4, batchTransactions: 1, connectionWait: .seconds(5))
        try await withTestStore(engine, postgresPool: oneAtATime) { store in
            try await ProbeBatch.createTable(store, engine: engine)
            let (gate, open) = AsyncStream<Void>.makeStream()
            let batch = ProbeBatch(gate: gate)
            // The first call holds the queue, so the twins, sent one after the other, share the next.
            let hold = Task { try await store.write("hold", batchedBy: batch) }
            while batch.calls.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(5)) }
            let first = Task { try await store.write("twin", batchedBy: batch) }
            while await store.writesWaiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
            let second = Task { try await store.write("twin", batchedBy: batch) }
            while await store.writesWaiting < 2 { try await Task.sleep(for: .milliseconds(5)) }
            open.finish()
            _ = try await hold.value
            let firstID = try await first.value
            let refused = await #expect(throws: (any Error).self) { try await second.value }
            #expect(refused.map(Store.isUniqueViolation) == true)
            let stored = try await store.read { db in try await db.raw("SELECT id FROM batch_probe WHERE name = 'twin'").first()?.decode(column: "id", as: Int64.self) }
            #expect(stored == firstID)
            #expect(batch.calls.withLock { $0 } == [1, 2, 1, 1])
        }
    }

    @Test("a plain write and batched items that arrive together share one transaction, and a plain write failing leaves the batch intact", arguments: TestEngine.available)
    func plainAndBatchedTogether(engine: TestEngine) async throws {
        struct Planted: Error {}
        try await withTestStore(engine) { store in
            try await ProbeBatch.createTable(store, engine: engine)
            let batch = ProbeBatch()
            let outcomes = await withTaskGroup(of: Bool.self) { group in
                for index in 0..<40 {
                    group.addTask {
                        if index % 10 == 0 {
                            return (try? await store.write { _ in throw Planted() }) != nil
                        }
                        return (try? await store.write("name-\(index)", batchedBy: batch)) != nil
                    }
                }
                return await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(outcomes.count { $0 } == 36)
            let count = try await store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM batch_probe").first()?.decode(column: "n", as: Int.self) }
            #expect(count == 36)
        }
    }

    @Test("on PostgreSQL a batch waiting on its transaction holds up a few writes, not a crowd: with enough waiting, a second transaction runs beside it", arguments: TestEngine.available.filter { $0 == .postgres })
    func severalInFlight(engine: TestEngine) async throws {
        let fourInFlight = PostgresPool(connections: 8, batchTransactions: 4, connectionWait: .seconds(60))
        try await withTestStore(engine, postgresPool: fourInFlight) { store in
            try await ProbeBatch.createTable(store, engine: engine)
            let (gate, open) = AsyncStream<Void>.makeStream()
            let batch = ProbeBatch(gate: gate)
            let hold = Task { try await store.write("hold", batchedBy: batch) }
            while batch.calls.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(5)) }
            // One write alone waits for the transaction under way.
            let early = Task { try await store.write("early", batchedBy: batch) }
            while await store.writesWaiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
            try await Task.sleep(for: .milliseconds(200))
            #expect(await store.writesWaiting == 1)
            #expect(batch.calls.withLock { $0 } == [1])
            // With enough waiting, they are written and committed while the first transaction is still open.
            let crowd = (1..<PostgresWriteQueue.overlapAtLeast).map { "next-\($0)" }
            let written = try await withThrowingTaskGroup(of: Int64.self) { group in
                for name in crowd { group.addTask { try await store.write(name, batchedBy: batch) } }
                return try await group.reduce(into: [Int64]()) { $0.append($1) }
            }
            #expect(written.count == crowd.count)
            _ = try await early.value
            let seen = try await store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM batch_probe").first()?.decode(column: "n", as: Int.self) }
            #expect(seen == PostgresWriteQueue.overlapAtLeast)
            open.finish()
            _ = try await hold.value
            #expect(try await store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM batch_probe").first()?.decode(column: "n", as: Int.self) } == PostgresWriteQueue.overlapAtLeast + 1)
        }
    }
}
