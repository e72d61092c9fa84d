import Foundation
import SQLKit

/// How fast a counter lets attempts through: `free` attempts, then each further one only after a
/// wait since the one before that grows by `step` each time (one minute, two, three …) up to
/// `longestWait`. A counter that sees no attempt for `quiet` starts over.
public struct GuessPace: Sendable, Equatable {
    public var free: Int
    public var step: TimeInterval
    public var longestWait: TimeInterval
    public var quiet: TimeInterval

    public init(free: Int, step: TimeInterval = 60, longestWait: TimeInterval = 15 * 60, quiet: TimeInterval = 30 * 60) {
        self.free = free
        self.step = step
        self.longestWait = longestWait
        // A counter must outlive its longest wait, or waiting would wipe the count.
        self.quiet = max(quiet, longestWait + step)
    }

    /// The wait after the `attempts`-th attempt before the next one counts.
    public func wait(after attempts: Int) -> TimeInterval {
        guard attempts >= free else { return 0 }
        let extra = attempts.subtractingReportingOverflow(free).partialValue
        return min(longestWait, step * Double(extra.addingReportingOverflow(1).partialValue))
    }
}

/// Attempts at secrets (passwords, household codes) counted in the database, so every node sees
/// the same counts and a restart forgets none. An attempt is counted before its secret is
/// checked, so guesses sent in parallel cannot all slip under a limit; one that succeeds is taken
/// back.
public enum GuessRecords {
    public enum Outcome: Sendable, Equatable {
        /// Counted: the counter's attempts including this one.
        case counted(attempts: Int)
        /// Not counted: the counter lets the next attempt through at this time.
        case wait(until: Date)
    }

    /// Counts an attempt on `counter` if its pace allows one now. One statement, an upsert that
    /// increments and returns, so two nodes counting at once each see the other's attempt (on
    /// PostgreSQL the conflicting row is locked and the condition read again; SQLite has one
    /// writer).
    public static func count(_ counter: String, pace: GuessPace, now: Date, on db: any SQLDatabase) async throws -> Outcome {
        let nowMS = now.millisecondsSince1970
        let step = Int64(pace.step * 1000)
        let longest = Int64(pace.longestWait * 1000)
        let row = try await increment(counter, quiet: pace.quiet, now: now, onlyWhere: """
            WHERE guess_counters.expires_at <= \(bind: nowMS)
               OR guess_counters.attempts < \(bind: pace.free)
               OR guess_counters.last_at + CASE
                      WHEN (guess_counters.attempts - \(bind: pace.free) + 1) * \(bind: step) < \(bind: longest)
                      THEN (guess_counters.attempts - \(bind: pace.free) + 1) * \(bind: step)
                      ELSE \(bind: longest) END <= \(bind: nowMS)
            """, on: db)
        if let row { return .counted(attempts: try row.decode(column: "attempts", as: Int.self)) }
        // Refused: read when the next attempt may come, for Retry-After.
        let current = try await db.raw("SELECT attempts, last_at FROM guess_counters WHERE counter = \(bind: counter)").first()
        guard let current else { return .wait(until: now.addingTimeInterval(pace.step)) }
        let attempts = try current.decode(column: "attempts", as: Int.self)
        let lastAt = Date(millisecondsSince1970: try current.decode(column: "last_at", as: Int64.self))
        return .wait(until: max(now, lastAt.addingTimeInterval(pace.wait(after: attempts))))
    }

    /// Counts an attempt on `counter` whatever its count; returns the count including it. For a
    /// target's count, which must never refuse: it only tells how hard the target is tried.
    public static func tally(_ counter: String, quiet: TimeInterval, now: Date, on db: any SQLDatabase) async throws -> Int {
        let row = try await increment(counter, quiet: quiet, now: now, onlyWhere: "", on: db)
        return try row?.decode(column: "attempts", as: Int.self) ?? 1
    }

    /// Adds one to `counter` (starting over once it has been quiet), if the existing row meets
    /// `condition`; returns the row counted, or nil when the condition held it back.
    private static func increment(_ counter: String, quiet: TimeInterval, now: Date, onlyWhere condition: SQLQueryString, on db: any SQLDatabase) async throws -> (any SQLRow)? {
        let nowMS = now.millisecondsSince1970
        let expires = now.addingTimeInterval(quiet).millisecondsSince1970
        let upsert: SQLQueryString = """
            INSERT INTO guess_counters (counter, attempts, last_at, expires_at) VALUES (\(bind: counter), 1, \(bind: nowMS), \(bind: expires))
            ON CONFLICT (counter) DO UPDATE SET
                attempts = CASE WHEN guess_counters.expires_at <= \(bind: nowMS) THEN 1 ELSE guess_counters.attempts + 1 END,
                last_at = \(bind: nowMS),
                expires_at = \(bind: expires)

            """
        return try await db.raw(upsert + condition + " RETURNING attempts").first()
    }

    /// Takes back an attempt that turned out right.
    public static func uncount(_ counter: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE guess_counters SET attempts = attempts - 1 WHERE counter = \(bind: counter) AND attempts > 0").run()
    }

    public static func clear(_ counter: String, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM guess_counters WHERE counter = \(bind: counter)").run()
    }

    /// Deletes counters nobody has tried for their quiet time; returns how many.
    public static func deleteExpired(now: Date, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("DELETE FROM guess_counters WHERE expires_at <= \(bind: now.millisecondsSince1970) RETURNING counter").all().count
    }
}
