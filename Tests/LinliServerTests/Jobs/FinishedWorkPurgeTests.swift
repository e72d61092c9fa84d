import Foundation
import LinliCore
@testable import LinliServer
@testable import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Finished work is purged: old done jobs and delivered notifications go, everything else stays")
struct FinishedWorkPurgeTests {
    static let now = Date(timeIntervalSince1970: 1_700_000_000)

    @Test("the hourly purge deletes jobs done over a week ago and notifications delivered over 30 days ago; jobs not done, recent work and dead letters stay", arguments: TestEngine.available)
    func purge(engine: TestEngine) async throws {
        try await TestApp.run(engine, now: { Self.now }) { app, _ in
            let store = app.store
            let place = try #require(app.demo.households.first).id
            let day: TimeInterval = 86_400
            let kept = try await store.write { db -> (jobs: [JobID], notifications: [NotificationID]) in
                let target = try await NotifyRecords.addTarget(try WebhookTarget(kind: "wecom", url: "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=probe", secret: nil), placeID: place, at: Self.now, on: db)
                func job(_ name: String, doneDaysAgo: Double?) async throws -> JobID {
                    let id = try #require(try await JobRecords.enqueue(kind: "probe", payload: name, runAt: Self.now.addingTimeInterval(-40 * day), at: Self.now.addingTimeInterval(-40 * day), on: db))
                    if let doneDaysAgo {
                        try await db.raw("UPDATE jobs SET done_at = \(bind: Self.now.addingTimeInterval(-doneDaysAgo * day).millisecondsSince1970) WHERE id = \(bind: id)").run()
                    }
                    return id
                }
                func notification(_ status: String, deliveredDaysAgo: Double?) async throws -> NotificationID {
                    try #require(try await db.raw("""
                        INSERT INTO notifications (target_id, message, status, created_at, delivered_at)
                        VALUES (\(bind: target), '{}', \(bind: status), \(bind: Self.now.addingTimeInterval(-40 * day).millisecondsSince1970), \(bind: deliveredDaysAgo.map { Self.now.addingTimeInterval(-$0 * day).millisecondsSince1970 }))
                        RETURNING id
                        """).first()?.decode(column: "id", as: NotificationID.self))
                }
                _ = try await job("done 8 days ago", doneDaysAgo: 8)
                let jobs = [try await job("done 6 days ago", doneDaysAgo: 6), try await job("never done", doneDaysAgo: nil)]
                _ = try await notification("delivered", deliveredDaysAgo: 31)
                let notifications = [
                    try await notification("delivered", deliveredDaysAgo: 29),
                    try await notification("dead", deliveredDaysAgo: nil),
                    try await notification("pending", deliveredDaysAgo: nil),
                ]
                return (jobs, notifications)
            }
            let purge = FinishedWorkPurge(services: app.services)
            try await purge.handler.run(Job(id: 0, kind: FinishedWorkPurge.jobKind, dedupeKey: nil, payload: "", runAt: Self.now, attempts: 1, leaseOwner: nil, leaseUntil: nil))
            let (jobs, notifications) = try await store.read { db in
                (try await db.raw("SELECT id FROM jobs WHERE kind = 'probe' ORDER BY id").all().map { try $0.decode(column: "id", as: JobID.self) },
                 try await db.raw("SELECT id FROM notifications WHERE message = '{}' ORDER BY id").all().map { try $0.decode(column: "id", as: NotificationID.self) })
            }
            #expect(jobs == kept.jobs)
            #expect(notifications == kept.notifications)
            #expect(jobHandlers(services: app.services).contains { $0.kind == FinishedWorkPurge.jobKind && $0.interval == 3600 })
        }
    }

    @Test("deleting in steps stops at the first step that deletes fewer rows than it may")
    func steps() async throws {
        let remaining = Counter(FinishedWorkPurge.rowsPerTransaction * 2 + 3)
        let total = try await FinishedWorkPurge.deleteInSteps { limit in remaining.take(limit) }
        #expect(total == FinishedWorkPurge.rowsPerTransaction * 2 + 3)
        #expect(remaining.calls == 3)
    }
}

/// Rows left to delete, handed out a step at a time.
private final class Counter: @unchecked Sendable {
    private var left: Int
    private(set) var calls = 0
    init(_ rows: Int) { left = rows }
    func take(_ limit: Int) -> Int {
        calls += 1
        let taken = min(left, limit)
        left -= taken
        return taken
    }
}
