import Foundation
import LinliCore
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Card custody on a hash chain, and `verify` naming tampered entries")
struct CardCustodyRecordsTests {
    @Test("a card's custody steps append to its district's chain and move the card; nothing follows a return", arguments: TestEngine.available)
    func custodySteps(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let fixture = try await CustodyFixture.make(store)
            let card = try await fixture.walkCard(store)
            #expect(card.state == .returnedToHousehold && card.holderUserID == nil)
            let history = try await store.read { db in try await CardCustodyRecords.history(cardID: card.id, on: db) }
            #expect(history.map(\.event) == [.receivedFromHousehold, .withRunner, .atHospital, .returnedToHousehold])
            #expect(history.map(\.seq) == [1, 2, 3, 4])
            #expect(history.allSatisfy { $0.chain == fixture.chain })
            #expect(history[1].holderUserID == fixture.runner && history[2].holderUserID == fixture.runner)
            #expect(history[3].confirmedBy == "household_code")
            await #expect(throws: CardCustodyError.refused(.alreadyReturned)) {
                try await store.write { db in
                    try await CardCustodyRecords.step(cardID: card.id, event: .returnedToHousehold, by: fixture.runner, holder: nil, confirmedBy: nil, note: nil, now: Date(), engine: store.engine, on: db)
                }
            }
            let reports = try await HashChainRecords.verifyAll(store: store)
            #expect(reports == [ChainReport(chain: fixture.chain, entries: 4, problem: nil)])
        }
    }

    @Test("verify names an edited entry, a deleted middle and last entry, and a forged one", arguments: TestEngine.available)
    func tampering(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let fixture = try await CustodyFixture.make(store)
            let chain = fixture.chain
            func entries() async throws -> [(id: Int64, seq: Int64)] {
                try await store.read { db in
                    try await db.raw("SELECT id, seq FROM card_custody WHERE chain = \(bind: chain) ORDER BY seq").all().map {
                        (try $0.decode(column: "id", as: Int64.self), try $0.decode(column: "seq", as: Int64.self))
                    }
                }
            }
            func problem(pageSize: Int = HashChainRecords.pageSize) async throws -> ChainProblem? {
                try await store.read { db in try await HashChainRecords.verify(chain: chain, pageSize: pageSize, on: db) }.problem
            }
            func sql(_ query: SQLQueryString) async throws { try await store.write { db in try await db.raw(query).run() } }

            _ = try await fixture.walkCard(store)
            _ = try await fixture.walkCard(store, number: "A1234567")
            #expect(try await problem(pageSize: 3) == nil, "paged walks hold too")
            let rows = try await entries()
            #expect(rows.count == 8)

            // Edited: the note of entry 2.
            try await sql("UPDATE card_custody SET note = '改过' WHERE id = \(bind: rows[1].id)")
            #expect(try await problem(pageSize: 3) == .altered(chain: chain, seq: 2, rowID: rows[1].id))
            try await sql("UPDATE card_custody SET note = '交给小王' WHERE id = \(bind: rows[1].id)")
            #expect(try await problem() == nil)

            // Deleted, the newest entry: the head still counts it.
            try await sql("DELETE FROM card_custody WHERE id = \(bind: rows[7].id)")
            #expect(try await problem() == .deleted(chain: chain, missingFrom: 8, missingTo: 8, nextRowID: nil))

            // Deleted, one in the middle: a gap before the next entry.
            try await sql("DELETE FROM card_custody WHERE id = \(bind: rows[4].id)")
            #expect(try await problem() == .deleted(chain: chain, missingFrom: 5, missingTo: 5, nextRowID: rows[5].id))

            // Forged into the gap with a self-consistent hash but no real link.
            let forgedPrev = String(repeating: "a", count: 64)
            let cardID = try await store.read { db in try await db.raw("SELECT card_id FROM card_custody WHERE id = \(bind: rows[0].id)").first()!.decode(column: "card_id", as: Int64.self) }
            let fields: [ChainValue] = [.int(cardID), .text("returned_to_household"), .text("user:1"), .null, .text("household_code"), .null, .int(0), .null]
            let hash = HashChain.hash(prevHash: forgedPrev, chain: chain, seq: 5, fields: fields)
            try await sql("""
                INSERT INTO card_custody (chain, seq, card_id, event, actor, holder_user_id, confirmed_by, batch_id, at, note, prev_hash, hash)
                VALUES (\(bind: chain), 5, \(bind: cardID), 'returned_to_household', 'user:1', NULL, 'household_code', NULL, 0, NULL, \(bind: forgedPrev), \(bind: hash))
                """)
            let forgedID = try await entries().first { $0.seq == 5 }!.id
            #expect(try await problem() == .inserted(chain: chain, seq: 5, rowID: forgedID))
            let reports = try await HashChainRecords.verifyAll(store: store)
            #expect(reports.count == 1 && reports[0].problem?.chain == chain)
        }
    }
}
