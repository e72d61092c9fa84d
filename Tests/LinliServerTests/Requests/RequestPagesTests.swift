import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Requests in the browser: resident pages and the volunteer's queue")
struct RequestPagesTests {
    @Test("a resident files through the form (a re-sent form files once), the leader accepts from the queue, the resident confirms done", arguments: [TestEngine.sqlite])
    func residentAndVolunteer(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let target = try #require(app.demo.households.first)
            var resident = Browser()
            let codeForm = try await resident.get("/code", client: client)
            _ = try await resident.post("/code", form: ["household_id": "\(target.id)", "code": target.code.description, "_csrf": try Browser.csrfToken(in: codeForm)], client: client)
            let newForm = try await resident.get("/requests/new", client: client)
            #expect(newForm.status == .ok)
            let key = try #require(newForm.text.range(of: "name=\"idempotency_key\" value=\"").map { String(newForm.text[$0.upperBound...].prefix { $0 != "\"" }) })
            let fields = ["_csrf": try Browser.csrfToken(in: newForm), "idempotency_key": key, "category": "medicine", "description": "降压药还剩三天"]
            let filed = try await resident.post("/requests", form: fields, client: client)
            #expect(filed.status == .seeOther)
            let resent = try await resident.post("/requests", form: fields, client: client)
            #expect(resent.headers[.location] == filed.headers[.location], "the same form sent twice files one request")
            let location = try #require(filed.headers[.location])
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
            let stored = try #require(try await app.store.read { db in try await RequestRecords.request(id: Int64(requestID) ?? 0, on: db) })
            #expect(stored.request.status == .done)
            let own = try await resident.get("/my-household", client: client)
            #expect(own.text.contains("href=\"\(location)\""))

            // The committee's board counts it among the done, with a chart drawn on the server.
            var staff = Browser()
            try await staff.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let board = try await staff.get("/board", client: client)
            #expect(board.status == .ok)
            #expect(board.text.contains("data-status=\"done\">1<"))
            #expect(board.text.contains("<svg") && board.text.contains("<rect"))
            let foreign = try await leader.get("/board?place=\(try app.account(.buildingLeader, index: 1).placeID)", client: client)
            #expect(foreign.status == .notFound)
        }
    }
}
