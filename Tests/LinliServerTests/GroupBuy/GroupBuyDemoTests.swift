import Foundation
import LinliCore
@testable import LinliServer
import LinliStore
import LinliTestSupport
import SQLKit
import Testing

@Suite("The demo's group buying: a finished buy with a shortage shared fairly, an open one with lines to fix")
struct GroupBuyDemoTests {
    @Test("serve --demo's compound has a settled buy with a shortage and an open buy, both readable through the pages' queries", arguments: TestEngine.available)
    func demoBuys(engine: TestEngine) async throws {
        try await withTestStore(engine) { store in
            _ = try await DemoHistorySeedingTests.seed(store)
            try await store.read { db in
                let city = try #require(try await DirectoryRecords.rootPlaces(on: db).first)
                let buys = try await GroupBuyRecords.buys(visibleFrom: city.path, on: db)
                #expect(buys.count == 2)
                let settled = try #require(buys.first { $0.buy.state == .settled })
                let open = try #require(buys.first { $0.buy.state == .open })
                let supplier = try #require(try await GroupBuyRecords.supplier(id: settled.buy.supplierID, on: db)?.0)
                #expect(supplier.isApproved(at: DemoHistorySeedingTests.now))

                let items = try await GroupBuyRecords.items(buyID: settled.buy.id, on: db)
                let orders = try await GroupBuyRecords.orders(buyID: settled.buy.id, on: db)
                let ordered = orders.reduce(0) { $0 + $1.quantity }
                let arrived = try #require(items.first?.arrived)
                #expect(arrived < ordered, "a shortage")
                #expect(orders.reduce(0) { $0 + ($1.allocated ?? 0) } == arrived, "shares add up to what arrived")
                #expect(orders.allSatisfy { ($0.allocated ?? 0) <= $0.quantity && $0.refundFen == ($0.quantity - ($0.allocated ?? 0)) * (items.first?.priceFen ?? 0) })
                #expect(try GroupBuyRules.shares(arrived: arrived, orders: orders) == Dictionary(uniqueKeysWithValues: orders.map { ($0.id, $0.allocated ?? -1) }))
                #expect(orders.allSatisfy { $0.deliveredAt != nil } && orders.contains { $0.deliveryConfirmedBy == "household_code" })
                #expect(orders.contains { $0.problem == "wrong_item" && $0.problemRefundFen > 0 })
                #expect(Set(orders.map(\.source)).count == 4, "orders came in all four ways")

                #expect(try await GroupBuyRecords.orders(buyID: open.buy.id, on: db).count >= 20)
                #expect(try await GroupBuyRecords.unmatched(buyID: open.buy.id, on: db).count == 2)
            }
        }
    }
}
