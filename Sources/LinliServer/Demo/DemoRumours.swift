import Foundation
import LinliCore
import LinliStore
import SQLKit

/// The demo compound's rumours: its two residents' chat groups, watched by the information
/// officer with the compound lead as backup; the rumour that the committee kept the relief
/// supplies, reported three times in different words two days ago, found false and corrected 85
/// minutes after the first report; and a rumour about the vegetable market reported 75 minutes
/// ago, not yet corrected, which the clock has passed up to the sub-district. Written through the
/// records the server's own paths use.
enum DemoRumours {
    static let corrected = [
        "紧急通知！居委会把政府发的救济物资全部私分了，大家都没份！",
        "转：居委会把政府发的救济物资全部私分了！！大家都没份😡",
        "居委會把政府發的救濟物資全部私分了",
    ]
    static let open = "听说明天起小区门口的菜场要关门七天，赶紧去囤菜！"

    static func write(generator: DemoGenerator, users: [DemoAccount: UserID], now: Date, on db: any SQLDatabase) async throws {
        guard let officerAccount = generator.accounts.first(where: { $0.role == .informationOfficer }), let officer = users[officerAccount],
              let lead = generator.accounts.first(where: { $0.role == .compoundLead }), let leadID = users[lead],
              let staffAccount = generator.accounts.first(where: { $0.role == .committeeStaff }), let staff = users[staffAccount],
              let leaderAccount = generator.accounts.first(where: { $0.role == .buildingLeader }), let leader = users[leaderAccount],
              let compound = try await DirectoryRecords.place(id: lead.placeID, on: db),
              let building = try await DirectoryRecords.place(id: leaderAccount.placeID, on: db) else { return }
        let owners = try await DirectoryRecords.ancestors(of: compound.path, on: db)
        guard let committee = owners.first(where: { $0.level == .committee }), let subdistrict = owners.first(where: { $0.level == .subdistrict }) else { return }
        let group = try await RumourRecords.createChatGroup(placeID: compound.id, name: "\(compound.name)业主群", platform: .wechat, officer: officer, backup: leadID,
                                                            targetID: nil, now: now.addingTimeInterval(-5 * 86_400), on: db)
        _ = try await RumourRecords.createChatGroup(placeID: compound.id, name: "\(compound.name)团购群", platform: .wecom, officer: officer, backup: leadID,
                                                    targetID: nil, now: now.addingTimeInterval(-5 * 86_400), on: db)

        // Two days ago: three wordings of one claim, one rumour; false; corrected in 85 minutes.
        let first = now.addingTimeInterval(-2 * 86_400)
        var rumourID: RumourID?
        for (index, text) in corrected.enumerated() {
            let at = first.addingTimeInterval(Double(index) * 600)
            let report = RumourRecords.NewReport(text: text, link: nil, normalizedHash: RumourFingerprint(text).hash, chatGroupID: group, seenPlace: index == 0 ? building : compound,
                                                 seenAt: at, reportedBy: index == 0 ? leader : officer, imageFile: nil, imageType: nil)
            if let rumourID {
                _ = try await RumourRecords.addReport(report, to: rumourID, match: .automatic, score: index == 1 ? 0.913 : 0.9, suggested: nil, now: at, on: db)
            } else {
                rumourID = try await RumourRecords.createRumour(with: report, owner: committee.id, now: at, suggested: nil, on: db).0
            }
        }
        guard let rumourID else { return }
        _ = try await RumourRecords.setStatus(rumourID, to: .verifying, expected: .reported, note: nil, by: officer, at: first.addingTimeInterval(900), on: db)
        _ = try await RumourRecords.addEvidence(rumourID: rumourID, kind: .officialSource, text: "街道物资台账：到货 1,200 份，已全部发放到户，可查",
                                                url: nil, by: officer, at: first.addingTimeInterval(1_800), on: db)
        _ = try await RumourRecords.setStatus(rumourID, to: .false, expected: .verifying, note: "物资台账和发放签收单可查", by: officer,
                                              at: first.addingTimeInterval(2_400), on: db)
        let correction = try await RumourRecords.createCorrection(
            rumourID: rumourID, title: "关于“居委会私分救济物资”的说明",
            body: "近日，居民群里流传“居委会把政府发的救济物资全部私分了”。经核实，此说法不实。街道下发的 1,200 份物资已全部发放到户，台账和签收单可查。请大家不信谣、不传谣，以官方发布为准。",
            source: "\(committee.name)", by: officer, at: first.addingTimeInterval(3_600), district: compound.districtID, on: db)
        _ = try await RumourRecords.setCorrection(correction, to: .approved, expected: .draft, by: staff, at: first.addingTimeInterval(4_500), on: db)
        let published = first.addingTimeInterval(85 * 60)
        _ = try await RumourRecords.setCorrection(correction, to: .published, expected: .approved, by: staff, at: published, on: db)
        try await RumourRecords.markCorrected(rumourID, at: published, on: db)
        _ = try await RumourRecords.tellReporters(rumourID, text: Catalogue.text("rumour.told.corrected", .default, ["title": "关于“居委会私分救济物资”的说明",
                                                                                                                    "link": "/corrections/\(correction)"]),
                                                  at: published, on: db)

        // 75 minutes ago, still open: the clock passed it to the sub-district at 60 minutes.
        let reportedAt = now.addingTimeInterval(-75 * 60)
        let report = RumourRecords.NewReport(text: open, link: nil, normalizedHash: RumourFingerprint(open).hash, chatGroupID: group, seenPlace: building,
                                             seenAt: reportedAt, reportedBy: leader, imageFile: nil, imageType: nil)
        let (openID, _) = try await RumourRecords.createRumour(with: report, owner: committee.id, now: reportedAt, suggested: nil, on: db)
        _ = try await RumourRecords.escalate(openID, to: 1, owner: subdistrict.id, expected: 0, on: db)
        if let due = RumourClock.nextEscalation(firstReportedAt: reportedAt, level: 1) {
            _ = try await JobRecords.enqueue(kind: "rumour.deadline", payload: "\(openID)", runAt: due, dedupeKey: "rumour:\(openID):2", at: now, on: db)
        }
    }
}
