import Foundation
import LinliCore
import SQLKit

/// The medicine part of requests as runners and committees work it: the teams above a
/// household, a request's items and money, outcomes, runners, cut-offs and closing a batch.
public enum MedicineRequestRecords {
    /// The medicine teams of the places on `path` (the household's compound, committee,
    /// sub-district and district), for `MedicineRules.team(for:among:)`.
    public static func teams(onPath path: PlacePath, on db: any SQLDatabase) async throws -> [MedicineTeamPlace] {
        let ids: [any Encodable & Sendable] = path.ids
        guard !ids.isEmpty else { return [] }
        return try await db.raw("""
            SELECT id, place_id, path FROM teams WHERE kind = \(bind: TeamKind.medicineTeam.rawValue) AND place_id IN (\(binds: ids)) ORDER BY id
            """).all().map { row in
            MedicineTeamPlace(
                id: try row.decode(column: "id", as: TeamID.self), placeID: try row.decode(column: "place_id", as: PlaceID.self),
                path: PlacePath(rawValue: try row.decode(column: "path", as: String.self))
            )
        }
    }

    /// A request's medicine part with its items, or nil when it has none.
    public static func part(requestID: HelpRequestID, on db: any SQLDatabase) async throws -> MedicineRequestPart? {
        guard let row = try await db.raw("""
            SELECT m.*, b.status AS batch_status FROM medicine_requests m LEFT JOIN medicine_batches b ON b.id = m.batch_id
            WHERE m.request_id = \(bind: requestID)
            """).first() else { return nil }
        let items = try await db.raw("SELECT * FROM medicine_items WHERE request_id = \(bind: requestID) ORDER BY id").all().map(decodeItem)
        return MedicineRequestPart(
            requestID: requestID,
            householdID: try row.decode(column: "household_id", as: PlaceID.self),
            teamID: try row.decode(column: "team_id", as: TeamID?.self),
            queue: MedicineQueue(rawValue: try row.decode(column: "queue", as: String.self)) ?? .nightly,
            batchID: try row.decode(column: "batch_id", as: MedicineBatchID?.self),
            batchStatus: try row.decode(column: "batch_status", as: String?.self).flatMap(MedicineBatchStatus.init(rawValue:)),
            followUpOf: try row.decode(column: "follow_up_of", as: HelpRequestID?.self),
            verifiedBy: try row.decode(column: "verified_by", as: UserID?.self),
            verifiedAt: try row.decode(column: "verified_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
            money: MedicineMoney(
                advanced: try row.decode(column: "cash_advanced", as: Int.self), spent: try row.decode(column: "cash_spent", as: Int?.self),
                changeReturned: try row.decode(column: "change_returned", as: Int?.self), note: try row.decode(column: "money_note", as: String?.self)
            ),
            items: items
        )
    }

    static func decodeItem(_ row: any SQLRow) throws -> MedicineItem {
        MedicineItem(
            id: try row.decode(column: "id", as: MedicineItemID.self),
            requestID: try row.decode(column: "request_id", as: HelpRequestID.self),
            drug: try row.decode(column: "drug", as: String.self),
            maker: try row.decode(column: "maker", as: String?.self),
            specification: try row.decode(column: "specification", as: String?.self),
            quantity: try row.decode(column: "quantity", as: Int.self),
            kind: MedicineKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .otherSpecialty,
            source: MedicineSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .hospitalWindow,
            hospital: try row.decode(column: "hospital", as: String.self),
            window: try row.decode(column: "hospital_window", as: String.self),
            coldChain: try row.decode(column: "cold_chain", as: Int.self) != 0,
            boxPhoto: try row.decode(column: "box_photo", as: String?.self),
            outcome: try row.decode(column: "outcome", as: String?.self).flatMap(MedicineOutcome.init(rawValue:)),
            quantityBought: try row.decode(column: "quantity_bought", as: Int?.self),
            outcomeNote: try row.decode(column: "outcome_note", as: String?.self)
        )
    }

    /// The request an item belongs to, or nil when there is no such item.
    public static func requestID(item: MedicineItemID, on db: any SQLDatabase) async throws -> HelpRequestID? {
        try await db.raw("SELECT request_id FROM medicine_items WHERE id = \(bind: item)").first()?.decode(column: "request_id", as: HelpRequestID.self)
    }

    /// Records who checked the resident's visit record at the hospital, and when.
    public static func verify(requestID: HelpRequestID, by user: UserID, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE medicine_requests SET verified_by = \(bind: user), verified_at = \(bind: now.millisecondsSince1970) WHERE request_id = \(bind: requestID)
            """).run()
    }

    /// Records what the runner spent and gave back.
    public static func settle(requestID: HelpRequestID, spent: Int, changeReturned: Int, note: String?, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE medicine_requests SET cash_spent = \(bind: spent), change_returned = \(bind: changeReturned), money_note = \(bind: note)
            WHERE request_id = \(bind: requestID)
            """).run()
    }

    /// Names the file of an item's box photo.
    public static func setBoxPhoto(item: MedicineItemID, name: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE medicine_items SET box_photo = \(bind: name) WHERE id = \(bind: item)").run()
    }

    /// Records what came of an item at the hospital.
    public static func recordOutcome(item: MedicineItemID, outcome: MedicineOutcome, quantityBought: Int?, note: String?, by user: UserID, at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE medicine_items SET outcome = \(bind: outcome.rawValue), quantity_bought = \(bind: quantityBought), outcome_note = \(bind: note),
                outcome_at = \(bind: now.millisecondsSince1970), outcome_by = \(bind: user)
            WHERE id = \(bind: item)
            """).run()
    }

    /// Adds items to a request's medicine part.
    public static func append(items: [MedicineItem], to requestID: HelpRequestID, on db: any SQLDatabase) async throws {
        for item in items {
            try await db.raw("""
                INSERT INTO medicine_items (request_id, drug, maker, specification, quantity, kind, source, hospital, hospital_window, cold_chain)
                VALUES (\(bind: requestID), \(bind: item.drug), \(bind: item.maker), \(bind: item.specification), \(bind: item.quantity),
                    \(bind: item.kind.rawValue), \(bind: item.source.rawValue), \(bind: item.hospital), \(bind: item.window), \(bind: item.coldChain ? 1 : 0))
                """).run()
        }
    }

    /// Sets a medicine team's nightly cut-off, minutes after local midnight.
    public static func setCutoff(team: TeamID, minute: Int, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE teams SET medicine_cutoff_minute = \(bind: minute) WHERE id = \(bind: team)").run()
    }

    /// A medicine team's cut-off, minutes after local midnight.
    public static func cutoff(team: TeamID, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("SELECT medicine_cutoff_minute FROM teams WHERE id = \(bind: team)").first()?
            .decode(column: "medicine_cutoff_minute", as: Int?.self) ?? MedicineBatch.defaultCutoffMinute
    }

    /// Replaces a batch's runners: one person per hospital.
    public static func setRunners(batch: MedicineBatchID, _ runners: [(hospital: String, userID: UserID)], at now: Date, on db: any SQLDatabase) async throws {
        try await db.raw("DELETE FROM medicine_runners WHERE batch_id = \(bind: batch)").run()
        for runner in runners {
            try await db.raw("""
                INSERT INTO medicine_runners (batch_id, hospital, runner_user_id, assigned_at)
                VALUES (\(bind: batch), \(bind: runner.hospital), \(bind: runner.userID), \(bind: now.millisecondsSince1970))
                """).run()
        }
    }

    /// Who may be sent to a hospital for a batch at `path`: everyone whose role at a place on the
    /// path (the batch's place or above) lets them run medicine, by name.
    public static func runnerCandidates(path: PlacePath, limit: Int = 200, on db: any SQLDatabase) async throws -> [(id: UserID, name: String)] {
        let places: [any Encodable & Sendable] = path.ids
        let roles: [any Encodable & Sendable] = RoleKind.allCases.filter { $0.capabilities.contains(.runMedicine) }.map(\.rawValue)
        guard !places.isEmpty, !roles.isEmpty else { return [] }
        return try await db.raw("""
            SELECT DISTINCT u.id, u.name FROM role_assignments a JOIN users u ON u.id = a.user_id
            WHERE a.place_id IN (\(binds: places)) AND a.role IN (\(binds: roles)) ORDER BY u.name, u.id LIMIT \(bind: limit)
            """).all().map { (try $0.decode(column: "id", as: UserID.self), try $0.decode(column: "name", as: String.self)) }
    }

    /// The runner assigned to each hospital of a batch.
    public static func runnerIDs(batch: MedicineBatchID, on db: any SQLDatabase) async throws -> [String: UserID] {
        try await db.raw("SELECT hospital, runner_user_id FROM medicine_runners WHERE batch_id = \(bind: batch)").all().reduce(into: [String: UserID]()) {
            $0[try $1.decode(column: "hospital", as: String.self)] = try $1.decode(column: "runner_user_id", as: UserID.self)
        }
    }

    /// The hospitals a batch's items go to, in name order.
    public static func hospitals(batch: MedicineBatchID, on db: any SQLDatabase) async throws -> [String] {
        try await db.raw("""
            SELECT DISTINCT i.hospital FROM medicine_items i JOIN medicine_requests m ON m.request_id = i.request_id
            WHERE m.batch_id = \(bind: batch) ORDER BY i.hospital
            """).all().map { try $0.decode(column: "hospital", as: String.self) }
    }

    /// Each request's money in a batch.
    public static func money(batch: MedicineBatchID, on db: any SQLDatabase) async throws -> [(requestID: HelpRequestID, money: MedicineMoney)] {
        try await db.raw("""
            SELECT request_id, cash_advanced, cash_spent, change_returned, money_note FROM medicine_requests WHERE batch_id = \(bind: batch) ORDER BY request_id
            """).all().map { row in
            (try row.decode(column: "request_id", as: HelpRequestID.self), MedicineMoney(
                advanced: try row.decode(column: "cash_advanced", as: Int.self), spent: try row.decode(column: "cash_spent", as: Int?.self),
                changeReturned: try row.decode(column: "change_returned", as: Int?.self), note: try row.decode(column: "money_note", as: String?.self)
            ))
        }
    }

    /// How many items of a batch have no outcome yet.
    public static func itemsOpen(batch: MedicineBatchID, on db: any SQLDatabase) async throws -> Int {
        try await db.raw("""
            SELECT COUNT(*) AS n FROM medicine_items i JOIN medicine_requests m ON m.request_id = i.request_id
            WHERE m.batch_id = \(bind: batch) AND i.outcome IS NULL
            """).first()?.decode(column: "n", as: Int.self) ?? 0
    }

    /// Closes a formed batch. False when it was not formed any more (closed meanwhile).
    public static func close(batch: MedicineBatchID, by user: UserID, explanation: String?, at now: Date, on db: any SQLDatabase) async throws -> Bool {
        try await db.raw("""
            UPDATE medicine_batches SET status = 'closed', closed_at = \(bind: now.millisecondsSince1970), closed_by = \(bind: user), money_explanation = \(bind: explanation)
            WHERE id = \(bind: batch) AND status = 'formed' RETURNING id
            """).first() != nil
    }
}
