import Foundation
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Writes that arrive together are written together, and each still succeeds or fails alone")
struct WriteBatcherTests {
    /// A batch of the one name "hold" waits for `gate` to finish.
    static func batcher(_ store: Store, gate: AsyncStream<Void>? = nil) -> WriteBatcher<String, Int64> {
        WriteBatcher(store: store, batch: { names, db in
            if names == ["hold"], let gate { for await _ in gate {} }
            let rows: [SQLQueryString] = names.map { "(\(bind: $0))" }
            let ids = try await db.raw("INSERT INTO batch_probe (name) VALUES " + rows.joined(separator: ", ") + " RETURNING id, name").all()
                .reduce(into: [String: Int64]()) { $0[try $1.decode(column: "name", as: String.self)] = try $1.decode(column: "id", as: Int64.self) }
            return try names.map { try #require(ids[$0]) }
        }, single: { name, db in
            try #require(try await db.raw("INSERT INTO batch_probe (name) VALUES (\(bind: name)) RETURNING id").first()?.decode(column: "id", as: Int64.self))
        })
    }

    @Test("60 concurrent writes share batches; the one that breaks a unique constraint fails alone", arguments: TestEngine.available)
    func batchesAndFallback(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            try await store.write { db in try await db.raw("CREATE TABLE batch_probe (id \(unsafeRaw: engine == .postgres ? "BIGSERIAL" : "INTEGER") PRIMARY KEY, name TEXT NOT NULL UNIQUE)").run() }
            try await store.write { db in try await db.raw("INSERT INTO batch_probe (name) VALUES ('taken')").run() }
            let batcher = Self.batcher(store)
            let names = (1...59).map { "item-\($0)" } + ["taken"]
            let outcomes = await withTaskGroup(of: (String, Result<Int64, any Error>).self) { group in
                for name in names {
                    group.addTask {
                        do { return (name, .success(try await batcher.submit(name))) } catch { return (name, .failure(error)) }
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
            let batches = await batcher.batches
            #expect(batches < names.count, "\(batches) batches for \(names.count) writes: nothing was coalesced")
            #expect(await batcher.fallbacks >= 1)
        }
    }

    @Test("a batch that fails is written again in the order its writes arrived: the first of two twins wins", arguments: TestEngine.available)
    func fallbackInOrder(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            try await store.write { db in try await db.raw("CREATE TABLE batch_probe (id \(unsafeRaw: engine == .postgres ? "BIGSERIAL" : "INTEGER") PRIMARY KEY, name TEXT NOT NULL UNIQUE)").run() }
            let (gate, open) = AsyncStream<Void>.makeStream()
            let batcher = Self.batcher(store, gate: gate)
            // The first batch holds the batcher, so the twins, sent one after the other, share the next.
            let hold = Task { try await batcher.submit("hold") }
            while await batcher.batches < 1 { try await Task.sleep(for: .milliseconds(5)) }
            let first = Task { try await batcher.submit("twin") }
            while await batcher.waiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
            let second = Task { try await batcher.submit("twin") }
            while await batcher.waiting < 2 { try await Task.sleep(for: .milliseconds(5)) }
            open.finish()
            _ = try await hold.value
            let firstID = try await first.value
            let refused = await #expect(throws: (any Error).self) { try await second.value }
            #expect(refused.map(Store.isUniqueViolation) == true)
            let stored = try await store.read { db in try await db.raw("SELECT id FROM batch_probe WHERE name = 'twin'").first()?.decode(column: "id", as: Int64.self) }
            #expect(stored == firstID)
            #expect(await batcher.fallbacks == 1)
        }
    }
}
