import Foundation
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import NIOCore
import Testing

@Suite("Group buys over HTTP: an approved supplier, a buy from draft to settled with orders from a code, a volunteer, a chain list and a 快团团 export, a shortage shared fairly, a failed buy refunded")
struct GroupBuyHTTPTests {
    /// 2022-04-12 15:00 in Shanghai.
    static let afternoon = Date(timeIntervalSince1970: 1_649_746_800)
    static let today = "2022-04-12"

    struct World {
        var compound: Place
        var committee: Place
        var households: [HouseholdLabel]
        var staff: String
        var leader: String
        var leaderPhone: String
    }

    static func world(_ app: TestApp, client: some TestClientProtocol) async throws -> World {
        let world = try await CareTestWorld.build(app)
        let households = try await app.store.read { db in try await HouseholdRecords.labels(under: world.compound, withoutCodeOnly: false, on: db) }
        try #require(households.count >= 8)
        let leaderPhone = try app.account(.groupBuyLeader).phone
        return World(compound: world.compound, committee: world.committee, households: households,
                     staff: try await client.token(phone: try app.account(.committeeStaff).phone),
                     leader: try await client.token(phone: leaderPhone), leaderPhone: leaderPhone)
    }

    /// A supplier at the committee, approved for 30 days, its driver tested today.
    static func approvedSupplier(_ world: World, client: some TestClientProtocol) async throws -> Int {
        let added = try await client.json("/api/v1/suppliers", method: .post, token: world.staff, body: """
            {"place_id":\(world.committee.id),"name":"叮咚买菜浦东仓","contact":"13800000001","licence_number":"91310115MA1K","delivery_pass":"沪保供2022-118","driver_test_day":"\(today)"}
            """)
        try #require(added.status == .created, "\(added.text)")
        let id = try #require(try added.jsonObject()["id"] as? Int)
        let approved = try await client.json("/api/v1/suppliers/\(id)/approval", method: .post, token: world.staff, body: #"{"days":30}"#)
        try #require(approved.status == .ok, "\(approved.text)")
        return id
    }

    static func items(_ response: TestResponse) throws -> [[String: Any]] {
        try #require(try response.jsonObject()["items"] as? [[String: Any]])
    }

    static func move(_ buy: Int, to state: String, token: String, client: some TestClientProtocol) async throws -> TestResponse {
        try await client.json("/api/v1/group-buys/\(buy)/state", method: .post, token: token, body: #"{"state":"\#(state)"}"#)
    }

    @Test("draft to settled: suppliers, the leader rule, four ways to order, lines to fix, a shortage, a wrong item, deliveries confirmed by code", arguments: TestEngine.available)
    func draftToSettled(engine: TestEngine) async throws {
        let clock = ManualClock(Self.afternoon)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let world = try await Self.world(app, client: client)
            let care = try await CareTestWorld.build(app)
            try await care.addRobot(at: world.compound)
            let supplierBody = """
                {"place_id":\(world.committee.id),"name":"盒马","licence_number":"9131","driver_test_day":"\(Self.today)"}
                """
            let leaderSupplier = supplierBody.replacingOccurrences(of: "\(world.committee.id)", with: "\(world.compound.id)")
            #expect(try await client.json("/api/v1/suppliers", method: .post, token: world.leader, body: leaderSupplier).status == .forbidden, "leaders do not approve suppliers")
            let bad = try await client.json("/api/v1/suppliers", method: .post, token: world.staff, body: #"{"place_id":\#(world.committee.id),"name":"盒马","licence_number":"9131","driver_test_day":"2022-02-30"}"#)
            #expect(bad.status == .badRequest && bad.text.contains("driver_test_day"))

            // An unapproved supplier cannot take a buy past draft.
            let added = try await client.json("/api/v1/suppliers", method: .post, token: world.staff, body: """
                {"place_id":\(world.committee.id),"name":"叮咚买菜浦东仓","licence_number":"91310115MA1K","driver_test_day":"2022-04-05"}
                """)
            try #require(added.status == .created, "\(added.text)")
            let supplier = try #require(try added.jsonObject()["id"] as? Int)
            #expect(try added.jsonObject()["approved"] as? Bool == false)

            // The leader must live in the compound: not yet, then as a resident of one household.
            let offer = """
                "supplier_id":\(supplier),"title":"4月12日蔬菜团购","delivery_plan":"明天上午到东门，消杀后分楼发放",
                "items":[{"name":"蔬菜套餐A","specification":"约5斤","unit":"份","price_fen":8800,"minimum_quantity":10,"maximum_quantity":200},
                         {"name":"鸡蛋","specification":"30枚","unit":"盒","price_fen":3500,"minimum_quantity":0}]
                """
            let leaderPhone = UserRecords.normalizedPhone(world.leaderPhone)
            let homes = try await app.store.write { db in
                let homes = try await db.raw("SELECT id FROM residents WHERE phone = \(bind: leaderPhone)").all().map { try $0.decode(column: "id", as: Int64.self) }
                try await db.raw("UPDATE residents SET phone = NULL WHERE phone = \(bind: leaderPhone)").run()
                return homes
            }
            let refused = try await client.json("/api/v1/group-buys", method: .post, token: world.leader, body: #"{"place_id":\#(world.compound.id),\#(offer)}"#)
            #expect(refused.status == .conflict && refused.text.contains("leader_not_resident"), "\(refused.text)")
            let home = world.households[0]
            try await app.store.write { db in
                try await db.raw("UPDATE residents SET phone = \(bind: leaderPhone) WHERE id = (SELECT MIN(id) FROM residents WHERE household_id = \(bind: home.id))").run()
            }
            _ = homes
            let created = try await client.json("/api/v1/group-buys", method: .post, token: world.leader, body: #"{"place_id":\#(world.compound.id),\#(offer)}"#)
            try #require(created.status == .created, "\(created.text)")
            let buyObject = try created.jsonObject()
            let buy = try #require(buyObject["id"] as? Int)
            #expect(buyObject["state"] as? String == "draft" && buyObject["leader_basis"] as? String == "resident")
            let itemIDs = try Self.items(created).compactMap { $0["id"] as? Int }
            try #require(itemIDs.count == 2)
            let (vegetables, eggs) = (itemIDs[0], itemIDs[1])

            // Approval is the committee's, and needs an approved supplier.
            #expect(try await Self.move(buy, to: "approved", token: world.leader, client: client).status == .forbidden)
            let unapproved = try await Self.move(buy, to: "approved", token: world.staff, client: client)
            #expect(unapproved.status == .conflict && unapproved.text.contains("supplier_not_approved"))
            #expect(try await client.json("/api/v1/suppliers/\(supplier)/approval", method: .post, token: world.staff, body: #"{"days":400}"#).status == .badRequest)
            #expect(try await client.json("/api/v1/suppliers/\(supplier)/approval", method: .post, token: world.staff, body: #"{"days":30}"#).status == .ok)
            #expect(try await Self.move(buy, to: "approved", token: world.staff, client: client).status == .ok)
            #expect(try await Self.move(buy, to: "settled", token: world.leader, client: client).status == .conflict, "no skipping steps")
            #expect(try await Self.move(buy, to: "open", token: world.leader, client: client).status == .ok)

            // 1. A household with its own code.
            let coded = try #require(app.demo.households.first { household in world.households.contains { $0.id == household.id } })
            let session = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(coded.id),"code":"\#(coded.code)"}"#)
            let householdToken = try #require(try session.jsonObject()["token"] as? String)
            let own = try await client.json("/api/v1/group-buys/\(buy)/orders", method: .put, token: householdToken, body: #"{"items":[{"item_id":\#(vegetables),"quantity":2}]}"#)
            #expect(own.status == .ok, "\(own.text)")
            let seen = try await client.json("/api/v1/group-buys/\(buy)", token: householdToken)
            #expect((try seen.jsonObject()["mine"] as? [[String: Any]])?.first?["quantity"] as? Int == 2)
            #expect(try await client.json("/api/v1/group-buys/\(buy)/orders", method: .put, token: householdToken, body: #"{"items":[{"item_id":\#(vegetables),"quantity":1000}]}"#).status == .badRequest)

            // The offer is fixed once anyone has ordered.
            let change = try await client.json("/api/v1/group-buys/\(buy)/items", method: .put, token: world.leader,
                                               body: #"{"items":[{"name":"蔬菜套餐A","unit":"份","price_fen":17600}]}"#)
            #expect(change.status == .conflict && change.text.contains("offer_locked"))

            // 2. A volunteer for a neighbour.
            let others = world.households.filter { $0.id != coded.id }
            let neighbour = others[0]
            let typed = try await client.json("/api/v1/group-buys/\(buy)/orders", method: .put, token: world.leader,
                                              body: #"{"household_id":\#(neighbour.id),"items":[{"item_id":\#(vegetables),"quantity":3},{"item_id":\#(eggs),"quantity":1}]}"#)
            #expect(typed.status == .ok, "\(typed.text)")

            // 3. A chain list as a building's chat group writes it; a room that is not there waits.
            let chain = """
                #接龙 4月12日蔬菜团购
                例 1号楼-101 张 2份
                1. \(Self.number(others[1]))号楼\(others[1].room) 李阿姨 2份
                2. \(Self.number(others[2]))-\(others[2].room) 王 1份
                3. \(Self.number(others[3]))栋\(others[3].room)室 一份
                4. \(Self.number(others[3]))号楼9909 赵 2份
                5. 家里有老人，麻烦放门口
                """
            let pasted = try await client.json("/api/v1/group-buys/\(buy)/chain-list", method: .post, token: world.leader, body: try Self.jsonBody(["text": chain]))
            #expect(pasted.status == .ok, "\(pasted.text)")
            let pastedObject = try pasted.jsonObject()
            #expect(pastedObject["orders"] as? Int == 3 && pastedObject["households"] as? Int == 3)
            let waitingAfterChain = try #require(pastedObject["waiting_to_fix"] as? [[String: Any]])
            #expect(waitingAfterChain.count == 2, "the unknown room and the note line wait for a person: \(waitingAfterChain) \(chain)")
            #expect(waitingAfterChain.contains { ($0["text"] as? String)?.contains("9909") == true && $0["problem"] as? String == "chain_list.match.none" })

            // 4. A 快团团 export: a title row, the header, orders; a row with no address waits.
            let sheet = """
                4月12日蔬菜团购 订单导出,,,,,,
                跟团号,下单人,商品,规格,数量,楼号,房号,团员备注
                11,钱,蔬菜套餐A,约5斤,1,\(Self.number(others[4])),\(others[4].room),
                12,孙,鸡蛋,30枚,两,\(Self.number(others[4])),\(others[4].room),
                13,周,蔬菜套餐A,,3,\(Self.number(others[5]))号楼,\(others[5].room)室,放门口
                14,吴,蔬菜套餐A,,1,,,不知道几号楼
                """
            let imported = try await client.execute(uri: "/api/v1/group-buys/\(buy)/sheet?filename=orders.csv", method: .post,
                                                    headers: [.authorization: "Bearer \(world.leader)", .contentType: "text/csv"], body: ByteBuffer(string: sheet))
            #expect(imported.status == .ok, "\(imported.text)")
            #expect(try imported.jsonObject()["orders"] as? Int == 3 && (try imported.jsonObject()["waiting_to_fix"] as? [[String: Any]])?.count == 3)
            let again = try await client.execute(uri: "/api/v1/group-buys/\(buy)/sheet?filename=orders.csv", method: .post,
                                                 headers: [.authorization: "Bearer \(world.leader)", .contentType: "text/csv"], body: ByteBuffer(string: sheet))
            #expect((try again.jsonObject()["waiting_to_fix"] as? [[String: Any]])?.count == 3, "the same sheet again adds nothing to fix")
            var view = try await client.json("/api/v1/group-buys/\(buy)", token: world.leader)
            #expect(try Self.items(view).map { $0["ordered"] as? Int } == [2 + 3 + 2 + 1 + 1 + 1 + 3, 1 + 2], "importing the same sheet twice orders nothing twice")

            // The lines waiting: one filed for the household a person recognised, the rest set aside.
            let waiting = try #require(try await client.json("/api/v1/group-buys/\(buy)/unmatched", token: world.leader).jsonObject()["lines"] as? [[String: Any]])
            #expect(waiting.count == 3)
            let noAddress = try #require(waiting.first { ($0["text"] as? String)?.contains("不知道几号楼") == true })
            let fixed = try await client.json("/api/v1/group-buys/\(buy)/unmatched/\(try #require(noAddress["id"] as? Int))", method: .post, token: world.leader,
                                              body: #"{"household_id":\#(others[6].id)}"#)
            #expect(fixed.status == .ok, "\(fixed.text)")
            for line in waiting where line["id"] as? Int != noAddress["id"] as? Int {
                let dismissed = try await client.json("/api/v1/group-buys/\(buy)/unmatched/\(try #require(line["id"] as? Int))", method: .post, token: world.leader,
                                                      body: #"{"dismiss_reason":"不是订单"}"#)
                #expect(dismissed.status == .ok)
            }
            let settledLines = try #require(try await client.json("/api/v1/group-buys/\(buy)/unmatched", token: world.leader).jsonObject()["lines"] as? [[String: Any]])
            #expect(settledLines.count == 3 && settledLines.allSatisfy { $0["resolution"] != nil }, "set-aside lines are kept with their reason")
            view = try await client.json("/api/v1/group-buys/\(buy)", token: world.leader)
            let ordered = try #require(try Self.items(view).first?["ordered"] as? Int)
            let summary = try view.jsonObject()
            #expect(ordered == 14 && summary["households"] as? Int == 8 && summary["waiting_to_fix"] as? Int == 0)

            // Closed and confirmed; the driver's test is a week old, so the goods wait for a fresh one.
            #expect(try await Self.move(buy, to: "closed", token: world.leader, client: client).status == .ok)
            #expect(try await client.json("/api/v1/group-buys/\(buy)/orders", method: .put, token: householdToken, body: #"{"items":[{"item_id":\#(vegetables),"quantity":1}]}"#).status == .conflict)
            #expect(try await Self.move(buy, to: "confirmed", token: world.leader, client: client).status == .ok)
            let stale = try await Self.move(buy, to: "dispatched", token: world.leader, client: client)
            #expect(stale.status == .conflict && stale.text.contains("driver_test_stale"))
            #expect(try await client.json("/api/v1/suppliers/\(supplier)/driver-test", method: .put, token: world.leader, body: #"{"day":"\#(Self.today)"}"#).status == .forbidden,
                    "the committee's supplier: its staff record the driver's test")
            #expect(try await client.json("/api/v1/suppliers/\(supplier)/driver-test", method: .put, token: world.staff, body: #"{"day":"\#(Self.today)"}"#).status == .ok)
            #expect(try await Self.move(buy, to: "dispatched", token: world.leader, client: client).status == .ok)

            // 11 of 14 vegetable sets arrive: shared by largest remainders, the short units refunded.
            #expect(try await Self.move(buy, to: "at_gate", token: world.leader, client: client).status == .conflict, "count first")
            let counted = try await client.json("/api/v1/group-buys/\(buy)/arrival", method: .post, token: world.leader,
                                                body: #"{"items":[{"item_id":\#(vegetables),"arrived":11},{"item_id":\#(eggs),"arrived":3}]}"#)
            #expect(counted.status == .ok, "\(counted.text)")
            #expect(try counted.jsonObject()["state"] as? String == "at_gate")
            let orders = try #require(try await client.json("/api/v1/group-buys/\(buy)/orders", token: world.leader).jsonObject()["orders"] as? [[String: Any]])
            let vegetableOrders = orders.compactMap { $0["order"] as? [String: Any] }.filter { $0["item_id"] as? Int == vegetables }
            let shares = vegetableOrders.compactMap { $0["allocated"] as? Int }
            #expect(shares.reduce(0, +) == 11 && shares.count == vegetableOrders.count)
            for order in vegetableOrders {
                let (quantity, share) = (try #require(order["quantity"] as? Int), try #require(order["allocated"] as? Int))
                #expect(share <= quantity && order["refund_fen"] as? Int == (quantity - share) * 8800)
            }
            let reference = try FairShares.allocate(arrived: 11, orders: vegetableOrders.map {
                FairShareOrder(id: String(format: "%020d", $0["id"] as? Int ?? 0), quantity: $0["quantity"] as? Int ?? 0, orderedAt: Date())
            })
            #expect(reference.map(\.units).reduce(0, +) == 11)
            #expect(orders.allSatisfy { ($0["phone"] as? String).map { $0.contains("****") || $0.count < 11 } ?? true }, "phones masked in lists")

            // A wrong item reported on one order: refunded, and not paid to the supplier.
            let wrongOrder = try #require(vegetableOrders.first { ($0["allocated"] as? Int ?? 0) > 0 }?["id"] as? Int)
            #expect(try await client.json("/api/v1/group-buy-orders/\(wrongOrder)/problem", method: .post, token: world.leader, body: #"{"kind":"wrong_item","refund_fen":99999999}"#).status == .badRequest)
            #expect(try await client.json("/api/v1/group-buy-orders/\(wrongOrder)/problem", method: .post, token: world.leader, body: #"{"kind":"wrong_item","refund_fen":8800}"#).status == .ok)

            // Delivered door to door after disinfection: one confirmed by the household's code.
            #expect(try await Self.move(buy, to: "disinfected", token: world.leader, client: client).status == .ok)
            let households = Set(orders.compactMap { ($0["order"] as? [String: Any])?["household_id"] as? Int })
            #expect(households.count == 8)
            let wrongCode = try await client.json("/api/v1/group-buys/\(buy)/deliveries", method: .post, token: world.leader, body: #"{"household_id":\#(coded.id),"household_code":"000000"}"#)
            #expect(wrongCode.status == .badRequest)
            let confirmed = try await client.json("/api/v1/group-buys/\(buy)/deliveries", method: .post, token: world.leader,
                                                  body: #"{"household_id":\#(coded.id),"household_code":"\#(coded.code)"}"#)
            #expect(confirmed.status == .ok, "\(confirmed.text)")
            #expect(try confirmed.jsonObject()["confirmed_by_code"] as? Bool == true)
            let early = try await Self.move(buy, to: "handed_out", token: world.leader, client: client)
            #expect(early.status == .conflict && early.text.contains("not_all_delivered"))
            for household in households where household != Int(coded.id.rawValue) {
                #expect(try await client.json("/api/v1/group-buys/\(buy)/deliveries", method: .post, token: world.leader, body: #"{"household_id":\#(household)}"#).status == .ok)
            }
            #expect(try await Self.move(buy, to: "handed_out", token: world.leader, client: client).status == .ok)
            let settled = try await Self.move(buy, to: "settled", token: world.leader, client: client)
            #expect(settled.status == .ok)
            let money = try #require(try settled.jsonObject()["money"] as? [String: Any])
            #expect(money["ordered_fen"] as? Int == 14 * 8800 + 3 * 3500)
            #expect(money["refunds_fen"] as? Int == 3 * 8800 + 8800)
            #expect(money["due_fen"] as? Int == 11 * 8800 + 3 * 3500 - 8800)
            #expect(money["supplier_fen"] as? Int == 11 * 8800 + 3 * 3500 - 8800)
            #expect(try settled.jsonObject()["delivered"] as? Int == 8)

            // The compound's chat group heard it open, arrive short and go out to the doors.
            #expect(try await care.messages(kind: "group_buy.opened").count == 1)
            let atGate = try await care.messages(kind: "group_buy.at_gate")
            #expect(atGate.count == 1 && atGate.first?.text.contains("蔬菜套餐A 到 11份（订 14）") == true, "\(atGate)")
            #expect(try await care.messages(kind: "group_buy.disinfected").count == 1)
            #expect(try await care.messages(kind: "group_buy.failed").isEmpty)

            let audited = try await app.store.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action LIKE 'group_buy.%' AND entity_id = \(bind: "\(buy)")").first()?.decode(column: "n", as: Int.self)
            }
            #expect((audited ?? 0) >= 15)
            #expect(try await GroupBuyOrderTotalsTests.itemsOffTheirOrders(app) == 0, "every way of ordering keeps the items' totals")
        }
    }

    @Test("a buy below its minimum fails and every order is refunded; a small building's buy joins the compound's to reach it", arguments: TestEngine.available)
    func failedAndJoined(engine: TestEngine) async throws {
        let clock = ManualClock(Self.afternoon)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let world = try await Self.world(app, client: client)
            let supplier = try await Self.approvedSupplier(world, client: client)
            let offer = #""supplier_id":\#(supplier),"title":"大米团购","items":[{"name":"东北大米","specification":"10kg","unit":"袋","price_fen":6500,"minimum_quantity":30}]"#
            // Staff open the compound's buy themselves: they do not live there, so they lead as a named proxy.
            let compoundBuy = try await client.json("/api/v1/group-buys", method: .post, token: world.staff, body: #"{"place_id":\#(world.compound.id),\#(offer)}"#)
            try #require(compoundBuy.status == .created, "\(compoundBuy.text)")
            #expect(try compoundBuy.jsonObject()["leader_basis"] as? String == "proxy")
            let buy = try #require(try compoundBuy.jsonObject()["id"] as? Int)
            let rice = try #require(try Self.items(compoundBuy).first?["id"] as? Int)
            let first = try #require(world.households.first?.id)
            let building = try #require(try await app.store.read { db in try await HouseholdRecords.household(id: first, on: db)?.buildingID })
            let buildingBuy = try await client.json("/api/v1/group-buys", method: .post, token: world.staff, body: #"{"place_id":\#(building),\#(offer)}"#)
            try #require(buildingBuy.status == .created, "\(buildingBuy.text)")
            let small = try #require(try buildingBuy.jsonObject()["id"] as? Int)
            let smallRice = try #require(try Self.items(buildingBuy).first?["id"] as? Int)
            for id in [buy, small] {
                #expect(try await Self.move(id, to: "approved", token: world.staff, client: client).status == .ok)
                #expect(try await Self.move(id, to: "open", token: world.staff, client: client).status == .ok)
            }
            let inBuilding = world.households.filter { household in
                world.households.first.map { $0.building == household.building } ?? false
            }
            try #require(inBuilding.count >= 2)
            for (index, household) in inBuilding.prefix(2).enumerated() {
                #expect(try await client.json("/api/v1/group-buys/\(small)/orders", method: .put, token: world.staff,
                                              body: #"{"household_id":\#(household.id),"items":[{"item_id":\#(smallRice),"quantity":\#(index + 1)}]}"#).status == .ok)
            }
            let outside = try #require(world.households.first { $0.building != inBuilding[0].building })
            #expect(try await client.json("/api/v1/group-buys/\(small)/orders", method: .put, token: world.staff,
                                          body: #"{"household_id":\#(outside.id),"items":[{"item_id":\#(smallRice),"quantity":1}]}"#).status == .badRequest, "another building's household")
            #expect(try await client.json("/api/v1/group-buys/\(buy)/orders", method: .put, token: world.staff,
                                          body: #"{"household_id":\#(inBuilding[0].id),"items":[{"item_id":\#(rice),"quantity":2}]}"#).status == .ok)

            // The building's buy joins the compound's: its orders add up there.
            #expect(try await client.json("/api/v1/group-buys/\(buy)/join", method: .post, token: world.staff, body: #"{"into":\#(small)}"#).status == .conflict)
            let joined = try await client.json("/api/v1/group-buys/\(small)/join", method: .post, token: world.staff, body: #"{"into":\#(buy)}"#)
            #expect(joined.status == .ok, "\(joined.text)")
            #expect(try joined.jsonObject()["state"] as? String == "joined" && (try joined.jsonObject()["joined_to"] as? Int) == buy)
            let merged = try await client.json("/api/v1/group-buys/\(buy)", token: world.staff)
            #expect(try Self.items(merged).first?["ordered"] as? Int == 2 + 1 + 2 && (try merged.jsonObject()["households"] as? Int) == 2)

            // Still below 30 bags: it cannot be confirmed; it fails and everyone gets their money back.
            #expect(try await Self.move(buy, to: "closed", token: world.staff, client: client).status == .ok)
            let short = try await Self.move(buy, to: "confirmed", token: world.staff, client: client)
            #expect(short.status == .conflict && short.text.contains("minimum_not_reached"))
            let care = try await CareTestWorld.build(app)
            try await care.addRobot(at: world.compound)
            let failed = try await Self.move(buy, to: "failed", token: world.staff, client: client)
            #expect(failed.status == .ok)
            #expect(try await care.messages(kind: "group_buy.failed").first?.title.contains("大米团购") == true, "the group hears that everyone is refunded")
            let refunds = try #require(try await client.json("/api/v1/group-buys/\(buy)/orders", token: world.staff).jsonObject()["orders"] as? [[String: Any]])
                .compactMap { $0["order"] as? [String: Any] }
            #expect(refunds.map { $0["refund_fen"] as? Int }.sorted { ($0 ?? 0) < ($1 ?? 0) } == [6500 * 2, 6500 * 3])
            #expect(refunds.allSatisfy { $0["problem"] as? String == "refunded" && $0["allocated"] as? Int == 0 })
            #expect(try failed.jsonObject()["money"].flatMap { ($0 as? [String: Any])?["due_fen"] as? Int } == 0)
            #expect(try await Self.move(buy, to: "open", token: world.staff, client: client).status == .conflict, "a failed buy stays failed")
        }
    }

    /// The building's number as people type it ("3" for 3号楼).
    static func number(_ household: HouseholdLabel) -> String {
        household.building.replacingOccurrences(of: "号楼", with: "")
    }

    @Test("the largest order at the largest price, failed, shared short and reported: every sum in fen is kept whole", arguments: TestEngine.available)
    func largestMoney(engine: TestEngine) async throws {
        let clock = ManualClock(Self.afternoon)
        try await TestApp.run(engine, now: { clock.now }) { app, client in
            let world = try await Self.world(app, client: client)
            let supplier = try await Self.approvedSupplier(world, client: client)
            let price = GroupBuyRules.maximumPriceFen, most = GroupBuyRules.maximumOrderQuantity
            var buys: [Int] = []
            for title in ["整车物资（不成团）", "整车物资（到货不足）"] {
                let created = try await client.json("/api/v1/group-buys", method: .post, token: world.staff, body: """
                    {"place_id":\(world.compound.id),"supplier_id":\(supplier),"title":"\(title)","items":[{"name":"整车","unit":"车","price_fen":\(price)}]}
                    """)
                try #require(created.status == .created, "\(created.text)")
                let buy = try #require(try created.jsonObject()["id"] as? Int)
                let item = try #require(try Self.items(created).first?["id"] as? Int)
                for state in ["approved", "open"] { #expect(try await Self.move(buy, to: state, token: world.staff, client: client).status == .ok) }
                for household in world.households.prefix(2) {
                    let ordered = try await client.json("/api/v1/group-buys/\(buy)/orders", method: .put, token: world.staff,
                                                        body: #"{"household_id":\#(household.id),"items":[{"item_id":\#(item),"quantity":\#(most)}]}"#)
                    #expect(ordered.status == .ok, "\(ordered.text)")
                }
                buys.append(buy)
            }
            let failed = try await Self.move(buys[0], to: "failed", token: world.staff, client: client)
            #expect(failed.status == .ok, "\(failed.text)")
            #expect(try failed.jsonObject()["money"].flatMap { ($0 as? [String: Any])?["refunds_fen"] as? Int } == 2 * most * price)

            for state in ["closed", "confirmed", "dispatched"] { #expect(try await Self.move(buys[1], to: state, token: world.staff, client: client).status == .ok) }
            let item = try #require(try Self.items(try await client.json("/api/v1/group-buys/\(buys[1])", token: world.staff)).first?["id"] as? Int)
            let counted = try await client.json("/api/v1/group-buys/\(buys[1])/arrival", method: .post, token: world.staff, body: #"{"items":[{"item_id":\#(item),"arrived":1}]}"#)
            #expect(counted.status == .ok, "\(counted.text)")
            let orders = try #require(try await client.json("/api/v1/group-buys/\(buys[1])/orders", token: world.staff).jsonObject()["orders"] as? [[String: Any]])
                .compactMap { $0["order"] as? [String: Any] }
            #expect(orders.compactMap { $0["refund_fen"] as? Int }.sorted() == [(most - 1) * price, most * price])
            let lucky = try #require(orders.first { $0["allocated"] as? Int == 1 }?["id"] as? Int)
            let reported = try await client.json("/api/v1/group-buy-orders/\(lucky)/problem", method: .post, token: world.staff, body: #"{"kind":"damaged","refund_fen":\#(price)}"#)
            #expect(reported.status == .ok, "\(reported.text)")
            let money = try #require(try await client.json("/api/v1/group-buys/\(buys[1])", token: world.staff).jsonObject()["money"] as? [String: Any])
            #expect(money["ordered_fen"] as? Int == 2 * most * price && money["refunds_fen"] as? Int == 2 * most * price && money["supplier_fen"] as? Int == 0)
        }
    }

    static func jsonBody(_ object: [String: String]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object), as: UTF8.self)
    }
}
