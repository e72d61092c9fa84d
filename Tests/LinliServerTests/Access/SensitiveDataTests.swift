import Foundation
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Sensitive data: shown only to roles that need it, every read audited")
struct SensitiveDataTests {
    /// A household of the first demo building with a health note, created for the test.
    static func householdWithHealthNote(_ app: TestApp) async throws -> PlaceID {
        let building = try app.account(.buildingLeader).placeID
        let household = try await app.household(under: building)
        try await app.store.write { db in
            try await db.raw("UPDATE residents SET health_note = '透析，每周二、四、六' WHERE id = (SELECT MIN(id) FROM residents WHERE household_id = \(bind: household))").run()
        }
        return household
    }

    @Test("committee staff see health notes and each read is audited; a building leader sees none and leaves no read", arguments: TestEngine.available)
    func healthNotes(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let household = try await Self.householdWithHealthNote(app)
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let seen = try await client.json("/api/v1/households/\(household)", token: staff)
            #expect(seen.status == .ok)
            #expect(seen.text.contains("透析"))
            #expect(try seen.jsonObject()["sensitive_visible"] as? Bool == true)
            let reads = try await app.store.read { db in try await AuditRecords.entries(action: "resident.read_sensitive", on: db) }
            #expect(reads.count == 1)
            #expect(reads.first?.actor.hasPrefix("user:") == true)

            let leader = try await client.token(phone: try app.account(.buildingLeader).phone)
            let hidden = try await client.json("/api/v1/households/\(household)", token: leader)
            #expect(hidden.status == .ok)
            #expect(!hidden.text.contains("透析"))
            #expect(try hidden.jsonObject()["sensitive_visible"] as? Bool == false)
            let readsAfter = try await app.store.read { db in try await AuditRecords.entries(action: "resident.read_sensitive", on: db) }
            #expect(readsAfter.count == 1)
        }
    }

    @Test("lists mask phone numbers for everyone; a household's page shows them in full only to roles that call residents", arguments: [TestEngine.sqlite])
    func phones(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let household = try await app.household(under: try app.account(.buildingLeader).placeID)
            let leader = try await client.token(phone: try app.account(.buildingLeader).phone)
            let list = try await client.json("/api/v1/households?limit=5", token: leader)
            let contacts = try #require(try list.jsonObject()["households"] as? [[String: Any]]).compactMap { $0["contact_phone"] as? String }
            #expect(!contacts.isEmpty && contacts.allSatisfy { $0.contains("****") })
            let detail = try await client.json("/api/v1/households/\(household)", token: leader)
            #expect(detail.text.contains("\"phone_masked\":false"))
            let buyer = try await client.token(phone: try app.account(.groupBuyLeader).phone)
            let masked = try await client.json("/api/v1/households/\(household)", token: buyer)
            #expect(masked.text.contains("\"phone_masked\":true") && masked.text.contains("****"))
        }
    }
}
