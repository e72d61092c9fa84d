import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Requests in the browser: resident pages and the volunteer's queue")
struct RequestPagesTests {
    @Test("a resident files through the form (a re-sent form files once), the leader accepts from the queue, the resident confirms done", arguments: [TestEngine.sqlite])
    func residentAndVolunteer(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let target = try #require(app.demo.households.first)
            var resident = Browser()
            try await resident.openHousehold(target, client: client)
            let newForm = try await resident.get("/requests/new", client: client)
            #expect(newForm.status == .ok)
            let key = try #require(newForm.text.range(of: "name=\"idempotency_key\" value=\"").map { String(newForm.text[$0.upperBound...].prefix { $0 != "\"" }) })
            let fields = ["_csrf": try Browser.csrfToken(in: newForm), "idempotency_key": key, "category": "medicine", "description": "降压药还剩三天"]
            let filed = try await resident.post("/requests", form: fields, client: client)
            #expect(filed.status == .seeOther)
            let resent = try await resident.post("/requests", form: fields, client: client)
            #expect(resent.headers[.location] == filed.headers[.location], "the same form sent twice files one request")
            let redirected = try #require(filed.headers[.location])
            #expect(redirected.hasSuffix("?notice=filed"), "the request's page says it was filed")
            let location = String(redirected.prefix { $0 != "?" })
            let detail = try await resident.get(location, client: client)
            #expect(detail.text.contains("id=\"request-owner\""))
            let leaderName = try #require(try await app.store.read { db in try await UserRecords.user(phone: try app.account(.buildingLeader).phone, on: db) }?.name)
            #expect(detail.text.contains(String(leaderName.prefix(1))) && !detail.text.contains(leaderName), "a household sees only the surname of its helper")

            var leader = Browser()
            try await leader.logIn(phone: try app.account(.buildingLeader).phone, client: client)
            let queue = try await leader.get("/queue", client: client)
            #expect(queue.text.contains("href=\"\(location)\""))
            let requestID = String(location.split(separator: "/").last ?? "")
            let accepted = try await leader.post("\(location)/act", form: ["_csrf": try Browser.csrfToken(in: queue), "action": "accept"], client: client)
            #expect(accepted.status == .seeOther)
            let illegal = try await leader.post("\(location)/act", form: ["_csrf": try Browser.csrfToken(in: queue), "action": "accept"], client: client)
            #expect(illegal.status == .conflict)
            let page = try await resident.get(location, client: client)
            let done = try await resident.post("\(location)/act", form: ["_csrf": try Browser.csrfToken(in: page), "action": "done"], client: client)
            #expect(done.status == .seeOther)
            let stored = try #require(try await app.store.read { db in try await RequestRecords.request(id: HelpRequestID(requestID) ?? 0, on: db) })
            #expect(stored.request.status == .done)
            let own = try await resident.get("/my-household", client: client)
            #expect(own.text.contains("href=\"\(location)\""))

            // The committee's board counts it among the done, with a chart drawn on the server.
            var staff = Browser()
            try await staff.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let board = try await staff.get("/board", client: client)
            #expect(board.status == .ok)
            #expect(board.text.contains("<a href=\"/requests?status=done&amp;recent=1\"><span class=\"count-number\">1</span>"), "the board's count of done links to its list")
            #expect(board.text.contains("<svg") && board.text.contains("<rect"))
            let foreign = try await leader.get("/board?place=\(try app.account(.buildingLeader, index: 1).placeID)", client: client)
            #expect(foreign.status == .notFound)
        }
    }

    @Test("a form whose text is not UTF-8 once decoded is refused (400) and stores nothing, as the API refuses it", arguments: [TestEngine.sqlite])
    func invalidUTF8FormIsRefused(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let target = try #require(app.demo.households.first)
            var resident = Browser()
            try await resident.openHousehold(target, client: client)
            let newForm = try await resident.get("/requests/new", client: client)
            let csrf = try Browser.csrfToken(in: newForm)
            func send(_ description: String) async throws -> TestResponse {
                let body = "_csrf=\(csrf)&idempotency_key=k-\(description.count)&category=medicine&description=\(description)"
                return try await client.execute(uri: "/requests", method: .post, headers: [.contentType: "application/x-www-form-urlencoded", .cookie: resident.cookieHeader], body: .init(string: body))
            }
            for broken in ["%FF%FE", "%E9%99", "ok%C0%AF", "%ED%A0%80"] {
                let refused = try await send(broken)
                #expect(refused.status == .badRequest, "\(broken): \(refused.status)")
                #expect(refused.text.contains(Catalogue.text("error.body.invalid_text", .zhHans)))
            }
            let stored = try await app.store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM requests").first()?.decode(column: "n", as: Int.self) }
            #expect(stored == 0)
            #expect(try await send("%E9%99%8D%E5%8E%8B%E8%8D%AF+%E4%B8%A4%E7%9B%92").status == .seeOther, "降压药 两盒, properly encoded, is filed")
        }
    }

    @Test("form text: escapes and + decoded before the UTF-8 check; a stray % is text")
    func formTextDecoding() {
        #expect(FormText.decodesToUTF8(Array("a=1&b=%E5%BC%A0+x".utf8)))
        #expect(FormText.decodesToUTF8(Array("a=100%&b=%2".utf8)), "a % without two hex digits stays a %")
        #expect(!FormText.decodesToUTF8(Array("a=%ff".utf8)))
        #expect(!FormText.decodesToUTF8(Array("a=%E5%BC&b=%BC".utf8)), "a character cut by a separator")
        #expect(!FormText.decodesToUTF8([0x61, 0x3D, 0xFF]), "a raw byte that is not UTF-8")
    }
}

@Suite("Pages: refusals in words, the request list, and the walk with the clock moved on")
struct RefusalPagesTests {
    @Test("wrong household codes come back on the form, with the number kept, when to try again in words, and whom to ask", arguments: [TestEngine.sqlite])
    func refusedCode(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let target = try #require(app.demo.households.first)
            var guesser = Browser()
            var last: TestResponse?
            for attempt in 0..<12 {
                let form = try await guesser.get("/code", client: client)
                let answer = try await guesser.post("/code", form: ["household_id": "\(target.id)", "code": GuessLimitTests.wrongCode(attempt), "_csrf": try Browser.csrfToken(in: form)], client: client)
                #expect(answer.status == .unauthorized || answer.status == .tooManyRequests)
                // Every refusal is the form itself, with the number kept and the error beside the field.
                #expect(answer.text.contains("id=\"code-submit\"") && answer.text.contains("value=\"\(target.id)\"") && answer.text.contains("id=\"error-summary\""))
                #expect(answer.text.contains(Catalogue.text("access.code.whom_to_ask", .zhHans)))
                last = answer
                if answer.status == .tooManyRequests { break }
            }
            let refused = try #require(last)
            #expect(refused.status == .tooManyRequests, "enough wrong codes from one place make it wait")
            #expect(refused.headers[.retryAfter] != nil)
            #expect(refused.text.contains("分钟后再试") || refused.text.contains("秒后再试"), "the wait is said in words")
            #expect(refused.text.firstMatch(of: /\d{3,} 秒/) == nil, "minutes, not hundreds of seconds")
        }
    }

    @Test("a duplicate request links to the open one; a too-long description comes back typed")
    func duplicateAndTooLong() async throws {
        try await TestApp.run(.sqlite) { app, client in
            let target = try #require(app.demo.households.first)
            var resident = Browser()
            try await resident.openHousehold(target, client: client)
            let form = try await resident.get("/requests/new", client: client)
            let csrf = try Browser.csrfToken(in: form)
            let first = try await resident.post("/requests", form: ["_csrf": csrf, "category": "food", "description": "两天的菜"], client: client)
            let location = String(try #require(first.headers[.location]).prefix { $0 != "?" })
            let second = try await resident.post("/requests", form: ["_csrf": csrf, "category": "food", "description": "还要一袋米"], client: client)
            #expect(second.status == .conflict)
            #expect(second.text.contains("id=\"duplicate\"><a href=\"\(location)\""), "the refusal links to the open request")
            #expect(second.text.contains(">还要一袋米</textarea>") && second.text.contains("<option value=\"food\" selected>"), "what was typed and chosen comes back")
            let long = String(repeating: "药", count: 2_001) // one more than a description may hold
            let tooLong = try await resident.post("/requests", form: ["_csrf": csrf, "category": "medicine", "description": long], client: client)
            #expect(tooLong.status == .badRequest && tooLong.text.contains(long + "</textarea>"))
            // The resident adds to the open request instead, and the note is in its history.
            let detail = try await resident.get(location, client: client)
            let added = try await resident.post(location + "/act", form: ["_csrf": try Browser.csrfToken(in: detail), "action": "comment", "note": "还要一袋米"], client: client)
            #expect(added.status == .seeOther)
            let after = try await resident.get(location, client: client)
            #expect(after.text.contains("还要一袋米") && after.text.contains(Catalogue.text("requests.transition.comment", .zhHans)))
            // Cancelling asks first and keeps the note typed; only the confirmation cancels.
            let asked = try await resident.post(location + "/act", form: ["_csrf": try Browser.csrfToken(in: after), "action": "cancel", "note": "邻居送来了"], client: client)
            #expect(asked.status == .ok && asked.text.contains("id=\"confirm-question\"") && asked.text.contains(">邻居送来了</textarea>"))
            let stillOpen = try await app.store.read { db in try await RequestRecords.request(id: HelpRequestID(location.split(separator: "/").last.map(String.init) ?? "") ?? 0, on: db) }
            #expect(stillOpen?.request.status == .new)
            let cancelled = try await resident.post(location + "/act", form: ["_csrf": try Browser.csrfToken(in: asked), "action": "cancel", "note": "邻居送来了", "confirmed": "yes"], client: client)
            #expect(cancelled.status == .seeOther && cancelled.headers[.location] == location + "?notice=cancel")
        }
    }

    @Test("an error page keeps the signed-in person's header; a resident's page has no way up to pages they cannot open")
    func errorPagesKnowWhoIsSignedIn() async throws {
        try await TestApp.run(.sqlite) { app, client in
            var staff = Browser()
            try await staff.logIn(phone: try app.account(.buildingLeader).phone, client: client)
            let missing = try await staff.get("/households/999999", client: client)
            #expect(missing.status == .notFound)
            #expect(missing.text.contains("action=\"/logout\"") && missing.text.contains("href=\"/queue\""), "the signed-in header and navigation")
            #expect(missing.text.contains("id=\"error-message\"") && missing.text.contains(Catalogue.text("error.next.ask", .zhHans)))
            let target = try #require(app.demo.households.first)
            var resident = Browser()
            try await resident.openHousehold(target, client: client)
            let own = try await resident.get("/my-household", client: client)
            #expect(!own.text.contains("id=\"breadcrumbs\"") && !own.text.contains("href=\"/places/"))
            let refused = try await resident.get("/households/\(target.id)", client: client)
            #expect(refused.status == .forbidden && refused.text.contains("href=\"/my-household\""), "the way back is to the household's own page")
        }
    }

    @Test("the request list puts life-critical first, filters by urgency, status and overdue, and each card links to its request", arguments: TestEngine.available)
    func listOrderAndFilters(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let leader = try await client.token(phone: try app.account(.buildingLeader).phone)
            let building = try app.account(.buildingLeader).placeID
            func file(_ index: Int, _ category: String, _ description: String) async throws -> String {
                let household = try await app.household(under: building, index: index)
                let filed = try await RequestFiling.file(leader, household: household, category: category, description: description, client: client)
                #expect(filed.status == .created)
                return "/requests/\(try #require(try filed.jsonObject()["id"] as? Int))"
            }
            let normal = try await file(3, "food", "想买一袋大米")
            let critical = try await file(4, "emergency_medical", "老人胸口疼，喘不上气")
            var staff = Browser()
            try await staff.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let open = try await staff.get("/requests?open=1", client: client)
            let criticalAt = try #require(open.text.range(of: "href=\"\(critical)\"")), normalAt = try #require(open.text.range(of: "href=\"\(normal)\""))
            #expect(criticalAt.lowerBound < normalAt.lowerBound, "life-critical first")
            let onlyCritical = try await staff.get("/requests?urgency=life_critical", client: client)
            #expect(onlyCritical.text.contains("href=\"\(critical)\"") && !onlyCritical.text.contains("href=\"\(normal)\""))
            #expect(onlyCritical.text.contains("<option value=\"life_critical\" selected>"), "the filter shows what it filters by")
            let done = try await staff.get("/requests?status=done", client: client)
            #expect(!done.text.contains("href=\"\(normal)\""))
            let overdue = try await staff.get("/requests?overdue=1", client: client)
            #expect(!overdue.text.contains("href=\"\(critical)\""), "a request just filed is not late")
            #expect(try await staff.get("/requests?status=bogus", client: client).status == .badRequest)
            var otherLeader = Browser()
            try await otherLeader.logIn(phone: try app.account(.buildingLeader, index: 1).phone, client: client)
            let theirs = try await otherLeader.get("/requests?open=1", client: client)
            #expect(!theirs.text.contains("href=\"\(critical)\""), "another building's leader does not see it")
            #expect(try await otherLeader.get("/requests?place=\(building)", client: client).status == .notFound)
        }
    }

    @Test("the walk with the clock moved on: a request nobody accepted in time is in the committee's overdue list and on its board until it is done", arguments: TestEngine.available)
    func lateRequestInOverdueList(engine: TestEngine) async throws {
        let clock = ManualClock(RequestHTTPTests.start)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let target = try #require(app.demo.households.first)
            var resident = Browser()
            try await resident.openHousehold(target, client: client)
            let form = try await resident.get("/requests/new", client: client)
            let filed = try await resident.post("/requests", form: ["_csrf": try Browser.csrfToken(in: form), "category": "food", "description": "家里没菜了"], client: client)
            let location = String(try #require(filed.headers[.location]).prefix { $0 != "?" })
            var staff = Browser()
            try await staff.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            #expect(try await !staff.get("/requests?overdue=1", client: client).text.contains("href=\"\(location)\""), "not late yet")

            // Nobody accepts it within its 12 hours; the escalation job hands it a level up.
            clock.advance(12 * 3600 + 60)
            let runner = JobRunner(store: app.store, owner: "test-node", handlers: jobHandlers(services: app.services), now: { clock.now })
            try await runner.runDueJobs()
            let late = try await staff.get("/requests?overdue=1", client: client)
            #expect(late.text.contains("href=\"\(location)\""), "the committee finds it in its overdue list")
            #expect(late.text.contains(Catalogue.text("requests.page.escalated", .zhHans, ["n": "1"])))
            let board = try await staff.get("/board", client: client)
            #expect(board.text.contains("<span class=\"count-number\" id=\"overdue\">1</span>"))
            let home = try await staff.get("/", client: client)
            #expect(home.text.contains("href=\"\(location)\""), "it is on the committee's home page")

            // The building leader takes it with a note and finishes it; the resident confirms.
            var leader = Browser()
            try await leader.logIn(phone: try app.account(.buildingLeader).phone, client: client)
            let detail = try await leader.get(location, client: client)
            #expect(detail.text.contains("id=\"request-address\"") && detail.text.contains("id=\"request-deadline\"") && detail.text.contains("href=\"/households/\(target.id)\""))
            for action in ["accept", "start", "done"] {
                let page = try await leader.get(location, client: client)
                let answer = try await leader.post(location + "/act", form: ["_csrf": try Browser.csrfToken(in: page), "action": action, "note": "\(action) 的备注"], client: client)
                #expect(answer.status == .seeOther && answer.headers[.location] == location + "?notice=\(action)")
            }
            let own = try await resident.get(location, client: client)
            #expect(own.text.contains("accept 的备注") && own.text.contains("start 的备注"), "every note is in the history")
            let confirmed = try await resident.post(location + "/act", form: ["_csrf": try Browser.csrfToken(in: own), "action": "confirm"], client: client)
            #expect(confirmed.status == .seeOther)
            let after = try await resident.get(location, client: client)
            #expect(after.text.contains(Catalogue.text("requests.transition.confirm", .zhHans)) && !after.text.contains("value=\"confirm\""), "confirmed once")
            #expect(try await !staff.get("/requests?overdue=1", client: client).text.contains("href=\"\(location)\""), "done, it is late no more")
        }
    }
}
