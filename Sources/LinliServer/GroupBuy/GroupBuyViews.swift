import Foundation
import Hummingbird
import LinliCore
import LinliStore

struct SupplierView: ResponseCodable {
    var id: SupplierID
    var placeID: PlaceID
    var name: String
    var contact: String?
    var licenceNumber: String
    var deliveryPass: String?
    var driverTestDay: String?
    var approvedUntil: Date?
    var approved: Bool

    init(_ supplier: Supplier, now: Date) {
        id = supplier.id
        placeID = supplier.placeID
        name = supplier.name
        contact = supplier.contact
        licenceNumber = supplier.licenceNumber
        deliveryPass = supplier.deliveryPass
        driverTestDay = supplier.driverTestDay
        approvedUntil = supplier.approvedUntil
        approved = supplier.isApproved(at: now)
    }

    enum CodingKeys: String, CodingKey {
        case id, placeID = "place_id", name, contact, licenceNumber = "licence_number", deliveryPass = "delivery_pass", driverTestDay = "driver_test_day",
             approvedUntil = "approved_until", approved
    }
}

struct SupplierListView: ResponseCodable {
    var suppliers: [SupplierView]
}

struct OrderView: ResponseCodable {
    var id: GroupBuyOrderID
    var itemID: GroupBuyItemID
    var householdID: PlaceID
    var quantity: Int
    var source: String
    var orderedAt: Date
    var allocated: Int?
    var refundFen: Int
    var problem: String?
    var problemRefundFen: Int
    var deliveredAt: Date?
    var deliveryConfirmedBy: String?

    init(_ order: GroupBuyOrder) {
        id = order.id
        itemID = order.itemID
        householdID = order.householdID
        quantity = order.quantity
        source = order.source.rawValue
        orderedAt = order.orderedAt
        allocated = order.allocated
        refundFen = order.refundFen
        problem = order.problem
        problemRefundFen = order.problemRefundFen
        deliveredAt = order.deliveredAt
        deliveryConfirmedBy = order.deliveryConfirmedBy
    }

    enum CodingKeys: String, CodingKey {
        case id, itemID = "item_id", householdID = "household_id", quantity, source, orderedAt = "ordered_at", allocated, refundFen = "refund_fen", problem,
             problemRefundFen = "problem_refund_fen", deliveredAt = "delivered_at", deliveryConfirmedBy = "delivery_confirmed_by"
    }
}

extension OrderView {
    /// The order as `JSONText`, key for key what its `Codable` conformance writes.
    func write(into object: inout JSONText) {
        object.field("id", id)
        object.field("item_id", itemID)
        object.field("household_id", householdID)
        object.field("quantity", quantity)
        object.field("source", source)
        object.field("ordered_at", orderedAt)
        object.field("allocated", allocated)
        object.field("refund_fen", refundFen)
        object.field("problem", problem)
        object.field("problem_refund_fen", problemRefundFen)
        object.field("delivered_at", deliveredAt)
        object.field("delivery_confirmed_by", deliveryConfirmedBy)
    }
}

/// A household's orders of a buy: the answer to every order, the busiest call of a group buy,
/// so it is written with `JSONText` (Foundation's JSONEncoder spent about a tenth of an order's
/// CPU on it). `Encodable` says the same shape; a test holds the two to each other.
struct HouseholdOrdersView: ResponseGenerator, Encodable {
    var buyID: GroupBuyID
    var orders: [OrderView]
    enum CodingKeys: String, CodingKey { case buyID = "buy_id", orders }

    var json: JSONText {
        var json = JSONText(capacity: 160 + 256 * orders.count)
        json.field("buy_id", buyID)
        json.field("orders", orders) { order, object in order.write(into: &object) }
        return json
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        json.response()
    }
}

/// Orders for the leader and volunteers: where to take them, the phone masked.
struct OrderListView: ResponseCodable {
    struct Line: Codable, Sendable {
        var order: OrderView
        var building: String
        var room: String
        var phone: String?

        init(_ line: GroupBuyOrderLine) {
            order = OrderView(line.order)
            building = line.building
            room = line.room
            phone = line.phone.map(PhoneMask.mask)
        }
    }
    var orders: [Line]
}

struct GroupBuyView: ResponseCodable {
    struct Item: Codable, Sendable {
        var id: GroupBuyItemID
        var name: String
        var specification: String?
        var unit: String
        var priceFen: Int
        var minimumQuantity: Int
        var maximumQuantity: Int?
        var ordered: Int
        var arrived: Int?
        enum CodingKeys: String, CodingKey {
            case id, name, specification, unit, priceFen = "price_fen", minimumQuantity = "minimum_quantity", maximumQuantity = "maximum_quantity", ordered, arrived
        }
    }
    var id: GroupBuyID
    var placeID: PlaceID
    var placeName: String
    var supplierID: SupplierID
    var supplierName: String?
    var leaderUserID: UserID
    var leaderBasis: String
    var title: String
    var deliveryPlan: String?
    var opensAt: Date?
    var closesAt: Date?
    var state: String
    var joinedTo: GroupBuyID?
    var nextStates: [String]
    var acceptsOrders: Bool
    var items: [Item]
    var orders: Int
    var households: Int
    var delivered: Int
    var waitingToFix: Int
    var money: GroupBuyDelivery.Money
    /// The calling household's own orders (household sessions only).
    var mine: [OrderView]?

    init(stored: StoredGroupBuy, supplier: Supplier?, items: [GroupBuyItem], orders: [GroupBuyOrder], waiting: Int, mine: [GroupBuyOrder]?, now: Date) {
        let buy = stored.buy
        let totals = GroupBuyRules.totals(orders)
        id = buy.id
        placeID = buy.placeID
        placeName = stored.placeName
        supplierID = buy.supplierID
        supplierName = supplier?.name
        leaderUserID = buy.leaderUserID
        leaderBasis = stored.leaderBasis
        title = buy.title
        deliveryPlan = buy.deliveryPlan
        opensAt = buy.opensAt
        closesAt = buy.closesAt
        state = buy.state.rawValue
        joinedTo = buy.joinedTo
        nextStates = GroupBuyRules.next(from: buy.state).map(\.rawValue)
        acceptsOrders = GroupBuyRules.acceptsOrders(state: buy.state, opensAt: buy.opensAt, closesAt: buy.closesAt, now: now)
        self.items = items.map {
            Item(id: $0.id, name: $0.name, specification: $0.specification, unit: $0.unit, priceFen: $0.priceFen, minimumQuantity: $0.minimumQuantity,
                 maximumQuantity: $0.maximumQuantity, ordered: totals[$0.id, default: 0], arrived: $0.arrived)
        }
        self.orders = orders.count
        households = Set(orders.map(\.householdID)).count
        delivered = Set(orders.filter { $0.deliveredAt != nil }.map(\.householdID)).count
        waitingToFix = waiting
        money = GroupBuyDelivery.money(items: items, orders: orders)
        self.mine = mine.map { $0.map(OrderView.init) }
    }

    enum CodingKeys: String, CodingKey {
        case id, placeID = "place_id", placeName = "place_name", supplierID = "supplier_id", supplierName = "supplier_name", leaderUserID = "leader_user_id",
             leaderBasis = "leader_basis", title, deliveryPlan = "delivery_plan", opensAt = "opens_at", closesAt = "closes_at", state, joinedTo = "joined_to",
             nextStates = "next_states", acceptsOrders = "accepts_orders", items, orders, households, delivered, waitingToFix = "waiting_to_fix", money, mine
    }
}

struct GroupBuyListView: ResponseCodable {
    struct Line: Codable, Sendable {
        var id: GroupBuyID
        var placeID: PlaceID
        var placeName: String
        var title: String
        var state: String

        init(_ stored: StoredGroupBuy) {
            id = stored.buy.id
            placeID = stored.buy.placeID
            placeName = stored.placeName
            title = stored.buy.title
            state = stored.buy.state.rawValue
        }
        enum CodingKeys: String, CodingKey { case id, placeID = "place_id", placeName = "place_name", title, state }
    }
    var buys: [Line]
}

struct UnmatchedLineView: Codable, Sendable {
    var id: Int64
    var source: String
    var line: Int
    var text: String
    var problem: String
    var message: String
    var quantity: Int?
    var itemText: String?
    var resolution: String?
    var reason: String?

    init(_ line: UnmatchedOrderLine, language: Language) {
        id = line.id
        source = line.source.rawValue
        self.line = line.line
        text = line.text
        problem = line.problem
        message = Catalogue.text(line.problem, language)
        quantity = line.quantity
        itemText = line.itemText
        resolution = line.resolution
        reason = line.reason
    }
    enum CodingKeys: String, CodingKey { case id, source, line, text, problem, message, quantity, itemText = "item_text", resolution, reason }
}

struct UnmatchedListView: ResponseCodable {
    var lines: [UnmatchedLineView]
}

struct ImportView: ResponseCodable {
    var orders: Int
    var households: Int
    var waitingToFix: [UnmatchedLineView]

    init(_ report: GroupBuyOrdering.Report, language: Language) {
        orders = report.orders
        households = report.households
        waitingToFix = report.waiting.map { UnmatchedLineView($0, language: language) }
    }
    enum CodingKeys: String, CodingKey { case orders, households, waitingToFix = "waiting_to_fix" }
}

struct DeliveryView: ResponseCodable {
    var householdID: PlaceID
    var ordersDelivered: Int
    var confirmedByCode: Bool
    enum CodingKeys: String, CodingKey { case householdID = "household_id", ordersDelivered = "orders_delivered", confirmedByCode = "confirmed_by_code" }
}
