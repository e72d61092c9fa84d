import Foundation
import LinliCore
import SQLKit

/// A request as stored: the core value plus the row's version and place path.
public struct StoredRequest: Sendable, Hashable {
    public var request: Request
    public var version: Int
    public var path: PlacePath

    public init(request: Request, version: Int, path: PlacePath) {
        self.request = request
        self.version = version
        self.path = path
    }
}

/// Rows of requests, their transitions and idempotency keys.
public enum RequestRecords {
    /// Inserts a newly filed request (its `id` is ignored: the database assigns it) and the
    /// transition that records its filing; returns the stored request.
    public static func insert(_ request: Request, household: Household, at now: Date, on db: any SQLDatabase) async throws -> StoredRequest {
        let row = try await db.raw("""
            INSERT INTO requests (household_id, resident_id, category, urgency, description, channel, filed_by, owner_user_id, owner_place_id,
                                  status, created_at, reopened_at, accept_by, done_by, escalation_level, closed_at, closing_reason, version, path, district_id)
            VALUES (\(bind: request.householdID), \(bind: request.residentID), \(bind: request.category.rawValue), \(bind: request.urgency.rawValue),
                    \(bind: request.description), \(bind: request.channel.rawValue), \(bind: encode(request.filedBy)), \(bind: request.ownerUserID),
                    \(bind: request.ownerPlaceID), \(bind: request.status.rawValue), \(bind: request.createdAt.millisecondsSince1970),
                    \(bind: request.reopenedAt?.millisecondsSince1970), \(bind: request.acceptBy.millisecondsSince1970), \(bind: request.doneBy.millisecondsSince1970),
                    \(bind: request.escalationLevel), \(bind: request.closedAt?.millisecondsSince1970), \(bind: request.closingReason), 1,
                    \(bind: household.path.rawValue), \(bind: household.districtID))
            RETURNING id
            """).first()
        guard let id = try row?.decode(column: "id", as: RequestID.self) else { throw StoreError.conflict("request insert returned nothing") }
        var stored = request
        stored.id = id
        return StoredRequest(request: stored, version: 1, path: household.path)
    }

    public static func request(id: RequestID, on db: any SQLDatabase) async throws -> StoredRequest? {
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
    public static func transitions(requestID: RequestID, on db: any SQLDatabase) async throws -> [RequestTransition] {
        try await db.raw("SELECT * FROM request_transitions WHERE request_id = \(bind: requestID) ORDER BY id").all().compactMap { row in
            guard let kind = RequestTransition.Kind(rawValue: try row.decode(column: "kind", as: String.self)),
                  let from = RequestStatus(rawValue: try row.decode(column: "from_status", as: String.self)),
                  let to = RequestStatus(rawValue: try row.decode(column: "to_status", as: String.self)) else { return nil }
            return RequestTransition(
                requestID: try row.decode(column: "request_id", as: RequestID.self), kind: kind,
                actor: decodeActor(try row.decode(column: "actor", as: String.self)),
                at: Date(millisecondsSince1970: try row.decode(column: "at", as: Int64.self)), from: from, to: to,
                note: try row.decode(column: "note", as: String?.self)
            )
        }
    }

    /// An open request of the same household and category, offered for merging instead of a
    /// second one (issue 3, "duplicate detection").
    public static func openDuplicate(householdID: PlaceID, category: RequestCategory, on db: any SQLDatabase) async throws -> StoredRequest? {
        let open: [any Encodable & Sendable] = RequestStatus.allCases.filter(\.isOpen).map(\.rawValue)
        return try await db.raw("""
            SELECT * FROM requests WHERE household_id = \(bind: householdID) AND category = \(bind: category.rawValue) AND status IN (\(binds: open))
            ORDER BY id LIMIT 1
            """).first().map(decode)
    }

    /// The request an idempotency key already created, if any.
    public static func requestID(idempotencyKey key: String, scope: String, on db: any SQLDatabase) async throws -> RequestID? {
        try await db.raw("SELECT request_id FROM idempotency_keys WHERE scope = \(bind: scope) AND idempotency_key = \(bind: key)").first()?
            .decode(column: "request_id", as: RequestID.self)
    }

    public static func remember(idempotencyKey key: String, scope: String, requestID: RequestID, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            INSERT INTO idempotency_keys (scope, idempotency_key, request_id, created_at)
            VALUES (\(bind: scope), \(bind: key), \(bind: requestID), \(bind: now.millisecondsSince1970))
            """).run()
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
            if parts[0] == "user" { return .user(id: id) }
            if parts[0] == "household" { return .household(id: id) }
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
        let request = Request(
            id: try row.decode(column: "id", as: RequestID.self),
            householdID: try row.decode(column: "household_id", as: PlaceID.self),
            residentID: try row.decode(column: "resident_id", as: ResidentID?.self),
            category: category, urgency: urgency,
            description: try row.decode(column: "description", as: String.self),
            channel: channel,
            filedBy: decodeActor(try row.decode(column: "filed_by", as: String.self)),
            ownerUserID: try row.decode(column: "owner_user_id", as: Int64?.self),
            ownerPlaceID: try row.decode(column: "owner_place_id", as: PlaceID?.self),
            status: status,
            createdAt: try date("created_at"), reopenedAt: try optionalDate("reopened_at"),
            acceptBy: try date("accept_by"), doneBy: try date("done_by"),
            escalationLevel: try row.decode(column: "escalation_level", as: Int.self),
            closedAt: try optionalDate("closed_at"),
            closingReason: try row.decode(column: "closing_reason", as: String?.self)
        )
        return StoredRequest(request: request, version: try row.decode(column: "version", as: Int.self), path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)))
    }
}

extension RequestRecords {
    /// The health and disability notes of a household's residents: the care register the urgency
    /// rules read (a dialysis patient's request is life-critical whatever it says).
    public static func careNotes(householdID: PlaceID, on db: any SQLDatabase) async throws -> [String?] {
        try await db.raw("SELECT health_note, disability_note FROM residents WHERE household_id = \(bind: householdID)").all().flatMap { row in
            [try row.decode(column: "health_note", as: String?.self), try row.decode(column: "disability_note", as: String?.self)]
        }
    }

    /// People holding one of `roles` at one of `places`, with how many open requests each has.
    public static func candidates(roles: Set<RoleKind>, places: [PlaceID], on db: any SQLDatabase) async throws -> [RoutingCandidate] {
        guard !roles.isEmpty, !places.isEmpty else { return [] }
        let roleBinds: [any Encodable & Sendable] = roles.map(\.rawValue).sorted()
        let placeBinds: [any Encodable & Sendable] = places
        let open: [any Encodable & Sendable] = RequestStatus.allCases.filter(\.isOpen).map(\.rawValue)
        return try await db.raw("""
            SELECT a.user_id, a.role, a.place_id,
                   (SELECT COUNT(*) FROM requests r WHERE r.owner_user_id = a.user_id AND r.status IN (\(binds: open))) AS open_requests
            FROM role_assignments a WHERE a.role IN (\(binds: roleBinds)) AND a.place_id IN (\(binds: placeBinds))
            """).all().compactMap { row in
            guard let role = RoleKind(rawValue: try row.decode(column: "role", as: String.self)) else { return nil }
            return RoutingCandidate(userID: try row.decode(column: "user_id", as: Int64.self), role: role, placeID: try row.decode(column: "place_id", as: PlaceID.self), openRequests: try row.decode(column: "open_requests", as: Int.self))
        }
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
        try await db.raw(listColumns + " WHERE r.household_id = \(bind: householdID) ORDER BY r.id DESC LIMIT \(bind: limit)").all().map(decodeItem)
    }

    /// "My queue": open requests a person holds, and those their places' duty teams hold with
    /// nobody named yet, the most pressing deadline first.
    public static func queue(userID: Int64, dutyPlaces: [PlaceID], limit: Int = 100, on db: any SQLDatabase) async throws -> [RequestListItem] {
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
}

extension RequestRecords {
    /// Requests under `scopes` that are open, or were filed or closed since `since`.
    public static func boardRows(scopes: [PlacePath], since: Date, on db: any SQLDatabase) async throws -> [BoardRow] {
        let open: [any Encodable & Sendable] = RequestStatus.allCases.filter(\.isOpen).map(\.rawValue)
        var sql: SQLQueryString = "SELECT status, urgency, created_at, closed_at, accept_by, done_by FROM requests WHERE "
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
                doneBy: Date(millisecondsSince1970: try row.decode(column: "done_by", as: Int64.self))
            )
        }
    }
}
