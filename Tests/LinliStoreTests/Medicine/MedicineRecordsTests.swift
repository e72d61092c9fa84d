import Foundation
import LinliCore
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Medicine batches in the store")
struct MedicineRecordsTests {
    static let now = Date(timeIntervalSince1970: 1_650_000_000)

    @Test("forming a nightly batch takes the team's open nightly requests and their cards; a rerun is harmless", arguments: TestEngine.available)
    func formBatch(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let team: Team = try await store.write { db -> Team in
                let tree = try await SmallTree.make(on: db)
                let team = Team(id: 7, name: "联洋配药队", kind: .medicineTeam, placeID: tree.compound.id, path: tree.compound.path, districtID: tree.compound.districtID, memberIDs: [])
                try await DirectoryRecords.insert(teams: [team], on: db)
                var ids: [HelpRequestID] = []
                for (index, place) in tree.households.prefix(3).enumerated() {
                    let household = try #require(try await HouseholdRecords.household(id: place.id, on: db))
                    let request = HelpRequest.filed(
                        id: 0, householdID: household.id, category: .medicine, urgency: .normal, description: "降压药",
                        channel: .householdCode, filedBy: .household(id: household.id), routing: nil, policy: .standard, at: Self.now
                    )
                    let stored = try await RequestRecords.insert(request, household: household, on: db)
                    let item = MedicineItem(id: 0, requestID: stored.request.id, drug: index == 2 ? "胰岛素" : "氨氯地平", specification: "5mg", quantity: 2, kind: .chronicRefill, source: .hospitalWindow, hospital: "瑞金医院")
                    let queue = MedicineRules.queue(items: [item], residentOnDialysis: false)
                    try await MedicineRecords.store(
                        requestID: stored.request.id, householdID: household.id, teamID: team.id, queue: queue, cashAdvanced: 1000,
                        followUpOf: nil, path: stored.path, districtID: stored.districtID, items: [item], on: db
                    )
                    try await db.raw("""
                        INSERT INTO medicine_cards (household_id, kind, card_number, request_id, state, since, path)
                        VALUES (\(bind: household.id), 'insurance_card', '310000000000001234', \(bind: stored.request.id), 'with_runner', 0, \(bind: stored.path.rawValue))
                        """).run()
                    ids.append(stored.request.id)
                }
                #expect(ids.count == 3)
                return team
            }
            let formed = try await store.write { db in try await MedicineRecords.formBatch(team: team.id, kind: .nightly, night: "2022-04-15", at: Self.now, on: db) }
            #expect(formed.requests == 2, "the insulin request waits in the same-day queue")
            #expect(formed.cards == 2)
            let again = try await store.write { db in try await MedicineRecords.formBatch(team: team.id, kind: .nightly, night: "2022-04-15", at: Self.now, on: db) }
            #expect(again == FormedBatch(batchID: formed.batchID, requests: 0, cards: 0))
            let sameDay = try await store.write { db in try await MedicineRecords.formBatch(team: team.id, kind: .sameDay, night: "2022-04-15", at: Self.now, on: db) }
            #expect(sameDay.batchID != formed.batchID && sameDay.requests == 1)
            let lists = MedicineRules.hospitalLists(try await store.read { db in try await MedicineRecords.hospitalListInputs(batch: formed.batchID, on: db) })
            #expect(lists.map(\.lines) == [[HospitalListLine(drug: "氨氯地平", specification: "5mg", quantity: 4, households: 2)]])
            #expect(try await store.read { db in try await MedicineRecords.cardsOut(batch: formed.batchID, on: db) } == 2)
        }
    }
}
