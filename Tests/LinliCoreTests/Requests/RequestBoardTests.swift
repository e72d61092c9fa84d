import Foundation
import LinliCore
import Testing

@Suite("The committee board's figures")
struct RequestBoardTests {
    let shanghai = TimeZone(identifier: "Asia/Shanghai")!
    // 2022-04-10 12:00 in Shanghai.
    let now = Date(timeIntervalSince1970: 1_649_563_200)

    func line(_ status: RequestStatus, _ urgency: Urgency = .normal, filedHoursAgo: Double, doneHoursAgo: Double? = nil) -> RequestBoard.Line {
        let created = now.addingTimeInterval(-filedHoursAgo * 3600)
        return RequestBoard.Line(status: status, urgency: urgency, createdAt: created, closedAt: doneHoursAgo.map { now.addingTimeInterval(-$0 * 3600) }, acceptBy: created.addingTimeInterval(12 * 3600), doneBy: created.addingTimeInterval(48 * 3600))
    }

    @Test("a request escalated for a missed deadline stays late until it is done, though its new deadline lies ahead")
    func escalatedIsLate() {
        var escalated = line(.new, filedHoursAgo: 1)
        escalated.escalationLevel = 2
        var escalatedDone = line(.done, filedHoursAgo: 3, doneHoursAgo: 1)
        escalatedDone.escalationLevel = 1
        #expect(!escalated.isOverdue(at: now) && escalated.isLate(at: now))
        #expect(!escalatedDone.isLate(at: now))
        #expect(!line(.new, filedHoursAgo: 1).isLate(at: now) && line(.new, filedHoursAgo: 13).isLate(at: now))
        #expect(RequestBoard(lines: [escalated, escalatedDone, line(.new, filedHoursAgo: 13)], now: now, dayCount: 3, timeZone: shanghai).overdue == 2)
    }

    @Test("counts by status and urgency, overdue requests, daily volume and the median time to done")
    func figures() {
        let lines = [
            line(.new, .lifeCritical, filedHoursAgo: 1),
            line(.new, filedHoursAgo: 13),            // past its 12 h accept-by
            line(.accepted, .urgent, filedHoursAgo: 50), // past its 48 h done-by
            line(.done, filedHoursAgo: 6, doneHoursAgo: 2),  // 4 h to done, today
            line(.done, filedHoursAgo: 11, doneHoursAgo: 1), // 10 h to done, today
            line(.done, filedHoursAgo: 30, doneHoursAgo: 28), // done yesterday
            line(.cancelled, filedHoursAgo: 3),
        ]
        let board = RequestBoard(lines: lines, now: now, dayCount: 3, timeZone: shanghai)
        #expect(board.byStatus[.new] == 2 && board.byStatus[.done] == 3 && board.byStatus[.cancelled] == 1)
        #expect(board.openByUrgency == [.lifeCritical: 1, .normal: 1, .urgent: 1])
        #expect(board.overdue == 2)
        #expect(board.days.count == 3)
        #expect(board.days.map(\.filed) == [1, 2, 4], "days cut at midnight in Shanghai: 13 h ago was yesterday 23:00")
        #expect(board.days.last?.medianHoursToDone == 7)
        #expect(board.days[1].medianHoursToDone == 2)
    }
}
