import Foundation
import LinliCore
import SQLKit

/// What forming a batch did: the batch (new or the one already there for that team, night and
/// kind) and how many requests and cards it took in this call.
public struct FormedBatch: Sendable, Hashable {
    public var batchID: MedicineBatchID
    public var requests: Int
    public var cards: Int

    public init(batchID: MedicineBatchID, requests: Int, cards: Int) {
        self.batchID = batchID
        self.requests = requests
        self.cards = cards
    }
}

public enum MedicineRecordsError: Error {
    case teamMissing(TeamID)
}

/// Rows of medicine runs: the medicine part of a request, its items and the batches.
public enum MedicineRecords {
    /// Stores the medicine part of a request (team, queue, cash advanced) with the household's
    /// path, replacing the items it had.
    public static func store(
        requestID: HelpRequestID, householdID: PlaceID, teamID: TeamID?, queue: MedicineQueue, cashAdvanced: Int,
        followUpOf: HelpRequestID?, path: PlacePath, districtID: PlaceID?, items: [MedicineItem], batchID: MedicineBatchID? = nil, on db: any SQLDatabase
    ) async throws {
        try await db.raw("DELETE FROM medicine_items WHERE request_id = \(bind: requestID)").run()
        try await db.raw("DELETE FROM medicine_requests WHERE request_id = \(bind: requestID)").run()
        try await db.raw("""
            INSERT INTO medicine_requests (request_id, household_id, team_id, queue, batch_id, follow_up_of, cash_advanced, path, district_id)
            VALUES (\(bind: requestID), \(bind: householdID), \(bind: teamID), \(bind: queue.rawValue), \(bind: batchID), \(bind: followUpOf), \(bind: cashAdvanced),
                \(bind: path.rawValue), \(bind: districtID))
            """).run()
        try await MedicineRequestRecords.append(items: items, to: requestID, on: db)
    }

    /// Forms a team's batch of `kind` for `night` (a local date, "2022-04-12"): the batch row,
    /// then every open request of the team's queue not yet in a batch, then those requests'
    /// cards. Three set-based statements whatever the number of requests; the unique key on
    /// (team, night, kind) makes a second call for the same night take only what came since.
    public static func formBatch(team teamID: TeamID, kind: MedicineBatchKind, night: String, at now: Date, on db: any SQLDatabase) async throws -> FormedBatch {
        try await db.raw("""
            INSERT INTO medicine_batches (team_id, kind, night, status, formed_at, path, district_id)
            SELECT id, \(bind: kind.rawValue), \(bind: night), 'formed', \(bind: now.millisecondsSince1970), path, district_id FROM teams WHERE id = \(bind: teamID)
            ON CONFLICT (team_id, night, kind) DO NOTHING
            """).run()
        guard let row = try await db.raw("""
            SELECT id FROM medicine_batches WHERE team_id = \(bind: teamID) AND night = \(bind: night) AND kind = \(bind: kind.rawValue)
            """).first() else { throw MedicineRecordsError.teamMissing(teamID) }
        let batchID = try row.decode(column: "id", as: MedicineBatchID.self)
        // A nightly batch collecting its requests as they were filed is formed now: nothing more
        // joins it (`MedicineNightlyForming`).
        try await db.raw("UPDATE medicine_batches SET status = 'formed', formed_at = \(bind: now.millisecondsSince1970) WHERE id = \(bind: batchID) AND status = 'collecting'").run()
        let queue: MedicineQueue = kind == .nightly ? .nightly : .sameDay
        let requests = try await db.raw("""
            UPDATE medicine_requests SET batch_id = \(bind: batchID)
            WHERE team_id = \(bind: teamID) AND queue = \(bind: queue.rawValue) AND batch_id IS NULL
                AND request_id IN (SELECT id FROM requests WHERE status IN ('new', 'accepted', 'in_progress'))
            RETURNING request_id
            """).all().count
        let cards = try await db.raw("""
            UPDATE medicine_cards SET batch_id = \(bind: batchID)
            WHERE batch_id IS NULL AND request_id IN (SELECT request_id FROM medicine_requests WHERE batch_id = \(bind: batchID))
            RETURNING id
            """).all().count
        return FormedBatch(batchID: batchID, requests: requests, cards: cards)
    }

    /// The items of a batch as its per-hospital lists need them.
    public static func hospitalListInputs(batch: MedicineBatchID, on db: any SQLDatabase) async throws -> [HospitalListInput] {
        try await db.raw("""
            SELECT m.household_id, i.source, i.hospital, i.hospital_window, i.drug, i.specification, i.quantity
            FROM medicine_items i JOIN medicine_requests m ON m.request_id = i.request_id
            WHERE m.batch_id = \(bind: batch) ORDER BY i.id
            """).all().map { row in
            HospitalListInput(
                householdID: try row.decode(column: "household_id", as: Int64.self),
                source: MedicineSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .hospitalWindow,
                hospital: try row.decode(column: "hospital", as: String.self),
                window: try row.decode(column: "hospital_window", as: String.self),
                drug: try row.decode(column: "drug", as: String.self),
                specification: try row.decode(column: "specification", as: String?.self),
                quantity: try row.decode(column: "quantity", as: Int.self)
            )
        }
    }

    /// How many medicine cards of a batch are still away from their households.
    public static func cardsOut(batch: MedicineBatchID, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            SELECT COUNT(*) AS n FROM medicine_cards WHERE batch_id = \(bind: batch) AND state <> \(bind: CustodyEvent.returnedToHousehold.rawValue)
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// A medicine team's place and path, or nil when the id names no medicine team.
    public static func team(id: TeamID, on db: any SQLDatabase) async throws -> (placeID: PlaceID, path: PlacePath)? {
        guard let row = try await db.raw("""
            SELECT place_id, path FROM teams WHERE id = \(bind: id) AND kind = \(bind: TeamKind.medicineTeam.rawValue)
            """).first() else { return nil }
        return (try row.decode(column: "place_id", as: PlaceID.self), PlacePath(rawValue: try row.decode(column: "path", as: String.self)))
    }

    /// A batch with the path of its team's place, or nil.
    public static func batch(id: MedicineBatchID, on db: any SQLDatabase) async throws -> (batch: MedicineBatch, path: PlacePath, requests: Int)? {
        guard let row = try await db.raw("""
            SELECT b.id, b.team_id, b.kind, b.night, b.status, b.formed_at, b.closed_at, b.money_explanation, b.path,
                (SELECT COUNT(*) FROM medicine_requests m WHERE m.batch_id = b.id) AS requests
            FROM medicine_batches b WHERE b.id = \(bind: id)
            """).first() else { return nil }
        let batch = MedicineBatch(
            id: try row.decode(column: "id", as: MedicineBatchID.self),
            teamID: try row.decode(column: "team_id", as: TeamID.self),
            kind: MedicineBatchKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .nightly,
            night: try row.decode(column: "night", as: String.self),
            status: MedicineBatchStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .formed,
            formedAt: Date(millisecondsSince1970: try row.decode(column: "formed_at", as: Int64.self)),
            closedAt: try row.decode(column: "closed_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
            moneyExplanation: try row.decode(column: "money_explanation", as: String?.self)
        )
        return (batch, PlacePath(rawValue: try row.decode(column: "path", as: String.self)), try row.decode(column: "requests", as: Int.self))
    }
}
