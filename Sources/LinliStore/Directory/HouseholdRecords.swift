import Foundation
import LinliCore
import SQLKit

/// What a household search may filter by; every filter is optional and they combine with AND.
public struct HouseholdSearch: Sendable, Hashable {
    /// Scopes the caller may see (paths of their role places); never empty for a real caller.
    public var scopes: [PlacePath]
    /// Narrow to one place inside the scopes (a compound, a building).
    public var within: PlacePath?
    /// Building number or name: "3" or "3号楼".
    public var building: String?
    public var room: String?
    /// Name or the start of one: "张" finds 张伟 and 张秀英.
    public var name: String?
    /// The last four digits of a phone number.
    public var phoneTail: String?
    public var limit: Int
    public var offset: Int

    public init(scopes: [PlacePath], within: PlacePath? = nil, building: String? = nil, room: String? = nil, name: String? = nil, phoneTail: String? = nil, limit: Int = 50, offset: Int = 0) {
        self.scopes = scopes
        self.within = within
        self.building = building
        self.room = room
        self.name = name
        self.phoneTail = phoneTail
        self.limit = limit
        self.offset = offset
    }
}

public struct HouseholdSummary: Sendable, Hashable, Codable {
    public var id: PlaceID
    public var compound: String
    public var building: String
    public var room: String
    public var residentCount: Int
    /// The first registered resident, as the list's contact; the phone is masked by the caller.
    public var contactName: String?
    public var contactPhone: String?
}

public struct HouseholdDetail: Sendable, Hashable {
    public var household: Household
    public var ancestors: [Place]
    public var residents: [Resident]
}

public enum HouseholdRecords {
    public static func search(_ search: HouseholdSearch, on db: any SQLDatabase) async throws -> [HouseholdSummary] {
        var sql: SQLQueryString = """
            SELECT h.id, h.room, b.name AS building_name, c.name AS compound_name,
                   (SELECT COUNT(*) FROM residents r WHERE r.household_id = h.id) AS resident_count,
                   (SELECT r.name FROM residents r WHERE r.household_id = h.id ORDER BY r.id LIMIT 1) AS contact_name,
                   (SELECT r.phone FROM residents r WHERE r.household_id = h.id ORDER BY r.id LIMIT 1) AS contact_phone
            FROM households h
            JOIN places b ON b.id = h.building_id
            JOIN places c ON c.id = b.parent_id
            WHERE
            """
        sql += " " + scopeCondition(column: "h.path", scopes: search.scopes.map(\.rawValue))
        if let within = search.within {
            sql += " AND " + scopeCondition(column: "h.path", scopes: [within.rawValue])
        }
        if let building = search.building {
            sql += " AND (b.code = \(bind: building) OR b.name = \(bind: building))"
        }
        if let room = search.room {
            sql += " AND h.room = \(bind: room)"
        }
        if let name = search.name {
            let upper = name + "\u{10FFFF}"
            let residentScope = scopeCondition(column: "r.path", scopes: search.scopes.map(\.rawValue))
            if try await isCommonName(name, upper: upper, scope: residentScope, on: db) {
                // "张" or "王秀" match a tenth of a district: walk the households in path order
                // and stop at the first page, rather than collect every match first.
                sql += " AND EXISTS (SELECT 1 FROM residents r WHERE r.household_id = h.id AND r.name >= \(bind: name) AND r.name < \(bind: upper))"
            } else {
                // A full name matches a few dozen people: find them first, by the name index.
                sql += " AND h.id IN (SELECT r.household_id FROM residents r WHERE r.name >= \(bind: name) AND r.name < \(bind: upper) AND " + residentScope + ")"
            }
        }
        if let tail = search.phoneTail {
            sql += " AND h.id IN (SELECT r.household_id FROM residents r WHERE r.phone_tail = \(bind: tail) AND " + scopeCondition(column: "r.path", scopes: search.scopes.map(\.rawValue)) + ")"
        }
        // Tree order (by path) is what the path index yields, so a page costs only its own rows.
        sql += " ORDER BY h.path LIMIT \(bind: search.limit) OFFSET \(bind: search.offset)"
        return try await db.raw(sql).all().map { row in
            HouseholdSummary(
                id: try row.decode(column: "id", as: PlaceID.self),
                compound: try row.decode(column: "compound_name", as: String.self),
                building: try row.decode(column: "building_name", as: String.self),
                room: try row.decode(column: "room", as: String.self),
                residentCount: try row.decode(column: "resident_count", as: Int.self),
                contactName: try row.decode(column: "contact_name", as: String?.self),
                contactPhone: try row.decode(column: "contact_phone", as: String?.self)
            )
        }
    }

    /// Whether more than `commonNameThreshold` residents in scope have a name starting with
    /// `name`: a bounded look at the name index that picks the cheaper of two query shapes.
    static func isCommonName(_ name: String, upper: String, scope: SQLQueryString, on db: any SQLDatabase) async throws -> Bool {
        let probe: SQLQueryString = "SELECT COUNT(*) AS n FROM (SELECT 1 FROM residents r WHERE r.name >= \(bind: name) AND r.name < \(bind: upper) AND " + scope + " LIMIT \(bind: commonNameThreshold + 1)) matches"
        return try await db.raw(probe).first()?.decode(column: "n", as: Int.self) ?? 0 > commonNameThreshold
    }

    static let commonNameThreshold = 2_000

    public static func household(id: PlaceID, on db: any SQLDatabase) async throws -> Household? {
        try await db.raw("SELECT id, building_id, room, path, district_id FROM households WHERE id = \(bind: id)").first().map(decodeHousehold)
    }

    public static func detail(id: PlaceID, on db: any SQLDatabase) async throws -> HouseholdDetail? {
        guard let household = try await household(id: id, on: db) else { return nil }
        let ancestors = try await DirectoryRecords.ancestors(of: household.path, on: db)
        let residents = try await db.raw("""
            SELECT id, household_id, name, phone, birth_year, gender, note, health_note, disability_note, path, district_id
            FROM residents WHERE household_id = \(bind: id) ORDER BY id
            """).all().map(decodeResident)
        return HouseholdDetail(household: household, ancestors: ancestors, residents: residents)
    }

    /// `codeHash` is the code keyed with the server's key (`HouseholdCodeKey.digest`).
    public static func setCode(householdID: PlaceID, codeHash: String, at time: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE households SET code_hash = \(bind: codeHash), code_rotated_at = \(bind: time.millisecondsSince1970) WHERE id = \(bind: householdID)").run()
    }

    static func decodeHousehold(_ row: any SQLRow) throws -> Household {
        Household(
            id: try row.decode(column: "id", as: PlaceID.self),
            buildingID: try row.decode(column: "building_id", as: PlaceID.self),
            room: try row.decode(column: "room", as: String.self),
            path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
            districtID: try row.decode(column: "district_id", as: PlaceID?.self)
        )
    }

    static func decodeResident(_ row: any SQLRow) throws -> Resident {
        Resident(
            id: try row.decode(column: "id", as: ResidentID.self),
            householdID: try row.decode(column: "household_id", as: PlaceID.self),
            name: try row.decode(column: "name", as: String.self),
            phone: try row.decode(column: "phone", as: String?.self),
            birthYear: try row.decode(column: "birth_year", as: Int?.self),
            gender: try row.decode(column: "gender", as: String?.self).flatMap(Gender.init(rawValue:)),
            note: try row.decode(column: "note", as: String?.self),
            healthNote: try row.decode(column: "health_note", as: String?.self),
            disabilityNote: try row.decode(column: "disability_note", as: String?.self),
            path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
            districtID: try row.decode(column: "district_id", as: PlaceID?.self)
        )
    }
}

extension HouseholdRecords {
    /// The stored hash of a household's code. `forUpdate` (PostgreSQL only) locks the row for the
    /// rest of the transaction.
    public static func codeHash(householdID: PlaceID, forUpdate: Bool = false, on db: any SQLDatabase) async throws -> String? {
        let lock: SQLQueryString = forUpdate ? " FOR UPDATE" : ""
        return try await db.raw("SELECT code_hash FROM households WHERE id = \(bind: householdID)" + lock).first()?.decode(column: "code_hash", as: String?.self)
    }
}

/// A household as a door notice names it.
public struct HouseholdLabel: Sendable, Hashable {
    public var id: PlaceID
    public var compound: String
    public var building: String
    public var room: String
}

extension HouseholdRecords {
    /// Households under `place` in path order; with `withoutCodeOnly`, those that never got a code.
    public static func labels(under place: Place, withoutCodeOnly: Bool, on db: any SQLDatabase) async throws -> [HouseholdLabel] {
        var sql: SQLQueryString = """
            SELECT h.id, h.room, b.name AS building_name, c.name AS compound_name
            FROM households h JOIN places b ON b.id = h.building_id JOIN places c ON c.id = b.parent_id WHERE
            """
        sql += " " + scopeCondition(column: "h.path", scopes: [place.path.rawValue])
        if withoutCodeOnly { sql += " AND h.code_hash IS NULL" }
        sql += " ORDER BY h.path"
        return try await db.raw(sql).all().map { row in
            HouseholdLabel(
                id: try row.decode(column: "id", as: PlaceID.self),
                compound: try row.decode(column: "compound_name", as: String.self),
                building: try row.decode(column: "building_name", as: String.self),
                room: try row.decode(column: "room", as: String.self)
            )
        }
    }
}

extension HouseholdRecords {
    /// Flats under `place` with this building number (or name) and room: how a chain-list line
    /// ("3-201") finds its household. More than one means the line is ambiguous.
    public static func find(building: String, room: String, under place: Place, on db: any SQLDatabase) async throws -> [HouseholdLabel] {
        var sql: SQLQueryString = """
            SELECT h.id, h.room, b.name AS building_name, c.name AS compound_name
            FROM households h JOIN places b ON b.id = h.building_id JOIN places c ON c.id = b.parent_id
            WHERE h.room = \(bind: room) AND (b.code = \(bind: building) OR b.name = \(bind: building) OR b.name = \(bind: building + "号楼")) AND
            """
        sql += " " + scopeCondition(column: "h.path", scopes: [place.path.rawValue]) + " ORDER BY h.path LIMIT 10"
        return try await db.raw(sql).all().map { row in
            HouseholdLabel(
                id: try row.decode(column: "id", as: PlaceID.self),
                compound: try row.decode(column: "compound_name", as: String.self),
                building: try row.decode(column: "building_name", as: String.self),
                room: try row.decode(column: "room", as: String.self)
            )
        }
    }
}
