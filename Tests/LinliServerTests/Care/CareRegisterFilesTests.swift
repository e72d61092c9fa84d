import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import NIOCore
import Testing

@Suite("Care register files and pages over HTTP")
struct CareRegisterFilesTests {
    static func upload(_ text: String, place: PlaceID, token: String, partial: Bool = false, client: some TestClientProtocol) async throws -> TestResponse {
        try await client.execute(
            uri: "/api/v1/care/entries/import?place=\(place)&filename=care.csv" + (partial ? "&partial=true" : ""), method: .post,
            headers: [.authorization: "Bearer \(token)", .contentType: "text/csv"], body: ByteBuffer(string: text)
        )
    }

    /// The building's residents as CSV lines "building,room,name" in the file's layout.
    static func people(_ app: TestApp, building: PlaceID, count: Int) async throws -> [(building: String, room: String, name: String)] {
        let place = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: building, on: db) })
        let residents = try await app.store.read { db in try await CareRegisterRecords.residents(under: place, on: db) }.sorted { $0.id < $1.id }
        // One person per flat: two namesakes in a flat would be one person to the file.
        var seen: Set<String> = []
        return residents.filter { seen.insert("\($0.key.household.building)/\($0.key.household.room)").inserted }.prefix(count).map { ($0.key.household.building, $0.key.household.room, $0.key.name) }
    }

    @Test("an import names every bad row and writes nothing; with partial the good rows are written; importing again changes nothing", arguments: TestEngine.available)
    func importRows(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let building = try app.account(.buildingLeader).placeID
            let people = try await Self.people(app, building: building, count: 3)
            try #require(people.count == 3)
            let header = "楼号,室号,姓名,类别,残疾类别,需要的技能,风险等级,发现途径,知情同意,备注,最近联系"
            let good1 = "\(people[0].building),\(people[0].room)室,\(people[0].name),独居老人、透析,,司机,危重,医院转介,本人同意,周二透析,2026-12-01 09:30"
            let good2 = "\(people[1].building),\(people[1].room),\(people[1].name),disabled,听力,sign_language,high,neighbour,,,"
            let unknown = "\(people[2].building),\(people[2].room),不存在的人,卧床,,,,,,,"
            let badWord = "\(people[2].building),\(people[2].room),\(people[2].name),外星人,,,,,,,"
            let file = [header, good1, good2, unknown, badWord].joined(separator: "\n")

            let rejected = try await Self.upload(file, place: building, token: staff, client: client)
            #expect(rejected.status == .unprocessableContent, "\(rejected.text)")
            let report = try #require(try rejected.jsonObject()["report"] as? [String: Any])
            let issues = try #require(report["issues"] as? [[String: Any]])
            #expect(issues.map { "\($0["row"] as? Int ?? 0) \($0["reason"] as? String ?? "")" } == ["4 no_such_resident", "5 unknown_category"])
            let messages = try #require(try rejected.jsonObject()["messages"] as? [String])
            #expect(messages.first?.contains("第 4 行") == true && messages.first?.contains("不存在的人") == true)
            #expect(try await app.store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM care_entries").first()?.decode(column: "n", as: Int.self) } == 0)

            let partial = try await Self.upload(file, place: building, token: staff, partial: true, client: client)
            #expect(partial.status == .ok, "\(partial.text)")
            let applied = try #require(try partial.jsonObject()["report"] as? [String: Any])
            #expect(applied["created"] as? Int == 2 && (applied["issues"] as? [Any])?.count == 2)
            let items = try await app.store.read { db in try await CareRegisterRecords.items(under: try #require(try await DirectoryRecords.place(id: building, on: db)), on: db) }
            let first = try #require(items.first { $0.residentName == people[0].name })
            #expect(first.entry.categories == [.elderlyAlone, .dialysis] && first.entry.needs == ["driver"] && first.entry.risk == .critical && first.entry.source == .hospital)
            #expect(first.entry.lastContactAt.map(CareRegisterFile.contactText) == "2026-12-01 09:30")
            let second = try #require(items.first { $0.residentName == people[1].name })
            #expect(second.entry.disabilityKind == "听力" && second.entry.needs == ["sign_language"])
            #expect(try await app.store.read { db in try await AuditRecords.entries(action: "care_entry.import_create", on: db) }.count == 2)

            let again = try await Self.upload([header, good1, good2].joined(separator: "\n"), place: building, token: staff, client: client)
            let report2 = try #require(try again.jsonObject()["report"] as? [String: Any])
            #expect(again.status == .ok && report2["created"] as? Int == 0 && report2["updated"] as? Int == 0 && report2["unchanged"] as? Int == 2, "\(again.text)")

            // Outside one's places, and without manage_care, nothing is read.
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            let outside = try await CareRegisterKit.otherCompoundHousehold(app)
            #expect(try await Self.upload(file, place: outside, token: lead, client: client).status == .notFound)
            let runner = try await client.token(phone: try app.account(.medicineRunner).phone)
            #expect(try await Self.upload(file, place: building, token: runner, client: client).status == .forbidden)
        }
    }

    @Test("the export reads back as the same register; phones are masked unless the role may export them; every person exported is audited", arguments: TestEngine.available)
    func exportRoundTrip(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let building = try app.account(.buildingLeader).placeID
            for index in 0..<3 {
                _ = try await CareRegisterKit.register(household: try await app.household(under: building, index: index), categories: index == 0 ? ["dialysis", "elderly_alone"] : ["no_smartphone"], risk: "high", token: staff, client: client)
            }
            let compound = try app.account(.compoundLead).placeID
            for format in ["csv", "xlsx"] {
                let unmasked = try await client.json("/api/v1/care/entries/export?place=\(building)&format=\(format)&unmasked=true", token: staff)
                #expect(unmasked.status == .ok)
                let rows = try Spreadsheet.decode(Data(buffer: unmasked.body), fileName: "x.\(format)")
                #expect(rows.first == CareRegisterField.allCases.map(\.chineseHeader))
                #expect(rows.count == 4)
                let phone = try #require(rows.first?.firstIndex(of: "电话"))
                #expect(rows.dropFirst().contains { !$0[phone].isEmpty && !$0[phone].contains("*") })
                #expect(rows.dropFirst().contains { $0.contains("透析") || $0.contains { $0.contains("透析") } })
                // Back in: the same register, nothing changed.
                let again = try await client.execute(uri: "/api/v1/care/entries/import?place=\(compound)&filename=x.\(format)", method: .post,
                                                     headers: [.authorization: "Bearer \(staff)", .contentType: "application/octet-stream"], body: unmasked.body)
                let report = try #require(try again.jsonObject()["report"] as? [String: Any])
                #expect(again.status == .ok && report["created"] as? Int == 0 && report["updated"] as? Int == 0 && report["unchanged"] as? Int == 3, "\(again.text)")
            }
            #expect(try await CareRegisterKit.auditCount(app, action: "care_entry.export_unmasked") == 6)

            let masked = try await client.json("/api/v1/care/entries/export?place=\(building)&format=csv", token: staff)
            let rows = try Spreadsheet.decode(Data(buffer: masked.body), fileName: "x.csv")
            let phone = try #require(rows.first?.firstIndex(of: "电话"))
            #expect(rows.dropFirst().allSatisfy { $0[phone].isEmpty || $0[phone].contains("*") })
            #expect(try await CareRegisterKit.auditCount(app, action: "care_entry.export") == 3)

            // A compound lead keeps the register but may not export full phones; a medicine runner may not export at all.
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            #expect(try await client.json("/api/v1/care/entries/export?place=\(building)&unmasked=true", token: lead).status == .forbidden)
            #expect(try await client.json("/api/v1/care/entries/export?place=\(building)", token: lead).status == .ok)
            let runner = try await client.token(phone: try app.account(.medicineRunner).phone)
            #expect(try await client.json("/api/v1/care/entries/export?place=\(building)", token: runner).status == .forbidden)

            // The page download, with the browser's session.
            var browser = Browser()
            try await browser.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let download = try await browser.get("/care/register/export.xlsx?place=\(building)", client: client)
            #expect(download.status == .ok && download.headers[.contentDisposition]?.contains("care-register-") == true)
            let csv = try await browser.get("/care/register/export.csv?place=\(building)&unmasked=1", client: client)
            #expect(csv.status == .ok)
            #expect(try await CareRegisterKit.auditCount(app, action: "care_entry.export_unmasked") == 9)
        }
    }

    @Test("pages: the list shows who is overdue in red, the household page links to the register, a refused form keeps what was typed, a stale edit is refused", arguments: TestEngine.available)
    func pages(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            var browser = Browser()
            try await browser.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let household = try await app.household(under: try app.account(.buildingLeader).placeID)
            let housePage = try await browser.get("/households/\(household)", client: client)
            let addHref = try #require(housePage.text.firstRange(of: /\/care\/register\/new\?resident=[0-9]+/).map { String(housePage.text[$0]) }, "no link to add a resident")

            let form = try await browser.get(addHref, client: client)
            #expect(form.status == .ok)
            let csrf = try Browser.csrfToken(in: form)
            let hidden = { (name: String) throws -> String in
                let marker = "name=\"\(name)\" value=\""
                let start = try #require(form.text.range(of: marker)?.upperBound)
                return String(form.text[start...].prefix { $0 != "\"" })
            }
            var fields = ["_csrf": csrf, "household_id": try hidden("household_id"), "resident_id": try hidden("resident_id"), "risk": "high", "source": "neighbour", "note": "女儿在方舱，老人一个人在家"]
            let refused = try await browser.post("/care/register", form: fields, client: client)
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("error-summary") && refused.text.contains("href=\"#categories\""))
            #expect(refused.text.contains("女儿在方舱，老人一个人在家"))

            fields["category_temporarily_alone"] = "1"
            fields["need_dialect"] = "1"
            let saved = try await browser.post("/care/register", form: fields, client: client)
            #expect(saved.status == .seeOther)
            let location = try #require(saved.headers[.location])
            let detail = try await browser.get(location, client: client)
            #expect(detail.status == .ok && detail.text.contains("女儿在方舱") && detail.text.contains("tag-overdue"))
            let id = try #require(Int(location.split(separator: "/").last?.split(separator: "?").first ?? ""))
            #expect(try await CareRegisterKit.auditCount(app, action: "care_entry.read", entityID: id) == 1)

            let list = try await browser.get("/care/register", client: client)
            #expect(list.status == .ok && list.text.contains("/care/register/\(id)") && list.text.contains("tag-overdue"))
            let filtered = try await browser.get("/care/register?category=dialysis", client: client)
            #expect(!filtered.text.contains("/care/register/\(id)\""))
            #expect(try await browser.get("/households/\(household)", client: client).text.contains("/care/register/\(id)"))
            // Seeing that someone is on the register is a read too.
            #expect(try await CareRegisterKit.auditCount(app, action: "care_entry.read_link", entityID: id) == 1)

            // Record a contact: no longer overdue.
            let contacted = try await browser.post("/care/register/\(id)/contact", form: ["_csrf": try Browser.csrfToken(in: detail)], client: client)
            #expect(contacted.status == .seeOther)
            #expect(!(try await browser.get("/care/register/\(id)", client: client).text.contains("tag-overdue")))

            // An edit from version 1 after the contact moved the entry on: refused, typed text kept.
            let edit = try await browser.get("/care/register/\(id)/edit", client: client)
            #expect(edit.status == .ok)
            let stale = try await browser.post("/care/register/\(id)/edit", form: ["_csrf": try Browser.csrfToken(in: edit), "version": "1", "risk": "low", "source": "self", "category_bed_bound": "1", "note": "改为卧床"], client: client)
            #expect(stale.status == .conflict && stale.text.contains("care-conflict") && stale.text.contains("改为卧床"))
            #expect(try await CareRegisterKit.stored(app, id: id)?.categories == [.temporarilyAlone])

            // A building leader sees the household but no register link.
            var leader = Browser()
            try await leader.logIn(phone: try app.account(.buildingLeader).phone, client: client)
            let leaderView = try await leader.get("/households/\(household)", client: client)
            #expect(leaderView.status == .ok && !leaderView.text.contains("/care/register"))
            #expect(try await leader.get(addHref, client: client).status == .forbidden)

            // The import page, and an upload through it with a bad row.
            let importPage = try await browser.get("/care/register/import", client: client)
            #expect(importPage.status == .ok)
            let boundary = "----linli-care-boundary"
            var body = Data()
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n\(try Browser.csrfToken(in: importPage))\r\n".utf8))
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"file\"; filename=\"名册.csv\"\r\nContent-Type: text/csv\r\n\r\n楼号,室号,姓名,类别\n1,101,无此人,独居老人\n".utf8))
            body.append(Data("\r\n--\(boundary)--\r\n".utf8))
            let uploaded = try await client.execute(uri: "/care/register/import", method: .post, headers: [.contentType: "multipart/form-data; boundary=\(boundary)", .cookie: browser.cookieHeader], body: ByteBuffer(bytes: body))
            #expect(uploaded.status == .unprocessableContent && uploaded.text.contains("care-import-issues") && uploaded.text.contains("无此人"))
        }
    }
}
