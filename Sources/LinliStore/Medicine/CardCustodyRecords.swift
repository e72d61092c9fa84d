import Foundation
import LinliCore
import SQLKit

/// One step of a card's custody as the chain holds it.
public struct CustodyEntry: Sendable, Hashable {
    public var id: Int64
    public var chain: String
    public var seq: Int64
    public var cardID: MedicineCardID
    public var event: CustodyEvent
    public var actor: String
    public var holderUserID: UserID?
    public var confirmedBy: String?
    public var batchID: MedicineBatchID?
    public var at: Date
    public var note: String?
}

/// A card away from its household, with what the cards-out board shows beside it.
public struct CardOut: Sendable, Hashable {
    public var card: MedicineCard
    public var holderName: String?
    public var building: String
    public var room: String
}

public enum CardCustodyError: Error, Equatable {
    case notFound
    /// The step cannot follow the card's current state.
    case refused(CardCustodyRules.Refusal)
    /// The linked request is not this household's.
    case requestMismatch
    case notInserted
}

/// Medicine cards and their custody chain: one chain per district, `card_custody/<district_id>`.
/// Every step appends an entry and moves the card's state, holder and since in the same transaction.
public enum CardCustodyRecords {
    static let columns: SQLQueryString = "c.id, c.household_id, c.resident_id, c.kind, c.card_number, c.request_id, c.batch_id, c.state, c.holder_user_id, c.since"

    public static func chainName(districtID: PlaceID?) -> String {
        "card_custody/\(districtID?.rawValue ?? 0)"
    }

    public static func actor(_ user: UserID) -> String { "user:\(user.rawValue)" }

    /// Registers a card handed over by its household: the card row and its first chain entry.
    public static func register(householdID: PlaceID, residentID: ResidentID?, kind: MedicineCardKind, number: String, requestID: HelpRequestID?,
                                by user: UserID, note: String?, now: Date, engine: DatabaseEngine, on db: any SQLDatabase) async throws -> MedicineCard {
        guard let household = try await db.raw("SELECT path, district_id FROM households WHERE id = \(bind: householdID)").first() else { throw CardCustodyError.notFound }
        let path = try household.decode(column: "path", as: String.self)
        let districtID = try household.decode(column: "district_id", as: PlaceID?.self)
        var batchID: MedicineBatchID?
        if let requestID {
            guard let request = try await db.raw("SELECT household_id FROM requests WHERE id = \(bind: requestID)").first(),
                  try request.decode(column: "household_id", as: PlaceID?.self) == householdID else { throw CardCustodyError.requestMismatch }
            batchID = try await currentBatch(requestID: requestID, on: db)
        }
        let since = now.millisecondsSince1970
        guard let row = try await db.raw("""
            INSERT INTO medicine_cards (household_id, resident_id, kind, card_number, request_id, batch_id, state, holder_user_id, since, path, district_id)
            VALUES (\(bind: householdID), \(bind: residentID), \(bind: kind.rawValue), \(bind: number), \(bind: requestID), \(bind: batchID),
                \(bind: CustodyEvent.receivedFromHousehold.rawValue), \(bind: user), \(bind: since), \(bind: path), \(bind: districtID))
            RETURNING id
            """).first() else { throw CardCustodyError.notInserted }
        let card = MedicineCard(id: try row.decode(column: "id", as: MedicineCardID.self), householdID: householdID, residentID: residentID, kind: kind,
                                number: number, requestID: requestID, batchID: batchID, state: .receivedFromHousehold, holderUserID: user,
                                since: Date(millisecondsSince1970: since))
        _ = try await append(card: card, event: .receivedFromHousehold, actor: actor(user), holder: user, confirmedBy: nil, note: note,
                             chain: chainName(districtID: districtID), engine: engine, on: db)
        return card
    }

    /// Appends a later custody step and moves the card. `holder` names the runner for
    /// `with_runner`; `confirmedBy` is `household_code` or `user:<id>` for a return.
    public static func step(cardID: MedicineCardID, event: CustodyEvent, by user: UserID, holder: UserID?, confirmedBy: String?, note: String?,
                            now: Date, engine: DatabaseEngine, on db: any SQLDatabase) async throws -> MedicineCard {
        var select: SQLQueryString = "SELECT \(columns), c.district_id FROM medicine_cards c WHERE c.id = \(bind: cardID)"
        if engine == .postgres { select += " FOR UPDATE" }
        guard let row = try await db.raw(select).first() else { throw CardCustodyError.notFound }
        var card = try decode(row)
        let districtID = try row.decode(column: "district_id", as: PlaceID?.self)
        if let refusal = CardCustodyRules.refusal(from: card.state, to: event) { throw CardCustodyError.refused(refusal) }
        if let requestID = card.requestID { card.batchID = try await currentBatch(requestID: requestID, on: db) ?? card.batchID }
        card.state = event
        card.holderUserID = CardCustodyRules.holder(after: event, current: card.holderUserID, named: holder)
        card.since = Date(millisecondsSince1970: now.millisecondsSince1970)
        try await db.raw("""
            UPDATE medicine_cards SET state = \(bind: event.rawValue), holder_user_id = \(bind: card.holderUserID), since = \(bind: now.millisecondsSince1970),
                batch_id = \(bind: card.batchID)
            WHERE id = \(bind: cardID)
            """).run()
        _ = try await append(card: card, event: event, actor: actor(user), holder: card.holderUserID, confirmedBy: confirmedBy, note: note,
                             chain: chainName(districtID: districtID), engine: engine, on: db)
        return card
    }

    static func currentBatch(requestID: HelpRequestID, on db: any SQLDatabase) async throws -> MedicineBatchID? {
        try await db.raw("SELECT batch_id FROM medicine_requests WHERE request_id = \(bind: requestID)").first()?.decode(column: "batch_id", as: MedicineBatchID?.self)
    }

    static func append(card: MedicineCard, event: CustodyEvent, actor: String, holder: UserID?, confirmedBy: String?, note: String?,
                       chain: String, engine: DatabaseEngine, on db: any SQLDatabase) async throws -> ChainAppended {
        func int(_ value: Int64?) -> ChainValue { value.map(ChainValue.int) ?? .null }
        func text(_ value: String?) -> ChainValue { value.map(ChainValue.text) ?? .null }
        return try await HashChainRecords.append(to: .cardCustody, chain: chain, fields: [
            .int(card.id.rawValue), .text(event.rawValue), .text(actor), int(holder?.rawValue),
            text(confirmedBy), int(card.batchID?.rawValue), .int(card.since.millisecondsSince1970), text(note),
        ], engine: engine, on: db)
    }

    public static func card(id: MedicineCardID, on db: any SQLDatabase) async throws -> (card: MedicineCard, path: PlacePath)? {
        guard let row = try await db.raw("SELECT \(columns), c.path FROM medicine_cards c WHERE c.id = \(bind: id)").first() else { return nil }
        return (try decode(row), PlacePath(rawValue: try row.decode(column: "path", as: String.self)))
    }

    public static func history(cardID: MedicineCardID, on db: any SQLDatabase) async throws -> [CustodyEntry] {
        try await db.raw("""
            SELECT id, chain, seq, card_id, event, actor, holder_user_id, confirmed_by, batch_id, at, note
            FROM card_custody WHERE card_id = \(bind: cardID) ORDER BY seq, id LIMIT 500
            """).all().map { row in
            CustodyEntry(
                id: try row.decode(column: "id", as: Int64.self),
                chain: try row.decode(column: "chain", as: String.self),
                seq: try row.decode(column: "seq", as: Int64.self),
                cardID: try row.decode(column: "card_id", as: MedicineCardID.self),
                event: CustodyEvent(rawValue: try row.decode(column: "event", as: String.self)) ?? .receivedFromHousehold,
                actor: try row.decode(column: "actor", as: String.self),
                holderUserID: try row.decode(column: "holder_user_id", as: UserID?.self),
                confirmedBy: try row.decode(column: "confirmed_by", as: String?.self),
                batchID: try row.decode(column: "batch_id", as: MedicineBatchID?.self),
                at: Date(millisecondsSince1970: try row.decode(column: "at", as: Int64.self)),
                note: try row.decode(column: "note", as: String?.self))
        }
    }

    /// Cards not yet back under `scope` (a place path), oldest first, with holder and address.
    public static func cardsOut(under scope: PlacePath, limit: Int = 1_000, on db: any SQLDatabase) async throws -> [CardOut] {
        try await db.raw("""
            SELECT \(columns), u.name AS holder_name, b.name AS building, h.room
            FROM medicine_cards c
            JOIN households h ON h.id = c.household_id
            JOIN places b ON b.id = h.building_id
            LEFT JOIN users u ON u.id = c.holder_user_id
            WHERE c.state <> \(bind: CustodyEvent.returnedToHousehold.rawValue) AND \(scopeCondition(column: "c.path", scopes: [scope.rawValue]))
            ORDER BY c.since, c.id LIMIT \(bind: limit)
            """).all().map { row in
            CardOut(card: try decode(row), holderName: try row.decode(column: "holder_name", as: String?.self),
                    building: try row.decode(column: "building", as: String.self), room: try row.decode(column: "room", as: String.self))
        }
    }

    /// Every card of a household with its holder's name, newest first.
    public static func cards(householdID: PlaceID, on db: any SQLDatabase) async throws -> [(card: MedicineCard, holderName: String?)] {
        try await db.raw("""
            SELECT \(columns), u.name AS holder_name FROM medicine_cards c LEFT JOIN users u ON u.id = c.holder_user_id
            WHERE c.household_id = \(bind: householdID) ORDER BY c.since DESC, c.id DESC LIMIT 100
            """).all().map { row in (try decode(row), try row.decode(column: "holder_name", as: String?.self)) }
    }

    static func decode(_ row: any SQLRow) throws -> MedicineCard {
        MedicineCard(
            id: try row.decode(column: "id", as: MedicineCardID.self),
            householdID: try row.decode(column: "household_id", as: PlaceID.self),
            residentID: try row.decode(column: "resident_id", as: ResidentID?.self),
            kind: MedicineCardKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .insuranceCard,
            number: try row.decode(column: "card_number", as: String.self),
            requestID: try row.decode(column: "request_id", as: HelpRequestID?.self),
            batchID: try row.decode(column: "batch_id", as: MedicineBatchID?.self),
            state: CustodyEvent(rawValue: try row.decode(column: "state", as: String.self)) ?? .receivedFromHousehold,
            holderUserID: try row.decode(column: "holder_user_id", as: UserID?.self),
            since: Date(millisecondsSince1970: try row.decode(column: "since", as: Int64.self)))
    }
}
