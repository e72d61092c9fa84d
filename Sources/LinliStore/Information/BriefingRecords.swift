import Foundation
import LinliCore
import SQLKit

/// Daily briefings: the figures of a place's day, read from the records each capability keeps,
/// and the briefings drafted from them, edited and published.
public enum BriefingRecords {
    /// The figures of `place`'s `day`, with the week up to it for the chart. A
    /// capability the place has never used (no medicine request, no relief hand-out, no survey
    /// campaign) gives nil, and the briefing leaves its line out.
    public static func figures(place: Place, day: BriefingDay, on db: any SQLDatabase) async throws -> BriefingFigures {
        let range = place.path.descendantRange
        // Requests sit on households, whose paths lie strictly under the place's.
        let under: SQLQueryString = "path > \(bind: range.after) AND path < \(bind: range.before)"
        func count(_ sql: SQLQueryString) async throws -> Int {
            try await db.raw(sql).first()?.decode(column: "n", as: Int.self) ?? 0
        }
        let (from, to) = (day.start.millisecondsSince1970, day.end.millisecondsSince1970)
        // Every count over requests in one pass over the place's requests: the day's, the
        // overdue ones at its end, and each day of the week.
        var sums: SQLQueryString = """
            SUM(CASE WHEN created_at >= \(bind: from) AND created_at < \(bind: to) THEN 1 ELSE 0 END) AS filed,
            SUM(CASE WHEN status = 'done' AND closed_at >= \(bind: from) AND closed_at < \(bind: to) THEN 1 ELSE 0 END) AS done,
            SUM(CASE WHEN created_at < \(bind: to) AND ((status = 'new' AND accept_by < \(bind: to))
                     OR (status IN ('accepted', 'in_progress') AND done_by < \(bind: to))) THEN 1 ELSE 0 END) AS overdue
            """
        let days = day.week
        for (index, entry) in days.enumerated() {
            let (dayFrom, dayTo) = (entry.start.millisecondsSince1970, entry.end.millisecondsSince1970)
            sums = sums + """
                , SUM(CASE WHEN created_at >= \(bind: dayFrom) AND created_at < \(bind: dayTo) THEN 1 ELSE 0 END) AS \(unsafeRaw: "filed_\(index)"),
                SUM(CASE WHEN status = 'done' AND closed_at >= \(bind: dayFrom) AND closed_at < \(bind: dayTo) THEN 1 ELSE 0 END) AS \(unsafeRaw: "done_\(index)")
                """
        }
        let requests = try await db.raw("SELECT \(sums) FROM requests WHERE \(under)").first()
        // SUM over no rows is NULL.
        func sum(_ column: String) throws -> Int { try requests?.decode(column: column, as: Int?.self) ?? 0 }
        let week = try days.enumerated().map { index, entry in
            BriefingFigures.Day(day: entry.label, filed: try sum("filed_\(index)"), done: try sum("done_\(index)"))
        }
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
            // From the place's households to their visits, not the other way: a district-wide
            // campaign's visits run to millions, a compound's households to hundreds.
            visited = try await count("""
                SELECT COUNT(*) AS n FROM households h
                WHERE h.path > \(bind: range.after) AND h.path < \(bind: range.before)
                  AND EXISTS (SELECT 1 FROM survey_visits v WHERE v.campaign_id = \(bind: campaign) AND v.household_id = h.id)
                """)
        }
        return BriefingFigures(placeName: place.name, day: day.label, requestsFiled: try sum("filed"), requestsDone: try sum("done"),
                               requestsOverdue: try sum("overdue"), medicineHouseholds: medicine, reliefHouseholds: relief, surveyVisited: visited,
                               surveyHouseholds: households, volunteersOnDuty: nil, week: week)
    }

    // MARK: Briefings

    static let columns: SQLQueryString = """
        b.id, b.place_id, b.day, b.state, b.text, b.figures, b.drafted_at, b.edited_by, b.edited_at, b.published_by, b.published_at, b.path, p.name AS place_name
        """

    static func figuresJSON(_ figures: BriefingFigures) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(figures), as: UTF8.self)
    }

    /// Drafts `place`'s briefing of `figures.day`. With `replacing`, a draft already there is
    /// drafted afresh (its edits are lost: the person asked for it); without, it is kept. Nil when
    /// the day's briefing is published, or kept.
    public static func draft(place: Place, figures: BriefingFigures, text: String, at now: Date, replacing: Bool,
                             on db: any SQLDatabase) async throws -> BriefingID? {
        let onConflict: SQLQueryString = replacing
            ? """
              DO UPDATE SET text = excluded.text, figures = excluded.figures, drafted_at = excluded.drafted_at, edited_by = NULL, edited_at = NULL
              WHERE briefings.state = \(bind: BriefingState.draft.rawValue)
              """
            : "DO NOTHING"
        return try await db.raw("""
            INSERT INTO briefings (place_id, day, state, text, figures, drafted_at, path, district_id)
            VALUES (\(bind: place.id), \(bind: figures.day), \(bind: BriefingState.draft.rawValue), \(bind: text), \(bind: try figuresJSON(figures)),
                    \(bind: now.millisecondsSince1970), \(bind: place.path.rawValue), \(bind: place.districtID ?? (place.level == .district ? place.id : nil)))
            ON CONFLICT (place_id, day) \(onConflict) RETURNING id
            """).first()?.decode(column: "id", as: BriefingID.self)
    }

    public static func briefing(id: BriefingID, on db: any SQLDatabase) async throws -> StoredBriefing? {
        try await db.raw("SELECT \(columns) FROM briefings b JOIN places p ON p.id = b.place_id WHERE b.id = \(bind: id)").first().map(decode)
    }

    /// The briefings of `path` and the places under it, newest day first; drafts only with
    /// `drafts`.
    public static func briefings(at path: PlacePath, drafts: Bool, limit: Int, on db: any SQLDatabase) async throws -> [StoredBriefing] {
        let range = path.descendantRange
        let published: SQLQueryString = drafts ? "" : "AND b.state = \(bind: BriefingState.published.rawValue)"
        return try await db.raw("""
            SELECT \(columns) FROM briefings b JOIN places p ON p.id = b.place_id
            WHERE (b.path = \(bind: path.rawValue) OR (b.path > \(bind: range.after) AND b.path < \(bind: range.before))) \(published)
            ORDER BY b.day DESC, b.id DESC LIMIT \(bind: max(1, min(limit, 500)))
            """).all().map(decode)
    }

    /// Replaces a draft's text; false when it is no longer a draft.
    public static func setText(_ id: BriefingID, text: String, by user: UserID, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            UPDATE briefings SET text = \(bind: text), edited_by = \(bind: user), edited_at = \(bind: now.millisecondsSince1970)
            WHERE id = \(bind: id) AND state = \(bind: BriefingState.draft.rawValue) RETURNING id
            """).all().isEmpty
    }

    /// Publishes a draft; false when it is no longer a draft.
    public static func publish(_ id: BriefingID, by user: UserID, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await !db.raw("""
            UPDATE briefings SET state = \(bind: BriefingState.published.rawValue), published_by = \(bind: user), published_at = \(bind: now.millisecondsSince1970)
            WHERE id = \(bind: id) AND state = \(bind: BriefingState.draft.rawValue) RETURNING id
            """).all().isEmpty
    }

    /// The places that have a briefing of `day` already, draft or published.
    public static func placesBriefed(day: String, on db: any SQLDatabase) async throws -> Set<PlaceID> {
        Set(try await db.raw("SELECT place_id FROM briefings WHERE day = \(bind: day)").all().map { try $0.decode(column: "place_id", as: PlaceID.self) })
    }

    /// Every compound, walked down from the roots by parent (indexed), for the morning's drafts.
    public static func compounds(on db: any SQLDatabase) async throws -> [Place] {
        var level = try await DirectoryRecords.rootPlaces(on: db)
        var compounds: [Place] = []
        while !level.isEmpty {
            compounds += level.filter { $0.level == .compound }
            let parents = level.filter { $0.level < .compound }.map(\.id.rawValue)
            var next: [Place] = []
            for start in stride(from: 0, to: parents.count, by: 500) {
                let chunk = Array(parents[start..<min(start + 500, parents.count)])
                next += try await db.raw("""
                    SELECT id, parent_id, level, name, code, path, district_id FROM places WHERE parent_id IN (\(binds: chunk)) ORDER BY id
                    """).all().map(DirectoryRecords.decodePlace)
            }
            level = next
        }
        return compounds.sorted { $0.id < $1.id }
    }

    static func decode(_ row: any SQLRow) throws -> StoredBriefing {
        let figures = try JSONDecoder().decode(BriefingFigures.self, from: Data(try row.decode(column: "figures", as: String.self).utf8))
        let millis = { (column: String) in try row.decode(column: column, as: Int64?.self).map(Date.init(millisecondsSince1970:)) }
        let briefing = Briefing(
            id: try row.decode(column: "id", as: BriefingID.self), placeID: try row.decode(column: "place_id", as: PlaceID.self),
            day: try row.decode(column: "day", as: String.self),
            state: BriefingState(rawValue: try row.decode(column: "state", as: String.self)) ?? .draft,
            text: try row.decode(column: "text", as: String.self), figures: figures,
            draftedAt: Date(millisecondsSince1970: try row.decode(column: "drafted_at", as: Int64.self)),
            editedBy: try row.decode(column: "edited_by", as: UserID?.self), editedAt: try millis("edited_at"),
            publishedBy: try row.decode(column: "published_by", as: UserID?.self), publishedAt: try millis("published_at"))
        return StoredBriefing(briefing: briefing, placeName: try row.decode(column: "place_name", as: String.self),
                              path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)))
    }
}

public struct StoredBriefing: Sendable, Hashable {
    public var briefing: Briefing
    public var placeName: String
    public var path: PlacePath
}
