import Foundation
import LinliCore
import SQLKit

/// The care register's rows. Callers check access and write the audit entry for every read:
/// these functions only move rows.
public enum CareRecords {
    static let entryColumns: SQLQueryString = """
        id, resident_id, household_id, categories, disability_kind, needs, risk, source, consent_note, note,
        last_contact_at, pinned_helper_id, primary_helper_id, backup_helper_id, path, district_id, created_at, updated_at, version
        """

    public static func entry(id: CareEntryID, on db: any SQLDatabase) async throws -> CareEntry? {
        try await db.raw("SELECT \(entryColumns) FROM care_entries WHERE id = \(bind: id)").first().map(decodeEntry)
    }

    public static func entry(residentID: ResidentID, on db: any SQLDatabase) async throws -> CareEntry? {
        try await db.raw("SELECT \(entryColumns) FROM care_entries WHERE resident_id = \(bind: residentID)").first().map(decodeEntry)
    }

    public static func entries(householdID: PlaceID, on db: any SQLDatabase) async throws -> [CareEntry] {
        try await db.raw("SELECT \(entryColumns) FROM care_entries WHERE household_id = \(bind: householdID) ORDER BY id").all().map(decodeEntry)
    }

    /// Inserts `entry` (its id is ignored) and returns it with the id it got.
    public static func insert(_ entry: CareEntry, on db: any SQLDatabase) async throws -> CareEntry {
        let row = try await db.raw("""
            INSERT INTO care_entries (resident_id, household_id, categories, disability_kind, needs, risk, source, consent_note, note,
                last_contact_at, pinned_helper_id, primary_helper_id, backup_helper_id, path, district_id, created_at, updated_at, version)
            VALUES (\(bind: entry.residentID), \(bind: entry.householdID), \(bind: joined(entry.categories.map(\.rawValue))), \(bind: entry.disabilityKind),
                \(bind: joined(entry.needs)), \(bind: entry.risk.rawValue), \(bind: entry.source.rawValue), \(bind: entry.consentNote), \(bind: entry.note),
                \(bind: entry.lastContactAt?.millisecondsSince1970), \(bind: entry.pinnedHelperID), \(bind: entry.primaryHelperID), \(bind: entry.backupHelperID),
                \(bind: entry.path.rawValue), \(bind: entry.districtID), \(bind: entry.createdAt.millisecondsSince1970), \(bind: entry.updatedAt.millisecondsSince1970), 1)
            RETURNING id
            """).first()
        guard let row else { throw CareRecordsError.notInserted }
        var inserted = entry
        inserted.id = try row.decode(column: "id", as: CareEntryID.self)
        inserted.version = 1
        return inserted
    }

    /// Writes every field of `entry` if the row is still at `entry.version`; returns the entry at
    /// its new version, or nil when someone else changed it first.
    public static func update(_ entry: CareEntry, on db: any SQLDatabase) async throws -> CareEntry? {
        let row = try await db.raw("""
            UPDATE care_entries SET categories = \(bind: joined(entry.categories.map(\.rawValue))), disability_kind = \(bind: entry.disabilityKind),
                needs = \(bind: joined(entry.needs)), risk = \(bind: entry.risk.rawValue), source = \(bind: entry.source.rawValue),
                consent_note = \(bind: entry.consentNote), note = \(bind: entry.note), last_contact_at = \(bind: entry.lastContactAt?.millisecondsSince1970),
                pinned_helper_id = \(bind: entry.pinnedHelperID), primary_helper_id = \(bind: entry.primaryHelperID), backup_helper_id = \(bind: entry.backupHelperID),
                updated_at = \(bind: entry.updatedAt.millisecondsSince1970), version = version + 1
            WHERE id = \(bind: entry.id) AND version = \(bind: entry.version)
            RETURNING version
            """).first()
        guard let row else { return nil }
        var updated = entry
        updated.version = try row.decode(column: "version", as: Int.self)
        return updated
    }

    public static func decodeEntry(_ row: any SQLRow) throws -> CareEntry {
        CareEntry(
            id: try row.decode(column: "id", as: CareEntryID.self),
            residentID: try row.decode(column: "resident_id", as: ResidentID.self),
            householdID: try row.decode(column: "household_id", as: PlaceID.self),
            // A value this version does not know is skipped rather than failing the whole read.
            categories: split(try row.decode(column: "categories", as: String.self)).compactMap(CareCategory.init(rawValue:)),
            disabilityKind: try row.decode(column: "disability_kind", as: String?.self),
            needs: split(try row.decode(column: "needs", as: String.self)),
            risk: CareRisk(rawValue: try row.decode(column: "risk", as: String.self)) ?? .medium,
            source: CareSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .survey,
            consentNote: try row.decode(column: "consent_note", as: String?.self),
            note: try row.decode(column: "note", as: String?.self),
            lastContactAt: try row.decode(column: "last_contact_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
            pinnedHelperID: try row.decode(column: "pinned_helper_id", as: VolunteerID?.self),
            primaryHelperID: try row.decode(column: "primary_helper_id", as: VolunteerID?.self),
            backupHelperID: try row.decode(column: "backup_helper_id", as: VolunteerID?.self),
            path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
            districtID: try row.decode(column: "district_id", as: PlaceID?.self),
            createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self)),
            updatedAt: Date(millisecondsSince1970: try row.decode(column: "updated_at", as: Int64.self)),
            version: try row.decode(column: "version", as: Int.self)
        )
    }

    static func joined(_ values: [String]) -> String { values.joined(separator: ",") }
    static func split(_ text: String) -> [String] { text.split(separator: ",").map(String.init) }
}

public enum CareRecordsError: Error {
    case notInserted
}
