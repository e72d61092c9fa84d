import Foundation
import LinliCore
import Testing

@Suite("Group-buy rules: the states a buy moves through, what each step needs, and shares named so the smaller id sorts first")
struct GroupBuyRulesTests {
    static let now = Date(timeIntervalSince1970: 1_649_746_800) // 2022-04-12 15:00 in Shanghai
    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "Asia/Shanghai") ?? .current
        return calendar
    }()

    static func supplier(approvedFor days: Double? = 30, tested day: String? = "2022-04-12") -> Supplier {
        Supplier(id: 1, placeID: 1, name: "叮咚", contact: nil, licenceNumber: "9131", deliveryPass: nil, driverTestDay: day,
                 approvedUntil: days.map { now.addingTimeInterval($0 * 86_400) }, approvedBy: 1)
    }

    static func order(_ id: Int64, item: Int64 = 1, quantity: Int, minute: Double = 0, delivered: Bool = false, allocated: Int? = nil) -> GroupBuyOrder {
        GroupBuyOrder(id: GroupBuyOrderID(rawValue: id), buyID: 1, itemID: GroupBuyItemID(rawValue: item), householdID: PlaceID(rawValue: 100 + id), quantity: quantity,
                      source: .volunteer, orderedAt: now.addingTimeInterval(minute * 60), allocated: allocated, refundFen: 0, problem: nil,
                      deliveredAt: delivered ? now : nil, deliveryConfirmedBy: nil)
    }

    static let items = [GroupBuyItem(id: 1, name: "蔬菜套餐", specification: nil, unit: "份", priceFen: 8800, minimumQuantity: 10, maximumQuantity: nil)]

    @Test("every state reaches settled or failed by the steps it allows, and none goes back")
    func statesMoveForward() {
        var reached: Set<GroupBuyState> = [.draft]
        var frontier: [GroupBuyState] = [.draft]
        while let state = frontier.popLast() {
            for next in GroupBuyRules.next(from: state) where reached.insert(next).inserted { frontier.append(next) }
        }
        #expect(reached == Set(GroupBuyState.allCases).subtracting([.joined]), "joined is reached only by joining another buy")
        let order: [GroupBuyState] = [.draft, .approved, .open, .closed, .confirmed, .dispatched, .atGate, .disinfected, .handedOut, .settled]
        for (index, state) in order.enumerated() {
            #expect(GroupBuyRules.next(from: state).allSatisfy { $0 == .failed || (order.firstIndex(of: $0) ?? 0) > index }, "\(state) moves only forward")
        }
        #expect(GroupBuyRules.next(from: .dispatched).contains(.failed) == false, "once the goods left the supplier a shortfall is a shortage, not a failure")
    }

    @Test("approval needs an approved supplier; confirming needs every minimum; dispatch needs a fresh driver's test")
    func stepsNeedTheirConditions() throws {
        #expect(throws: GroupBuyRefusal.supplierNotApproved) {
            try GroupBuyRules.check(from: .draft, to: .approved, supplier: Self.supplier(approvedFor: nil), items: Self.items, orders: [], now: Self.now, calendar: Self.calendar)
        }
        #expect(throws: GroupBuyRefusal.supplierNotApproved) {
            try GroupBuyRules.check(from: .draft, to: .approved, supplier: Self.supplier(approvedFor: -1), items: Self.items, orders: [], now: Self.now, calendar: Self.calendar)
        }
        try GroupBuyRules.check(from: .draft, to: .approved, supplier: Self.supplier(), items: Self.items, orders: [], now: Self.now, calendar: Self.calendar)
        #expect(throws: GroupBuyRefusal.wrongState) {
            try GroupBuyRules.check(from: .open, to: .settled, supplier: Self.supplier(), items: Self.items, orders: [], now: Self.now, calendar: Self.calendar)
        }
        let nine = [Self.order(1, quantity: 4), Self.order(2, quantity: 5)]
        #expect(throws: GroupBuyRefusal.minimumNotReached) {
            try GroupBuyRules.check(from: .closed, to: .confirmed, supplier: Self.supplier(), items: Self.items, orders: nine, now: Self.now, calendar: Self.calendar)
        }
        try GroupBuyRules.check(from: .closed, to: .confirmed, supplier: Self.supplier(), items: Self.items, orders: nine + [Self.order(3, quantity: 1)], now: Self.now, calendar: Self.calendar)
        try GroupBuyRules.check(from: .closed, to: .failed, supplier: Self.supplier(approvedFor: nil), items: Self.items, orders: nine, now: Self.now, calendar: Self.calendar)
        #expect(throws: GroupBuyRefusal.driverTestStale) {
            try GroupBuyRules.check(from: .confirmed, to: .dispatched, supplier: Self.supplier(tested: "2022-04-09"), items: Self.items, orders: nine, now: Self.now, calendar: Self.calendar)
        }
        try GroupBuyRules.check(from: .confirmed, to: .dispatched, supplier: Self.supplier(tested: "2022-04-10"), items: Self.items, orders: nine, now: Self.now, calendar: Self.calendar)
        #expect(throws: GroupBuyRefusal.notCounted) {
            try GroupBuyRules.check(from: .dispatched, to: .atGate, supplier: Self.supplier(), items: Self.items, orders: nine, now: Self.now, calendar: Self.calendar)
        }
        #expect(throws: GroupBuyRefusal.notAllDelivered) {
            try GroupBuyRules.check(from: .disinfected, to: .handedOut, supplier: Self.supplier(), items: Self.items, orders: [Self.order(1, quantity: 2, delivered: true), Self.order(2, quantity: 1)],
                                    now: Self.now, calendar: Self.calendar)
        }
        // An order whose share came to nothing has nothing to deliver.
        try GroupBuyRules.check(from: .disinfected, to: .handedOut, supplier: Self.supplier(), items: Self.items,
                                orders: [Self.order(1, quantity: 2, delivered: true), Self.order(2, quantity: 1, allocated: 0)], now: Self.now, calendar: Self.calendar)
    }

    @Test("a driver's test counts for today and the two days before, never for a day to come or a day that does not exist")
    func driverTest() {
        for (day, fresh) in [("2022-04-12", true), ("2022-04-10", true), ("2022-04-09", false), ("2022-04-13", false), ("2022-02-30", false), ("12/04/2022", false), ("", false), ("9999-01-01", false)] {
            #expect(GroupBuyRules.driverTestFresh(day, now: Self.now, calendar: Self.calendar) == fresh, "\(day)")
        }
        #expect(GroupBuyRules.driverTestFresh(nil, now: Self.now, calendar: Self.calendar) == false)
    }

    @Test("orders are taken only while open and inside the window")
    func orderWindow() {
        #expect(GroupBuyRules.acceptsOrders(state: .open, opensAt: nil, closesAt: nil, now: Self.now))
        #expect(!GroupBuyRules.acceptsOrders(state: .approved, opensAt: nil, closesAt: nil, now: Self.now))
        #expect(!GroupBuyRules.acceptsOrders(state: .open, opensAt: Self.now.addingTimeInterval(60), closesAt: nil, now: Self.now))
        #expect(!GroupBuyRules.acceptsOrders(state: .open, opensAt: nil, closesAt: Self.now, now: Self.now))
        #expect(GroupBuyRules.acceptsOrders(state: .open, opensAt: Self.now, closesAt: Self.now.addingTimeInterval(1), now: Self.now))
    }

    @Test("shares by order: the same rule as linli group-buy allocate, with ties to the smaller id even past ten digits", arguments: [7, 9, 10, 11])
    func sharesByOrder(arrived: Int) throws {
        // Orders 9 and 10 tie on size and time: as text "10" sorts before "9", so names are padded.
        let orders = [Self.order(9, quantity: 3), Self.order(10, quantity: 3), Self.order(11, quantity: 5)]
        let shares = try GroupBuyRules.shares(arrived: arrived, orders: orders)
        #expect(shares.values.reduce(0, +) == min(arrived, 11))
        #expect(orders.allSatisfy { (shares[$0.id] ?? -1) <= $0.quantity })
        if arrived == 7 {
            // 7·3/11 = 1.91 each for 9 and 10, 7·5/11 = 3.18 for 11: one unit left, to the larger remainder.
            #expect(shares == [9: 2, 10: 2, 11: 3])
        }
        if arrived == 9 {
            // 2.45, 2.45, 4.09: floors 2, 2, 4 and one unit left; 9 and 10 tie on remainder and
            // time, so it goes to 9, the smaller id.
            #expect(shares == [9: 3, 10: 2, 11: 4])
        }
        let tie = try GroupBuyRules.shares(arrived: 1, orders: [Self.order(10, quantity: 1), Self.order(9, quantity: 1)])
        #expect(tie == [9: 1, 10: 0], "a tie in size and time goes to the smaller id")
    }
}
