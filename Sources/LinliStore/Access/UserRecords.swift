import Foundation
import LinliCore
import SQLKit

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
