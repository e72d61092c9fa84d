import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

/// No input may stop the server: a trap is a denial of service for a whole district, and one
/// saved in a rule or a row comes back at every restart.
@Suite("No value stops the server: bounded where it enters, never trapped on where it is read")
struct OutOfRangeTests {
    static let start = Date(timeIntervalSince1970: 1_650_000_000)

    @Test("a deadline of 2^62 or 10^13 minutes is refused naming the field and the maximum, and filing in that district goes on", arguments: TestEngine.available)
    func hugeDeadlinesAreRefused(engine: TestEngine) async throws {
        try await TestApp.run(engine, now: { Self.start }) { app, client in
            let staff = try await client.token(phone: try app.account(.districtStaff).phone)
            let path = "/api/v1/places/\(try app.account(.districtStaff).placeID)/request-policy"
            for (field, body) in [
                ("deadlines.normal.accept_minutes", #"{"deadlines":{"normal":{"accept_minutes":4611686018427387904,"done_minutes":4611686018427387904}}}"#),
                ("deadlines.urgent.accept_minutes", #"{"deadlines":{"urgent":{"accept_minutes":10000000000000,"done_minutes":10000000000000}}}"#),
                ("deadlines.life_critical.done_minutes", #"{"deadlines":{"life_critical":{"accept_minutes":15,"done_minutes":10081}}}"#),
                ("deadlines.reopen_hours", #"{"deadlines":{"reopen_hours":9223372036854775807}}"#),
            ] {
                let refused = try await client.json(path, method: .put, token: staff, body: body)
                #expect(refused.status == .unprocessableContent, "\(field): \(refused.status) \(refused.text)")
                let error = try #require(try refused.jsonObject()["error"] as? [String: Any])
                #expect(error["code"] as? String == "requests.policy.too_long")
                #expect(error["field"] as? String == field)
                #expect((error["message"] as? String)?.contains(field.hasSuffix("reopen_hours") ? "720" : "10080") == true, "the message names the maximum: \(error)")
            }
            let longest = try await client.json(path, method: .put, token: staff, body: #"{"deadlines":{"normal":{"accept_minutes":10080,"done_minutes":10080},"reopen_hours":720}}"#)
            #expect(longest.status == .ok, "a week is allowed: \(longest.text)")

            let (household, _) = try await RequestHTTPTests.householdToken(app, client: client)
            let filed = try await RequestFiling.file(household, client: client)
            #expect(filed.status == .created)
            let request = try filed.jsonObject()
            #expect(try RequestPolicyTests.date(request["accept_by"]).timeIntervalSince(Self.start) == 7 * 24 * 3600)
        }
    }

    @Test("a rule saved with 2^62 minutes before the bound existed gives way to the standard deadlines; filing and reading go on", arguments: TestEngine.available)
    func storedHugeRuleFallsBack(engine: TestEngine) async throws {
        try await TestApp.run(engine, now: { Self.start }) { app, client in
            let district = try app.account(.districtStaff).placeID
            let huge = #"{"normal":{"accept_minutes":4611686018427387904,"done_minutes":4611686018427387904}}"#
            try await app.store.write { db in
                try await db.raw("INSERT INTO request_policies (district_id, deadlines, routing_rules, updated_at, updated_by) VALUES (\(bind: district), \(bind: huge), '[]', 0, 'user:1')").run()
            }
            let (household, _) = try await RequestHTTPTests.householdToken(app, client: client)
            let filed = try await RequestFiling.file(household, client: client)
            #expect(filed.status == .created, "\(filed.text)")
            #expect(try RequestPolicyTests.date(try filed.jsonObject()["accept_by"]).timeIntervalSince(Self.start) == 720 * 60, "the standard normal window")
            let staff = try await client.token(phone: try app.account(.districtStaff).phone)
            let shown = try await client.json("/api/v1/places/\(district)/request-policy", token: staff)
            #expect(shown.status == .ok)
            #expect(((try shown.jsonObject()["deadlines"] as? [String: Any])?["normal"] as? [String: Any])?["accept_minutes"] as? Int == 720, "the API shows the deadlines in force")
        }
    }

    @Test("a request stored with deadlines beyond year 9999 reads as JSON (clamped) and as a page (invalid time)", arguments: TestEngine.available)
    func storedHugeDeadlineReads(engine: TestEngine) async throws {
        try await TestApp.run(engine, now: { Self.start }) { app, client in
            let (household, _) = try await RequestHTTPTests.householdToken(app, client: client)
            let id = try #require(try await RequestFiling.file(household, client: client).jsonObject()["id"] as? Int)
            try await app.store.write { db in
                try await db.raw("UPDATE requests SET accept_by = \(bind: Int64.max), done_by = \(bind: Int64.min) WHERE id = \(bind: id)").run()
            }
            let leader = try await client.token(phone: try app.account(.buildingLeader).phone)
            let read = try await client.json("/api/v1/requests/\(id)", token: leader)
            #expect(read.status == .ok)
            #expect(try read.jsonObject()["accept_by"] as? String == "9999-12-31T23:59:59Z")
            #expect(try read.jsonObject()["done_by"] as? String == "0001-01-01T00:00:00Z")
            var browser = Browser()
            try await browser.logIn(phone: try app.account(.buildingLeader).phone, client: client)
            let queue = try await browser.get("/queue", client: client)
            #expect(queue.status == .ok)
            #expect(queue.text.contains(Catalogue.text("time.invalid", .zhHans)))
        }
    }

    @Test("a database holding out-of-range values in every time and number column: every GET route answers without a 5xx", arguments: TestEngine.available)
    func everyRouteReadsOutOfRangeValues(engine: TestEngine) async throws {
        try await TestApp.run(engine, now: { Self.start }) { app, client in
            let (household, householdID) = try await RequestHTTPTests.householdToken(app, client: client)
            let filed = try await RequestFiling.file(household, client: client)
            let requestID = try #require(try filed.jsonObject()["id"] as? Int)
            let leader = try await client.token(phone: try app.account(.buildingLeader).phone)
            #expect(try await RequestHTTPTests.act(requestID, "accept", token: leader, client: client).status == .ok)

            // INTEGER columns are 32 bits on PostgreSQL, 64 on SQLite.
            let small: (max: Int64, min: Int64) = engine == .postgres ? (Int64(Int32.max), Int64(Int32.min)) : (.max, .min)
            let district = try app.account(.districtStaff).placeID
            let huge = #"{"urgent":{"accept_minutes":4611686018427387904,"done_minutes":4611686018427387904}}"#
            try await app.store.write { db in
                try await db.raw("INSERT INTO request_policies (district_id, deadlines, routing_rules, updated_at, updated_by) VALUES (\(bind: district), \(bind: huge), '[]', \(bind: Int64.max), 'user:1')").run()
                try await db.raw("""
                    UPDATE requests SET created_at = \(bind: Int64.max), reopened_at = \(bind: Int64.min), accept_by = \(bind: Int64.min), done_by = \(bind: Int64.max),
                        closed_at = \(bind: Int64.max), escalation_level = \(bind: small.max), version = \(bind: small.max)
                    """).run()
                try await db.raw("UPDATE request_transitions SET at = \(bind: Int64.min)").run()
                try await db.raw("UPDATE audit_log SET at = \(bind: Int64.max)").run()
                try await db.raw("UPDATE households SET code_rotated_at = \(bind: Int64.min)").run()
                try await db.raw("UPDATE residents SET birth_year = \(bind: small.max) WHERE id % 2 = 0").run()
                try await db.raw("UPDATE residents SET birth_year = \(bind: small.min) WHERE id % 2 = 1").run()
                try await db.raw("UPDATE users SET created_at = \(bind: Int64.min)").run()
                try await db.raw("UPDATE idempotency_keys SET created_at = \(bind: Int64.max)").run()
                try await db.raw("UPDATE notifications SET created_at = \(bind: Int64.max), delivered_at = \(bind: Int64.min), last_attempt_at = \(bind: Int64.max), attempts = \(bind: small.max)").run()
                try await db.raw("UPDATE jobs SET run_at = \(bind: Int64.max), created_at = \(bind: Int64.min)").run()
            }

            let admin = try app.account(.admin)
            let token = try await client.token(phone: admin.phone)
            var browser = Browser()
            try await browser.logIn(phone: admin.phone, client: client)
            let compound = try app.account(.compoundLead).placeID
            let routes = buildRouter(services: app.services).routes.filter { $0.method == .get }
            #expect(routes.count > 20)
            for route in routes {
                var path = route.path.description
                if path.hasPrefix("/language/") { path = "/language/en" }
                let id: Int64 = path.contains("/requests/") ? Int64(requestID) : path.contains("/households/") ? householdID.rawValue : compound.rawValue
                path = path.replacingOccurrences(of: "{id}", with: "\(id)")
                let response = path.hasPrefix("/api/")
                    ? try await client.json(path, token: token)
                    : try await browser.get(path, client: client)
                #expect(response.status.code < 500, "GET \(path) answered \(response.status): \(response.text.prefix(200))")
            }
            for path in ["/api/v1/household", "/api/v1/requests/\(requestID)"] {
                let response = try await client.json(path, token: household)
                #expect(response.status.code < 500, "household: GET \(path) answered \(response.status)")
            }
            var resident = Browser()
            try await resident.openHousehold(try #require(app.demo.households.first), client: client)
            for path in ["/my-household", "/requests/\(requestID)", "/requests/new"] {
                let response = try await resident.get(path, client: client)
                #expect(response.status.code < 500, "household page \(path) answered \(response.status)")
            }
        }
    }
}
