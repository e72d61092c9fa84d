import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
@testable import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Surveys: a campaign from start to close, its coverage, findings, replays and access")
struct SurveyTests {
    struct Setting {
        var compound: Place
        var building: Place
        var households: [PlaceID]
        var committee: String
        var leader: String
        var campaign: Int
    }

    static func count(_ sql: SQLQueryString, _ app: TestApp) async throws -> Int {
        try await app.store.read { db in Int(try await db.raw(sql).first().map { try $0.decode(column: "n", as: Int64.self) } ?? 0) }
    }

    /// A campaign over the building leader's compound, started by the committee through the API.
    static func start(_ app: TestApp, _ client: some TestClientProtocol) async throws -> Setting {
        let leaderAccount = try app.account(.buildingLeader)
        let building = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: leaderAccount.placeID, on: db) })
        let parentID = try #require(building.parentID)
        let compound = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: parentID, on: db) })
        let households = try await app.store.read { db in try await DirectoryRecords.children(of: building.id, on: db) }.map(\.place.id)
        let committee = try await client.token(phone: try app.account(.committeeStaff).phone)
        let leader = try await client.token(phone: leaderAccount.phone)
        let created = try await client.json("/api/v1/care/surveys", method: .post, token: committee,
                                            body: #"{"place_id":\#(compound.id),"name":"关爱摸排","starts_on":"2022-04-01","ends_on":"2022-04-03"}"#)
        try #require(created.status == .created, "\(created.text)")
        let object = try created.jsonObject()
        #expect(object["starts_on"] as? String == "2022-04-01" && object["ends_on"] as? String == "2022-04-03" && object["closed"] as? Bool == false)
        return Setting(compound: compound, building: building, households: households, committee: committee, leader: leader, campaign: try #require(object["id"] as? Int))
    }

    static func visit(_ setting: Setting, token: String, household: PlaceID, status: String, extra: String = "", client: some TestClientProtocol) async throws -> TestResponse {
        try await client.json("/api/v1/care/surveys/\(setting.campaign)/visits", method: .post, token: token, body: #"{"household_id":\#(household),"status":"\#(status)"\#(extra)}"#)
    }

    @Test("a campaign from start to close: coverage by building and by surveyor, a finding on the register, a close refused then allowed with a reason", arguments: TestEngine.available)
    func startToClose(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let setting = try await Self.start(app, client)
            let h = setting.households
            try #require(h.count >= 6)
            let resident = try #require(try await app.store.read { db in try await HouseholdRecords.detail(id: h[2], on: db) }?.residents.first)
            #expect(try await Self.visit(setting, token: setting.committee, household: h[0], status: "visited", client: client).status == .created)
            #expect(try await Self.visit(setting, token: setting.committee, household: h[1], status: "nobody_home", extra: #","note":"敲门无人""#, client: client).status == .created)
            let finding = try await Self.visit(setting, token: setting.committee, household: h[2], status: "follow_up",
                                               extra: #","resident_id":\#(resident.id),"categories":["temporarily_alone","dialysis"],"needs":["medical"],"risk":"high","finding_note":"家人被隔离，每周透析""#, client: client)
            #expect(finding.status == .created, "\(finding.text)")
            #expect(try await Self.visit(setting, token: setting.leader, household: h[3], status: "phoned", client: client).status == .created)
            #expect(try await Self.visit(setting, token: setting.leader, household: h[1], status: "visited", client: client).status == .created)

            // The finding is on the register, from the survey, with the contact just made.
            let entry = try #require(try await app.store.read { db in try await CareRecords.entry(residentID: resident.id, on: db) })
            #expect(entry.source == .survey && entry.categories == [.temporarilyAlone, .dialysis] && entry.needs == ["medical"] && entry.risk == .high)
            #expect(entry.note == "家人被隔离，每周透析" && entry.householdID == h[2] && entry.lastContactAt != nil)

            // Coverage, exactly: the leader's building has 4 done of its households; every other building none.
            let coverage = try (try await client.json("/api/v1/care/surveys/\(setting.campaign)", token: setting.committee)).jsonObject()
            let buildings = try #require(coverage["buildings"] as? [[String: Any]])
            let total = try await Self.count("SELECT COUNT(*) AS n FROM households WHERE path > \(bind: setting.compound.path.rawValue + "/") AND path < \(bind: setting.compound.path.rawValue + "0")", app)
            #expect(buildings.reduce(0) { $0 + (($1["tally"] as? [String: Any])?["households"] as? Int ?? 0) } == total)
            let mine = try #require(buildings.first { $0["building_id"] as? Int == Int(setting.building.id.rawValue) }?["tally"] as? [String: Any])
            #expect(mine["households"] as? Int == h.count && mine["done"] as? Int == 4 && mine["not_yet"] as? Int == h.count - 4)
            #expect(mine["nobody_home"] as? Int == 0 && mine["follow_ups"] as? Int == 1 && mine["percent"] as? Int == 400 / h.count)
            #expect(buildings.filter { $0["building_id"] as? Int != Int(setting.building.id.rawValue) }.allSatisfy { ($0["tally"] as? [String: Any])?["done"] as? Int == 0 })
            let totals = try #require(coverage["total"] as? [String: Any])
            #expect(totals["households"] as? Int == total && totals["done"] as? Int == 4 && totals["not_yet"] as? Int == total - 4)
            // By surveyor: the committee last touched h0 and h2 (h1 was taken over by the leader), the leader h1 and h3.
            let surveyors = try #require(coverage["surveyors"] as? [[String: Any]]).compactMap { $0["tally"] as? [String: Any] }
            #expect(surveyors.count == 2)
            #expect(surveyors.allSatisfy { $0["households"] as? Int == 2 && $0["done"] as? Int == 2 })
            #expect(surveyors.map { $0["follow_ups"] as? Int ?? -1 }.sorted() == [0, 1])
            // The history keeps the retry after nobody home.
            let history = try #require(try (try await client.json("/api/v1/care/surveys/\(setting.campaign)/visits?household=\(h[1])", token: setting.committee)).jsonObject()["visits"] as? [[String: Any]])
            #expect(history.map { $0["status"] as? String } == ["nobody_home", "visited"])

            // Closing while households are open is refused, says how many, and changes nothing.
            let refused = try await client.json("/api/v1/care/surveys/\(setting.campaign)/close", method: .post, token: setting.committee, body: "{}")
            #expect(refused.status == .conflict)
            let error = try #require(try refused.jsonObject()["error"] as? [String: Any])
            #expect(error["field"] as? String == "reason" && (error["message"] as? String)?.contains("\(total - 4)") == true, "\(refused.text)")
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM survey_campaigns WHERE closed_at IS NOT NULL", app) == 0)
            // The page says so too, with the buildings still open linked to their walks.
            var browser = Browser()
            try await browser.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let page = try await browser.get("/care/surveys/\(setting.campaign)", client: client)
            let refusedPage = try await browser.post("/care/surveys/\(setting.campaign)/close", form: ["_csrf": try Browser.csrfToken(in: page)], client: client)
            #expect(refusedPage.status == .conflict && refusedPage.text.contains("/care/surveys/\(setting.campaign)/buildings/\(setting.building.id)"))

            let closed = try await client.json("/api/v1/care/surveys/\(setting.campaign)/close", method: .post, token: setting.committee, body: #"{"reason":"其余楼栋由物业电话核实"}"#)
            #expect(try closed.status == .ok && (closed.jsonObject()["closed"] as? Bool) == true && (closed.jsonObject()["closed_reason"] as? String) == "其余楼栋由物业电话核实")
            // Closed: no new visits, and no second close.
            #expect(try await Self.visit(setting, token: setting.leader, household: h[4], status: "visited", client: client).status == .conflict)
            #expect(try await client.json("/api/v1/care/surveys/\(setting.campaign)/close", method: .post, token: setting.committee, body: #"{"reason":"再来一次"}"#).status == .conflict)
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM survey_visit_history WHERE household_id = \(bind: h[4])", app) == 0)
        }
    }

    @Test("a submission sent again with its idempotency key is a success that changes nothing, through the form and the API", arguments: TestEngine.available)
    func replays(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let setting = try await Self.start(app, client)
            let h = setting.households
            var browser = Browser()
            try await browser.logIn(phone: try app.account(.buildingLeader).phone, client: client)
            let walk = try await browser.get("/care/surveys/\(setting.campaign)/buildings/\(setting.building.id)", client: client)
            #expect(walk.status == .ok && walk.text.contains("data-offline") && walk.text.contains("name=\"idempotency_key\"") && walk.text.contains(PageAssets.offlineScriptPath))
            let form = ["_csrf": try Browser.csrfToken(in: walk), "status": "nobody_home", "note": "第一次敲门", "idempotency_key": "replay-key-1", "back": "/care/surveys/\(setting.campaign)/buildings/\(setting.building.id)"]
            let first = try await browser.post("/care/surveys/\(setting.campaign)/households/\(h[0])", form: form, client: client)
            let again = try await browser.post("/care/surveys/\(setting.campaign)/households/\(h[0])", form: form, client: client)
            #expect(first.status == .seeOther && again.status == .seeOther)
            #expect(first.headers[.location]?.hasPrefix("/care/surveys/\(setting.campaign)/buildings/\(setting.building.id)?notice=care_survey_recorded") == true)
            #expect(again.headers[.location]?.contains("notice=care_survey_replayed") == true)
            // A later visit, then the first submission replayed once more (a phone's queue): the later one stays.
            let later = try await browser.post("/care/surveys/\(setting.campaign)/households/\(h[0])", form: form.merging(["status": "visited", "idempotency_key": "replay-key-2"]) { $1 }, client: client)
            #expect(later.status == .seeOther)
            _ = try await browser.post("/care/surveys/\(setting.campaign)/households/\(h[0])", form: form, client: client)
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM survey_visit_history WHERE household_id = \(bind: h[0])", app) == 2)
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'survey.visit'", app) == 2)
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM survey_visits WHERE household_id = \(bind: h[0]) AND status = 'visited'", app) == 1)

            // Through the API: 201, then 200 with replayed, and one finding on the register.
            let resident = try #require(try await app.store.read { db in try await HouseholdRecords.detail(id: h[1], on: db) }?.residents.first)
            let body = #","idempotency_key":"api-key-1","resident_id":\#(resident.id),"categories":["elderly_alone"]"#
            let once = try await Self.visit(setting, token: setting.leader, household: h[1], status: "follow_up", extra: body, client: client)
            let twice = try await Self.visit(setting, token: setting.leader, household: h[1], status: "follow_up", extra: body, client: client)
            #expect(try once.status == .created && (once.jsonObject()["replayed"] as? Bool) == false)
            #expect(try twice.status == .ok && (twice.jsonObject()["replayed"] as? Bool) == true)
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM survey_visit_history WHERE household_id = \(bind: h[1])", app) == 1)
            let entry = try #require(try await app.store.read { db in try await CareRecords.entry(residentID: resident.id, on: db) })
            #expect(entry.version == 1 && entry.categories == [.elderlyAlone])

            // The leader recorded a finding but the pages show nothing of the register to them.
            let household = try await browser.get("/care/surveys/\(setting.campaign)/households/\(h[1])", client: client)
            #expect(household.status == .ok && household.text.contains("id=\"visit-history\""))
            _ = try await Self.visit(setting, token: setting.committee, household: h[1], status: "follow_up", extra: #","resident_id":\#(resident.id),"categories":["dialysis"],"finding_note":"委员会标记：透析""#, client: client)
            let after = try await browser.get("/care/surveys/\(setting.campaign)/households/\(h[1])", client: client)
            let walkAfter = try await browser.get("/care/surveys/\(setting.campaign)/buildings/\(setting.building.id)", client: client)
            #expect(!after.text.contains("委员会标记") && !walkAfter.text.contains("委员会标记"))
            let merged = try #require(try await app.store.read { db in try await CareRecords.entry(residentID: resident.id, on: db) })
            #expect(merged.categories == [.elderlyAlone, .dialysis] && merged.version == 2)
        }
    }

    @Test("outside one's places 404, without the capability 403; a building leader sees and records only their building", arguments: TestEngine.available)
    func access(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let setting = try await Self.start(app, client)
            // The leader sees the compound's campaign, counted over their building only.
            let coverage = try (try await client.json("/api/v1/care/surveys/\(setting.campaign)", token: setting.leader)).jsonObject()
            let buildings = try #require(coverage["buildings"] as? [[String: Any]])
            #expect(buildings.count == 1 && buildings.first?["building_id"] as? Int == Int(setting.building.id.rawValue))
            // Another building of the compound: not theirs to record, nor to walk.
            let other = try app.account(.buildingLeader, index: 1)
            let otherHousehold = try await app.household(under: other.placeID)
            #expect(try await Self.visit(setting, token: setting.leader, household: otherHousehold, status: "visited", client: client).status == .notFound)
            var leader = Browser()
            try await leader.logIn(phone: try app.account(.buildingLeader).phone, client: client)
            #expect(try await leader.get("/care/surveys/\(setting.campaign)/buildings/\(other.placeID)", client: client).status == .notFound)
            #expect(try await leader.get("/care/surveys/\(setting.campaign)/buildings/\(setting.building.id)", client: client).status == .ok)
            // Closing needs manage_care; the medicine runner and the group-buy leader may not survey at all.
            // (The compound's campaign is above the leader's place: closing it is as unknown to them as any place above theirs.)
            #expect(try await client.json("/api/v1/care/surveys/\(setting.campaign)/close", method: .post, token: setting.leader, body: #"{"reason":"x"}"#).status == .notFound)
            let ownBuilding = try await client.json("/api/v1/care/surveys", method: .post, token: setting.committee, body: #"{"place_id":\#(setting.building.id),"name":"本楼","starts_on":"2022-04-01","ends_on":"2022-04-01"}"#)
            let ownCampaign = try #require(try ownBuilding.jsonObject()["id"] as? Int)
            #expect(try await client.json("/api/v1/care/surveys/\(ownCampaign)/close", method: .post, token: setting.leader, body: #"{"reason":"x"}"#).status == .forbidden)
            let runner = try await client.token(phone: try app.account(.medicineRunner).phone)
            #expect(try await client.json("/api/v1/care/surveys/\(setting.campaign)", token: runner).status == .forbidden)
            let groupBuy = try await client.token(phone: try app.account(.groupBuyLeader).phone)
            #expect(try await Self.visit(setting, token: groupBuy, household: setting.households[0], status: "visited", client: client).status == .forbidden)
            // A campaign over the other building is outside the leader's places: 404, as if it did not exist.
            let created = try await client.json("/api/v1/care/surveys", method: .post, token: setting.committee, body: #"{"place_id":\#(other.placeID),"name":"单楼","starts_on":"2022-04-01","ends_on":"2022-04-01"}"#)
            let otherCampaign = try #require(try created.jsonObject()["id"] as? Int)
            #expect(try await client.json("/api/v1/care/surveys/\(otherCampaign)", token: setting.leader).status == .notFound)
            #expect(try await leader.get("/care/surveys/\(otherCampaign)", client: client).status == .notFound)
            // Nor may a building leader start one.
            #expect(try await client.json("/api/v1/care/surveys", method: .post, token: setting.leader, body: #"{"place_id":\#(setting.building.id),"name":"我的楼","starts_on":"2022-04-01","ends_on":"2022-04-02"}"#).status == .forbidden)
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM survey_visit_history", app) == 0)
        }
    }

    @Test("bad input answers 400 naming the field and stores nothing", arguments: TestEngine.available)
    func badInput(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let setting = try await Self.start(app, client)
            let h = setting.households[0]
            for (extra, status, field) in [("", "asleep", "status"), ("", "not_yet", "status"), (#","note":"\#(String(repeating: "长", count: 501))""#, "visited", "note"),
                                            (#","categories":["sleepy"],"resident_id":1"#, "follow_up", "categories"), (#","risk":"extreme""#, "follow_up", "risk"),
                                            (#","idempotency_key":"no spaces please""#, "visited", "idempotency_key")] {
                let response = try await Self.visit(setting, token: setting.committee, household: h, status: status, extra: extra, client: client)
                #expect(response.status == .badRequest, "\(field): \(response.text)")
                #expect(try (response.jsonObject()["error"] as? [String: Any])?["field"] as? String == field)
            }
            for (body, field) in [(#""starts_on":"2022-04-05","ends_on":"2022-04-01""#, "ends_on"), (#""starts_on":"2022-02-30","ends_on":"2022-04-01""#, "starts_on"),
                                  (#""starts_on":"2022-04-01","ends_on":"2024-04-01""#, "ends_on")] {
                let response = try await client.json("/api/v1/care/surveys", method: .post, token: setting.committee, body: #"{"place_id":\#(setting.compound.id),"name":"坏日期",\#(body)}"#)
                #expect(try response.status == .badRequest && (response.jsonObject()["error"] as? [String: Any])?["field"] as? String == field, "\(response.text)")
            }
            // The page form comes back with the error beside the field.
            var browser = Browser()
            try await browser.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let form = try await browser.get("/care/surveys/new", client: client)
            let refused = try await browser.post("/care/surveys", form: ["_csrf": try Browser.csrfToken(in: form), "place_id": "\(setting.compound.id)", "name": "倒过来", "starts_on": "2022-04-05", "ends_on": "2022-04-01"], client: client)
            #expect(refused.status == .badRequest && refused.text.contains("href=\"#ends_on\""))
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM survey_visit_history", app) == 0)
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM survey_visits", app) == 0)
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM survey_campaigns", app) == 1)
            #expect(try await Self.count("SELECT COUNT(*) AS n FROM care_entries", app) == 0)
        }
    }

    @Test("the walk goes floor by floor, top down or bottom up, in pages of whole floors")
    func walkOrder() {
        func row(_ room: String) -> SurveyHouseholdRow { SurveyHouseholdRow(householdID: PlaceID(Int64(room.hashValue & 0xffff) + 1), room: room, status: .notYet, note: nil, updatedAt: nil) }
        let rows = ["101", "102", "201", "202", "1001", "1002", "商铺", "301", "302", "401", "402", "501", "502", "601", "602", "701", "702"].map(row)
        let down = SurveyPages.walkPages(rows, upward: false)
        #expect(down.first?.first?.floor == 10 && down.last?.last?.floor == nil)
        #expect(down.allSatisfy { $0.reduce(0) { $0 + $1.rows.count } <= SurveyPages.householdsPerPage })
        let up = SurveyPages.walkPages(rows, upward: true).flatMap { $0 }.map(\.floor)
        #expect(up == [1, 2, 3, 4, 5, 6, 7, 10, nil])
        #expect(down.flatMap { $0 }.flatMap(\.rows).count == rows.count)
    }
}
