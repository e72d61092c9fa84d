import Foundation
import LinliCore
import SQLKit

/// The household register of a place as rows, and applying an import plan to it.
public enum RegisterRecords {
    /// Every resident under `place`, as register rows (with the compound's name), in building and room order.
    public static func residents(under place: Place, on db: any SQLDatabase) async throws -> [ExistingResident] {
        var sql: SQLQueryString = """
            SELECT r.id, r.name, r.phone, r.birth_year, r.gender, r.note, r.health_note, r.disability_note,
                   h.room, b.code AS building_code, b.name AS building_name, c.name AS compound_name
            FROM residents r
            JOIN households h ON h.id = r.household_id
            JOIN places b ON b.id = h.building_id
            JOIN places c ON c.id = b.parent_id
            WHERE
            """
        sql += " " + scopeCondition(column: "r.path", scopes: [place.path.rawValue])
        sql += " ORDER BY c.id, b.id, h.room, r.id"
        return try await db.raw(sql).all().enumerated().map { index, row in
            let buildingCode = try row.decode(column: "building_code", as: String?.self)
            let buildingName = try row.decode(column: "building_name", as: String.self)
            return ExistingResident(
                id: try row.decode(column: "id", as: ResidentID.self),
                row: RegisterRow(
                    compound: try row.decode(column: "compound_name", as: String.self),
                    building: buildingCode ?? buildingName,
                    room: try row.decode(column: "room", as: String.self),
                    name: try row.decode(column: "name", as: String.self),
                    gender: try row.decode(column: "gender", as: String?.self).flatMap(Gender.init(rawValue:)),
                    phone: try row.decode(column: "phone", as: String?.self),
                    birthYear: try row.decode(column: "birth_year", as: Int?.self),
                    note: try row.decode(column: "note", as: String?.self),
                    healthNote: try row.decode(column: "health_note", as: String?.self),
                    disabilityNote: try row.decode(column: "disability_note", as: String?.self),
                    sourceRow: index + 2
                )
            )
        }
    }

    /// Flats under `place`, residents or not.
    public static func householdKeys(under place: Place, on db: any SQLDatabase) async throws -> Set<HouseholdKey> {
        var sql: SQLQueryString = """
            SELECT h.room, b.code AS building_code, b.name AS building_name, c.name AS compound_name
            FROM households h JOIN places b ON b.id = h.building_id JOIN places c ON c.id = b.parent_id WHERE
            """
        sql += " " + scopeCondition(column: "h.path", scopes: [place.path.rawValue])
        return Set(try await db.raw(sql).all().map { row in
            HouseholdKey(
                compound: try row.decode(column: "compound_name", as: String.self),
                building: try row.decode(column: "building_code", as: String?.self) ?? row.decode(column: "building_name", as: String.self),
                room: try row.decode(column: "room", as: String.self)
            )
        })
    }

    /// Applies `plan` under `place` inside the caller's transaction and returns the audit entries
    /// it wrote. Buildings and flats that do not exist yet are created.
    @discardableResult
    public static func apply(_ plan: RegisterImportPlan, under place: Place, actor: String, at time: Date, traceID: String?, on db: any SQLDatabase, progress: (Int) -> Void = { _ in }) async throws -> Int {
        var resolver = PlaceResolver(target: place)
        var audit: [AuditEntry] = []
        for (index, change) in plan.changes.enumerated() {
            switch change {
            case .createHousehold(let compound, let building, let room):
                let household = try await resolver.household(compound: compound, building: building, room: room, create: true, on: db)
                audit.append(AuditEntry(at: time, actor: actor, action: "household.create", entity: "household", entityID: "\(household.id)", path: household.path.rawValue, after: json(["building": building, "room": room]), traceID: traceID))
            case .createResident(let row):
                let household = try await resolver.household(compound: row.compound, building: row.building, room: row.room, create: true, on: db)
                let inserted = try await db.raw("""
                    INSERT INTO residents (household_id, name, phone, phone_tail, birth_year, gender, note, health_note, disability_note, path, district_id)
                    VALUES (\(bind: household.id), \(bind: row.name), \(bind: row.phone), \(bind: row.phone.map(DirectoryRecords.phoneTail)), \(bind: row.birthYear),
                            \(bind: row.gender?.rawValue), \(bind: row.note), \(bind: row.healthNote), \(bind: row.disabilityNote), \(bind: household.path.rawValue), \(bind: household.districtID))
                    RETURNING id
                    """).first()
                let id = try inserted?.decode(column: "id", as: ResidentID.self)
                audit.append(AuditEntry(at: time, actor: actor, action: "resident.create", entity: "resident", entityID: id.map { "\($0)" }, path: household.path.rawValue, after: json(row), traceID: traceID))
            case .updateResident(let id, let before, let after):
                try await db.raw("""
                    UPDATE residents SET phone = \(bind: after.phone), phone_tail = \(bind: after.phone.map(DirectoryRecords.phoneTail)), birth_year = \(bind: after.birthYear),
                        gender = \(bind: after.gender?.rawValue), note = \(bind: after.note), health_note = \(bind: after.healthNote), disability_note = \(bind: after.disabilityNote)
                    WHERE id = \(bind: id)
                    """).run()
                audit.append(AuditEntry(at: time, actor: actor, action: "resident.update", entity: "resident", entityID: "\(id)", before: json(before), after: json(after), traceID: traceID))
            }
            if (index + 1) % 1000 == 0 { progress(index + 1) }
        }
        try await AuditRecords.append(audit, on: db)
        progress(plan.changes.count)
        return audit.count
    }

    public static func json(_ value: some Encodable) -> String? {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }
}

/// Finds (or creates) compounds, buildings and flats named in a register under the target place.
struct PlaceResolver {
    let target: Place
    private var compounds: [String: Place] = [:]
    private var buildings: [String: Place] = [:]
    private var households: [String: Household] = [:]

    init(target: Place) { self.target = target }

    mutating func household(compound: String?, building: String, room: String, create: Bool, on db: any SQLDatabase) async throws -> Household {
        let key = "\(compound ?? "")\u{1}\(building)\u{1}\(room)"
        if let known = households[key] { return known }
        let buildingPlace = try await self.building(compound: compound, label: building, on: db)
        if let row = try await db.raw("SELECT id, building_id, room, path, district_id FROM households WHERE building_id = \(bind: buildingPlace.id) AND room = \(bind: room)").first() {
            let existing = try HouseholdRecords.decodeHousehold(row)
            households[key] = existing
            return existing
        }
        let place = try await insertPlace(parent: buildingPlace, level: .household, name: room, code: room, on: db)
        let household = Household(id: place.id, buildingID: buildingPlace.id, room: room, path: place.path, districtID: place.districtID)
        try await DirectoryRecords.insert(households: [household], on: db)
        households[key] = household
        return household
    }

    private mutating func building(compound: String?, label: String, on db: any SQLDatabase) async throws -> Place {
        let compoundPlace = try await self.compound(named: compound, on: db)
        let key = "\(compoundPlace.id)\u{1}\(label)"
        if let known = buildings[key] { return known }
        let found = try await db.raw("""
            SELECT id, parent_id, level, name, code, path, district_id FROM places
            WHERE parent_id = \(bind: compoundPlace.id) AND level = 'building' AND (code = \(bind: label) OR name = \(bind: label)) ORDER BY id LIMIT 1
            """).first().map(DirectoryRecords.decodePlace)
        let place: Place
        if let found {
            place = found
        } else {
            let name = label.allSatisfy(\.isNumber) ? "\(label)号楼" : label
            place = try await insertPlace(parent: compoundPlace, level: .building, name: name, code: label, on: db)
        }
        buildings[key] = place
        return place
    }

    private mutating func compound(named name: String?, on db: any SQLDatabase) async throws -> Place {
        if target.level == .compound, name == nil || name == target.name { return target }
        if target.level > .compound { throw RegisterImportError.targetTooLow }
        let lookup = name ?? ""
        if let known = compounds[lookup] { return known }
        var sql: SQLQueryString = "SELECT id, parent_id, level, name, code, path, district_id FROM places WHERE level = 'compound' AND "
        sql += scopeCondition(column: "path", scopes: [target.path.rawValue])
        if let name { sql += " AND name = \(bind: name)" }
        let candidates = try await db.raw(sql + " ORDER BY id LIMIT 2").all().map(DirectoryRecords.decodePlace)
        guard let only = candidates.first else { throw RegisterImportError.unknownCompound(name ?? "") }
        if candidates.count > 1 {
            throw name.map(RegisterImportError.ambiguousCompound) ?? RegisterImportError.compoundColumnNeeded
        }
        compounds[lookup] = only
        return only
    }

    private func insertPlace(parent: Place, level: PlaceLevel, name: String, code: String?, on db: any SQLDatabase) async throws -> Place {
        try await DirectoryRecords.createPlace(parent: parent, level: level, name: name, code: code, on: db)
    }
}

public enum RegisterImportError: Error, Equatable, Sendable {
    /// The file names a 小区 that is not under the target place.
    case unknownCompound(String)
    /// The file names a 小区 that several compounds under the target place share.
    case ambiguousCompound(String)
    /// The target has several compounds and the file has no 小区 column to tell them apart.
    case compoundColumnNeeded
    /// A register is imported into a compound or a place above it, not into a building.
    case targetTooLow

    public var catalogueKey: String {
        switch self {
        case .unknownCompound: "register.error.unknown_compound"
        case .ambiguousCompound: "register.error.ambiguous_compound"
        case .compoundColumnNeeded: "register.error.compound_column_needed"
        case .targetTooLow: "register.error.target_too_low"
        }
    }

    public var catalogueArguments: [String: String] {
        switch self {
        case .unknownCompound(let name), .ambiguousCompound(let name): ["value": name]
        case .compoundColumnNeeded, .targetTooLow: [:]
        }
    }
}
