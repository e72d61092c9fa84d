import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Household codes for the door notices")
struct HouseholdCodesTests {
    @Test("staff issue a code to every household of a building that has none; each opens its own household", arguments: TestEngine.available)
    func issue(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let building = try app.account(.buildingLeader).placeID
            let households = try await app.store.read { db in try await DirectoryRecords.children(of: building, on: db) }.count
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let first = try await client.json("/api/v1/places/\(building)/household-codes", method: .post, token: staff)
            #expect(first.status == .created)
            let codes = try #require(try first.jsonObject()["codes"] as? [[String: Any]])
            // The demo already gave codes to its first households; they keep theirs.
            #expect(codes.count == households - app.demo.households.count)
            #expect(Set(codes.compactMap { $0["code"] as? String }).count == codes.count)
            let again = try await client.json("/api/v1/places/\(building)/household-codes", method: .post, token: staff)
            #expect(try #require(try again.jsonObject()["codes"] as? [[String: Any]]).isEmpty)
            let one = try #require(codes.last)
            let id = try #require(one["household_id"] as? Int)
            let code = try #require(one["code"] as? String)
            let opened = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(id),"code":"\#(code)"}"#)
            #expect(opened.status == .created)
            let issuedAudit = try await app.store.read { db in try await AuditRecords.entries(action: "household.code.issue", limit: 1000, on: db) }
            #expect(issuedAudit.count == codes.count)
            #expect(!issuedAudit.contains { ($0.after ?? "").contains(code) }, "codes never reach the audit log")
        }
    }

    @Test("rotating all codes of a building ends the old ones; a building leader may not issue codes", arguments: [TestEngine.sqlite])
    func rotateAll(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let building = try app.account(.buildingLeader).placeID
            let demoHousehold = try #require(app.demo.households.first)
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let rotated = try await client.json("/api/v1/places/\(building)/household-codes?rotate=true", method: .post, token: staff)
            #expect(rotated.status == .created)
            #expect(try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(demoHousehold.id),"code":"\#(demoHousehold.code)"}"#).status == .unauthorized)
            let leader = try await client.token(phone: try app.account(.buildingLeader).phone)
            #expect(try await client.json("/api/v1/places/\(building)/household-codes", method: .post, token: leader).status == .forbidden)
            var browser = Browser()
            try await browser.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let form = try await browser.get("/places/\(building)/codes", client: client)
            #expect(form.status == .ok)
            let printed = try await browser.post("/places/\(building)/codes", form: ["_csrf": try Browser.csrfToken(in: form), "rotate": "on"], client: client)
            #expect(printed.status == .ok)
            #expect(printed.text.components(separatedBy: "class=\"notice\"").count - 1 == (try await app.store.read { db in try await DirectoryRecords.children(of: building, on: db) }.count))
        }
    }
}
