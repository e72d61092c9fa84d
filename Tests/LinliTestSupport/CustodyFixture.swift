import Foundation
import LinliCore
import LinliStore
import SQLKit

/// A district with one household and two users, and a helper to walk a card through custody.
public struct CustodyFixture: Sendable {
    public var household: PlaceID
    public var districtID: PlaceID?
    public var runner: UserID
    public var staff: UserID

    public static func make(_ store: Store) async throws -> CustodyFixture {
        try await store.write { db in
            let city = try await DirectoryRecords.createPlace(parent: nil, level: .city, name: "上海市", code: "310000", on: db)
            let district = try await DirectoryRecords.createPlace(parent: city, level: .district, name: "浦东新区", code: "310115", on: db)
            let compound = try await DirectoryRecords.createPlace(parent: district, level: .compound, name: "联洋新村", code: nil, on: db)
            let building = try await DirectoryRecords.createPlace(parent: compound, level: .building, name: "3号楼", code: "3", on: db)
            let place = try await DirectoryRecords.createPlace(parent: building, level: .household, name: "201", code: "201", on: db)
            try await DirectoryRecords.insert(households: [Household(id: place.id, buildingID: building.id, room: "201", path: place.path, districtID: place.districtID)], on: db)
            let runner = try await UserRecords.insert(phone: "13800000001", name: "跑腿小王", passwordHash: "x", at: Date(), on: db)
            let staff = try await UserRecords.insert(phone: "13800000002", name: "居委老李", passwordHash: "x", at: Date(), on: db)
            return CustodyFixture(household: place.id, districtID: place.districtID, runner: runner, staff: staff)
        }
    }

    public var chain: String { CardCustodyRecords.chainName(districtID: districtID) }

    /// Registers a card and walks it to the hospital and back: four entries.
    public func walkCard(_ store: Store, number: String = "310115199001011234") async throws -> MedicineCard {
        let engine = store.engine
        let (household, staff, runner) = (household, staff, runner)
        return try await store.write { db in
            let card = try await CardCustodyRecords.register(householdID: household, residentID: nil, kind: .insuranceCard, number: number, requestID: nil,
                                                             by: staff, note: nil, now: Date(), engine: engine, on: db)
            _ = try await CardCustodyRecords.step(cardID: card.id, event: .withRunner, by: staff, holder: runner, confirmedBy: nil, note: "交给小王", now: Date(), engine: engine, on: db)
            _ = try await CardCustodyRecords.step(cardID: card.id, event: .atHospital, by: runner, holder: nil, confirmedBy: nil, note: nil, now: Date(), engine: engine, on: db)
            return try await CardCustodyRecords.step(cardID: card.id, event: .returnedToHousehold, by: runner, holder: nil, confirmedBy: "household_code", note: nil, now: Date(), engine: engine, on: db)
        }
    }
}

