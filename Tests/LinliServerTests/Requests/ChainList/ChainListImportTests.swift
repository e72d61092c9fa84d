import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Chain lists pasted from the group become requests; no line is dropped")
struct ChainListImportTests {
    static let message = "#接龙 3号楼团购大米 每袋10斤\n1. 1-101 王 1袋\n2. 1-9999 李 2袋\n3、2号楼102 张 两袋 已付\n"

    @Test("matched lines file requests once; unmatched and ambiguous lines are shown for a person", arguments: TestEngine.available)
    func importChainList(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let compound = try app.account(.compoundLead).placeID
            var lead = Browser()
            try await lead.logIn(phone: try app.account(.compoundLead).phone, client: client)
            let form = try await lead.get("/places/\(compound)/chain-list", client: client)
            #expect(form.status == .ok)
            let csrf = try Browser.csrfToken(in: form)
            let checked = try await lead.post("/places/\(compound)/chain-list", form: ["_csrf": csrf, "message": Self.message, "category": "food"], client: client)
            #expect(checked.status == .ok)
            #expect(checked.text.components(separatedBy: "<tr").count - 2 == 4, "every input line has a row")
            #expect(checked.text.components(separatedBy: "class=\"unmatched\"").count - 1 == 2, "the title and the unknown room need a person")
            let before = try await app.store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM requests").first()?.decode(column: "n", as: Int.self) }
            #expect(before == 0, "checking files nothing")
            let confirmed = try await lead.post("/places/\(compound)/chain-list", form: ["_csrf": csrf, "message": Self.message, "category": "food", "confirm": "yes"], client: client)
            #expect(confirmed.text.contains("id=\"banner\""), "filing says what it filed")
            #expect(confirmed.text.contains("></textarea>"), "the filed paste leaves the form empty, so a second press files nothing by mistake")
            let again = try await lead.post("/places/\(compound)/chain-list", form: ["_csrf": csrf, "message": Self.message, "category": "food", "confirm": "yes"], client: client)
            #expect(again.status == .ok)
            let requests = try await app.store.read { db in try await db.raw("SELECT channel, description FROM requests ORDER BY id").all() }
            #expect(requests.count == 2, "two lines matched; sending the same paste again files nothing twice")
            #expect(try requests.allSatisfy { try $0.decode(column: "channel", as: String.self) == "chain_list_import" })
            // From the committee, building 1 room 101 exists in both compounds: ambiguous, not guessed.
            var staff = Browser()
            try await staff.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let committee = try app.account(.committeeStaff).placeID
            let committeeForm = try await staff.get("/places/\(committee)/chain-list", client: client)
            let wide = try await staff.post("/places/\(committee)/chain-list", form: ["_csrf": try Browser.csrfToken(in: committeeForm), "message": "1. 1-101 王 1袋", "category": "food"], client: client)
            #expect(wide.text.contains(Catalogue.text("chain_list.match.several", .zhHans)))
            // The person picks one of the households the line could mean, and it files for that one.
            let options = wide.text.components(separatedBy: "name=\"pick[l1]\"").dropFirst().first?.components(separatedBy: "</select>").first ?? ""
            let candidates = options.components(separatedBy: "<option value=\"").dropFirst().compactMap { Int64($0.prefix { $0 != "\"" }) }
            #expect(candidates.count == 2, "both compounds' 1号楼 101 are offered")
            let picked = try #require(candidates.last)
            let filed = try await staff.post("/places/\(committee)/chain-list", form: ["_csrf": try Browser.csrfToken(in: wide), "message": "1. 1-101 王 1袋", "category": "food", "pick[l1]": "\(picked)", "confirm": "yes"], client: client)
            #expect(filed.status == .ok && filed.text.contains("id=\"banner\""))
            let household = try await app.store.read { db in try await db.raw("SELECT household_id FROM requests WHERE description = '1. 1-101 王 1袋'").first()?.decode(column: "household_id", as: Int64.self) }
            #expect(household == picked, "the request is filed for the household the person picked")
            // A pick that is not one of the line's candidates files nothing.
            let forged = try await staff.post("/places/\(committee)/chain-list", form: ["_csrf": try Browser.csrfToken(in: wide), "message": "2. 1-101 赵 1袋", "category": "food", "pick[l2]": "1", "confirm": "yes"], client: client)
            #expect(forged.status == .ok && !forged.text.contains("id=\"banner\""), "nothing to file, so nothing filed")
        }
    }

    @Test("a line naming another compound is shown for a person, never filed for the room of the same number here", arguments: [TestEngine.sqlite])
    func lineFromAnotherCompound(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let compoundID = try app.account(.compoundLead).placeID
            let compoundName = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: compoundID, on: db) }).name
            #expect(!compoundName.contains("东林"), "the demo compound is not the one the line names")
            var lead = Browser()
            try await lead.logIn(phone: try app.account(.compoundLead).phone, client: client)
            let form = try await lead.get("/places/\(compoundID)/chain-list", client: client)
            let csrf = try Browser.csrfToken(in: form)
            let message = "#接龙 鸡蛋\n1. 东林花园1-101 王 1箱\n2. \(compoundName)1-102 李 1箱\n3. 2-102 张 1箱\n"
            let confirmed = try await lead.post("/places/\(compoundID)/chain-list", form: ["_csrf": csrf, "message": message, "category": "food", "confirm": "yes"], client: client)
            #expect(confirmed.status == .ok)
            #expect(confirmed.text.contains(Catalogue.text("chain_list.match.other_compound", .zhHans)))
            let rooms = try await app.store.read { db in
                try await db.raw("SELECT h.room FROM requests r JOIN households h ON h.id = r.household_id ORDER BY h.room").all().map { try $0.decode(column: "room", as: String.self) }
            }
            #expect(rooms == ["102", "102"], "the line from 东林花园 filed nothing; the compound's own name and no name at all file as before")
        }
    }
}
