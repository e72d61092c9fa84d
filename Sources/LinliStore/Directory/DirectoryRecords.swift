import Foundation
import LinliCore
import SQLKit

/// Rows of the place tree, households, residents, volunteers and teams. Functions take the
/// `SQLDatabase` so callers compose them inside one transaction.
public enum DirectoryRecords {
    public static func insert(places: [Place], on db: any SQLDatabase) async throws {
        try await db.insertRows(
            into: "places",
            columns: ["id", "parent_id", "level", "name", "code", "path", "district_id"],
            rows: places.map { [$0.id, $0.parentID, $0.level.rawValue, $0.name, $0.code, $0.path.rawValue, $0.districtID] }
        )
    }

    public static func insert(households: [Household], on db: any SQLDatabase) async throws {
        try await db.insertRows(
            into: "households",
            columns: ["id", "building_id", "room", "path", "district_id"],
            rows: households.map { [$0.id, $0.buildingID, $0.room, $0.path.rawValue, $0.districtID] }
        )
    }

    public static func insert(residents: [Resident], on db: any SQLDatabase) async throws {
        try await db.insertRows(
            into: "residents",
            columns: ["id", "household_id", "name", "phone", "phone_tail", "birth_year", "gender", "note", "health_note", "disability_note", "path", "district_id"],
            rows: residents.map {
                [$0.id, $0.householdID, $0.name, $0.phone, $0.phone.map(phoneTail), $0.birthYear, $0.gender?.rawValue, $0.note, $0.healthNote, $0.disabilityNote, $0.path.rawValue, $0.districtID]
            }
        )
    }

    public static func insert(volunteers: [Volunteer], on db: any SQLDatabase) async throws {
        try await db.insertRows(
            into: "volunteers",
            columns: ["id", "name", "phone", "force_type", "skills", "place_id", "path", "district_id", "resident_id"],
            rows: volunteers.map { [$0.id, $0.name, $0.phone, $0.forceType.rawValue, $0.skills.joined(separator: ","), $0.placeID, $0.path.rawValue, $0.districtID, $0.residentID] }
        )
    }

    public static func insert(teams: [Team], on db: any SQLDatabase) async throws {
        try await db.insertRows(
            into: "teams",
            columns: ["id", "name", "kind", "place_id", "path", "district_id"],
            rows: teams.map { [$0.id, $0.name, $0.kind.rawValue, $0.placeID, $0.path.rawValue, $0.districtID] }
        )
        try await db.insertRows(
            into: "team_members",
            columns: ["team_id", "volunteer_id"],
            rows: teams.flatMap { team in team.memberIDs.map { [team.id, $0] } }
        )
    }

    /// After rows were inserted with explicit ids, PostgreSQL's identity sequences must move past
    /// them or the next automatic id collides.
    public static func resetIdentitySequences(engine: DatabaseEngine, on db: any SQLDatabase) async throws {
        guard engine == .postgres else { return }
        for table in ["places", "residents", "volunteers", "teams", "users", "role_assignments", "audit_log"] {
            try await db.raw("SELECT setval(pg_get_serial_sequence(\(literal: table), 'id'), GREATEST(1, (SELECT COALESCE(MAX(id), 0) FROM \(ident: table))))").run()
        }
    }

    public static func phoneTail(_ phone: String) -> String { String(phone.suffix(4)) }

    // MARK: Reading

    public static func place(id: PlaceID, on db: any SQLDatabase) async throws -> Place? {
        try await db.raw("SELECT id, parent_id, level, name, code, path, district_id FROM places WHERE id = \(bind: id)")
            .first().map(decodePlace)
    }

    public static func children(of id: PlaceID, on db: any SQLDatabase) async throws -> [PlaceSummary] {
        try await db.raw("""
            SELECT p.id, p.parent_id, p.level, p.name, p.code, p.path, p.district_id,
                   (SELECT COUNT(*) FROM places c WHERE c.parent_id = p.id) AS child_count
            FROM places p WHERE p.parent_id = \(bind: id) ORDER BY p.id
            """).all().map { row in
            PlaceSummary(place: try decodePlace(row), childCount: try row.decode(column: "child_count", as: Int.self))
        }
    }

    /// The places from the root down to `path` (inclusive), for breadcrumbs.
    public static func ancestors(of path: PlacePath, on db: any SQLDatabase) async throws -> [Place] {
        let ids = path.ids
        guard !ids.isEmpty else { return [] }
        let binds: [any Encodable & Sendable] = ids
        return try await db.raw("SELECT id, parent_id, level, name, code, path, district_id FROM places WHERE id IN (\(binds: binds))")
            .all().map(decodePlace).sorted { $0.level < $1.level }
    }

    /// Places without a parent (normally the one city).
    public static func rootPlaces(on db: any SQLDatabase) async throws -> [Place] {
        try await db.raw("SELECT id, parent_id, level, name, code, path, district_id FROM places WHERE parent_id IS NULL ORDER BY id").all().map(decodePlace)
    }

    /// Creates a place under `parent` (nil for a root). The path holds the new id, which the
    /// database assigns: the row is inserted with a unique stand-in path, then the path is set.
    public static func createPlace(parent: Place?, level: PlaceLevel, name: String, code: String?, on db: any SQLDatabase) async throws -> Place {
        let standIn = "new/\(UUID().uuidString)"
        let districtID = parent.flatMap { $0.districtID ?? ($0.level == .district ? $0.id : nil) }
        let row = try await db.raw("""
            INSERT INTO places (parent_id, level, name, code, path, district_id)
            VALUES (\(bind: parent?.id), \(bind: level.rawValue), \(bind: name), \(bind: code), \(bind: standIn), \(bind: districtID))
            RETURNING id
            """).first()
        guard let id = try row?.decode(column: "id", as: PlaceID.self) else { throw StoreError.conflict("place insert returned nothing") }
        let path = PlacePath(parent: parent?.path, id: id)
        let ownDistrictID = level == .district ? id : districtID
        try await db.raw("UPDATE places SET path = \(bind: path.rawValue), district_id = \(bind: ownDistrictID) WHERE id = \(bind: id)").run()
        return Place(id: id, parentID: parent?.id, level: level, name: name, code: code, path: path, districtID: ownDistrictID)
    }

    static func decodePlace(_ row: any SQLRow) throws -> Place {
        let levelName = try row.decode(column: "level", as: String.self)
        return Place(
            id: try row.decode(column: "id", as: PlaceID.self),
            parentID: try row.decode(column: "parent_id", as: PlaceID?.self),
            level: PlaceLevel(rawValue: levelName) ?? .household,
            name: try row.decode(column: "name", as: String.self),
            code: try row.decode(column: "code", as: String?.self),
            path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
            districtID: try row.decode(column: "district_id", as: PlaceID?.self)
        )
    }
}

public struct PlaceSummary: Sendable, Hashable {
    public var place: Place
    public var childCount: Int
}
