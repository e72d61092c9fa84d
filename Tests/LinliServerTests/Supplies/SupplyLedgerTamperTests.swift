import Foundation
import LinliCore
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

/// The supplies ledger edited, added to and cut by hand, straight in the database: the verifier,
/// in-process and as `linli verify`, names each entry.
@Suite("The supplies ledger: an edited, a forged and a deleted entry are each named")
struct SupplyLedgerTamperTests {
    /// Six entries on one district's chain: received, allocated, handed out, written off, shelf offered, shelf taken.
    static func writeLedger(_ store: Store) async throws -> String {
        let fixture = try await CustodyFixture.make(store)
        let engine = store.engine
        let (household, staff) = (fixture.household, fixture.staff)
        try await store.write { db in
            let path = try #require(try await HouseholdRecords.household(id: household, on: db)).path
            let building = try #require(path.ids.dropLast().last)
            let new = NewSupplyBatch(kind: .relief, source: "区政府", supplier: nil, lot: "L-1", contents: [SupplyLine(item: "大米", quantity: 5, unit: "斤")],
                                     licences: nil, expiry: "2022-10-31", unit: .package, received: 10, placeID: building, allocation: .perHousehold, note: nil)
            let (batch, _) = try await SupplyRecords.receive(new, by: staff, now: Date(), engine: engine, on: db)
            _ = try await SupplyRecords.handOut(batchID: batch.id, householdID: household, confirmedBy: "household_code", by: staff, note: nil, now: Date(), engine: engine, on: db)
            _ = try await SupplyRecords.writeOff(batchID: batch.id, quantity: 1, reason: .damaged, note: "泡水", by: staff, now: Date(), engine: engine, on: db)
            let item = try await SupplyRecords.offer(placeID: building, item: "口罩", quantity: 20, note: nil, offeredBy: SupplyRecords.actor(staff), now: Date(), engine: engine, on: db)
            _ = try await SupplyRecords.take(itemID: item.id, takenBy: SupplyRecords.actor(staff), now: Date(), engine: engine, on: db)
        }
        return SupplyRecords.chainName(districtID: fixture.districtID)
    }

    static func rowID(seq: Int64, _ store: Store) async throws -> Int64 {
        try await store.read { db in try #require(try await db.raw("SELECT id FROM supply_ledger WHERE seq = \(bind: seq)").first()).decode(column: "id", as: Int64.self) }
    }

    /// A forged entry that links to the head and hashes correctly: only the head gives it away.
    static func forge(chain: String, _ store: Store) async throws -> Int64 {
        try await store.write { db in
            let head = try #require(try await HashChainRecords.head(chain: chain, on: db))
            let fields: [ChainValue] = [.text("handed_out"), .int(1), .null, .null, .int(1), .text("user:1"), .null, .int(0), .null]
            let hash = HashChain.hash(prevHash: head.hash, chain: chain, seq: head.seq + 1, fields: fields)
            return try #require(try await db.raw("""
                INSERT INTO supply_ledger (chain, seq, event, batch_id, household_id, shelf_item_id, quantity, actor, confirmed_by, at, note, prev_hash, hash)
                VALUES (\(bind: chain), \(bind: head.seq + 1), 'handed_out', 1, NULL, NULL, 1, 'user:1', NULL, 0, NULL, \(bind: head.hash), \(bind: hash))
                RETURNING id
                """).first()).decode(column: "id", as: Int64.self)
        }
    }

    static func verify(_ chain: String, _ store: Store) async throws -> ChainReport {
        try await store.read { db in try await HashChainRecords.verify(chain: chain, on: db) }
    }

    @Test("the verifier names the altered, the inserted and the deleted entry", arguments: TestEngine.available)
    func inProcess(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let chain = try await Self.writeLedger(store)
            #expect(try await Self.verify(chain, store) == ChainReport(chain: chain, entries: 6, problem: nil))

            let handedOut = try await Self.rowID(seq: 3, store)
            try await store.write { db in try await db.raw("UPDATE supply_ledger SET quantity = quantity + 1 WHERE id = \(bind: handedOut)").run() }
            #expect(try await Self.verify(chain, store).problem == .altered(chain: chain, seq: 3, rowID: handedOut))
            try await store.write { db in try await db.raw("UPDATE supply_ledger SET quantity = quantity - 1 WHERE id = \(bind: handedOut)").run() }

            let forged = try await Self.forge(chain: chain, store)
            #expect(try await Self.verify(chain, store).problem == .inserted(chain: chain, seq: 7, rowID: forged))
            try await store.write { db in try await db.raw("DELETE FROM supply_ledger WHERE id = \(bind: forged)").run() }
            #expect(try await Self.verify(chain, store).problem == nil)

            let writtenOff = try await Self.rowID(seq: 4, store)
            let next = try await Self.rowID(seq: 5, store)
            try await store.write { db in try await db.raw("DELETE FROM supply_ledger WHERE id = \(bind: writtenOff)").run() }
            #expect(try await Self.verify(chain, store).problem == .deleted(chain: chain, missingFrom: 4, missingTo: 4, nextRowID: next))
        }
    }

    @Test("`linli verify` as a process: exit 0 on the intact ledger, 1 naming each tampered entry")
    func asProcess() async throws {
        let linli = try LinliBinary()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("linli-verify-supplies-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let database = directory.appendingPathComponent("linli.sqlite").path
        func tampering(_ body: @escaping @Sendable (Store) async throws -> Void) async throws {
            let store = try await Store.open(.sqlite(path: database))
            try await store.closing { store in try await body(store) }
        }
        func verify() throws -> (status: Int32, output: String) {
            let result = try linli.run(["verify", "--database", database], input: Data())
            return (result.status, result.output)
        }

        let store = try await Store.open(.sqlite(path: database))
        let (chain, handedOut, writtenOff, next) = try await store.closing { store in
            (try await Self.writeLedger(store), try await Self.rowID(seq: 3, store), try await Self.rowID(seq: 4, store), try await Self.rowID(seq: 5, store))
        }
        let intact = try verify()
        #expect(intact.status == 0 && intact.output.contains("ok     \(chain): 6 entries"), "\(intact.output)")

        try await tampering { store in try await store.write { db in try await db.raw("UPDATE supply_ledger SET note = 'x' WHERE id = \(bind: handedOut)").run() } }
        let altered = try verify()
        #expect(altered.status == 1 && altered.output.contains("\(chain): entry seq 3 (row id \(handedOut)) was altered"), "\(altered.output)")
        try await tampering { store in try await store.write { db in try await db.raw("UPDATE supply_ledger SET note = NULL WHERE id = \(bind: handedOut)").run() } }

        let forged = try await Store.open(.sqlite(path: database)).closing { store in try await Self.forge(chain: chain, store) }
        let inserted = try verify()
        #expect(inserted.status == 1 && inserted.output.contains("\(chain): entry seq 7 (row id \(forged)) was inserted"), "\(inserted.output)")
        try await tampering { store in try await store.write { db in try await db.raw("DELETE FROM supply_ledger WHERE id = \(bind: forged)").run() } }

        try await tampering { store in try await store.write { db in try await db.raw("DELETE FROM supply_ledger WHERE id = \(bind: writtenOff)").run() } }
        let deleted = try verify()
        #expect(deleted.status == 1 && deleted.output.contains("\(chain): entry seq 4 was deleted (the next entry is row id \(next))"), "\(deleted.output)")
    }
}
