import Foundation
import LinliCore
import SQLKit

/// A notice as stored, with where it is.
public struct StoredNotice: Sendable, Hashable {
    public var notice: Notice
    public var path: PlacePath
    public var placeName: String
}

/// A household that has not confirmed a notice, as its building leader sees it.
public struct UnreadHousehold: Sendable, Hashable {
    public var householdID: PlaceID
    public var building: String
    public var room: String
    /// The first resident's phone, unmasked: the caller masks it.
    public var phone: String?
}

/// Official notices and the households' confirmations that they read them.
public enum NoticeRecords {
    static let columns: SQLQueryString = "n.id, n.place_id, n.title, n.body, n.source, n.published_at, n.path, p.name AS place_name"

    static func decode(_ row: any SQLRow) throws -> StoredNotice {
        StoredNotice(notice: Notice(id: try row.decode(column: "id", as: NoticeID.self), placeID: try row.decode(column: "place_id", as: PlaceID.self),
                                    title: try row.decode(column: "title", as: String.self), body: try row.decode(column: "body", as: String.self),
                                    source: try row.decode(column: "source", as: String.self),
                                    publishedAt: Date(millisecondsSince1970: try row.decode(column: "published_at", as: Int64.self))),
                     path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)), placeName: try row.decode(column: "place_name", as: String.self))
    }

    public static func publish(placeID: PlaceID, title: String, body: String, source: String, by user: UserID, now: Date, on db: any SQLDatabase) async throws -> NoticeID {
        guard let place = try await db.raw("SELECT path, district_id FROM places WHERE id = \(bind: placeID)").first() else { throw AnswerStoreError.notFound }
        guard let row = try await db.raw("""
            INSERT INTO notices (place_id, title, body, source, published_by, published_at, path, district_id)
            VALUES (\(bind: placeID), \(bind: title), \(bind: body), \(bind: source), \(bind: user), \(bind: now.millisecondsSince1970),
                    \(bind: try place.decode(column: "path", as: String.self)), \(bind: try place.decode(column: "district_id", as: PlaceID?.self)))
            RETURNING id
            """).first() else { throw AnswerStoreError.notFound }
        return try row.decode(column: "id", as: NoticeID.self)
    }

    public static func notice(id: NoticeID, on db: any SQLDatabase) async throws -> StoredNotice? {
        try await db.raw("SELECT \(columns) FROM notices n JOIN places p ON p.id = n.place_id WHERE n.id = \(bind: id)").first().map(decode)
    }

    /// Notices covering `household` (at its place or above), newest first, each with when the
    /// household confirmed it (nil: not yet).
    public static func notices(covering household: PlacePath, limit: Int, on db: any SQLDatabase) async throws -> [(StoredNotice, Date?)] {
        let householdID = household.ids.last ?? PlaceID(0)
        return try await db.raw("""
            SELECT \(columns), r.read_at FROM notices n JOIN places p ON p.id = n.place_id
            LEFT JOIN notice_reads r ON r.notice_id = n.id AND r.household_id = \(bind: householdID)
            WHERE n.path IN (\(binds: AnswerRecords.covering(household)))
            ORDER BY n.published_at DESC, n.id DESC LIMIT \(bind: limit)
            """).all().map { row in (try decode(row), try row.decode(column: "read_at", as: Int64?.self).map(Date.init(millisecondsSince1970:))) }
    }

    /// Notices a user's places see: those at or under them and those above them (a building
    /// leader follows the committee's notices), newest first.
    public static func notices(related scopes: [PlacePath], limit: Int, on db: any SQLDatabase) async throws -> [StoredNotice] {
        guard !scopes.isEmpty else { return [] }
        let above = Set(scopes.flatMap { scope in scope.ids.indices.map { index in scope.ids[...index].map(\.description).joined(separator: "/") } })
        let aboveBinds: [any Encodable & Sendable] = above.sorted()
        return try await db.raw("""
            SELECT \(columns) FROM notices n JOIN places p ON p.id = n.place_id
            WHERE \(scopeCondition(column: "n.path", scopes: scopes.map(\.rawValue))) OR n.path IN (\(binds: aboveBinds))
            ORDER BY n.published_at DESC, n.id DESC LIMIT \(bind: limit)
            """).all().map(decode)
    }

    /// Records that the household read the notice; true the first time, false when it had already.
    public static func confirm(noticeID: NoticeID, householdID: PlaceID, now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            INSERT INTO notice_reads (notice_id, household_id, read_at) VALUES (\(bind: noticeID), \(bind: householdID), \(bind: now.millisecondsSince1970))
            ON CONFLICT (notice_id, household_id) DO NOTHING RETURNING notice_id
            """).first() != nil
    }

    /// Households under `path` that have not confirmed the notice, by building and room.
    public static func unread(noticeID: NoticeID, under path: PlacePath, limit: Int, on db: any SQLDatabase) async throws -> [UnreadHousehold] {
        let range = path.descendantRange
        return try await db.raw("""
            SELECT h.id, b.name AS building, h.room,
                   (SELECT r.phone FROM residents r WHERE r.household_id = h.id AND r.phone IS NOT NULL ORDER BY r.id LIMIT 1) AS phone
            FROM households h JOIN places b ON b.id = h.building_id
            WHERE h.path > \(bind: range.after) AND h.path < \(bind: range.before)
              AND NOT EXISTS (SELECT 1 FROM notice_reads nr WHERE nr.notice_id = \(bind: noticeID) AND nr.household_id = h.id)
            ORDER BY h.path LIMIT \(bind: limit)
            """).all().map { row in
            UnreadHousehold(householdID: try row.decode(column: "id", as: PlaceID.self), building: try row.decode(column: "building", as: String.self),
                            room: try row.decode(column: "room", as: String.self), phone: try row.decode(column: "phone", as: String?.self))
        }
    }

    /// The buildings under `path` with households that have not confirmed the notice, those with
    /// the most first: where a committee sends its leaders.
    public static func unreadBuildings(noticeID: NoticeID, under path: PlacePath, limit: Int, on db: any SQLDatabase) async throws -> [(building: PlaceID, name: String, unread: Int)] {
        let range = path.descendantRange
        return try await db.raw("""
            SELECT b.id, b.name, COUNT(*) AS n FROM households h JOIN places b ON b.id = h.building_id
            WHERE h.path > \(bind: range.after) AND h.path < \(bind: range.before)
              AND NOT EXISTS (SELECT 1 FROM notice_reads nr WHERE nr.notice_id = \(bind: noticeID) AND nr.household_id = h.id)
            GROUP BY b.id, b.name ORDER BY n DESC, b.id LIMIT \(bind: limit)
            """).all().map { row in
            (try row.decode(column: "id", as: PlaceID.self), try row.decode(column: "name", as: String.self), try row.decode(column: "n", as: Int.self))
        }
    }

    /// How many households under `path` confirmed the notice.
    public static func readCount(noticeID: NoticeID, under path: PlacePath, on db: any SQLDatabase) async throws -> Int {
        let range = path.descendantRange
        return try await db.raw("""
            SELECT COUNT(*) AS n FROM notice_reads nr JOIN households h ON h.id = nr.household_id
            WHERE nr.notice_id = \(bind: noticeID) AND h.path > \(bind: range.after) AND h.path < \(bind: range.before)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }
}
