import Foundation
import LinliCore
import SQLKit

/// A batch to be received, its text already checked and bounded.
public struct NewSupplyBatch: Sendable, Hashable {
    public var kind: SupplyBatchKind
    public var source: String
    public var supplier: String?
    public var lot: String?
    public var contents: [SupplyLine]
    public var licences: String?
    public var expiry: String?
    public var unit: SupplyUnit
    public var received: Int
    public var placeID: PlaceID
    public var allocation: AllocationRule
    public var note: String?

    public init(kind: SupplyBatchKind, source: String, supplier: String?, lot: String?, contents: [SupplyLine], licences: String?, expiry: String?,
                unit: SupplyUnit, received: Int, placeID: PlaceID, allocation: AllocationRule, note: String?) {
        self.kind = kind
        self.source = source
        self.supplier = supplier
        self.lot = lot
        self.contents = contents
        self.licences = licences
        self.expiry = expiry
        self.unit = unit
        self.received = received
        self.placeID = placeID
        self.allocation = allocation
        self.note = note
    }
}

/// One household's share of a batch, as handed out.
public struct SupplyHandout: Sendable, Hashable {
    public var batchID: SupplyBatchID
    public var householdID: PlaceID
    public var quantity: Int
    /// `household_code`, or `user:<id>` when the person handing out signed it off.
    public var confirmedBy: String
    public var at: Date
    public var note: String?
}

/// What the ledger says of one batch: the sums of its entries. `householdsReceived` and
/// `handedOutHere` count only hand-outs under the place asked about.
public struct LedgerFigures: Sendable, Hashable {
    public var received = 0
    public var allocated = 0
    public var handedOut = 0
    public var writtenOff = 0
    public var handedOutHere = 0
    public var householdsReceived = 0

    public init() {}

    public var left: Int { SupplyRules.stock(received: received, handedOut: handedOut, writtenOff: writtenOff) }
}

/// A household that received a recalled lot, with its address and masked phones.
public struct RecallLine: Sendable, Hashable {
    public var batchID: SupplyBatchID
    public var householdID: PlaceID
    public var building: String
    public var room: String
    public var quantity: Int
    public var at: Date
    public var maskedPhones: [String]
}

/// One receipt of a household, with what the batch held.
public struct HouseholdReceipt: Sendable, Hashable {
    public var batch: SupplyBatch
    public var handout: SupplyHandout
}

/// How far a batch's hand-out has come in one building.
public struct BuildingProgress: Sendable, Hashable {
    public var buildingID: PlaceID
    public var name: String
    public var households: Int
    public var received: Int
}

/// One door of a building on the hand-out list: its share once handed out.
public struct DoorLine: Sendable, Hashable {
    public var householdID: PlaceID
    public var room: String
    public var handout: SupplyHandout?
}

public enum SupplyError: Error, Equatable {
    case notFound
    case refused(SupplyRules.Refusal)
    /// The household does not lie under the place the batch was received at.
    case householdOutside
    case notInserted
}

/// Relief batches, hand-outs, write-offs and the shelf, each change with its ledger entry in the
/// same transaction: one chain per district, `supplies/<district_id>`.
public enum SupplyRecords {
    static let batchColumns: SQLQueryString = """
        b.id, b.kind, b.source, b.supplier, b.lot, b.contents, b.licences, b.expiry, b.unit, b.received, b.place_id, b.allocation,
        b.received_by, b.received_at, b.handed_out, b.written_off
        """

    public static func chainName(districtID: PlaceID?) -> String {
        "supplies/\(districtID?.rawValue ?? 0)"
    }

    public static func actor(_ user: UserID) -> String { "user:\(user.rawValue)" }

    /// Receives a batch at its place: the batch row, its `received` entry and the `allocated`
    /// entry that records the rule and the sum it gives the households under the place today.
    public static func receive(_ new: NewSupplyBatch, by user: UserID, now: Date, engine: DatabaseEngine, on db: any SQLDatabase) async throws -> (SupplyBatch, PlacePath) {
        guard let place = try await db.raw("SELECT path, district_id FROM places WHERE id = \(bind: new.placeID)").first() else { throw SupplyError.notFound }
        let path = PlacePath(rawValue: try place.decode(column: "path", as: String.self))
        let districtID = try place.decode(column: "district_id", as: PlaceID?.self)
        let at = now.millisecondsSince1970
        guard let row = try await db.raw("""
            INSERT INTO supply_batches (kind, source, supplier, lot, contents, licences, expiry, unit, received, place_id, allocation, received_by, received_at, path, district_id)
            VALUES (\(bind: new.kind.rawValue), \(bind: new.source), \(bind: new.supplier), \(bind: new.lot), \(bind: try encode(new.contents)), \(bind: new.licences),
                \(bind: new.expiry), \(bind: new.unit.rawValue), \(bind: new.received), \(bind: new.placeID), \(bind: new.allocation.ledgerText), \(bind: user),
                \(bind: at), \(bind: path.rawValue), \(bind: districtID))
            RETURNING id
            """).first() else { throw SupplyError.notInserted }
        let id = try row.decode(column: "id", as: SupplyBatchID.self)
        let batch = SupplyBatch(id: id, kind: new.kind, source: new.source, supplier: new.supplier, lot: new.lot, contents: new.contents, licences: new.licences,
                                expiry: new.expiry, unit: new.unit, received: new.received, placeID: new.placeID, allocation: new.allocation, receivedBy: user,
                                receivedAt: Date(millisecondsSince1970: at))
        let chain = chainName(districtID: districtID)
        _ = try await append(.received, batch: id, quantity: new.received, actor: actor(user), at: at, note: new.note, chain: chain, engine: engine, on: db)
        // One per household needs only the count: reading every household's facts of a district
        // to sum ones took seconds.
        let allocated: Int
        if new.allocation.readsHousehold {
            allocated = SupplyRules.allocated(new.allocation, Array(try await householdFacts(under: path, on: db).values))
        } else {
            let range = path.descendantRange
            let count = try await db.raw("SELECT COUNT(*) AS n FROM households WHERE path > \(bind: range.after) AND path < \(bind: range.before)").first()?
                .decode(column: "n", as: Int.self) ?? 0
            allocated = SupplyRules.allocated(new.allocation, Array(repeating: HouseholdFacts(residents: 0), count: count))
        }
        _ = try await append(.allocated, batch: id, quantity: allocated, actor: actor(user), at: at, note: new.allocation.ledgerText, chain: chain, engine: engine, on: db)
        return (batch, path)
    }

    /// Hands a household its share: refused when it had it, is not entitled, or too little is left.
    public static func handOut(batchID: SupplyBatchID, householdID: PlaceID, confirmedBy: String, by user: UserID, note: String?, now: Date,
                               engine: DatabaseEngine, on db: any SQLDatabase) async throws -> SupplyHandout {
        let (batch, batchPath, districtID) = try await lockedBatch(batchID, engine: engine, on: db)
        guard let household = try await db.raw("SELECT path FROM households WHERE id = \(bind: householdID)").first() else { throw SupplyError.notFound }
        let householdPath = PlacePath(rawValue: try household.decode(column: "path", as: String.self))
        guard batchPath.contains(householdPath) else { throw SupplyError.householdOutside }
        let already = try await db.raw("SELECT 1 AS one FROM supply_handouts WHERE batch_id = \(bind: batchID) AND household_id = \(bind: householdID)").first() != nil
        let facts = batch.allocation.readsHousehold ? try await householdFacts(under: householdPath, on: db)[householdID] ?? HouseholdFacts(residents: 0) : HouseholdFacts(residents: 0)
        let quantity = SupplyRules.entitlement(batch.allocation, facts)
        if let refusal = SupplyRules.handOutRefusal(entitlement: quantity, alreadyReceived: already, stock: batch.stock) { throw SupplyError.refused(refusal) }
        let at = now.millisecondsSince1970
        try await db.raw("""
            INSERT INTO supply_handouts (batch_id, household_id, quantity, confirmed_by, handed_by, at, note, path, district_id)
            VALUES (\(bind: batchID), \(bind: householdID), \(bind: quantity), \(bind: confirmedBy), \(bind: user), \(bind: at), \(bind: note),
                \(bind: householdPath.rawValue), \(bind: districtID))
            """).run()
        try await db.raw("UPDATE supply_batches SET handed_out = handed_out + \(bind: quantity) WHERE id = \(bind: batchID)").run()
        _ = try await append(.handedOut, batch: batchID, household: householdID, quantity: quantity, actor: actor(user), confirmedBy: confirmedBy, at: at,
                             note: note, chain: chainName(districtID: districtID), engine: engine, on: db)
        return SupplyHandout(batchID: batchID, householdID: householdID, quantity: quantity, confirmedBy: confirmedBy, at: Date(millisecondsSince1970: at), note: note)
    }

    /// What a bulk hand-out did: how many households got their share, and how many were passed
    /// over for each reason (had it already, the rule gives them nothing, the stock ran out, not
    /// under the batch's place).
    public struct BulkHandOut: Sendable, Hashable {
        public var handedOut = 0
        public var quantity = 0
        public var skipped: [String: Int] = [:]
    }

    /// Rows per multi-row statement of a bulk hand-out: 9 values a row stays far inside both
    /// engines' limits on bound values.
    static let bulkRows = 1_000

    /// Hands every household of `households` its share in one go, signed off by `confirmedBy`
    /// (a leader ticking a whole building they delivered), with the same checks as one by one:
    /// one share per household, the rule's entitlement, the stock; then one multi-row insert of
    /// hand-outs, one counter update and the ledger entries appended together, in order.
    public static func handOutMany(batchID: SupplyBatchID, households: [PlaceID], confirmedBy: String, by user: UserID, note: String?, now: Date,
                                   engine: DatabaseEngine, on db: any SQLDatabase) async throws -> BulkHandOut {
        let (batch, batchPath, districtID) = try await lockedBatch(batchID, engine: engine, on: db)
        var paths: [PlaceID: String] = [:]
        var already: Set<PlaceID> = []
        var start = 0
        while start < households.count {
            let slice = households[start..<min(start + bulkRows, households.count)].map(\.rawValue)
            for row in try await db.raw("SELECT id, path FROM households WHERE id IN (\(binds: slice))").all() {
                paths[try row.decode(column: "id", as: PlaceID.self)] = try row.decode(column: "path", as: String.self)
            }
            for row in try await db.raw("SELECT household_id FROM supply_handouts WHERE batch_id = \(bind: batchID) AND household_id IN (\(binds: slice))").all() {
                already.insert(try row.decode(column: "household_id", as: PlaceID.self))
            }
            start += bulkRows
        }
        let facts = batch.allocation.readsHousehold ? try await householdFacts(under: batchPath, on: db) : [:]
        var result = BulkHandOut()
        var stock = batch.stock
        var chosen: [(household: PlaceID, path: String, quantity: Int)] = []
        var seen: Set<PlaceID> = []
        for household in households where seen.insert(household).inserted {
            guard let path = paths[household], batchPath.contains(PlacePath(rawValue: path)) else { result.skipped["outside", default: 0] += 1; continue }
            let quantity = SupplyRules.entitlement(batch.allocation, facts[household] ?? HouseholdFacts(residents: 0))
            if let refusal = SupplyRules.handOutRefusal(entitlement: quantity, alreadyReceived: already.contains(household), stock: stock) {
                result.skipped[refusal.rawValue, default: 0] += 1
                continue
            }
            stock -= quantity
            chosen.append((household, path, quantity))
        }
        guard !chosen.isEmpty else { return result }
        let at = now.millisecondsSince1970
        try await db.insertRows(into: "supply_handouts", columns: ["batch_id", "household_id", "quantity", "confirmed_by", "handed_by", "at", "note", "path", "district_id"],
                                rows: chosen.map { [batchID, $0.household, $0.quantity, confirmedBy, user, at, note, $0.path, districtID] })
        let total = chosen.reduce(0) { $0 + $1.quantity }
        try await db.raw("UPDATE supply_batches SET handed_out = handed_out + \(bind: total) WHERE id = \(bind: batchID)").run()
        let actor = actor(user)
        _ = try await HashChainRecords.appendMany(to: .suppliesLedger, chain: chainName(districtID: districtID), entries: chosen.map { line in
            [.text(SupplyEvent.handedOut.rawValue), .int(batchID.rawValue), .int(line.household.rawValue), .null, .int(Int64(line.quantity)),
             .text(actor), .text(confirmedBy), .int(at), note.map(ChainValue.text) ?? .null]
        }, engine: engine, on: db)
        result.handedOut = chosen.count
        result.quantity = total
        return result
    }

    /// Takes damaged, expired or lost stock out of a batch; never more than is left.
    public static func writeOff(batchID: SupplyBatchID, quantity: Int, reason: WriteOffReason, note: String?, by user: UserID, now: Date,
                                engine: DatabaseEngine, on db: any SQLDatabase) async throws -> SupplyBatch {
        var (batch, _, districtID) = try await lockedBatch(batchID, engine: engine, on: db)
        if let refusal = SupplyRules.writeOffRefusal(quantity: quantity, stock: batch.stock) { throw SupplyError.refused(refusal) }
        try await db.raw("UPDATE supply_batches SET written_off = written_off + \(bind: quantity) WHERE id = \(bind: batchID)").run()
        batch.writtenOff += quantity
        let text = [reason.rawValue, note].compactMap { $0 }.joined(separator: ": ")
        _ = try await append(.writtenOff, batch: batchID, quantity: quantity, actor: actor(user), at: now.millisecondsSince1970, note: text,
                             chain: chainName(districtID: districtID), engine: engine, on: db)
        return batch
    }

    /// Puts an item on the shelf of a place.
    public static func offer(placeID: PlaceID, item: String, quantity: Int, note: String?, offeredBy: String, now: Date,
                             engine: DatabaseEngine, on db: any SQLDatabase) async throws -> ShelfItem {
        guard let place = try await db.raw("SELECT path, district_id FROM places WHERE id = \(bind: placeID)").first() else { throw SupplyError.notFound }
        let districtID = try place.decode(column: "district_id", as: PlaceID?.self)
        let at = now.millisecondsSince1970
        guard let row = try await db.raw("""
            INSERT INTO shelf_items (place_id, item, quantity, note, offered_by, offered_at, path, district_id)
            VALUES (\(bind: placeID), \(bind: item), \(bind: quantity), \(bind: note), \(bind: offeredBy), \(bind: at),
                \(bind: try place.decode(column: "path", as: String.self)), \(bind: districtID))
            RETURNING id
            """).first() else { throw SupplyError.notInserted }
        let id = try row.decode(column: "id", as: ShelfItemID.self)
        _ = try await append(.shelfOffered, shelfItem: id, quantity: quantity, actor: offeredBy, at: at, note: item,
                             chain: chainName(districtID: districtID), engine: engine, on: db)
        return ShelfItem(id: id, placeID: placeID, item: item, quantity: quantity, note: note, offeredAt: Date(millisecondsSince1970: at), takenAt: nil)
    }

    /// Marks a shelf item taken; a second take is refused.
    public static func take(itemID: ShelfItemID, takenBy: String, now: Date, engine: DatabaseEngine, on db: any SQLDatabase) async throws -> ShelfItem {
        var select: SQLQueryString = "SELECT id, place_id, item, quantity, note, offered_at, taken_at, district_id FROM shelf_items WHERE id = \(bind: itemID)"
        if engine == .postgres { select += " FOR UPDATE" }
        guard let row = try await db.raw(select).first() else { throw SupplyError.notFound }
        var item = try decodeShelfItem(row)
        guard item.takenAt == nil else { throw SupplyError.refused(.alreadyTaken) }
        let at = now.millisecondsSince1970
        try await db.raw("UPDATE shelf_items SET taken_by = \(bind: takenBy), taken_at = \(bind: at) WHERE id = \(bind: itemID)").run()
        item.takenAt = Date(millisecondsSince1970: at)
        _ = try await append(.shelfTaken, shelfItem: itemID, quantity: item.quantity, actor: takenBy, at: at, note: item.item,
                             chain: chainName(districtID: try row.decode(column: "district_id", as: PlaceID?.self)), engine: engine, on: db)
        return item
    }

    // MARK: - Reading

    public static func batch(id: SupplyBatchID, on db: any SQLDatabase) async throws -> (batch: SupplyBatch, path: PlacePath)? {
        guard let row = try await db.raw("SELECT \(batchColumns), b.path FROM supply_batches b WHERE b.id = \(bind: id)").first() else { return nil }
        return (try decodeBatch(row), PlacePath(rawValue: try row.decode(column: "path", as: String.self)))
    }

    public static func shelfItem(id: ShelfItemID, on db: any SQLDatabase) async throws -> (item: ShelfItem, path: PlacePath)? {
        guard let row = try await db.raw("SELECT id, place_id, item, quantity, note, offered_at, taken_at, path FROM shelf_items WHERE id = \(bind: id)").first() else { return nil }
        return (try decodeShelfItem(row), PlacePath(rawValue: try row.decode(column: "path", as: String.self)))
    }

    /// Batches that concern `place`: received at it, at a place above it (a sub-district's relief
    /// reaches its compounds), or under it. Newest first, at most `limit`.
    public static func batches(concerning place: PlacePath, kind: SupplyBatchKind? = nil, limit: Int = 200, on db: any SQLDatabase) async throws -> [SupplyBatch] {
        let ancestors = place.ids.map(\.rawValue)
        var sql: SQLQueryString = "SELECT \(batchColumns) FROM supply_batches b WHERE (\(scopeCondition(column: "b.path", scopes: [place.rawValue]))"
        if !ancestors.isEmpty { sql += " OR b.place_id IN (" + ancestors.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ") + ")" }
        sql += ")"
        if let kind { sql += " AND b.kind = \(bind: kind.rawValue)" }
        sql += " ORDER BY b.received_at DESC, b.id DESC LIMIT \(bind: limit)"
        return try await db.raw(sql).all().map(decodeBatch)
    }

    /// The ledger's sums for each batch; hand-outs are also counted under `place` alone.
    public static func figures(batchIDs: [SupplyBatchID], under place: PlacePath, on db: any SQLDatabase) async throws -> [SupplyBatchID: LedgerFigures] {
        guard !batchIDs.isEmpty else { return [:] }
        let list = batchIDs.map { "\(bind: $0)" as SQLQueryString }.joined(separator: ", ")
        var figures: [SupplyBatchID: LedgerFigures] = [:]
        let totals = try await db.raw("SELECT batch_id, event, SUM(quantity) AS total FROM supply_ledger WHERE batch_id IN (" + list + ") GROUP BY batch_id, event").all()
        for row in totals {
            let id = try row.decode(column: "batch_id", as: SupplyBatchID.self)
            let total = Int(clamping: try row.decode(column: "total", as: Int64.self))
            switch SupplyEvent(rawValue: try row.decode(column: "event", as: String.self)) {
            case .received: figures[id, default: LedgerFigures()].received = total
            case .allocated: figures[id, default: LedgerFigures()].allocated = total
            case .handedOut: figures[id, default: LedgerFigures()].handedOut = total
            case .writtenOff: figures[id, default: LedgerFigures()].writtenOff = total
            case .shelfOffered, .shelfTaken, nil: break
            }
        }
        let here = try await db.raw("""
            SELECT l.batch_id, SUM(l.quantity) AS total, COUNT(DISTINCT l.household_id) AS households
            FROM supply_ledger l JOIN households h ON h.id = l.household_id
            WHERE l.event = \(bind: SupplyEvent.handedOut.rawValue) AND l.batch_id IN (
            """ + list + ") AND \(scopeCondition(column: "h.path", scopes: [place.rawValue])) GROUP BY l.batch_id").all()
        for row in here {
            let id = try row.decode(column: "batch_id", as: SupplyBatchID.self)
            figures[id, default: LedgerFigures()].handedOutHere = Int(clamping: try row.decode(column: "total", as: Int64.self))
            figures[id, default: LedgerFigures()].householdsReceived = Int(clamping: try row.decode(column: "households", as: Int64.self))
        }
        return figures
    }

    /// Households under `place` that received a batch of `lot`, by address.
    public static func recall(lot: String, under place: PlacePath, limit: Int = 5_000, on db: any SQLDatabase) async throws -> [RecallLine] {
        let rows = try await db.raw("""
            SELECT s.batch_id, s.household_id, s.quantity, s.at, p.name AS building, h.room
            FROM supply_handouts s
            JOIN supply_batches b ON b.id = s.batch_id
            JOIN households h ON h.id = s.household_id
            JOIN places p ON p.id = h.building_id
            WHERE b.lot = \(bind: lot) AND \(scopeCondition(column: "s.path", scopes: [place.rawValue]))
            ORDER BY p.name, h.room, s.household_id, s.batch_id LIMIT \(bind: limit)
            """).all()
        var lines = try rows.map { row in
            RecallLine(batchID: try row.decode(column: "batch_id", as: SupplyBatchID.self), householdID: try row.decode(column: "household_id", as: PlaceID.self),
                       building: try row.decode(column: "building", as: String.self), room: try row.decode(column: "room", as: String.self),
                       quantity: try row.decode(column: "quantity", as: Int.self), at: Date(millisecondsSince1970: try row.decode(column: "at", as: Int64.self)),
                       maskedPhones: [])
        }
        guard !lines.isEmpty else { return [] }
        let phones = try await db.raw("""
            SELECT r.household_id, r.phone FROM residents r JOIN supply_handouts s ON s.household_id = r.household_id
            JOIN supply_batches b ON b.id = s.batch_id
            WHERE b.lot = \(bind: lot) AND r.phone IS NOT NULL AND \(scopeCondition(column: "s.path", scopes: [place.rawValue]))
            ORDER BY r.household_id, r.id
            """).all()
        var byHousehold: [PlaceID: [String]] = [:]
        for row in phones {
            let phone = try row.decode(column: "phone", as: String.self)
            guard !phone.isEmpty else { continue }
            let masked = PhoneMask.mask(phone)
            let household = try row.decode(column: "household_id", as: PlaceID.self)
            if byHousehold[household]?.contains(masked) != true { byHousehold[household, default: []].append(masked) }
        }
        for index in lines.indices { lines[index].maskedPhones = byHousehold[lines[index].householdID] ?? [] }
        return lines
    }

    /// What a household received, newest first.
    public static func receipts(householdID: PlaceID, on db: any SQLDatabase) async throws -> [HouseholdReceipt] {
        try await db.raw("""
            SELECT \(batchColumns), s.household_id, s.quantity, s.confirmed_by, s.at, s.note
            FROM supply_handouts s JOIN supply_batches b ON b.id = s.batch_id
            WHERE s.household_id = \(bind: householdID) ORDER BY s.at DESC, s.id DESC LIMIT 200
            """).all().map { row in
            let batch = try decodeBatch(row)
            return HouseholdReceipt(batch: batch, handout: SupplyHandout(
                batchID: batch.id, householdID: try row.decode(column: "household_id", as: PlaceID.self), quantity: try row.decode(column: "quantity", as: Int.self),
                confirmedBy: try row.decode(column: "confirmed_by", as: String.self), at: Date(millisecondsSince1970: try row.decode(column: "at", as: Int64.self)),
                note: try row.decode(column: "note", as: String?.self)))
        }
    }

    /// Shelf items under `place` not yet taken, newest first.
    public static func shelf(under place: PlacePath, limit: Int = 200, on db: any SQLDatabase) async throws -> [ShelfItem] {
        try await db.raw("""
            SELECT id, place_id, item, quantity, note, offered_at, taken_at FROM shelf_items
            WHERE taken_at IS NULL AND \(scopeCondition(column: "path", scopes: [place.rawValue]))
            ORDER BY offered_at DESC, id DESC LIMIT \(bind: limit)
            """).all().map(decodeShelfItem)
    }

    /// Per building under the batch's place and within `scopes` (the caller's): households and
    /// how many have received the batch.
    public static func buildingProgress(batchID: SupplyBatchID, under place: PlacePath, scopes: [PlacePath], limit: Int = 500, on db: any SQLDatabase) async throws -> [BuildingProgress] {
        try await db.raw("""
            SELECT p.id, p.name, COUNT(h.id) AS households, COUNT(s.id) AS received
            FROM households h JOIN places p ON p.id = h.building_id
            LEFT JOIN supply_handouts s ON s.household_id = h.id AND s.batch_id = \(bind: batchID)
            WHERE \(scopeCondition(column: "h.path", scopes: [place.rawValue])) AND \(scopeCondition(column: "h.path", scopes: scopes.map(\.rawValue)))
            GROUP BY p.id, p.name ORDER BY p.name, p.id LIMIT \(bind: limit)
            """).all().map { row in
            BuildingProgress(buildingID: try row.decode(column: "id", as: PlaceID.self), name: try row.decode(column: "name", as: String.self),
                             households: Int(clamping: try row.decode(column: "households", as: Int64.self)),
                             received: Int(clamping: try row.decode(column: "received", as: Int64.self)))
        }
    }

    /// The doors of a building, with each one's hand-out of the batch if it had it.
    public static func doors(batchID: SupplyBatchID, buildingID: PlaceID, on db: any SQLDatabase) async throws -> [DoorLine] {
        try await db.raw("""
            SELECT h.id, h.room, s.quantity, s.confirmed_by, s.at, s.note
            FROM households h LEFT JOIN supply_handouts s ON s.household_id = h.id AND s.batch_id = \(bind: batchID)
            WHERE h.building_id = \(bind: buildingID) ORDER BY h.room, h.id LIMIT 1000
            """).all().map { row in
            let household = try row.decode(column: "id", as: PlaceID.self)
            var handout: SupplyHandout?
            if let quantity = try row.decode(column: "quantity", as: Int?.self) {
                handout = SupplyHandout(batchID: batchID, householdID: household, quantity: quantity, confirmedBy: try row.decode(column: "confirmed_by", as: String.self),
                                        at: Date(millisecondsSince1970: try row.decode(column: "at", as: Int64.self)), note: try row.decode(column: "note", as: String?.self))
            }
            return DoorLine(householdID: household, room: try row.decode(column: "room", as: String.self), handout: handout)
        }
    }

    /// The registered residents and care-register categories of every household under `path`.
    public static func householdFacts(under path: PlacePath, on db: any SQLDatabase) async throws -> [PlaceID: HouseholdFacts] {
        var facts: [PlaceID: HouseholdFacts] = [:]
        let households = try await db.raw("""
            SELECT h.id, COUNT(r.id) AS residents FROM households h LEFT JOIN residents r ON r.household_id = h.id
            WHERE \(scopeCondition(column: "h.path", scopes: [path.rawValue])) GROUP BY h.id
            """).all()
        for row in households {
            facts[try row.decode(column: "id", as: PlaceID.self)] = HouseholdFacts(residents: Int(clamping: try row.decode(column: "residents", as: Int64.self)))
        }
        let care = try await db.raw("SELECT household_id, categories FROM care_entries WHERE \(scopeCondition(column: "path", scopes: [path.rawValue]))").all()
        for row in care {
            let household = try row.decode(column: "household_id", as: PlaceID.self)
            let categories = try row.decode(column: "categories", as: String.self).split(separator: ",").compactMap { CareCategory(rawValue: String($0)) }
            facts[household]?.careCategories.formUnion(categories)
        }
        return facts
    }

    // MARK: - Ledger and decoding

    static func lockedBatch(_ id: SupplyBatchID, engine: DatabaseEngine, on db: any SQLDatabase) async throws -> (SupplyBatch, PlacePath, PlaceID?) {
        var select: SQLQueryString = "SELECT \(batchColumns), b.path, b.district_id FROM supply_batches b WHERE b.id = \(bind: id)"
        if engine == .postgres { select += " FOR UPDATE" }
        guard let row = try await db.raw(select).first() else { throw SupplyError.notFound }
        return (try decodeBatch(row), PlacePath(rawValue: try row.decode(column: "path", as: String.self)), try row.decode(column: "district_id", as: PlaceID?.self))
    }

    static func append(_ event: SupplyEvent, batch: SupplyBatchID? = nil, household: PlaceID? = nil, shelfItem: ShelfItemID? = nil, quantity: Int, actor: String,
                       confirmedBy: String? = nil, at: Int64, note: String?, chain: String, engine: DatabaseEngine, on db: any SQLDatabase) async throws -> ChainAppended {
        func int(_ value: Int64?) -> ChainValue { value.map(ChainValue.int) ?? .null }
        func text(_ value: String?) -> ChainValue { value.map(ChainValue.text) ?? .null }
        return try await HashChainRecords.append(to: .suppliesLedger, chain: chain, fields: [
            .text(event.rawValue), int(batch?.rawValue), int(household?.rawValue), int(shelfItem?.rawValue), .int(Int64(quantity)),
            .text(actor), text(confirmedBy), .int(at), text(note),
        ], engine: engine, on: db)
    }

    static func encode(_ lines: [SupplyLine]) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(lines), as: UTF8.self)
    }

    /// The stored rule text back as a rule; unknown categories are dropped, as the ledger keeps the text.
    static func allocation(_ text: String) -> AllocationRule {
        if text == AllocationRule.perPerson.kind { return .perPerson }
        let prefix = AllocationRule.careCategories([]).kind + ":"
        if text.hasPrefix(prefix) {
            return .careCategories(Set(text.dropFirst(prefix.count).split(separator: ",").compactMap { CareCategory(rawValue: String($0)) }))
        }
        return .perHousehold
    }

    static func decodeBatch(_ row: any SQLRow) throws -> SupplyBatch {
        let contents = (try? JSONDecoder().decode([SupplyLine].self, from: Data(try row.decode(column: "contents", as: String.self).utf8))) ?? []
        return SupplyBatch(
            id: try row.decode(column: "id", as: SupplyBatchID.self),
            kind: SupplyBatchKind(rawValue: try row.decode(column: "kind", as: String.self)) ?? .relief,
            source: try row.decode(column: "source", as: String.self),
            supplier: try row.decode(column: "supplier", as: String?.self),
            lot: try row.decode(column: "lot", as: String?.self),
            contents: contents,
            licences: try row.decode(column: "licences", as: String?.self),
            expiry: try row.decode(column: "expiry", as: String?.self),
            unit: SupplyUnit(rawValue: try row.decode(column: "unit", as: String.self)) ?? .package,
            received: try row.decode(column: "received", as: Int.self),
            placeID: try row.decode(column: "place_id", as: PlaceID.self),
            allocation: allocation(try row.decode(column: "allocation", as: String.self)),
            receivedBy: try row.decode(column: "received_by", as: UserID.self),
            receivedAt: Date(millisecondsSince1970: try row.decode(column: "received_at", as: Int64.self)),
            handedOut: try row.decode(column: "handed_out", as: Int.self),
            writtenOff: try row.decode(column: "written_off", as: Int.self))
    }

    static func decodeShelfItem(_ row: any SQLRow) throws -> ShelfItem {
        ShelfItem(id: try row.decode(column: "id", as: ShelfItemID.self), placeID: try row.decode(column: "place_id", as: PlaceID.self),
                  item: try row.decode(column: "item", as: String.self), quantity: try row.decode(column: "quantity", as: Int.self),
                  note: try row.decode(column: "note", as: String?.self),
                  offeredAt: Date(millisecondsSince1970: try row.decode(column: "offered_at", as: Int64.self)),
                  takenAt: try row.decode(column: "taken_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)))
    }
}
