import Foundation
import LinliCore
@testable import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

/// The compound demo with its two weeks of requests, written into a fresh database.
@Suite("Demo history in the store: a board with data, full queues, an outbox, the same rows every time")
struct DemoHistorySeedingTests {
    /// 2022-04-12 15:30 in Shanghai: two weeks into the lockdown.
    static let now = Date(timeIntervalSince1970: 1_649_748_600)
    static let shanghai = TimeZone(identifier: "Asia/Shanghai") ?? .current

    static func seed(_ store: Store, now: Date = now) async throws -> DemoSeeder.Outcome {
        try await DemoSeeder.seed(store: store, householdCodeKey: TestApp.householdCodeKey, scale: .compound, now: now, passwords: TestApp.passwords)
    }

    @Test("the board has filings on most of the 14 days, every leader's queue and both printed households have requests, the outbox has a delivery and a dead letter", arguments: TestEngine.available)
    func seeded(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let demo = try await Self.seed(store)
            let summary = try #require(demo.history)
            #expect(summary.requests >= 120 && summary.overdue >= 3 && summary.escalated >= 4 && summary.reopened >= 1)
            #expect(Set(summary.byStatus.keys) == Set(RequestStatus.allCases) && Set(summary.byUrgency.keys) == Set(Urgency.allCases))

            try await store.read { db in
                let city = try #require(try await DirectoryRecords.rootPlaces(on: db).first)
                let rows = try await RequestRecords.boardRows(scopes: [city.path], since: Self.now.addingTimeInterval(-15 * 86_400), on: db)
                let board = RequestBoard(
                    lines: rows.map { RequestBoard.Line(status: $0.status, urgency: $0.urgency, createdAt: $0.createdAt, closedAt: $0.closedAt, acceptBy: $0.acceptBy, doneBy: $0.doneBy) },
                    now: Self.now, timeZone: Self.shanghai
                )
                #expect(board.days.count == 14)
                #expect(board.days.count { $0.filed > 0 } >= 10)
                #expect(board.overdue == summary.overdue)
                // The history's requests, and the medicine runs' (each with its medicine part).
                let medicine = try #require(try await db.raw("SELECT COUNT(*) AS n FROM medicine_requests").first()?.decode(column: "n", as: Int.self))
                #expect(medicine >= 10)
                #expect(board.byStatus.values.reduce(0, +) == summary.requests + medicine)

                // Every demo login's queue, as `/queue` reads it.
                for account in demo.generator.accounts {
                    let user = try #require(try await UserRecords.user(phone: account.phone, on: db))
                    let roles = try await UserRecords.roles(userID: user.id, on: db)
                    let queue = try await RequestRecords.queue(userID: user.id, dutyPlaces: roles.map(\.placeID), on: db)
                    #expect(!queue.isEmpty, "the queue of \(account.role.rawValue) \(account.name) is empty")
                    if account.role == .buildingLeader { #expect(queue.contains { $0.stored.request.ownerUserID == user.id }) }
                }

                for household in demo.households {
                    let requests = try await RequestRecords.forHousehold(household.id, on: db)
                    #expect(requests.count { $0.stored.request.status.isOpen } >= 2)
                    for category in [RequestCategory.medicine, .food] {
                        #expect(try await RequestRecords.openDuplicate(householdID: household.id, category: category, on: db) == nil)
                    }
                }

                let delivered = try await NotifyRecords.notifications(status: "delivered", on: db)
                let dead = try await NotifyRecords.notifications(status: "dead", on: db)
                #expect(!delivered.isEmpty && !dead.isEmpty)
                #expect(delivered.count == summary.notificationsDelivered && dead.count == summary.notificationsDead)
                #expect(dead.allSatisfy { $0.attempts == 1 && ($0.lastError ?? "").contains("310000") })

                // The chain list's lines filed under the keys the chain-list page uses.
                let chainListed = try await db.raw("SELECT COUNT(*) AS n FROM requests WHERE channel = 'chain_list_import'").first()?.decode(column: "n", as: Int.self) ?? 0
                let keys = try await db.raw("SELECT COUNT(*) AS n FROM idempotency_keys WHERE idempotency_key LIKE 'chain:%'").first()?.decode(column: "n", as: Int.self) ?? 0
                #expect(chainListed >= 4 && keys == chainListed)
            }
        }
    }

    @Test("the job runner finds due exactly the overdue requests, escalates each once; nothing is overdue after and every queue still has work", arguments: TestEngine.available)
    func runnerCatchesUp(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let demo = try await Self.seed(store)
            let overdue = try #require(demo.history?.overdue)
            let services = TestApp.services(store: store, now: { Self.now })
            // Deadlines only: the robots' hosts never resolve, and deliveries are not the point here.
            let runner = JobRunner(store: store, owner: "test", handlers: jobHandlers(services: services).filter { $0.kind == RequestEscalation.deadlineJobKind }, now: { Self.now })
            func escalations() async throws -> Int {
                try await store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM request_transitions WHERE kind = 'escalate'").first()?.decode(column: "n", as: Int.self) ?? 0 }
            }
            let before = try await escalations()
            while try await runner.runDueJobs() > 0 {}
            #expect(try await escalations() == before + overdue)
            try await store.read { db in
                let city = try #require(try await DirectoryRecords.rootPlaces(on: db).first)
                let rows = try await RequestRecords.boardRows(scopes: [city.path], since: Self.now.addingTimeInterval(-15 * 86_400), on: db)
                #expect(!rows.contains { RequestBoard.Line(status: $0.status, urgency: $0.urgency, createdAt: $0.createdAt, closedAt: $0.closedAt, acceptBy: $0.acceptBy, doneBy: $0.doneBy).isOverdue(at: Self.now) })
                // A server started on the demo escalates the overdue ones at once: every login still
                // finds work in its queue.
                for account in demo.generator.accounts {
                    let user = try #require(try await UserRecords.user(phone: account.phone, on: db))
                    let roles = try await UserRecords.roles(userID: user.id, on: db)
                    let queue = try await RequestRecords.queue(userID: user.id, dutyPlaces: roles.map(\.placeID), on: db)
                    #expect(!queue.isEmpty, "after the escalations the queue of \(account.role.rawValue) \(account.name) is empty")
                }
                // What is still due is the outbox's deliveries, which this runner does not run.
                let due = try await JobRecords.dueCount(now: Self.now, on: db)
                let pending = try await NotifyRecords.notifications(status: "pending", on: db)
                #expect(due == pending.count)
            }
        }
    }

    @Test("seeding twice with the same seed and now writes the same requests, history, audit and outbox", arguments: TestEngine.available)
    func deterministic(engine: TestEngine) async throws {
        let first = try await withTestStore(engine) { store in
            _ = try await Self.seed(store)
            return try await Self.rows(store)
        }
        let second = try await withTestStore(engine) { store in
            _ = try await Self.seed(store)
            return try await Self.rows(store)
        }
        #expect(first.requests.count >= 120)
        #expect(first.requests == second.requests)
        #expect(first.transitions == second.transitions)
        #expect(first.audit == second.audit)
        #expect(first.notifications == second.notifications)
        let later = try await withTestStore(engine) { store in
            _ = try await Self.seed(store, now: Self.now.addingTimeInterval(86_400))
            return try await Self.rows(store)
        }
        #expect(later.requests != first.requests)
    }

    @Test("the larger scales and a seeding without history file no requests", arguments: TestEngine.available)
    func withoutHistory(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let demo = try await DemoSeeder.seed(store: store, householdCodeKey: TestApp.householdCodeKey, scale: .compound, history: false, now: Self.now, passwords: TestApp.passwords)
            #expect(demo.history == nil)
            let count = try await store.read { db in try await db.raw("SELECT COUNT(*) AS n FROM requests").first()?.decode(column: "n", as: Int.self) ?? -1 }
            #expect(count == 0)
        }
    }

    struct Rows: Sendable {
        var requests: [StoredRequest]
        var transitions: [[RequestTransition]]
        var audit: [AuditEntry]
        var notifications: [StoredNotification]
    }

    static func rows(_ store: Store) async throws -> Rows {
        try await store.read { db in
            let ids = try await db.raw("SELECT id FROM requests ORDER BY id").all().map { try $0.decode(column: "id", as: HelpRequestID.self) }
            var requests: [StoredRequest] = []
            var transitions: [[RequestTransition]] = []
            for id in ids {
                requests.append(try #require(try await RequestRecords.request(id: id, on: db)))
                transitions.append(try await RequestRecords.transitions(requestID: id, on: db))
            }
            let audit = try await AuditRecords.entries(limit: 100_000, on: db)
            let notifications = try await NotifyRecords.notifications(status: "delivered", limit: 10_000, on: db) + NotifyRecords.notifications(status: "dead", limit: 10_000, on: db)
            return Rows(requests: requests, transitions: transitions, audit: audit, notifications: notifications)
        }
    }
}
