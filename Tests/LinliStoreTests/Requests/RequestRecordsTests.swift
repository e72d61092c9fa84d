import Foundation
import LinliCore
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Requests in the store")
struct RequestRecordsTests {
    static let now = Date(timeIntervalSince1970: 1_650_000_000)

    static func fileRequest(_ store: Store) async throws -> (StoredRequest, [UserID]) {
        try await store.write { db in
            let tree = try await SmallTree.make(on: db)
            let household = try #require(try await HouseholdRecords.household(id: tree.households[0].id, on: db))
            let users = [
                try await UserRecords.insert(phone: "13900000001", name: "王", passwordHash: "x", at: now, on: db),
                try await UserRecords.insert(phone: "13900000002", name: "李", passwordHash: "x", at: now, on: db),
            ]
            let request = HelpRequest.filed(
                id: 0, householdID: household.id, category: .medicine, urgency: .urgent, description: "降压药快吃完了",
                channel: .householdCode, filedBy: .household(id: household.id), routing: nil, policy: .standard, at: now
            )
            return (try await RequestRecords.insert(request, household: household, on: db), users)
        }
    }

    @Test("a filed request reads back as it was filed, with version 1 and its household's path", arguments: TestEngine.available)
    func roundTrip(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let (stored, _) = try await Self.fileRequest(store)
            let read = try #require(try await store.read { db in try await RequestRecords.request(id: stored.request.id, on: db) })
            #expect(read == stored)
            #expect(read.request.filedBy == .household(id: stored.request.householdID))
            let duplicate = try await store.read { db in try await RequestRecords.openDuplicate(householdID: stored.request.householdID, category: .medicine, on: db) }
            #expect(duplicate?.request.id == stored.request.id)
            #expect(try await store.read { db in try await RequestRecords.openDuplicate(householdID: stored.request.householdID, category: .food, on: db) } == nil)
        }
    }

    @Test("two people accepting the same request at once: exactly one wins", arguments: TestEngine.available)
    func concurrentAccept(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let (stored, users) = try await Self.fileRequest(store)
            // Each reads the request, and none writes before all have read: the race is real.
            let barrier = Barrier(count: users.count)
            let winners = try await withThrowingTaskGroup(of: Bool.self) { group in
                for user in users {
                    group.addTask {
                        let read = try #require(try await store.read { db in try await RequestRecords.request(id: stored.request.id, on: db) })
                        #expect(read.request.status == .new)
                        await barrier.arriveAndWait()
                        let change = try read.request.accept(by: user, at: Self.now.addingTimeInterval(60))
                        return try await store.write { db in try await RequestRecords.apply(change, expectedVersion: read.version, on: db) }
                    }
                }
                return try await group.reduce(into: [Bool]()) { $0.append($1) }
            }
            #expect(winners.count { $0 } == 1 && winners.count == 2)
            let after = try #require(try await store.read { db in try await RequestRecords.request(id: stored.request.id, on: db) })
            #expect(after.version == 2 && after.request.status == .accepted)
            #expect(users.contains { $0 == after.request.ownerUserID })
            let history = try await store.read { db in try await RequestRecords.transitions(requestID: stored.request.id, on: db) }
            #expect(history.map(\.to) == [.accepted])
        }
    }

    @Test("an idempotency key finds the request its first use created", arguments: TestEngine.available)
    func idempotency(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let (stored, _) = try await Self.fileRequest(store)
            try await store.write { db in try await RequestRecords.remember(idempotencyKeys: [("form-123", "household:7", stored.request.id)], at: Self.now, on: db) }
            #expect(try await store.read { db in try await RequestRecords.requestID(idempotencyKey: "form-123", scope: "household:7", on: db) } == stored.request.id)
            #expect(try await store.read { db in try await RequestRecords.requestID(idempotencyKey: "form-123", scope: "household:8", on: db) } == nil)
            // A batch's keys, of several filers at once, in one lookup: a key is its filer's alone.
            try await store.write { db in try await RequestRecords.remember(idempotencyKeys: [("form-9", "household:8", stored.request.id)], at: Self.now, on: db) }
            let found = try await store.read { db in
                try await RequestRecords.requestIDs(idempotencyKeys: [("household:7", "form-123"), ("household:8", "form-123"), ("household:8", "form-9"), ("household:9", "form-9"), ("household:7", "form-123")], on: db)
            }
            #expect(found == [IdempotencyKey(scope: "household:7", key: "form-123"): stored.request.id, IdempotencyKey(scope: "household:8", key: "form-9"): stored.request.id])
            await #expect(throws: (any Error).self) {
                try await store.write { db in try await RequestRecords.remember(idempotencyKeys: [("form-123", "household:7", stored.request.id)], at: Self.now, on: db) }
            }
        }
    }
}
