import Foundation

/// Why a group buy refuses a step. Raw values end the catalogue keys `group_buy.error.<code>`.
public enum GroupBuyRefusal: String, Sendable, Hashable, CaseIterable, Error {
    /// The step cannot follow the buy's state (settling a buy still open).
    case wrongState = "wrong_state"
    /// The supplier has no approval, or it expired.
    case supplierNotApproved = "supplier_not_approved"
    /// The driver's latest test is older than the compound lets in.
    case driverTestStale = "driver_test_stale"
    /// Confirming with the supplier needs every item's minimum ordered.
    case minimumNotReached = "minimum_not_reached"
    /// Someone has ordered: the offer they ordered stays as it was.
    case offerLocked = "offer_locked"
    /// The order window has not opened or has closed.
    case windowClosed = "window_closed"
    /// More than the supplier can deliver would be ordered.
    case soldOut = "sold_out"
    /// Handing out is done only when every household got its goods or its refund.
    case notAllDelivered = "not_all_delivered"
    /// The goods must be counted at the gate before they are shared out.
    case notCounted = "not_counted"
    /// Joining needs an open buy of the same supplier at a place containing this one's, offering
    /// every item this one does.
    case cannotJoin = "cannot_join"
}

/// The group buy's workflow as pure functions of its state and `now`.
public enum GroupBuyRules {
    /// Largest values accepted where they enter.
    public static let maximumItems = 50
    public static let maximumPriceFen = 10_000_000
    public static let maximumOrderQuantity = 999
    public static let maximumItemQuantity = 1_000_000
    public static let maximumTitleLength = 100
    public static let maximumTextLength = 500
    /// How long an approval may run at most; committees re-check documents at least monthly.
    public static let maximumApprovalDays = 90
    /// A driver tested more than this many days before the delivery is not let in.
    public static let driverTestMaximumAgeDays = 2

    /// The states each state may move to by hand. `failed` is reachable until the goods leave
    /// the supplier; after that a shortfall is a shortage, shared out fairly, not a failure.
    public static func next(from state: GroupBuyState) -> [GroupBuyState] {
        switch state {
        case .draft: [.approved, .failed]
        case .approved: [.open, .failed]
        case .open: [.closed, .failed]
        case .closed: [.confirmed, .failed]
        case .confirmed: [.dispatched, .failed]
        case .dispatched: [.atGate]
        case .atGate: [.disinfected]
        case .disinfected: [.handedOut]
        case .handedOut: [.settled]
        case .failed, .settled, .joined: []
        }
    }

    /// Approving is the committee's; every other step is the leader's (or staff acting for them).
    public static func needsApproval(_ target: GroupBuyState) -> Bool { target == .approved }

    /// Totals ordered per item.
    public static func totals(_ orders: [GroupBuyOrder]) -> [GroupBuyItemID: Int] {
        orders.reduce(into: [:]) { totals, order in totals[order.itemID, default: 0] += order.quantity }
    }

    /// The first item whose minimum is not met, nil when the buy can be confirmed.
    public static func itemBelowMinimum(items: [GroupBuyItem], orders: [GroupBuyOrder]) -> GroupBuyItem? {
        let totals = totals(orders)
        return items.first { totals[$0.id, default: 0] < $0.minimumQuantity }
    }

    /// Checks a step before it is written.
    public static func check(from state: GroupBuyState, to target: GroupBuyState, supplier: Supplier, items: [GroupBuyItem], orders: [GroupBuyOrder],
                             now: Date, calendar: Calendar) throws(GroupBuyRefusal) {
        guard next(from: state).contains(target) else { throw .wrongState }
        switch target {
        case .approved, .open:
            guard supplier.isApproved(at: now) else { throw .supplierNotApproved }
        case .confirmed:
            guard supplier.isApproved(at: now) else { throw .supplierNotApproved }
            guard itemBelowMinimum(items: items, orders: orders) == nil else { throw .minimumNotReached }
        case .dispatched:
            guard supplier.isApproved(at: now) else { throw .supplierNotApproved }
            guard driverTestFresh(supplier.driverTestDay, now: now, calendar: calendar) else { throw .driverTestStale }
        case .atGate:
            guard items.allSatisfy({ $0.arrived != nil }) else { throw .notCounted }
        case .handedOut:
            guard orders.allSatisfy({ $0.deliveredAt != nil || $0.toDeliver == 0 }) else { throw .notAllDelivered }
        case .draft, .closed, .failed, .disinfected, .settled, .joined:
            break
        }
    }

    /// True when the driver's test day is today or at most `driverTestMaximumAgeDays` before.
    public static func driverTestFresh(_ day: String?, now: Date, calendar: Calendar) -> Bool {
        guard let day, let tested = LocalDay.date(day, calendar: calendar) else { return false }
        let today = calendar.startOfDay(for: now)
        guard let age = calendar.dateComponents([.day], from: tested, to: today).day else { return false }
        return age >= 0 && age <= driverTestMaximumAgeDays
    }

    /// May a household order now?
    public static func acceptsOrders(state: GroupBuyState, opensAt: Date?, closesAt: Date?, now: Date) -> Bool {
        guard state.takesOrders else { return false }
        if let opensAt, now < opensAt { return false }
        if let closesAt, now >= closesAt { return false }
        return true
    }

    /// The fair shares of what arrived, per order, through the same function
    /// `linli group-buy allocate` uses. Orders are named by their id padded to a fixed width, so
    /// "the id that sorts first" is the smaller id.
    public static func shares(arrived: Int, orders: [GroupBuyOrder]) throws(FairShareProblem) -> [GroupBuyOrderID: Int] {
        let named = orders.map { FairShareOrder(id: shareName($0.id), quantity: $0.quantity, orderedAt: $0.orderedAt) }
        let byName = Dictionary(orders.map { (shareName($0.id), $0.id) }, uniquingKeysWith: { first, _ in first })
        var result: [GroupBuyOrderID: Int] = [:]
        for share in try FairShares.allocate(arrived: arrived, orders: named) {
            if let id = byName[share.id] { result[id] = share.units }
        }
        return result
    }

    static func shareName(_ id: GroupBuyOrderID) -> String {
        let digits = String(id.rawValue)
        return String(repeating: "0", count: max(0, 20 - digits.count)) + digits
    }

    /// What a household owes for an order once counted: the units it gets, minus a refund.
    public static func amountDue(order: GroupBuyOrder, priceFen: Int) -> Int {
        let (value, overflow) = order.toDeliver.multipliedReportingOverflow(by: priceFen)
        return overflow ? Int.max : value
    }
}

/// `yyyy-MM-dd` days in the server's calendar.
public enum LocalDay {
    public static func date(_ text: String, calendar: Calendar) -> Date? {
        let parts = text.split(separator: "-")
        guard parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]),
              (2000...2100).contains(year), (1...12).contains(month), (1...31).contains(day) else { return nil }
        let components = DateComponents(year: year, month: month, day: day)
        guard let date = calendar.date(from: components), calendar.component(.day, from: date) == day else { return nil }
        return date
    }
}
