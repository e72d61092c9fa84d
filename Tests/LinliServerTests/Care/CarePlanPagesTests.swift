import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Care plans in the browser: a person's items on their entry, added through a form that keeps what was typed")
struct CarePlanPagesTests {
    @Test("the committee adds a dialysis ride on Mon/Wed/Fri at 07:00: a refused form comes back with what was typed, the entry lists the item, its check-ins are scheduled; a building leader cannot", arguments: TestEngine.available)
    func addPlanItem(engine: TestEngine) async throws {
        let clock = ManualClock(CareCheckInHTTPTests.start)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let world = try await CareTestWorld.build(app)
            let person = try #require(try await world.register(under: world.compound, needs: [[]]).first)
            var staff = Browser()
            try await staff.logIn(phone: try app.account(.committeeStaff).phone, client: client)

            let entry = try await staff.get("/care/register/\(person.id)", client: client)
            #expect(entry.status == .ok && entry.text.contains("还没有关爱事项") && entry.text.contains("href=\"/care/register/\(person.id)/plan\""))
            let form = try await staff.get("/care/register/\(person.id)/plan", client: client)
            #expect(form.status == .ok && form.text.contains("type=\"time\""))
            let csrf = try Browser.csrfToken(in: form)

            let refused = try await staff.post("/care/register/\(person.id)/plan", form: ["_csrf": csrf, "kind": "dialysis_ride", "label": "去仁济医院", "due": "7点", "w1": "1", "w3": "1", "w5": "1"], client: client)
            #expect(refused.status == .badRequest)
            #expect(refused.text.contains("error-summary") && refused.text.contains("value=\"去仁济医院\"") && refused.text.contains("value=\"7点\""))
            #expect(refused.text.contains("id=\"w3\" name=\"w3\" value=\"1\" checked") && !refused.text.contains("id=\"w2\" name=\"w2\" value=\"1\" checked"))
            #expect(try await app.store.read { db in try await CarePlanRecords.items(entryID: person.id, on: db) }.isEmpty, "a refused form stores nothing")

            let saved = try await staff.post("/care/register/\(person.id)/plan", form: ["_csrf": csrf, "kind": "dialysis_ride", "label": "去仁济医院", "due": "07:00", "w1": "1", "w3": "1", "w5": "1"], client: client)
            #expect(saved.status == .seeOther && saved.headers[.location] == "/care/register/\(person.id)?notice=care_plan_added#care-plan")
            let items = try await app.store.read { db in try await CarePlanRecords.items(entryID: person.id, on: db) }
            #expect(items.map(\.kind) == [.dialysisRide] && items.first?.weekdays == [1, 3, 5] && items.first?.dueMinute == 7 * 60 && items.first?.label == "去仁济医院")
            let listed = try await staff.get("/care/register/\(person.id)", client: client)
            #expect(listed.text.contains("透析接送 · 去仁济医院 · 周一、周三、周五 07:00"))
            // 2022-04-11 was a Monday: the next day's check-ins are made at once, and Tuesday has none.
            let due = try await CareCheckInHTTPTests.checkIns(of: person.id, app: app).map(\.checkIn.dueAt)
            #expect(due.count == 1 && due.allSatisfy { CareSchedule.weekday(ofLocalDay: CareSchedule.localDay($0)) == 1 })

            var leader = Browser()
            try await leader.logIn(phone: try app.account(.buildingLeader).phone, client: client)
            let refusedLeader = try await leader.get("/care/register/\(person.id)/plan", client: client)
            #expect(refusedLeader.status == .notFound || refusedLeader.status == .forbidden)
            #expect(try await app.store.read { db in try await CarePlanRecords.items(entryID: person.id, on: db) }.count == 1)
        }
    }
}
