import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("A district's own deadlines and routing rules")
struct RequestPolicyTests {
    static let start = Date(timeIntervalSince1970: 1_650_000_000)

    static func date(_ value: Any?) throws -> Date {
        let text = try #require(value as? String)
        let formatter = ISO8601DateFormatter()
        if let date = formatter.date(from: text) { return date }
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return try #require(formatter.date(from: text), "not a date: \(text)")
    }

    @Test("district staff set deadlines and a routing rule; new requests follow them, the standard rules still follow", arguments: TestEngine.available)
    func districtPolicy(engine: TestEngine) async throws {
        try await TestApp.run(engine, now: { Self.start }) { app, client in
            let staff = try await client.token(phone: try app.account(.districtStaff).phone)
            let district = try app.account(.districtStaff).placeID
            let committee = Int(try app.account(.committeeStaff).placeID.rawValue)
            let standard = try await client.json("/api/v1/places/\(district)/request-policy", token: staff)
            #expect(standard.status == .ok)
            let deadlines = try #require(try standard.jsonObject()["deadlines"] as? [String: Any])
            #expect((deadlines["normal"] as? [String: Any])?["accept_minutes"] as? Int == 720)

            let body = #"{"deadlines":{"normal":{"accept_minutes":30,"done_minutes":240}},"routing_rules":[{"category":"medicine","place_level":"committee"}]}"#
            let saved = try await client.json("/api/v1/places/\(district)/request-policy", method: .put, token: staff, body: body)
            #expect(saved.status == .ok, "\(saved.text)")
            let read = try await client.json("/api/v1/places/\(district)/request-policy", token: staff).jsonObject()
            #expect((read["routing_rules"] as? [[String: Any]])?.first?["place_level"] as? String == "committee")
            #expect(read["updated_by"] as? String != nil)

            let (household, _) = try await RequestHTTPTests.householdToken(app, client: client)
            let medicine = try await RequestFiling.file(household, category: "medicine", description: "想买两盒感冒药", client: client).jsonObject()
            #expect(medicine["urgency"] as? String == "normal")
            #expect(medicine["owner_place_id"] as? Int == committee, "the district's rule: medicine goes to the committee")
            #expect(medicine["owner_user_id"] == nil || medicine["owner_user_id"] is NSNull)
            #expect(try Self.date(medicine["accept_by"]).timeIntervalSince(try Self.date(medicine["created_at"])) == 30 * 60)
            let food = try await RequestFiling.file(household, category: "food", client: client).jsonObject()
            #expect(food["owner_place_id"] as? Int == Int(try app.account(.buildingLeader).placeID.rawValue), "other kinds: the building leader, as standard")

            let audit = try await app.store.read { db in try await AuditRecords.entries(action: "request_policy.update", on: db) }
            #expect(audit.count == 1 && audit.first?.entityID == "\(district)")
        }
    }

    @Test("only district staff and admins change the rules; a place that is not a district and a bad window are refused", arguments: [TestEngine.sqlite])
    func refusals(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let district = try app.account(.districtStaff).placeID
            let path = "/api/v1/places/\(district)/request-policy"
            let valid = #"{"deadlines":{"urgent":{"accept_minutes":60,"done_minutes":600}}}"#
            let committee = try await client.token(phone: try app.account(.committeeStaff).phone)
            #expect(try await client.json(path, method: .put, token: committee, body: valid).status == .notFound, "the district is above the committee's places")
            let leader = try await client.token(phone: try app.account(.buildingLeader).phone)
            #expect(try await client.json(path, token: leader).status == .notFound)

            let staff = try await client.token(phone: try app.account(.districtStaff).phone)
            let compound = try app.account(.compoundLead).placeID
            let notDistrict = try await client.json("/api/v1/places/\(compound)/request-policy", method: .put, token: staff, body: valid)
            #expect(notDistrict.status == .unprocessableContent)

            let backwards = try await client.json(path, method: .put, token: staff, body: #"{"deadlines":{"normal":{"accept_minutes":500,"done_minutes":100}}}"#)
            #expect(backwards.status == .unprocessableContent)
            let error = try #require(try backwards.jsonObject()["error"] as? [String: Any])
            #expect(error["field"] as? String == "deadlines.normal.accept_minutes")
            #expect(error["code"] as? String == "requests.policy.accept_after_done")

            let household = try #require(app.demo.households.first).id
            let badTarget = try await client.json(path, method: .put, token: staff, body: #"{"routing_rules":[{"scope_place_id":\#(household),"place_level":"household"}]}"#)
            #expect(badTarget.status == .unprocessableContent)
            #expect((try badTarget.jsonObject()["error"] as? [String: Any])?["field"] as? String == "routing_rules[0]")
            let neither = try await client.json(path, method: .put, token: staff, body: #"{"routing_rules":[{"category":"food"}]}"#)
            #expect(neither.status == .badRequest)

            let admin = try await client.token(phone: try app.account(.admin).phone)
            #expect(try await client.json(path, method: .put, token: admin, body: valid).status == .ok)
        }
    }
}
