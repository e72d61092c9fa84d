import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("Group buy totals: each item keeps how much is ordered, and a capped item is never ordered past its maximum, even by orders at once")
struct GroupBuyOrderTotalsTests {
    /// Items whose kept total is not the sum of their orders (none, when the totals are kept).
    static func itemsOffTheirOrders(_ app: TestApp) async throws -> Int {
        try await app.store.read { db in
            try await db.raw("""
                SELECT COUNT(*) AS n FROM group_buy_items i
                WHERE i.ordered <> (SELECT COALESCE(SUM(o.quantity), 0) FROM group_buy_orders o WHERE o.item_id = i.id)
                """).first()?.decode(column: "n", as: Int.self) ?? -1
        }
    }

    static func order(_ buy: Int, household: PlaceID, lines: [(item: Int, quantity: Int)], token: String, client: some TestClientProtocol) async throws -> TestResponse {
        let items = lines.map { #"{"item_id":\#($0.item),"quantity":\#($0.quantity)}"# }.joined(separator: ",")
        return try await client.json("/api/v1/group-buys/\(buy)/orders", method: .put, token: token, body: #"{"household_id":\#(household),"items":[\#(items)]}"#)
    }

    @Test("eight households at once for five capped units: five get one, three are told it is sold out; corrections, removals and a join keep every total", arguments: TestEngine.available)
    func totalsAndCap(engine: TestEngine) async throws {
        let clock = ManualClock(GroupBuyHTTPTests.afternoon)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let world = try await GroupBuyHTTPTests.world(app, client: client)
            let supplier = try await GroupBuyHTTPTests.approvedSupplier(world, client: client)
            let offer = """
                "supplier_id":\(supplier),"title":"蔬菜团购","items":[{"name":"蔬菜套餐A","unit":"份","price_fen":8800,"maximum_quantity":5},
                {"name":"鸡蛋","unit":"盒","price_fen":3500}]
                """
            let created = try await client.json("/api/v1/group-buys", method: .post, token: world.staff, body: #"{"place_id":\#(world.compound.id),\#(offer)}"#)
            try #require(created.status == .created, "\(created.text)")
            let buy = try #require(try created.jsonObject()["id"] as? Int)
            let itemIDs = try GroupBuyHTTPTests.items(created).compactMap { $0["id"] as? Int }
            try #require(itemIDs.count == 2)
            let (vegetables, eggs) = (itemIDs[0], itemIDs[1])
            for state in ["approved", "open"] {
                #expect(try await GroupBuyHTTPTests.move(buy, to: state, token: world.staff, client: client).status == .ok)
            }
            let households = Array(world.households.prefix(8).map(\.id))
            try #require(households.count == 8)

            // Eggs first, one at a time: the answer is the household's orders, as read back.
            for household in households {
                let answer = try await Self.order(buy, household: household, lines: [(eggs, 2)], token: world.staff, client: client)
                #expect(answer.status == .ok, "\(answer.text)")
            }

            // Vegetables at once: five units for eight households.
            let barrier = Barrier(count: households.count)
            let staff = world.staff
            let statuses = try await withThrowingTaskGroup(of: (PlaceID, TestResponse).self) { group in
                for household in households {
                    group.addTask {
                        await barrier.arriveAndWait()
                        return (household, try await Self.order(buy, household: household, lines: [(vegetables, 1)], token: staff, client: client))
                    }
                }
                return try await group.reduce(into: [(PlaceID, TestResponse)]()) { $0.append($1) }
            }
            let served = statuses.filter { $0.1.status == .ok }.map(\.0)
            let refused = statuses.filter { $0.1.status == .conflict && $0.1.text.contains("sold_out") }.map(\.0)
            #expect(served.count == 5 && refused.count == 3, "\(statuses.map { ($0.0, $0.1.status) })")

            // Each answer lists the household's orders in the order they were first made, as
            // the database holds them after the write.
            for (household, answer) in statuses where answer.status == .ok {
                let listed = try #require(try answer.jsonObject()["orders"] as? [[String: Any]])
                let stored = try await app.store.read { db in try await GroupBuyRecords.orders(buyID: GroupBuyID(rawValue: Int64(buy)), householdID: household, on: db) }
                #expect(listed.compactMap { $0["id"] as? Int } == stored.map { Int($0.id.rawValue) })
                #expect(listed.compactMap { $0["item_id"] as? Int } == [eggs, vegetables] && listed.compactMap { $0["quantity"] as? Int } == [2, 1])
            }

            // A household gives its unit up (0 removes the row): one refused household gets it;
            // asking for more than is left is still refused.
            let givingUp = try #require(served.first)
            let removed = try await Self.order(buy, household: givingUp, lines: [(vegetables, 0)], token: world.staff, client: client)
            let left = try removed.jsonObject()["orders"] as? [[String: Any]]
            #expect(removed.status == .ok && left?.compactMap { $0["item_id"] as? Int } == [eggs], "\(removed.text)")
            let late = try #require(refused.first)
            #expect(try await Self.order(buy, household: late, lines: [(vegetables, 2)], token: world.staff, client: client).text.contains("sold_out"))
            #expect(try await Self.order(buy, household: late, lines: [(vegetables, 1), (eggs, 3)], token: world.staff, client: client).status == .ok)
            // Lowering an order is never refused, nor is ordering the same again.
            #expect(try await Self.order(buy, household: late, lines: [(vegetables, 1), (eggs, 1)], token: world.staff, client: client).status == .ok)

            let read = try await app.store.write { db in
                try await GroupBuyRecords.forOrdering(buyID: GroupBuyID(rawValue: Int64(buy)), household: late, engine: app.store.engine, on: db)
            }
            #expect(read?.buy.buy.state == .open && read?.items.map(\.ordered) == [5, 2 * 7 + 1])
            // The household's rows come with the items: one vegetable unit and one box of eggs.
            #expect(read?.orders.map(\.quantity) == [1, 1] && read?.orders.map(\.itemID) == read?.items.map(\.item.id))
            #expect(try await Self.itemsOffTheirOrders(app) == 0)

            // A building's buy joins this one: its orders move over, and both buys' totals follow.
            let first = try #require(world.households.first)
            let building = try #require(try await app.store.read { db in try await HouseholdRecords.household(id: first.id, on: db)?.buildingID })
            let small = try await client.json("/api/v1/group-buys", method: .post, token: world.staff, body: #"{"place_id":\#(building),\#(offer)}"#)
            try #require(small.status == .created, "\(small.text)")
            let smallBuy = try #require(try small.jsonObject()["id"] as? Int)
            let smallEggs = try #require(try GroupBuyHTTPTests.items(small).compactMap { $0["id"] as? Int }.last)
            for state in ["approved", "open"] {
                #expect(try await GroupBuyHTTPTests.move(smallBuy, to: state, token: world.staff, client: client).status == .ok)
            }
            #expect(try await Self.order(smallBuy, household: first.id, lines: [(smallEggs, 4)], token: world.staff, client: client).status == .ok)
            #expect(try await client.json("/api/v1/group-buys/\(smallBuy)/join", method: .post, token: world.staff, body: #"{"into":\#(buy)}"#).status == .ok)
            #expect(try await Self.itemsOffTheirOrders(app) == 0)
        }
    }
}
