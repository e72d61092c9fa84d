import Foundation
import LinliCore
import SQLKit

/// What the register's lists ask for. Every condition narrows; nil means any.
public struct CareRegisterFilter: Sendable {
    public var scopes: [PlacePath]
    public var category: CareCategory?
    public var risk: CareRisk?
    /// true: has a primary helper; false: has none yet.
    public var paired: Bool?
    /// Only people not reached since this moment (never reached included).
    public var notContactedSince: Date?
    public var limit: Int
    public var offset: Int

    public init(scopes: [PlacePath], category: CareCategory? = nil, risk: CareRisk? = nil, paired: Bool? = nil, notContactedSince: Date? = nil, limit: Int = 30, offset: Int = 0) {
        self.scopes = scopes
        self.category = category
        self.risk = risk
        self.paired = paired
        self.notContactedSince = notContactedSince
        self.limit = limit
        self.offset = offset
    }
}

/// A register entry with who and where the person is.
public struct CareRegisterItem: Sendable, Hashable {
    public var entry: CareEntry
    public var residentName: String
    public var phone: String?
    public var compound: String
    public var building: String
    public var room: String
}

/// How many people a place's register holds, by category and by risk (a person counts once per
/// category they have).
public struct CareRegisterCounts: Sendable, Hashable {
    public var total: Int
    public var categories: [CareCategory: Int]
    public var risks: [CareRisk: Int]

    public init(total: Int = 0, categories: [CareCategory: Int] = [:], risks: [CareRisk: Int] = [:]) {
        self.total = total
        self.categories = categories
        self.risks = risks
    }
}

/// The register's lists, counts and file rows. Callers check access and audit every read.
public enum CareRegisterRecords {
    static let selectItem: SQLQueryString = """
        SELECT c.id, c.resident_id, c.household_id, c.categories, c.disability_kind, c.needs, c.risk, c.source, c.consent_note, c.note,
               c.last_contact_at, c.pinned_helper_id, c.primary_helper_id, c.backup_helper_id, c.path, c.district_id, c.created_at, c.updated_at, c.version,
               r.name AS resident_name, r.phone AS resident_phone, h.room, b.code AS building_code, b.name AS building_name, p.name AS compound_name
        FROM care_entries c
        JOIN residents r ON r.id = c.resident_id
        JOIN households h ON h.id = c.household_id
        JOIN places b ON b.id = h.building_id
        JOIN places p ON p.id = b.parent_id
        """

    /// Most at risk first, then the longest without contact (never reached first).
    public static func list(_ filter: CareRegisterFilter, on db: any SQLDatabase) async throws -> [CareRegisterItem] {
        var sql = selectItem + " WHERE " + scopeCondition(column: "c.path", scopes: filter.scopes.map(\.rawValue))
        if let category = filter.category { sql += " AND (',' || c.categories || ',') LIKE \(bind: "%,\(category.rawValue),%")" }
        if let risk = filter.risk { sql += " AND c.risk = \(bind: risk.rawValue)" }
        switch filter.paired {
        case true?: sql += " AND c.primary_helper_id IS NOT NULL"
        case false?: sql += " AND c.primary_helper_id IS NULL"
        case nil: break
        }
        if let since = filter.notContactedSince { sql += " AND (c.last_contact_at IS NULL OR c.last_contact_at < \(bind: since.millisecondsSince1970))" }
        sql += """
             ORDER BY CASE c.risk WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END,
                 COALESCE(c.last_contact_at, 0), c.id LIMIT \(bind: filter.limit) OFFSET \(bind: filter.offset)
            """
        return try await db.raw(sql).all().map(decodeItem)
    }

    public static func item(id: CareEntryID, on db: any SQLDatabase) async throws -> CareRegisterItem? {
        try await db.raw(selectItem + " WHERE c.id = \(bind: id)").first().map(decodeItem)
    }

    public static func counts(under scope: PlacePath, on db: any SQLDatabase) async throws -> CareRegisterCounts {
        let rows = try await db.raw("SELECT c.categories, c.risk FROM care_entries c WHERE " + scopeCondition(column: "c.path", scopes: [scope.rawValue])).all()
        var counts = CareRegisterCounts(total: rows.count, categories: [:], risks: [:])
        for row in rows {
            for category in CareRecords.split(try row.decode(column: "categories", as: String.self)).compactMap(CareCategory.init(rawValue:)) {
                counts.categories[category, default: 0] += 1
            }
            if let risk = CareRisk(rawValue: try row.decode(column: "risk", as: String.self)) { counts.risks[risk, default: 0] += 1 }
        }
        return counts
    }

    /// Residents under `place` as the register's file names them, for matching an import.
    public static func residents(under place: Place, on db: any SQLDatabase) async throws -> [CareRegisterResident] {
        let sql: SQLQueryString = """
            SELECT r.id, r.household_id, r.name, r.path, r.district_id, h.room, b.code AS building_code, b.name AS building_name, p.name AS compound_name
            FROM residents r JOIN households h ON h.id = r.household_id JOIN places b ON b.id = h.building_id JOIN places p ON p.id = b.parent_id
            WHERE
            """ + " " + scopeCondition(column: "r.path", scopes: [place.path.rawValue])
        return try await db.raw(sql).all().map { row in
            let building = try row.decode(column: "building_code", as: String?.self) ?? row.decode(column: "building_name", as: String.self)
            return CareRegisterResident(
                id: try row.decode(column: "id", as: ResidentID.self),
                householdID: try row.decode(column: "household_id", as: PlaceID.self),
                key: PersonKey(household: HouseholdKey(compound: try row.decode(column: "compound_name", as: String.self), building: building, room: try row.decode(column: "room", as: String.self)),
                               name: try row.decode(column: "name", as: String.self)),
                path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
                districtID: try row.decode(column: "district_id", as: PlaceID?.self)
            )
        }
    }

    /// Every entry under `place`, in building and room order.
    public static func items(under place: Place, on db: any SQLDatabase) async throws -> [CareRegisterItem] {
        try await db.raw(selectItem + " WHERE " + scopeCondition(column: "c.path", scopes: [place.path.rawValue]) + " ORDER BY p.id, b.id, h.room, r.id").all().map(decodeItem)
    }

    public static func householdID(residentID: ResidentID, on db: any SQLDatabase) async throws -> PlaceID? {
        try await db.raw("SELECT household_id FROM residents WHERE id = \(bind: residentID)").first().map { try $0.decode(column: "household_id", as: PlaceID.self) }
    }

    /// Sets the last contact, moving the version on so an edit begun before it does not undo it.
    public static func recordContact(id: CareEntryID, at time: Date, on db: any SQLDatabase) async throws -> CareEntry? {
        try await db.raw("""
            UPDATE care_entries SET last_contact_at = \(bind: time.millisecondsSince1970), updated_at = \(bind: time.millisecondsSince1970), version = version + 1
            WHERE id = \(bind: id)
            """).run()
        return try await CareRecords.entry(id: id, on: db)
    }

    static func decodeItem(_ row: any SQLRow) throws -> CareRegisterItem {
        CareRegisterItem(
            entry: try CareRecords.decodeEntry(row),
            residentName: try row.decode(column: "resident_name", as: String.self),
            phone: try row.decode(column: "resident_phone", as: String?.self),
            compound: try row.decode(column: "compound_name", as: String.self),
            building: try row.decode(column: "building_code", as: String?.self) ?? row.decode(column: "building_name", as: String.self),
            room: try row.decode(column: "room", as: String.self)
        )
    }
}
