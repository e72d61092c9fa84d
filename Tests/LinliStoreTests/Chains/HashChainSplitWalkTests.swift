import Foundation
import LinliCore
@testable import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("A long chain walked in two halves at once finds what one walk finds")
struct HashChainSplitWalkTests {
    static let chain = "supplies/77"

    /// A chain of `count` entries, appended together as a bulk hand-out appends them.
    static func fill(_ store: Store, count: Int) async throws {
        let entries: [[ChainValue]] = (1...count).map { index in
            [.text("handed_out"), .int(5), .int(Int64(1000 + index)), .null, .int(1), .text("user:1"), .text("user:1"), .int(1_650_000_000_000), .null]
        }
        let engine = store.engine
        _ = try await store.write { db in try await HashChainRecords.appendMany(to: .suppliesLedger, chain: chain, entries: entries, engine: engine, on: db) }
    }

    static func id(_ store: Store, seq: Int64) async throws -> Int64 {
        try #require(try await store.read { db in
            try await db.raw("SELECT id FROM supply_ledger WHERE chain = \(bind: chain) AND seq = \(bind: seq)").first()?.decode(column: "id", as: Int64.self)
        })
    }

    @Test("untouched, edited, deleted or slipped in, in either half or at the middle: the split walk names the same problem as the single walk", arguments: TestEngine.available)
    func splitMatchesSingle(engine: TestEngine) async throws {
        let tampering: [(String, (Store) async throws -> Void)] = [
            ("untouched", { _ in }),
            ("edited early", { store in try await store.write { db in try await db.raw("UPDATE supply_ledger SET quantity = 2 WHERE chain = \(bind: Self.chain) AND seq = 10").run() } }),
            ("edited late", { store in try await store.write { db in try await db.raw("UPDATE supply_ledger SET quantity = 2 WHERE chain = \(bind: Self.chain) AND seq = 90").run() } }),
            ("middle edited", { store in try await store.write { db in try await db.raw("UPDATE supply_ledger SET quantity = 2 WHERE chain = \(bind: Self.chain) AND seq = 50").run() } }),
            ("middle's hash edited", { store in try await store.write { db in try await db.raw("UPDATE supply_ledger SET hash = \(bind: String(repeating: "a", count: 64)) WHERE chain = \(bind: Self.chain) AND seq = 50").run() } }),
            ("middle deleted", { store in try await store.write { db in try await db.raw("DELETE FROM supply_ledger WHERE chain = \(bind: Self.chain) AND seq = 50").run() } }),
            ("just after the middle deleted", { store in try await store.write { db in try await db.raw("DELETE FROM supply_ledger WHERE chain = \(bind: Self.chain) AND seq = 51").run() } }),
            ("just before the middle deleted", { store in try await store.write { db in try await db.raw("DELETE FROM supply_ledger WHERE chain = \(bind: Self.chain) AND seq = 49").run() } }),
            ("newest deleted", { store in try await store.write { db in try await db.raw("DELETE FROM supply_ledger WHERE chain = \(bind: Self.chain) AND seq = 100").run() } }),
            // (chain, seq) is unique, so a row slipped in takes a sequence number past the head.
            ("slipped in past the head", { store in try await store.write { db in
                try await db.raw("""
                    INSERT INTO supply_ledger (chain, seq, prev_hash, hash, event, batch_id, household_id, shelf_item_id, quantity, actor, confirmed_by, at, note)
                    SELECT chain, seq + 1, hash, hash, event, batch_id, household_id + 1, shelf_item_id, quantity, actor, confirmed_by, at, note FROM supply_ledger
                    WHERE chain = \(bind: Self.chain) AND seq = 100
                    """).run()
            } }),
            ("the middle's row renumbered", { store in try await store.write { db in
                try await db.raw("UPDATE supply_ledger SET seq = 1000 WHERE chain = \(bind: Self.chain) AND seq = 50").run()
            } }),
        ]
        for (label, tamper) in tampering {
            try await withTestStore(engine) { store in
                try await Self.fill(store, count: 100)
                try await tamper(store)
                let single = try await store.read { db in try await HashChainRecords.verify(chain: Self.chain, pageSize: 7, on: db) }
                let split = try await HashChainRecords.verify(chain: Self.chain, store: store, pageSize: 7, splitAbove: 10)
                #expect(split.problem == single.problem, "\(label): split \(String(describing: split.problem)), single \(String(describing: single.problem))")
                #expect((split.problem == nil) == (label == "untouched"), "\(label)")
                if label == "untouched" { #expect(split.entries == 100 && single.entries == 100) }
            }
        }
    }
}
