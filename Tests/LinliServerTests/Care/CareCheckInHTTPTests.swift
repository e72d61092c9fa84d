import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Care plans and check-ins: made a day ahead, escalated when nobody ticks them off, ticked off once")
struct CareCheckInHTTPTests {
    /// 2022-04-11 00:00 in Shanghai (a Monday).
    static let start = Date(timeIntervalSince1970: 1_649_606_400)

    /// The demo compound with three people paired, a robot at the compound, and the first
    /// person's primary helper logged in.
    struct Paired {
        var world: CareTestWorld
        var entries: [CareEntry]
        var lead: String
    }

    static func pair(_ app: TestApp, client: some TestClientProtocol) async throws -> Paired {
        let world = try await CareTestWorld.build(app)
        let entries = try await world.register(under: world.compound, needs: [[], [], []])
        try await world.addRobot(at: world.compound)
        let lead = try await client.token(phone: try app.account(.compoundLead).phone)
        #expect(try await client.json("/api/v1/care/pairing", method: .post, token: lead, body: #"{"place_id":\#(world.compound.id)}"#).status == .ok)
        var paired: [CareEntry] = []
        for entry in entries { paired.append(try await world.entry(entry.id)) }
        return Paired(world: world, entries: paired, lead: lead)
    }

    static func checkIns(of entry: CareEntryID, app: TestApp) async throws -> [CheckInLine] {
        try await app.store.read { db in try await CarePlanRecords.checkIns(entries: [entry], from: .distantPast, to: .distantFuture, on: db) }
    }

    @Test("a daily call not ticked off alerts the primary at 09:00, the backup at 09:30 and the compound's leads at 11:00, each once; a tick then stops nothing more from going out", arguments: TestEngine.available)
    func overdueEscalates(engine: TestEngine) async throws {
        let clock = ManualClock(Self.start.addingTimeInterval(6 * 3600))
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let setup = try await Self.pair(app, client: client)
            let person = setup.entries[0]
            let added = try await client.json("/api/v1/care/plans", method: .post, token: setup.lead, body: #"{"entry_id":\#(person.id),"kind":"call","due":"09:00"}"#)
            #expect(added.status == .created, "\(added.text)")
            #expect(try added.jsonObject()["due"] as? String == "09:00")
            // Made at once for the next day: today's 09:00 (01:00 UTC), and none twice.
            let made = try await Self.checkIns(of: person.id, app: app)
            #expect(made.map(\.checkIn.dueAt) == [Self.start.addingTimeInterval(9 * 3600)])
            let runner = JobRunner(store: app.store, owner: "test-node", handlers: jobHandlers(services: app.services), now: { clock.now })
            try await runner.scheduleRecurringJobs()
            try await runner.runDueJobs()
            #expect(try await Self.checkIns(of: person.id, app: app).count == 1, "making them again adds nothing")

            let primaryPhone = try await setup.world.helper(try #require(person.primaryHelperID)).volunteer.phone
            let backupPhone = try await setup.world.helper(try #require(person.backupHelperID)).volunteer.phone
            func level() async throws -> Int { try #require(try await Self.checkIns(of: person.id, app: app).first).checkIn.escalationLevel }

            clock.advance(3 * 3600 - 60)  // 08:59: not yet
            try await runner.runDueJobs()
            #expect(try await level() == 0)
            clock.advance(2 * 60)  // 09:01
            try await runner.runDueJobs()
            #expect(try await level() == 1)
            #expect(try await setup.world.messages(kind: "care.checkin_primary").map(\.mentions) == [[primaryPhone]])
            try await runner.runDueJobs()
            #expect(try await setup.world.messages(kind: "care.checkin_primary").count == 1, "each alert once")
            clock.advance(30 * 60)  // 09:31
            try await runner.runDueJobs()
            #expect(try await level() == 2)
            #expect(try await setup.world.messages(kind: "care.checkin_backup").map(\.mentions) == [[backupPhone]])
            clock.advance(90 * 60)  // 11:01
            try await runner.runDueJobs()
            #expect(try await level() == 3)
            let leads = try await setup.world.messages(kind: "care.checkin_compound")
            #expect(try leads.count == 1 && leads[0].mentions.contains(app.account(.compoundLead).phone))
            let primaryID = try #require(person.primaryHelperID)
            let covered = try await app.store.read { db in try await CarePairingRecords.people(helper: primaryID, on: db) }
            let name = try #require(covered.first { $0.entry.id == person.id }).residentName
            #expect(leads.allSatisfy { !$0.text.contains(name) && !$0.title.contains(name) }, "the group reads an address and an item, not the person's name")

            // The committee sees it overdue and escalated on the dashboard.
            var staff = Browser()
            try await staff.logIn(phone: try app.account(.compoundLead).phone, client: client)
            let dashboard = try await staff.get("/care", client: client)
            #expect(dashboard.text.contains("<span class=\"count-number\" id=\"care-overdue-count\">1</span>"))
            #expect(dashboard.text.contains(Catalogue.text("care.checkin.escalated", .zhHans, ["n": "2"])))

            // Ticked off: counts as contact, and nothing is left to escalate.
            let helper = try await setup.world.logIn(as: try #require(person.primaryHelperID), client: client)
            let id = try #require(try await Self.checkIns(of: person.id, app: app).first).checkIn.id
            let done = try await client.json("/api/v1/care/checkins/\(id)/done", method: .post, token: helper, body: #"{"note":"电话打通了","idempotency_key":"k1"}"#)
            #expect(try done.status == .ok && (done.jsonObject()["changed"] as? Bool) == true)
            #expect(try await setup.world.entry(person.id).lastContactAt == clock.now)
            clock.advance(3600)
            try await runner.runDueJobs()
            #expect(try await level() == 3)
            let about = "checkin:\(id)"
            #expect(try await setup.world.messages(kind: "care.checkin_compound").filter { $0.subjectID == about }.count == 1)
            #expect(try await setup.world.messages(kind: "care.checkin_primary").filter { $0.subjectID == about }.count == 1)
        }
    }

    @Test("ticking off twice (a phone that resends without signal) changes nothing the second time, on the page and the API", arguments: TestEngine.available)
    func tickIsIdempotent(engine: TestEngine) async throws {
        let clock = ManualClock(Self.start.addingTimeInterval(6 * 3600))
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let setup = try await Self.pair(app, client: client)
            let person = setup.entries[1]
            #expect(try await client.json("/api/v1/care/plans", method: .post, token: setup.lead, body: #"{"entry_id":\#(person.id),"kind":"meal","due":"11:30","label":"午饭"}"#).status == .created)
            let id = try #require(try await Self.checkIns(of: person.id, app: app).first).checkIn.id
            let volunteer = try await setup.world.helper(try #require(person.primaryHelperID)).volunteer
            _ = try await setup.world.logIn(as: volunteer.id, client: client)
            var helper = Browser()
            try await helper.logIn(phone: volunteer.phone, client: client)
            let mine = try await helper.get("/care/mine", client: client)
            #expect(mine.status == .ok)
            #expect(mine.text.contains("action=\"/care/checkins/\(id)/done\"") && mine.text.contains("data-offline") && mine.text.contains("name=\"idempotency_key\""))
            #expect(mine.text.contains("午饭"))
            let form = ["_csrf": try Browser.csrfToken(in: mine), "idempotency_key": "same-key", "note": ""]
            clock.advance(3600)
            let first = try await helper.post("/care/checkins/\(id)/done", form: form, client: client)
            #expect(first.status == .seeOther)
            let ticked = try #require(try await Self.checkIns(of: person.id, app: app).first).checkIn
            #expect(ticked.doneAt == clock.now && ticked.doneBy != nil)
            clock.advance(600)
            let second = try await helper.post("/care/checkins/\(id)/done", form: form, client: client)
            #expect(second.status == .seeOther)
            let again = try #require(try await Self.checkIns(of: person.id, app: app).first).checkIn
            #expect(again.doneAt == ticked.doneAt, "the second tick changed nothing")
            #expect(try await setup.world.entry(person.id).lastContactAt == ticked.doneAt)
            let api = try await client.json("/api/v1/care/checkins/\(id)/done", method: .post, token: try await client.token(phone: volunteer.phone), body: "{}")
            #expect(try api.status == .ok && (api.jsonObject()["changed"] as? Bool) == false)
            let audit = try await app.store.read { db in try await AuditRecords.entries(entity: "care_checkin", entityID: "\(id)", action: "care.checkin.done", on: db) }
            #expect(audit.count == 1)

            // Ticked off before 11:30: nobody is alerted when the time comes.
            clock.advance(5 * 3600)
            try await JobRunner(store: app.store, owner: "test-node", handlers: jobHandlers(services: app.services), now: { clock.now }).runDueJobs()
            #expect(try #require(try await Self.checkIns(of: person.id, app: app).first).checkIn.escalationLevel == 0)
            #expect(try await setup.world.messages(kind: "care.checkin_primary").isEmpty)
        }
    }

    @Test("a helper sees only their own people; others are refused: outside 404, without the capability 403; a user who is no volunteer is told why", arguments: TestEngine.available)
    func access(engine: TestEngine) async throws {
        let clock = ManualClock(Self.start.addingTimeInterval(6 * 3600))
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let setup = try await Self.pair(app, client: client)
            // A helper of one person (a) who helps another (b) in no way, and who is no demo account (those hold roles).
            let accounts = Set(app.demo.generator.accounts.map(\.phone))
            var found: (CareEntry, CareEntry, VolunteerID)?
            search: for a in setup.entries {
                for b in setup.entries where b.id != a.id {
                    for candidate in [a.primaryHelperID, a.backupHelperID].compactMap({ $0 }) where candidate != b.primaryHelperID && candidate != b.backupHelperID {
                        if !accounts.contains(try await setup.world.helper(candidate).volunteer.phone) { found = (a, b, candidate); break search }
                    }
                }
            }
            let (a, b, helper) = try #require(found, "every helper is everyone's or a demo account")
            for entry in [a, b] {
                #expect(try await client.json("/api/v1/care/plans", method: .post, token: setup.lead, body: #"{"entry_id":\#(entry.id),"kind":"call","due":"10:00"}"#).status == .created)
            }
            let volunteer = try await setup.world.helper(helper).volunteer
            let token = try await setup.world.logIn(as: helper, client: client)
            var browser = Browser()
            try await browser.logIn(phone: volunteer.phone, client: client)
            let mine = try await browser.get("/care/mine", client: client)
            let names = try await app.store.read { db in try await CarePairingRecords.people(under: setup.world.compound.path, on: db) }
            let nameA = try #require(names.first { $0.entry.id == a.id }).residentName
            let nameB = try #require(names.first { $0.entry.id == b.id }).residentName
            #expect(mine.text.contains(nameA) && !mine.text.contains(nameB), "only their own people")
            #expect(mine.text.contains("href=\"/care/mine\""), "a helper's navigation leads to their own page")
            let checkInB = try #require(try await Self.checkIns(of: b.id, app: app).first).checkIn.id
            #expect(try await client.json("/api/v1/care/checkins/\(checkInB)/done", method: .post, token: token, body: "{}").status == .notFound)
            let runner = try await client.token(phone: try app.account(.medicineRunner).phone)
            #expect(try await client.json("/api/v1/care/checkins/\(checkInB)/done", method: .post, token: runner, body: "{}").status == .forbidden)
            #expect(try await client.json("/api/v1/care/plans", method: .post, token: runner, body: #"{"entry_id":\#(b.id),"kind":"call","due":"10:00"}"#).status == .forbidden)
            let outsideLead = try await client.token(phone: try app.account(.buildingLeader, index: 1).phone)
            #expect(try await client.json("/api/v1/care/checkins/\(checkInB)/done", method: .post, token: outsideLead, body: "{}").status == .notFound)
            #expect(try #require(try await Self.checkIns(of: b.id, app: app).first).checkIn.doneAt == nil, "no refused tick changed anything")

            // Bad plans are refused by field.
            for (body, field) in [(#"{"entry_id":\#(a.id),"kind":"nap","due":"10:00"}"#, "kind"), (#"{"entry_id":\#(a.id),"kind":"call","due":"25:00"}"#, "due"),
                                  (#"{"entry_id":\#(a.id),"kind":"call","due":"10:00","weekdays":[0]}"#, "weekdays"), (#"{"entry_id":\#(a.id),"kind":"call","due":"10:00","on_day":"2022-02-30"}"#, "on_day")] {
                let refused = try await client.json("/api/v1/care/plans", method: .post, token: setup.lead, body: body)
                #expect(refused.status == .badRequest, "\(body)")
                #expect(try CareTestWorld.errorField(refused) == field, "\(body)")
            }

            var admin = Browser()
            try await admin.logIn(phone: try app.account(.admin).phone, client: client)
            let none = try await admin.get("/care/mine", client: client)
            #expect(none.status == .ok && none.text.contains("id=\"care-mine-none\""))
        }
    }
}
