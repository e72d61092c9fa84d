import Foundation
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Jobs with leases")
struct JobRecordsTests {
    let start = Date(timeIntervalSince1970: 1_650_000_000)

    @Test("a job with a dedupe key is scheduled once however often it is enqueued", arguments: TestEngine.available)
    func dedupe(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let start = self.start
            let first = try await store.write { db in try await JobRecords.enqueue(kind: "escalate", payload: "{}", runAt: start, dedupeKey: "request:7:accept", at: start, on: db) }
            let second = try await store.write { db in try await JobRecords.enqueue(kind: "escalate", payload: "{}", runAt: start, dedupeKey: "request:7:accept", at: start, on: db) }
            #expect(first != nil && second == nil)
            #expect(try await store.read { db in try await JobRecords.dueCount(now: start, on: db) } == 1)
        }
    }

    @Test("only due jobs are claimed, in run order, and a claimed job is not claimed again while leased", arguments: TestEngine.available)
    func claiming(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let start = self.start
            try await store.write { db in
                try await JobRecords.enqueue(kind: "a", payload: "later", runAt: start.addingTimeInterval(600), at: start, on: db)
                try await JobRecords.enqueue(kind: "a", payload: "second", runAt: start.addingTimeInterval(-10), at: start, on: db)
                try await JobRecords.enqueue(kind: "a", payload: "first", runAt: start.addingTimeInterval(-20), at: start, on: db)
                try await JobRecords.enqueue(kind: "b", payload: "other kind", runAt: start.addingTimeInterval(-30), at: start, on: db)
            }
            let claimed = try await store.write { db in try await JobRecords.claim(owner: "node-1", now: start, lease: 30, limit: 10, kinds: ["a"], engine: store.engine, on: db) }
            #expect(claimed.map(\.payload) == ["first", "second"])
            #expect(claimed.allSatisfy { $0.attempts == 1 && $0.leaseOwner == "node-1" })
            let again = try await store.write { db in try await JobRecords.claim(owner: "node-2", now: start.addingTimeInterval(5), lease: 30, limit: 10, kinds: ["a"], engine: store.engine, on: db) }
            #expect(again.isEmpty)
        }
    }

    @Test("an expired lease passes the job to another worker, and the old worker can no longer complete it", arguments: TestEngine.available)
    func leaseExpiry(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let start = self.start
            try await store.write { db in _ = try await JobRecords.enqueue(kind: "deliver", payload: "x", runAt: start, at: start, on: db) }
            let byFirst = try await store.write { db in try await JobRecords.claim(owner: "node-1", now: start, lease: 30, limit: 1, engine: store.engine, on: db) }
            let job = try #require(byFirst.first)
            // node-1 dies; 31 s later node-2 takes over.
            let bySecond = try await store.write { db in try await JobRecords.claim(owner: "node-2", now: start.addingTimeInterval(31), lease: 30, limit: 1, engine: store.engine, on: db) }
            #expect(bySecond.map(\.id) == [job.id])
            #expect(bySecond.first?.attempts == 2)
            #expect(try await store.write { db in try await JobRecords.complete(job.id, owner: "node-1", at: start.addingTimeInterval(32), on: db) } == false)
            #expect(try await store.write { db in try await JobRecords.complete(job.id, owner: "node-2", at: start.addingTimeInterval(33), on: db) } == true)
            let afterDone = try await store.write { db in try await JobRecords.claim(owner: "node-3", now: start.addingTimeInterval(3600), lease: 30, limit: 1, engine: store.engine, on: db) }
            #expect(afterDone.isEmpty)
        }
    }

    @Test("a failed job is given back to run later", arguments: TestEngine.available)
    func retry(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let start = self.start
            try await store.write { db in _ = try await JobRecords.enqueue(kind: "deliver", payload: "x", runAt: start, at: start, on: db) }
            let job = try #require(try await store.write { db in try await JobRecords.claim(owner: "w", now: start, lease: 30, limit: 1, engine: store.engine, on: db) }.first)
            #expect(try await store.write { db in try await JobRecords.release(job.id, owner: "w", retryAt: start.addingTimeInterval(60), error: "HTTP 502", on: db) })
            #expect(try await store.write { db in try await JobRecords.claim(owner: "w", now: start.addingTimeInterval(30), lease: 30, limit: 1, engine: store.engine, on: db) }.isEmpty)
            let retried = try await store.write { db in try await JobRecords.claim(owner: "w", now: start.addingTimeInterval(61), lease: 30, limit: 1, engine: store.engine, on: db) }
            #expect(retried.first?.attempts == 2)
        }
    }

    @Test("workers claiming at the same time never get the same job", arguments: TestEngine.available)
    func concurrentClaims(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let start = self.start
            try await store.write { db in
                for index in 0..<60 { try await JobRecords.enqueue(kind: "k", payload: "\(index)", runAt: start, at: start, on: db) }
            }
            let batches = try await withThrowingTaskGroup(of: [JobID].self) { group in
                for worker in 0..<6 {
                    group.addTask {
                        var mine: [JobID] = []
                        while true {
                            let jobs = try await store.write { db in try await JobRecords.claim(owner: "worker-\(worker)", now: start, lease: 60, limit: 4, engine: store.engine, on: db) }
                            if jobs.isEmpty { return mine }
                            mine += jobs.map(\.id)
                        }
                    }
                }
                return try await group.reduce(into: [[JobID]]()) { $0.append($1) }
            }
            let all = batches.flatMap { $0 }
            #expect(all.count == 60)
            #expect(Set(all).count == 60)
        }
    }
}
