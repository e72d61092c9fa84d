import Foundation
import LinliCore
import SQLKit

/// One stop of a run: a request of the batch with the door it goes to, its items, money and the
/// cards handed over for it, as the runner's page shows them.
public struct MedicineRunStop: Sendable, Hashable {
    public var requestID: HelpRequestID
    public var requestStatus: RequestStatus
    public var householdID: PlaceID
    public var building: String
    public var room: String
    /// The family name only: enough for the bag to reach the right door.
    public var surname: String
    public var path: PlacePath
    public var money: MedicineMoney
    public var items: [MedicineItem]
    public var cards: [MedicineCard]
}

/// The rows of the runner's page: a whole batch in three queries (requests, items, cards),
/// whatever its size.
public enum MedicineRunRecords {
    public static func stops(batch: MedicineBatchID, on db: any SQLDatabase) async throws -> [MedicineRunStop] {
        let rows = try await db.raw("""
            SELECT m.request_id, m.household_id, m.cash_advanced, m.cash_spent, m.change_returned, m.money_note, q.status, h.room, h.path, p.name AS building,
                COALESCE((SELECT r.name FROM residents r WHERE r.id = q.resident_id),
                         (SELECT r.name FROM residents r WHERE r.household_id = m.household_id ORDER BY r.id LIMIT 1), '') AS resident
            FROM medicine_requests m JOIN requests q ON q.id = m.request_id JOIN households h ON h.id = m.household_id JOIN places p ON p.id = h.building_id
            WHERE m.batch_id = \(bind: batch)
            ORDER BY p.name, h.room, m.request_id
            """).all()
        let items = try await db.raw("""
            SELECT i.* FROM medicine_items i JOIN medicine_requests m ON m.request_id = i.request_id WHERE m.batch_id = \(bind: batch) ORDER BY i.request_id, i.id
            """).all().map(MedicineRequestRecords.decodeItem)
        let byRequest = Dictionary(grouping: items, by: \.requestID)
        let cards = try await db.raw("SELECT * FROM medicine_cards WHERE batch_id = \(bind: batch) ORDER BY id").all().map(CardCustodyRecords.decode)
        let cardsByRequest = Dictionary(grouping: cards.filter { $0.requestID != nil }, by: { $0.requestID ?? 0 })
        return try rows.map { row in
            let request = try row.decode(column: "request_id", as: HelpRequestID.self)
            return MedicineRunStop(
                requestID: request,
                requestStatus: RequestStatus(rawValue: try row.decode(column: "status", as: String.self)) ?? .new,
                householdID: try row.decode(column: "household_id", as: PlaceID.self),
                building: try row.decode(column: "building", as: String.self),
                room: try row.decode(column: "room", as: String.self),
                surname: String(try row.decode(column: "resident", as: String.self).prefix(1)),
                path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
                money: MedicineMoney(
                    advanced: try row.decode(column: "cash_advanced", as: Int.self), spent: try row.decode(column: "cash_spent", as: Int?.self),
                    changeReturned: try row.decode(column: "change_returned", as: Int?.self), note: try row.decode(column: "money_note", as: String?.self)
                ),
                items: byRequest[request] ?? [],
                cards: cardsByRequest[request] ?? []
            )
        }
    }

    /// The card of the batch with this number (spaces ignored), for the runner who types or scans it.
    public static func card(batch: MedicineBatchID, number: String, on db: any SQLDatabase) async throws -> MedicineCard? {
        try await db.raw("SELECT * FROM medicine_cards WHERE batch_id = \(bind: batch) AND card_number = \(bind: number) ORDER BY id LIMIT 1").first().map(CardCustodyRecords.decode)
    }
}
