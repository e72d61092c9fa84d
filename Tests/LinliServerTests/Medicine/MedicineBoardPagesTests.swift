import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("The committee's medicine board: tonight's batches, cards not back, money not reconciled, what waits for the cut-off")
struct MedicineBoardPagesTests {
    @Test("a batch with a card out shows it in red to the committee and the runner, with no card number; a building leader has no board", arguments: TestEngine.available)
    func board(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let team = try #require(try await app.store.read { db in
                try await db.raw("SELECT id FROM teams WHERE kind = 'medicine_team' ORDER BY id LIMIT 1").first()?.decode(column: "id", as: TeamID.self)
            })
            let household = try #require(app.demo.households.first).id
            try await app.store.write { db in
                let now = Date().millisecondsSince1970
                let night = CareSchedule.dayText(CareSchedule.localDay(Date()))
                try await db.raw("""
                    INSERT INTO medicine_batches (team_id, kind, night, status, formed_at, path, district_id)
                    SELECT id, 'nightly', \(bind: night), 'formed', \(bind: now), path, district_id FROM teams WHERE id = \(bind: team)
                    """).run()
                try await db.raw("""
                    INSERT INTO medicine_cards (household_id, kind, card_number, batch_id, state, since, path, district_id)
                    SELECT h.id, 'insurance_card', '310115195001011234', (SELECT MAX(id) FROM medicine_batches), 'with_runner', \(bind: now), h.path, h.district_id
                    FROM households h WHERE h.id = \(bind: household)
                    """).run()
            }
            for role in [RoleKind.committeeStaff, .medicineRunner] {
                var browser = Browser()
                try await browser.logIn(phone: try app.account(role).phone, client: client)
                let page = try await browser.get("/medicine", client: client)
                #expect(page.status == .ok, "\(role)")
                #expect(page.text.contains("href=\"/medicine\""), "the nav links the board for \(role)")
                #expect(page.text.contains("id=\"medicine-cards-out\">1<"), "\(role)")
                #expect(page.text.contains("配药队") && page.text.contains("/medicine/batches/") && page.text.contains("20:00"))
                #expect(!page.text.contains("310115195001011234"), "a card number never shows on the board")
                let english = try await browser.get("/medicine?lang=en", client: client)
                #expect(english.text.contains("Cards not back"))
            }
            var leader = Browser()
            try await leader.logIn(phone: try app.account(.buildingLeader).phone, client: client)
            let home = try await leader.get("/", client: client)
            #expect(!home.text.contains("href=\"/medicine\""))
            #expect(try await leader.get("/medicine", client: client).status == .notFound)
        }
    }
}
