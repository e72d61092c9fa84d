import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Medicine in the browser: the request's items form, the runner's page at the hospital, closing a batch after asking")
struct MedicinePagesTests {
    /// The rows of the items form: one array entry per column per row, blank rows included.
    static func rows(_ rows: [[String: String]], csrf: String, cash: String) -> [(String, String)] {
        var fields: [(String, String)] = [("_csrf", csrf), ("cash_advanced", cash)]
        for row in rows {
            for column in ["drug", "specification", "quantity", "hospital", "window", "kind", "source", "cold_chain", "maker"] {
                fields.append(("\(column)[]", row[column] ?? (column == "kind" ? "chronic_refill" : column == "source" ? "hospital_window" : column == "cold_chain" ? "0" : "")))
            }
        }
        return fields
    }

    @Test("a runner writes the items on the request's page (a bad row comes back as typed, naming its row), checks the visit record, then at the hospital finds a card by its number, ticks the outcomes, records the money, gives the card back; the lead closes after confirming", arguments: TestEngine.available)
    func requestAndRun(engine: TestEngine) async throws {
        let clock = ManualClock(MedicineFullNightTests.afternoon)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            let household = try #require(app.demo.households.first)
            let filed = try await client.json("/api/v1/requests", method: .post, token: lead, body: #"{"household_id":\#(household.id),"category":"medicine","description":"配药"}"#)
            let id = try #require(try filed.jsonObject()["id"] as? Int)

            var runner = Browser()
            try await runner.logIn(phone: try app.account(.medicineRunner).phone, client: client)
            let detail = try await runner.get("/requests/\(id)", client: client)
            #expect(detail.text.contains("href=\"/requests/\(id)/medicine\""))
            let empty = try await runner.get("/requests/\(id)/medicine", client: client)
            #expect(empty.status == .ok && empty.text.contains("id=\"medicine-no-items\"") && empty.text.contains("id=\"medicine-row-2\""))
            let csrf = try Browser.csrfToken(in: empty)

            // The second row lacks its hospital: the page comes back with both rows as typed.
            let bad = try await runner.post("/requests/\(id)/medicine", fields: Self.rows([
                ["drug": "氨氯地平片", "specification": "5mg*28片", "quantity": "2", "hospital": "仁济医院", "window": "慢病窗口"],
                ["drug": "阿托伐他汀钙片", "quantity": "3"], [:],
            ], csrf: csrf, cash: "200"), client: client)
            #expect(bad.status == .badRequest)
            #expect(bad.text.contains("第 2 行的医院或药店没有填"), "\(bad.text.prefix(0))")
            #expect(bad.text.contains("value=\"阿托伐他汀钙片\"") && bad.text.contains("value=\"200\""))
            let saved = try await runner.post("/requests/\(id)/medicine", fields: Self.rows([
                ["drug": "氨氯地平片", "specification": "5mg*28片", "quantity": "2", "hospital": "仁济医院", "window": "慢病窗口"],
                [:],
                ["drug": "阿托伐他汀钙片", "quantity": "3", "hospital": "东方医院", "cold_chain": "1"],
            ], csrf: csrf, cash: "２００.５"), client: client)
            #expect(saved.status == .seeOther, "\(saved.text)")
            let part = try await client.json("/api/v1/requests/\(id)/medicine", token: lead).jsonObject()
            #expect((part["items"] as? [[String: Any]])?.map { "\($0["drug"] ?? "") \($0["quantity"] ?? "") \($0["cold_chain"] ?? "")" } == ["氨氯地平片 2 0", "阿托伐他汀钙片 3 1"])
            #expect((part["money"] as? [String: Any])?["cash_advanced"] as? Int == 20050, "full-width digits and a point typed on a Chinese keyboard")
            let filledPage = try await runner.get("/requests/\(id)/medicine", client: client)
            #expect(filledPage.text.contains("氨氯地平片 5mg*28片 × 2") && filledPage.text.contains("id=\"medicine-verify\""))
            #expect(try await runner.post("/requests/\(id)/medicine/verify", form: ["_csrf": try Browser.csrfToken(in: filledPage)], client: client).status == .seeOther)
            #expect(try await runner.get("/requests/\(id)/medicine", client: client).text.contains("已核对"))

            // The household sees its own items and no form; a building leader elsewhere sees nothing.
            var resident = Browser()
            try await resident.openHousehold(household, client: client)
            let own = try await resident.get("/requests/\(id)/medicine", client: client)
            #expect(own.status == .ok && own.text.contains("氨氯地平片") && !own.text.contains("id=\"medicine-items-form\""))
            var other = Browser()
            try await other.logIn(phone: try app.account(.groupBuyLeader).phone, client: client)
            #expect(try await other.get("/requests/\(id)/medicine", client: client).status == .forbidden)

            // A card is handed over; the cut-off forms the batch.
            let card = try await client.json("/api/v1/medicine/cards", method: .post, token: lead, body: #"{"household_id":\#(household.id),"kind":"insurance_card","number":"310115195001019876","request_id":\#(id)}"#)
            let cardID = try #require(try card.jsonObject()["id"] as? Int)
            clock.advance(5 * 3600 + 5 * 60)
            let batch = try #require(try await MedicineCutOff(services: app.services).run(at: clock.now).first)

            // At the hospital: the runner types the card's number and finds whose it is.
            let run = try await runner.get("/medicine/batches/\(batch)/run", client: client)
            #expect(run.status == .ok && run.text.contains("id=\"request-\(id)\""))
            let runCSRF = try Browser.csrfToken(in: run)
            #expect(!run.text.contains("name=\"outcome\""), "the overview records nothing: each household's page does")
            let found = try await runner.post("/medicine/batches/\(batch)/run/card", form: ["_csrf": runCSRF, "number": "3101 1519 5001 019876"], client: client)
            let location = try #require(found.headers[.location])
            #expect(found.status == .seeOther && location.hasPrefix("/medicine/batches/\(batch)/run/\(id)?card=\(cardID)"))
            let stop = try await runner.get(location, client: client)
            #expect(stop.status == .ok && stop.text.contains("**************9876") && stop.text.contains("medicine-card-found") && stop.text.contains("name=\"outcome\""))
            #expect(!stop.text.contains("310115195001019876"))
            let unknown = try await runner.post("/medicine/batches/\(batch)/run/card", form: ["_csrf": runCSRF, "number": "999"], client: client)
            #expect(unknown.status == .ok && unknown.text.contains("这个批次里没有这张卡"))
            #expect(try await runner.get("/medicine/batches/\(batch)/run/99999999", client: client).status == .notFound)
            let onlyRenji = try await runner.get("/medicine/batches/\(batch)/run?hospital=%E4%BB%81%E6%B5%8E%E5%8C%BB%E9%99%A2", client: client)
            #expect(onlyRenji.text.contains("氨氯地平片") && !onlyRenji.text.contains("阿托伐他汀钙片"))

            #expect(try await runner.post("/medicine/batches/\(batch)/run/cards/\(cardID)", form: ["_csrf": runCSRF, "event": "with_runner"], client: client).status == .seeOther)
            #expect(try await runner.post("/medicine/batches/\(batch)/run/cards/\(cardID)", form: ["_csrf": runCSRF, "event": "at_hospital"], client: client).status == .seeOther)
            let items = try #require(part["items"] as? [[String: Any]]).compactMap { $0["id"] as? Int }
            let refused = try await runner.post("/medicine/items/\(items[1])/outcome", form: ["_csrf": runCSRF, "outcome": "partial", "quantity_bought": "3"], client: client)
            #expect(refused.status == .badRequest)
            #expect(try await runner.post("/medicine/items/\(items[0])/outcome", form: ["_csrf": runCSRF, "outcome": "bought"], client: client).status == .seeOther)
            #expect(try await runner.post("/medicine/items/\(items[1])/outcome", form: ["_csrf": runCSRF, "outcome": "out_of_stock", "note": "明天再来"], client: client).status == .seeOther)
            let after = try await client.json("/api/v1/requests/\(id)", token: lead).jsonObject()
            #expect(after["status"] as? String == "done")
            #expect(try await runner.post("/requests/\(id)/medicine/money", form: ["_csrf": runCSRF, "cash_spent": "150.5", "change_returned": "50", "back": "run"], client: client).status == .seeOther)
            let wrongCode = try await runner.post("/medicine/batches/\(batch)/run/cards/\(cardID)", form: ["_csrf": runCSRF, "event": "returned_to_household", "household_code": "000000"], client: client)
            #expect(wrongCode.status == .badRequest)
            #expect(try await runner.post("/medicine/batches/\(batch)/run/cards/\(cardID)", form: ["_csrf": runCSRF, "event": "returned_to_household", "household_code": household.code.description], client: client).status == .seeOther)

            // The runner may not close; the lead is asked first, then the batch closes.
            var leadBrowser = Browser()
            try await leadBrowser.logIn(phone: try app.account(.compoundLead).phone, client: client)
            let leadRun = try await leadBrowser.get("/medicine/batches/\(batch)/run", client: client)
            #expect(leadRun.text.contains("id=\"medicine-close\"") && !run.text.contains("id=\"medicine-close\""))
            let leadCSRF = try Browser.csrfToken(in: leadRun)
            let ask = try await leadBrowser.post("/medicine/batches/\(batch)/close", form: ["_csrf": leadCSRF], client: client)
            #expect(ask.status == .ok && ask.text.contains("id=\"confirm-yes\""))
            let stillOpen = try await client.json("/api/v1/medicine/batches/\(batch)", token: lead).jsonObject()
            #expect(stillOpen["status"] as? String == "formed", "asking closes nothing")
            let closed = try await leadBrowser.post("/medicine/batches/\(batch)/close", form: ["_csrf": leadCSRF, "confirmed": "yes", "money_explanation": ""], client: client)
            #expect(closed.status == .seeOther, "\(closed.text)")
            #expect(try await client.json("/api/v1/medicine/batches/\(batch)", token: lead).jsonObject()["status"] as? String == "closed")
            let english = try await leadBrowser.get("/medicine/batches/\(batch)/run?lang=en", client: client)
            #expect(english.text.contains("Out of stock") && english.text.contains("Bought") && !english.text.contains("id=\"medicine-close\""))
        }
    }

    @Test("the lead changes a team's cut-off on the board and sends runners per hospital from the run page; runners may do neither", arguments: TestEngine.available)
    func cutoffAndRunners(engine: TestEngine) async throws {
        let clock = ManualClock(MedicineFullNightTests.afternoon)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            let runnerAccount = try app.account(.medicineRunner)
            let household = try #require(app.demo.households.first)
            let filed = try await client.json("/api/v1/requests", method: .post, token: lead, body: #"{"household_id":\#(household.id),"category":"medicine","description":"配药"}"#)
            let id = try #require(try filed.jsonObject()["id"] as? Int)
            let part = try await client.json("/api/v1/requests/\(id)/medicine", method: .put, token: lead,
                                             body: #"{"items":[{"drug":"氨氯地平片","quantity":1,"kind":"chronic_refill","source":"hospital_window","hospital":"仁济医院"}]}"#).jsonObject()
            let team = try #require(part["team_id"] as? Int)
            let batch = try #require(part["batch_id"] as? Int)

            var leadBrowser = Browser()
            try await leadBrowser.logIn(phone: try app.account(.compoundLead).phone, client: client)
            let board = try await leadBrowser.get("/medicine", client: client)
            #expect(board.text.contains("action=\"/medicine/teams/\(team)/cutoff\"") && board.text.contains("value=\"20:00\""))
            let csrf = try Browser.csrfToken(in: board)
            #expect(try await leadBrowser.post("/medicine/teams/\(team)/cutoff", form: ["_csrf": csrf, "cutoff": "25:00"], client: client).status == .badRequest)
            let saved = try await leadBrowser.post("/medicine/teams/\(team)/cutoff", form: ["_csrf": csrf, "cutoff": "21:15"], client: client)
            #expect(saved.status == .seeOther)
            #expect(try await leadBrowser.get("/medicine", client: client).text.contains("value=\"21:15\""))

            let run = try await leadBrowser.get("/medicine/batches/\(batch)/run", client: client)
            #expect(run.text.contains("id=\"medicine-runners\"") && run.text.contains(runnerAccount.name))
            let runnerID = try #require(try await app.store.read { db in try await UserRecords.user(phone: UserRecords.normalizedPhone(runnerAccount.phone), on: db) }?.id)
            let assigned = try await leadBrowser.post("/medicine/batches/\(batch)/runners", fields: [("_csrf", csrf), ("hospital[]", "仁济医院"), ("runner[]", "\(runnerID)")], client: client)
            #expect(assigned.status == .seeOther)
            let view = try await client.json("/api/v1/medicine/batches/\(batch)", token: lead).jsonObject()
            #expect((view["hospitals"] as? [[String: Any]])?.first?["runner"] as? String == runnerAccount.name)
            #expect(try await leadBrowser.post("/medicine/batches/\(batch)/runners", fields: [("_csrf", csrf), ("hospital[]", "别的医院"), ("runner[]", "\(runnerID)")], client: client).status == .badRequest)

            var runner = Browser()
            try await runner.logIn(phone: runnerAccount.phone, client: client)
            let runnerBoard = try await runner.get("/medicine", client: client)
            #expect(!runnerBoard.text.contains("/cutoff\""), "a runner sees the cut-off, not the form")
            #expect(!(try await runner.get("/medicine/batches/\(batch)/run", client: client)).text.contains("id=\"medicine-runners\""))
            #expect(try await runner.post("/medicine/teams/\(team)/cutoff", form: ["_csrf": try Browser.csrfToken(in: runnerBoard), "cutoff": "19:00"], client: client).status == .forbidden)
        }
    }
}