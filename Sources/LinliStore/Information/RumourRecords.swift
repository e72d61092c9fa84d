import Foundation
import LinliCore
import SQLKit

/// A rumour as stored, with where it was reported.
public struct StoredRumour: Sendable, Hashable {
    public var rumour: Rumour
    public var path: PlacePath
    public var districtID: PlaceID?
}

/// A chat group as stored, with its place.
public struct StoredChatGroup: Sendable, Hashable {
    public var group: ChatGroup
    public var path: PlacePath
    public var placeName: String
}

/// A stored report's text for the matcher's index.
public struct RumourIndexEntry: Sendable, Hashable {
    public var reportID: RumourReportID
    public var rumourID: RumourID
    public var text: String
}

public enum RumourStoreError: Error, Equatable {
    case notFound
    case refused(RumourRefusal)
}

/// Chat groups, rumours, their reports, evidence and corrections.
public enum RumourRecords {
    // MARK: Chat groups

    public static func createChatGroup(placeID: PlaceID, name: String, platform: ChatPlatform, officer: UserID?, backup: UserID?, targetID: Int64?, now: Date,
                                       on db: any SQLDatabase) async throws -> ChatGroupID {
        guard let place = try await DirectoryRecords.place(id: placeID, on: db) else { throw RumourStoreError.notFound }
        guard let row = try await db.raw("""
            INSERT INTO chat_groups (place_id, name, platform, officer_user_id, backup_user_id, target_id, created_at, path, district_id)
            VALUES (\(bind: placeID), \(bind: name), \(bind: platform.rawValue), \(bind: officer), \(bind: backup), \(bind: targetID),
                    \(bind: now.millisecondsSince1970), \(bind: place.path.rawValue), \(bind: place.districtID)) RETURNING id
            """).first() else { throw RumourStoreError.notFound }
        return try row.decode(column: "id", as: ChatGroupID.self)
    }

    public static func updateChatGroup(id: ChatGroupID, name: String, platform: ChatPlatform, officer: UserID?, backup: UserID?, targetID: Int64?,
                                       on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE chat_groups SET name = \(bind: name), platform = \(bind: platform.rawValue), officer_user_id = \(bind: officer),
                   backup_user_id = \(bind: backup), target_id = \(bind: targetID) WHERE id = \(bind: id)
            """).run()
    }

    static let chatGroupColumns: SQLQueryString = "g.id, g.place_id, g.name, g.platform, g.officer_user_id, g.backup_user_id, g.target_id, g.path, p.name AS place_name"

    public static func chatGroup(id: ChatGroupID, on db: any SQLDatabase) async throws -> StoredChatGroup? {
        try await db.raw("SELECT \(chatGroupColumns) FROM chat_groups g JOIN places p ON p.id = g.place_id WHERE g.id = \(bind: id)").first().map(decodeChatGroup)
    }

    /// The groups at or under any of `scopes`, by place then name.
    public static func chatGroups(under scopes: [PlacePath], limit: Int = 2_000, on db: any SQLDatabase) async throws -> [StoredChatGroup] {
        guard !scopes.isEmpty else { return [] }
        return try await db.raw("""
            SELECT \(chatGroupColumns) FROM chat_groups g JOIN places p ON p.id = g.place_id
            WHERE \(scopeCondition(column: "g.path", scopes: scopes.map(\.rawValue))) ORDER BY g.path, g.name, g.id LIMIT \(bind: limit)
            """).all().map(decodeChatGroup)
    }

    static func decodeChatGroup(_ row: any SQLRow) throws -> StoredChatGroup {
        let platform = ChatPlatform(rawValue: try row.decode(column: "platform", as: String.self)) ?? .other
        let group = ChatGroup(id: try row.decode(column: "id", as: ChatGroupID.self), placeID: try row.decode(column: "place_id", as: PlaceID.self),
                              name: try row.decode(column: "name", as: String.self), platform: platform,
                              officerUserID: try row.decode(column: "officer_user_id", as: UserID?.self),
                              backupUserID: try row.decode(column: "backup_user_id", as: UserID?.self),
                              targetID: try row.decode(column: "target_id", as: Int64?.self))
        return StoredChatGroup(group: group, path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
                               placeName: try row.decode(column: "place_name", as: String.self))
    }

    // MARK: Rumours and reports

    public struct NewReport: Sendable {
        public var text: String
        public var link: String?
        public var normalizedHash: String
        public var chatGroupID: ChatGroupID?
        public var seenPlace: Place
        public var seenAt: Date
        public var reportedBy: UserID
        public var imageFile: String?
        public var imageType: String?

        public init(text: String, link: String?, normalizedHash: String, chatGroupID: ChatGroupID?, seenPlace: Place, seenAt: Date, reportedBy: UserID,
                    imageFile: String?, imageType: String?) {
            self.text = text
            self.link = link
            self.normalizedHash = normalizedHash
            self.chatGroupID = chatGroupID
            self.seenPlace = seenPlace
            self.seenAt = seenAt
            self.reportedBy = reportedBy
            self.imageFile = imageFile
            self.imageType = imageType
        }
    }

    /// The committee answers first for what is seen in its compounds and buildings (its staff
    /// and information officers verify and publish); a report at a committee or above stays there.
    public static func firstOwner(of place: Place, on db: any SQLDatabase) async throws -> PlaceID {
        guard place.level > .committee else { return place.id }
        return try await DirectoryRecords.ancestors(of: place.path, on: db).first { $0.level == .committee }?.id ?? place.id
    }

    /// A new rumour with `report` as its first report, answered for by `owner` until the clock
    /// passes it up.
    public static func createRumour(with report: NewReport, owner: PlaceID, now: Date, suggested: (RumourID, Double)?, on db: any SQLDatabase) async throws -> (RumourID, RumourReportID) {
        let place = report.seenPlace
        guard let row = try await db.raw("""
            INSERT INTO rumours (place_id, claim, status, first_reported_at, escalation_level, owner_place_id, report_count, path, district_id)
            VALUES (\(bind: place.id), \(bind: report.text), \(bind: RumourStatus.reported.rawValue), \(bind: now.millisecondsSince1970), 0, \(bind: owner), 0,
                    \(bind: place.path.rawValue), \(bind: place.districtID)) RETURNING id
            """).first() else { throw RumourStoreError.notFound }
        let rumourID = try row.decode(column: "id", as: RumourID.self)
        let reportID = try await addReport(report, to: rumourID, match: .new, score: suggested?.1, suggested: suggested?.0, now: now, on: db)
        return (rumourID, reportID)
    }

    /// Attaches `report` to `rumourID`, counting it.
    public static func addReport(_ report: NewReport, to rumourID: RumourID, match: RumourMatchKind, score: Double?, suggested: RumourID?, now: Date,
                                 on db: any SQLDatabase) async throws -> RumourReportID {
        let permille = score.map { Int(($0 * 1_000).rounded()) }
        guard let row = try await db.raw("""
            INSERT INTO rumour_reports (rumour_id, text, link, normalized_hash, chat_group_id, seen_place_id, seen_at, reported_by, reported_at, match_kind,
                                        score_permille, suggested_rumour_id, image_file, image_type, district_id)
            VALUES (\(bind: rumourID), \(bind: report.text), \(bind: report.link), \(bind: report.normalizedHash), \(bind: report.chatGroupID), \(bind: report.seenPlace.id),
                    \(bind: report.seenAt.millisecondsSince1970), \(bind: report.reportedBy), \(bind: now.millisecondsSince1970), \(bind: match.rawValue),
                    \(bind: permille), \(bind: suggested), \(bind: report.imageFile), \(bind: report.imageType), \(bind: report.seenPlace.districtID)) RETURNING id
            """).first() else { throw RumourStoreError.notFound }
        try await db.raw("UPDATE rumours SET report_count = report_count + 1 WHERE id = \(bind: rumourID)").run()
        return try row.decode(column: "id", as: RumourReportID.self)
    }

    /// Moves a suggested report to the rumour a person confirmed, the counts with it. The rumour
    /// it leaves, left without reports, is marked merged and drops out of the board and matching.
    public static func moveReport(_ reportID: RumourReportID, from: RumourID, to: RumourID, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE rumour_reports SET rumour_id = \(bind: to), match_kind = \(bind: RumourMatchKind.confirmed.rawValue), suggested_rumour_id = NULL
            WHERE id = \(bind: reportID)
            """).run()
        try await db.raw("UPDATE rumours SET report_count = report_count - 1 WHERE id = \(bind: from)").run()
        try await db.raw("UPDATE rumours SET report_count = report_count + 1 WHERE id = \(bind: to)").run()
        try await db.raw("UPDATE rumours SET merged_into = \(bind: to) WHERE id = \(bind: from) AND report_count = 0").run()
    }

    static let rumourColumns: SQLQueryString = """
        id, place_id, claim, status, first_reported_at, escalation_level, owner_place_id, verdict_note, verdict_at, corrected_at, report_count, path, district_id
        """

    public static func rumour(id: RumourID, on db: any SQLDatabase) async throws -> StoredRumour? {
        try await db.raw("SELECT \(rumourColumns) FROM rumours WHERE id = \(bind: id)").first().map(decodeRumour)
    }

    /// Rumours at or under any of `scopes`, or owned there after escalation; open ones (and false
    /// ones not yet corrected) first, oldest first; then the rest, newest first.
    public static func rumours(under scopes: [PlacePath], ownedAt owners: [PlaceID] = [], limit: Int = 500, on db: any SQLDatabase) async throws -> [StoredRumour] {
        guard !scopes.isEmpty else { return [] }
        let ownerIDs = owners.map(\.rawValue)
        var condition = scopeCondition(column: "path", scopes: scopes.map(\.rawValue))
        if !ownerIDs.isEmpty { condition = "(\(condition) OR owner_place_id IN (\(binds: ownerIDs)))" }
        return try await db.raw("""
            SELECT \(rumourColumns) FROM rumours WHERE \(condition) AND merged_into IS NULL ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map(decodeRumour)
    }

    static func decodeRumour(_ row: any SQLRow) throws -> StoredRumour {
        let status = RumourStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .reported
        let rumour = Rumour(
            id: try row.decode(column: "id", as: RumourID.self), placeID: try row.decode(column: "place_id", as: PlaceID.self),
            claim: try row.decode(column: "claim", as: String.self), status: status,
            firstReportedAt: Date(millisecondsSince1970: try row.decode(column: "first_reported_at", as: Int64.self)),
            escalationLevel: try row.decode(column: "escalation_level", as: Int.self), ownerPlaceID: try row.decode(column: "owner_place_id", as: PlaceID.self),
            verdictNote: try row.decode(column: "verdict_note", as: String?.self),
            verdictAt: try row.decode(column: "verdict_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
            correctedAt: try row.decode(column: "corrected_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
            reportCount: try row.decode(column: "report_count", as: Int.self))
        return StoredRumour(rumour: rumour, path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
                            districtID: try row.decode(column: "district_id", as: PlaceID?.self))
    }

    public static func reports(rumourID: RumourID, on db: any SQLDatabase) async throws -> [RumourReport] {
        try await db.raw("""
            SELECT id, rumour_id, text, link, chat_group_id, seen_place_id, seen_at, reported_by, reported_at, match_kind, score_permille, suggested_rumour_id, told_at
            FROM rumour_reports WHERE rumour_id = \(bind: rumourID) ORDER BY id
            """).all().map(decodeReport)
    }

    /// A user's own reports, newest first, with what they were told.
    public static func reports(by user: UserID, limit: Int = 100, on db: any SQLDatabase) async throws -> [(RumourReport, String?)] {
        try await db.raw("""
            SELECT id, rumour_id, text, link, chat_group_id, seen_place_id, seen_at, reported_by, reported_at, match_kind, score_permille, suggested_rumour_id, told_at, told_text
            FROM rumour_reports WHERE reported_by = \(bind: user) ORDER BY id DESC LIMIT \(bind: limit)
            """).all().map { (try decodeReport($0), try $0.decode(column: "told_text", as: String?.self)) }
    }

    public static func report(id: RumourReportID, on db: any SQLDatabase) async throws -> RumourReport? {
        try await db.raw("""
            SELECT id, rumour_id, text, link, chat_group_id, seen_place_id, seen_at, reported_by, reported_at, match_kind, score_permille, suggested_rumour_id, told_at
            FROM rumour_reports WHERE id = \(bind: id)
            """).first().map(decodeReport)
    }

    static func decodeReport(_ row: any SQLRow) throws -> RumourReport {
        RumourReport(
            id: try row.decode(column: "id", as: RumourReportID.self), rumourID: try row.decode(column: "rumour_id", as: RumourID.self),
            text: try row.decode(column: "text", as: String.self), link: try row.decode(column: "link", as: String?.self),
            chatGroupID: try row.decode(column: "chat_group_id", as: ChatGroupID?.self), seenPlaceID: try row.decode(column: "seen_place_id", as: PlaceID.self),
            seenAt: Date(millisecondsSince1970: try row.decode(column: "seen_at", as: Int64.self)), reportedBy: try row.decode(column: "reported_by", as: UserID.self),
            reportedAt: Date(millisecondsSince1970: try row.decode(column: "reported_at", as: Int64.self)),
            match: RumourMatchKind(rawValue: try row.decode(column: "match_kind", as: String.self)) ?? .new,
            score: try row.decode(column: "score_permille", as: Int?.self).map { Double($0) / 1_000 },
            suggestedRumourID: try row.decode(column: "suggested_rumour_id", as: RumourID?.self),
            toldAt: try row.decode(column: "told_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)))
    }

    /// Names the report's image file, returning the one it replaces.
    public static func setImage(reportID: RumourReportID, file: String, type: String, on db: any SQLDatabase) async throws -> String? {
        let old = try await db.raw("SELECT image_file FROM rumour_reports WHERE id = \(bind: reportID)").first()?.decode(column: "image_file", as: String?.self)
        try await db.raw("UPDATE rumour_reports SET image_file = \(bind: file), image_type = \(bind: type) WHERE id = \(bind: reportID)").run()
        return old
    }

    /// The report's image file name, if it has one.
    public static func imageFile(reportID: RumourReportID, on db: any SQLDatabase) async throws -> String? {
        try await db.raw("SELECT image_file FROM rumour_reports WHERE id = \(bind: reportID)").first()?.decode(column: "image_file", as: String?.self)
    }

    /// The texts of a district's reports after `reportID`, oldest first, for the matcher's index.
    public static func indexEntries(district: PlaceID?, after reportID: Int64, limit: Int, on db: any SQLDatabase) async throws -> [RumourIndexEntry] {
        let districtCondition: SQLQueryString = district.map { "district_id = \(bind: $0)" } ?? "district_id IS NULL"
        return try await db.raw("""
            SELECT id, rumour_id, text FROM rumour_reports WHERE \(districtCondition) AND id > \(bind: reportID) ORDER BY id LIMIT \(bind: limit)
            """).all().map { row in
            RumourIndexEntry(reportID: try row.decode(column: "id", as: RumourReportID.self), rumourID: try row.decode(column: "rumour_id", as: RumourID.self),
                             text: try row.decode(column: "text", as: String.self))
        }
    }

    /// The rumours among `ids` a new report may be matched to: open, or found false (corrected or
    /// not). True, unverifiable and out-of-scope rumours are closed to new matches.
    public static func matchable(_ ids: [RumourID], on db: any SQLDatabase) async throws -> Set<RumourID> {
        guard !ids.isEmpty else { return [] }
        let binds = ids.map(\.rawValue)
        let statuses = [RumourStatus.reported, .verifying, .false].map(\.rawValue)
        return Set(try await db.raw("SELECT id FROM rumours WHERE id IN (\(binds: binds)) AND status IN (\(binds: statuses)) AND merged_into IS NULL").all()
            .map { try $0.decode(column: "id", as: RumourID.self) })
    }

    /// The rumour whose report has exactly this normalised text, among matchable ones in the
    /// district: the database's own check for an identical report, whatever the index holds.
    public static func identical(hash: String, district: PlaceID?, on db: any SQLDatabase) async throws -> RumourID? {
        let districtCondition: SQLQueryString = district.map { "r.district_id = \(bind: $0)" } ?? "r.district_id IS NULL"
        let statuses = [RumourStatus.reported, .verifying, .false].map(\.rawValue)
        return try await db.raw("""
            SELECT r.rumour_id FROM rumour_reports r JOIN rumours u ON u.id = r.rumour_id
            WHERE \(districtCondition) AND r.normalized_hash = \(bind: hash) AND u.status IN (\(binds: statuses)) AND u.merged_into IS NULL ORDER BY r.id LIMIT 1
            """).first()?.decode(column: "rumour_id", as: RumourID.self)
    }

    // MARK: Verification

    /// Sets the status if it is still `expected`; false when someone changed it first.
    public static func setStatus(_ id: RumourID, to status: RumourStatus, expected: RumourStatus, note: String?, by user: UserID, at now: Date,
                                 on db: any SQLDatabase) async throws -> Bool {
        let verdict = RumourStatus.verdicts.contains(status)
        let rows = try await db.raw("""
            UPDATE rumours SET status = \(bind: status.rawValue),
                   verdict_note = \(bind: verdict ? note : nil), verdict_at = \(bind: verdict ? now.millisecondsSince1970 : nil), verdict_by = \(bind: verdict ? user : nil)
            WHERE id = \(bind: id) AND status = \(bind: expected.rawValue) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// Moves the rumour to `level`, owned by `owner`, if it is still at `expected`.
    public static func escalate(_ id: RumourID, to level: Int, owner: PlaceID, expected: Int, on db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw("""
            UPDATE rumours SET escalation_level = \(bind: level), owner_place_id = \(bind: owner)
            WHERE id = \(bind: id) AND escalation_level = \(bind: expected) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    public static func addEvidence(rumourID: RumourID, kind: RumourEvidenceKind, text: String, url: String?, by user: UserID, at now: Date,
                                   on db: any SQLDatabase) async throws -> Int64 {
        guard let row = try await db.raw("""
            INSERT INTO rumour_evidence (rumour_id, kind, text, url, added_by, added_at)
            VALUES (\(bind: rumourID), \(bind: kind.rawValue), \(bind: text), \(bind: url), \(bind: user), \(bind: now.millisecondsSince1970)) RETURNING id
            """).first() else { throw RumourStoreError.notFound }
        return try row.decode(column: "id", as: Int64.self)
    }

    public static func evidence(rumourID: RumourID, on db: any SQLDatabase) async throws -> [RumourEvidence] {
        try await db.raw("SELECT id, kind, text, url, added_by, added_at FROM rumour_evidence WHERE rumour_id = \(bind: rumourID) ORDER BY id").all().map { row in
            RumourEvidence(id: try row.decode(column: "id", as: Int64.self),
                           kind: RumourEvidenceKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .note,
                           text: try row.decode(column: "text", as: String.self), url: try row.decode(column: "url", as: String?.self),
                           addedBy: try row.decode(column: "added_by", as: UserID.self),
                           addedAt: Date(millisecondsSince1970: try row.decode(column: "added_at", as: Int64.self)))
        }
    }

    // MARK: Corrections

    public static func createCorrection(rumourID: RumourID, title: String, body: String, source: String, by user: UserID, at now: Date, district: PlaceID?,
                                        on db: any SQLDatabase) async throws -> RumourCorrectionID {
        guard let row = try await db.raw("""
            INSERT INTO rumour_corrections (rumour_id, title, body, source, status, drafted_by, drafted_at, district_id)
            VALUES (\(bind: rumourID), \(bind: title), \(bind: body), \(bind: source), \(bind: CorrectionStatus.draft.rawValue), \(bind: user),
                    \(bind: now.millisecondsSince1970), \(bind: district)) RETURNING id
            """).first() else { throw RumourStoreError.notFound }
        return try row.decode(column: "id", as: RumourCorrectionID.self)
    }

    static let correctionColumns: SQLQueryString = """
        id, rumour_id, title, body, source, status, drafted_by, drafted_at, approved_by, published_at, retracted_at, retraction_reason
        """

    public static func correction(id: RumourCorrectionID, on db: any SQLDatabase) async throws -> RumourCorrection? {
        try await db.raw("SELECT \(correctionColumns) FROM rumour_corrections WHERE id = \(bind: id)").first().map(decodeCorrection)
    }

    public static func corrections(rumourID: RumourID, on db: any SQLDatabase) async throws -> [RumourCorrection] {
        try await db.raw("SELECT \(correctionColumns) FROM rumour_corrections WHERE rumour_id = \(bind: rumourID) ORDER BY id").all().map(decodeCorrection)
    }

    static func decodeCorrection(_ row: any SQLRow) throws -> RumourCorrection {
        RumourCorrection(
            id: try row.decode(column: "id", as: RumourCorrectionID.self), rumourID: try row.decode(column: "rumour_id", as: RumourID.self),
            title: try row.decode(column: "title", as: String.self), body: try row.decode(column: "body", as: String.self),
            source: try row.decode(column: "source", as: String.self),
            status: CorrectionStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .draft,
            draftedBy: try row.decode(column: "drafted_by", as: UserID.self),
            draftedAt: Date(millisecondsSince1970: try row.decode(column: "drafted_at", as: Int64.self)),
            approvedBy: try row.decode(column: "approved_by", as: UserID?.self),
            publishedAt: try row.decode(column: "published_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
            retractedAt: try row.decode(column: "retracted_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
            retractionReason: try row.decode(column: "retraction_reason", as: String?.self))
    }

    /// Writes the correction's new status if it is still `expected`.
    public static func setCorrection(_ id: RumourCorrectionID, to status: CorrectionStatus, expected: CorrectionStatus, by user: UserID, at now: Date, reason: String? = nil,
                                     on db: any SQLDatabase) async throws -> Bool {
        let moment = now.millisecondsSince1970
        let assignments: SQLQueryString = switch status {
        case .approved: "approved_by = \(bind: user)"
        case .published: "published_at = \(bind: moment)"
        case .retracted: "retracted_at = \(bind: moment), retraction_reason = \(bind: reason)"
        case .draft: "approved_by = NULL"
        }
        let rows = try await db.raw("""
            UPDATE rumour_corrections SET status = \(bind: status.rawValue), \(assignments)
            WHERE id = \(bind: id) AND status = \(bind: expected.rawValue) RETURNING id
            """).all()
        return !rows.isEmpty
    }

    /// The end of the two-hour clock: set once, at the first correction published.
    public static func markCorrected(_ id: RumourID, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE rumours SET corrected_at = \(bind: now.millisecondsSince1970) WHERE id = \(bind: id) AND corrected_at IS NULL").run()
    }

    /// Tells everyone who reported the rumour: `text` is what their list of reports shows.
    public static func tellReporters(_ id: RumourID, text: String, at now: Date, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            UPDATE rumour_reports SET told_at = \(bind: now.millisecondsSince1970), told_text = \(bind: text) WHERE rumour_id = \(bind: id) RETURNING id
            """).all().count
    }

    /// The rumours corrected under `scopes` since `since`: each one's first report and correction,
    /// for the weekly medians.
    public static func correctedTimes(under scopes: [PlacePath], since: Date, on db: any SQLDatabase) async throws -> [(firstReportedAt: Date, correctedAt: Date)] {
        guard !scopes.isEmpty else { return [] }
        return try await db.raw("""
            SELECT first_reported_at, corrected_at FROM rumours
            WHERE \(scopeCondition(column: "path", scopes: scopes.map(\.rawValue))) AND corrected_at IS NOT NULL AND first_reported_at >= \(bind: since.millisecondsSince1970)
            ORDER BY first_reported_at
            """).all().map { row in
            (Date(millisecondsSince1970: try row.decode(column: "first_reported_at", as: Int64.self)),
             Date(millisecondsSince1970: try row.decode(column: "corrected_at", as: Int64.self)))
        }
    }
}
