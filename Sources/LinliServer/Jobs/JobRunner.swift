import Foundation
import LinliStore
import Logging
import ServiceLifecycle

/// What a job of one kind does. Handlers must be idempotent: a job whose worker died after doing
/// the work but before marking it done is run again by another worker once the lease expires.
public struct JobHandler: Sendable {
    public let kind: String
    /// For work that recurs rather than being scheduled by a change (purging what expired): the
    /// runner keeps a job of this kind due once in every such interval.
    public let interval: TimeInterval?
    public let run: @Sendable (Job) async throws -> Void

    public init(kind: String, every interval: TimeInterval? = nil, run: @escaping @Sendable (Job) async throws -> Void) {
        self.kind = kind
        self.interval = interval
        self.run = run
    }
}

/// Claims due jobs from the database and runs them, as a service beside the HTTP server. The
/// timers live in the jobs table, not in memory, so a restart loses none. Every node runs one;
/// leases keep them from running the same job twice (docs/ARCHITECTURE.md, "Jobs").
public struct JobRunner: Service {
    public let store: Store
    /// This worker's name in the leases: host and process, so a person can tell who held a job.
    public let owner: String
    public let handlers: [String: JobHandler]
    public let now: @Sendable () -> Date
    public let lease: TimeInterval
    public let batchSize: Int
    public let pollInterval: Duration
    let logger: Logger

    public init(store: Store, owner: String = JobRunner.defaultOwner, handlers: [JobHandler], now: @escaping @Sendable () -> Date = { Date() }, lease: TimeInterval = 60, batchSize: Int = 20, pollInterval: Duration = .seconds(1), logger: Logger = Logger(label: "linli.jobs")) {
        self.store = store
        self.owner = owner
        self.handlers = Dictionary(handlers.map { ($0.kind, $0) }, uniquingKeysWith: { first, _ in first })
        self.now = now
        self.lease = lease
        self.batchSize = batchSize
        self.pollInterval = pollInterval
        self.logger = logger
    }

    public static var defaultOwner: String {
        "\(ProcessInfo.processInfo.hostName):\(ProcessInfo.processInfo.processIdentifier)"
    }

    public func run() async throws {
        do {
            try await scheduleRecurringJobs()
        } catch {
            logger.error("cannot schedule recurring jobs", metadata: ["error": "\(error)"])
        }
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                if try await runDueJobs() == 0 {
                    try? await Task.sleep(for: pollInterval)
                }
            } catch {
                logger.error("job runner", metadata: ["error": "\(error)"])
                try? await Task.sleep(for: pollInterval)
            }
        }
    }

    /// Claims and runs one batch of due jobs; returns how many were claimed. Tests call this
    /// directly with a driven clock.
    @discardableResult
    public func runDueJobs() async throws -> Int {
        let kinds = Array(handlers.keys)
        guard !kinds.isEmpty else { return 0 }
        let (owner, lease, batchSize, engine, claimedAt) = (self.owner, self.lease, self.batchSize, store.engine, now())
        let jobs = try await store.write { db in
            try await JobRecords.claim(owner: owner, now: claimedAt, lease: lease, limit: batchSize, kinds: kinds, engine: engine, on: db)
        }
        for job in jobs {
            guard let handler = handlers[job.kind] else { continue }
            do {
                try await handler.run(job)
                let doneAt = now()
                let completed = try await store.write { db in try await JobRecords.complete(job.id, owner: owner, at: doneAt, on: db) }
                if !completed {
                    logger.warning("lease lost before the job was marked done", metadata: ["job": "\(job.id)", "kind": "\(job.kind)"])
                }
            } catch {
                let retryAt = now().addingTimeInterval(Self.backoff(attempt: job.attempts))
                let message = String(describing: error)
                _ = try await store.write { db in try await JobRecords.release(job.id, owner: owner, retryAt: retryAt, error: message, on: db) }
                logger.warning("job failed; will retry", metadata: ["job": "\(job.id)", "kind": "\(job.kind)", "attempt": "\(job.attempts)", "error": "\(message)"])
            }
            if handler.interval != nil {
                // The next interval's job, whatever became of this one.
                do {
                    try await scheduleRecurringJobs()
                } catch {
                    logger.error("cannot schedule recurring jobs", metadata: ["error": "\(error)"])
                }
            }
        }
        return jobs.count
    }

    /// Puts the jobs of the current and the next interval of every recurring kind in the table.
    /// Each is named by its kind and interval number (the dedupe key), so nodes that start
    /// together, a restart, or a run after a job was done add nothing twice: one job per interval
    /// for the whole deployment.
    public func scheduleRecurringJobs() async throws {
        let now = now()
        let jobs = handlers.values.flatMap { handler -> [(kind: String, payload: String, runAt: Date, dedupeKey: String?)] in
            guard let interval = handler.interval, interval > 0 else { return [] }
            let current = (now.timeIntervalSince1970 / interval).rounded(.down)
            return [current, current + 1].map { slot in
                (handler.kind, "", Date(timeIntervalSince1970: slot * interval), "\(handler.kind):\(Int64(slot))")
            }
        }
        guard !jobs.isEmpty else { return }
        try await store.write { db in try await JobRecords.enqueue(jobs, at: now, on: db) }
    }

    /// Exponential backoff: 10 s, 20 s, 40 s … capped at one hour.
    public static func backoff(attempt: Int) -> TimeInterval {
        min(3600, 10 * pow(2, Double(max(0, attempt - 1))))
    }
}
