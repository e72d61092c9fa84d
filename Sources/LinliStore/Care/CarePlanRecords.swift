import Foundation
import LinliCore
import SQLKit

/// A check-in with what a list shows beside it: whose it is and what the item is.
public struct CheckInLine: Sendable, Hashable {
    public var checkIn: CareCheckIn
    public var kind: CarePlanKind
    public var label: String?
}

/// Care plans and their check-ins. Check-ins are made ahead by a job; the unique (item, due_at)
/// makes making them again harmless.
public enum CarePlanRecords {
    static let itemColumns: SQLQueryString = "id, entry_id, kind, label, weekdays, due_minute, on_day, active, path"
    static let checkInColumns: SQLQueryString = "c.id, c.item_id, c.entry_id, c.due_at, c.done_at, c.done_by, c.note, c.escalation_level, c.path, i.kind, i.label"

    public static func insert(_ item: CarePlanItem, on db: any SQLDatabase) async throws -> CarePlanItem {
        let row = try await db.raw("""
            INSERT INTO care_plan_items (entry_id, kind, label, weekdays, due_minute, on_day, active, path)
            VALUES (\(bind: item.entryID), \(bind: item.kind.rawValue), \(bind: item.label), \(bind: item.weekdays.map { String($0) }.joined(separator: ",")),
                \(bind: item.dueMinute), \(bind: item.onDay), \(bind: item.active ? 1 : 0), \(bind: item.path.rawValue))
            RETURNING id
            """).first()
        guard let row else { throw CareRecordsError.notInserted }
        var inserted = item
        inserted.id = try row.decode(column: "id", as: CarePlanItemID.self)
        return inserted
    }

    public static func items(entryID: CareEntryID, on db: any SQLDatabase) async throws -> [CarePlanItem] {
        try await db.raw("SELECT \(itemColumns) FROM care_plan_items WHERE entry_id = \(bind: entryID) ORDER BY due_minute, id").all().map(decodeItem)
    }

    /// Active items after `afterID`, in id order, a page at a time (the job that makes check-ins
    /// walks every item of the deployment).
    public static func activeItems(after afterID: CarePlanItemID, limit: Int, on db: any SQLDatabase) async throws -> [CarePlanItem] {
        try await db.raw("SELECT \(itemColumns) FROM care_plan_items WHERE active = 1 AND id > \(bind: afterID) ORDER BY id LIMIT \(bind: limit)").all().map(decodeItem)
    }

    static func decodeItem(_ row: any SQLRow) throws -> CarePlanItem {
        CarePlanItem(
            id: try row.decode(column: "id", as: CarePlanItemID.self),
            entryID: try row.decode(column: "entry_id", as: CareEntryID.self),
            kind: CarePlanKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
            label: try row.decode(column: "label", as: String?.self),
            weekdays: CareRecords.split(try row.decode(column: "weekdays", as: String.self)).compactMap { Int($0) },
            dueMinute: try row.decode(column: "due_minute", as: Int.self),
            onDay: try row.decode(column: "on_day", as: String?.self),
            active: try row.decode(column: "active", as: Int.self) != 0,
            path: PlacePath(rawValue: try row.decode(column: "path", as: String.self))
        )
    }

    /// Adds the check-in of `item` due at `dueAt` unless it exists; returns its id when it is new.
    public static func addCheckIn(item: CarePlanItem, dueAt: Date, on db: any SQLDatabase) async throws -> CareCheckInID? {
        try await db.raw("""
            INSERT INTO care_checkins (item_id, entry_id, due_at, escalation_level, path)
            VALUES (\(bind: item.id), \(bind: item.entryID), \(bind: dueAt.millisecondsSince1970), 0, \(bind: item.path.rawValue))
            ON CONFLICT (item_id, due_at) DO NOTHING
            RETURNING id
            """).first()?.decode(column: "id", as: CareCheckInID.self)
    }

    public static func checkIn(id: CareCheckInID, on db: any SQLDatabase) async throws -> CheckInLine? {
        try await db.raw("SELECT \(checkInColumns) FROM care_checkins c JOIN care_plan_items i ON i.id = c.item_id WHERE c.id = \(bind: id)").first().map(decodeLine)
    }

    /// The check-ins of `entries` due in `[from, to)`, and every earlier one still open.
    public static func checkIns(entries: [CareEntryID], from: Date, to: Date, on db: any SQLDatabase) async throws -> [CheckInLine] {
        guard !entries.isEmpty else { return [] }
        let binds: [any Encodable & Sendable] = entries
        return try await db.raw("""
            SELECT \(checkInColumns) FROM care_checkins c JOIN care_plan_items i ON i.id = c.item_id
            WHERE c.entry_id IN (\(binds: binds)) AND c.due_at < \(bind: to.millisecondsSince1970)
              AND (c.due_at >= \(bind: from.millisecondsSince1970) OR c.done_at IS NULL)
            ORDER BY c.due_at, c.id LIMIT 500
            """).all().map(decodeLine)
    }

    /// Open check-ins under `scopes` due before `now`, most overdue first.
    public static func overdue(scopes: [PlacePath], now: Date, limit: Int, on db: any SQLDatabase) async throws -> [CheckInLine] {
        try await db.raw("""
            SELECT \(checkInColumns) FROM care_checkins c JOIN care_plan_items i ON i.id = c.item_id
            WHERE c.done_at IS NULL AND c.due_at < \(bind: now.millisecondsSince1970) AND \(scopeCondition(column: "c.path", scopes: scopes.map(\.rawValue)))
            ORDER BY c.due_at, c.id LIMIT \(bind: limit)
            """).all().map(decodeLine)
    }

    public static func overdueCount(scopes: [PlacePath], now: Date, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            SELECT COUNT(*) AS n FROM care_checkins c
            WHERE c.done_at IS NULL AND c.due_at < \(bind: now.millisecondsSince1970) AND \(scopeCondition(column: "c.path", scopes: scopes.map(\.rawValue)))
            """).first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
    }

    /// Ticks a check-in off once: true when this call did it, false when it was done already.
    public static func markDone(_ id: CareCheckInID, by actor: String, note: String?, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE care_checkins SET done_at = \(bind: now.millisecondsSince1970), done_by = \(bind: actor), note = \(bind: note)
            WHERE id = \(bind: id) AND done_at IS NULL RETURNING id
            """).first() != nil
    }

    /// Raises an open check-in from `level` to `level + 1`, once: false when it moved on meanwhile.
    public static func raise(_ id: CareCheckInID, from level: Int, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE care_checkins SET escalation_level = \(bind: level + 1)
            WHERE id = \(bind: id) AND done_at IS NULL AND escalation_level = \(bind: level) RETURNING id
            """).first() != nil
    }

    public static func setLastContact(entryID: CareEntryID, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE care_entries SET last_contact_at = \(bind: now.millisecondsSince1970), updated_at = \(bind: now.millisecondsSince1970), version = version + 1
            WHERE id = \(bind: entryID) AND (last_contact_at IS NULL OR last_contact_at < \(bind: now.millisecondsSince1970))
            """).run()
    }

    static func decodeLine(_ row: any SQLRow) throws -> CheckInLine {
        CheckInLine(
            checkIn: CareCheckIn(
                id: try row.decode(column: "id", as: CareCheckInID.self),
                itemID: try row.decode(column: "item_id", as: CarePlanItemID.self),
                entryID: try row.decode(column: "entry_id", as: CareEntryID.self),
                dueAt: Date(millisecondsSince1970: try row.decode(column: "due_at", as: Int64.self)),
                doneAt: try row.decode(column: "done_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
                doneBy: try row.decode(column: "done_by", as: String?.self),
                note: try row.decode(column: "note", as: String?.self),
                escalationLevel: try row.decode(column: "escalation_level", as: Int.self),
                path: PlacePath(rawValue: try row.decode(column: "path", as: String.self))
            ),
            kind: CarePlanKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .other,
            label: try row.decode(column: "label", as: String?.self)
        )
    }
}

extension CarePlanRecords {
    /// The phones of the compound's leads and its committee's staff: the last rung of a check-in
    /// nobody ticked off.
    public static func leadPhones(compound: Place, on db: any SQLDatabase) async throws -> [String] {
        try await db.raw("""
            SELECT DISTINCT u.phone FROM role_assignments ra JOIN users u ON u.id = ra.user_id
            WHERE (ra.place_id = \(bind: compound.id) AND ra.role = \(bind: RoleKind.compoundLead.rawValue))
               OR (ra.place_id = \(bind: compound.parentID ?? compound.id) AND ra.role = \(bind: RoleKind.committeeStaff.rawValue))
            ORDER BY u.phone
            """).all().map { try $0.decode(column: "phone", as: String.self) }
    }
}
