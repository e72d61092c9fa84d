import Foundation

public typealias SupplierID = ID<Supplier>
public typealias GroupBuyID = ID<GroupBuy>
public typealias GroupBuyItemID = ID<GroupBuyItem>
public typealias GroupBuyOrderID = ID<GroupBuyOrder>

/// A supplier a committee or sub-district allows to deliver into its compounds. A group buy may
/// use it only while its approval lasts: suppliers whose licence or delivery pass lapsed are the
/// ones that delivered spoiled goods in 2022.
public struct Supplier: Sendable, Hashable {
    public var id: SupplierID
    public var placeID: PlaceID
    public var name: String
    public var contact: String?
    public var licenceNumber: String
    public var deliveryPass: String?
    /// The day of the driver's latest test, `yyyy-MM-dd`.
    public var driverTestDay: String?
    public var approvedUntil: Date?
    public var approvedBy: UserID?

    public init(id: SupplierID, placeID: PlaceID, name: String, contact: String?, licenceNumber: String, deliveryPass: String?,
                driverTestDay: String?, approvedUntil: Date?, approvedBy: UserID?) {
        self.id = id
        self.placeID = placeID
        self.name = name
        self.contact = contact
        self.licenceNumber = licenceNumber
        self.deliveryPass = deliveryPass
        self.driverTestDay = driverTestDay
        self.approvedUntil = approvedUntil
        self.approvedBy = approvedBy
    }

    public func isApproved(at now: Date) -> Bool {
        guard let approvedUntil else { return false }
        return approvedUntil > now
    }
}

/// Where a group buy is in its life. `joined`: a small building's buy whose orders moved into a
/// compound-wide buy to reach the supplier's minimum together.
public enum GroupBuyState: String, Sendable, Hashable, CaseIterable, Codable {
    case draft
    case approved
    case open
    case closed
    case confirmed
    case failed
    case dispatched
    case atGate = "at_gate"
    case disinfected
    case handedOut = "handed_out"
    case settled
    case joined

    /// Orders are taken only while open.
    public var takesOrders: Bool { self == .open }
    /// Until someone orders, the offer (items, prices, minimums) may still change.
    public var offerEditable: Bool { self == .draft || self == .approved || self == .open }
    public var isFinished: Bool { self == .failed || self == .settled || self == .joined }
}

public struct GroupBuy: Sendable, Hashable {
    public var id: GroupBuyID
    public var placeID: PlaceID
    public var supplierID: SupplierID
    public var leaderUserID: UserID
    public var title: String
    public var deliveryPlan: String?
    public var opensAt: Date?
    public var closesAt: Date?
    public var state: GroupBuyState
    public var joinedTo: GroupBuyID?

    public init(id: GroupBuyID, placeID: PlaceID, supplierID: SupplierID, leaderUserID: UserID, title: String, deliveryPlan: String?,
                opensAt: Date?, closesAt: Date?, state: GroupBuyState, joinedTo: GroupBuyID?) {
        self.id = id
        self.placeID = placeID
        self.supplierID = supplierID
        self.leaderUserID = leaderUserID
        self.title = title
        self.deliveryPlan = deliveryPlan
        self.opensAt = opensAt
        self.closesAt = closesAt
        self.state = state
        self.joinedTo = joinedTo
    }
}

/// One thing on offer: price in fen (0.01 yuan) per unit, the supplier's minimum for the whole
/// buy and the most it can deliver.
public struct GroupBuyItem: Sendable, Hashable, Codable {
    public var id: GroupBuyItemID
    public var name: String
    public var specification: String?
    public var unit: String
    public var priceFen: Int
    public var minimumQuantity: Int
    public var maximumQuantity: Int?
    /// What the supplier delivered, once counted at the gate.
    public var arrived: Int?

    public init(id: GroupBuyItemID, name: String, specification: String?, unit: String, priceFen: Int, minimumQuantity: Int, maximumQuantity: Int?, arrived: Int? = nil) {
        self.id = id
        self.name = name
        self.specification = specification
        self.unit = unit
        self.priceFen = priceFen
        self.minimumQuantity = minimumQuantity
        self.maximumQuantity = maximumQuantity
        self.arrived = arrived
    }
}

/// How an order reached the buy.
public enum GroupBuyOrderSource: String, Sendable, Hashable, CaseIterable, Codable {
    /// The household ordered with its own code.
    case household
    /// A volunteer typed it for the household.
    case volunteer
    /// From a pasted chain list (接龙).
    case chainList = "chain_list"
    /// From a 快团团 or spreadsheet export.
    case sheet
}

public struct GroupBuyOrder: Sendable, Hashable {
    public var id: GroupBuyOrderID
    public var buyID: GroupBuyID
    public var itemID: GroupBuyItemID
    public var householdID: PlaceID
    public var quantity: Int
    public var source: GroupBuyOrderSource
    public var orderedAt: Date
    /// Units this order gets of what arrived (nil until the goods are counted).
    public var allocated: Int?
    /// Fen owed back for goods that never came: the whole order when the buy failed, the short
    /// units' price after a shortage.
    public var refundFen: Int
    /// `short`, `refunded`, or what the household reported (`wrong_item`, `damaged`, `missing`).
    public var problem: String?
    /// Fen owed back for a reported problem; the supplier is not paid it either.
    public var problemRefundFen: Int = 0
    public var deliveredAt: Date?
    /// `household_code` when the household confirmed with its code, else the volunteer's actor.
    public var deliveryConfirmedBy: String?

    public init(id: GroupBuyOrderID, buyID: GroupBuyID, itemID: GroupBuyItemID, householdID: PlaceID, quantity: Int, source: GroupBuyOrderSource, orderedAt: Date,
                allocated: Int?, refundFen: Int, problem: String?, deliveredAt: Date?, deliveryConfirmedBy: String?) {
        self.id = id
        self.buyID = buyID
        self.itemID = itemID
        self.householdID = householdID
        self.quantity = quantity
        self.source = source
        self.orderedAt = orderedAt
        self.allocated = allocated
        self.refundFen = refundFen
        self.problem = problem
        self.deliveredAt = deliveredAt
        self.deliveryConfirmedBy = deliveryConfirmedBy
    }

    /// Units the household is to receive: its share once counted, else what it ordered.
    public var toDeliver: Int { allocated ?? quantity }
}
