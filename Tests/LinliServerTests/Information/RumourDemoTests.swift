import Foundation
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("The demo's rumours: the compound's groups covered, a corrected rumour with its variants, an open one the clock passed up")
struct RumourDemoTests {
    @Test("two covered chat groups; three wordings of one rumour corrected in 85 minutes; a rumour open 75 minutes owned by the sub-district", arguments: [TestEngine.sqlite])
    func demoRumours(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let now = Date(timeIntervalSince1970: 1_650_000_000)
            let demo = try await DemoSeeder.seed(store: store, householdCodeKey: TestApp.householdCodeKey, scale: .compound, now: now, passwords: TestApp.passwords)
            let lead = try #require(demo.generator.accounts.first { $0.role == .compoundLead })
            try await store.read { db in
                let compound = try #require(try await DirectoryRecords.place(id: lead.placeID, on: db))
                let groups = try await RumourRecords.chatGroups(under: [compound.path], on: db)
                #expect(groups.count == 2 && groups.allSatisfy { $0.group.gaps.isEmpty }, "the coverage list is empty")
                let rumours = try await RumourRecords.rumours(under: [compound.path], on: db)
                let corrected = try #require(rumours.first { $0.rumour.correctedAt != nil })
                #expect(corrected.rumour.reportCount == 3 && corrected.rumour.status == .false)
                #expect(RumourClock.minutesToCorrection(firstReportedAt: corrected.rumour.firstReportedAt, correctedAt: try #require(corrected.rumour.correctedAt)) == 85)
                let reports = try await RumourRecords.reports(rumourID: corrected.rumour.id, on: db)
                #expect(reports.allSatisfy { $0.toldAt != nil }, "every reporter was told")
                // The stored variants are what the matcher would attach: each is `same` as the first.
                for report in reports.dropFirst() {
                    #expect(RumourMatching.compare(reports[0].text, report.text).decision == .same, "\(report.text)")
                }
                let open = try #require(rumours.first { $0.rumour.clockRunning })
                let committee = try #require(try await DirectoryRecords.place(id: compound.parentID ?? compound.id, on: db))
                #expect(open.rumour.escalationLevel == 1 && open.rumour.ownerPlaceID == committee.parentID)
                #expect(now.timeIntervalSince(open.rumour.firstReportedAt) == 75 * 60)
            }
        }
    }
}
