import Foundation
import LinliCore
import SQLKit

/// One batch as the committee's board shows it: what it holds, whether every card is back and
/// whether the money adds up.
public struct MedicineBoardBatch: Sendable, Hashable {
    public var batch: MedicineBatch
    public var teamName: String
    public var requests: Int
    public var households: Int
    public var hospitals: Int
    public var runnersAssigned: Int
    public var cardsOut: Int
    public var itemsWithoutOutcome: Int
    public var cashAdvanced: Int
    public var cashSpent: Int
    public var changeReturned: Int

    /// Fen advanced that are neither spent nor returned (negative: more came back than went out).
    public var moneyDifference: Int { cashAdvanced - cashSpent - changeReturned }

    /// The run is over (every item has its outcome) and the money does not add up, with no
    /// explanation: what blocks closing. Before that, cash still out is simply cash still out.
    public var moneyMismatch: Bool {
        batch.status == .formed && itemsWithoutOutcome == 0 && moneyDifference != 0 && batch.moneyExplanation == nil
    }
}

/// What waits for the next cut-off, per medicine team.
public struct MedicineWaitingQueue: Sendable, Hashable {
    public var teamID: TeamID
    public var teamName: String
    public var teamPath: PlacePath
    public var cutoffMinute: Int?
    public var nightly: Int
    public var sameDay: Int
}

/// One household's bag for the night: where it goes and what goes in it.
public struct MedicineLabel: Sendable, Hashable {
    public struct Item: Sendable, Hashable {
        public var drug: String
        public var specification: String
        public var quantity: Int
        public var coldChain: Bool
    }

    public var requestID: HelpRequestID
    public var householdID: PlaceID
    public var building: String
    public var room: String
    /// The family name of the resident the medicine is for (or of the household's first
    /// resident): enough for the bag to reach the right door, no more.
    public var surname: String
    public var items: [Item]
    public var path: PlacePath

    public var coldChain: Bool { items.contains { $0.coldChain } }
}

/// The reads of the committee's medicine board: the batches of recent nights and what waits for
/// each team's cut-off, under the places one may see. Counts are grouped queries, one per list,
/// whatever the number of batches.
public enum MedicineBoardRecords {
    /// Batches under `scopes` still collecting or under way, or of a night on or after `sinceNight` ("2022-04-12").
    public static func batches(scopes: [PlacePath], sinceNight: String, limit: Int = 200, on db: any SQLDatabase) async throws -> [MedicineBoardBatch] {
        try await batches(
            where: "\(scopeCondition(column: "b.path", scopes: scopes.map(\.rawValue))) AND (b.status <> 'closed' OR b.night >= \(bind: sinceNight))", limit: limit, on: db
        )
    }

    static func batches(where condition: SQLQueryString, limit: Int, on db: any SQLDatabase) async throws -> [MedicineBoardBatch] {
        let rows = try await db.raw("""
            SELECT b.id, b.team_id, b.kind, b.night, b.status, b.formed_at, b.closed_at, b.money_explanation, t.name AS team_name,
                (SELECT COUNT(*) FROM medicine_requests m WHERE m.team_id = b.team_id AND m.batch_id = b.id) AS requests,
                (SELECT COUNT(DISTINCT m.household_id) FROM medicine_requests m WHERE m.team_id = b.team_id AND m.batch_id = b.id) AS households,
                (SELECT COUNT(DISTINCT i.hospital) FROM medicine_requests m JOIN medicine_items i ON i.request_id = m.request_id WHERE m.team_id = b.team_id AND m.batch_id = b.id) AS hospitals,
                (SELECT COUNT(*) FROM medicine_runners n WHERE n.batch_id = b.id) AS runners,
                (SELECT COUNT(*) FROM medicine_cards c WHERE c.batch_id = b.id AND c.state <> 'returned_to_household') AS cards_out,
                (SELECT COUNT(*) FROM medicine_requests m JOIN medicine_items i ON i.request_id = m.request_id WHERE m.team_id = b.team_id AND m.batch_id = b.id AND i.outcome IS NULL) AS open_items,
                (SELECT COALESCE(SUM(m.cash_advanced), 0) FROM medicine_requests m WHERE m.team_id = b.team_id AND m.batch_id = b.id) AS advanced,
                (SELECT COALESCE(SUM(m.cash_spent), 0) FROM medicine_requests m WHERE m.team_id = b.team_id AND m.batch_id = b.id) AS spent,
                (SELECT COALESCE(SUM(m.change_returned), 0) FROM medicine_requests m WHERE m.team_id = b.team_id AND m.batch_id = b.id) AS change_returned
            FROM medicine_batches b JOIN teams t ON t.id = b.team_id
            WHERE \(condition)
            ORDER BY b.night DESC, b.status, t.name, b.id LIMIT \(bind: limit)
            """).all()
        return try rows.map { row in
            MedicineBoardBatch(
                batch: MedicineBatch(
                    id: try row.decode(column: "id", as: MedicineBatchID.self), teamID: try row.decode(column: "team_id", as: TeamID.self),
                    kind: MedicineBatchKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .nightly,
                    night: try row.decode(column: "night", as: String.self),
                    status: MedicineBatchStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .formed,
                    formedAt: Date(millisecondsSince1970: try row.decode(column: "formed_at", as: Int64.self)),
                    closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
                    moneyExplanation: try row.decode(column: "money_explanation", as: String?.self)
                ),
                teamName: try row.decode(column: "team_name", as: String.self),
                requests: try row.decode(column: "requests", as: Int.self), households: try row.decode(column: "households", as: Int.self),
                hospitals: try row.decode(column: "hospitals", as: Int.self), runnersAssigned: try row.decode(column: "runners", as: Int.self),
                cardsOut: try row.decode(column: "cards_out", as: Int.self), itemsWithoutOutcome: try row.decode(column: "open_items", as: Int.self),
                cashAdvanced: try row.decode(column: "advanced", as: Int.self), cashSpent: try row.decode(column: "spent", as: Int.self),
                changeReturned: try row.decode(column: "change_returned", as: Int.self)
            )
        }
    }

    /// Medicine teams under `scopes` with the open requests waiting for their next cut-off: in the
    /// batch collecting for it, or in none yet.
    public static func waiting(scopes: [PlacePath], limit: Int = 200, on db: any SQLDatabase) async throws -> [MedicineWaitingQueue] {
        let rows = try await db.raw("""
            SELECT t.id, t.name, t.path, t.medicine_cutoff_minute,
                COALESCE(SUM(CASE WHEN m.queue = 'nightly' THEN 1 ELSE 0 END), 0) AS nightly,
                COALESCE(SUM(CASE WHEN m.queue = 'same_day' THEN 1 ELSE 0 END), 0) AS same_day
            FROM teams t
            LEFT JOIN medicine_requests m ON m.team_id = t.id
                AND (m.batch_id IS NULL OR m.batch_id IN (SELECT b.id FROM medicine_batches b WHERE b.team_id = t.id AND b.status = 'collecting'))
                AND EXISTS (SELECT 1 FROM requests r WHERE r.id = m.request_id AND r.status IN ('new', 'accepted', 'in_progress'))
            WHERE t.kind = 'medicine_team' AND \(scopeCondition(column: "t.path", scopes: scopes.map(\.rawValue)))
            GROUP BY t.id, t.name, t.path, t.medicine_cutoff_minute
            ORDER BY t.path, t.id LIMIT \(bind: limit)
            """).all()
        return try rows.map { row in
            MedicineWaitingQueue(
                teamID: try row.decode(column: "id", as: TeamID.self), teamName: try row.decode(column: "name", as: String.self),
                teamPath: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
                cutoffMinute: try row.decode(column: "medicine_cutoff_minute", as: Int?.self),
                nightly: try row.decode(column: "nightly", as: Int.self), sameDay: try row.decode(column: "same_day", as: Int.self)
            )
        }
    }

    /// One batch with its counts, or nil: one row's counts, whatever else is under its place (a
    /// district team's batch shares its place with every batch of the district).
    public static func batch(_ id: MedicineBatchID, on db: any SQLDatabase) async throws -> (MedicineBoardBatch, PlacePath)? {
        guard let path = try await db.raw("SELECT path FROM medicine_batches WHERE id = \(bind: id)").first()?.decode(column: "path", as: String.self),
              let found = try await batches(where: "b.id = \(bind: id)", limit: 1, on: db).first else { return nil }
        return (found, PlacePath(rawValue: path))
    }

    /// One label per household of the batch, by building and room.
    public static func labels(batch: MedicineBatchID, on db: any SQLDatabase) async throws -> [MedicineLabel] {
        let rows = try await db.raw("""
            SELECT m.request_id, m.household_id, h.room, h.path, p.name AS building,
                COALESCE((SELECT r.name FROM residents r WHERE r.id = q.resident_id),
                         (SELECT r.name FROM residents r WHERE r.household_id = m.household_id ORDER BY r.id LIMIT 1), '') AS resident
            FROM medicine_batches b JOIN medicine_requests m ON m.team_id = b.team_id AND m.batch_id = b.id
            JOIN requests q ON q.id = m.request_id JOIN households h ON h.id = m.household_id JOIN places p ON p.id = h.building_id
            WHERE b.id = \(bind: batch)
            ORDER BY p.name, h.room, m.request_id
            """).all()
        let items = try await db.raw("""
            SELECT i.request_id, i.drug, COALESCE(i.specification, '') AS specification, i.quantity, i.cold_chain
            FROM medicine_batches b JOIN medicine_requests m ON m.team_id = b.team_id AND m.batch_id = b.id JOIN medicine_items i ON i.request_id = m.request_id
            WHERE b.id = \(bind: batch) ORDER BY i.request_id, i.id
            """).all().reduce(into: [HelpRequestID: [MedicineLabel.Item]]()) { byRequest, row in
            byRequest[try row.decode(column: "request_id", as: HelpRequestID.self), default: []].append(MedicineLabel.Item(
                drug: try row.decode(column: "drug", as: String.self), specification: try row.decode(column: "specification", as: String.self),
                quantity: try row.decode(column: "quantity", as: Int.self), coldChain: try row.decode(column: "cold_chain", as: Int.self) != 0
            ))
        }
        // Two requests of one household in one batch (a follow-up beside the night's own) share a bag.
        var labels: [MedicineLabel] = []
        var index: [PlaceID: Int] = [:]
        for row in rows {
            let request = try row.decode(column: "request_id", as: HelpRequestID.self)
            let household = try row.decode(column: "household_id", as: PlaceID.self)
            if let at = index[household] {
                labels[at].items += items[request] ?? []
                continue
            }
            index[household] = labels.count
            labels.append(MedicineLabel(
                requestID: request, householdID: household, building: try row.decode(column: "building", as: String.self),
                room: try row.decode(column: "room", as: String.self), surname: String(try row.decode(column: "resident", as: String.self).prefix(1)),
                items: items[request] ?? [], path: PlacePath(rawValue: try row.decode(column: "path", as: String.self))
            ))
        }
        return labels
    }

    /// The runner assigned to each hospital of a batch, by name.
    public static func runners(batch: MedicineBatchID, on db: any SQLDatabase) async throws -> [String: String] {
        try await db.raw("""
            SELECT n.hospital, u.name FROM medicine_runners n JOIN users u ON u.id = n.runner_user_id WHERE n.batch_id = \(bind: batch)
            """).all().reduce(into: [String: String]()) { $0[try $1.decode(column: "hospital", as: String.self)] = try $1.decode(column: "name", as: String.self) }
    }
}
