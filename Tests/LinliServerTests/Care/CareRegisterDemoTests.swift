import Foundation
import LinliCore
@testable import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("The demo's care register")
struct CareRegisterDemoTests {
    static func entries(_ store: Store) async throws -> [CareEntry] {
        try await store.read { db in
            var found: [CareEntry] = []
            for row in try await db.raw("SELECT id FROM care_entries ORDER BY id").all() {
                if let entry = try await CareRecords.entry(id: try row.decode(column: "id", as: CareEntryID.self), on: db) { found.append(entry) }
            }
            return found
        }
    }

    @Test("forty people in every category, several only temporarily alone, some needing a skill or not reached for days; the same every time", arguments: [TestEngine.sqlite])
    func demoRegister(engine: TestEngine) async throws {
        let now = DemoHistorySeedingTests.now
        let seeded = try await withTestStore(engine) { store in
            _ = try await DemoHistorySeedingTests.seed(store)
            return try await Self.entries(store)
        }
        // The demo survey's follow-ups add people of their own, told apart by their note.
        let first = seeded.filter { $0.note != DemoCareSurvey.findingNote }
        #expect(first.count == 40 && seeded.count > first.count)
        #expect(Set(first.flatMap(\.categories)) == Set(CareCategory.allCases))
        #expect(first.count { $0.categories.contains(.temporarilyAlone) } >= 5)
        #expect(Set(first.flatMap(\.needs)) == Set(CareRegister.knownNeeds))
        #expect(first.contains { CareRegister.isContactOverdue($0.lastContactAt, now: now) } && first.contains { !CareRegister.isContactOverdue($0.lastContactAt, now: now) })
        #expect(first.allSatisfy { $0.categories.contains(.disabled) == ($0.disabilityKind != nil) })
        let second = try await withTestStore(engine) { store in
            _ = try await DemoHistorySeedingTests.seed(store)
            return try await Self.entries(store)
        }
        #expect(seeded.map(\.residentID) == second.map(\.residentID) && seeded.map(\.categories) == second.map(\.categories))
    }
}
