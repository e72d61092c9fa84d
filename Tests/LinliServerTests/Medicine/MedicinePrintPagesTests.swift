import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("A batch's printed papers: one list per hospital window, one bag label per household")
struct MedicinePrintPagesTests {
    @Test("three households' requests: the list totals the drug once (6 for 3 households), each household has one label with its building, room and surname, every label shown is audited; a building leader sees neither", arguments: TestEngine.available)
    func listAndLabels(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let team = try #require(try await app.store.read { db in
                try await db.raw("SELECT id FROM teams WHERE kind = 'medicine_team' ORDER BY id LIMIT 1").first()?.decode(column: "id", as: TeamID.self)
            })
            let households = try await app.store.read { db in
                try await db.raw("SELECT h.id FROM households h JOIN teams t ON h.path > t.path || '/' AND h.path < t.path || '0' WHERE t.id = \(bind: team) ORDER BY h.id LIMIT 3")
                    .all().map { try $0.decode(column: "id", as: PlaceID.self) }
            }
            let now = Date()
            let night = MedicineBatch.night(filedAt: now, cutoffMinute: MedicineBatch.defaultCutoffMinute)
            for household in households { _ = try await MedicineFormingTests.file(household, team: team, night: night, at: now, app: app) }
            let batch = try #require(try await app.store.write { db in
                try await MedicineNightlyForming.formNightly(cutoffMinute: MedicineBatch.defaultCutoffMinute, night: night, at: now, on: db)
            }.first)

            var staff = Browser()
            try await staff.logIn(phone: try app.account(.committeeStaff).phone, client: client)
            let list = try await staff.get("/medicine/batches/\(batch)/list", client: client)
            #expect(list.status == .ok)
            #expect(list.text.components(separatedBy: "class=\"medicine-list-row\"").count == 2, "one drug, one line")
            #expect(list.text.contains("仁济医院 · 慢病窗口 · 医院窗口") && list.text.contains("<td>6</td><td>3</td>"))
            #expect(list.text.contains("还没有派跑腿"))

            let labels = try await staff.get("/medicine/batches/\(batch)/labels", client: client)
            #expect(labels.status == .ok)
            #expect(labels.text.components(separatedBy: "class=\"medicine-label\"").count == 4)
            #expect(labels.text.contains("data-households=\"3\""))
            for household in households { #expect(labels.text.contains("data-household=\"\(household)\"")) }
            #expect(labels.text.contains("氨氯地平片 5mg*28片 × 2"))
            let audited = try await app.store.read { db in try await AuditRecords.entries(action: "medicine_request.read_label", limit: 10, on: db) }
            #expect(audited.count == 3)

            // The same list as a sheet, in both formats, with the list page linking to both.
            #expect(list.text.contains("href=\"/medicine/batches/\(batch)/list.xlsx\"") && list.text.contains("href=\"/medicine/batches/\(batch)/list.csv\""))
            for format in ["xlsx", "csv"] {
                let sheet = try await staff.get("/medicine/batches/\(batch)/list.\(format)", client: client)
                #expect(sheet.status == .ok)
                // An XLSX row ends at its last filled cell; the CSV keeps the empty runner.
                let rows = try Spreadsheet.decode(Data(buffer: sheet.body), fileName: "x.\(format)").map { row in Array(row.reversed().drop { $0.isEmpty }.reversed()) }
                #expect(rows == [["医院", "窗口", "取药地点", "药品", "规格", "数量", "户数", "跑腿"], ["仁济医院", "慢病窗口", "医院窗口", "氨氯地平片", "5mg*28片", "6", "3"]], "\(format)")
            }
            #expect(try await staff.get("/medicine/batches/999999/list.csv", client: client).status == .notFound)

            let english = try await staff.get("/medicine/batches/\(batch)/list?lang=en", client: client)
            #expect(english.text.contains("Hospital window") && english.text.contains("No runner yet"))

            var leader = Browser()
            try await leader.logIn(phone: try app.account(.buildingLeader).phone, client: client)
            #expect(try await leader.get("/medicine/batches/\(batch)/labels", client: client).status == .notFound)
            #expect(try await leader.get("/medicine/batches/\(batch)/list", client: client).status == .notFound)
            #expect(try await leader.get("/medicine/batches/\(batch)/list.xlsx", client: client).status == .notFound)
            #expect(try await staff.get("/medicine/batches/999999/list", client: client).status == .notFound)
        }
    }
}
