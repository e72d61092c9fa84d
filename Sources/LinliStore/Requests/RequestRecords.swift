import Foundation
import LinliCore
import SQLKit

/// A request as stored: the core value plus the row's version and place path.
public struct StoredRequest: Sendable, Hashable {
    public var request: HelpRequest
    public var version: Int
    public var path: PlacePath
    /// Whose deadlines and routing rules apply.
    public var districtID: PlaceID?

    public init(request: HelpRequest, version: Int, path: PlacePath, districtID: PlaceID?) {
        self.request = request
        self.version = version
        self.path = path
        self.districtID = districtID
    }
}

/// Rows of requests, their transitions and idempotency keys.
public enum RequestRecords {
    /// Inserts a newly filed request (its `id` is ignored: the database assigns it); returns the
    /// stored request.
    public static func insert(_ request: HelpRequest, household: Household, on db: any SQLDatabase) async throws -> StoredRequest {
        try await insert([(request, household)], on: db)[0]
    }

    public static func request(id: HelpRequestID, on db: any SQLDatabase) async throws -> StoredRequest? {
        try await db.raw("SELECT * FROM requests WHERE id = \(bind: id)").first().map(decode)
    }

    /// Applies a change made from the stored request at `expectedVersion`. Returns false, and
    /// changes nothing, if someone else changed the request in the meantime: of two people who
    /// accept at once, exactly one wins.
    public static func apply(_ change: RequestChange, expectedVersion: Int, on db: any SQLDatabase) async throws -> Bool {
        let request = change.request
        let updated = try await db.raw("""
            UPDATE requests SET
                urgency = \(bind: request.urgency.rawValue), owner_user_id = \(bind: request.ownerUserID), owner_place_id = \(bind: request.ownerPlaceID),
                status = \(bind: request.status.rawValue), reopened_at = \(bind: request.reopenedAt?.millisecondsSince1970),
                accept_by = \(bind: request.acceptBy.millisecondsSince1970), done_by = \(bind: request.doneBy.millisecondsSince1970),
                escalation_level = \(bind: request.escalationLevel), closed_at = \(bind: request.closedAt?.millisecondsSince1970),
                closing_reason = \(bind: request.closingReason), version = version + 1
            WHERE id = \(bind: request.id) AND version = \(bind: expectedVersion)
            RETURNING id
            """).first()
        guard updated != nil else { return false }
        try await insert(change.transition, on: db)
        return true
    }

    public static func insert(_ transition: RequestTransition, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO request_transitions (request_id, kind, actor, at, from_status, to_status, note)
            VALUES (\(bind: transition.requestID), \(bind: transition.kind.rawValue), \(bind: encode(transition.actor)), \(bind: transition.at.millisecondsSince1970),
                    \(bind: transition.from.rawValue), \(bind: transition.to.rawValue), \(bind: transition.note))
            """).run()
    }

    /// The history of a request, oldest first.
    public static func transitions(requestID: HelpRequestID, on db: any SQLDatabase) async throws -> [RequestTransition] {
        try await db.raw("SELECT * FROM request_transitions WHERE request_id = \(bind: requestID) ORDER BY id").all().compactMap { row in
            guard let kind = RequestTransition.Kind(rawValue: try row.decode(column: "kind", as: String.self)),
                  let from = RequestStatus(rawValue: try row.decode(column: "from_status", as: String.self)),
                  let to = RequestStatus(rawValue: try row.decode(column: "to_status", as: String.self)) else { return nil }
            return RequestTransition(
                requestID: try row.decode(column: "request_id", as: HelpRequestID.self), kind: kind,
                actor: decodeActor(try row.decode(column: "actor", as: String.self)),
                at: Date(millisecondsSince1970: try row.decode(column: "at", as: Int64.self)), from: from, to: to,
                note: try row.decode(column: "note", as: String?.self)
            )
        }
    }

    /// An open request of the same household and category, offered for merging instead of a
    /// second one, so one need is not worked twice.
    public static func openDuplicate(householdID: PlaceID, category: RequestCategory, on db: any SQLDatabase) async throws -> StoredRequest? {
        try await db.raw("""
            SELECT * FROM requests WHERE household_id = \(bind: householdID) AND category = \(bind: category.rawValue) AND \(unsafeRaw: openCondition)
            ORDER BY id LIMIT 1
            """).first().map(decode)
    }

    /// The open statuses written out as the unique index `requests_one_open_per_kind` has them:
    /// only a query that says the same in the same words may use that index (bound values would
    /// not do, as the statuses are not known when the query is planned).
    static let openCondition = "status IN ('new', 'accepted', 'in_progress')"

    /// The request an idempotency key already created, if any.
    public static func requestID(idempotencyKey key: String, scope: String, on db: any SQLDatabase) async throws -> HelpRequestID? {
        try await db.raw("SELECT request_id FROM idempotency_keys WHERE scope = \(bind: scope) AND idempotency_key = \(bind: key)").first()?
            .decode(column: "request_id", as: HelpRequestID.self)
    }

    // MARK: Encoding

    /// "user:5", "household:7" or "system", as in the audit log.
    public static func encode(_ actor: RequestActor) -> String {
        switch actor {
        case .user(let id): "user:\(id)"
        case .household(let id): "household:\(id)"
        case .system: "system"
        }
    }

    static func decodeActor(_ text: String) -> RequestActor {
        let parts = text.split(separator: ":", maxSplits: 1)
        if parts.count == 2, let id = Int64(parts[1]) {
            if parts[0] == "user" { return .user(id: UserID(id)) }
            if parts[0] == "household" { return .household(id: PlaceID(id)) }
        }
        return .system
    }

    static func decode(_ row: any SQLRow) throws -> StoredRequest {
        func date(_ column: String) throws -> Date { Date(millisecondsSince1970: try row.decode(column: column, as: Int64.self)) }
        func optionalDate(_ column: String) throws -> Date? { try row.decode(column: column, as: Int64?.self).map(Date.init(millisecondsSince1970:)) }
        guard let category = RequestCategory(rawValue: try row.decode(column: "category", as: String.self)),
              let urgency = Urgency(rawValue: try row.decode(column: "urgency", as: String.self)),
              let channel = RequestChannel(rawValue: try row.decode(column: "channel", as: String.self)),
              let status = RequestStatus(rawValue: try row.decode(column: "status", as: String.self)) else {
            throw StoreError.conflict("a request row holds a value this linli does not know")
        }
        let request = HelpRequest(
            id: try row.decode(column: "id", as: HelpRequestID.self),
            householdID: try row.decode(column: "household_id", as: PlaceID.self),
            residentID: try row.decode(column: "resident_id", as: ResidentID?.self),
            category: category, urgency: urgency,
            description: try row.decode(column: "description", as: String.self),
            channel: channel,
            filedBy: decodeActor(try row.decode(column: "filed_by", as: String.self)),
            ownerUserID: try row.decode(column: "owner_user_id", as: UserID?.self),
            ownerPlaceID: try row.decode(column: "owner_place_id", as: PlaceID?.self),
            status: status,
            createdAt: try date("created_at"), reopenedAt: try optionalDate("reopened_at"),
            acceptBy: try date("accept_by"), doneBy: try date("done_by"),
            escalationLevel: try row.decode(column: "escalation_level", as: Int.self),
            closedAt: try optionalDate("closed_at"),
            closingReason: try row.decode(column: "closing_reason", as: String?.self)
        )
        return StoredRequest(
            request: request, version: try row.decode(column: "version", as: Int.self), path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
            districtID: try row.decode(column: "district_id", as: PlaceID?.self)
        )
    }
}

/// A line of a request list: the request and its owner's name.
public struct RequestListItem: Sendable, Hashable {
    public var stored: StoredRequest
    public var ownerName: String?
    public var householdLabel: String
}

extension RequestRecords {
    static let listColumns: SQLQueryString = """
        SELECT r.*, u.name AS owner_name, b.name AS building_name, h.room AS room
        FROM requests r
        LEFT JOIN users u ON u.id = r.owner_user_id
        JOIN households h ON h.id = r.household_id
        JOIN places b ON b.id = h.building_id
        """

    static func decodeItem(_ row: any SQLRow) throws -> RequestListItem {
        RequestListItem(
            stored: try decode(row),
            ownerName: try row.decode(column: "owner_name", as: String?.self),
            householdLabel: "\(try row.decode(column: "building_name", as: String.self)) \(try row.decode(column: "room", as: String.self))"
        )
    }

    /// A household's requests, newest first.
    public static func forHousehold(_ householdID: PlaceID, limit: Int = 50, on db: any SQLDatabase) async throws -> [RequestListItem] {
        // By the household's path (a household's requests carry it): there is no index by household id.
        try await db.raw(listColumns + " WHERE r.path = (SELECT path FROM households WHERE id = \(bind: householdID)) ORDER BY r.id DESC LIMIT \(bind: limit)").all().map(decodeItem)
    }

    /// "My queue": open requests a person holds, and those their places' duty teams hold with
    /// nobody named yet, the most pressing deadline first.
    public static func queue(userID: UserID, dutyPlaces: [PlaceID], limit: Int = 100, on db: any SQLDatabase) async throws -> [RequestListItem] {
        let open: [any Encodable & Sendable] = RequestStatus.allCases.filter(\.isOpen).map(\.rawValue)
        var sql = listColumns + " WHERE r.status IN (\(binds: open)) AND (r.owner_user_id = \(bind: userID)"
        if !dutyPlaces.isEmpty {
            let places: [any Encodable & Sendable] = dutyPlaces
            sql += " OR (r.owner_user_id IS NULL AND r.owner_place_id IN (\(binds: places)))"
        }
        sql += ") ORDER BY CASE WHEN r.status = 'new' THEN r.accept_by ELSE r.done_by END, r.id LIMIT \(bind: limit)"
        return try await db.raw(sql).all().map(decodeItem)
    }
}

/// What the committee board counts: one line per request in scope.
public struct BoardRow: Sendable, Hashable {
    public var status: RequestStatus
    public var urgency: Urgency
    public var createdAt: Date
    public var closedAt: Date?
    public var acceptBy: Date
    public var doneBy: Date
    public var escalationLevel: Int
}

extension RequestRecords {
    /// Requests under `scopes` that are open, or were filed or closed since `since`.
    public static func boardRows(scopes: [PlacePath], since: Date, on db: any SQLDatabase) async throws -> [BoardRow] {
        let open: [any Encodable & Sendable] = RequestStatus.allCases.filter(\.isOpen).map(\.rawValue)
        var sql: SQLQueryString = "SELECT status, urgency, created_at, closed_at, accept_by, done_by, escalation_level FROM requests WHERE "
        sql += scopeCondition(column: "path", scopes: scopes.map(\.rawValue))
        sql += " AND (status IN (\(binds: open)) OR created_at >= \(bind: since.millisecondsSince1970) OR closed_at >= \(bind: since.millisecondsSince1970))"
        return try await db.raw(sql).all().compactMap { row in
            guard let status = RequestStatus(rawValue: try row.decode(column: "status", as: String.self)),
                  let urgency = Urgency(rawValue: try row.decode(column: "urgency", as: String.self)) else { return nil }
            return BoardRow(
                status: status, urgency: urgency,
                createdAt: Date(millisecondsSince1970: try row.decode(column: "created_at", as: Int64.self)),
                closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
                acceptBy: Date(millisecondsSince1970: try row.decode(column: "accept_by", as: Int64.self)),
                doneBy: Date(millisecondsSince1970: try row.decode(column: "done_by", as: Int64.self)),
                escalationLevel: try row.decode(column: "escalation_level", as: Int.self)
            )
        }
    }
}

/// What filing a request reads about its household: the household, its residents and their
/// care notes.
public struct FilingHousehold: Sendable {
    public var household: Household
    public var residentIDs: [ResidentID]
    /// Health and disability notes, which the urgency rules read (a dialysis patient's request is
    /// life-critical whatever it says).
    public var careNotes: [String?]
    /// The residents' entries on the care register: a dialysis patient registered there is
    /// proposed life-critical even without a health note.
    public var care: [CareUrgencyFacts] = []
}

/// The places above households and the people routing may choose among there.
public struct FilingPlaces: Sendable {
    public var places: [PlaceID: PlaceOnPath]
    /// By the place they hold their role at.
    public var candidates: [PlaceID: [RoutingCandidate]]

    /// The places above `household`, the household's building last, and the candidates at them.
    public func above(_ household: PlacePath) -> (places: [PlaceOnPath], candidates: [RoutingCandidate]) {
        let places = household.ids.dropLast().compactMap { self.places[$0] }.sorted { $0.level < $1.level }
        return (places, places.flatMap { candidates[$0.id] ?? [] })
    }
}

/// What a batch of filings reads and checks at once, on the writer, in the transaction that
/// writes them: one query per kind of fact for all of them. The writer's page cache stays warm
/// (a reader's is emptied by every commit), which made these reads a third of what they cost
/// on a reader.
extension RequestRecords {
    public static func filingHouseholds(ids: [PlaceID], on db: any SQLDatabase) async throws -> [PlaceID: FilingHousehold] {
        guard !ids.isEmpty else { return [:] }
        let binds: [any Encodable & Sendable] = ids
        let rows = try await db.raw("""
            SELECT h.id, h.building_id, h.room, h.path, h.district_id, r.id AS resident_id, r.health_note, r.disability_note,
                   c.categories AS care_categories, c.risk AS care_risk
            FROM households h LEFT JOIN residents r ON r.household_id = h.id LEFT JOIN care_entries c ON c.resident_id = r.id
            WHERE h.id IN (\(binds: binds))
            """).all()
        var found: [PlaceID: FilingHousehold] = [:]
        for row in rows {
            let id = try row.decode(column: "id", as: PlaceID.self)
            if found[id] == nil { found[id] = FilingHousehold(household: try HouseholdRecords.decodeHousehold(row), residentIDs: [], careNotes: []) }
            guard let residentID = try row.decode(column: "resident_id", as: ResidentID?.self) else { continue }
            found[id]?.residentIDs.append(residentID)
            found[id]?.careNotes.append(try row.decode(column: "health_note", as: String?.self))
            found[id]?.careNotes.append(try row.decode(column: "disability_note", as: String?.self))
            if let categories = try row.decode(column: "care_categories", as: String?.self), let risk = try row.decode(column: "care_risk", as: String?.self) {
                found[id]?.care.append(CareUrgencyFacts(categories: CareRecords.split(categories).compactMap(CareCategory.init(rawValue:)), risk: CareRisk(rawValue: risk) ?? .medium))
            }
        }
        return found
    }

    /// The places above `households` (not the households themselves), each with the people
    /// holding one of `roles` there and how many open requests each has.
    public static func filingPlaces(above households: [PlacePath], roles: Set<RoleKind>, on db: any SQLDatabase) async throws -> FilingPlaces {
        let ids = Set(households.flatMap { $0.ids.dropLast() }).sorted()
        guard !ids.isEmpty else { return FilingPlaces(places: [:], candidates: [:]) }
        let placeBinds: [any Encodable & Sendable] = ids
        let rows: [any SQLRow]
        if roles.isEmpty {
            rows = try await db.raw("""
                SELECT p.id, p.level, NULL AS user_id, NULL AS role, 0 AS open_requests FROM places p WHERE p.id IN (\(binds: placeBinds))
                """).all()
        } else {
            let roleBinds: [any Encodable & Sendable] = roles.map(\.rawValue).sorted()
            let open: [any Encodable & Sendable] = RequestStatus.allCases.filter(\.isOpen).map(\.rawValue)
            rows = try await db.raw("""
                SELECT p.id, p.level, a.user_id, a.role,
                       CASE WHEN a.user_id IS NULL THEN 0 ELSE
                         (SELECT COUNT(*) FROM requests r WHERE r.owner_user_id = a.user_id AND r.status IN (\(binds: open))) END AS open_requests
                FROM places p LEFT JOIN role_assignments a ON a.place_id = p.id AND a.role IN (\(binds: roleBinds))
                WHERE p.id IN (\(binds: placeBinds))
                """).all()
        }
        var found = FilingPlaces(places: [:], candidates: [:])
        for row in rows {
            let id = try row.decode(column: "id", as: PlaceID.self)
            guard let level = PlaceLevel(rawValue: try row.decode(column: "level", as: String.self)), level != .household else { continue }
            found.places[id] = PlaceOnPath(id: id, level: level)
            if let userID = try row.decode(column: "user_id", as: UserID?.self),
               let role = try row.decode(column: "role", as: String?.self).flatMap(RoleKind.init(rawValue:)) {
                found.candidates[id, default: []].append(RoutingCandidate(userID: userID, role: role, placeID: id, openRequests: try row.decode(column: "open_requests", as: Int.self)))
            }
        }
        return found
    }

    /// The requests idempotency keys already created, by scope and key: one query, however many
    /// filers the keys come from (households filing for themselves each bring a scope of their own).
    public static func requestIDs(idempotencyKeys keys: [(scope: String, key: String)], on db: any SQLDatabase) async throws -> [IdempotencyKey: HelpRequestID] {
        let wanted = Set(keys.map { IdempotencyKey(scope: $0.scope, key: $0.key) }).sorted { ($0.scope, $0.key) < ($1.scope, $1.key) }
        guard !wanted.isEmpty else { return [:] }
        var sql: SQLQueryString = "WITH wanted (scope, idempotency_key) AS (VALUES "
        for (index, key) in wanted.enumerated() {
            sql += index == 0 ? "(\(bind: key.scope), \(bind: key.key))" : ", (\(bind: key.scope), \(bind: key.key))"
        }
        sql += """
            ) SELECT k.scope, k.idempotency_key, k.request_id FROM wanted w
            JOIN idempotency_keys k ON k.scope = w.scope AND k.idempotency_key = w.idempotency_key
            """
        var found: [IdempotencyKey: HelpRequestID] = [:]
        for row in try await db.raw(sql).all() {
            let key = IdempotencyKey(scope: try row.decode(column: "scope", as: String.self), key: try row.decode(column: "idempotency_key", as: String.self))
            found[key] = try row.decode(column: "request_id", as: HelpRequestID.self)
        }
        return found
    }

    /// The open requests of `households`, by household and category.
    public static func openRequests(households: [PlaceID], on db: any SQLDatabase) async throws -> [OpenKind: HelpRequestID] {
        guard !households.isEmpty else { return [:] }
        let binds: [any Encodable & Sendable] = households
        var found: [OpenKind: HelpRequestID] = [:]
        for row in try await db.raw("SELECT id, household_id, category FROM requests WHERE household_id IN (\(binds: binds)) AND \(unsafeRaw: openCondition)").all() {
            guard let category = RequestCategory(rawValue: try row.decode(column: "category", as: String.self)) else { continue }
            found[OpenKind(householdID: try row.decode(column: "household_id", as: PlaceID.self), category: category)] = try row.decode(column: "id", as: HelpRequestID.self)
        }
        return found
    }
}

/// An idempotency key, in the scope of the one who sent it.
public struct IdempotencyKey: Sendable, Hashable {
    public var scope: String
    public var key: String

    public init(scope: String, key: String) {
        self.scope = scope
        self.key = key
    }
}

/// A household's open request of one category: there is at most one.
public struct OpenKind: Sendable, Hashable {
    public var householdID: PlaceID
    public var category: RequestCategory

    public init(householdID: PlaceID, category: RequestCategory) {
        self.householdID = householdID
        self.category = category
    }
}

extension RequestRecords {
    /// Inserts newly filed requests; returns them stored, in the same order.
    public static func insert(_ filed: [(request: HelpRequest, household: Household)], on db: any SQLDatabase) async throws -> [StoredRequest] {
        guard !filed.isEmpty else { return [] }
        let rows: [[any Encodable & Sendable]] = filed.map { request, household in
            [
                request.householdID, request.residentID, request.category.rawValue, request.urgency.rawValue, request.description,
                request.channel.rawValue, encode(request.filedBy), request.ownerUserID, request.ownerPlaceID, request.status.rawValue,
                request.createdAt.millisecondsSince1970, request.reopenedAt?.millisecondsSince1970, request.acceptBy.millisecondsSince1970,
                request.doneBy.millisecondsSince1970, request.escalationLevel, request.closedAt?.millisecondsSince1970, request.closingReason, 1,
                household.path.rawValue, household.districtID,
            ]
        }
        let ids: [HelpRequestID] = try await db.insertRowsReturningIDs(
            into: "requests",
            columns: [
                "household_id", "resident_id", "category", "urgency", "description", "channel", "filed_by", "owner_user_id", "owner_place_id",
                "status", "created_at", "reopened_at", "accept_by", "done_by", "escalation_level", "closed_at", "closing_reason", "version", "path", "district_id",
            ],
            rows: rows
        )
        return zip(filed, ids).map { filed, id in
            var stored = filed.request
            stored.id = id
            return StoredRequest(request: stored, version: 1, path: filed.household.path, districtID: filed.household.districtID)
        }
    }

    public static func remember(idempotencyKeys keys: [(key: String, scope: String, requestID: HelpRequestID)], at now: Date, on db: any SQLDatabase) async throws {
        try await db.insertRows([rows(idempotencyKeys: keys, at: now)])
    }

    /// The rows that remember which request each idempotency key created, to insert with other
    /// tables' rows (`SQLDatabase.insertRows(_:)`).
    public static func rows(idempotencyKeys keys: [(key: String, scope: String, requestID: HelpRequestID)], at now: Date) -> RowsToInsert {
        RowsToInsert(
            into: "idempotency_keys", columns: ["scope", "idempotency_key", "request_id", "created_at"],
            rows: keys.map { [$0.scope, $0.key, $0.requestID, now.millisecondsSince1970] }
        )
    }
}

/// What a request list shows: requests under some places, narrowed by what people filter on.
public struct RequestFilter: Sendable, Hashable {
    /// Empty: every status.
    public var statuses: [RequestStatus] = []
    public var urgency: Urgency?
    public var category: RequestCategory?
    /// Only late requests at this time: open, and past their deadline (new ones past accept-by,
    /// taken ones past done-by) or escalated for missing one.
    public var overdueAt: Date?
    /// Only requests that are open, or were filed or closed since then: the board's window, so a
    /// count on the board and the list it links to agree.
    public var recentSince: Date?

    public init(statuses: [RequestStatus] = [], urgency: Urgency? = nil, category: RequestCategory? = nil, overdueAt: Date? = nil, recentSince: Date? = nil) {
        self.statuses = statuses
        self.urgency = urgency
        self.category = category
        self.overdueAt = overdueAt
        self.recentSince = recentSince
    }
}

/// How many requests under some places need someone now.
public struct RequestCounts: Sendable, Hashable {
    public var open: Int
    public var new: Int
    public var overdue: Int
    public var lifeCritical: Int
    public var urgent: Int
}

extension RequestRecords {
    static let openStatuses: [any Encodable & Sendable] = RequestStatus.allCases.filter(\.isOpen).map(\.rawValue)

    /// `RequestBoard.Line.isLate`: open, and past its deadline or escalated for missing one.
    static func overdueCondition(at now: Date) -> SQLQueryString {
        let at = now.millisecondsSince1970
        return "((r.status = 'new' AND r.accept_by < \(bind: at)) OR (r.status IN ('accepted', 'in_progress') AND r.done_by < \(bind: at)) OR (r.status IN ('new', 'accepted', 'in_progress') AND r.escalation_level > 0))"
    }

    /// Requests under `scopes` that pass `filter`: open before closed; open ones late first, then
    /// life-critical before urgent before normal, then the nearest deadline; closed ones newest
    /// closed first.
    public static func list(scopes: [PlacePath], filter: RequestFilter, now: Date, limit: Int, offset: Int, on db: any SQLDatabase) async throws -> [RequestListItem] {
        var sql = listColumns + " WHERE " + scopeCondition(column: "r.path", scopes: scopes.map(\.rawValue))
        if !filter.statuses.isEmpty {
            let statuses: [any Encodable & Sendable] = filter.statuses.map(\.rawValue)
            sql += " AND r.status IN (\(binds: statuses))"
        }
        if let urgency = filter.urgency { sql += " AND r.urgency = \(bind: urgency.rawValue)" }
        if let category = filter.category { sql += " AND r.category = \(bind: category.rawValue)" }
        if let at = filter.overdueAt { sql += " AND " + overdueCondition(at: at) }
        if let since = filter.recentSince?.millisecondsSince1970 {
            sql += " AND (r.status IN (\(binds: openStatuses)) OR r.created_at >= \(bind: since) OR r.closed_at >= \(bind: since))"
        }
        sql += " ORDER BY CASE WHEN r.status IN (\(binds: openStatuses)) THEN 0 ELSE 1 END, CASE WHEN " + overdueCondition(at: now) + " THEN 0 ELSE 1 END"
        // Urgency orders the open ones only: closed ones come newest closed first.
        sql += ", CASE WHEN r.status NOT IN (\(binds: openStatuses)) THEN 0 WHEN r.urgency = 'life_critical' THEN 0 WHEN r.urgency = 'urgent' THEN 1 ELSE 2 END"
        sql += ", CASE WHEN r.status = 'new' THEN r.accept_by WHEN r.status IN ('accepted', 'in_progress') THEN r.done_by ELSE -COALESCE(r.closed_at, 0) END, r.id"
        sql += " LIMIT \(bind: limit) OFFSET \(bind: offset)"
        return try await db.raw(sql).all().map(decodeItem)
    }

    /// Open requests under `scopes`: all, new, overdue at `now`, life-critical, urgent.
    public static func counts(scopes: [PlacePath], now: Date, on db: any SQLDatabase) async throws -> RequestCounts {
        var sql: SQLQueryString = "SELECT COUNT(*) AS open, COALESCE(SUM(CASE WHEN r.status = 'new' THEN 1 ELSE 0 END), 0) AS fresh, COALESCE(SUM(CASE WHEN " + overdueCondition(at: now) + " THEN 1 ELSE 0 END), 0) AS overdue"
        sql += ", COALESCE(SUM(CASE WHEN r.urgency = 'life_critical' THEN 1 ELSE 0 END), 0) AS life_critical, COALESCE(SUM(CASE WHEN r.urgency = 'urgent' THEN 1 ELSE 0 END), 0) AS urgent"
        sql += " FROM requests r WHERE r.status IN (\(binds: openStatuses)) AND " + scopeCondition(column: "r.path", scopes: scopes.map(\.rawValue))
        guard let row = try await db.raw(sql).first() else { return RequestCounts(open: 0, new: 0, overdue: 0, lifeCritical: 0, urgent: 0) }
        return RequestCounts(
            open: try row.decode(column: "open", as: Int.self), new: try row.decode(column: "fresh", as: Int.self), overdue: try row.decode(column: "overdue", as: Int.self),
            lifeCritical: try row.decode(column: "life_critical", as: Int.self), urgent: try row.decode(column: "urgent", as: Int.self)
        )
    }
}
