import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Supplies in the browser: a building leader ticks doors by code or sign-off, the shelf, the public page without a login")
struct SupplyPagesTests {
    @Test("the leader opens the batch from the navigation, hands out by code and by sign-off, a second tick is refused; the public page names nobody", arguments: TestEngine.available)
    func handOutPages(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let compound = try app.account(.compoundLead).placeID
            let leader = try app.account(.buildingLeader)
            let received = try await client.json("/api/v1/supplies/batches", method: .post, token: staff, body: SuppliesTests.batchBody(place: compound, quantity: 500))
            let batch = try #require((try received.jsonObject()["batch"] as? [String: Any])?["id"] as? Int)

            var browser = Browser()
            try await browser.logIn(phone: leader.phone, client: client)
            let home = try await browser.get("/", client: client)
            #expect(home.text.contains("href=\"/supplies\""))
            let index = try await browser.get("/supplies", client: client)
            #expect(index.status == .ok && index.text.contains("/supplies/batches/\(batch)"))
            let page = try await browser.get("/supplies/batches/\(batch)?building=\(leader.placeID)", client: client)
            #expect(page.status == .ok && page.text.contains("id=\"supply-doors\""))
            // The leader's list has only their own building.
            #expect(page.text.components(separatedBy: "/supplies/batches/\(batch)?building=").count - 1 == 1)
            let csrf = try Browser.csrfToken(in: page)

            let coded = try #require(app.demo.households.first)
            let byCode = try await browser.post("/supplies/batches/\(batch)/handouts", form: ["_csrf": csrf, "household_id": "\(coded.id)", "household_code": coded.code.description], client: client)
            #expect(byCode.status == .seeOther, "\(byCode.text.prefix(300))")
            let other = try await app.household(under: leader.placeID, index: app.demo.households.count)
            let signed = try await browser.post("/supplies/batches/\(batch)/handouts", form: ["_csrf": csrf, "household_id": "\(other)", "note": "放门口，电话确认"], client: client)
            #expect(signed.status == .seeOther)
            let again = try await browser.post("/supplies/batches/\(batch)/handouts", form: ["_csrf": csrf, "household_id": "\(other)"], client: client)
            #expect(again.status == .conflict)
            let after = try await browser.get("/supplies/batches/\(batch)?building=\(leader.placeID)", client: client)
            #expect(after.text.contains("tag-done") && after.text.contains("id=\"supply-sign-off\""))

            // The rest of the building signed off at once: asked first, and asking hands out nothing.
            let doorsBefore = try await SuppliesTests.ledgerSum(app, batch: batch, event: .handedOut)
            let asked = try await browser.post("/supplies/batches/\(batch)/buildings/\(leader.placeID)/handouts", form: ["_csrf": csrf, "note": "整栋送到"], client: client)
            #expect(asked.status == .ok && asked.text.contains("id=\"confirm-question\"") && asked.text.contains("value=\"整栋送到\""))
            #expect(try await SuppliesTests.ledgerSum(app, batch: batch, event: .handedOut) == doorsBefore)
            let signedOff = try await browser.post("/supplies/batches/\(batch)/buildings/\(leader.placeID)/handouts",
                                                   form: ["_csrf": csrf, "note": "整栋送到", "confirmed": "yes"], client: client)
            #expect(signedOff.status == .seeOther)
            let building = try await SuppliesTests.households(under: leader.placeID, app: app)
            #expect(try await SuppliesTests.ledgerSum(app, batch: batch, event: .handedOut) == building.count)
            let whole = try await browser.get("/supplies/batches/\(batch)?building=\(leader.placeID)", client: client)
            #expect(!whole.text.contains("id=\"supply-sign-off\"") && !whole.text.contains("name=\"household_code\""), "every door is ticked")
            let receipts = try await app.store.read { db in try await SupplyRecords.receipts(householdID: coded.id, on: db) }
            #expect(receipts.first?.handout.confirmedBy == "household_code")
            // The household sees it on its own page.
            var resident = Browser()
            try await resident.openHousehold(coded, client: client)
            let own = try await resident.get("/my-household", client: client)
            #expect(own.text.contains("id=\"household-supplies\"") && own.text.contains("大米"))

            // Without a login: the compound's figures, with no leader's name and no room.
            var anonymous = Browser()
            let publicPage = try await anonymous.get("/supplies/places/\(compound)", client: client)
            #expect(publicPage.status == .ok && publicPage.text.contains(SuppliesTests.lot))
            #expect(!publicPage.text.contains(leader.name))
            #expect(try await anonymous.get("/supplies/places/\(leader.placeID)", client: client).status == .notFound)
            #expect(try await anonymous.get("/supplies", client: client).status != .ok)
        }
    }

    @Test("the shelf page: an offer by form, a bad quantity refused on the page, a take recorded once", arguments: [TestEngine.sqlite])
    func shelfPage(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let leader = try app.account(.buildingLeader)
            var browser = Browser()
            try await browser.logIn(phone: leader.phone, client: client)
            let page = try await browser.get("/supplies/places/\(leader.placeID)/shelf", client: client)
            #expect(page.status == .ok)
            let csrf = try Browser.csrfToken(in: page)
            let refused = try await browser.post("/supplies/places/\(leader.placeID)/shelf", form: ["_csrf": csrf, "item": "挂面", "quantity": "0"], client: client)
            #expect(refused.status == .badRequest && refused.text.contains("error-summary"))
            let offered = try await browser.post("/supplies/places/\(leader.placeID)/shelf", form: ["_csrf": csrf, "item": "挂面", "quantity": "6"], client: client)
            #expect(offered.status == .seeOther)
            let shelf = try await browser.get("/supplies/places/\(leader.placeID)/shelf", client: client)
            let building = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: leader.placeID, on: db) })
            let item = try #require(try await app.store.read { db in try await SupplyRecords.shelf(under: building.path, on: db) }.first)
            #expect(shelf.text.contains("shelf-item-\(item.id)"))
            #expect(try await browser.post("/supplies/shelf/\(item.id)/take", form: ["_csrf": csrf], client: client).status == .seeOther)
            let gone = try await browser.post("/supplies/shelf/\(item.id)/take", form: ["_csrf": csrf], client: client)
            #expect(gone.headers[.location]?.contains("supplies_shelf_gone") == true)
        }
    }
}
