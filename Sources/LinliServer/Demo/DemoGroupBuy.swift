import Foundation
import LinliCore
import LinliStore
import SQLKit

/// The demo compound's group buying: an approved supplier on the committee's list; last week's
/// vegetable buy finished (ordered from a chain list, a 快团团 export and households' own codes,
/// 8 of 60 sets short and shared by largest remainders, one wrong item refunded, every household
/// delivered, settled); and this week's rice buy taking orders, with two pasted lines waiting to
/// be fixed. Written through the records the server's own paths use, so the pages show them as
/// they would show a real buy.
enum DemoGroupBuy {
    static func write(generator: DemoGenerator, users: [DemoAccount: UserID], now: Date, on db: any SQLDatabase) async throws {
        guard let leadAccount = generator.accounts.first(where: { $0.role == .groupBuyLeader }), let leader = users[leadAccount],
              let staffAccount = generator.accounts.first(where: { $0.role == .committeeStaff }), let staff = users[staffAccount],
              let compound = try await DirectoryRecords.place(id: leadAccount.placeID, on: db), compound.level == .compound,
              let committeeID = compound.parentID else { return }
        let today = CareSchedule.localDay(now)
        let supplier = try await GroupBuyRecords.createSupplier(placeID: committeeID, name: "叮咚买菜浦东保供仓", contact: "021-5888****", licenceNumber: "91310115MA1K4XXXX",
                                                                deliveryPass: "沪保供通行证 2022-0418", driverTestDay: CareSchedule.dayText(today), by: staff,
                                                                now: now.addingTimeInterval(-9 * 86_400), on: db)
        try await GroupBuyRecords.approveSupplier(id: supplier.id, until: now.addingTimeInterval(21 * 86_400), by: staff, on: db)
        let range = compound.path.descendantRange
        let households = try await db.raw("""
            SELECT id FROM households WHERE path > \(bind: range.after) AND path < \(bind: range.before) ORDER BY path LIMIT 80
            """).all().map { try $0.decode(column: "id", as: PlaceID.self) }
        guard households.count >= 60 else { return }
        let basis = "resident"

        // Last week's vegetables: 60 sets ordered by 40 households, 52 arrived.
        let opened = now.addingTimeInterval(-7 * 86_400)
        let finished = try await GroupBuyRecords.createBuy(
            placeID: compound.id, supplierID: supplier.id, leader: leader, leaderBasis: basis, proxyNamedBy: nil, title: "蔬菜保供套餐（第一期）",
            deliveryPlan: "次日上午送到东门，消杀后按楼分发", opensAt: opened, closesAt: opened.addingTimeInterval(86_400),
            items: [.init(name: "蔬菜套餐", specification: "约5斤，8种", unit: "份", priceFen: 8800, minimumQuantity: 30, maximumQuantity: 300)], now: opened, on: db)
        guard let vegetables = try await GroupBuyRecords.items(buyID: finished, on: db).first else { return }
        let sources: [GroupBuyOrderSource] = [.chainList, .sheet, .household, .volunteer]
        for (index, household) in households.prefix(40).enumerated() {
            try await GroupBuyRecords.setOrder(buyID: finished, item: vegetables, householdID: household, quantity: index % 2 == 0 ? 1 : 2, source: sources[index % sources.count],
                                               followNumber: index % 4 == 1 ? "\(index + 1)" : nil, note: nil, by: leader,
                                               now: opened.addingTimeInterval(Double(index) * 300), on: db)
        }
        let orders = try await GroupBuyRecords.orders(buyID: finished, on: db)
        let shares = try GroupBuyRules.shares(arrived: 52, orders: orders)
        try await GroupBuyRecords.recordArrival(item: vegetables, arrived: 52, shares: shares, orders: orders, on: db)
        if let wrong = orders.first(where: { (shares[$0.id] ?? 0) > 0 }) {
            try await GroupBuyRecords.recordProblem(orderID: wrong.id, problem: "wrong_item", refundFen: 8800, on: db)
        }
        let delivered = opened.addingTimeInterval(2 * 86_400)
        for (index, household) in households.prefix(40).enumerated() {
            _ = try await GroupBuyRecords.markDelivered(buyID: finished, householdID: household, by: leader, confirmedBy: index % 3 == 0 ? "household_code" : "user:\(leader)",
                                                        now: delivered.addingTimeInterval(Double(index) * 60), on: db)
        }
        try await GroupBuyRecords.setState(buyID: finished, to: .settled, approvedBy: staff, now: delivered.addingTimeInterval(6 * 3600), on: db)

        // This week's rice: open until tomorrow evening, 20 households so far, two lines to fix.
        let rice = try await GroupBuyRecords.createBuy(
            placeID: compound.id, supplierID: supplier.id, leader: leader, leaderBasis: basis, proxyNamedBy: nil, title: "东北大米、鸡蛋团购",
            deliveryPlan: "截团后两天内到货", opensAt: now.addingTimeInterval(-86_400), closesAt: now.addingTimeInterval(30 * 3600),
            items: [.init(name: "东北大米", specification: "10kg", unit: "袋", priceFen: 6500, minimumQuantity: 50, maximumQuantity: 400),
                    .init(name: "鸡蛋", specification: "30枚", unit: "盒", priceFen: 3500, minimumQuantity: 0, maximumQuantity: nil)],
            now: now.addingTimeInterval(-86_400), on: db)
        try await GroupBuyRecords.setState(buyID: rice, to: .open, approvedBy: staff, now: now.addingTimeInterval(-80_000), on: db)
        let riceItems = try await GroupBuyRecords.items(buyID: rice, on: db)
        for (index, household) in households.dropFirst(40).prefix(20).enumerated() {
            for item in riceItems where item.name == "东北大米" || index % 3 == 0 {
                try await GroupBuyRecords.setOrder(buyID: rice, item: item, householdID: household, quantity: 1 + index % 2, source: sources[index % sources.count],
                                                   followNumber: nil, note: nil, by: leader, now: now.addingTimeInterval(-Double(20 - index) * 1800), on: db)
            }
        }
        try await GroupBuyRecords.keepUnmatched(buyID: rice, source: .chainList, line: 7, text: "7. 3号楼9901 周 2袋", problem: "chain_list.match.none", quantity: 2,
                                                itemText: nil, now: now.addingTimeInterval(-3600), on: db)
        try await GroupBuyRecords.keepUnmatched(buyID: rice, source: .chainList, line: 9, text: "9. 家里有老人，麻烦送上楼", problem: "chain_list.reason.no_address", quantity: nil,
                                                itemText: nil, now: now.addingTimeInterval(-3600), on: db)
    }
}
