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

@Suite("Insurance-card custody over HTTP: register, hand over, back home; masked except for the holder")
struct CardCustodyTests {
    static func auditCount(_ app: TestApp, action: String) async throws -> Int {
        try await app.store.read { db in try await AuditRecords.entries(entity: "medicine_card", entityID: nil, action: action, limit: 100_000, on: db).count }
    }

    @Test("a card goes to the runner, to the hospital and back by household code; the board and the household page follow it", arguments: TestEngine.available)
    func custodyJourney(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            let runnerAccount = try app.account(.medicineRunner)
            let runner = try await client.token(phone: runnerAccount.phone)
            let compound = try app.account(.compoundLead).placeID
            let demoHousehold = try #require(app.demo.households.first)
            let household = demoHousehold.id
            let runnerID = try #require(try await app.store.read { db in try await UserRecords.user(phone: UserRecords.normalizedPhone(runnerAccount.phone), on: db) }?.id)

            let created = try await client.json("/api/v1/medicine/cards", method: .post, token: lead,
                                                body: #"{"household_id":\#(household),"kind":"insurance_card","number":"3101 1519 9001 011234"}"#)
            try #require(created.status == .created, "\(created.text)")
            let card = try created.jsonObject()
            let id = try #require(card["id"] as? Int)
            #expect(card["masked_number"] as? String == "**************1234")
            #expect(!created.text.contains("310115199001011234"))
            #expect(card["state"] as? String == "received_from_household")

            let withRunner = try await client.json("/api/v1/medicine/cards/\(id)/custody", method: .post, token: lead,
                                                   body: #"{"event":"with_runner","holder_user_id":\#(runnerID.rawValue)}"#)
            #expect(withRunner.status == .ok, "\(withRunner.text)")
            #expect(try withRunner.jsonObject()["holder_user_id"] as? Int == Int(runnerID.rawValue))

            // Only the holder reads the number, and the read is audited.
            #expect(try await client.json("/api/v1/medicine/cards/\(id)/number", token: lead).status == .forbidden)
            let number = try await client.json("/api/v1/medicine/cards/\(id)/number", token: runner)
            #expect(number.status == .ok)
            #expect(try number.jsonObject()["number"] as? String == "310115199001011234")
            #expect(try await Self.auditCount(app, action: "medicine_card.read_number") == 1)

            let atHospital = try await client.json("/api/v1/medicine/cards/\(id)/custody", method: .post, token: runner, body: #"{"event":"at_hospital"}"#)
            #expect(atHospital.status == .ok, "\(atHospital.text)")

            // The board shows the card under the runner; the household sees where its card is.
            let board = try await client.json("/api/v1/medicine/cards/out?place=\(compound)", token: lead)
            #expect(board.status == .ok, "\(board.text)")
            let holders = try #require(try board.jsonObject()["holders"] as? [[String: Any]])
            #expect(holders.count == 1 && holders[0]["holder_name"] as? String == runnerAccount.name)
            let boardCards = try #require(holders[0]["cards"] as? [[String: Any]])
            #expect(boardCards.first?["masked_number"] as? String == "**************1234" && boardCards.first?["state"] as? String == "at_hospital")
            #expect(!board.text.contains("310115199001011234"))
            var staffBrowser = Browser()
            try await staffBrowser.logIn(phone: try app.account(.compoundLead).phone, client: client)
            let boardPage = try await staffBrowser.get("/medicine/cards?place=\(compound)", client: client)
            #expect(boardPage.status == .ok && boardPage.text.contains("**************1234") && boardPage.text.contains(runnerAccount.name))
            #expect(!boardPage.text.contains("310115199001011234"))
            let staffHousehold = try await staffBrowser.get("/households/\(household)", client: client)
            #expect(staffHousehold.text.contains("id=\"medicine-cards\"") && staffHousehold.text.contains("**************1234"))
            let mine = try await client.json("/api/v1/households/\(household)/cards", token: lead)
            #expect(mine.status == .ok)
            #expect(try (mine.jsonObject()["cards"] as? [[String: Any]])?.first?["state"] as? String == "at_hospital")

            var resident = Browser()
            try await resident.openHousehold(demoHousehold, client: client)
            let ownPage = try await resident.get("/my-household", client: client)
            #expect(ownPage.text.contains("id=\"medicine-cards\"") && ownPage.text.contains("**************1234"))
            #expect(!ownPage.text.contains("310115199001011234"))

            // A wrong code is refused; the right one closes the custody; nothing follows.
            let wrong = try await client.json("/api/v1/medicine/cards/\(id)/custody", method: .post, token: runner, body: #"{"event":"returned_to_household","household_code":"000000"}"#)
            #expect(wrong.status == .badRequest)
            let back = try await client.json("/api/v1/medicine/cards/\(id)/custody", method: .post, token: runner,
                                             body: #"{"event":"returned_to_household","household_code":"\#(demoHousehold.code.description)"}"#)
            #expect(back.status == .ok, "\(back.text)")
            let history = try #require(try back.jsonObject()["custody"] as? [[String: Any]])
            #expect(history.map { $0["event"] as? String } == ["received_from_household", "with_runner", "at_hospital", "returned_to_household"])
            #expect(history.last?["confirmed_by"] as? String == "household_code")
            let again = try await client.json("/api/v1/medicine/cards/\(id)/custody", method: .post, token: runner, body: #"{"event":"returned_to_household"}"#)
            #expect(again.status == .conflict)
            #expect(try await client.json("/api/v1/medicine/cards/\(id)/number", token: runner).status == .forbidden)
            let empty = try await client.json("/api/v1/medicine/cards/out?place=\(compound)", token: lead)
            #expect((try empty.jsonObject()["holders"] as? [Any])?.isEmpty == true)

            let reports = try await HashChainRecords.verifyAll(store: app.store)
            #expect(reports.count == 1 && reports[0].problem == nil && reports[0].entries == 4)
        }
    }

    @Test("bad input is answered 400 naming the field, unknown cards 404, and outsiders cannot see", arguments: TestEngine.available)
    func badInput(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            let household = try #require(app.demo.households.first).id
            for body in [#"{}"#, #"{"household_id":\#(household)}"#, #"{"household_id":\#(household),"kind":"passport","number":"1"}"#,
                         #"{"household_id":\#(household),"kind":"insurance_card","number":"\#(String(repeating: "9", count: 41))"}"#,
                         #"{"household_id":\#(household),"kind":"insurance_card","number":"12<script>"}"#,
                         #"{"household_id":\#(household),"kind":"insurance_card","number":"1234","resident_id":-1}"#,
                         #"{"household_id":\#(household),"kind":"insurance_card","number":"1234","note":"\#(String(repeating: "x", count: 501))"}"#] {
                let response = try await client.json("/api/v1/medicine/cards", method: .post, token: lead, body: body)
                #expect(response.status == .badRequest, "\(body): \(response.status)")
            }
            #expect(try await client.json("/api/v1/medicine/cards", method: .post, token: lead, body: #"{"household_id":99999999999,"kind":"insurance_card","number":"1234"}"#).status == .notFound)
            #expect(try await client.json("/api/v1/medicine/cards/99999999", token: lead).status == .notFound)
            #expect(try await client.json("/api/v1/medicine/cards/out", token: lead).status == .badRequest)
            #expect(try await client.json("/api/v1/medicine/cards/out?place=abc", token: lead).status == .badRequest)
            let created = try await client.json("/api/v1/medicine/cards", method: .post, token: lead, body: #"{"household_id":\#(household),"kind":"record_booklet","number":"AB1234"}"#)
            let id = try #require(try created.jsonObject()["id"] as? Int)
            for body in [#"{}"#, #"{"event":"lost"}"#, #"{"event":"received_from_household"}"#, #"{"event":"with_runner"}"#, #"{"event":"with_runner","holder_user_id":0}"#] {
                let response = try await client.json("/api/v1/medicine/cards/\(id)/custody", method: .post, token: lead, body: body)
                #expect(response.status == .badRequest, "\(body): \(response.status)")
            }
            // A building leader is no runner: cannot take the card, and cannot move it.
            let leader = try app.account(.buildingLeader)
            let leaderID = try #require(try await app.store.read { db in try await UserRecords.user(phone: UserRecords.normalizedPhone(leader.phone), on: db) }?.id)
            #expect(try await client.json("/api/v1/medicine/cards/\(id)/custody", method: .post, token: lead, body: #"{"event":"with_runner","holder_user_id":\#(leaderID.rawValue)}"#).status == .badRequest)
        }
    }
}
