import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Care pairing through the server: runs, helpers who drop out, who is told, who may")
struct CarePairingHTTPTests {
    @Test("a run pairs everyone from the register with a primary and a backup of their own compound who has every skill they need, and tells the helpers", arguments: TestEngine.available)
    func pairingFromTheDatabase(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let world = try await CareTestWorld.build(app)
            let here = try await world.register(under: world.compound, needs: [[], ["medical"], [], ["driver"]])
            let there = try await world.register(under: world.otherCompound, needs: [[], []])
            try await world.addRobot(at: world.compound)
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)

            let run = try await client.json("/api/v1/care/pairing", method: .post, token: staff, body: #"{"place_id":\#(world.committee.id)}"#)
            #expect(run.status == .ok, "\(run.text)")
            let summary = try run.jsonObject()
            #expect(summary["people"] as? Int == 6 && summary["paired"] as? Int == 6 && summary["unpaired"] as? Int == 0)
            #expect(summary["moved"] as? Int == 6)
            #expect(Set(summary["compounds"] as? [Int] ?? []).isSuperset(of: [Int(world.compound.id.rawValue), Int(world.otherCompound.id.rawValue)]))

            var told: Set<String> = []
            for entry in here + there {
                let stored = try await world.entry(entry.id)
                let primary = try await world.helper(try #require(stored.primaryHelperID, "\(entry.id) has no primary"))
                let backup = try await world.helper(try #require(stored.backupHelperID, "\(entry.id) has no backup"))
                #expect(primary.volunteer.id != backup.volunteer.id)
                for helper in [primary, backup] {
                    #expect(CareTestWorld.compound(of: helper.volunteer.path) == CareTestWorld.compound(of: stored.path), "a helper from another compound")
                    #expect(Set(stored.needs).isSubset(of: HelperSkills.skills(from: helper.volunteer.skills)), "\(helper.volunteer.skills) lacks \(stored.needs)")
                    #expect(helper.availability == .available)
                }
                if here.contains(where: { $0.id == entry.id }) { told.formUnion([primary.volunteer.phone, backup.volunteer.phone]) }
            }
            // The robot sits at the first compound: its helpers are told, each once, by an @ of their phone.
            let messages = try await world.messages(kind: "care.pairing_changed")
            #expect(Set(messages.flatMap(\.mentions)) == told)
            #expect(messages.count == told.count)
            let audit = try await app.store.read { db in try await AuditRecords.entries(action: "care.pairing.run", on: db) }
            #expect(audit.count == 2 && audit.allSatisfy { $0.actor.hasPrefix("user:") })

            // The same register and helpers pair the same way: nobody moves, nobody is told again.
            let again = try await client.json("/api/v1/care/pairing", method: .post, token: staff, body: #"{"place_id":\#(world.compound.id)}"#)
            #expect(try again.status == .ok && (again.jsonObject()["moved"] as? Int) == 0)
            #expect(try await world.messages(kind: "care.pairing_changed").count == messages.count)
        }
    }

    @Test("a helper who goes into quarantine: everyone they covered is paired again at once, backups moving up, pins to others kept, the helpers involved told; coming back moves nobody", arguments: TestEngine.available)
    func helperDropsOut(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let world = try await CareTestWorld.build(app)
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            let helpers = try await app.store.read { db in try await CarePairingRecords.helpers(under: world.compound.path, on: db) }
            let pinnedTo = try #require(helpers.last).volunteer.id
            let entries = try await world.register(under: world.compound, needs: [[], [], [], [], [], []], pinned: pinnedTo)
            try await world.addRobot(at: world.compound)
            #expect(try await client.json("/api/v1/care/pairing", method: .post, token: lead, body: #"{"place_id":\#(world.compound.id)}"#).status == .ok)
            #expect(try await world.entry(entries[0].id).primaryHelperID == pinnedTo, "a pin is kept")

            // The helper of someone not pinned to them drops out.
            var leavingFound: VolunteerID?
            for entry in entries.dropFirst() {
                if let primary = try await world.entry(entry.id).primaryHelperID, primary != pinnedTo { leavingFound = primary; break }
            }
            let leaving = try #require(leavingFound)
            let covered = try await app.store.read { db in try await CarePairingRecords.people(helper: leaving, on: db) }.map(\.entry)
            let toldBefore = try await world.messages(kind: "care.pairing_changed").count
            let answer = try await client.json("/api/v1/care/helpers/\(leaving)/availability", method: .post, token: lead, body: #"{"availability":"quarantined"}"#)
            #expect(answer.status == .ok, "\(answer.text)")
            #expect(try answer.jsonObject()["availability"] as? String == "quarantined")
            #expect(try await world.helper(leaving).availability == .quarantined)
            #expect(try await app.store.read { db in try await CarePairingRecords.people(helper: leaving, on: db) }.isEmpty, "nobody is left with a helper in quarantine")
            for old in covered {
                let now = try await world.entry(old.id)
                #expect(now.primaryHelperID != nil && now.backupHelperID != nil && now.primaryHelperID != now.backupHelperID)
                if old.primaryHelperID == leaving { #expect(now.primaryHelperID == old.backupHelperID, "the backup moves up first") }
            }
            #expect(try await world.entry(entries[0].id).primaryHelperID == pinnedTo, "a pin to a helper still there survives")
            let told = try await world.messages(kind: "care.pairing_changed").dropFirst(toldBefore)
            let leavingPhone = try await world.helper(leaving).volunteer.phone
            #expect(told.contains { $0.mentions == [leavingPhone] }, "the helper who dropped out is told whom they no longer cover")
            #expect(told.count >= 2, "and whoever took them over")
            let audit = try await app.store.read { db in try await AuditRecords.entries(entity: "volunteer", entityID: "\(leaving)", action: "care.helper.availability", on: db) }
            #expect(audit.first?.before == "available" && audit.first?.after == "quarantined")

            // Back from quarantine: capacity for the next run, nobody moved.
            let pairs = try await app.store.read { db in try await CarePairingRecords.people(under: world.compound.path, on: db) }.map { [$0.entry.primaryHelperID, $0.entry.backupHelperID] }
            let back = try await client.json("/api/v1/care/helpers/\(leaving)/availability", method: .post, token: lead, body: #"{"availability":"available"}"#)
            #expect(try back.status == .ok && (back.jsonObject()["repairing"] as? [String: Any])?["moved"] as? Int == 0)
            let pairsAfter = try await app.store.read { db in try await CarePairingRecords.people(under: world.compound.path, on: db) }.map { [$0.entry.primaryHelperID, $0.entry.backupHelperID] }
            #expect(pairsAfter == pairs)
        }
    }

    @Test("who may pair and change availability: outside 404, without manage_care 403, a building is not a compound, bad input 400", arguments: TestEngine.available)
    func access(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let world = try await CareTestWorld.build(app)
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            let runner = try await client.token(phone: try app.account(.medicineRunner).phone)
            let outside = try await app.store.read { db in try await CarePairingRecords.helpers(under: world.otherCompound.path, on: db) }.first
            let inside = try await app.store.read { db in try await CarePairingRecords.helpers(under: world.compound.path, on: db) }.first
            let (outsideHelper, insideHelper) = (try #require(outside).volunteer.id, try #require(inside).volunteer.id)

            #expect(try await client.json("/api/v1/care/pairing", method: .post, token: lead, body: #"{"place_id":\#(world.otherCompound.id)}"#).status == .notFound)
            #expect(try await client.json("/api/v1/care/pairing", method: .post, token: runner, body: #"{"place_id":\#(world.compound.id)}"#).status == .forbidden)
            #expect(try await client.json("/api/v1/care/pairing", method: .post, body: #"{"place_id":\#(world.compound.id)}"#).status == .unauthorized)
            let building = try await client.json("/api/v1/care/pairing", method: .post, token: lead, body: #"{"place_id":\#(try app.account(.buildingLeader).placeID)}"#)
            #expect(building.status == .badRequest)
            #expect(try CareTestWorld.errorField(building) == "place_id")
            #expect(try await client.json("/api/v1/care/pairing", method: .post, token: lead, body: #"{}"#).status == .badRequest)

            #expect(try await client.json("/api/v1/care/helpers/\(outsideHelper)/availability", method: .post, token: lead, body: #"{"availability":"left"}"#).status == .notFound)
            #expect(try await client.json("/api/v1/care/helpers/\(insideHelper)/availability", method: .post, token: runner, body: #"{"availability":"left"}"#).status == .forbidden)
            let bad = try await client.json("/api/v1/care/helpers/\(insideHelper)/availability", method: .post, token: lead, body: #"{"availability":"on holiday"}"#)
            #expect(bad.status == .badRequest)
            #expect(try CareTestWorld.errorField(bad) == "availability")
            #expect(try await world.helper(outsideHelper).availability == .available, "no refused call changed anything")
            #expect(try await world.helper(insideHelper).availability == .available, "no refused call changed anything")
        }
    }

    @Test("the dashboard counts coverage, pairs after a confirmation step, prints a building's list with phones masked; a helper is sent to their own page", arguments: TestEngine.available)
    func pages(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let world = try await CareTestWorld.build(app)
            let entries = try await world.register(under: world.compound, needs: [[], [], []])
            var lead = Browser()
            try await lead.logIn(phone: try app.account(.compoundLead).phone, client: client)
            let dashboard = try await lead.get("/care", client: client)
            #expect(dashboard.status == .ok)
            #expect(dashboard.text.contains("href=\"/care\"") , "the navigation leads to care")
            #expect(dashboard.text.contains("<span class=\"count-number\" id=\"care-registered\">3</span>"))
            #expect(dashboard.text.contains("<span class=\"count-number\" id=\"care-unpaired-capacity\">3</span>"), "unpaired while helpers have room: red")
            let confirm = try await lead.post("/care/pairing", form: ["_csrf": try Browser.csrfToken(in: dashboard), "place_id": "\(world.compound.id)"], client: client)
            #expect(confirm.status == .ok && confirm.text.contains("id=\"confirm-yes\""))
            #expect(try await world.entry(entries[0].id).primaryHelperID == nil, "nothing happens before the confirmation")
            let done = try await lead.post("/care/pairing", form: ["_csrf": try Browser.csrfToken(in: confirm), "place_id": "\(world.compound.id)", "confirmed": "yes"], client: client)
            #expect(done.status == .seeOther)
            let after = try await lead.get(try #require(done.headers[.location]), client: client)
            #expect(after.text.contains("<span class=\"count-number\" id=\"care-paired\">3</span>"))
            #expect(after.text.contains("<span class=\"count-number\" id=\"care-unpaired-capacity\">0</span>"))

            let first = try await world.entry(entries[0].id)
            let building = try await app.store.read { db in try await HouseholdRecords.household(id: first.householdID, on: db) }
            let print = try await lead.get("/care/pairing/print?building=\(try #require(building).buildingID)", client: client)
            #expect(print.status == .ok)
            let primary = try await world.helper(try #require(first.primaryHelperID)).volunteer
            #expect(print.text.contains(primary.name) && print.text.contains(PhoneMask.mask(primary.phone)) && !print.text.contains(primary.phone), "masked phones only")
            let reads = try await app.store.read { db in try await AuditRecords.entries(action: "care.entry.read", limit: 1000, on: db) }
            #expect(reads.contains { $0.entityID == "\(first.id)" && $0.after == "print" }, "every read of a person is audited")

            // A building leader reads no register: the page sends them to their own people.
            var leader = Browser()
            try await leader.logIn(phone: try app.account(.buildingLeader).phone, client: client)
            let mine = try await leader.get("/care", client: client)
            #expect(mine.status == .seeOther && mine.headers[.location] == "/care/mine")
            #expect(try await leader.get("/care/pairing/print?building=\(try #require(building).buildingID)", client: client).status != .ok)
        }
    }
}
