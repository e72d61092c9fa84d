import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Relief supplies over HTTP: a batch received, handed out door to door, written off, shown to the public and recalled, all on the ledger")
struct SuppliesTests {
    static let lot = "SH-2022-0415-A"

    static func batchBody(place: PlaceID, quantity: Int, allocation: String = #"{"rule":"per_household"}"#, lot: String = lot) -> String {
        #"""
        {"place_id":\#(place),"kind":"relief","source":"区政府","supplier":"某保供单位","lot":"\#(lot)","licences":"食品经营许可证 JY131","expiry":"2022-10-31",
         "contents":[{"item":"大米","quantity":5,"unit":"斤"},{"item":"鸡蛋","quantity":10,"unit":"个"}],"unit":"package","quantity":\#(quantity),"allocation":\#(allocation)}
        """#
    }

    /// Every household under `place`, in id order.
    static func households(under place: PlaceID, app: TestApp) async throws -> [PlaceID] {
        let path = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: place, on: db) }).path
        return try await app.store.read { db in
            try await db.raw("SELECT id FROM households WHERE path >= \(bind: path.rawValue) AND path < \(bind: path.rawValue + "0") ORDER BY id").all()
                .map { try $0.decode(column: "id", as: PlaceID.self) }
        }
    }

    /// The ledger's sum of `event` entries for a batch, read straight from the table.
    static func ledgerSum(_ app: TestApp, batch: Int, event: SupplyEvent) async throws -> Int {
        try await app.store.read { db in
            try await db.raw("SELECT quantity FROM supply_ledger WHERE batch_id = \(bind: batch) AND event = \(bind: event.rawValue)").all()
                .reduce(0) { $0 + (try $1.decode(column: "quantity", as: Int.self)) }
        }
    }

    @Test("one per household to every household of a compound, by code and by sign-off; twice refused; written off; public figures equal the ledger; recall by lot", arguments: TestEngine.available)
    func reliefJourney(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let leadAccount = try app.account(.compoundLead)
            let lead = try await client.token(phone: leadAccount.phone)
            let compound = leadAccount.placeID
            let households = try await Self.households(under: compound, app: app)
            try #require(households.count >= 4)
            let codes = Dictionary(uniqueKeysWithValues: app.demo.households.map { ($0.id, $0.code.description) })
            let spare = 10

            // A compound lead hands out but does not receive batches.
            #expect(try await client.json("/api/v1/supplies/batches", method: .post, token: lead, body: Self.batchBody(place: compound, quantity: 5)).status == .forbidden)
            let received = try await client.json("/api/v1/supplies/batches", method: .post, token: staff, body: Self.batchBody(place: compound, quantity: households.count + spare))
            try #require(received.status == .created, "\(received.text)")
            let batch = try #require((try received.jsonObject()["batch"] as? [String: Any])?["id"] as? Int)
            let figures = try #require(try received.jsonObject()["figures"] as? [String: Any])
            #expect(figures["received"] as? Int == households.count + spare && figures["allocated"] as? Int == households.count)

            // Every household once: by its code where the demo knows it, else signed off at the door.
            var byCode = 0
            for (index, household) in households.enumerated() {
                let body: String
                if let code = codes[household], index % 2 == 0 {
                    body = #"{"household_id":\#(household),"household_code":"\#(code)"}"#
                    byCode += 1
                } else {
                    body = #"{"household_id":\#(household),"note":"放门口，电话确认"}"#
                }
                let handed = try await client.json("/api/v1/supplies/batches/\(batch)/handouts", method: .post, token: lead, body: body)
                try #require(handed.status == .created, "\(household): \(handed.text)")
                #expect(try handed.jsonObject()["quantity"] as? Int == 1)
            }
            #expect(byCode > 0 && byCode < households.count)
            let twice = try await client.json("/api/v1/supplies/batches/\(batch)/handouts", method: .post, token: lead, body: #"{"household_id":\#(households[0])}"#)
            #expect(twice.status == .conflict)
            #expect(try await client.json("/api/v1/supplies/batches/\(batch)/handouts", method: .post, token: lead,
                                          body: #"{"household_id":\#(households[1]),"household_code":"000000"}"#).status == .badRequest)

            // Write-offs: staff only, never more than is left.
            #expect(try await client.json("/api/v1/supplies/batches/\(batch)/write-offs", method: .post, token: lead, body: #"{"quantity":2,"reason":"damaged"}"#).status == .forbidden)
            #expect(try await client.json("/api/v1/supplies/batches/\(batch)/write-offs", method: .post, token: staff, body: #"{"quantity":\#(spare + 1),"reason":"expired"}"#).status == .conflict)
            let writtenOff = try await client.json("/api/v1/supplies/batches/\(batch)/write-offs", method: .post, token: staff, body: #"{"quantity":2,"reason":"damaged","note":"泡水"}"#)
            #expect(writtenOff.status == .ok, "\(writtenOff.text)")
            #expect((try writtenOff.jsonObject()["figures"] as? [String: Any])?["left"] as? Int == spare - 2)

            // The public figures, without a session, equal the ledger's sums and name nobody.
            let publicPage = try await client.json("/api/v1/supplies/places/\(compound)/transparency")
            #expect(publicPage.status == .ok, "\(publicPage.text)")
            let shown = try #require((try publicPage.jsonObject()["batches"] as? [[String: Any]])?.first { ($0["batch"] as? [String: Any])?["id"] as? Int == batch })
            let shownFigures = try #require(shown["figures"] as? [String: Any])
            let ledgerReceived = try await Self.ledgerSum(app, batch: batch, event: .received)
            let ledgerHandedOut = try await Self.ledgerSum(app, batch: batch, event: .handedOut)
            let ledgerWrittenOff = try await Self.ledgerSum(app, batch: batch, event: .writtenOff)
            let ledgerHouseholds = try await app.store.read { db in
                try await db.raw("SELECT COUNT(DISTINCT household_id) AS n FROM supply_ledger WHERE batch_id = \(bind: batch) AND event = 'handed_out'").first()?.decode(column: "n", as: Int.self)
            }
            #expect(shownFigures["received"] as? Int == ledgerReceived)
            #expect(shownFigures["households_received"] as? Int == ledgerHouseholds && ledgerHouseholds == households.count)
            #expect(shownFigures["left"] as? Int == ledgerReceived - ledgerHandedOut - ledgerWrittenOff)
            #expect((shown["batch"] as? [String: Any])?["lot"] as? String == Self.lot)
            #expect(!publicPage.text.contains(leadAccount.name) && !publicPage.text.contains(leadAccount.phone) && !publicPage.text.contains("received_by"))
            // Buildings and households have no public figures.
            #expect(try await client.json("/api/v1/supplies/places/\(households[0])/transparency").status == .notFound)

            // The recall by lot lists exactly the households that received it, phones masked, audited.
            let recall = try await client.json("/api/v1/supplies/recall?place=\(compound)&lot=\(Self.lot)", token: staff)
            #expect(recall.status == .ok, "\(recall.text)")
            let recalled = try #require(try recall.jsonObject()["households"] as? [[String: Any]])
            #expect(Set(recalled.compactMap { ($0["household_id"] as? Int).map(Int64.init) }) == Set(households.map(\.rawValue)))
            let phones = try await app.store.read { db in
                try await db.raw("SELECT phone FROM residents WHERE phone IS NOT NULL AND phone <> ''").all().map { try $0.decode(column: "phone", as: String.self) }
            }
            #expect(!phones.isEmpty && phones.allSatisfy { !recall.text.contains($0) })
            let audited = try await app.store.read { db in try await AuditRecords.entries(entity: "place", entityID: nil, action: "supplies.recall", limit: 10, on: db).count }
            #expect(audited == 1)
            #expect(try await client.json("/api/v1/supplies/recall?place=\(compound)&lot=\(Self.lot)", token: lead).status == .forbidden)

            // A household sees its own receipt with its code, and nobody else's.
            let own = try #require(app.demo.households.first)
            let opened = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(own.id),"code":"\#(own.code)"}"#)
            let householdToken = try #require(try opened.jsonObject()["token"] as? String)
            let mine = try await client.json("/api/v1/households/\(own.id)/supplies", token: householdToken)
            #expect(mine.status == .ok)
            let receipts = try #require(try mine.jsonObject()["receipts"] as? [[String: Any]])
            #expect(receipts.count == 1 && receipts.first?["quantity"] as? Int == 1)
            let neighbour = try #require(households.first { $0 != own.id })
            #expect(try await client.json("/api/v1/households/\(neighbour)/supplies", token: householdToken).status == .notFound)

            // The ledger holds: received, allocated, every hand-out, the write-off.
            let reports = try await HashChainRecords.verifyAll(store: app.store)
            let supplies = try #require(reports.first { $0.chain.hasPrefix("supplies/") })
            #expect(supplies.problem == nil && supplies.entries == 2 + households.count + 1)
            #expect(reports.allSatisfy { $0.problem == nil })
        }
    }

    @Test("a leader signs off a whole building at once: households already handed out are passed over, the rest get one each, the ledger holds and agrees with the figures", arguments: TestEngine.available)
    func wholeBuilding(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let leaderAccount = try app.account(.buildingLeader)
            let leader = try await client.token(phone: leaderAccount.phone)
            let compound = try app.account(.compoundLead).placeID
            let building = leaderAccount.placeID
            let inBuilding = try await Self.households(under: building, app: app)
            let inCompound = try await Self.households(under: compound, app: app)
            try #require(inBuilding.count >= 3 && inCompound.count > inBuilding.count)
            let received = try await client.json("/api/v1/supplies/batches", method: .post, token: staff, body: Self.batchBody(place: compound, quantity: inCompound.count))
            let batch = try #require((try received.jsonObject()["batch"] as? [String: Any])?["id"] as? Int)

            // One door first, by itself; then the whole building signed off by its leader.
            #expect(try await client.json("/api/v1/supplies/batches/\(batch)/handouts", method: .post, token: leader, body: #"{"household_id":\#(inBuilding[0])}"#).status == .created)
            let other = try #require(inCompound.first { !inBuilding.contains($0) })
            let otherBuilding = try #require(try await app.store.read { db in try await HouseholdRecords.household(id: other, on: db)?.buildingID })
            #expect(try await client.json("/api/v1/supplies/batches/\(batch)/handouts/bulk", method: .post, token: leader, body: #"{"place_id":\#(otherBuilding)}"#).status == .badRequest,
                    "another building is not the leader's to sign off")
            #expect(try await client.json("/api/v1/supplies/batches/\(batch)/handouts/bulk", method: .post, token: leader, body: "{}").status == .badRequest)
            let bulk = try await client.json("/api/v1/supplies/batches/\(batch)/handouts/bulk", method: .post, token: leader, body: #"{"place_id":\#(building),"note":"整栋送到，楼长签收"}"#)
            #expect(bulk.status == .ok, "\(bulk.text)")
            let result = try bulk.jsonObject()
            #expect(result["handed_out"] as? Int == inBuilding.count - 1 && result["quantity"] as? Int == inBuilding.count - 1)
            #expect((result["skipped"] as? [String: Any])?["already_handed_out"] as? Int == 1)
            let again = try await client.json("/api/v1/supplies/batches/\(batch)/handouts/bulk", method: .post, token: leader, body: #"{"place_id":\#(building)}"#)
            #expect(try again.jsonObject()["handed_out"] as? Int == 0 && (try again.jsonObject()["skipped"] as? [String: Any])?["already_handed_out"] as? Int == inBuilding.count)

            // The rest of the compound by its staff; the stock is then exactly spent.
            let rest = try await client.json("/api/v1/supplies/batches/\(batch)/handouts/bulk", method: .post, token: staff, body: #"{"place_id":\#(compound)}"#)
            #expect(try rest.jsonObject()["handed_out"] as? Int == inCompound.count - inBuilding.count)
            #expect(try await Self.ledgerSum(app, batch: batch, event: .handedOut) == inCompound.count)
            let figures = try #require(try await client.json("/api/v1/supplies/batches/\(batch)", token: staff).jsonObject()["figures"] as? [String: Any])
            #expect(figures["handed_out"] as? Int == inCompound.count && figures["left"] as? Int == 0, "\(figures)")
            let reports = try await HashChainRecords.verifyAll(store: app.store)
            #expect(reports.allSatisfy { $0.problem == nil } && reports.first { $0.chain.hasPrefix("supplies/") }?.entries == 2 + inCompound.count)
        }
    }

    @Test("care categories give only the households on the register; one per person counts residents; stock runs out", arguments: TestEngine.available)
    func allocationRules(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let compound = try app.account(.compoundLead).placeID
            let households = try await Self.households(under: compound, app: app)
            let compoundPath = try #require(try await app.store.read { db in try await DirectoryRecords.place(id: compound, on: db) }).path
            // Two households' first residents go on the care register: one living alone, one a dialysis patient.
            try await app.store.write { db in
                let residents = try await db.raw("""
                    SELECT r.id, r.household_id, r.path, r.district_id FROM residents r
                    WHERE r.id IN (SELECT MIN(id) FROM residents WHERE path >= \(bind: compoundPath.rawValue) AND path < \(bind: compoundPath.rawValue + "0") GROUP BY household_id)
                    ORDER BY r.household_id LIMIT 2
                    """).all()
                for (row, categories) in zip(residents, ["elderly_alone,no_smartphone", "dialysis"]) {
                    try await db.raw("""
                        INSERT INTO care_entries (resident_id, household_id, categories, needs, risk, source, path, district_id, created_at, updated_at)
                        VALUES (\(bind: try row.decode(column: "id", as: Int64.self)), \(bind: try row.decode(column: "household_id", as: Int64.self)), \(bind: categories), '',
                            'high', 'survey', \(bind: try row.decode(column: "path", as: String.self)), \(bind: try row.decode(column: "district_id", as: Int64?.self)), 0, 0)
                        """).run()
                }
            }
            let facts = try await app.store.read { db in try await SupplyRecords.householdFacts(under: compoundPath, on: db) }
            let onRegister = households.filter { !(facts[$0]?.careCategories.isDisjoint(with: [.elderlyAlone, .dialysis]) ?? true) }
            let offRegister = households.filter { !onRegister.contains($0) }
            try #require(onRegister.count == 2 && !offRegister.isEmpty)

            let care = try await client.json("/api/v1/supplies/batches", method: .post, token: staff,
                                             body: Self.batchBody(place: compound, quantity: 1, allocation: #"{"rule":"care_categories","categories":["elderly_alone","dialysis"]}"#, lot: "C1"))
            try #require(care.status == .created, "\(care.text)")
            let careBatch = try #require((try care.jsonObject()["batch"] as? [String: Any])?["id"] as? Int)
            #expect((try care.jsonObject()["figures"] as? [String: Any])?["allocated"] as? Int == onRegister.count)
            let outsider = try #require(offRegister.first)
            #expect(try await client.json("/api/v1/supplies/batches/\(careBatch)/handouts", method: .post, token: staff, body: #"{"household_id":\#(outsider)}"#).status == .conflict)
            #expect(try await client.json("/api/v1/supplies/batches/\(careBatch)/handouts", method: .post, token: staff, body: #"{"household_id":\#(onRegister[0])}"#).status == .created)
            // One package received, one handed out: nothing left for the next.
            #expect(try await client.json("/api/v1/supplies/batches/\(careBatch)/handouts", method: .post, token: staff, body: #"{"household_id":\#(onRegister[1])}"#).status == .conflict)

            let perPerson = try await client.json("/api/v1/supplies/batches", method: .post, token: staff,
                                                  body: Self.batchBody(place: compound, quantity: 10_000, allocation: #"{"rule":"per_person"}"#, lot: "P1"))
            let personBatch = try #require((try perPerson.jsonObject()["batch"] as? [String: Any])?["id"] as? Int)
            let target = try #require(households.first { (facts[$0]?.residents ?? 0) > 0 })
            let handed = try await client.json("/api/v1/supplies/batches/\(personBatch)/handouts", method: .post, token: staff, body: #"{"household_id":\#(target)}"#)
            #expect(try handed.jsonObject()["quantity"] as? Int == facts[target]?.residents)

            // A household outside the batch's place is refused by field.
            let otherCompound = try await app.store.read { db in
                try await db.raw("SELECT id FROM households WHERE path NOT LIKE \(bind: (try #require(try await DirectoryRecords.place(id: compound, on: db)).path.rawValue) + "%") LIMIT 1").first()?.decode(column: "id", as: Int64.self)
            }
            if let otherCompound {
                let outside = try await client.json("/api/v1/supplies/batches/\(personBatch)/handouts", method: .post, token: staff, body: #"{"household_id":\#(otherCompound)}"#)
                #expect(outside.status == .badRequest || outside.status == .notFound)
            }
        }
    }

    @Test("bad input is answered 400 naming the field", arguments: [TestEngine.sqlite])
    func badInput(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let compound = try app.account(.compoundLead).placeID
            let good = #""kind":"relief","source":"区政府","contents":[{"item":"米","quantity":1}],"quantity":5,"allocation":{"rule":"per_household"}"#
            let cases: [(String, String)] = [
                (#"{}"#, "place_id"),
                (#"{"place_id":\#(compound)}"#, "kind"),
                (#"{"place_id":\#(compound),"kind":"gift"}"#, "kind"),
                (#"{"place_id":\#(compound),\#(good.replacingOccurrences(of: #""quantity":5"#, with: #""quantity":0"#))}"#, "quantity"),
                (#"{"place_id":\#(compound),\#(good.replacingOccurrences(of: #""quantity":5"#, with: #""quantity":99999999999"#))}"#, "quantity"),
                (#"{"place_id":\#(compound),\#(good),"expiry":"2022-02-30"}"#, "expiry"),
                (#"{"place_id":\#(compound),\#(good),"lot":"\#(String(repeating: "x", count: 201))"}"#, "lot"),
                (#"{"place_id":\#(compound),\#(good.replacingOccurrences(of: "per_household", with: "per_dog"))}"#, "allocation"),
                (#"{"place_id":\#(compound),\#(good.replacingOccurrences(of: #"{"rule":"per_household"}"#, with: #"{"rule":"care_categories","categories":["vip"]}"#))}"#, "categories"),
                (#"{"place_id":\#(compound),\#(good.replacingOccurrences(of: #"[{"item":"米","quantity":1}]"#, with: "[]"))}"#, "contents"),
            ]
            for (body, field) in cases {
                let response = try await client.json("/api/v1/supplies/batches", method: .post, token: staff, body: body)
                #expect(response.status == .badRequest, "\(body): \(response.status)")
                #expect((try? response.jsonObject()["error"] as? [String: Any])?["field"] as? String == field, "\(body): \(response.text)")
            }
            #expect(try await client.json("/api/v1/supplies/recall?place=\(compound)", token: staff).status == .badRequest)
            #expect(try await client.json("/api/v1/supplies/recall?place=abc&lot=x", token: staff).status == .badRequest)
            #expect(try await client.json("/api/v1/supplies/batches/abc", token: staff).status == .notFound)
            let shelf = try await client.json("/api/v1/supplies/shelf", method: .post, token: staff, body: #"{"place_id":\#(compound),"item":"口罩","quantity":0}"#)
            #expect(shelf.status == .badRequest)
        }
    }

    @Test("the shelf: an item offered shows in the pool, is taken once, and both are on the ledger", arguments: TestEngine.available)
    func shelf(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let leader = try app.account(.buildingLeader)
            let token = try await client.token(phone: leader.phone)
            let offered = try await client.json("/api/v1/supplies/shelf", method: .post, token: token, body: #"{"place_id":\#(leader.placeID),"item":"退烧药","quantity":2,"note":"未开封"}"#)
            try #require(offered.status == .created, "\(offered.text)")
            let id = try #require(try offered.jsonObject()["id"] as? Int)
            let pool = try await client.json("/api/v1/supplies/places/\(leader.placeID)/pool", token: token)
            #expect((try pool.jsonObject()["shelf"] as? [[String: Any]])?.contains { $0["id"] as? Int == id } == true)
            #expect(try await client.json("/api/v1/supplies/shelf/\(id)/take", method: .post, token: token).status == .ok)
            #expect(try await client.json("/api/v1/supplies/shelf/\(id)/take", method: .post, token: token).status == .conflict)
            let after = try await client.json("/api/v1/supplies/places/\(leader.placeID)/pool", token: token)
            #expect((try after.jsonObject()["shelf"] as? [[String: Any]])?.isEmpty == true)
            let events = try await app.store.read { db in
                try await db.raw("SELECT event FROM supply_ledger ORDER BY seq").all().map { try $0.decode(column: "event", as: String.self) }
            }
            #expect(events == ["shelf_offered", "shelf_taken"])
        }
    }
}
