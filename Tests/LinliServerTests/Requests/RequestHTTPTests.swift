import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Requests over HTTP: filed by a household, owned, tracked to done")
struct RequestHTTPTests {
    static let start = Date(timeIntervalSince1970: 1_650_000_000)

    static func householdToken(_ app: TestApp, client: some TestClientProtocol) async throws -> (token: String, household: PlaceID) {
        let household = try #require(app.demo.households.first)
        let opened = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(household.id),"code":"\#(household.code)"}"#)
        return (try #require(try opened.jsonObject()["token"] as? String), household.id)
    }

    static func userID(_ token: String, client: some TestClientProtocol) async throws -> Int {
        try #require(try await client.json("/api/v1/me", token: token).jsonObject()["user_id"] as? Int)
    }

    static func act(_ id: Int, _ action: String, note: String? = nil, token: String, client: some TestClientProtocol) async throws -> TestResponse {
        let body = note.map { #"{"action":"\#(action)","note":"\#($0)"}"# } ?? #"{"action":"\#(action)"}"#
        return try await client.json("/api/v1/requests/\(id)/transitions", method: .post, token: token, body: body)
    }

    @Test("a resident files, the building leader accepts, starts and finishes; the household reopens; an illegal step is 409 naming the rule", arguments: TestEngine.available)
    func walkthrough(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let (household, _) = try await Self.householdToken(app, client: client)
            let filed = try await RequestFiling.file(household, client: client)
            #expect(filed.status == .created)
            let request = try filed.jsonObject()
            let id = try #require(request["id"] as? Int)
            let leader = try await client.token(phone: try app.account(.buildingLeader).phone)
            #expect(request["owner_user_id"] as? Int == (try await Self.userID(leader, client: client)), "routed to the building leader")
            #expect(request["status"] as? String == "new")

            let early = try await Self.act(id, "start", token: leader, client: client)
            #expect(early.status == .conflict)
            #expect(try early.jsonObject()["error"].flatMap { ($0 as? [String: Any])?["code"] as? String } == "requests.rule.start_requires_accepted")

            for action in ["accept", "start", "done"] {
                let step = try await Self.act(id, action, note: action == "accept" ? "下午去配药" : nil, token: leader, client: client)
                #expect(step.status == .ok, "\(action): \(step.text)")
            }
            let reopened = try await Self.act(id, "reopen", note: "米还没送到", token: household, client: client)
            #expect(reopened.status == .ok)
            #expect(try reopened.jsonObject()["status"] as? String == "new")
            let history = try await client.json("/api/v1/requests/\(id)", token: leader)
            let kinds = try #require(try history.jsonObject()["transitions"] as? [[String: Any]]).compactMap { $0["kind"] as? String }
            #expect(kinds == ["accept", "start", "complete", "reopen"])
            let notes = try #require(try history.jsonObject()["transitions"] as? [[String: Any]]).map { $0["note"] as? String }
            #expect(notes == ["下午去配药", nil, nil, "米还没送到"])
            // Only a household can reopen, and a building leader of another building sees nothing.
            let other = try await client.token(phone: try app.account(.buildingLeader, index: 1).phone)
            #expect(try await client.json("/api/v1/requests/\(id)", token: other).status == .notFound)
            #expect(try await Self.act(id, "accept", token: other, client: client).status == .notFound)
        }
    }

    @Test("a re-sent form creates one request; a second open request of the same kind is offered for merging", arguments: TestEngine.available)
    func idempotentIntake(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let (household, _) = try await Self.householdToken(app, client: client)
            let first = try await RequestFiling.file(household, key: "form-42", client: client)
            let again = try await RequestFiling.file(household, key: "form-42", client: client)
            #expect(first.status == .created && again.status == .ok)
            #expect(try first.jsonObject()["id"] as? Int == (try again.jsonObject()["id"] as? Int))
            let duplicate = try await RequestFiling.file(household, description: "还需要油和盐", client: client)
            #expect(duplicate.status == .conflict)
            let message = try #require((try duplicate.jsonObject()["error"] as? [String: Any])?["message"] as? String)
            #expect(message.contains("\(try #require(try first.jsonObject()["id"] as? Int))"))
            #expect(try await RequestFiling.file(household, category: "medicine", description: "胰岛素只剩两天的量", client: client).status == .created)
        }
    }

    @Test("an Idempotency-Key reused with another form answers 422 and files nothing; the first form sent again still answers 200", arguments: TestEngine.available)
    func reusedKeyWithAnotherForm(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let (household, householdID) = try await Self.householdToken(app, client: client)
            let first = try await RequestFiling.file(household, key: "form-7", client: client)
            #expect(first.status == .created)
            for (category, description) in [("medicine", "胰岛素只剩两天的量"), ("food", "还需要油和盐")] {
                let reused = try await RequestFiling.file(household, category: category, description: description, key: "form-7", client: client)
                #expect(reused.status == .unprocessableContent, "\(category): \(reused.status)")
                let error = try #require(try reused.jsonObject()["error"] as? [String: Any])
                #expect(error["code"] as? String == "requests.idempotency_key_reused")
                #expect(error["field"] as? String == "Idempotency-Key")
            }
            #expect(try await RequestFiling.file(household, key: "form-7", client: client).status == .ok)
            // A volunteer reusing a key for another household: that household gets nothing filed by mistake.
            let leader = try await client.token(phone: try app.account(.buildingLeader).phone)
            let other = try await app.household(under: try app.account(.buildingLeader).placeID, index: 1)
            #expect(other != householdID)
            let mine = try await client.execute(uri: "/api/v1/requests", method: .post, headers: [.authorization: "Bearer \(leader)", .contentType: "application/json", .init("Idempotency-Key")!: "leader-1"], body: .init(string: #"{"household_id":\#(householdID),"category":"medicine","description":"降压药"}"#))
            #expect(mine.status == .created)
            let reused = try await client.execute(uri: "/api/v1/requests", method: .post, headers: [.authorization: "Bearer \(leader)", .contentType: "application/json", .init("Idempotency-Key")!: "leader-1"], body: .init(string: #"{"household_id":\#(other),"category":"medicine","description":"降压药"}"#))
            #expect(reused.status == .unprocessableContent)
            let count = try await app.store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM requests WHERE household_id = \(bind: other)").first()?.decode(column: "n", as: Int.self) }
            #expect(count == 0)
        }
    }

    @Test("staff change the urgency and hand a request over, each with a reason, only to someone who can see it", arguments: [TestEngine.sqlite])
    func urgencyAndHandOver(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let (household, _) = try await Self.householdToken(app, client: client)
            let filed = try await RequestFiling.file(household, client: client).jsonObject()
            let id = try #require(filed["id"] as? Int)
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let noReason = try await client.json("/api/v1/requests/\(id)/transitions", method: .post, token: staff, body: #"{"action":"change_urgency","urgency":"urgent"}"#)
            #expect(noReason.status == .conflict)
            let raised = try await client.json("/api/v1/requests/\(id)/transitions", method: .post, token: staff, body: #"{"action":"change_urgency","urgency":"urgent","note":"老人独居，行动不便"}"#)
            #expect(raised.status == .ok)
            #expect(try raised.jsonObject()["urgency"] as? String == "urgent")
            #expect((try raised.jsonObject()["accept_by"] as? String ?? "") < (filed["accept_by"] as? String ?? ""), "a graver need gets a nearer deadline")
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            let leadID = try await Self.userID(lead, client: client)
            let handed = try await client.json("/api/v1/requests/\(id)/transitions", method: .post, token: staff, body: #"{"action":"reassign","owner_user_id":\#(leadID),"note":"楼组长今天轮休"}"#)
            #expect(handed.status == .ok)
            #expect(try handed.jsonObject()["owner_user_id"] as? Int == leadID)
            let otherBuilding = try app.account(.buildingLeader, index: 1).placeID
            let sideways = try await client.json("/api/v1/requests/\(id)/transitions", method: .post, token: staff, body: #"{"action":"reassign","owner_place_id":\#(otherBuilding),"note":"试试"}"#)
            #expect(sideways.status == .badRequest)
            #expect((try sideways.jsonObject()["error"] as? [String: Any])?["field"] as? String == "owner_place_id")
            #expect(try await client.json("/api/v1/requests/\(id)/transitions", method: .post, token: household, body: #"{"action":"reassign","owner_user_id":\#(leadID),"note":"x"}"#).status == .conflict)
        }
    }

    @Test("what a dialysis patient's household asks for is life-critical", arguments: [TestEngine.sqlite])
    func urgencyFromCareRegister(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let (household, householdID) = try await Self.householdToken(app, client: client)
            try await app.store.write { db in
                try await db.raw("UPDATE residents SET health_note = '尿毒症，每周透析三次' WHERE household_id = \(bind: householdID)").run()
            }
            let filed = try await RequestFiling.file(household, category: "transport", description: "今晚需要车去医院", client: client)
            #expect(try filed.jsonObject()["urgency"] as? String == "life_critical")
        }
    }

    @Test("people accepting at once: exactly one wins, the others get 409", arguments: TestEngine.available)
    func concurrentAccept(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let (household, _) = try await Self.householdToken(app, client: client)
            let id = try #require(try await RequestFiling.file(household, client: client).jsonObject()["id"] as? Int)
            var tokens: [String] = []
            for role in [RoleKind.buildingLeader, .compoundLead, .committeeStaff, .subdistrictStaff, .districtStaff, .admin] {
                tokens.append(try await client.token(phone: try app.account(role).phone))
            }
            // All calls leave together, and the test checks that they were in flight together.
            let barrier = Barrier(count: tokens.count)
            let clock = ContinuousClock()
            let calls = try await withThrowingTaskGroup(of: (status: HTTPResponse.Status, sent: ContinuousClock.Instant, answered: ContinuousClock.Instant).self) { group in
                for token in tokens {
                    group.addTask {
                        await barrier.arriveAndWait()
                        let sent = clock.now
                        let status = try await Self.act(id, "accept", token: token, client: client).status
                        return (status, sent, clock.now)
                    }
                }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(calls.count { $0.status == .ok } == 1)
            #expect(calls.count { $0.status == .conflict } == tokens.count - 1)
            let sentLast = try #require(calls.map(\.sent).max()), answeredFirst = try #require(calls.map(\.answered).min())
            #expect(sentLast < answeredFirst, "every accept was sent before the first was answered")
        }
    }

    @Test("a missed deadline escalates one level up, once, and keeps climbing until someone acts", arguments: TestEngine.available)
    func escalation(engine: TestEngine) async throws {
        let clock = ManualClock(Self.start)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let (household, _) = try await Self.householdToken(app, client: client)
            let id = try #require(try await RequestFiling.file(household, client: client).jsonObject()["id"] as? Int)
            let runner = JobRunner(store: app.store, owner: "test-node", handlers: jobHandlers(services: app.services), now: { clock.now })
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            func owner() async throws -> (place: Int?, level: Int?) {
                let request = try await client.json("/api/v1/requests/\(id)", token: staff).jsonObject()
                return (request["owner_place_id"] as? Int, request["escalation_level"] as? Int)
            }
            let building = Int(try app.account(.buildingLeader).placeID.rawValue)
            let compound = Int(try app.account(.compoundLead).placeID.rawValue)
            let committee = Int(try app.account(.committeeStaff).placeID.rawValue)
            #expect(try await owner() == (building, 0))
            clock.advance(11 * 3600)
            try await runner.runDueJobs()
            #expect(try await owner() == (building, 0), "a normal request has 12 hours to be accepted")
            clock.advance(3600 + 60)
            try await runner.runDueJobs()
            #expect(try await owner() == (compound, 1))
            try await runner.runDueJobs()
            #expect(try await owner() == (compound, 1), "the same missed deadline escalates once")
            clock.advance(12 * 3600 + 60)
            try await runner.runDueJobs()
            #expect(try await owner() == (committee, 2))
            let accepted = try await Self.act(id, "accept", token: staff, client: client)
            #expect(accepted.status == .ok)
            clock.advance(13 * 3600)
            try await runner.runDueJobs()
            #expect(try await owner() == (committee, 2), "accepted in time: the done-by deadline (48 h) still runs")
        }
    }
}
