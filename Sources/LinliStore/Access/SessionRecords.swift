import Foundation
import LinliCore
import SQLKit

public enum SessionKind: String, Sendable {
    /// A browser session (cookie) of a user.
    case web
    /// A bearer token of a user, for the JSON API.
    case api
    /// A session opened with a household code: sees and does only that household's things.
    case household
}

public struct Session: Sendable, Hashable {
    public var kind: SessionKind
    public var userID: UserID?
    public var householdID: PlaceID?
    public var csrfToken: String
    public var expiresAt: Date

    public init(kind: SessionKind, userID: UserID?, householdID: PlaceID?, csrfToken: String, expiresAt: Date) {
        self.kind = kind
        self.userID = userID
        self.householdID = householdID
        self.csrfToken = csrfToken
        self.expiresAt = expiresAt
    }
}

public enum SessionRecords {
    public static func insert(tokenHash: String, session: Session, at time: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO sessions (token_hash, kind, user_id, household_id, csrf_token, created_at, expires_at)
            VALUES (\(bind: tokenHash), \(bind: session.kind.rawValue), \(bind: session.userID), \(bind: session.householdID),
                    \(bind: session.csrfToken), \(bind: time.millisecondsSince1970), \(bind: session.expiresAt.millisecondsSince1970))
            """).run()
    }

    public static func session(tokenHash: String, now: Date, on db: any SQLDatabase) async throws -> Session? {
        let row = try await db.raw("""
            SELECT kind, user_id, household_id, csrf_token, expires_at FROM sessions
            WHERE token_hash = \(bind: tokenHash) AND expires_at > \(bind: now.millisecondsSince1970)
            """).first()
        guard let row, let kind = SessionKind(rawValue: try row.decode(column: "kind", as: String.self)) else { return nil }
        return Session(
            kind: kind,
            userID: try row.decode(column: "user_id", as: UserID?.self),
            householdID: try row.decode(column: "household_id", as: PlaceID?.self),
            csrfToken: try row.decode(column: "csrf_token", as: String.self),
            expiresAt: Date(millisecondsSince1970: try row.decode(column: "expires_at", as: Int64.self))
        )
    }

    public static func delete(tokenHash: String, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM sessions WHERE token_hash = \(bind: tokenHash)").run()
    }

    /// A rotated household code must lock out everyone who opened the household with the old one.
    public static func deleteHouseholdSessions(householdID: PlaceID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM sessions WHERE household_id = \(bind: householdID)").run()
    }

    public static func deleteUserSessions(userID: UserID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM sessions WHERE user_id = \(bind: userID)").run()
    }

    /// Sessions past their expiry open nothing (`session(tokenHash:now:)` skips them); this
    /// deletes them so the table does not grow for ever. Returns how many.
    public static func deleteExpired(now: Date, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("DELETE FROM sessions WHERE expires_at <= \(bind: now.millisecondsSince1970) RETURNING token_hash").all().count
    }
}
