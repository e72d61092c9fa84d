import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Medicine nights: a batch formed at the team, its per-hospital lists, read only at one's places")
struct MedicineNightTests {
    /// 2022-04-15 20:00 in Shanghai.
    static let cutOff = Date(timeIntervalSince1970: 1_650_024_000)

    /// A medicine team at the demo compound and medicine requests for three of its households:
    /// two nightly refills at one hospital window, one insulin (same-day).
    static func world(_ app: TestApp) async throws -> (compound: Place, team: TeamID) {
        let world = try await CareTestWorld.build(app)
        let teamID: TeamID = 900_001
        try await app.store.write { db in
            try await DirectoryRecords.insert(teams: [Team(id: teamID, name: "配药队", kind: .medicineTeam, placeID: world.compound.id, path: world.compound.path, districtID: world.compound.districtID, memberIDs: [])], on: db)
            var households: [Household] = []
            for resident in try await CarePairingRecords.oldestUnregistered(under: world.compound.path, limit: 40, on: db) where households.count < 3 {
                guard !households.contains(where: { $0.id == resident.householdID }),
                      try await RequestRecords.openDuplicate(householdID: resident.householdID, category: .medicine, on: db) == nil,
                      let household = try await HouseholdRecords.household(id: resident.householdID, on: db) else { continue }
                households.append(household)
            }
            #expect(households.count == 3)
            for (index, household) in households.enumerated() {
                let request = HelpRequest.filed(
                    id: 0, householdID: household.id, category: .medicine, urgency: .normal, description: "配药",
                    channel: .householdCode, filedBy: .household(id: household.id), routing: nil, policy: .standard, at: Self.cutOff.addingTimeInterval(-3600)
                )
                let stored = try await RequestRecords.insert(request, household: household, on: db)
                let item = MedicineItem(id: 0, requestID: stored.request.id, drug: index == 2 ? "门冬胰岛素" : "氨氯地平", specification: "5mg", quantity: index + 1, kind: .chronicRefill, source: .hospitalWindow, hospital: "仁济医院", window: "3号窗")
                try await MedicineRecords.store(
                    requestID: stored.request.id, householdID: household.id, teamID: teamID, queue: MedicineRules.queue(items: [item], residentOnDialysis: false),
                    cashAdvanced: 0, followUpOf: nil, path: stored.path, districtID: stored.districtID, items: [item], on: db
                )
            }
        }
        return (world.compound, teamID)
    }

    @Test("forming the nightly batch lists each drug's total and households at its hospital window; only those who may see health data read it", arguments: TestEngine.available)
    func formAndRead(engine: TestEngine) async throws {
        try await TestApp.run(engine, now: { Self.cutOff }) { app, client in
            let (_, team) = try await Self.world(app)
            let lead = try await client.token(phone: try app.account(.compoundLead).phone)
            let formed = try await client.json("/api/v1/medicine/teams/\(team)/batches", method: .post, token: lead, body: #"{"kind":"nightly"}"#)
            #expect(formed.status == .ok, "\(formed.text)")
            let batch = try formed.jsonObject()
            #expect(batch["night"] as? String == "2022-04-15")
            #expect(batch["requests"] as? Int == 2, "the insulin request waits for the same-day run")
            let hospitals = try #require(batch["hospitals"] as? [[String: Any]])
            #expect(hospitals.count == 1 && hospitals[0]["hospital"] as? String == "仁济医院" && hospitals[0]["window"] as? String == "3号窗")
            let lines = try #require(hospitals[0]["lines"] as? [[String: Any]])
            #expect(lines.count == 1 && lines[0]["quantity"] as? Int == 3 && lines[0]["households"] as? Int == 2)

            let id = try #require(batch["id"] as? Int)
            #expect(try await client.json("/api/v1/medicine/batches/\(id)", token: lead).status == .ok)
            let again = try await client.json("/api/v1/medicine/teams/\(team)/batches", method: .post, token: lead, body: #"{"kind":"nightly"}"#)
            #expect(try again.jsonObject()["id"] as? Int == id, "forming again the same night keeps the one batch")
            let sameDay = try await client.json("/api/v1/medicine/teams/\(team)/batches", method: .post, token: lead, body: #"{"kind":"same_day"}"#)
            #expect(try sameDay.jsonObject()["requests"] as? Int == 1)

            #expect(try await client.json("/api/v1/medicine/teams/\(team)/batches", method: .post, token: lead, body: #"{"kind":"weekly"}"#).status == .badRequest)
            #expect(try await client.json("/api/v1/medicine/teams/\(team)/batches", method: .post, token: lead, body: #"{}"#).status == .badRequest)
            #expect(try await client.json("/api/v1/medicine/teams/999999/batches", method: .post, token: lead, body: #"{"kind":"nightly"}"#).status == .notFound)
            #expect(try await client.json("/api/v1/medicine/batches/999999", token: lead).status == .notFound)

            // A group-buying leader may not see health data: no batch, no team.
            let other = try await client.token(phone: try app.account(.groupBuyLeader).phone)
            #expect(try await client.json("/api/v1/medicine/batches/\(id)", token: other).status == .forbidden)
            #expect(try await client.json("/api/v1/medicine/teams/\(team)/batches", method: .post, token: other, body: #"{"kind":"nightly"}"#).status == .forbidden)
        }
    }
}
