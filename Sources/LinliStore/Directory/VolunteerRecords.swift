import LinliCore
import SQLKit

public struct TeamSummary: Sendable, Hashable, Codable {
    public var id: TeamID
    public var name: String
    public var kind: TeamKind
    public var placeID: PlaceID
    public var placeName: String
    public var memberCount: Int
}

public enum VolunteerRecords {
    public static func volunteers(scopes: [PlacePath], within: PlacePath?, limit: Int, offset: Int, on db: any SQLDatabase) async throws -> [Volunteer] {
        var sql: SQLQueryString = "SELECT id, name, phone, force_type, skills, place_id, path, district_id, resident_id FROM volunteers WHERE "
        sql += scopeCondition(column: "path", scopes: scopes.map(\.rawValue))
        if let within {
            sql += " AND " + scopeCondition(column: "path", scopes: [within.rawValue])
        }
        sql += " ORDER BY path, id LIMIT \(bind: limit) OFFSET \(bind: offset)"
        return try await db.raw(sql).all().map { row in
            Volunteer(
                id: try row.decode(column: "id", as: VolunteerID.self),
                name: try row.decode(column: "name", as: String.self),
                phone: try row.decode(column: "phone", as: String.self),
                forceType: ForceType(rawValue: try row.decode(column: "force_type", as: String.self)) ?? .residentVolunteer,
                skills: try row.decode(column: "skills", as: String.self).split(separator: ",").map(String.init),
                placeID: try row.decode(column: "place_id", as: PlaceID.self),
                path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
                districtID: try row.decode(column: "district_id", as: PlaceID?.self),
                residentID: try row.decode(column: "resident_id", as: ResidentID?.self)
            )
        }
    }

    public static func teams(scopes: [PlacePath], within: PlacePath?, limit: Int, offset: Int, on db: any SQLDatabase) async throws -> [TeamSummary] {
        var sql: SQLQueryString = """
            SELECT t.id, t.name, t.kind, t.place_id, p.name AS place_name,
                   (SELECT COUNT(*) FROM team_members m WHERE m.team_id = t.id) AS member_count
            FROM teams t JOIN places p ON p.id = t.place_id WHERE
            """
        sql += " " + scopeCondition(column: "t.path", scopes: scopes.map(\.rawValue))
        if let within {
            sql += " AND " + scopeCondition(column: "t.path", scopes: [within.rawValue])
        }
        sql += " ORDER BY t.path, t.id LIMIT \(bind: limit) OFFSET \(bind: offset)"
        return try await db.raw(sql).all().map { row in
            TeamSummary(
                id: try row.decode(column: "id", as: TeamID.self),
                name: try row.decode(column: "name", as: String.self),
                kind: TeamKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
                placeID: try row.decode(column: "place_id", as: PlaceID.self),
                placeName: try row.decode(column: "place_name", as: String.self),
                memberCount: try row.decode(column: "member_count", as: Int.self)
            )
        }
    }
}
