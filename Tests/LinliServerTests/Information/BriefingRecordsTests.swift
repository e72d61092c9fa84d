import Foundation
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("A briefing's figures: a demo compound's day, equal to what its rows say when counted one by one")
struct BriefingRecordsTests {
    /// 2022-04-15 10:00 in Shanghai.
    static let now = Date(timeIntervalSince1970: 1_649_988_000)

    static func shanghaiDay(_ daysBack: Int) -> (label: String, start: Date, end: Date) {
        // Shanghai midnight is 16:00 UTC the evening before.
        let todayStart = Date(timeIntervalSince1970: 1_649_952_000)
        let start = todayStart.addingTimeInterval(Double(-daysBack) * 86_400)
        return (label(start), start, start.addingTimeInterval(86_400))
    }

    static func label(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .gmt
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    @Test("yesterday and the day before: requests filed, done and overdue, medicine, relief, survey and the week, against the rows", arguments: TestEngine.available)
    func demoCompound(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let demo = try await DemoSeeder.seed(store: store, householdCodeKey: TestApp.householdCodeKey, scale: .compound, now: Self.now, passwords: TestApp.passwords)
            let lead = try #require(demo.generator.accounts.first { $0.role == .compoundLead })
            try await store.read { db in
                let compound = try #require(try await DirectoryRecords.place(id: lead.placeID, on: db))
                let range = compound.path.descendantRange
                let rows = try await db.raw("""
                    SELECT created_at, closed_at, status, accept_by, done_by FROM requests WHERE path > \(bind: range.after) AND path < \(bind: range.before)
                    """).all()
                let households = try await db.raw("SELECT COUNT(*) AS n FROM households WHERE path > \(bind: range.after) AND path < \(bind: range.before)")
                    .first()?.decode(column: "n", as: Int.self)
                var reliefDays: [Int] = []
                for daysBack in [1, 2] {
                    let day = Self.shanghaiDay(daysBack)
                    let week = (0..<7).reversed().map { Self.shanghaiDay(daysBack + $0) }
                    let briefingDay = BriefingDay(containing: Self.now).before(daysBack)
                    #expect(briefingDay.label == day.label && briefingDay.start == day.start && briefingDay.end == day.end)
                    #expect(briefingDay.week.map(\.label) == week.map(\.label) && briefingDay.week.map(\.start) == week.map(\.start))
                    let figures = try await BriefingRecords.figures(place: compound, day: briefingDay, on: db)
                    let (from, to) = (day.start.millisecondsSince1970, day.end.millisecondsSince1970)
                    var filed = 0, done = 0, overdue = 0
                    for row in rows {
                        let created = try row.decode(column: "created_at", as: Int64.self)
                        let status = try row.decode(column: "status", as: String.self)
                        if created >= from && created < to { filed += 1 }
                        if status == "done", let closed = try row.decode(column: "closed_at", as: Int64?.self), closed >= from && closed < to { done += 1 }
                        let acceptBy = try row.decode(column: "accept_by", as: Int64.self)
                        let doneBy = try row.decode(column: "done_by", as: Int64.self)
                        let late = status == "new" ? acceptBy < to : ["accepted", "in_progress"].contains(status) && doneBy < to
                        if created < to && late { overdue += 1 }
                    }
                    #expect(filed > 0, "the demo's history files requests every day")
                    #expect(figures.requestsFiled == filed && figures.requestsDone == done && figures.requestsOverdue == overdue, "\(day.label): \(figures)")
                    #expect(figures.week.count == 7 && figures.week.last?.filed == filed && figures.week.last?.day == day.label)
                    #expect(figures.medicineHouseholds != nil, "the demo compound runs medicine")
                    #expect(figures.surveyHouseholds == households && (figures.surveyVisited ?? -1) >= 0)
                    reliefDays.append(try #require(figures.reliefHouseholds))
                    #expect(!BriefingDraft.lines(figures, .zhHans).isEmpty)
                }
                // The demo's relief went out two days before `now`, to every household.
                #expect(reliefDays == [0, households])
            }
        }
    }
}
