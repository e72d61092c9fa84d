import Foundation
import LinliCore
import SQLKit

/// A team's nightly batch collects its requests as they are filed (`collectingBatch`), so the
/// cut-off only closes it: `formNightly` forms every batch of the teams whose cut-off has come,
/// in one transaction of a few set-based statements whatever the number of teams. A district's
/// 3,000 teams cut off at 20:00 together; a statement per team, or an update per request, would
/// all happen inside the one transaction everyone else waits on.
public enum MedicineNightlyForming {
    /// The team's batch still collecting for `night`, made when the night's first request comes.
    /// Nil once the night's batch is formed (a batch formed early by hand): the request then waits
    /// unbatched, and the cut-off gathers it.
    public static func collectingBatch(team: TeamID, night: String, at now: Date, on db: any SQLDatabase) async throws -> MedicineBatchID? {
        try await db.raw("""
            INSERT INTO medicine_batches (team_id, kind, night, status, formed_at, path, district_id)
            SELECT id, 'nightly', \(bind: night), 'collecting', \(bind: now.millisecondsSince1970), path, district_id FROM teams WHERE id = \(bind: team)
            ON CONFLICT (team_id, night, kind) DO NOTHING
            """).run()
        let row = try await db.raw("""
            SELECT id, status FROM medicine_batches WHERE team_id = \(bind: team) AND night = \(bind: night) AND kind = 'nightly'
            """).first()
        guard let row, try row.decode(column: "status", as: String.self) == MedicineBatchStatus.collecting.rawValue else { return nil }
        return try row.decode(column: "id", as: MedicineBatchID.self)
    }

    /// Forms the nightly batch of `night` ("2022-04-12") of every medicine team with this
    /// cut-off (teams without one cut off at `MedicineBatch.defaultCutoffMinute`): collecting
    /// batches stop collecting; open nightly requests that reached no batch (filed before their
    /// team had one, or after a batch formed early) join it; requests closed before the cut-off
    /// leave it; cards handed over for its requests go with it. Returns the batches formed now.
    /// Running it twice is harmless: the second run finds nothing collecting.
    public static func formNightly(cutoffMinute: Int, night: String, at now: Date, on db: any SQLDatabase) async throws -> [MedicineBatchID] {
        let formedAt = now.millisecondsSince1970
        let teams: SQLQueryString = "SELECT id FROM teams WHERE kind = 'medicine_team' AND COALESCE(medicine_cutoff_minute, \(bind: MedicineBatch.defaultCutoffMinute)) = \(bind: cutoffMinute)"
        let open: SQLQueryString = "SELECT id FROM requests WHERE category = 'medicine' AND status IN ('new', 'accepted', 'in_progress')"
        // Teams with requests waiting but no batch for the night get one.
        try await db.raw("""
            INSERT INTO medicine_batches (team_id, kind, night, status, formed_at, path, district_id)
            SELECT t.id, 'nightly', \(bind: night), 'collecting', \(bind: formedAt), t.path, t.district_id FROM teams t
            WHERE t.id IN (\(teams))
              AND EXISTS (SELECT 1 FROM medicine_requests m WHERE m.team_id = t.id AND m.batch_id IS NULL AND m.queue = 'nightly' AND m.request_id IN (\(open)))
              AND NOT EXISTS (SELECT 1 FROM medicine_batches b WHERE b.team_id = t.id AND b.night = \(bind: night) AND b.kind = 'nightly')
            """).run()
        try await db.raw("""
            UPDATE medicine_batches SET status = 'formed', formed_at = \(bind: formedAt)
            WHERE night = \(bind: night) AND kind = 'nightly' AND status = 'collecting' AND team_id IN (\(teams))
            """).run()
        let formed = try await db.raw("""
            SELECT id FROM medicine_batches WHERE night = \(bind: night) AND kind = 'nightly' AND status = 'formed' AND formed_at = \(bind: formedAt) AND team_id IN (\(teams))
            """).all().map { try $0.decode(column: "id", as: MedicineBatchID.self) }
        guard !formed.isEmpty else { return [] }
        let formedNow: SQLQueryString = "SELECT id FROM medicine_batches WHERE night = \(bind: night) AND kind = 'nightly' AND formed_at = \(bind: formedAt) AND status = 'formed'"
        try await db.raw("""
            UPDATE medicine_requests SET batch_id = (
                SELECT b.id FROM medicine_batches b WHERE b.team_id = medicine_requests.team_id AND b.night = \(bind: night) AND b.kind = 'nightly')
            WHERE batch_id IS NULL AND queue = 'nightly' AND team_id IN (\(teams)) AND request_id IN (\(open))
              AND EXISTS (SELECT 1 FROM medicine_batches b WHERE b.team_id = medicine_requests.team_id AND b.id IN (\(formedNow)))
            """).run()
        try await db.raw("""
            UPDATE medicine_requests SET batch_id = NULL
            WHERE batch_id IN (\(formedNow)) AND request_id IN (SELECT id FROM requests WHERE category = 'medicine' AND status NOT IN ('new', 'accepted', 'in_progress'))
            """).run()
        try await db.raw("""
            UPDATE medicine_cards SET batch_id = (SELECT m.batch_id FROM medicine_requests m WHERE m.request_id = medicine_cards.request_id)
            WHERE batch_id IS NULL AND state <> 'returned_to_household'
              AND request_id IN (SELECT m.request_id FROM medicine_requests m WHERE m.batch_id IN (\(formedNow)))
            """).run()
        return formed
    }

    /// Every item of the batches formed for `night`, for their per-hospital lists: one query for
    /// the whole night.
    public static func lines(night: String, kind: MedicineBatchKind = .nightly, on db: any SQLDatabase) async throws -> [MedicineListItem] {
        try await db.raw("""
            SELECT m.batch_id, m.household_id, i.source, i.hospital, i.hospital_window, i.drug, i.specification, i.quantity
            FROM medicine_batches b JOIN medicine_requests m ON m.team_id = b.team_id AND m.batch_id = b.id JOIN medicine_items i ON i.request_id = m.request_id
            WHERE b.night = \(bind: night) AND b.kind = \(bind: kind.rawValue)
            """).all().map(decodeLine)
    }

    /// The night's per-hospital lists totalled by the database: the same lists as
    /// `MedicineHospitalLists.build(lines(...))`, from one grouped query whose rows are put in
    /// order here (sorting a few lines per hospital in memory costs less than the database's
    /// sort of the whole night).
    public static func totals(night: String, kind: MedicineBatchKind = .nightly, on db: any SQLDatabase) async throws -> [MedicineBatchID: [HospitalList]] {
        try await totals(where: "b.night = \(bind: night) AND b.kind = \(bind: kind.rawValue)", on: db)
    }

    /// The night's per-hospital lists as `totals(night:kind:on:)` gives them, in `parts` queries
    /// over contiguous ranges of batch ids run at once on the store's reader connections: the
    /// grouped query is single-threaded, and a district's night (200,000 rows) takes most of a
    /// second on one core.
    public static func totals(night: String, kind: MedicineBatchKind = .nightly, store: Store, parts: Int = 2) async throws -> [MedicineBatchID: [HospitalList]] {
        let ids = try await store.read { db in
            try await db.raw("SELECT id FROM medicine_batches WHERE night = \(bind: night) AND kind = \(bind: kind.rawValue) ORDER BY id").all()
                .map { try $0.decode(column: "id", as: MedicineBatchID.self) }
        }
        guard !ids.isEmpty else { return [:] }
        let chunk = (ids.count + max(1, parts) - 1) / max(1, parts)
        let ranges = stride(from: 0, to: ids.count, by: chunk).map { (ids[$0], ids[min($0 + chunk, ids.count) - 1]) }
        return try await withThrowingTaskGroup(of: [MedicineBatchID: [HospitalList]].self) { group in
            for (low, high) in ranges {
                group.addTask {
                    try await store.read { db in
                        try await totals(where: "b.night = \(bind: night) AND b.kind = \(bind: kind.rawValue) AND b.id BETWEEN \(bind: low) AND \(bind: high)", on: db)
                    }
                }
            }
            var merged: [MedicineBatchID: [HospitalList]] = [:]
            for try await part in group { merged.merge(part) { first, _ in first } }
            return merged
        }
    }

    /// One batch's per-hospital lists.
    public static func totals(batch: MedicineBatchID, on db: any SQLDatabase) async throws -> [HospitalList] {
        try await totals(where: "b.id = \(bind: batch)", on: db)[batch] ?? []
    }

    static func totals(where condition: SQLQueryString, on db: any SQLDatabase) async throws -> [MedicineBatchID: [HospitalList]] {
        let rows = try await db.raw("""
            SELECT m.batch_id, i.source, i.hospital, i.hospital_window, i.drug, COALESCE(i.specification, '') AS specification,
                SUM(i.quantity) AS quantity, COUNT(DISTINCT m.household_id) AS households
            FROM medicine_batches b JOIN medicine_requests m ON m.team_id = b.team_id AND m.batch_id = b.id JOIN medicine_items i ON i.request_id = m.request_id
            WHERE \(condition)
            GROUP BY m.batch_id, i.source, i.hospital, i.hospital_window, i.drug, COALESCE(i.specification, '')
            """).all()
        var grouped: [MedicineBatchID: [HospitalListKey: [HospitalListLine]]] = [:]
        for row in rows {
            let key = HospitalListKey(
                source: MedicineSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .hospitalWindow,
                hospital: try row.decode(column: "hospital", as: String.self), window: try row.decode(column: "hospital_window", as: String.self)
            )
            let line = HospitalListLine(
                drug: try row.decode(column: "drug", as: String.self), specification: try row.decode(column: "specification", as: String.self),
                quantity: try row.decode(column: "quantity", as: Int.self), households: try row.decode(column: "households", as: Int.self)
            )
            grouped[try row.decode(column: "batch_id", as: MedicineBatchID.self), default: [:]][key, default: []].append(line)
        }
        return grouped.mapValues { places in
            places.map { key, lines in
                HospitalList(source: key.source, hospital: key.hospital, window: key.window, lines: lines.sorted { ($0.drug, $0.specification) < ($1.drug, $1.specification) })
            }.sorted { ($0.source.rawValue, $0.hospital, $0.window) < ($1.source.rawValue, $1.hospital, $1.window) }
        }
    }

    struct HospitalListKey: Hashable {
        var source: MedicineSource
        var hospital: String
        var window: String
    }

    static func decodeLine(_ row: any SQLRow) throws -> MedicineListItem {
        MedicineListItem(
            batchID: try row.decode(column: "batch_id", as: MedicineBatchID.self),
            householdID: try row.decode(column: "household_id", as: PlaceID.self),
            source: MedicineSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .hospitalWindow,
            hospital: try row.decode(column: "hospital", as: String.self),
            window: try row.decode(column: "hospital_window", as: String.self),
            drug: try row.decode(column: "drug", as: String.self),
            specification: try row.decode(column: "specification", as: String?.self) ?? "",
            quantity: try row.decode(column: "quantity", as: Int.self)
        )
    }
}
