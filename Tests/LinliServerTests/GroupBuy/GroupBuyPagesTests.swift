import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Group-buy pages: a household orders with its code, the leader pastes a chain list and sets lines aside, a building's sheet ticks deliveries, the papers print, settling asks first")
struct GroupBuyPagesTests {
    @Test("one buy through its pages", arguments: TestEngine.available)
    func throughThePages(engine: TestEngine) async throws {
        let clock = ManualClock(GroupBuyHTTPTests.afternoon)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let world = try await GroupBuyHTTPTests.world(app, client: client)
            let supplier = try await GroupBuyHTTPTests.approvedSupplier(world, client: client)
            let leaderAccount = try app.account(.buildingLeader)
            let building = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: leaderAccount.placeID, on: db) })
            let inBuilding = world.households.filter { $0.building == building.name }
            try #require(inBuilding.count >= 3)
            let coded = try #require(app.demo.households.first { household in inBuilding.contains { $0.id == household.id } })
            let created = try await client.json("/api/v1/group-buys", method: .post, token: world.staff, body: """
                {"place_id":\(world.compound.id),"supplier_id":\(supplier),"title":"鸡蛋团购","items":[{"name":"鸡蛋","specification":"30枚","unit":"盒","price_fen":3500}]}
                """)
            try #require(created.status == .created, "\(created.text)")
            let buy = try #require(try created.jsonObject()["id"] as? Int)
            #expect(try await GroupBuyHTTPTests.move(buy, to: "approved", token: world.staff, client: client).status == .ok)
            #expect(try await GroupBuyHTTPTests.move(buy, to: "open", token: world.staff, client: client).status == .ok)

            // The household finds the buy and orders 两盒, typed as people type.
            var resident = Browser()
            _ = try await resident.openHousehold(coded, client: client)
            let list = try await resident.get("/group-buys", client: client)
            #expect(list.status == .ok && list.text.contains("/group-buys/\(buy)"))
            let page = try await resident.get("/group-buys/\(buy)", client: client)
            #expect(page.status == .ok && page.text.contains("id=\"group-buy-order\"") && !page.text.contains("id=\"group-buy-paste\""))
            let item = try #require(try Self.itemID(in: page.text))
            let bad = try await resident.post("/group-buys/\(buy)/order", form: ["_csrf": try Browser.csrfToken(in: page), "item[]": item, "quantity[]": "好多"], client: client)
            #expect(bad.status == .badRequest && bad.text.contains("value=\"好多\""), "what was typed comes back")
            let ordered = try await resident.post("/group-buys/\(buy)/order", form: ["_csrf": try Browser.csrfToken(in: page), "item[]": item, "quantity[]": "两"], client: client)
            #expect(ordered.status == .seeOther)
            let mine = try await resident.get("/group-buys/\(buy)", client: client)
            #expect(mine.text.contains("id=\"group-buy-mine\"") && mine.text.contains("订 2"))

            // The leader pastes the building's chain list; one line waits and is set aside.
            var staff = Browser()
            try await staff.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let leaderPage = try await staff.get("/group-buys/\(buy)", client: client)
            #expect(leaderPage.text.contains("id=\"group-buy-paste\"") && leaderPage.text.contains("id=\"group-buy-sheet\""))
            let number = GroupBuyHTTPTests.number(inBuilding[1])
            let pasted = try await staff.post("/group-buys/\(buy)/chain-list", form: ["_csrf": try Browser.csrfToken(in: leaderPage), "text": """
                1. \(number)-\(inBuilding[1].room) 李 1盒
                2. \(number)-\(inBuilding[2].room) 王 3盒
                3. 明天几点到？
                """], client: client)
            #expect(pasted.status == .seeOther)
            let toFix = try await staff.get("/group-buys/\(buy)", client: client)
            #expect(toFix.text.contains("id=\"group-buy-to-fix\"") && toFix.text.contains("明天几点到"))
            let lineID = try #require(try await app.store.read { db in try await GroupBuyRecords.unmatched(buyID: GroupBuyID(rawValue: Int64(buy)), on: db).first?.id })
            #expect(try await staff.post("/group-buys/\(buy)/lines/\(lineID)/dismiss", form: ["_csrf": try Browser.csrfToken(in: toFix), "reason": ""], client: client).status == .seeOther)
            #expect(try await staff.get("/group-buys/\(buy)", client: client).text.contains(Catalogue.text("group_buy.page.line_dismissed", .zhHans)))

            // Closed, confirmed, dispatched, counted (all 6 boxes), disinfected: through the page's buttons.
            for state in ["closed", "confirmed", "dispatched"] {
                let current = try await staff.get("/group-buys/\(buy)", client: client)
                #expect(try await staff.post("/group-buys/\(buy)/state", form: ["_csrf": try Browser.csrfToken(in: current), "state": state], client: client).status == .seeOther, "\(state)")
            }
            #expect(try await client.json("/api/v1/group-buys/\(buy)/arrival", method: .post, token: world.staff, body: #"{"items":[{"item_id":\#(item),"arrived":6}]}"#).status == .ok)
            let counted = try await staff.get("/group-buys/\(buy)", client: client)
            #expect(try await staff.post("/group-buys/\(buy)/state", form: ["_csrf": try Browser.csrfToken(in: counted), "state": "disinfected"], client: client).status == .seeOther)

            // The building leader's sheet: rooms, masked phones, a tick with the household's code.
            var leader = Browser()
            try await leader.logIn(phone: leaderAccount.phone, client: client)
            let sheet = try await leader.get("/group-buys/\(buy)/buildings/\(building.id)", client: client)
            #expect(sheet.status == .ok && sheet.text.contains("id=\"group-buy-building-sheet\""))
            #expect(sheet.text.components(separatedBy: "id=\"household-").count - 1 == 3)
            let phones = try await app.store.read { db in
                try await db.raw("SELECT phone FROM residents WHERE household_id = \(bind: coded.id) AND phone IS NOT NULL ORDER BY id").all().map { try $0.decode(column: "phone", as: String.self) }
            }
            #expect(!phones.isEmpty && phones.allSatisfy { !sheet.text.contains($0) } && sheet.text.contains(PhoneMask.mask(phones[0])), "phones masked")
            let wrong = try await leader.post("/group-buys/\(buy)/deliveries", form: ["_csrf": try Browser.csrfToken(in: sheet), "household_id": "\(coded.id)", "household_code": "000000"], client: client)
            #expect(wrong.status == .badRequest && wrong.text.contains("code-\(coded.id)-error"))
            let ticked = try await leader.post("/group-buys/\(buy)/deliveries", form: ["_csrf": try Browser.csrfToken(in: sheet), "household_id": "\(coded.id)", "household_code": coded.code.description], client: client)
            #expect(ticked.status == .seeOther)
            for household in inBuilding[1...2] {
                #expect(try await leader.post("/group-buys/\(buy)/deliveries", form: ["_csrf": try Browser.csrfToken(in: sheet), "household_id": "\(household.id)"], client: client).status == .seeOther)
            }
            let done = try await leader.get("/group-buys/\(buy)/buildings/\(building.id)", client: client)
            #expect(done.text.contains(Catalogue.text("group_buy.page.delivered_code", .zhHans, ["time": ""]).trimmingCharacters(in: .whitespaces)))
            #expect(!done.text.contains("name=\"household_code\""), "nothing left to tick")

            // The papers: the supplier's totals by building, one slip per household.
            let papers = try await staff.get("/group-buys/\(buy)/supplier-sheet", client: client)
            #expect(papers.status == .ok && papers.text.contains("<th>6</th>"))
            let slips = try await staff.get("/group-buys/\(buy)/slips", client: client)
            #expect(slips.text.components(separatedBy: "group-buy-slip").count - 1 == 3)

            // Handed out, then settling asks first; going back changes nothing.
            let handed = try await staff.get("/group-buys/\(buy)", client: client)
            #expect(try await staff.post("/group-buys/\(buy)/state", form: ["_csrf": try Browser.csrfToken(in: handed), "state": "handed_out"], client: client).status == .seeOther)
            let asked = try await staff.post("/group-buys/\(buy)/state", form: ["_csrf": try Browser.csrfToken(in: handed), "state": "settled"], client: client)
            #expect(asked.status == .ok && asked.text.contains("id=\"confirm-question\""))
            #expect(try await client.json("/api/v1/group-buys/\(buy)", token: world.staff).jsonObject()["state"] as? String == "handed_out")
            let settled = try await staff.post("/group-buys/\(buy)/state", form: ["_csrf": try Browser.csrfToken(in: asked), "state": "settled", "confirmed": "yes"], client: client)
            #expect(settled.status == .seeOther)
            #expect(try await client.json("/api/v1/group-buys/\(buy)", token: world.staff).jsonObject()["state"] as? String == "settled")
        }
    }

    @Test("staff keep the supplier list on a page; a leader opens a buy from the form, a bad row coming back as typed", arguments: TestEngine.available)
    func setUpFromThePages(engine: TestEngine) async throws {
        let clock = ManualClock(GroupBuyHTTPTests.afternoon)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let world = try await GroupBuyHTTPTests.world(app, client: client)
            var staff = Browser()
            try await staff.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let list = try await staff.get("/suppliers", client: client)
            #expect(list.status == .ok && list.text.contains("id=\"supplier-add\""))
            let csrf = try Browser.csrfToken(in: list)
            let bad = try await staff.post("/suppliers", form: ["_csrf": csrf, "place": "\(world.committee.id)", "name": "盒马保供", "licence_number": "9131",
                                                               "driver_test_day": "2022-02-30"], client: client)
            #expect(bad.status == .badRequest && bad.text.contains("value=\"盒马保供\"") && bad.text.contains("driver_test_day-error"))
            #expect(try await staff.post("/suppliers", form: ["_csrf": csrf, "place": "\(world.committee.id)", "name": "盒马保供", "licence_number": "9131",
                                                              "driver_test_day": GroupBuyHTTPTests.today], client: client).status == .seeOther)
            let supplier = try #require(try await app.store.read { db in try await GroupBuyRecords.suppliers(servingPath: world.compound.path, on: db).first?.id })
            let added = try await staff.get("/suppliers", client: client)
            #expect(added.text.contains("id=\"supplier-\(supplier)\"") && added.text.contains(Catalogue.text("group_buy.supplier.not_approved", .zhHans)))
            #expect(try await staff.post("/suppliers/\(supplier)/approval", form: ["_csrf": csrf, "days": "30"], client: client).status == .seeOther)

            // The leader (a resident) opens a buy; a price that is not money comes back with the row.
            var leader = Browser()
            try await leader.logIn(phone: world.leaderPhone, client: client)
            let form = try await leader.get("/group-buys/new", client: client)
            #expect(form.status == .ok && form.text.contains("<option value=\"\(supplier)\""))
            var fields = ["_csrf": try Browser.csrfToken(in: form), "place": "\(world.compound.id)", "supplier": "\(supplier)", "title": "水果团购",
                          "name[]": "苹果", "specification[]": "5斤", "unit[]": "箱", "price[]": "三十块", "minimum[]": "20", "maximum[]": ""]
            let refused = try await leader.post("/group-buys", form: fields, client: client)
            #expect(refused.status == .badRequest && refused.text.contains("value=\"三十块\"") && refused.text.contains("value=\"水果团购\""))
            fields["price[]"] = "３０元"
            let created = try await leader.post("/group-buys", form: fields, client: client)
            #expect(created.status == .seeOther)
            let location = String(try #require(created.headers[.location]).prefix { $0 != "?" })
            let page = try await leader.get(location, client: client)
            #expect(page.status == .ok && page.text.contains("水果团购") && page.text.contains("30.00"))
            #expect(page.text.contains(Catalogue.text("group_buy.state.draft", .zhHans)))
        }
    }

    static func itemID(in page: String) throws -> String? {
        guard let range = page.range(of: "name=\"item[]\" value=\"") else { return nil }
        return String(page[range.upperBound...].prefix { $0.isNumber })
    }
}
