import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Notices over HTTP: published by committee staff, confirmed by each household with its code, the doors still unread listed for the building leader")
struct NoticeHTTPTests {
    static func householdToken(_ household: DemoSeeder.DemoHousehold, client: some TestClientProtocol) async throws -> String {
        let session = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(household.id),"code":"\#(household.code)"}"#)
        try #require(session.status == .created, "\(session.text)")
        return try #require(try session.jsonObject()["token"] as? String)
    }

    @Test("a household confirms a notice with its code (twice counts once); its building leader sees the doors that have not, phones masked", arguments: TestEngine.available)
    func readConfirmation(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let world = try await CareTestWorld.build(app)
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let leaderAccount = try app.account(.buildingLeader)
            let leader = try await client.token(phone: leaderAccount.phone)
            let body = #"{"place_id":\#(world.compound.id),"title":"关于明天开展全员核酸检测的通知","text":"明早 6 点起在东门广场检测。\n请按楼栋下楼。","source":"居委会"}"#
            let atBuilding = body.replacingOccurrences(of: "\(world.compound.id)", with: "\(leaderAccount.placeID)")
            #expect(try await client.json("/api/v1/notices", method: .post, token: leader, body: atBuilding).status == .forbidden)
            let published = try await client.json("/api/v1/notices", method: .post, token: staff, body: body)
            #expect(published.status == .created, "\(published.text)")
            let id = try #require(try published.jsonObject()["id"] as? Int)

            let household = try #require(app.demo.households.first)
            let token = try await Self.householdToken(household, client: client)
            let listed = try #require(try await client.json("/api/v1/notices", token: token).jsonObject()["notices"] as? [[String: Any]])
            let mine = try #require(listed.first { $0["id"] as? Int == id })
            #expect(mine["read_at"] == nil || mine["read_at"] is NSNull)

            let first = try await client.json("/api/v1/notices/\(id)/read", method: .post, token: token)
            #expect(first.status == .ok)
            #expect(try first.jsonObject()["first_time"] as? Bool == true)
            let again = try await client.json("/api/v1/notices/\(id)/read", method: .post, token: token)
            #expect(again.status == .ok)
            #expect(try again.jsonObject()["first_time"] as? Bool == false)
            let reads = try await app.store.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM notice_reads WHERE notice_id = \(bind: id)").first()?.decode(column: "n", as: Int.self)
            }
            #expect(reads == 1)
            let after = try #require(try await client.json("/api/v1/notices", token: token).jsonObject()["notices"] as? [[String: Any]])
            #expect(after.first { $0["id"] as? Int == id }?["read_at"] is String)

            let doors = try await client.json("/api/v1/notices/\(id)/unread?place=\(leaderAccount.placeID)", token: leader)
            #expect(doors.status == .ok, "\(doors.text)")
            let unread = try #require(try doors.jsonObject()["unread"] as? [[String: Any]])
            let building = try await app.store.read { db in try await DirectoryRecords.children(of: leaderAccount.placeID, on: db) }
            #expect(try doors.jsonObject()["read"] as? Int == 1)
            #expect(unread.count == building.count - 1)
            #expect(!unread.contains { $0["household_id"] as? Int == Int(household.id.rawValue) })
            let phones = unread.compactMap { $0["phone"] as? String }
            #expect(!phones.isEmpty && phones.allSatisfy { $0.contains("*") })
            // Another building's doors are not this leader's.
            let otherBuilding = try app.account(.buildingLeader, index: 1).placeID
            #expect(try await client.json("/api/v1/notices/\(id)/unread?place=\(otherBuilding)", token: leader).status == .notFound)

            // The leader's page lists the same doors; the household's page shows it as read.
            var browser = Browser()
            try await browser.logIn(phone: leaderAccount.phone, client: client)
            let page = try await browser.get("/notices/\(id)", client: client)
            #expect(page.status == .ok)
            #expect(page.text.contains("notice-unread"))
            // Committee staff get the buildings with doors unread, each leading to its doors.
            var staffBrowser = Browser()
            try await staffBrowser.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let overview = try await staffBrowser.get("/notices/\(id)", client: client)
            #expect(overview.status == .ok)
            #expect(overview.text.contains("notice-buildings") && overview.text.contains("/notices/\(id)?place=\(leaderAccount.placeID)"))
        }
    }

    @Test("a household sees only the notices covering it, and cannot confirm another building's", arguments: TestEngine.available)
    func coverage(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let otherBuilding = try app.account(.buildingLeader, index: 1).placeID
            let elsewhere = try await client.json("/api/v1/notices", method: .post, token: staff,
                                                  body: #"{"place_id":\#(otherBuilding),"title":"停水通知","text":"明天上午停水。","source":"物业"}"#)
            let id = try #require(try elsewhere.jsonObject()["id"] as? Int)
            let token = try await Self.householdToken(try #require(app.demo.households.first), client: client)
            let listed = try #require(try await client.json("/api/v1/notices", token: token).jsonObject()["notices"] as? [[String: Any]])
            #expect(!listed.contains { $0["id"] as? Int == id })
            #expect(try await client.json("/api/v1/notices/\(id)/read", method: .post, token: token).status == .notFound)
            #expect(try await client.json("/api/v1/notices/\(id)/read", method: .post, token: staff).status == .forbidden)
            #expect(try await client.json("/api/v1/notices/987654321/read", method: .post, token: token).status == .notFound)
            #expect(try await client.json("/api/v1/notices", method: .post, token: staff, body: #"{"place_id":\#(otherBuilding),"title":" ","text":"x","source":"物业"}"#).status == .badRequest)
        }
    }

    @Test("two taps at once on the same notice from one household make one confirmation", arguments: TestEngine.available)
    func concurrentConfirmations(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let building = try app.account(.buildingLeader).placeID
            let published = try await client.json("/api/v1/notices", method: .post, token: staff,
                                                  body: #"{"place_id":\#(building),"title":"停水通知","text":"明天上午停水。","source":"物业"}"#)
            let id = try #require(try published.jsonObject()["id"] as? Int)
            let token = try await Self.householdToken(try #require(app.demo.households.first), client: client)
            async let one = client.json("/api/v1/notices/\(id)/read", method: .post, token: token)
            async let two = client.json("/api/v1/notices/\(id)/read", method: .post, token: token)
            let answers = try await [one, two]
            #expect(answers.allSatisfy { $0.status == .ok })
            let firsts = try answers.map { try $0.jsonObject()["first_time"] as? Bool }
            #expect(firsts.filter { $0 == true }.count == 1)
            let reads = try await app.store.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM notice_reads WHERE notice_id = \(bind: id)").first()?.decode(column: "n", as: Int.self)
            }
            #expect(reads == 1)
        }
    }
}
