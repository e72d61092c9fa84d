import Foundation
import LinliCore
import SQLKit

/// The figures of a place's day for its briefing, read from the records each capability keeps.
/// A capability the place has never used (no medicine request, no relief hand-out, no survey
/// campaign) gives nil, and the briefing leaves its line out.
public enum BriefingRecords {
    /// `start` and `end` bound the day (Shanghai midnight to midnight); `days` are the seven days
    /// up to it, oldest first, each with its label and bounds.
    public static func figures(place: Place, day: String, start: Date, end: Date, days: [(label: String, start: Date, end: Date)],
                               on db: any SQLDatabase) async throws -> BriefingFigures {
        let range = place.path.descendantRange
        // Requests sit on households, whose paths lie strictly under the place's.
        let under: SQLQueryString = "path > \(bind: range.after) AND path < \(bind: range.before)"
        func count(_ sql: SQLQueryString) async throws -> Int {
            try await db.raw(sql).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let (from, to) = (start.millisecondsSince1970, end.millisecondsSince1970)
        let filed = try await count("SELECT COUNT(*) AS n FROM requests WHERE \(under) AND created_at >= \(bind: from) AND created_at < \(bind: to)")
        let done = try await count("""
            SELECT COUNT(*) AS n FROM requests WHERE \(under) AND status = 'done' AND closed_at >= \(bind: from) AND closed_at < \(bind: to)
            """)
        let overdue = try await count("""
            SELECT COUNT(*) AS n FROM requests WHERE \(under) AND created_at < \(bind: to)
              AND ((status = 'new' AND accept_by < \(bind: to)) OR (status IN ('accepted', 'in_progress') AND done_by < \(bind: to)))
            """)
        var medicine: Int?
        if try await count("SELECT COUNT(*) AS n FROM (SELECT 1 FROM medicine_requests WHERE \(under) LIMIT 1) m") > 0 {
            medicine = try await count("""
                SELECT COUNT(DISTINCT m.household_id) AS n FROM medicine_requests m JOIN requests r ON r.id = m.request_id
                WHERE m.path > \(bind: range.after) AND m.path < \(bind: range.before)
                  AND r.status = 'done' AND r.closed_at >= \(bind: from) AND r.closed_at < \(bind: to)
                """)
        }
        var relief: Int?
        let handedOut: SQLQueryString = """
            FROM supply_ledger l JOIN households h ON h.id = l.household_id
            WHERE l.event = \(bind: SupplyEvent.handedOut.rawValue) AND h.path > \(bind: range.after) AND h.path < \(bind: range.before)
            """
        if try await count("SELECT COUNT(*) AS n FROM (SELECT 1 \(handedOut) LIMIT 1) s") > 0 {
            relief = try await count("SELECT COUNT(DISTINCT l.household_id) AS n \(handedOut) AND l.at >= \(bind: from) AND l.at < \(bind: to)")
        }
        var visited: Int?
        var households: Int?
        // The newest campaign over the place, or over a place above it, that had begun by the day's end.
        let ancestors = place.path.ids.map(\.rawValue)
        if let campaign = try await db.raw("""
            SELECT id FROM survey_campaigns WHERE (place_id IN (\(binds: ancestors)) OR (path > \(bind: range.after) AND path < \(bind: range.before)))
              AND starts_at < \(bind: to) ORDER BY starts_at DESC, id DESC LIMIT 1
            """).first()?.decode(column: "id", as: Int64.self) {
            households = try await count("SELECT COUNT(*) AS n FROM households WHERE \(under)")
            visited = try await count("""
                SELECT COUNT(*) AS n FROM survey_visits v JOIN households h ON h.id = v.household_id
                WHERE v.campaign_id = \(bind: campaign) AND h.path > \(bind: range.after) AND h.path < \(bind: range.before)
                """)
        }
        var week: [BriefingFigures.Day] = []
        for entry in days {
            let (dayFrom, dayTo) = (entry.start.millisecondsSince1970, entry.end.millisecondsSince1970)
            week.append(BriefingFigures.Day(
                day: entry.label,
                filed: try await count("SELECT COUNT(*) AS n FROM requests WHERE \(under) AND created_at >= \(bind: dayFrom) AND created_at < \(bind: dayTo)"),
                done: try await count("""
                    SELECT COUNT(*) AS n FROM requests WHERE \(under) AND status = 'done' AND closed_at >= \(bind: dayFrom) AND closed_at < \(bind: dayTo)
                    """)))
        }
        return BriefingFigures(placeName: place.name, day: day, requestsFiled: filed, requestsDone: done, requestsOverdue: overdue, medicineHouseholds: medicine,
                               reliefHouseholds: relief, surveyVisited: visited, surveyHouseholds: households, volunteersOnDuty: nil, week: week)
    }
}
