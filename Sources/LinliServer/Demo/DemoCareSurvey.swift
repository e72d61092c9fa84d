import Foundation
import LinliCore
import LinliStore
import SQLKit

/// The demo's survey: one campaign over the demo compound, part-way done. The first two buildings
/// are complete; in the third, some doors were knocked on twice (nobody home, then visited) and
/// some still wait for a second knock; the rest are not started. A few follow-ups put people on
/// the care register. No randomness: the same demo gives the same rows.
enum DemoCareSurvey {
    static func write(generator: DemoGenerator, users: [DemoAccount: UserID], now: Date, on db: any SQLDatabase) async throws {
        // A database migrated only part way (a migration test seeds one at version 9) has no survey tables yet.
        let version = try await db.raw("SELECT MAX(version) AS version FROM schema_migrations").first()?.decode(column: "version", as: Int?.self) ?? nil
        guard (version ?? 0) >= 13 else { return }
        guard let lead = generator.accounts.first(where: { $0.role == .compoundLead }), let creator = users.first(where: { $0.key.role == .committeeStaff })?.value ?? users[lead],
              let compound = try await DirectoryRecords.place(id: lead.placeID, on: db) else { return }
        let leaders = generator.accounts.filter { $0.role == .buildingLeader }
        let startsAt = now.addingTimeInterval(-3 * 86_400)
        let campaign = try await SurveyRecords.insert(SurveyCampaign(id: SurveyCampaignID(0), name: "全小区关爱摸排", placeID: compound.id, path: compound.path, districtID: compound.districtID,
                                                                     startsAt: startsAt, endsAt: now.addingTimeInterval(3 * 86_400), createdBy: creator, createdAt: startsAt), on: db)
        let buildings = try await DirectoryRecords.children(of: compound.id, on: db).map(\.place).filter { $0.level == .building }
        var minute = 0.0
        for (index, building) in buildings.prefix(3).enumerated() {
            let surveyor = leaders.first { $0.placeID == building.id }.flatMap { users[$0] } ?? creator
            let households = try await DirectoryRecords.children(of: building.id, on: db).map(\.place)
            for (number, place) in households.enumerated() {
                guard let household = try await HouseholdRecords.household(id: place.id, on: db) else { continue }
                var visits: [SurveyStatus]
                switch (index, number % 12) {
                case (2, _) where number >= households.count / 2: continue
                case (2, 3), (2, 7): visits = [.nobodyHome]
                case (2, 5), (1, 4): visits = [.nobodyHome, .visited]
                case (_, 2): visits = [.phoned]
                case (_, 6): visits = [.vacant]
                case (_, 9): visits = [.noNeed]
                case (_, 10): visits = [.followUp]
                default: visits = [.visited]
                }
                for status in visits {
                    minute += 7
                    let at = startsAt.addingTimeInterval(minute * 60)
                    let note = status == .nobodyHome ? "敲门无人应答" : nil
                    _ = try await SurveyRecords.appendVisit(campaignID: campaign.id, householdID: household.id, status: status, note: note, surveyor: surveyor, at: at, idempotencyKey: nil, on: db)
                    try await SurveyRecords.setLatest(campaignID: campaign.id, household: household, status: status, note: note, surveyor: surveyor, at: at, idempotencyKey: nil, on: db)
                    if status == .followUp { try await register(household: household, at: at, on: db) }
                }
            }
        }
    }

    /// What the survey's findings say; the register's own demo entries never say it.
    static let findingNote = "摸排发现：家人被转运隔离，老人独自在家"

    /// The household's first resident goes onto the register as found by the survey, unless they are on it already.
    static func register(household: Household, at: Date, on db: any SQLDatabase) async throws {
        guard let resident = try await db.raw("SELECT id FROM residents WHERE household_id = \(bind: household.id) ORDER BY id LIMIT 1").first()
            .map({ try $0.decode(column: "id", as: ResidentID.self) }),
              try await CareRecords.entry(residentID: resident, on: db) == nil else { return }
        _ = try await CareRecords.insert(CareEntry(id: CareEntryID(0), residentID: resident, householdID: household.id, categories: [.temporarilyAlone], needs: [], risk: .high, source: .survey,
                                                   note: findingNote, lastContactAt: at, path: household.path, districtID: household.districtID, createdAt: at, updatedAt: at), on: db)
    }
}
