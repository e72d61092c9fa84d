import Foundation
import LinliCore
import SQLKit

/// A building of a compound with its position on the plan, for pairing.
public struct PairingBuilding: Sendable, Hashable {
    public var id: PlaceID
    public var name: String
    public var planX: Int?
    public var planY: Int?
}

/// A registered person as pairing sees them: where they live and what they need.
public struct PairingPerson: Sendable, Hashable {
    public var entry: CareEntry
    public var residentName: String
    public var buildingID: PlaceID
    public var room: String
}

/// A volunteer as a helper: where they live or reported, what they can do, how many they take.
public struct CareHelper: Sendable, Hashable {
    public var volunteer: Volunteer
    public var availability: HelperAvailability
    public var capacity: Int?
    /// Their home (a volunteer who is a resident) or the building they reported to.
    public var buildingID: PlaceID?
    /// Their room at home, when they have one (for the floor).
    public var room: String?
}

/// Pairing's reads and writes: the people, helpers and buildings of a compound, and the pairs.
public enum CarePairingRecords {
    /// The compounds at or under `place`, or the compound above it.
    public static func compounds(at place: Place, on db: any SQLDatabase) async throws -> [Place] {
        if place.level == .compound { return [place] }
        if place.level > .compound {
            return try await DirectoryRecords.ancestors(of: place.path, on: db).filter { $0.level == .compound }
        }
        let range = place.path.descendantRange
        return try await db.raw("""
            SELECT id, parent_id, level, name, code, path, district_id FROM places
            WHERE level = 'compound' AND path > \(bind: range.after) AND path < \(bind: range.before) ORDER BY id
            """).all().map(DirectoryRecords.decodePlace)
    }

    public static func buildings(under compound: Place, on db: any SQLDatabase) async throws -> [PairingBuilding] {
        try await db.raw("SELECT id, name, plan_x, plan_y FROM places WHERE parent_id = \(bind: compound.id) AND level = 'building' ORDER BY id").all().map { row in
            PairingBuilding(
                id: try row.decode(column: "id", as: PlaceID.self), name: try row.decode(column: "name", as: String.self),
                planX: try row.decode(column: "plan_x", as: Int?.self), planY: try row.decode(column: "plan_y", as: Int?.self)
            )
        }
    }

    /// Everyone on the register under `path`, with their building and room, in id order.
    public static func people(under path: PlacePath, on db: any SQLDatabase) async throws -> [PairingPerson] {
        try await db.raw("""
            SELECT \(prefixedEntryColumns), r.name AS resident_name, h.building_id, h.room
            FROM care_entries e JOIN households h ON h.id = e.household_id JOIN residents r ON r.id = e.resident_id
            WHERE \(scopeCondition(column: "e.path", scopes: [path.rawValue])) ORDER BY e.id
            """).all().map(decodePerson)
    }

    /// The people a helper is primary or backup for.
    public static func people(helper: VolunteerID, on db: any SQLDatabase) async throws -> [PairingPerson] {
        try await db.raw("""
            SELECT \(prefixedEntryColumns), r.name AS resident_name, h.building_id, h.room
            FROM care_entries e JOIN households h ON h.id = e.household_id JOIN residents r ON r.id = e.resident_id
            WHERE e.primary_helper_id = \(bind: helper) OR e.backup_helper_id = \(bind: helper) ORDER BY h.building_id, h.room, e.id
            """).all().map(decodePerson)
    }

    static let prefixedEntryColumns: SQLQueryString = """
        e.id, e.resident_id, e.household_id, e.categories, e.disability_kind, e.needs, e.risk, e.source, e.consent_note, e.note,
        e.last_contact_at, e.pinned_helper_id, e.primary_helper_id, e.backup_helper_id, e.path, e.district_id, e.created_at, e.updated_at, e.version
        """

    static func decodePerson(_ row: any SQLRow) throws -> PairingPerson {
        PairingPerson(
            entry: try CareRecords.decodeEntry(row), residentName: try row.decode(column: "resident_name", as: String.self),
            buildingID: try row.decode(column: "building_id", as: PlaceID.self), room: try row.decode(column: "room", as: String.self)
        )
    }

    static let helperSelect: SQLQueryString = """
        SELECT v.id, v.name, v.phone, v.force_type, v.skills, v.place_id, v.path, v.district_id, v.resident_id, v.availability, v.care_capacity,
               p.level AS place_level, h.building_id AS home_building, h.room AS home_room, ph.building_id AS household_building, ph.room AS household_room
        FROM volunteers v JOIN places p ON p.id = v.place_id
        LEFT JOIN residents r ON r.id = v.resident_id LEFT JOIN households h ON h.id = r.household_id
        LEFT JOIN households ph ON ph.id = v.place_id
        """

    /// The volunteers under `path`, available or not.
    public static func helpers(under path: PlacePath, on db: any SQLDatabase) async throws -> [CareHelper] {
        try await db.raw(helperSelect + " WHERE " + scopeCondition(column: "v.path", scopes: [path.rawValue]) + " ORDER BY v.id").all().map(decodeHelper)
    }

    public static func helper(id: VolunteerID, on db: any SQLDatabase) async throws -> CareHelper? {
        try await db.raw(helperSelect + " WHERE v.id = \(bind: id)").first().map(decodeHelper)
    }

    /// The volunteers who log in with `phone` (a user is reached as the volunteer with their phone).
    public static func helpers(phone: String, on db: any SQLDatabase) async throws -> [CareHelper] {
        try await db.raw(helperSelect + " WHERE v.phone = \(bind: phone) ORDER BY v.id").all().map(decodeHelper)
    }

    public static func helpers(ids: [VolunteerID], on db: any SQLDatabase) async throws -> [CareHelper] {
        guard !ids.isEmpty else { return [] }
        let binds: [any Encodable & Sendable] = ids
        return try await db.raw(helperSelect + " WHERE v.id IN (\(binds: binds)) ORDER BY v.id").all().map(decodeHelper)
    }

    static func decodeHelper(_ row: any SQLRow) throws -> CareHelper {
        let volunteer = Volunteer(
            id: try row.decode(column: "id", as: VolunteerID.self),
            name: try row.decode(column: "name", as: String.self),
            phone: try row.decode(column: "phone", as: String.self),
            forceType: ForceType(rawValue: try row.decode(column: "force_type", as: String.self)) ?? .residentVolunteer,
            skills: CareRecords.split(try row.decode(column: "skills", as: String.self)),
            placeID: try row.decode(column: "place_id", as: PlaceID.self),
            path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
            districtID: try row.decode(column: "district_id", as: PlaceID?.self),
            residentID: try row.decode(column: "resident_id", as: ResidentID?.self)
        )
        var building: PlaceID?
        var room: String?
        if let home = try row.decode(column: "home_building", as: PlaceID?.self) {
            (building, room) = (home, try row.decode(column: "home_room", as: String?.self))
        } else if let household = try row.decode(column: "household_building", as: PlaceID?.self) {
            (building, room) = (household, try row.decode(column: "household_room", as: String?.self))
        } else if try row.decode(column: "place_level", as: String.self) == PlaceLevel.building.rawValue {
            building = volunteer.placeID
        }
        return CareHelper(
            volunteer: volunteer,
            availability: HelperAvailability(rawValue: try row.decode(column: "availability", as: String.self)) ?? .available,
            capacity: try row.decode(column: "care_capacity", as: Int?.self),
            buildingID: building, room: room
        )
    }

    /// Stores each person's primary and backup helper (callers pass only the pairs that changed).
    public static func storePairs(_ pairs: [(entryID: CareEntryID, primary: VolunteerID?, backup: VolunteerID?)], at now: Date, on db: any SQLDatabase) async throws {
        for pair in pairs {
            try await db.raw("""
                UPDATE care_entries SET primary_helper_id = \(bind: pair.primary), backup_helper_id = \(bind: pair.backup),
                    updated_at = \(bind: now.millisecondsSince1970), version = version + 1
                WHERE id = \(bind: pair.entryID)
                """).run()
        }
    }

    /// Clears the pins to a helper (they left, so the pin no longer holds).
    public static func dropPins(to helper: VolunteerID, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE care_entries SET pinned_helper_id = NULL, updated_at = \(bind: now.millisecondsSince1970), version = version + 1
            WHERE pinned_helper_id = \(bind: helper)
            """).run()
    }

    /// Sets a helper's availability; returns the one it had, or nil when there is no such helper.
    public static func setAvailability(_ availability: HelperAvailability, of helper: VolunteerID, on db: any SQLDatabase) async throws -> HelperAvailability? {
        guard let before = try await db.raw("SELECT availability FROM volunteers WHERE id = \(bind: helper)").first() else { return nil }
        try await db.raw("UPDATE volunteers SET availability = \(bind: availability.rawValue) WHERE id = \(bind: helper)").run()
        return HelperAvailability(rawValue: try before.decode(column: "availability", as: String.self)) ?? .available
    }

    public static func setCapacity(_ capacity: Int?, of helper: VolunteerID, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE volunteers SET care_capacity = \(bind: capacity) WHERE id = \(bind: helper)").run()
    }

    public static func setPosition(building: PlaceID, x: Int?, y: Int?, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE places SET plan_x = \(bind: x), plan_y = \(bind: y) WHERE id = \(bind: building)").run()
    }
}

extension CarePairingRecords {
    /// "3号楼 502" for each household: its building's name and its room.
    public static func addresses(households: [PlaceID], on db: any SQLDatabase) async throws -> [PlaceID: String] {
        guard !households.isEmpty else { return [:] }
        let binds: [any Encodable & Sendable] = Array(Set(households))
        var addresses: [PlaceID: String] = [:]
        for row in try await db.raw("SELECT h.id, b.name, h.room FROM households h JOIN places b ON b.id = h.building_id WHERE h.id IN (\(binds: binds))").all() {
            addresses[try row.decode(column: "id", as: PlaceID.self)] = "\(try row.decode(column: "name", as: String.self)) \(try row.decode(column: "room", as: String.self))"
        }
        return addresses
    }
}

extension CarePairingRecords {
    /// The oldest residents under `path` who are neither volunteers nor on the register yet: the
    /// demo's register when nothing else filled it.
    public static func oldestUnregistered(under path: PlacePath, limit: Int, on db: any SQLDatabase) async throws -> [(id: ResidentID, householdID: PlaceID, path: PlacePath, districtID: PlaceID?)] {
        try await db.raw("""
            SELECT r.id, r.household_id, r.path, r.district_id FROM residents r
            WHERE \(scopeCondition(column: "r.path", scopes: [path.rawValue])) AND r.birth_year IS NOT NULL
              AND NOT EXISTS (SELECT 1 FROM volunteers v WHERE v.resident_id = r.id)
              AND NOT EXISTS (SELECT 1 FROM care_entries e WHERE e.resident_id = r.id)
            ORDER BY r.birth_year, r.id LIMIT \(bind: limit)
            """).all().map { row in
            (try row.decode(column: "id", as: ResidentID.self), try row.decode(column: "household_id", as: PlaceID.self),
             PlacePath(rawValue: try row.decode(column: "path", as: String.self)), try row.decode(column: "district_id", as: PlaceID?.self))
        }
    }
}
