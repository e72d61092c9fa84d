import Foundation
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

/// A clock the test moves by hand.
final class ManualClock: @unchecked Sendable {
    private let lock = NSLock()
    private var current: Date

    init(_ start: Date) { current = start }

    var now: Date { lock.withLock { current } }

    func advance(_ seconds: TimeInterval) { lock.withLock { current = current.addingTimeInterval(seconds) } }
}

/// Counts runs per job id across tasks.
actor RunLog {
    private(set) var runs: [JobID: Int] = [:]
    func record(_ id: JobID) { runs[id, default: 0] += 1 }
}

@Suite("The job runner")
struct JobRunnerTests {
    static let start = Date(timeIntervalSince1970: 1_650_000_000)

    @Test("due jobs run once and are marked done; future jobs wait for their time", arguments: TestEngine.available)
    func runsOnce(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let clock = ManualClock(Self.start)
            let log = RunLog()
            try await store.write { db in
                try await JobRecords.enqueue(kind: "notify", payload: "now", runAt: Self.start, at: Self.start, on: db)
                try await JobRecords.enqueue(kind: "notify", payload: "in an hour", runAt: Self.start.addingTimeInterval(3600), at: Self.start, on: db)
            }
            let runner = JobRunner(store: store, owner: "node-1", handlers: [JobHandler(kind: "notify") { await log.record($0.id) }], now: { clock.now })
            #expect(try await runner.runDueJobs() == 1)
            #expect(try await runner.runDueJobs() == 0)
            clock.advance(3600)
            #expect(try await runner.runDueJobs() == 1)
            #expect(await log.runs.values.sorted() == [1, 1])
        }
    }

    @Test("a failing job is retried with backoff until it succeeds", arguments: [TestEngine.sqlite])
    func retries(engine: TestEngine) async throws {
        struct Unreachable: Error {}
        try await withTestStore(engine) { store in
            let clock = ManualClock(Self.start)
            let log = RunLog()
            try await store.write { db in _ = try await JobRecords.enqueue(kind: "deliver", payload: "x", runAt: Self.start, at: Self.start, on: db) }
            let runner = JobRunner(store: store, owner: "node-1", handlers: [JobHandler(kind: "deliver") { job in
                await log.record(job.id)
                if job.attempts < 3 { throw Unreachable() }
            }], now: { clock.now })
            #expect(try await runner.runDueJobs() == 1)
            clock.advance(5)
            #expect(try await runner.runDueJobs() == 0, "not before the first backoff of 10 s")
            clock.advance(6)
            #expect(try await runner.runDueJobs() == 1)
            clock.advance(21)
            #expect(try await runner.runDueJobs() == 1)
            clock.advance(3600)
            #expect(try await runner.runDueJobs() == 0, "done after the third attempt")
            #expect(await log.runs.values.first == 3)
            #expect(JobRunner.backoff(attempt: 1) == 10 && JobRunner.backoff(attempt: 3) == 40 && JobRunner.backoff(attempt: 30) == 3600)
        }
    }

    @Test("two nodes running at once run every job exactly once", arguments: TestEngine.available)
    func twoNodes(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let log = RunLog()
            try await store.write { db in
                for index in 0..<40 { try await JobRecords.enqueue(kind: "escalate", payload: "\(index)", runAt: Self.start, at: Self.start, on: db) }
            }
            let handler = JobHandler(kind: "escalate") { await log.record($0.id) }
            let nodes = ["node-1", "node-2"].map { JobRunner(store: store, owner: $0, handlers: [handler], now: { Self.start }, batchSize: 3) }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for node in nodes {
                    group.addTask { while try await node.runDueJobs() > 0 {} }
                }
                try await group.waitForAll()
            }
            let runs = await log.runs
            #expect(runs.count == 40)
            #expect(runs.values.allSatisfy { $0 == 1 })
        }
    }

    @Test("a job held by a node that died is run by another node once the lease expires", arguments: TestEngine.available)
    func takeOver(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            let clock = ManualClock(Self.start)
            let log = RunLog()
            try await store.write { db in _ = try await JobRecords.enqueue(kind: "escalate", payload: "x", runAt: Self.start, at: Self.start, on: db) }
            // node-1 claims the job and dies before finishing it.
            _ = try await store.write { db in try await JobRecords.claim(owner: "node-1", now: Self.start, lease: 60, limit: 1, engine: store.engine, on: db) }
            let survivor = JobRunner(store: store, owner: "node-2", handlers: [JobHandler(kind: "escalate") { await log.record($0.id) }], now: { clock.now }, lease: 60)
            #expect(try await survivor.runDueJobs() == 0, "the lease still holds")
            clock.advance(61)
            #expect(try await survivor.runDueJobs() == 1)
            #expect(await log.runs.values.first == 1)
        }
    }
}
