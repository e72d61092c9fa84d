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

public enum UserRecords {
    public static func insert(phone: String, name: String, passwordHash: String, at time: Date, on db: any SQLDatabase) async throws -> UserID {
        let row = try await db.raw("""
            INSERT INTO users (phone, name, password_hash, created_at)
            VALUES (\(bind: phone), \(bind: name), \(bind: passwordHash), \(bind: time.millisecondsSince1970)) RETURNING id
            """).first()
        guard let row else { throw StoreError.conflict("user insert returned nothing") }
        return try row.decode(column: "id", as: UserID.self)
    }

    /// Phones are stored as typed minus spaces and dashes ("138 0000-0001" → "13800000001").
    public static func normalizedPhone(_ phone: String) -> String {
        phone.filter { !$0.isWhitespace && $0 != "-" }
    }

    public static func user(phone: String, on db: any SQLDatabase) async throws -> User? {
        try await db.raw("SELECT id, phone, name, password_hash FROM users WHERE phone = \(bind: phone)").first().map(decodeUser)
    }

    public static func user(id: UserID, on db: any SQLDatabase) async throws -> User? {
        try await db.raw("SELECT id, phone, name, password_hash FROM users WHERE id = \(bind: id)").first().map(decodeUser)
    }

    public static func count(on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT COUNT(*) AS n FROM users").first()?.decode(column: "n", as: Int.self) ?? 0
    }

    public static func setPassword(userID: UserID, passwordHash: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE users SET password_hash = \(bind: passwordHash) WHERE id = \(bind: userID)").run()
    }

    public static func roles(userID: UserID, on db: any SQLDatabase) async throws -> [RoleAssignment] {
        try await db.raw("SELECT role, place_id, path FROM role_assignments WHERE user_id = \(bind: userID) ORDER BY id").all().compactMap { row in
            guard let role = RoleKind(rawValue: try row.decode(column: "role", as: String.self)) else { return nil }
            return RoleAssignment(role: role, placeID: try row.decode(column: "place_id", as: PlaceID.self), path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)))
        }
    }

    public static func grant(_ role: RoleKind, at place: Place, to userID: UserID, on db: any SQLDatabase) async throws {
        let existing = try await db.raw("SELECT id FROM role_assignments WHERE user_id = \(bind: userID) AND role = \(bind: role.rawValue) AND place_id = \(bind: place.id)").first()
        guard existing == nil else { return }
        try await db.raw("INSERT INTO role_assignments (user_id, role, place_id, path) VALUES (\(bind: userID), \(bind: role.rawValue), \(bind: place.id), \(bind: place.path.rawValue))").run()
    }

    public static func revoke(_ role: RoleKind, at placeID: PlaceID, from userID: UserID, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM role_assignments WHERE user_id = \(bind: userID) AND role = \(bind: role.rawValue) AND place_id = \(bind: placeID)").run()
    }

    static func decodeUser(_ row: any SQLRow) throws -> User {
        User(
            id: try row.decode(column: "id", as: UserID.self),
            phone: try row.decode(column: "phone", as: String.self),
            name: try row.decode(column: "name", as: String.self),
            passwordHash: try row.decode(column: "password_hash", as: String.self)
        )
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

/// One line of the append-only audit log: who did or read what, when, with before and after.
public struct AuditEntry: Sendable, Hashable, Codable {
    public var at: Date
    public var actor: String
    public var action: String
    public var entity: String
    public var entityID: String?
    public var path: String?
    public var before: String?
    public var after: String?
    /// The HTTP request that did it (its `X-Request-ID`); the column is `request_id`.
    public var traceID: String?

    public init(at: Date, actor: String, action: String, entity: String, entityID: String? = nil, path: String? = nil, before: String? = nil, after: String? = nil, traceID: String? = nil) {
        self.at = at
        self.actor = actor
        self.action = action
        self.entity = entity
        self.entityID = entityID
        self.path = path
        self.before = before
        self.after = after
        self.traceID = traceID
    }
}

public enum AuditRecords {
    public static func append(_ entries: [AuditEntry], on db: any SQLDatabase) async throws {
        try await db.insertRows(
            into: "audit_log",
            columns: ["at", "actor", "action", "entity", "entity_id", "path", "before_json", "after_json", "request_id"],
            rows: entries.map { [$0.at.millisecondsSince1970, $0.actor, $0.action, $0.entity, $0.entityID, $0.path, $0.before, $0.after, $0.traceID] }
        )
    }

    public static func entries(entity: String? = nil, entityID: String? = nil, action: String? = nil, limit: Int = 100, on db: any SQLDatabase) async throws -> [AuditEntry] {
        var sql: SQLQueryString = "SELECT at, actor, action, entity, entity_id, path, before_json, after_json, request_id FROM audit_log WHERE 1 = 1"
        if let entity { sql += " AND entity = \(bind: entity)" }
        if let entityID { sql += " AND entity_id = \(bind: entityID)" }
        if let action { sql += " AND action = \(bind: action)" }
        sql += " ORDER BY id DESC LIMIT \(bind: limit)"
        return try await db.raw(sql).all().map { row in
            AuditEntry(
                at: Date(millisecondsSince1970: try row.decode(column: "at", as: Int64.self)),
                actor: try row.decode(column: "actor", as: String.self),
                action: try row.decode(column: "action", as: String.self),
                entity: try row.decode(column: "entity", as: String.self),
                entityID: try row.decode(column: "entity_id", as: String?.self),
                path: try row.decode(column: "path", as: String?.self),
                before: try row.decode(column: "before_json", as: String?.self),
                after: try row.decode(column: "after_json", as: String?.self),
                traceID: try row.decode(column: "request_id", as: String?.self)
            )
        }
    }
}

/// What an export's audit entry records: how many residents, how many of them with sensitive notes.
public struct ExportAuditSummary: Codable, Sendable {
    public var rows: Int
    public var sensitiveResidents: Int
    public var via: String

    public init(rows: Int, sensitiveResidents: Int, via: String) {
        self.rows = rows
        self.sensitiveResidents = sensitiveResidents
        self.via = via
    }

    enum CodingKeys: String, CodingKey { case rows, sensitiveResidents = "sensitive_residents", via }

    public var json: String? { RegisterRecords.json(self) }
}
