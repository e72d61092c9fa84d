import Foundation
import LinliCore
import SQLKit

/// A household as the building walk shows it: its room and where it stands in the campaign.
public struct SurveyHouseholdRow: Sendable, Hashable {
    public var householdID: PlaceID
    public var room: String
    public var status: SurveyStatus
    public var note: String?
    public var updatedAt: Date?

    public init(householdID: PlaceID, room: String, status: SurveyStatus, note: String? = nil, updatedAt: Date? = nil) {
        self.householdID = householdID
        self.room = room
        self.status = status
        self.note = note
        self.updatedAt = updatedAt
    }
}

/// A building's tally in a campaign.
public struct SurveyBuildingTally: Sendable, Hashable {
    public var buildingID: PlaceID
    public var name: String
    public var tally: SurveyTally
}

/// What one surveyor recorded in a campaign (latest status of each household they touched last).
public struct SurveyorTally: Sendable, Hashable {
    public var userID: UserID?
    public var name: String?
    public var tally: SurveyTally
}

/// One recorded visit, kept even when a later one replaced it.
public struct SurveyVisitRecord: Sendable, Hashable {
    public var id: Int64
    public var householdID: PlaceID
    public var status: SurveyStatus
    public var note: String?
    public var surveyorUserID: UserID?
    public var at: Date
    public var idempotencyKey: String?
}

/// Survey campaigns and their visits. Callers check access; these functions only move rows.
public enum SurveyRecords {
    static let campaignColumns: SQLQueryString = "id, name, place_id, path, district_id, starts_at, ends_at, closed_at, closed_reason, created_by, created_at"

    public static func insert(_ campaign: SurveyCampaign, on db: any SQLDatabase) async throws -> SurveyCampaign {
        let row = try await db.raw("""
            INSERT INTO survey_campaigns (name, place_id, path, district_id, starts_at, ends_at, created_by, created_at)
            VALUES (\(bind: campaign.name), \(bind: campaign.placeID), \(bind: campaign.path.rawValue), \(bind: campaign.districtID),
                \(bind: campaign.startsAt.millisecondsSince1970), \(bind: campaign.endsAt.millisecondsSince1970), \(bind: campaign.createdBy), \(bind: campaign.createdAt.millisecondsSince1970))
            RETURNING id
            """).first()
        guard let row else { throw CareRecordsError.notInserted }
        var inserted = campaign
        inserted.id = try row.decode(column: "id", as: SurveyCampaignID.self)
        return inserted
    }

    public static func campaign(id: SurveyCampaignID, on db: any SQLDatabase) async throws -> SurveyCampaign? {
        try await db.raw("SELECT \(campaignColumns) FROM survey_campaigns WHERE id = \(bind: id)").first().map(decodeCampaign)
    }

    /// Campaigns over a place at or under one of `scopes`, or over a place above one of them (a
    /// building leader walks their building in the compound's campaign); newest first.
    public static func campaigns(related scopes: [PlacePath], limit: Int, on db: any SQLDatabase) async throws -> [SurveyCampaign] {
        guard !scopes.isEmpty else { return [] }
        var conditions: [SQLQueryString] = [scopeCondition(column: "path", scopes: scopes.map(\.rawValue))]
        let above = Set(scopes.flatMap { scope in scope.ids.indices.map { index in scope.ids[...index].map(\.description).joined(separator: "/") } })
        let aboveBinds: [any Encodable & Sendable] = above.sorted()
        conditions.append("path IN (\(binds: aboveBinds))")
        return try await db.raw("SELECT \(campaignColumns) FROM survey_campaigns WHERE \(conditions.joined(separator: " OR ")) ORDER BY id DESC LIMIT \(bind: limit)")
            .all().map(decodeCampaign)
    }

    /// Closes the campaign unless it already is; false when it was closed before.
    public static func close(id: SurveyCampaignID, reason: String?, at time: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE survey_campaigns SET closed_at = \(bind: time.millisecondsSince1970), closed_reason = \(bind: reason)
            WHERE id = \(bind: id) AND closed_at IS NULL RETURNING id
            """).first() != nil
    }

    /// Adds a visit to the history unless `idempotencyKey` was already used in the campaign.
    /// Returns the new row's id, or nil for a replay: the caller then changes nothing else. On
    /// PostgreSQL a second transaction with the same key waits for the first and then finds it.
    public static func appendVisit(campaignID: SurveyCampaignID, householdID: PlaceID, status: SurveyStatus, note: String?, surveyor: UserID?, at time: Date, idempotencyKey: String?, on db: any SQLDatabase) async throws -> Int64? {
        try await db.raw("""
            INSERT INTO survey_visit_history (campaign_id, household_id, status, note, surveyor_user_id, at, idempotency_key)
            VALUES (\(bind: campaignID), \(bind: householdID), \(bind: status.rawValue), \(bind: note), \(bind: surveyor), \(bind: time.millisecondsSince1970), \(bind: idempotencyKey))
            ON CONFLICT (campaign_id, idempotency_key) DO NOTHING
            RETURNING id
            """).first().map { try $0.decode(column: "id", as: Int64.self) }
    }

    public static func keyUsed(campaignID: SurveyCampaignID, idempotencyKey: String, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("SELECT 1 AS used FROM survey_visit_history WHERE campaign_id = \(bind: campaignID) AND idempotency_key = \(bind: idempotencyKey)").first() != nil
    }

    /// Sets the household's latest status in the campaign.
    public static func setLatest(campaignID: SurveyCampaignID, household: Household, status: SurveyStatus, note: String?, surveyor: UserID?, at time: Date, idempotencyKey: String?, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO survey_visits (campaign_id, household_id, building_id, status, note, surveyor_user_id, updated_at, idempotency_key)
            VALUES (\(bind: campaignID), \(bind: household.id), \(bind: household.buildingID), \(bind: status.rawValue), \(bind: note), \(bind: surveyor), \(bind: time.millisecondsSince1970), \(bind: idempotencyKey))
            ON CONFLICT (campaign_id, household_id) DO UPDATE SET status = excluded.status, note = excluded.note,
                surveyor_user_id = excluded.surveyor_user_id, updated_at = excluded.updated_at, idempotency_key = excluded.idempotency_key
            """).run()
    }

    /// The history of visits, oldest first: of one household, or of every household under `within`.
    public static func history(campaignID: SurveyCampaignID, householdID: PlaceID?, within scopes: [PlacePath], limit: Int, on db: any SQLDatabase) async throws -> [SurveyVisitRecord] {
        var sql: SQLQueryString = """
            SELECT v.id, v.household_id, v.status, v.note, v.surveyor_user_id, v.at, v.idempotency_key
            FROM survey_visit_history v JOIN households h ON h.id = v.household_id
            WHERE v.campaign_id = \(bind: campaignID) AND
            """
        sql += " " + scopeCondition(column: "h.path", scopes: scopes.map(\.rawValue))
        if let householdID { sql += " AND v.household_id = \(bind: householdID)" }
        sql += " ORDER BY v.id LIMIT \(bind: limit)"
        return try await db.raw(sql).all().map { row in
            SurveyVisitRecord(
                id: try row.decode(column: "id", as: Int64.self),
                householdID: try row.decode(column: "household_id", as: PlaceID.self),
                status: SurveyStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .notYet,
                note: try row.decode(column: "note", as: String?.self),
                surveyorUserID: try row.decode(column: "surveyor_user_id", as: UserID?.self),
                at: Date(millisecondsSince1970: try row.decode(column: "at", as: Int64.self)),
                idempotencyKey: try row.decode(column: "idempotency_key", as: String?.self)
            )
        }
    }

    /// The households of one building with their latest status in the campaign.
    public static func households(campaignID: SurveyCampaignID, buildingID: PlaceID, on db: any SQLDatabase) async throws -> [SurveyHouseholdRow] {
        try await db.raw("""
            SELECT h.id, h.room, v.status, v.note, v.updated_at
            FROM households h LEFT JOIN survey_visits v ON v.campaign_id = \(bind: campaignID) AND v.household_id = h.id
            WHERE h.building_id = \(bind: buildingID)
            ORDER BY h.room, h.id
            """).all().map { row in
            SurveyHouseholdRow(
                householdID: try row.decode(column: "id", as: PlaceID.self),
                room: try row.decode(column: "room", as: String.self),
                status: try row.decode(column: "status", as: String?.self).flatMap(SurveyStatus.init(rawValue:)) ?? .notYet,
                note: try row.decode(column: "note", as: String?.self),
                updatedAt: try row.decode(column: "updated_at", as: Int64?.self).map(Date.init(millisecondsSince1970:))
            )
        }
    }

    /// The residents of a building's households, by household, for naming who a finding is about.
    public static func residentNames(buildingID: PlaceID, on db: any SQLDatabase) async throws -> [PlaceID: [(id: ResidentID, name: String)]] {
        var names: [PlaceID: [(id: ResidentID, name: String)]] = [:]
        for row in try await db.raw("""
            SELECT r.id, r.name, r.household_id FROM residents r JOIN households h ON h.id = r.household_id
            WHERE h.building_id = \(bind: buildingID) ORDER BY r.household_id, r.id
            """).all() {
            names[try row.decode(column: "household_id", as: PlaceID.self), default: []].append((try row.decode(column: "id", as: ResidentID.self), try row.decode(column: "name", as: String.self)))
        }
        return names
    }

    static let finalStatuses: SQLQueryString = "('visited', 'phoned', 'vacant', 'no_need', 'follow_up')"

    static func tallyColumns(_ status: String) -> SQLQueryString {
        """
        COUNT(*) AS households,
        SUM(CASE WHEN \(unsafeRaw: status) IN \(finalStatuses) THEN 1 ELSE 0 END) AS done,
        SUM(CASE WHEN \(unsafeRaw: status) IS NULL OR \(unsafeRaw: status) = 'not_yet' THEN 1 ELSE 0 END) AS not_yet,
        SUM(CASE WHEN \(unsafeRaw: status) = 'nobody_home' THEN 1 ELSE 0 END) AS nobody_home,
        SUM(CASE WHEN \(unsafeRaw: status) = 'follow_up' THEN 1 ELSE 0 END) AS follow_ups
        """
    }

    static func decodeTally(_ row: any SQLRow) throws -> SurveyTally {
        // SUM over no rows is NULL, and PostgreSQL's COUNT and SUM are bigint.
        func int(_ column: String) throws -> Int { Int(try row.decode(column: column, as: Int64?.self) ?? 0) }
        return SurveyTally(households: try int("households"), done: try int("done"), notYet: try int("not_yet"), nobodyHome: try int("nobody_home"), followUps: try int("follow_ups"))
    }

    /// Each building's tally, over the campaign's households that lie in `scopes`: one grouped
    /// query over the households' path range, however many households there are.
    public static func buildingTallies(campaign: SurveyCampaign, scopes: [PlacePath], on db: any SQLDatabase) async throws -> [SurveyBuildingTally] {
        let range = campaign.path.descendantRange
        var sql: SQLQueryString = """
            SELECT h.building_id, b.name, \(tallyColumns("v.status"))
            FROM households h JOIN places b ON b.id = h.building_id
            LEFT JOIN survey_visits v ON v.campaign_id = \(bind: campaign.id) AND v.household_id = h.id
            WHERE h.path > \(bind: range.after) AND h.path < \(bind: range.before) AND
            """
        sql += " " + scopeCondition(column: "h.path", scopes: scopes.map(\.rawValue))
        sql += " GROUP BY h.building_id, b.name ORDER BY h.building_id"
        return try await db.raw(sql).all().map { row in
            SurveyBuildingTally(buildingID: try row.decode(column: "building_id", as: PlaceID.self), name: try row.decode(column: "name", as: String.self), tally: try decodeTally(row))
        }
    }

    /// Each surveyor's tally: the households whose latest visit they recorded.
    public static func surveyorTallies(campaign: SurveyCampaign, scopes: [PlacePath], on db: any SQLDatabase) async throws -> [SurveyorTally] {
        var sql: SQLQueryString = """
            SELECT v.surveyor_user_id, u.name, \(tallyColumns("v.status"))
            FROM survey_visits v JOIN households h ON h.id = v.household_id LEFT JOIN users u ON u.id = v.surveyor_user_id
            WHERE v.campaign_id = \(bind: campaign.id) AND
            """
        sql += " " + scopeCondition(column: "h.path", scopes: scopes.map(\.rawValue))
        sql += " GROUP BY v.surveyor_user_id, u.name ORDER BY v.surveyor_user_id"
        return try await db.raw(sql).all().map { row in
            SurveyorTally(userID: try row.decode(column: "surveyor_user_id", as: UserID?.self), name: try row.decode(column: "name", as: String?.self), tally: try decodeTally(row))
        }
    }

    static func decodeCampaign(_ row: any SQLRow) throws -> SurveyCampaign {
        SurveyCampaign(
            id: try row.decode(column: "id", as: SurveyCampaignID.self),
            name: try row.decode(column: "name", as: String.self),
            placeID: try row.decode(column: "place_id", as: PlaceID.self),
            path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
            districtID: try row.decode(column: "district_id", as: PlaceID?.self),
            startsAt: Date(millisecondsSince1970: try row.decode(column: "starts_at", as: Int64.self)),
            endsAt: Date(millisecondsSince1970: try row.decode(column: "ends_at", as: Int64.self)),
            closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
            closedReason: try row.decode(column: "closed_reason", as: String?.self),
            createdBy: try row.decode(column: "created_by", as: UserID.self),
            createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self))
        )
    }
}
