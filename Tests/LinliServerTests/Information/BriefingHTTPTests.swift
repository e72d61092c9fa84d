import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import NIOCore
import SQLKit
import Testing

@Suite("Briefings over HTTP: a compound's day drafted from its requests, edited, approved, pushed to the robot, public with its charts")
struct BriefingHTTPTests {
    /// 2022-04-12 09:00 in Shanghai.
    static let dayBefore = Date(timeIntervalSince1970: 1_649_725_200)

    @Test("drafted from the day's requests, edited, published by committee staff to the compound's robot, public and printable, then fixed", arguments: TestEngine.available)
    func draftedToPublished(engine: TestEngine) async throws {
        let receiver = FakeReceiver(status: .ok)
        try await receiver.serve { port in
            let clock = ManualClock(Self.dayBefore)
            try await TestApp.run(engine, now: { clock.now }, webhookNetworks: NotificationDeliveryTests.localReceiver) { app, client in
                let lead = try app.account(.compoundLead)
                let leaderAccount = try app.account(.buildingLeader)
                let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
                let leader = try await client.token(phone: leaderAccount.phone)
                let compound = lead.placeID
                let runner = JobRunner(store: app.store, owner: "test", handlers: jobHandlers(services: app.services), now: { clock.now })
                let admin = try await client.token(phone: try app.account(.admin).phone)
                let hook = try await client.json("/api/v1/places/\(compound)/webhooks", method: .post, token: admin,
                                                 body: #"{"kind":"http","url":"http://127.0.0.1:\#(port)/hook","secret":"s3cret"}"#)
                try #require(hook.status == .created, "\(hook.text)")

                // The day: three requests filed, one done, two left waiting past their deadline to accept.
                let (household, _) = try await RequestHTTPTests.householdToken(app, client: client)
                let filed = try await RequestFiling.file(household, client: client)
                let first = try #require(try filed.jsonObject()["id"] as? Int)
                for action in ["accept", "start", "done"] {
                    #expect(try await RequestHTTPTests.act(first, action, note: action == "accept" ? "下午送到" : nil, token: leader, client: client).status == .ok)
                }
                for index in [1, 2] {
                    let other = try await app.household(under: leaderAccount.placeID, index: index)
                    #expect(try await RequestFiling.file(staff, household: other, category: "food", description: "家里没有菜了", client: client).status == .created)
                }
                clock.advance(23 * 3_600)  // 08:00 the next morning

                #expect(try await client.json("/api/v1/briefings", method: .post, token: leader, body: #"{"place_id":\#(compound)}"#).status == .notFound,
                        "a building leader does not see the compound's briefings")
                for bad in ["2022-04-13", "2022-02-30", "12/04/2022"] {
                    let refused = try await client.json("/api/v1/briefings", method: .post, token: staff, body: #"{"place_id":\#(compound),"day":"\#(bad)"}"#)
                    #expect(refused.status == .badRequest, "\(bad): \(refused.text)")
                }
                let drafted = try await client.json("/api/v1/briefings", method: .post, token: staff, body: #"{"place_id":\#(compound)}"#)
                try #require(drafted.status == .created, "\(drafted.text)")
                let draft = try drafted.jsonObject()
                let id = try #require(draft["id"] as? Int)
                let figures = try #require(draft["figures"] as? [String: Any])
                #expect(draft["day"] as? String == "2022-04-12" && draft["state"] as? String == "draft" && draft["page"] == nil, "\(draft)")
                #expect(figures["requests_filed"] as? Int == 3 && figures["requests_done"] as? Int == 1 && figures["requests_overdue"] as? Int == 2, "\(figures)")
                let week = try #require(figures["week"] as? [[String: Any]])
                #expect(week.count == 7 && week.last?["day"] as? String == "2022-04-12" && week.last?["filed"] as? Int == 3 && week.first?["filed"] as? Int == 0)
                let text = try #require(draft["text"] as? String)
                #expect(text.hasPrefix("当天收到居民诉求 3 件，办结 1 件。\n有 2 件诉求超时未办，已逐级上报。"), "\(text)")

                // Before publishing: not public, editable, and drafting afresh replaces the draft.
                #expect(try await client.execute(uri: "/briefings/\(id)", method: .get).status != .ok, "a draft is not public")
                #expect(try await client.execute(uri: "/briefings/\(id)/charts/0", method: .get).status != .ok, "nor are its charts")
                #expect(try await client.json("/api/v1/briefings/\(id)", method: .put, token: staff, body: #"{"text":"  "}"#).status == .badRequest)
                let added = "明天上午 9 点在 3 号楼前核酸检测。"
                let edited = try await client.json("/api/v1/briefings/\(id)", method: .put, token: staff,
                                                   body: try Self.json(["text": text + "\n" + added]))
                #expect(try edited.status == .ok && (edited.jsonObject()["text"] as? String)?.hasSuffix(added) == true, "\(edited.text)")
                #expect(try await client.json("/api/v1/briefings/\(id)/publish", method: .post, token: leader).status == .notFound)

                let published = try await client.json("/api/v1/briefings/\(id)/publish", method: .post, token: staff)
                #expect(try published.status == .ok && (published.jsonObject()["page"] as? String) == "/briefings/\(id)", "\(published.text)")
                try await runner.runDueJobs()
                let pushed = await receiver.received.filter { $0.body.contains("briefing.published") }
                #expect(pushed.count == 1 && pushed.first?.body.contains("核酸检测") == true, "\(pushed.map(\.body))")
                // Markdown robots get the lines as list items: the outbox keeps them for every target.
                let stored = try await app.store.read { db in
                    try await db.raw("SELECT message FROM notifications WHERE message LIKE '%briefing.published%'").first()?.decode(column: "message", as: String.self)
                }
                let message = try JSONDecoder().decode(NotificationMessage.self, from: Data(try #require(stored).utf8))
                #expect(message.markdown?.hasPrefix("- 当天收到居民诉求 3 件") == true && message.link == "/briefings/\(id)", "\(String(describing: stored))")

                // Published: fixed, public with its two charts, in either language.
                let late = try await client.json("/api/v1/briefings/\(id)", method: .put, token: staff, body: #"{"text":"改一下"}"#)
                #expect(late.status == .conflict && late.text.contains("briefing.error.published"), "\(late.text)")
                #expect(try await client.json("/api/v1/briefings", method: .post, token: staff, body: #"{"place_id":\#(compound)}"#).status == .conflict)
                let page = try await client.execute(uri: "/briefings/\(id)", method: .get)
                let html = String(buffer: page.body)
                #expect(page.status == .ok && html.contains(added) && html.contains("近七天居民诉求"), "\(html)")
                #expect(html.contains(#"src="/briefings/\#(id)/charts/0""#) && html.contains(#"src="/briefings/\#(id)/charts/1""#), "\(html)")
                let chart = try await client.execute(uri: "/briefings/\(id)/charts/0", method: .get)
                #expect(chart.status == .ok && chart.headers[.contentType]?.hasPrefix("image/svg+xml") == true)
                #expect(String(buffer: chart.body).hasPrefix("<svg") && String(buffer: chart.body).contains("<title>近七天居民诉求</title>"))
                let english = try await client.json("/briefings/\(id)/charts/1", language: "en")
                #expect(String(buffer: english.body).contains("<title>12 Apr at a glance</title>"), "\(english.text)")
                #expect(try await client.execute(uri: "/briefings/\(id)/charts/2", method: .get).status == .notFound)
                let list = try await client.json("/api/v1/briefings?place=\(compound)", token: try await client.token(phone: lead.phone))
                let listed = try #require(try list.jsonObject()["briefings"] as? [[String: Any]])
                #expect(listed.map { $0["id"] as? Int } == [id] && listed.first?["state"] as? String == "published", "\(list.text)")
            }
        }
    }

    @Test("the morning job drafts yesterday's briefing of every compound once from six o'clock, keeping a person's draft", arguments: TestEngine.available)
    func morningJob(engine: TestEngine) async throws {
        // 2022-04-13 05:00 in Shanghai.
        let clock = ManualClock(Date(timeIntervalSince1970: 1_649_797_200))
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let runner = JobRunner(store: app.store, owner: "test", handlers: jobHandlers(services: app.services), now: { clock.now })
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let compound = try app.account(.compoundLead).placeID
            func briefings() async throws -> [(Int64, String, String)] {
                try await app.store.read { db in
                    try await db.raw("SELECT place_id, day, text FROM briefings ORDER BY place_id").all().map {
                        (try $0.decode(column: "place_id", as: Int64.self), try $0.decode(column: "day", as: String.self), try $0.decode(column: "text", as: String.self))
                    }
                }
            }
            let compounds = try await app.store.read { db in try await BriefingRecords.compounds(on: db) }
            try #require(!compounds.isEmpty && compounds.contains { $0.id == compound })
            try await runner.scheduleRecurringJobs()
            try await runner.runDueJobs()
            #expect(try await briefings().isEmpty, "not before six")

            let drafted = try await client.json("/api/v1/briefings", method: .post, token: staff, body: #"{"place_id":\#(compound),"day":"2022-04-12"}"#)
            let id = try #require(try drafted.jsonObject()["id"] as? Int)
            #expect(try await client.json("/api/v1/briefings/\(id)", method: .put, token: staff, body: #"{"text":"人工稿"}"#).status == .ok)

            clock.advance(2 * 3_600)
            try await runner.runDueJobs()
            clock.advance(3_600)
            try await runner.runDueJobs()
            let made = try await briefings()
            #expect(made.count == compounds.count && made.allSatisfy { $0.1 == "2022-04-12" }, "\(made)")
            #expect(made.first { $0.0 == compound.rawValue }?.2 == "人工稿", "a person's draft is kept")
        }
    }

    static func json(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}
