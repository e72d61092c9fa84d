import Foundation
import LinliCore
import SQLKit

/// A buy as stored, with where it is.
public struct StoredGroupBuy: Sendable, Hashable {
    public var buy: GroupBuy
    public var path: PlacePath
    public var placeName: String
    public var leaderBasis: String
}

/// A line kept for a person because it matched no household or item.
public struct UnmatchedOrderLine: Sendable, Hashable {
    public var id: Int64
    public var source: GroupBuyOrderSource
    public var line: Int
    public var text: String
    public var problem: String
    public var quantity: Int?
    public var itemText: String?
    public var resolution: String?
    public var reason: String?
}

/// One order as the printed sheets and the delivery page show it.
public struct GroupBuyOrderLine: Sendable, Hashable {
    public var order: GroupBuyOrder
    /// The household's path.
    public var path: String
    public var building: String
    public var room: String
    public var phone: String?
}

/// An item with how much of it every household has ordered together.
public struct GroupBuyItemTotal: Sendable, Hashable {
    public var item: GroupBuyItem
    public var ordered: Int

    public init(item: GroupBuyItem, ordered: Int) {
        self.item = item
        self.ordered = ordered
    }
}

public enum GroupBuyStoreError: Error, Equatable {
    case notFound
    case refused(GroupBuyRefusal)
}

/// Suppliers, group buys, their items and orders.
public enum GroupBuyRecords {
    // MARK: Suppliers

    public static func createSupplier(placeID: PlaceID, name: String, contact: String?, licenceNumber: String, deliveryPass: String?, driverTestDay: String?,
                                      by user: UserID, now: Date, on db: any SQLDatabase) async throws -> Supplier {
        guard let place = try await db.raw("SELECT path, district_id FROM places WHERE id = \(bind: placeID)").first() else { throw GroupBuyStoreError.notFound }
        let path = try place.decode(column: "path", as: String.self)
        let district = try place.decode(column: "district_id", as: PlaceID?.self)
        guard let row = try await db.raw("""
            INSERT INTO suppliers (place_id, name, contact, licence_number, delivery_pass, driver_test_day, created_by, created_at, path, district_id)
            VALUES (\(bind: placeID), \(bind: name), \(bind: contact), \(bind: licenceNumber), \(bind: deliveryPass), \(bind: driverTestDay), \(bind: user),
                    \(bind: now.millisecondsSince1970), \(bind: path), \(bind: district)) RETURNING id
            """).first() else { throw GroupBuyStoreError.notFound }
        return Supplier(id: try row.decode(column: "id", as: SupplierID.self), placeID: placeID, name: name, contact: contact, licenceNumber: licenceNumber,
                        deliveryPass: deliveryPass, driverTestDay: driverTestDay, approvedUntil: nil, approvedBy: nil)
    }

    static let supplierColumns: SQLQueryString = "id, place_id, name, contact, licence_number, delivery_pass, driver_test_day, approved_until, approved_by, path"

    static func decodeSupplier(_ row: any SQLRow) throws -> (Supplier, PlacePath) {
        (Supplier(id: try row.decode(column: "id", as: SupplierID.self), placeID: try row.decode(column: "place_id", as: PlaceID.self),
                  name: try row.decode(column: "name", as: String.self), contact: try row.decode(column: "contact", as: String?.self),
                  licenceNumber: try row.decode(column: "licence_number", as: String.self), deliveryPass: try row.decode(column: "delivery_pass", as: String?.self),
                  driverTestDay: try row.decode(column: "driver_test_day", as: String?.self),
                  approvedUntil: try row.decode(column: "approved_until", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
                  approvedBy: try row.decode(column: "approved_by", as: UserID?.self)),
         PlacePath(rawValue: try row.decode(column: "path", as: String.self)))
    }

    public static func supplier(id: SupplierID, on db: any SQLDatabase) async throws -> (Supplier, PlacePath)? {
        try await db.raw("SELECT \(supplierColumns) FROM suppliers WHERE id = \(bind: id)").first().map(decodeSupplier)
    }

    /// Suppliers kept at `path` or at any place above it: a sub-district's list serves all its compounds.
    public static func suppliers(servingPath path: PlacePath, on db: any SQLDatabase) async throws -> [Supplier] {
        let rows = try await db.raw("SELECT \(supplierColumns) FROM suppliers ORDER BY name, id").all()
        return try rows.map(decodeSupplier).filter { $0.1.contains(path) || path.contains($0.1) }.map(\.0)
    }

    public static func approveSupplier(id: SupplierID, until: Date, by user: UserID, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE suppliers SET approved_until = \(bind: until.millisecondsSince1970), approved_by = \(bind: user) WHERE id = \(bind: id)").run()
    }

    public static func setDriverTest(id: SupplierID, day: String, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE suppliers SET driver_test_day = \(bind: day) WHERE id = \(bind: id)").run()
    }

    /// The compounds at or under `path`, in path order, at most `limit`: where a buy may be opened.
    public static func compounds(under path: PlacePath, limit: Int, on db: any SQLDatabase) async throws -> [PlaceID] {
        try await db.raw("""
            SELECT id FROM places WHERE level = 'compound' AND \(scopeCondition(column: "path", scopes: [path.rawValue])) ORDER BY path LIMIT \(bind: limit)
            """).all().map { try $0.decode(column: "id", as: PlaceID.self) }
    }

    // MARK: Buys

    public struct NewItem: Sendable {
        public var name: String
        public var specification: String?
        public var unit: String
        public var priceFen: Int
        public var minimumQuantity: Int
        public var maximumQuantity: Int?

        public init(name: String, specification: String?, unit: String, priceFen: Int, minimumQuantity: Int, maximumQuantity: Int?) {
            self.name = name
            self.specification = specification
            self.unit = unit
            self.priceFen = priceFen
            self.minimumQuantity = minimumQuantity
            self.maximumQuantity = maximumQuantity
        }
    }

    public static func createBuy(placeID: PlaceID, supplierID: SupplierID, leader: UserID, leaderBasis: String, proxyNamedBy: UserID?, title: String,
                                 deliveryPlan: String?, opensAt: Date?, closesAt: Date?, items: [NewItem], now: Date, on db: any SQLDatabase) async throws -> GroupBuyID {
        guard let place = try await db.raw("SELECT path, district_id FROM places WHERE id = \(bind: placeID)").first() else { throw GroupBuyStoreError.notFound }
        let path = try place.decode(column: "path", as: String.self)
        let district = try place.decode(column: "district_id", as: PlaceID?.self)
        guard let row = try await db.raw("""
            INSERT INTO group_buys (place_id, supplier_id, leader_user_id, leader_basis, proxy_named_by, title, delivery_plan, opens_at, closes_at,
                                    state, state_at, created_at, path, district_id)
            VALUES (\(bind: placeID), \(bind: supplierID), \(bind: leader), \(bind: leaderBasis), \(bind: proxyNamedBy), \(bind: title), \(bind: deliveryPlan),
                    \(bind: opensAt?.millisecondsSince1970), \(bind: closesAt?.millisecondsSince1970), \(bind: GroupBuyState.draft.rawValue),
                    \(bind: now.millisecondsSince1970), \(bind: now.millisecondsSince1970), \(bind: path), \(bind: district)) RETURNING id
            """).first() else { throw GroupBuyStoreError.notFound }
        let id = try row.decode(column: "id", as: GroupBuyID.self)
        try await replaceItems(buyID: id, items: items, on: db)
        return id
    }

    /// Replaces the offer. Refused once anyone has ordered: they ordered this offer.
    public static func replaceItems(buyID: GroupBuyID, items: [NewItem], on db: any SQLDatabase) async throws {
        if try await db.raw("SELECT 1 AS one FROM group_buy_orders WHERE buy_id = \(bind: buyID) LIMIT 1").first() != nil {
            throw GroupBuyStoreError.refused(.offerLocked)
        }
        try await db.raw("DELETE FROM group_buy_items WHERE buy_id = \(bind: buyID)").run()
        for (position, item) in items.enumerated() {
            try await db.raw("""
                INSERT INTO group_buy_items (buy_id, position, name, specification, unit, price_fen, minimum_quantity, maximum_quantity)
                VALUES (\(bind: buyID), \(bind: position), \(bind: item.name), \(bind: item.specification), \(bind: item.unit), \(bind: item.priceFen),
                        \(bind: item.minimumQuantity), \(bind: item.maximumQuantity))
                """).run()
        }
    }

    static let buyColumns: SQLQueryString = """
        g.id, g.place_id, g.supplier_id, g.leader_user_id, g.leader_basis, g.title, g.delivery_plan, g.opens_at, g.closes_at, g.state, g.joined_to, g.path,
        p.name AS place_name
        """

    static func decodeBuy(_ row: any SQLRow) throws -> StoredGroupBuy {
        let stateText = try row.decode(column: "state", as: String.self)
        let buy = GroupBuy(id: try row.decode(column: "id", as: GroupBuyID.self), placeID: try row.decode(column: "place_id", as: PlaceID.self),
                           supplierID: try row.decode(column: "supplier_id", as: SupplierID.self), leaderUserID: try row.decode(column: "leader_user_id", as: UserID.self),
                           title: try row.decode(column: "title", as: String.self), deliveryPlan: try row.decode(column: "delivery_plan", as: String?.self),
                           opensAt: try row.decode(column: "opens_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
                           closesAt: try row.decode(column: "closes_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
                           state: GroupBuyState(rawValue: stateText) ?? .draft, joinedTo: try row.decode(column: "joined_to", as: GroupBuyID?.self))
        return StoredGroupBuy(buy: buy, path: PlacePath(rawValue: try row.decode(column: "path", as: String.self)),
                              placeName: try row.decode(column: "place_name", as: String.self), leaderBasis: try row.decode(column: "leader_basis", as: String.self))
    }

    /// The buy; with `forUpdate`, its row is locked on PostgreSQL so two steps on it queue.
    public static func buy(id: GroupBuyID, forUpdate: Bool = false, engine: DatabaseEngine? = nil, on db: any SQLDatabase) async throws -> StoredGroupBuy? {
        var sql: SQLQueryString = "SELECT \(buyColumns) FROM group_buys g JOIN places p ON p.id = g.place_id WHERE g.id = \(bind: id)"
        if forUpdate, engine == .postgres { sql += " FOR UPDATE OF g" }
        return try await db.raw(sql).first().map(decodeBuy)
    }

    /// Buys at `path`, under it, or at a place above it (a compound-wide buy shows to its
    /// buildings), newest first.
    public static func buys(visibleFrom path: PlacePath, limit: Int = 200, on db: any SQLDatabase) async throws -> [StoredGroupBuy] {
        let ancestors = path.ids.map(\.rawValue)
        return try await db.raw("""
            SELECT \(buyColumns) FROM group_buys g JOIN places p ON p.id = g.place_id
            WHERE \(scopeCondition(column: "g.path", scopes: [path.rawValue])) OR g.place_id IN (\(binds: ancestors))
            ORDER BY g.id DESC LIMIT \(bind: limit)
            """).all().map(decodeBuy)
    }

    static let itemColumns: SQLQueryString = "i.id, i.name, i.specification, i.unit, i.price_fen, i.minimum_quantity, i.maximum_quantity, i.arrived"

    static func decodeItem(_ row: any SQLRow) throws -> GroupBuyItem {
        try decodeItem(row, id: "id")
    }

    /// `id` names the item's id column, for rows that hold other ids as well.
    static func decodeItem(_ row: any SQLRow, id: String) throws -> GroupBuyItem {
        GroupBuyItem(id: try row.decode(column: id, as: GroupBuyItemID.self), name: try row.decode(column: "name", as: String.self),
                     specification: try row.decode(column: "specification", as: String?.self), unit: try row.decode(column: "unit", as: String.self),
                     priceFen: try row.decode(column: "price_fen", as: Int.self), minimumQuantity: try row.decode(column: "minimum_quantity", as: Int.self),
                     maximumQuantity: try row.decode(column: "maximum_quantity", as: Int?.self), arrived: try row.decode(column: "arrived", as: Int?.self))
    }

    public static func items(buyID: GroupBuyID, on db: any SQLDatabase) async throws -> [GroupBuyItem] {
        try await db.raw("SELECT \(itemColumns) FROM group_buy_items i WHERE i.buy_id = \(bind: buyID) ORDER BY i.position").all().map(decodeItem)
    }

    /// What an order needs, in one statement: the buy, its items with how much of each is
    /// ordered, and the household's rows in it (`household`; none for nil). Read in the
    /// transaction that writes the order: SQLite's one writer keeps every other order out until
    /// the commit. On PostgreSQL the buy's row is locked first, in a statement of its own: a
    /// statement that waits for that lock sees the locked row as committed meanwhile, but the rows
    /// joined to it as they were when it began, and the totals would miss the orders it waited for.
    public static func forOrdering(buyID: GroupBuyID, household: PlaceID?, engine: DatabaseEngine,
                                   on db: any SQLDatabase) async throws -> (buy: StoredGroupBuy, items: [GroupBuyItemTotal], orders: [GroupBuyOrder])? {
        if engine == .postgres {
            guard try await db.raw("SELECT id FROM group_buys WHERE id = \(bind: buyID) FOR UPDATE").first() != nil else { return nil }
        }
        // Each item's row joins at most one order: a household has one row of an item.
        let rows = try await db.raw("""
            SELECT \(buyColumns),
                   i.id AS item_key, i.name, i.specification, i.unit, i.price_fen, i.minimum_quantity, i.maximum_quantity, i.arrived, i.ordered,
                   o.id AS order_key, o.buy_id, o.item_id, o.household_id, o.quantity, o.source, o.ordered_at, o.allocated, o.refund_fen, o.problem,
                   o.problem_refund_fen, o.delivered_at, o.delivery_confirmed_by
            FROM group_buys g JOIN places p ON p.id = g.place_id
            LEFT JOIN group_buy_items i ON i.buy_id = g.id
            LEFT JOIN group_buy_orders o ON o.buy_id = g.id AND o.item_id = i.id AND o.household_id = \(bind: household)
            WHERE g.id = \(bind: buyID) ORDER BY i.position
            """).all()
        guard let first = rows.first else { return nil }
        var items: [GroupBuyItemTotal] = []
        var orders: [GroupBuyOrder] = []
        // A buy without items comes back as one row with no item in it.
        for row in rows where try !row.decodeNil(column: "item_key") {
            items.append(GroupBuyItemTotal(item: try decodeItem(row, id: "item_key"), ordered: try row.decode(column: "ordered", as: Int.self)))
            if try !row.decodeNil(column: "order_key") { orders.append(try decodeOrder(row, id: "order_key")) }
        }
        return (try decodeBuy(first), items, orders)
    }

    public static func setState(buyID: GroupBuyID, to state: GroupBuyState, approvedBy: UserID? = nil, now: Date, on db: any SQLDatabase) async throws {
        var sql: SQLQueryString = "UPDATE group_buys SET state = \(bind: state.rawValue), state_at = \(bind: now.millisecondsSince1970)"
        if let approvedBy { sql = sql + ", approved_by = \(bind: approvedBy)" }
        sql += " WHERE id = \(bind: buyID)"
        try await db.raw(sql).run()
    }

    // MARK: Orders

    static let orderColumns: SQLQueryString = """
        o.id, o.buy_id, o.item_id, o.household_id, o.quantity, o.source, o.ordered_at, o.allocated, o.refund_fen, o.problem, o.problem_refund_fen, o.delivered_at, o.delivery_confirmed_by
        """

    static func decodeOrder(_ row: any SQLRow) throws -> GroupBuyOrder {
        try decodeOrder(row, id: "id")
    }

    /// `id` names the order's id column, for rows that hold other ids as well.
    static func decodeOrder(_ row: any SQLRow, id: String) throws -> GroupBuyOrder {
        var order = GroupBuyOrder(id: try row.decode(column: id, as: GroupBuyOrderID.self), buyID: try row.decode(column: "buy_id", as: GroupBuyID.self),
                      itemID: try row.decode(column: "item_id", as: GroupBuyItemID.self), householdID: try row.decode(column: "household_id", as: PlaceID.self),
                      quantity: try row.decode(column: "quantity", as: Int.self),
                      source: GroupBuyOrderSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .volunteer,
                      orderedAt: Date(millisecondsSince1970: try row.decode(column: "ordered_at", as: Int64.self)),
                      allocated: try row.decode(column: "allocated", as: Int?.self), refundFen: try row.decode(column: "refund_fen", as: Int.self),
                      problem: try row.decode(column: "problem", as: String?.self),
                      deliveredAt: try row.decode(column: "delivered_at", as: Int64?.self).map(Date.init(millisecondsSince1970:)),
                      deliveryConfirmedBy: try row.decode(column: "delivery_confirmed_by", as: String?.self))
        order.problemRefundFen = try row.decode(column: "problem_refund_fen", as: Int.self)
        return order
    }

    public static func orders(buyID: GroupBuyID, on db: any SQLDatabase) async throws -> [GroupBuyOrder] {
        try await db.raw("SELECT \(orderColumns) FROM group_buy_orders o WHERE o.buy_id = \(bind: buyID) ORDER BY o.id").all().map(decodeOrder)
    }

    public static func orders(buyID: GroupBuyID, householdID: PlaceID, on db: any SQLDatabase) async throws -> [GroupBuyOrder] {
        try await db.raw("""
            SELECT \(orderColumns) FROM group_buy_orders o WHERE o.buy_id = \(bind: buyID) AND o.household_id = \(bind: householdID) ORDER BY o.id
            """).all().map(decodeOrder)
    }

    /// Orders with their household's building, room and first phone, in building and room order,
    /// optionally only under `path` (one building's sheet).
    public static func orderLines(buyID: GroupBuyID, under path: PlacePath? = nil, on db: any SQLDatabase) async throws -> [GroupBuyOrderLine] {
        var sql: SQLQueryString = """
            SELECT \(orderColumns), o.path, b.name AS building_name, h.room,
                   (SELECT r.phone FROM residents r WHERE r.household_id = h.id AND r.phone IS NOT NULL ORDER BY r.id LIMIT 1) AS phone
            FROM group_buy_orders o JOIN households h ON h.id = o.household_id JOIN places b ON b.id = h.building_id
            WHERE o.buy_id = \(bind: buyID)
            """
        if let path { sql += " AND \(scopeCondition(column: "o.path", scopes: [path.rawValue]))" }
        sql += " ORDER BY o.path, o.id"
        return try await db.raw(sql).all().map { row in
            GroupBuyOrderLine(order: try decodeOrder(row), path: try row.decode(column: "path", as: String.self), building: try row.decode(column: "building_name", as: String.self),
                              room: try row.decode(column: "room", as: String.self), phone: try row.decode(column: "phone", as: String?.self))
        }
    }

    /// The buildings the buy's orders go to, with how many households each, in path order.
    public static func buildings(buyID: GroupBuyID, on db: any SQLDatabase) async throws -> [(id: PlaceID, name: String, households: Int)] {
        try await db.raw("""
            SELECT b.id, b.name, COUNT(DISTINCT o.household_id) AS households
            FROM group_buy_orders o JOIN households h ON h.id = o.household_id JOIN places b ON b.id = h.building_id
            WHERE o.buy_id = \(bind: buyID) GROUP BY b.id, b.name, b.path ORDER BY b.path
            """).all().map { (try $0.decode(column: "id", as: PlaceID.self), try $0.decode(column: "name", as: String.self), try $0.decode(column: "households", as: Int.self)) }
    }

    /// Sets a household's order of an item (0 removes it), keeping its first order time so a
    /// correction does not send it to the back when shares are counted. Refuses quantities past
    /// the item's maximum, counted inside the transaction.
    public static func setOrder(buyID: GroupBuyID, item: GroupBuyItem, householdID: PlaceID, quantity: Int, source: GroupBuyOrderSource, followNumber: String?,
                                note: String?, by user: UserID?, now: Date, on db: any SQLDatabase) async throws {
        // The item's total and the household's row of it, if any, in one statement.
        guard let row = try await db.raw("""
            SELECT i.ordered, \(orderColumns) FROM group_buy_items i
            LEFT JOIN group_buy_orders o ON o.buy_id = \(bind: buyID) AND o.item_id = i.id AND o.household_id = \(bind: householdID)
            WHERE i.id = \(bind: item.id)
            """).first() else { throw GroupBuyStoreError.notFound }
        let existing = try row.decode(column: "id", as: GroupBuyOrderID?.self) == nil ? nil : try decodeOrder(row)
        _ = try await setOrder(buyID: buyID, item: GroupBuyItemTotal(item: item, ordered: try row.decode(column: "ordered", as: Int.self)), existing: existing,
                               householdID: householdID, quantity: quantity, source: source, followNumber: followNumber, note: note, by: user, now: now, on: db)
    }

    /// The same, with the item's total and the household's row of it (`existing`) already read in
    /// this transaction. Returns the household's row of the item as it now is, nil when it has
    /// none: with the rows read before, that is the household's order without reading it again.
    public static func setOrder(buyID: GroupBuyID, item total: GroupBuyItemTotal, existing: GroupBuyOrder?, householdID: PlaceID, quantity: Int,
                                source: GroupBuyOrderSource, followNumber: String?, note: String?, by user: UserID?, now: Date,
                                on db: any SQLDatabase) async throws -> GroupBuyOrder? {
        let previous = existing?.quantity ?? 0
        if let maximum = total.item.maximumQuantity, quantity > previous, total.ordered - previous + quantity > maximum {
            throw GroupBuyStoreError.refused(.soldOut)
        }
        if var existing {
            if quantity == 0 {
                try await db.raw("DELETE FROM group_buy_orders WHERE id = \(bind: existing.id)").run()
                return nil
            }
            if quantity != previous {
                try await db.raw("UPDATE group_buy_orders SET quantity = \(bind: quantity), note = COALESCE(\(bind: note), note) WHERE id = \(bind: existing.id)").run()
                existing.quantity = quantity
            }
            return existing
        }
        guard quantity > 0 else { return nil }
        // The household's path and district straight from its row, in the INSERT itself: one
        // statement less on the writer for every new order. No row inserted: no such household.
        let orderedAt = now.millisecondsSince1970
        guard let inserted = try await db.raw("""
            INSERT INTO group_buy_orders (buy_id, item_id, household_id, quantity, source, follow_number, note, entered_by, ordered_at, path, district_id)
            SELECT \(bind: buyID), \(bind: total.item.id), id, \(bind: quantity), \(bind: source.rawValue), \(bind: followNumber), \(bind: note),
                   \(bind: user), \(bind: orderedAt), path, district_id
            FROM households WHERE id = \(bind: householdID)
            RETURNING id
            """).first() else { throw GroupBuyStoreError.notFound }
        // What the row holds as inserted: the columns not written are their defaults.
        return GroupBuyOrder(id: try inserted.decode(column: "id", as: GroupBuyOrderID.self), buyID: buyID, itemID: total.item.id, householdID: householdID,
                             quantity: quantity, source: source, orderedAt: Date(millisecondsSince1970: orderedAt), allocated: nil, refundFen: 0, problem: nil,
                             deliveredAt: nil, deliveryConfirmedBy: nil)
    }

    /// Counts an item at the gate and writes every order's share and the refund for what fell short.
    public static func recordArrival(item: GroupBuyItem, arrived: Int, shares: [GroupBuyOrderID: Int], orders: [GroupBuyOrder], on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE group_buy_items SET arrived = \(bind: arrived) WHERE id = \(bind: item.id)").run()
        for order in orders where order.itemID == item.id {
            let share = shares[order.id] ?? 0
            let short = max(0, order.quantity - share)
            // Both are bounded where they enter (999 units, 10,000,000 fen), so this stays far below
            // what BIGINT holds.
            let refund = Int64(short) * Int64(item.priceFen)
            let problem: String? = short > 0 ? "short" : nil
            try await db.raw("""
                UPDATE group_buy_orders SET allocated = \(bind: share), refund_fen = \(bind: refund), problem = \(bind: problem)
                WHERE id = \(bind: order.id)
                """).run()
        }
    }

    /// A failed buy owes every household what it ordered.
    public static func refundAll(buyID: GroupBuyID, on db: any SQLDatabase) async throws {
        try await db.raw("""
            UPDATE group_buy_orders SET allocated = 0, problem = 'refunded',
              refund_fen = CAST(quantity AS BIGINT) * (SELECT i.price_fen FROM group_buy_items i WHERE i.id = group_buy_orders.item_id)
            WHERE buy_id = \(bind: buyID)
            """).run()
    }

    /// Records a wrong, damaged or missing item on one order, with the fen owed back for it (on
    /// top of any shortage refund). Recording it again replaces the first report.
    public static func recordProblem(orderID: GroupBuyOrderID, problem: String, refundFen: Int, on db: any SQLDatabase) async throws {
        try await db.raw("UPDATE group_buy_orders SET problem = \(bind: problem), problem_refund_fen = \(bind: refundFen) WHERE id = \(bind: orderID)").run()
    }

    public static func order(id: GroupBuyOrderID, on db: any SQLDatabase) async throws -> (GroupBuyOrder, PlacePath)? {
        guard let row = try await db.raw("SELECT \(orderColumns), o.path FROM group_buy_orders o WHERE o.id = \(bind: id)").first() else { return nil }
        return (try decodeOrder(row), PlacePath(rawValue: try row.decode(column: "path", as: String.self)))
    }

    /// Marks every order of a household in the buy delivered; returns how many were.
    public static func markDelivered(buyID: GroupBuyID, householdID: PlaceID, by user: UserID, confirmedBy: String, now: Date, on db: any SQLDatabase) async throws -> Int {
        let rows = try await db.raw("""
            UPDATE group_buy_orders SET delivered_at = \(bind: now.millisecondsSince1970), delivered_by = \(bind: user), delivery_confirmed_by = \(bind: confirmedBy)
            WHERE buy_id = \(bind: buyID) AND household_id = \(bind: householdID) AND delivered_at IS NULL RETURNING id
            """).all()
        return rows.count
    }

    /// Moves a small building's orders into a compound-wide buy, item by item (`itemMap` maps
    /// this buy's items to the other's), adding to any order the household already has there.
    public static func join(buyID: GroupBuyID, into target: GroupBuyID, itemMap: [GroupBuyItemID: GroupBuyItemID], now: Date, on db: any SQLDatabase) async throws {
        for order in try await orders(buyID: buyID, on: db) {
            guard let targetItem = itemMap[order.itemID] else { throw GroupBuyStoreError.refused(.cannotJoin) }
            let existing = try await db.raw("""
                SELECT id FROM group_buy_orders WHERE buy_id = \(bind: target) AND item_id = \(bind: targetItem) AND household_id = \(bind: order.householdID)
                """).first()
            if let existing {
                try await db.raw("UPDATE group_buy_orders SET quantity = quantity + \(bind: order.quantity) WHERE id = \(bind: try existing.decode(column: "id", as: Int64.self))").run()
                try await db.raw("DELETE FROM group_buy_orders WHERE id = \(bind: order.id)").run()
            } else {
                try await db.raw("UPDATE group_buy_orders SET buy_id = \(bind: target), item_id = \(bind: targetItem) WHERE id = \(bind: order.id)").run()
            }
        }
        try await db.raw("""
            UPDATE group_buys SET state = \(bind: GroupBuyState.joined.rawValue), state_at = \(bind: now.millisecondsSince1970), joined_to = \(bind: target)
            WHERE id = \(bind: buyID)
            """).run()
    }

    // MARK: Lines for a person

    /// Keeps a line that matched nothing, unless the same text from the same source still waits.
    public static func keepUnmatched(buyID: GroupBuyID, source: GroupBuyOrderSource, line: Int, text: String, problem: String, quantity: Int?, itemText: String?,
                                     now: Date, on db: any SQLDatabase) async throws {
        if try await db.raw("""
            SELECT 1 AS one FROM group_buy_unmatched WHERE buy_id = \(bind: buyID) AND source = \(bind: source.rawValue) AND text = \(bind: text) AND resolution IS NULL
            """).first() != nil { return }
        try await db.raw("""
            INSERT INTO group_buy_unmatched (buy_id, source, line, text, problem, quantity, item_text, created_at)
            VALUES (\(bind: buyID), \(bind: source.rawValue), \(bind: line), \(bind: text), \(bind: problem), \(bind: quantity), \(bind: itemText), \(bind: now.millisecondsSince1970))
            """).run()
    }

    public static func unmatched(buyID: GroupBuyID, includeResolved: Bool = false, on db: any SQLDatabase) async throws -> [UnmatchedOrderLine] {
        var sql: SQLQueryString = "SELECT id, source, line, text, problem, quantity, item_text, resolution, reason FROM group_buy_unmatched WHERE buy_id = \(bind: buyID)"
        if !includeResolved { sql += " AND resolution IS NULL" }
        sql += " ORDER BY id"
        return try await db.raw(sql).all().map { row in
            UnmatchedOrderLine(id: try row.decode(column: "id", as: Int64.self),
                               source: GroupBuyOrderSource(rawValue: try row.decode(column: "source", as: String.self)) ?? .sheet,
                               line: try row.decode(column: "line", as: Int.self), text: try row.decode(column: "text", as: String.self),
                               problem: try row.decode(column: "problem", as: String.self), quantity: try row.decode(column: "quantity", as: Int?.self),
                               itemText: try row.decode(column: "item_text", as: String?.self), resolution: try row.decode(column: "resolution", as: String?.self),
                               reason: try row.decode(column: "reason", as: String?.self))
        }
    }

    /// Settles a waiting line: `ordered` once a person filed it for a household, `dismissed` with
    /// a reason. Returns false when the line is not waiting (already settled, or another buy's).
    public static func resolveUnmatched(id: Int64, buyID: GroupBuyID, resolution: String, reason: String?, by user: UserID, now: Date, on db: any SQLDatabase) async throws -> Bool {
        let rows = try await db.raw("""
            UPDATE group_buy_unmatched SET resolution = \(bind: resolution), reason = \(bind: reason), resolved_by = \(bind: user), resolved_at = \(bind: now.millisecondsSince1970)
            WHERE id = \(bind: id) AND buy_id = \(bind: buyID) AND resolution IS NULL RETURNING id
            """).all()
        return !rows.isEmpty
    }
}
