import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Rumours in the browser: a leader reports from the board, the officer verifies and drafts, staff publish after being asked, the public page needs no login")
struct RumourPagesTests {
    @Test("report from the board, a matched second report, verdict, draft, approval, publish asked first, the public page, retraction asked first", arguments: TestEngine.available)
    func reportToPublicPage(engine: TestEngine) async throws {
        let clock = ManualClock(RumourHTTPTests.morning)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let leader = try app.account(.buildingLeader)
            var browser = Browser()
            try await browser.logIn(phone: leader.phone, client: client)
            let home = try await browser.get("/", client: client)
            #expect(home.text.contains("href=\"/rumours\""))
            let board = try await browser.get("/rumours", client: client)
            #expect(board.status == .ok && board.text.contains("id=\"none-running\""), "\(board.text.prefix(400))")
            let csrf = try Browser.csrfToken(in: board)
            // A refused report comes back as typed.
            let refused = try await browser.post("/rumours", form: ["_csrf": csrf, "place_id": "\(leader.placeID)", "text": "有人说", "link": "不是链接"], client: client)
            #expect(refused.status == .badRequest && refused.text.contains(">有人说</textarea>") && refused.text.contains("link-error"))
            let filed = try await browser.post("/rumours", form: ["_csrf": csrf, "place_id": "\(leader.placeID)", "text": "明天起全区停水三天，赶紧囤水！"], client: client)
            #expect(filed.status == .seeOther)
            let location = try #require(filed.headers[.location])
            #expect(location.hasPrefix("/rumours/") && location.hasSuffix("notice=rumour_reported"), "\(location)")
            let rumourPath = String(location.prefix { $0 != "?" })
            let again = try await browser.post("/rumours", form: ["_csrf": csrf, "place_id": "\(leader.placeID)", "text": "转：明天起全区停水三天，赶紧囤水"], client: client)
            #expect(again.headers[.location] == rumourPath + "?notice=rumour_matched")
            let leaderView = try await browser.get(rumourPath, client: client)
            #expect(leaderView.status == .ok && !leaderView.text.contains("id=\"verdict\""), "a building leader reports, the officer verifies")

            var officer = Browser()
            try await officer.logIn(phone: try app.account(.informationOfficer).phone, client: client)
            let page = try await officer.get(rumourPath, client: client)
            #expect(page.text.contains("id=\"start-verifying\"") && page.text.contains("id=\"verdict\"") && page.text.contains("id=\"escalate\""))
            let officerCSRF = try Browser.csrfToken(in: page)
            #expect(try await officer.post(rumourPath + "/step", form: ["_csrf": officerCSRF, "status": "false", "note": "自来水公司：无停水计划"], client: client).status == .seeOther)
            let drafting = try await officer.get(rumourPath, client: client)
            #expect(drafting.text.contains("id=\"draft\"") && !drafting.text.contains("id=\"verdict\""))
            let noFacts = try await officer.post(rumourPath + "/step", form: ["_csrf": officerCSRF, "status": "draft", "source": "街道办"], client: client)
            #expect(noFacts.status == .badRequest && noFacts.text.contains("facts-error") && noFacts.text.contains("value=\"街道办\""))
            #expect(try await officer.post(rumourPath + "/step", form: ["_csrf": officerCSRF, "status": "draft", "facts": "自来水公司确认近期没有停水计划。", "source": "花木街道办事处"],
                                           client: client).status == .seeOther)
            let rumourID = try #require(Int64(rumourPath.split(separator: "/").last ?? ""))
            let correction = try #require(try await app.store.read { db in try await RumourRecords.corrections(rumourID: RumourID(rumourID), on: db) }.first)
            #expect(try await client.execute(uri: "/corrections/\(correction.id)", method: .get).status == .notFound, "a draft is not public")

            var staff = Browser()
            try await staff.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let review = try await staff.get(rumourPath, client: client)
            let staffCSRF = try Browser.csrfToken(in: review)
            #expect(try await staff.post("/corrections/\(correction.id)/step", form: ["_csrf": staffCSRF, "status": "approved"], client: client).status == .seeOther)
            let asked = try await staff.post("/corrections/\(correction.id)/step", form: ["_csrf": staffCSRF, "status": "published"], client: client)
            #expect(asked.status == .ok && asked.text.contains("id=\"confirm-question\""))
            #expect(try await app.store.read { db in try await RumourRecords.correction(id: correction.id, on: db) }?.status == .approved, "asking publishes nothing")
            clock.advance(40 * 60)
            #expect(try await staff.post("/corrections/\(correction.id)/step", form: ["_csrf": staffCSRF, "status": "published", "confirmed": "yes"], client: client).status == .seeOther)
            let published = try await client.execute(uri: "/corrections/\(correction.id)", method: .get)
            #expect(published.status == .ok && published.text.contains("自来水公司确认近期没有停水计划") && published.text.contains("花木街道办事处"))
            let done = try await staff.get(rumourPath, client: client)
            #expect(done.text.contains("40 分钟") && done.text.contains("href=\"/corrections/\(correction.id)\""))

            let retractAsked = try await staff.post("/corrections/\(correction.id)/step", form: ["_csrf": staffCSRF, "status": "retracted", "reason": "发布单位写错"], client: client)
            #expect(retractAsked.status == .ok && retractAsked.text.contains("value=\"发布单位写错\""))
            #expect(try await staff.post("/corrections/\(correction.id)/step", form: ["_csrf": staffCSRF, "status": "retracted", "reason": "发布单位写错", "confirmed": "yes"],
                                         client: client).status == .seeOther)
            let retracted = try await client.execute(uri: "/corrections/\(correction.id)", method: .get)
            #expect(retracted.text.contains("id=\"retracted\"") && retracted.text.contains("发布单位写错"))
            let english = try await client.execute(uri: "/corrections/\(correction.id)", method: .get, headers: [.acceptLanguage: "en"])
            #expect(english.text.contains("This correction was retracted"))
        }
    }
}
