import Foundation
import LinliCore
import SQLKit

public typealias JobID = ID<Job>

/// A unit of deferred work, leased by one worker at a time.
public struct Job: Sendable, Hashable {
    public var id: JobID
    public var kind: String
    public var dedupeKey: String?
    public var payload: String
    public var runAt: Date
    public var attempts: Int
    public var leaseOwner: String?
    public var leaseUntil: Date?
}

/// The jobs table. Claiming is one UPDATE … RETURNING over the due jobs; on PostgreSQL the inner
/// SELECT uses `FOR UPDATE SKIP LOCKED` so concurrent nodes take disjoint jobs without waiting;
/// on SQLite the single writer already serializes claims.
public enum JobRecords {
    /// Adds a job; with a `dedupeKey` that exists already, adds nothing and returns nil, so the
    /// same deadline can be scheduled twice without running twice.
    @discardableResult
    public static func enqueue(kind: String, payload: String, runAt: Date, dedupeKey: String? = nil, at now: Date, on db: any SQLDatabase) async throws -> JobID? {
        try await db.raw("""
            INSERT INTO jobs (kind, dedupe_key, payload, run_at, created_at)
            VALUES (\(bind: kind), \(bind: dedupeKey), \(bind: payload), \(bind: runAt.millisecondsSince1970), \(bind: now.millisecondsSince1970))
            ON CONFLICT (dedupe_key) DO NOTHING
            RETURNING id
            """).first()?.decode(column: "id", as: JobID.self)
    }

    /// Enqueues several jobs with one statement; a dedupe key already taken is skipped.
    public static func enqueue(_ jobs: [(kind: String, payload: String, runAt: Date, dedupeKey: String?)], at now: Date, on db: any SQLDatabase) async throws {
        try await db.insertRows([rows(jobs, at: now)])
    }

    /// The rows of `jobs`, to enqueue with other tables' rows (`SQLDatabase.insertRows(_:)`).
    public static func rows(_ jobs: [(kind: String, payload: String, runAt: Date, dedupeKey: String?)], at now: Date) -> RowsToInsert {
        RowsToInsert(
            into: "jobs", columns: ["kind", "dedupe_key", "payload", "run_at", "created_at"],
            rows: jobs.map { [$0.kind, $0.dedupeKey, $0.payload, $0.runAt.millisecondsSince1970, now.millisecondsSince1970] },
            conflict: " ON CONFLICT (dedupe_key) DO NOTHING"
        )
    }

    /// Deletes up to `limit` jobs finished before `cutoff`; returns how many. A finished job only
    /// takes up room: what it did is in the rows it changed and in the audit log.
    public static func deleteFinished(before cutoff: Date, limit: Int, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            DELETE FROM jobs WHERE id IN (
              SELECT id FROM jobs WHERE done_at IS NOT NULL AND done_at < \(bind: cutoff.millisecondsSince1970) ORDER BY id LIMIT \(bind: limit)
            ) RETURNING id
            """).all().count
    }

    /// Leases up to `limit` due jobs to `owner` until `now + lease`. A job whose lease has expired
    /// counts as due again: its worker is presumed dead.
    public static func claim(owner: String, now: Date, lease: TimeInterval, limit: Int, kinds: [String]? = nil, engine: DatabaseEngine, on db: any SQLDatabase) async throws -> [Job] {
        var due: SQLQueryString = """
            SELECT id FROM jobs
            WHERE done_at IS NULL AND run_at <= \(bind: now.millisecondsSince1970)
              AND (lease_until IS NULL OR lease_until <= \(bind: now.millisecondsSince1970))
            """
        if let kinds {
            let binds: [any Encodable & Sendable] = kinds
            due += " AND kind IN (\(binds: binds))"
        }
        due += " ORDER BY run_at, id LIMIT \(bind: limit)"
        if engine == .postgres { due += " FOR UPDATE SKIP LOCKED" }
        let until = now.addingTimeInterval(lease).millisecondsSince1970
        let sql: SQLQueryString = """
            UPDATE jobs SET lease_owner = \(bind: owner), lease_until = \(bind: until), attempts = attempts + 1
            WHERE id IN (
            """ + due + """
            ) RETURNING id, kind, dedupe_key, payload, run_at, attempts, lease_owner, lease_until
            """
        return try await db.raw(sql).all().map(decode).sorted { ($0.runAt, $0.id) < ($1.runAt, $1.id) }
    }

    /// Marks a job done, if `owner` still holds its lease. False means the lease was lost (it
    /// expired and another worker took the job): the caller's work must not count.
    public static func complete(_ id: JobID, owner: String, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE jobs SET done_at = \(bind: now.millisecondsSince1970), lease_owner = NULL, lease_until = NULL
            WHERE id = \(bind: id) AND lease_owner = \(bind: owner) AND done_at IS NULL
            RETURNING id
            """).first() != nil
    }

    /// Gives a job back to run again at `retryAt` (after a failure), if `owner` holds its lease.
    public static func release(_ id: JobID, owner: String, retryAt: Date, error: String?, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE jobs SET lease_owner = NULL, lease_until = NULL, run_at = \(bind: retryAt.millisecondsSince1970), last_error = \(bind: error)
            WHERE id = \(bind: id) AND lease_owner = \(bind: owner) AND done_at IS NULL
            RETURNING id
            """).first() != nil
    }

    /// Enqueues jobs each scheduled at its own `createdAt`, in as few statements as the engine
    /// allows; a dedupe key already taken is skipped. For history written after the fact (the
    /// demo's two weeks), where the jobs were scheduled one by one as things happened.
    public static func enqueue(scheduled jobs: [(kind: String, payload: String, runAt: Date, dedupeKey: String?, createdAt: Date)], on db: any SQLDatabase) async throws {
        try await db.insertRows([RowsToInsert(
            into: "jobs", columns: ["kind", "dedupe_key", "payload", "run_at", "created_at"],
            rows: jobs.map { [$0.kind, $0.dedupeKey, $0.payload, $0.runAt.millisecondsSince1970, $0.createdAt.millisecondsSince1970] },
            conflict: " ON CONFLICT (dedupe_key) DO NOTHING"
        )])
    }

    /// Records the jobs of `kinds` that fell due before `cutoff` as run once, `delay` after they
    /// fell due. Only for history written after the fact (the demo's two weeks), where the work
    /// the jobs did is already in the rows: the runner itself marks each job it finishes
    /// (`complete`).
    public static func recordRun(dueBefore cutoff: Date, after delay: TimeInterval, kinds: [String], on db: any SQLDatabase) async throws {
        guard !kinds.isEmpty else { return }
        let binds: [any Encodable & Sendable] = kinds
        try await db.raw("""
            UPDATE jobs SET done_at = run_at + \(bind: Int64(delay * 1_000)), attempts = attempts + 1
            WHERE done_at IS NULL AND run_at < \(bind: cutoff.millisecondsSince1970) AND kind IN (\(binds: binds))
            """).run()
    }

    /// Jobs due now and not done: the backlog `linli doctor` reports.
    public static func dueCount(now: Date, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM jobs WHERE done_at IS NULL AND run_at <= \(bind: now.millisecondsSince1970)").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    static func decode(_ row: any SQLRow) throws -> Job {
        Job(
            id: try row.decode(column: "id", as: JobID.self),
            kind: try row.decode(column: "kind", as: String.self),
            dedupeKey: try row.decode(column: "dedupe_key", as: String?.self),
            payload: try row.decode(column: "payload", as: String.self),
            runAt: Date(millisecondsSince1970: try row.decode(column: "run_at", as: Int64.self)),
            attempts: try row.decode(column: "attempts", as: Int.self),
            leaseOwner: try row.decode(column: "lease_owner", as: String?.self),
            leaseUntil: try row.decode(column: "lease_until", as: Int64?.self).map(Date.init(millisecondsSince1970:))
        )
    }
}
