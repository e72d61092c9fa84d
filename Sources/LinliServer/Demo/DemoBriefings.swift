import Foundation
import LinliCore
import LinliStore
import SQLKit

/// The demo compound's briefing of yesterday, drafted from the demo's own history, with a line
/// the committee added, and published by committee staff this morning. Written through the
/// records the server's own paths use.
enum DemoBriefings {
    static let addedLine = "明天上午 9 点在 3 号楼前继续核酸检测，请带好手机。感谢各位志愿者！"

    static func write(generator: DemoGenerator, users: [DemoAccount: UserID], now: Date, on db: any SQLDatabase) async throws {
        guard let lead = generator.accounts.first(where: { $0.role == .compoundLead }),
              let staffAccount = generator.accounts.first(where: { $0.role == .committeeStaff }), let staff = users[staffAccount],
              let compound = try await DirectoryRecords.place(id: lead.placeID, on: db) else { return }
        let today = BriefingDay(containing: now)
        let yesterday = today.before(1)
        let figures = try await BriefingRecords.figures(place: compound, day: yesterday, on: db)
        // Drafted at six by the morning job and published at half past eight, or an hour ago
        // when the demo is started earlier in the morning than that.
        let drafted = max(yesterday.end, min(now.addingTimeInterval(-7_200), today.start.addingTimeInterval(6 * 3_600)))
        let published = max(drafted, min(now.addingTimeInterval(-3_600), today.start.addingTimeInterval(8.5 * 3_600)))
        guard let id = try await BriefingRecords.draft(place: compound, figures: figures, text: BriefingRules.draftText(figures), at: drafted, replacing: false, on: db)
        else { return }
        _ = try await BriefingRecords.setText(id, text: BriefingRules.draftText(figures) + "\n" + addedLine, by: staff, at: published, on: db)
        _ = try await BriefingRecords.publish(id, by: staff, at: published, on: db)
    }
}
