import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import NIOCore
import SQLKit
import Testing

/// Shared steps of the care register's HTTP tests.
enum CareRegisterKit {
    /// The residents of a household, as (id, name), read through the API.
    static func residents(of household: PlaceID, token: String, client: some TestClientProtocol) async throws -> [(id: Int, name: String)] {
        let response = try await client.json("/api/v1/households/\(household)", token: token)
        try #require(response.status == .ok, "household \(household): \(response.status)")
        let residents = try #require(try response.jsonObject()["residents"] as? [[String: Any]])
        return residents.compactMap { resident in (resident["id"] as? Int).flatMap { id in (resident["name"] as? String).map { (id, $0) } } }
    }

    static func body(household: PlaceID, resident: Int, categories: [String], risk: String = "medium", source: String = "survey", needs: [String] = [], kind: String? = nil, note: String? = nil) -> String {
        var object: [String: Any] = ["household_id": household.rawValue, "resident_id": resident, "categories": categories, "risk": risk, "source": source, "needs": needs]
        if let kind { object["disability_kind"] = kind }
        if let note { object["note"] = note }
        return String(decoding: (try? JSONSerialization.data(withJSONObject: object)) ?? Data(), as: UTF8.self)
    }

    /// Registers the first resident of `household` and returns the entry's id.
    static func register(household: PlaceID, resident index: Int = 0, categories: [String], risk: String = "medium", token: String, client: some TestClientProtocol) async throws -> Int {
        let resident = try #require(try await residents(of: household, token: token, client: client).dropFirst(index).first, "no resident \(index) in \(household)")
        let created = try await client.json("/api/v1/care/entries", method: .post, token: token, body: body(household: household, resident: resident.id, categories: categories, risk: risk))
        try #require(created.status == .created, "register: \(created.status) \(created.text)")
        return try #require(try created.jsonObject()["id"] as? Int)
    }

    static func auditCount(_ app: TestApp, action: String, entityID: Int? = nil) async throws -> Int {
        try await app.store.read { db in try await AuditRecords.entries(entity: "care_entry", entityID: entityID.map { "\($0)" }, action: action, limit: 100_000, on: db).count }
    }

    static func stored(_ app: TestApp, id: Int) async throws -> CareEntry? {
        try await app.store.read { db in try await CareRecords.entry(id: CareEntryID(Int64(id)), on: db) }
    }

    /// A household of the committee that lies outside the compound lead's compound.
    static func otherCompoundHousehold(_ app: TestApp) async throws -> PlaceID {
        let committee = try app.account(.committeeStaff).placeID
        let compound = try app.account(.compoundLead).placeID
        let other = try #require(try await app.store.read { db in try await DirectoryRecords.children(of: committee, on: db) }.first { $0.place.id != compound }?.place.id)
        var current = other
        while true {
            let parent = current
            let children = try await app.store.read { db in try await DirectoryRecords.children(of: parent, on: db) }
            let first = try #require(children.first)
            if first.place.level == .household { return first.place.id }
            current = first.place.id
        }
    }
}

@Suite("Care register over HTTP: entries, versions, lists and access")
struct CareRegisterHTTPTests {
    @Test("create, read, update with a version, conflict, validation naming the field, record a contact; every write and read audited", arguments: TestEngine.available)
    func entryLifecycle(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let household = try await app.household(under: try app.account(.buildingLeader).placeID)
            let resident = try #require(try await CareRegisterKit.residents(of: household, token: staff, client: client).first)

            // Field by field, before anything is written.
            for (body, field) in [
                (CareRegisterKit.body(household: household, resident: resident.id, categories: []), "categories"),
                (CareRegisterKit.body(household: household, resident: resident.id, categories: ["martian"]), "categories"),
                (CareRegisterKit.body(household: household, resident: resident.id, categories: ["disabled"]), "disability_kind"),
                (CareRegisterKit.body(household: household, resident: resident.id, categories: ["dementia"], risk: "extreme"), "risk"),
                (CareRegisterKit.body(household: household, resident: resident.id, categories: ["dementia"], needs: ["a,b"]), "needs"),
                (CareRegisterKit.body(household: household, resident: 999_999_999, categories: ["dementia"]), "resident_id"),
            ] {
                let refused = try await client.json("/api/v1/care/entries", method: .post, token: staff, body: body)
                #expect(refused.status == .badRequest, "\(field): \(refused.text)")
                #expect((try refused.jsonObject()["error"] as? [String: Any])?["field"] as? String == field)
            }
            #expect(try await app.store.read { db in try await CareRecords.entries(householdID: household, on: db) }.isEmpty)

            let created = try await client.json("/api/v1/care/entries", method: .post, token: staff, body: CareRegisterKit.body(
                household: household, resident: resident.id, categories: ["elderly_alone", "dialysis"], risk: "high", needs: ["driver", "轮椅搬运"], note: "周二周五透析"))
            #expect(created.status == .created, "\(created.text)")
            let object = try created.jsonObject()
            let id = try #require(object["id"] as? Int)
            #expect(object["categories"] as? [String] == ["elderly_alone", "dialysis"])
            #expect(object["needs"] as? [String] == ["driver", "轮椅搬运"])
            #expect(object["contact_overdue"] as? Bool == true && object["version"] as? Int == 1)
            let stored = try #require(try await CareRegisterKit.stored(app, id: id))
            #expect(stored.residentID.rawValue == Int64(resident.id) && stored.risk == .high && stored.note == "周二周五透析")
            #expect(try await CareRegisterKit.auditCount(app, action: "care_entry.create", entityID: id) == 1)

            // The same person twice: 409 naming the resident.
            let again = try await client.json("/api/v1/care/entries", method: .post, token: staff, body: CareRegisterKit.body(household: household, resident: resident.id, categories: ["dementia"]))
            #expect(again.status == .conflict)

            // Reading is audited, once per read.
            #expect(try await client.json("/api/v1/care/entries/\(id)", token: staff).status == .ok)
            #expect(try await client.json("/api/v1/care/entries/\(id)", token: staff).status == .ok)
            #expect(try await CareRegisterKit.auditCount(app, action: "care_entry.read", entityID: id) == 2)

            // Update at version 1, then a second update still at version 1 is refused and changes nothing.
            let update = #"{"version":1,"categories":["dialysis"],"risk":"critical","source":"hospital","needs":["medical"]}"#
            let updated = try await client.json("/api/v1/care/entries/\(id)", method: .put, token: staff, body: update)
            #expect(updated.status == .ok, "\(updated.text)")
            #expect(try updated.jsonObject()["version"] as? Int == 2)
            let stale = try await client.json("/api/v1/care/entries/\(id)", method: .put, token: staff, body: #"{"version":1,"categories":["pregnant"],"risk":"low","source":"self"}"#)
            #expect(stale.status == .conflict)
            #expect((try stale.jsonObject()["error"] as? [String: Any])?["field"] as? String == "version")
            let afterConflict = try #require(try await CareRegisterKit.stored(app, id: id))
            #expect(afterConflict.categories == [.dialysis] && afterConflict.risk == .critical && afterConflict.version == 2)
            let audit = try await app.store.read { db in try await AuditRecords.entries(entity: "care_entry", entityID: "\(id)", action: "care_entry.update", on: db) }
            #expect(audit.count == 1 && audit.first?.before?.contains("elderly_alone") == true && audit.first?.after?.contains("critical") == true)
            let invalid = try await client.json("/api/v1/care/entries/\(id)", method: .put, token: staff, body: #"{"version":2,"categories":[],"risk":"low","source":"self"}"#)
            #expect(invalid.status == .badRequest)

            // A contact: the time is set and the version moves on.
            let contact = try await client.json("/api/v1/care/entries/\(id)/contacts", method: .post, token: staff)
            #expect(contact.status == .ok)
            #expect(try contact.jsonObject()["contact_overdue"] as? Bool == false)
            let contacted = try #require(try await CareRegisterKit.stored(app, id: id))
            #expect(contacted.lastContactAt != nil && contacted.version == 3)
            #expect(try await CareRegisterKit.auditCount(app, action: "care_entry.contact", entityID: id) == 1)
        }
    }

    @Test("two people saving the same version at once: one wins, the other gets 409", arguments: TestEngine.available)
    func concurrentUpdates(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let household = try await app.household(under: try app.account(.buildingLeader).placeID)
            let id = try await CareRegisterKit.register(household: household, categories: ["dementia"], token: staff, client: client)
            let statuses = try await StartingLine.race(2) { index in
                try await client.json("/api/v1/care/entries/\(id)", method: .put, token: staff, body: #"{"version":1,"categories":["bed_bound"],"risk":"\#(index == 0 ? "high" : "low")","source":"survey"}"#).status
            }
            #expect(statuses.sorted { $0.code < $1.code } == [.ok, .conflict])
            #expect(try await CareRegisterKit.stored(app, id: id)?.version == 2)
        }
    }

    @Test("the list filters by place, category, risk, pairing and days without contact, pages, and audits every person shown; counts per category and risk", arguments: TestEngine.available)
    func listAndFilters(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let building = try app.account(.buildingLeader).placeID
            let first = try await app.household(under: building, index: 0)
            let second = try await app.household(under: building, index: 2)
            let elsewhere = try await CareRegisterKit.otherCompoundHousehold(app)
            let dialysis = try await CareRegisterKit.register(household: first, categories: ["dialysis"], risk: "critical", token: staff, client: client)
            let alone = try await CareRegisterKit.register(household: second, categories: ["temporarily_alone", "no_smartphone"], risk: "high", token: staff, client: client)
            let far = try await CareRegisterKit.register(household: elsewhere, categories: ["pregnant"], risk: "low", token: staff, client: client)
            // One paired, one reached just now.
            try await app.store.write { db in
                let volunteer = try #require(try await db.raw("SELECT MIN(id) AS id FROM volunteers").first()?.decode(column: "id", as: VolunteerID.self))
                var entry = try #require(try await CareRecords.entry(id: CareEntryID(Int64(alone)), on: db))
                entry.primaryHelperID = volunteer
                _ = try await CareRecords.update(entry, on: db)
            }
            #expect(try await client.json("/api/v1/care/entries/\(far)/contacts", method: .post, token: staff).status == .ok)

            func ids(_ query: String) async throws -> [Int] {
                let response = try await client.json("/api/v1/care/entries\(query)", token: staff)
                try #require(response.status == .ok, "\(query): \(response.status) \(response.text)")
                return try #require(try response.jsonObject()["entries"] as? [[String: Any]]).compactMap { $0["id"] as? Int }
            }
            // Most at risk first.
            #expect(try await ids("") == [dialysis, alone, far])
            #expect(try await ids("?category=dialysis") == [dialysis])
            #expect(try await ids("?category=no_smartphone") == [alone])
            #expect(try await ids("?risk=low") == [far])
            #expect(try await ids("?paired=true") == [alone])
            #expect(try await ids("?paired=false") == [dialysis, far])
            #expect(try await ids("?contact_days=3") == [dialysis, alone])
            #expect(try await ids("?place=\(building)") == [dialysis, alone])
            #expect(try await ids("?limit=1&offset=1") == [alone])
            for bad in ["?category=martian", "?risk=9", "?paired=maybe", "?contact_days=-1", "?contact_days=99999", "?limit=0"] {
                #expect(try await client.json("/api/v1/care/entries\(bad)", token: staff).status == .badRequest, "\(bad)")
            }
            // Every list read is one audit row per person shown.
            let listed = try await CareRegisterKit.auditCount(app, action: "care_entry.read_list")
            #expect(listed == 3 + 1 + 1 + 1 + 1 + 2 + 2 + 2 + 1)

            let counts = try await client.json("/api/v1/care/entries/counts?place=\(building)", token: staff).jsonObject()
            #expect(counts["total"] as? Int == 2)
            #expect((counts["categories"] as? [String: Int])?["dialysis"] == 1 && (counts["categories"] as? [String: Int])?["pregnant"] == 0)
            #expect((counts["risks"] as? [String: Int])?["critical"] == 1 && (counts["risks"] as? [String: Int])?["high"] == 1)
        }
    }

    @Test("who may read and write: building and group-buy leaders cannot read, a medicine runner reads but cannot write, outside one's places is 404", arguments: TestEngine.available)
    func access(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let household = try await app.household(under: try app.account(.buildingLeader).placeID)
            let id = try await CareRegisterKit.register(household: household, categories: ["bed_bound"], token: staff, client: client)
            let far = try await CareRegisterKit.register(household: try await CareRegisterKit.otherCompoundHousehold(app), categories: ["pregnant"], token: staff, client: client)
            let before = try await CareRegisterKit.auditCount(app, action: "care_entry.read")

            for role in [RoleKind.buildingLeader, .groupBuyLeader] {
                let token = try await client.token(phone: try app.account(role).phone)
                #expect(try await client.json("/api/v1/care/entries/\(id)", token: token).status == .forbidden, "\(role)")
                #expect(try await client.json("/api/v1/care/entries", token: token).status == .forbidden, "\(role)")
                var browser = Browser()
                try await browser.logIn(phone: try app.account(role).phone, client: client)
                #expect(try await browser.get("/care/register", client: client).status == .forbidden, "\(role)")
                #expect(try await browser.get("/care/register/\(id)", client: client).status == .forbidden, "\(role)")
            }
            let runner = try await client.token(phone: try app.account(.medicineRunner).phone)
            let read = try await client.json("/api/v1/care/entries/\(id)", token: runner)
            #expect(read.status == .ok)
            #expect(try await client.json("/api/v1/care/entries/\(id)", method: .put, token: runner, body: #"{"version":1,"categories":["dementia"],"risk":"low","source":"survey"}"#).status == .forbidden)
            #expect(try await client.json("/api/v1/care/entries/\(id)/contacts", method: .post, token: runner).status == .forbidden)
            let runnerList = try await client.json("/api/v1/care/entries", token: runner).jsonObject()
            #expect((runnerList["entries"] as? [[String: Any]])?.compactMap { $0["id"] as? Int } == [id])

            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            #expect(try await client.json("/api/v1/care/entries/\(far)", token: lead).status == .notFound)
            #expect(try await client.json("/api/v1/care/entries/\(far)", method: .put, token: lead, body: "{}").status == .notFound)
            #expect(try await client.json("/api/v1/care/entries/\(far)/contacts", method: .post, token: lead).status == .notFound)
            #expect(try await client.json("/api/v1/care/entries/987654321", token: staff).status == .notFound)
            // Only the runner's one allowed read was audited.
            #expect(try await CareRegisterKit.auditCount(app, action: "care_entry.read") == before + 1)
            let runnerAudit = try await app.store.read { db in try await AuditRecords.entries(entity: "care_entry", entityID: "\(id)", action: "care_entry.read", on: db) }
            #expect(runnerAudit.first?.actor.hasPrefix("user:") == true)
        }
    }

    @Test("a request filed for a registered person takes its urgency from the register", arguments: TestEngine.available)
    func urgencyFromRegister(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let building = try app.account(.buildingLeader).placeID
            // Households whose residents have no health or disability notes: only the register speaks.
            let plain = try await app.store.read { db in
                try await db.raw("""
                    SELECT h.id FROM households h WHERE h.building_id = \(bind: building)
                      AND EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id)
                      AND NOT EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND (r.health_note IS NOT NULL OR r.disability_note IS NOT NULL))
                    ORDER BY h.id LIMIT 3
                    """).all().map { try $0.decode(column: "id", as: PlaceID.self) }
            }
            try #require(plain.count == 3)
            let (dialysisHousehold, highHousehold, plainHousehold) = (plain[0], plain[1], plain[2])
            func file(_ household: PlaceID, _ category: String) async throws -> String? {
                let filed = try await client.json("/api/v1/requests", method: .post, token: staff, body: #"{"household_id":\#(household),"category":"\#(category)","description":"需要帮忙"}"#)
                try #require(filed.status == .created, "\(filed.text)")
                return try filed.jsonObject()["urgency"] as? String
            }
            #expect(try await file(plainHousehold, "transport") == "normal")
            _ = try await CareRegisterKit.register(household: dialysisHousehold, categories: ["dialysis"], risk: "medium", token: staff, client: client)
            _ = try await CareRegisterKit.register(household: highHousehold, categories: ["elderly_alone"], risk: "high", token: staff, client: client)
            #expect(try await file(dialysisHousehold, "transport") == "life_critical")
            #expect(try await file(dialysisHousehold, "food") == "urgent")
            #expect(try await file(highHousehold, "food") == "urgent")
        }
    }
}
