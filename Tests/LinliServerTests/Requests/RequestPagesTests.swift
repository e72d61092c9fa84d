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
