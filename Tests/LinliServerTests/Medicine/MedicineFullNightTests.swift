import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("A whole medicine night over HTTP: items, the cut-off, lists and labels, cards out and back, outcomes, a follow-up one level up, money, closing")
struct MedicineFullNightTests {
    /// 2022-04-12 15:00 in Shanghai.
    static let afternoon = Date(timeIntervalSince1970: 1_649_746_800)

    @Test("one night from filing to closing the batch", arguments: TestEngine.available)
    func fullNight(engine: TestEngine) async throws {
        let clock = ManualClock(Self.afternoon)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let world = try await CareTestWorld.build(app)
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            let runnerAccount = try app.account(.medicineRunner)
            let runner = try await client.token(phone: runnerAccount.phone)
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let runnerID = try #require(try await app.store.read { db in try await UserRecords.user(phone: UserRecords.normalizedPhone(runnerAccount.phone), on: db) }?.id)
            let shopperPhone = try app.account(.groupBuyLeader).phone
            let shopperID = try #require(try await app.store.read { db in try await UserRecords.user(phone: UserRecords.normalizedPhone(shopperPhone), on: db) }?.id)

            // The compound's medicine team (the demo's) and the committee's, one level up.
            let committeeTeam: TeamID = 900_101
            let compoundTeam = try await app.store.write { db -> TeamID in
                try await DirectoryRecords.insert(teams: [Team(id: committeeTeam, name: "居委配药队", kind: .medicineTeam, placeID: world.committee.id, path: world.committee.path,
                                                                districtID: world.committee.districtID, memberIDs: [])], on: db)
                return try #require(try await db.raw("SELECT id FROM teams WHERE kind = 'medicine_team' AND place_id = \(bind: world.compound.id) ORDER BY id LIMIT 1").first()?
                    .decode(column: "id", as: TeamID.self))
            }
            var households = Array(app.demo.households.prefix(0))
            for household in app.demo.households where households.count < 2 {
                let path = try await app.store.read { db in try await HouseholdRecords.household(id: household.id, on: db)?.path }
                if let path, world.compound.path.contains(path) { households.append(household) }
            }
            try #require(households.count == 2)
            let range = world.compound.path.descendantRange
            let third = try #require(try await app.store.read { db in
                try await db.raw("SELECT id FROM households WHERE path > \(bind: range.after) AND path < \(bind: range.before) ORDER BY id DESC LIMIT 1").first()?
                    .decode(column: "id", as: PlaceID.self)
            })
            try #require(!households.contains { $0.id == third })

            // The team stops taking orders at 20:30 tonight.
            #expect(try await client.json("/api/v1/medicine/teams/\(compoundTeam)/cutoff", method: .put, token: lead, body: #"{"cutoff":"25:00"}"#).status == .badRequest)
            let cutoff = try await client.json("/api/v1/medicine/teams/\(compoundTeam)/cutoff", method: .put, token: lead, body: #"{"cutoff":"20:30"}"#)
            #expect(cutoff.status == .ok, "\(cutoff.text)")
            #expect(try cutoff.jsonObject()["cutoff"] as? String == "20:30")

            // Three medicine requests filed on the households' behalf, then their items.
            var requests: [HelpRequestID] = []
            for household in households.map(\.id) + [third] {
                let filed = try await client.json("/api/v1/requests", method: .post, token: lead,
                                                  body: #"{"household_id":\#(household),"category":"medicine","description":"配药"}"#)
                try #require(filed.status == .created, "\(filed.text)")
                requests.append(HelpRequestID(Int64(try #require(try filed.jsonObject()["id"] as? Int))))
            }
            let (a, b, c) = (requests[0], requests[1], requests[2])
            let itemsA = #"{"cash_advanced":20000,"items":[{"drug":"氨氯地平片","specification":"5mg*28片","quantity":2,"kind":"chronic_refill","source":"hospital_window","hospital":"仁济医院","window":"慢病窗口"},{"drug":"二甲双胍片","specification":"0.5g*20片","quantity":1,"kind":"chronic_refill","source":"hospital_window","hospital":"仁济医院","window":"慢病窗口"}]}"#
            let itemsB = #"{"cash_advanced":10000,"items":[{"drug":"氨氯地平片","specification":"5mg*28片","quantity":1,"kind":"chronic_refill","source":"hospital_window","hospital":"仁济医院","window":"慢病窗口"},{"drug":"阿托伐他汀钙片","specification":"20mg*7片","quantity":3,"kind":"chronic_refill","source":"hospital_window","hospital":"东方医院"}]}"#
            let itemsC = #"{"cash_advanced":5000,"items":[{"drug":"门冬胰岛素注射液","specification":"3ml:300单位","quantity":1,"kind":"chronic_refill","source":"hospital_window","hospital":"仁济医院","window":"内分泌","cold_chain":true}]}"#
            let filledA = try await client.json("/api/v1/requests/\(a)/medicine", method: .put, token: runner, body: itemsA)
            try #require(filledA.status == .ok, "\(filledA.text)")
            let partA = try filledA.jsonObject()
            #expect(partA["queue"] as? String == "nightly" && partA["batch_status"] as? String == "collecting")
            #expect(partA["team_id"] as? Int == Int(compoundTeam.rawValue))
            #expect(try await client.json("/api/v1/requests/\(b)/medicine", method: .put, token: runner, body: itemsB).status == .ok)
            let filledC = try await client.json("/api/v1/requests/\(c)/medicine", method: .put, token: runner, body: itemsC)
            #expect(try filledC.jsonObject()["queue"] as? String == "same_day", "insulin cannot wait for the night")
            #expect(try await client.json("/api/v1/requests/\(c)", token: lead).jsonObject()["urgency"] as? String == "urgent")

            // The visit record is checked; the household hands over its card.
            let verified = try await client.json("/api/v1/requests/\(a)/medicine/verification", method: .post, token: runner, body: "{}")
            #expect(try verified.jsonObject()["verified_by"] as? Int == Int(runnerID.rawValue))
            var cards: [Int] = []
            for (household, request) in zip(households, [a, b]) {
                let card = try await client.json("/api/v1/medicine/cards", method: .post, token: runner,
                                                 body: #"{"household_id":\#(household.id),"kind":"insurance_card","number":"31011519500101\#(1000 + cards.count)","request_id":\#(request)}"#)
                try #require(card.status == .created, "\(card.text)")
                cards.append(try #require(try card.jsonObject()["id"] as? Int))
            }

            // An outcome before the cut-off is refused: nothing is bought before the run.
            let itemC = try #require((try filledC.jsonObject()["items"] as? [[String: Any]])?.first?["id"] as? Int)
            #expect(try await client.json("/api/v1/medicine/items/\(itemC)/outcome", method: .post, token: runner, body: #"{"outcome":"bought"}"#).status == .conflict)

            // 20:10: the default cut-off has passed but this team's has not. 20:31: it forms.
            clock.advance(5 * 3600 + 10 * 60)
            #expect(try await MedicineCutOff(services: app.services).run(at: clock.now).isEmpty)
            clock.advance(21 * 60)
            let formed = try await MedicineCutOff(services: app.services).run(at: clock.now)
            let batch = try #require(formed.first)
            #expect(formed.count == 1)
            #expect(try await client.json("/api/v1/requests/\(a)/medicine", method: .put, token: runner, body: itemsA).status == .conflict, "the list is fixed once formed")

            // One list per hospital and window, totalled; the insulin is not in the nightly batch.
            let view = try await client.json("/api/v1/medicine/batches/\(batch)", token: lead)
            let batchObject = try view.jsonObject()
            #expect(batchObject["requests"] as? Int == 2 && batchObject["status"] as? String == "formed")
            let hospitals = try #require(batchObject["hospitals"] as? [[String: Any]])
            #expect(hospitals.map { "\($0["hospital"] ?? "")/\($0["window"] ?? "")" } == ["东方医院/", "仁济医院/慢病窗口"])
            let renji = try #require(hospitals.last?["lines"] as? [[String: Any]])
            #expect(renji.map { "\($0["drug"] ?? "") \($0["quantity"] ?? "") \($0["households"] ?? "")" } == ["二甲双胍片 1 1", "氨氯地平片 3 2"])
            #expect(!view.text.contains("门冬胰岛素"))

            // The labels: one per household of the batch.
            var browser = Browser()
            try await browser.logIn(phone: try app.account(.compoundLead).phone, client: client)
            let labels = try await browser.get("/medicine/batches/\(batch)/labels", client: client)
            #expect(labels.status == .ok)
            #expect(labels.text.components(separatedBy: "class=\"medicine-label\"").count - 1 == 2)
            let list = try await browser.get("/medicine/batches/\(batch)/list", client: client)
            #expect(list.text.contains("东方医院") && list.text.contains("氨氯地平片"))

            // Runners per hospital; someone who does not run medicine here is refused.
            let notRunner = #"{"runners":[{"hospital":"仁济医院","user_id":\#(shopperID.rawValue)}]}"#
            #expect(try await client.json("/api/v1/medicine/batches/\(batch)/runners", method: .put, token: lead, body: notRunner).status == .badRequest)
            let assigned = try await client.json("/api/v1/medicine/batches/\(batch)/runners", method: .put, token: lead,
                                                 body: #"{"runners":[{"hospital":"仁济医院","user_id":\#(runnerID.rawValue)},{"hospital":"东方医院","user_id":\#(runnerID.rawValue)}]}"#)
            #expect(assigned.status == .ok, "\(assigned.text)")
            #expect((try assigned.jsonObject()["hospitals"] as? [[String: Any]])?.allSatisfy { $0["runner"] as? String == runnerAccount.name } == true)

            // Dawn: the cards go with the runner to the hospital.
            clock.advance(10 * 3600)
            for card in cards {
                #expect(try await client.json("/api/v1/medicine/cards/\(card)/custody", method: .post, token: lead, body: #"{"event":"with_runner","holder_user_id":\#(runnerID.rawValue)}"#).status == .ok)
                #expect(try await client.json("/api/v1/medicine/cards/\(card)/custody", method: .post, token: runner, body: #"{"event":"at_hospital"}"#).status == .ok)
            }

            // Outcomes: A gets everything; B gets one of three boxes of one drug.
            let partB = try await client.json("/api/v1/requests/\(b)/medicine", token: runner).jsonObject()
            let itemsOfA = try #require(partA["items"] as? [[String: Any]]).compactMap { $0["id"] as? Int }
            let itemsOfB = try #require(partB["items"] as? [[String: Any]]).compactMap { $0["id"] as? Int }
            #expect(try await client.json("/api/v1/medicine/items/\(itemsOfB[1])/outcome", method: .post, token: runner, body: #"{"outcome":"partial","quantity_bought":3}"#).status == .badRequest)
            for item in itemsOfA {
                #expect(try await client.json("/api/v1/medicine/items/\(item)/outcome", method: .post, token: runner, body: #"{"outcome":"bought"}"#).status == .ok)
            }
            #expect(try await client.json("/api/v1/requests/\(a)", token: lead).jsonObject()["status"] as? String == "done")
            #expect(try await client.json("/api/v1/medicine/items/\(itemsOfB[0])/outcome", method: .post, token: runner, body: #"{"outcome":"bought"}"#).status == .ok)
            let partial = try await client.json("/api/v1/medicine/items/\(itemsOfB[1])/outcome", method: .post, token: runner,
                                                body: #"{"outcome":"partial","quantity_bought":1,"note":"医院只剩一盒"}"#)
            try #require(partial.status == .ok, "\(partial.text)")
            let partialObject = try partial.jsonObject()
            #expect(partialObject["request_status"] as? String == "done")
            let followUp = try #require(partialObject["follow_up_request_id"] as? Int)

            // The follow-up asks for the two missing boxes, for the committee's team, and the
            // committee's staff see it.
            let followUpPart = try await client.json("/api/v1/requests/\(followUp)/medicine", token: staff)
            #expect(followUpPart.status == .ok, "\(followUpPart.text)")
            let followUpObject = try followUpPart.jsonObject()
            #expect(followUpObject["team_id"] as? Int == Int(committeeTeam.rawValue))
            #expect(followUpObject["follow_up_of"] as? Int == Int(b.rawValue))
            let missing = try #require(followUpObject["items"] as? [[String: Any]])
            #expect(missing.count == 1 && missing.first?["drug"] as? String == "阿托伐他汀钙片" && missing.first?["quantity"] as? Int == 2)
            let followUpRequest = try await client.json("/api/v1/requests/\(followUp)", token: staff).jsonObject()
            #expect(followUpRequest["status"] as? String == "new" && followUpRequest["owner_place_id"] as? Int == Int(world.committee.id.rawValue))

            // Money: A reconciles; B is 10 yuan short.
            #expect(try await client.json("/api/v1/requests/\(a)/medicine/money", method: .put, token: runner, body: #"{"cash_spent":15000,"change_returned":5000}"#).status == .ok)
            let shortB = try await client.json("/api/v1/requests/\(b)/medicine/money", method: .put, token: runner, body: #"{"cash_spent":8000,"change_returned":1000}"#)
            #expect((try shortB.jsonObject()["money"] as? [String: Any])?["difference"] as? Int == 1000)

            // Closing: refused while a card is out, then while the money does not add up.
            #expect(try await client.json("/api/v1/medicine/cards/\(cards[0])/custody", method: .post, token: runner,
                                          body: #"{"event":"returned_to_household","household_code":"\#(households[0].code.description)"}"#).status == .ok)
            let cardOut = try await client.json("/api/v1/medicine/batches/\(batch)/close", method: .post, token: lead, body: "{}")
            #expect(cardOut.status == .conflict && cardOut.text.contains("cards_out"), "\(cardOut.text)")
            #expect(try await client.json("/api/v1/medicine/cards/\(cards[1])/custody", method: .post, token: runner,
                                          body: #"{"event":"returned_to_household","household_code":"\#(households[1].code.description)"}"#).status == .ok)
            let mismatch = try await client.json("/api/v1/medicine/batches/\(batch)/close", method: .post, token: lead, body: "{}")
            #expect(mismatch.status == .conflict && mismatch.text.contains("money_mismatch"), "\(mismatch.text)")
            #expect(try await client.json("/api/v1/requests/\(b)/medicine/money", method: .put, token: runner, body: #"{"cash_spent":8000,"change_returned":2000}"#).status == .ok)
            let closed = try await client.json("/api/v1/medicine/batches/\(batch)/close", method: .post, token: lead, body: "{}")
            #expect(closed.status == .ok, "\(closed.text)")
            let closedObject = try closed.jsonObject()
            #expect(closedObject["status"] as? String == "closed")
            let money = try #require(closedObject["money"] as? [String: Any])
            #expect(money["cash_advanced"] as? Int == 30000 && money["cash_spent"] as? Int == 23000 && money["change_returned"] as? Int == 7000 && money["difference"] as? Int == 0)
            #expect(try await client.json("/api/v1/medicine/batches/\(batch)/close", method: .post, token: lead, body: "{}").status == .conflict)
            #expect(try await client.json("/api/v1/requests/\(b)/medicine/money", method: .put, token: runner, body: #"{"cash_spent":1,"change_returned":1}"#).status == .conflict,
                    "a closed batch's money stays as it was reconciled")

            // The custody chain holds, and every staff read of a medicine part left an audit row.
            let reports = try await HashChainRecords.verifyAll(store: app.store)
            #expect(reports.allSatisfy { $0.problem == nil } && reports.map(\.entries).reduce(0, +) == 8)
            let reads = try await app.store.read { db in try await AuditRecords.entries(entity: "request", entityID: nil, action: "medicine_request.read", limit: 100, on: db).count }
            #expect(reads == 2)
        }
    }
}

@Suite("Medicine requests over HTTP: bad input named by field, wrong states refused, households read only their own")
struct MedicineRequestInputTests {
    @Test("every bad body is a 400 naming its field; a request of another kind or closed is a 409; a household reads its own part and writes none", arguments: TestEngine.available)
    func badInput(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let runner = try await client.token(phone: try app.account(.medicineRunner).phone)
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            let household = try #require(app.demo.households.first)
            let filed = try await client.json("/api/v1/requests", method: .post, token: lead, body: #"{"household_id":\#(household.id),"category":"medicine","description":"配药"}"#)
            let id = try #require(try filed.jsonObject()["id"] as? Int)
            let line = #""drug":"氨氯地平片","quantity":1,"kind":"chronic_refill","source":"hospital_window","hospital":"仁济医院""#
            let cases: [(String, String)] = [
                (#"{}"#, "items"),
                (#"{"items":[]}"#, "items"),
                ("{\"items\":[" + Array(repeating: "{\(line)}", count: 31).joined(separator: ",") + "]}", "items"),
                (#"{"items":[{"quantity":1,"kind":"chronic_refill","source":"pharmacy","hospital":"药房"}]}"#, "items[0].drug"),
                (#"{"items":[{\#(line)},{"drug":"\#(String(repeating: "药", count: 101))","quantity":1,"kind":"urgent","source":"pharmacy","hospital":"药房"}]}"#, "items[1].drug"),
                (#"{"items":[{"drug":"a\u0000b","quantity":1,"kind":"urgent","source":"pharmacy","hospital":"药房"}]}"#, "items[0].drug"),
                (#"{"items":[{"drug":"阿司匹林","quantity":0,"kind":"urgent","source":"pharmacy","hospital":"药房"}]}"#, "items[0].quantity"),
                (#"{"items":[{"drug":"阿司匹林","quantity":1000,"kind":"urgent","source":"pharmacy","hospital":"药房"}]}"#, "items[0].quantity"),
                (#"{"items":[{"drug":"阿司匹林","quantity":1,"kind":"vitamin","source":"pharmacy","hospital":"药房"}]}"#, "items[0].kind"),
                (#"{"items":[{"drug":"阿司匹林","quantity":1,"kind":"urgent","source":"market","hospital":"药房"}]}"#, "items[0].source"),
                (#"{"items":[{"drug":"阿司匹林","quantity":1,"kind":"urgent","source":"pharmacy","hospital":"  "}]}"#, "items[0].hospital"),
                (#"{"cash_advanced":-1,"items":[{\#(line)}]}"#, "cash_advanced"),
                (#"{"cash_advanced":10000001,"items":[{\#(line)}]}"#, "cash_advanced"),
            ]
            for (body, field) in cases {
                let response = try await client.json("/api/v1/requests/\(id)/medicine", method: .put, token: runner, body: body)
                #expect(response.status == .badRequest, "\(body.prefix(80)): \(response.status)")
                #expect(response.text.contains("\"field\":\"\(field)\""), "\(body.prefix(80)): \(response.text)")
            }
            // Nothing was stored by any of them.
            #expect(try await client.json("/api/v1/requests/\(id)/medicine", token: runner).status == .notFound)
            let filled = try await client.json("/api/v1/requests/\(id)/medicine", method: .put, token: runner, body: #"{"items":[{\#(line),"maker":"辉瑞","window":"慢病窗口"}]}"#)
            #expect(filled.status == .ok, "\(filled.text)")
            let item = try #require((try filled.jsonObject()["items"] as? [[String: Any]])?.first)
            #expect(item["maker"] as? String == "辉瑞" && item["window"] as? String == "慢病窗口" && item["cold_chain"] as? Bool == false)
            let itemID = try #require(item["id"] as? Int)

            for (body, field) in [(#"{}"#, "cash_spent"), (#"{"cash_spent":1}"#, "change_returned"), (#"{"cash_spent":1,"change_returned":10000001}"#, "change_returned"),
                                  (#"{"cash_spent":1,"change_returned":0,"note":"\#(String(repeating: "x", count: 501))"}"#, "note")] {
                let response = try await client.json("/api/v1/requests/\(id)/medicine/money", method: .put, token: runner, body: body)
                #expect(response.status == .badRequest && response.text.contains("\"field\":\"\(field)\""), "\(body.prefix(60)): \(response.text)")
            }
            for (body, field) in [(#"{}"#, "outcome"), (#"{"outcome":"stolen"}"#, "outcome"), (#"{"outcome":"partial","quantity_bought":-1}"#, "quantity_bought")] {
                let response = try await client.json("/api/v1/medicine/items/\(itemID)/outcome", method: .post, token: runner, body: body)
                #expect(response.status == .badRequest && response.text.contains("\"field\":\"\(field)\""), "\(body): \(response.text)")
            }
            #expect(try await client.json("/api/v1/medicine/items/99999999/outcome", method: .post, token: runner, body: #"{"outcome":"bought"}"#).status == .notFound)
            #expect(try await client.json("/api/v1/requests/99999999/medicine", method: .put, token: runner, body: #"{"items":[{\#(line)}]}"#).status == .notFound)

            // The household reads its own medicine part, and changes nothing.
            let opened = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(household.id),"code":"\#(household.code)"}"#)
            let householdToken = try #require(try opened.jsonObject()["token"] as? String)
            #expect(try await client.json("/api/v1/requests/\(id)/medicine", token: householdToken).status == .ok)
            #expect(try await client.json("/api/v1/requests/\(id)/medicine", method: .put, token: householdToken, body: #"{"items":[{\#(line)}]}"#).status == .forbidden)
            #expect(try await client.json("/api/v1/requests/\(id)/medicine/verification", method: .post, token: householdToken, body: "{}").status == .forbidden)

            // Another kind of request has no medicine part; a closed one takes no more.
            let food = try await client.json("/api/v1/requests", method: .post, token: lead, body: #"{"household_id":\#(household.id),"category":"food","description":"买米"}"#)
            let foodID = try #require(try food.jsonObject()["id"] as? Int)
            let notMedicine = try await client.json("/api/v1/requests/\(foodID)/medicine", method: .put, token: runner, body: #"{"items":[{\#(line)}]}"#)
            #expect(notMedicine.status == .conflict && notMedicine.text.contains("not_medicine"))
            #expect(try await client.json("/api/v1/requests/\(id)/transitions", method: .post, token: lead, body: #"{"action":"cancel","note":"家属已买到"}"#).status == .ok)
            let closed = try await client.json("/api/v1/requests/\(id)/medicine", method: .put, token: runner, body: #"{"items":[{\#(line)}]}"#)
            #expect(closed.status == .conflict && closed.text.contains("medicine.request.error.closed"), "\(closed.text)")
            #expect(try await client.json("/api/v1/requests/\(id)/medicine/verification", method: .post, token: runner, body: "{}").status == .conflict)
        }
    }
}
