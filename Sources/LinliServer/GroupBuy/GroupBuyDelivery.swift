import Foundation
import Hummingbird
import LinliCore
import LinliStore
import SQLKit

/// From the gate to the door: counting what arrived and sharing a shortage fairly, recording
/// wrong items, ticking each household's delivery (confirmed by its code), and the money.
struct GroupBuyDelivery: Sendable {
    let services: AppServices
    var buys: GroupBuyService { GroupBuyService(services: services) }

    /// Counts each item at the gate. Short items are shared by the largest-remainder rule; every
    /// order's share and the refund for its short units are written with the count, and the buy
    /// moves to `at_gate`.
    func arrival(_ buyID: GroupBuyID, arrived: [GroupBuyItemID: Int], identity: UserIdentity, traceID: String) async throws -> StoredGroupBuy {
        let stored = try await buys.buy(buyID, capability: .leadGroupBuys, identity: identity)
        let now = services.now()
        let engine = services.store.engine
        try await buys.writing { db in
            guard let locked = try await GroupBuyRecords.buy(id: buyID, forUpdate: true, engine: engine, on: db), locked.buy.state == .dispatched else {
                throw GroupBuyStoreError.refused(.wrongState)
            }
            let items = try await GroupBuyRecords.items(buyID: buyID, on: db)
            guard Set(arrived.keys).isSubset(of: Set(items.map(\.id))) else { throw AppError(.badRequest, "group_buy.error.item_unknown", field: "items") }
            guard items.allSatisfy({ arrived[$0.id] != nil }) else { throw AppError(.badRequest, "group_buy.error.count_every_item", field: "items") }
            let orders = try await GroupBuyRecords.orders(buyID: buyID, on: db)
            for item in items {
                guard let count = arrived[item.id] else { continue }
                let itemOrders = orders.filter { $0.itemID == item.id }
                let shares: [GroupBuyOrderID: Int]
                do {
                    shares = try GroupBuyRules.shares(arrived: count, orders: itemOrders)
                } catch {
                    throw AppError(.badRequest, "group_buy.error.count", field: "items")
                }
                try await GroupBuyRecords.recordArrival(item: item, arrived: count, shares: shares, orders: itemOrders, on: db)
            }
            try await GroupBuyRecords.setState(buyID: buyID, to: .atGate, now: now, on: db)
            try await GroupBuyMessages.enqueue(for: .atGate, buyID: buyID, path: stored.path, now: now, on: db)
            try await buys.audit(db, identity: identity, action: "group_buy.arrival", entity: "group_buy", id: "\(buyID)", path: stored.path,
                                 before: GroupBuyState.dispatched.rawValue,
                                 after: items.map { "\($0.id):\(arrived[$0.id] ?? 0)" }.joined(separator: ","), traceID: traceID)
        }
        return try await buys.buy(buyID, identity: identity)
    }

    enum Problem: String, Sendable, CaseIterable {
        case wrongItem = "wrong_item"
        case damaged
        case missing
    }

    /// A household got the wrong item or a damaged one: recorded on its order with the refund.
    /// The order and its buy, for its buy's leader: 404 when the caller does not see the buy,
    /// 403 when they do not lead it.
    func orderForLeader(_ orderID: GroupBuyOrderID, identity: UserIdentity) async throws -> (GroupBuyOrder, PlacePath, StoredGroupBuy) {
        let found = try await services.store.read { db in try await GroupBuyRecords.order(id: orderID, on: db) }
        guard let (order, path) = found else { throw AppError.notFound }
        return (order, path, try await buys.buy(order.buyID, capability: .leadGroupBuys, identity: identity))
    }

    func problem(_ orderID: GroupBuyOrderID, kind: Problem, refundFen: Int, identity: UserIdentity, traceID: String) async throws -> GroupBuyOrder {
        let (order, path, stored) = try await orderForLeader(orderID, identity: identity)
        guard [.atGate, .disinfected, .handedOut].contains(stored.buy.state) else { throw GroupBuyService.refusal(.wrongState) }
        let items = try await services.store.read { db in try await GroupBuyRecords.items(buyID: order.buyID, on: db) }
        let paid = items.first { $0.id == order.itemID }.map { GroupBuyRules.amountDue(order: order, priceFen: $0.priceFen) } ?? 0
        guard refundFen >= 0, refundFen <= paid else { throw AppError(.badRequest, "group_buy.error.refund_too_large", field: "refund_fen") }
        return try await buys.writing { db in
            try await GroupBuyRecords.recordProblem(orderID: orderID, problem: kind.rawValue, refundFen: refundFen, on: db)
            try await buys.audit(db, identity: identity, action: "group_buy.problem", entity: "group_buy_order", id: "\(orderID)", path: path,
                                 after: "\(kind.rawValue):\(refundFen)", traceID: traceID)
            guard let updated = try await GroupBuyRecords.order(id: orderID, on: db) else { throw GroupBuyStoreError.notFound }
            return updated.0
        }
    }

    /// The volunteer's tick at the door. With the household's code it is the household's own
    /// confirmation; without, the volunteer signs it (kept as who ticked it).
    func deliver(_ buyID: GroupBuyID, householdID: PlaceID, code: String?, identity: UserIdentity, remoteIP: String, traceID: String) async throws -> Int {
        let stored = try await buys.buy(buyID, identity: identity)
        let household = try await services.store.read { db in try await HouseholdRecords.household(id: householdID, on: db) }
        guard let household, identity.grants.allows(.viewDirectory, at: household.path), stored.path.contains(household.path) else {
            throw AppError(.badRequest, "group_buy.error.household_elsewhere", field: "household_id")
        }
        guard identity.grants.allows(.handOutSupplies, at: household.path) || identity.grants.allows(.leadGroupBuys, at: household.path) else { throw AppError.forbidden }
        guard stored.buy.state == .disinfected else { throw GroupBuyService.refusal(.wrongState) }
        var confirmedBy = "user:\(identity.user.id)"
        if let code {
            try await CardCustodyService(services: services).checkHouseholdCode(code, householdID: householdID, remoteIP: remoteIP)
            confirmedBy = "household_code"
        }
        let now = services.now()
        let confirmation = confirmedBy
        return try await buys.writing { db in
            let count = try await GroupBuyRecords.markDelivered(buyID: buyID, householdID: householdID, by: identity.user.id, confirmedBy: confirmation, now: now, on: db)
            try await buys.audit(db, identity: identity, action: "group_buy.deliver", entity: "group_buy", id: "\(buyID)", path: household.path,
                                 after: "household:\(householdID):\(confirmation)", traceID: traceID)
            return count
        }
    }

    /// The buy's money: what households ordered, what they owe after shortages and refunds, what
    /// goes back, and what the supplier is paid for what arrived.
    struct Money: Sendable, Codable {
        var orderedFen: Int
        var refundsFen: Int
        var dueFen: Int
        var supplierFen: Int
        enum CodingKeys: String, CodingKey { case orderedFen = "ordered_fen", refundsFen = "refunds_fen", dueFen = "due_fen", supplierFen = "supplier_fen" }
    }

    static func money(items: [GroupBuyItem], orders: [GroupBuyOrder]) -> Money {
        var money = Money(orderedFen: 0, refundsFen: 0, dueFen: 0, supplierFen: 0)
        let prices = Dictionary(items.map { ($0.id, $0.priceFen) }, uniquingKeysWith: { first, _ in first })
        for order in orders {
            let price = prices[order.itemID] ?? 0
            let (ordered, overflow) = order.quantity.multipliedReportingOverflow(by: price)
            money.orderedFen = money.orderedFen.addingReportingOverflow(overflow ? 0 : ordered).partialValue
            money.refundsFen = money.refundsFen.addingReportingOverflow(order.refundFen).partialValue.addingReportingOverflow(order.problemRefundFen).partialValue
        }
        money.dueFen = money.orderedFen - money.refundsFen
        for item in items {
            let (value, overflow) = (item.arrived ?? 0).multipliedReportingOverflow(by: item.priceFen)
            money.supplierFen = money.supplierFen.addingReportingOverflow(overflow ? 0 : value).partialValue
        }
        // Wrong, damaged or missing goods are not paid to the supplier either.
        for order in orders { money.supplierFen = money.supplierFen.subtractingReportingOverflow(order.problemRefundFen).partialValue }
        return money
    }
}
