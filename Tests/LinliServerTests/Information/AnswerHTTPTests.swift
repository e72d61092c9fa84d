import Foundation
import HummingbirdTesting
import LinliCore
@testable import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("The answers library over HTTP: residents' own words find the answer without logging in, expired answers hidden, answers kept to their places")
struct AnswerHTTPTests {
    /// The demo's answers library, as `serve --demo` writes it.
    static func seedLibrary(_ app: TestApp, now: Date = Date()) async throws {
        let generator = app.demo.generator
        let engine = app.store.engine
        let printed = app.demo.households.map(\.id)
        try await app.store.write { db in
            var users: [DemoAccount: UserID] = [:]
            for account in generator.accounts {
                if let user = try await UserRecords.user(phone: account.phone, on: db) { users[account] = user.id }
            }
            try await DemoInformation.write(generator: generator, users: users, printed: printed, now: now, engine: engine, on: db)
        }
    }

    static func search(_ query: String, place: PlaceID? = nil, token: String? = nil, client: some TestClientProtocol) async throws -> (status: Int, answers: [[String: Any]]) {
        let encoded = try #require(query.addingPercentEncoding(withAllowedCharacters: .alphanumerics))
        let response = try await client.json("/api/v1/answers?q=\(encoded)" + (place.map { "&place=\($0)" } ?? ""), token: token)
        guard response.status == .ok else { return (Int(response.status.code), []) }
        return (200, try #require(try response.jsonObject()["answers"] as? [[String: Any]]))
    }

    @Test("a paraphrased question, in simplified or traditional characters, finds the right answer first without logging in; two characters are enough", arguments: TestEngine.available)
    func paraphrase(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            try await Self.seedLibrary(app)
            let stored = try await app.store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM answers").first()?.decode(column: "n", as: Int.self) }
            #expect((stored ?? 0) >= 30)
            for (query, expected) in [("医院拒收急诊病人怎么办", "急诊病人被医院拒绝接收怎么办？"), ("醫院拒收急診病人怎麼辦", "急诊病人被医院拒绝接收怎么办？"),
                                      ("透析", "血液透析病人怎么去医院透析？"), ("降压药吃完了", "家里的常用药吃完了怎么配药？"),
                                      ("猫没人喂了，主人被转运", "宠物主人被转运隔离了，宠物怎么办？")] {
                let found = try await Self.search(query, client: client)
                #expect(found.status == 200)
                #expect(found.answers.first?["question"] as? String == expected, "\(query): \(found.answers.prefix(3).map { $0["question"] ?? "" })")
            }
            // The page says the same, to anyone.
            let page = try await client.execute(uri: "/answers?q=\(try #require("医院拒收急诊病人怎么办".addingPercentEncoding(withAllowedCharacters: .alphanumerics)))", method: .get)
            #expect(page.status == .ok)
            #expect(page.text.contains("急诊病人被医院拒绝接收怎么办？"))
            let one = try await client.json("/api/v1/answers?q=%E8%8D%AF")
            #expect(one.status == .badRequest)
            #expect((try one.jsonObject()["error"] as? [String: Any])?["field"] as? String == "q")
            #expect(try await client.json("/api/v1/answers?q=" + String(repeating: "a", count: 101)).status == .badRequest)
            #expect(try await client.execute(uri: "/answers?q=%E8%8D%AF", method: .get).status == .badRequest)
        }
    }

    @Test("an answer past its validity is hidden from residents and shown to its keepers marked expired", arguments: TestEngine.available)
    func expired(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            try await Self.seedLibrary(app)
            let question = "本周末第一轮全员核酸检测几点开始？"
            let id = try #require(try await app.store.read { db in
                try await db.raw("SELECT id FROM answers WHERE question = \(bind: question)").first()?.decode(column: "id", as: Int64.self)
            })
            let found = try await Self.search("全员核酸检测几点开始", client: client)
            #expect(!found.answers.contains { $0["question"] as? String == question })
            #expect(try await client.json("/api/v1/answers/\(id)").status == .notFound)
            #expect(try await client.execute(uri: "/answers/\(id)", method: .get).status == .notFound)
            let officer = try await client.token(phone: try app.account(.informationOfficer).phone)
            let kept = try await client.json("/api/v1/answers/\(id)", token: officer)
            #expect(kept.status == .ok)
            #expect(try kept.jsonObject()["expired"] as? Bool == true)
            let keeperSearch = try await Self.search("全员核酸检测几点开始", token: officer, client: client)
            #expect(keeperSearch.answers.first { $0["question"] as? String == question }?["expired"] as? Bool == true)
        }
    }

    @Test("answers cover their place and everything under it: a compound's answer is not another compound's; a household searches its own", arguments: TestEngine.available)
    func placeScoping(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            try await Self.seedLibrary(app)
            let world = try await CareTestWorld.build(app)
            let local = "本小区的快递放在哪里？"
            let district = "快递和外卖能送进小区吗？"
            let here = try await Self.search("快递放在哪里", place: world.compound.id, client: client)
            #expect(here.answers.first?["question"] as? String == local)
            let there = try await Self.search("快递放在哪里", place: world.otherCompound.id, client: client)
            #expect(!there.answers.contains { $0["question"] as? String == local })
            // The district's answer holds in both compounds.
            for place in [world.compound.id, world.otherCompound.id] {
                #expect(try await Self.search("快递外卖", place: place, client: client).answers.first?["question"] as? String == district)
            }
            #expect(try await Self.search("快递", place: PlaceID(987_654_321), client: client).status == 400)
            // A household's search is its own place's without saying so.
            let household = try #require(app.demo.households.first)
            let session = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(household.id),"code":"\#(household.code)"}"#)
            let token = try #require(try session.jsonObject()["token"] as? String)
            #expect(try await Self.search("快递放在哪里", token: token, client: client).answers.first?["question"] as? String == local)
            // The library before any search: published, valid, newest first.
            let browse = try await client.json("/api/v1/answers")
            let listed = try #require(try browse.jsonObject()["answers"] as? [[String: Any]])
            #expect(listed.count == AnswerRules.maximumResults && listed.allSatisfy { $0["expired"] as? Bool == false })
        }
    }

    @Test("an information officer drafts and edits, committee staff publish, the officer retires; bad input is refused naming the field", arguments: TestEngine.available)
    func keeping(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let world = try await CareTestWorld.build(app)
            let officer = try await client.token(phone: try app.account(.informationOfficer).phone)
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let leader = try await client.token(phone: try app.account(.buildingLeader).phone)
            let body = #"{"place_id":\#(world.committee.id),"question":"隔离酒店的费用谁来出？","answer":"集中隔离期间的食宿费用由政府承担。","source":"区疫情防控办","source_link":"https://example.gov.cn/notice"}"#
            // A building leader does not see the committee, and may not keep answers at their own building.
            #expect(try await client.json("/api/v1/answers", method: .post, token: leader, body: body).status == .notFound)
            let atBuilding = body.replacingOccurrences(of: "\(world.committee.id)", with: "\(try app.account(.buildingLeader).placeID)")
            #expect(try await client.json("/api/v1/answers", method: .post, token: leader, body: atBuilding).status == .forbidden)
            let created = try await client.json("/api/v1/answers", method: .post, token: officer, body: body)
            #expect(created.status == .created, "\(created.text)")
            let id = try #require(try created.jsonObject()["id"] as? Int)
            #expect(try created.jsonObject()["state"] as? String == "draft")
            #expect(try await client.json("/api/v1/answers/\(id)").status == .notFound)
            #expect(try await Self.search("隔离酒店费用", client: client).answers.isEmpty)

            let edited = try await client.json("/api/v1/answers/\(id)", method: .put, token: officer, body: """
                {"question":"隔離酒店的費用誰來出？","answer":"集中隔离期间的食宿和检测费用都由政府承担，个人不用付钱。","source":"区疫情防控办"}
                """)
            #expect(edited.status == .ok, "\(edited.text)")
            #expect(try await client.json("/api/v1/answers/\(id)/publish", method: .post, token: officer).status == .forbidden)
            let published = try await client.json("/api/v1/answers/\(id)/publish", method: .post, token: staff)
            #expect(published.status == .ok)
            #expect(try published.jsonObject()["state"] as? String == "published")
            #expect(try await client.json("/api/v1/answers/\(id)").status == .ok)
            #expect(try await Self.search("隔离酒店要自己付钱吗", client: client).answers.first?["id"] as? Int == id)
            #expect(try await client.execute(uri: "/answers/\(id)", method: .get).text.contains("个人不用付钱"))

            #expect(try await client.json("/api/v1/answers/\(id)/retire", method: .post, token: officer).status == .ok)
            #expect(try await client.json("/api/v1/answers/\(id)/retire", method: .post, token: officer).status == .ok)
            #expect(try await client.json("/api/v1/answers/\(id)").status == .notFound)
            #expect(try await Self.search("隔离酒店要自己付钱吗", client: client).answers.isEmpty)

            for (bad, field) in [
                (#"{"place_id":\#(world.committee.id),"answer":"有","source":"居委会"}"#, "question"),
                (#"{"place_id":\#(world.committee.id),"question":"问题问题","answer":"有","source":" "}"#, "source"),
                (#"{"place_id":\#(world.committee.id),"question":"\#(String(repeating: "问", count: 201))","answer":"有","source":"居委会"}"#, "question"),
                (#"{"place_id":\#(world.committee.id),"question":"问题问题","answer":"有","source":"居委会","valid_from":"2022-04-20T00:00:00Z","valid_until":"2022-04-10T00:00:00Z"}"#, "valid_until"),
                (#"{"place_id":\#(world.committee.id),"question":"问题问题","answer":"有","source":"居委会","valid_until":"明天"}"#, "valid_until"),
            ] {
                let refused = try await client.json("/api/v1/answers", method: .post, token: officer, body: bad)
                #expect(refused.status == .badRequest, "\(bad)")
                #expect((try refused.jsonObject()["error"] as? [String: Any])?["field"] as? String == field, "\(refused.text)")
            }
        }
    }
}
