import Foundation
import LinliCore
import LinliStore
import Testing

extension AccessMatrixTests {
    /// Suppliers and group buys: a supplier, an open buy and one order of it at each place a
    /// `.place` aim names, with the same relation; GroupBuyHTTPTests checks the answers themselves.
    static let groupBuyMatrix: [(route: String, probes: [Probe])] = [
        ("POST /api/v1/suppliers", [
            Probe(label: "supplier, no place", uri: "/api/v1/suppliers", target: .none, rule: .anyUser, allowed: .badRequest, body: "{}", field: "place_id"),
        ]),
        ("GET /api/v1/suppliers", [
            Probe(label: "suppliers", uri: "/api/v1/suppliers?place={id}", target: .place, rule: .capability(.viewDirectory, wayDown: false), allowed: .ok),
        ]),
        ("POST /api/v1/suppliers/{id}/approval", [
            Probe(label: "approval, no days", uri: "/api/v1/suppliers/{id}/approval", target: .supplier, rule: .sharedDown(.manageSupplies, households: false),
                  allowed: .badRequest, body: #"{"days":0}"#, field: "days"),
        ]),
        ("PUT /api/v1/suppliers/{id}/driver-test", [
            Probe(label: "driver test, no such day", uri: "/api/v1/suppliers/{id}/driver-test", target: .supplier, rule: .sharedDown(.leadGroupBuys, households: false),
                  allowed: .badRequest, body: #"{"day":"2022-13-01"}"#, field: "day"),
        ]),
        ("POST /api/v1/group-buys", [
            Probe(label: "buy, no place", uri: "/api/v1/group-buys", target: .none, rule: .anyUser, allowed: .badRequest, body: "{}", field: "place_id"),
        ]),
        ("GET /api/v1/group-buys", [
            Probe(label: "buys", uri: "/api/v1/group-buys?place={id}", target: .place, rule: .capability(.viewDirectory, wayDown: false), allowed: .ok),
        ]),
        ("GET /api/v1/group-buys/{id}", [
            Probe(label: "buy", uri: "/api/v1/group-buys/{id}", target: .groupBuy, rule: .sharedDown(nil, households: true), allowed: .ok),
        ]),
        ("PUT /api/v1/group-buys/{id}/items", [
            Probe(label: "items, none", uri: "/api/v1/group-buys/{id}/items", target: .groupBuy, rule: .sharedDown(.leadGroupBuys, households: false),
                  allowed: .badRequest, body: #"{"items":[]}"#, field: "items"),
        ]),
        ("POST /api/v1/group-buys/{id}/state", [
            Probe(label: "state, unknown", uri: "/api/v1/group-buys/{id}/state", target: .groupBuy, rule: .sharedDown(nil, households: false),
                  allowed: .badRequest, body: #"{"state":"gone"}"#, field: "state"),
        ]),
        ("POST /api/v1/group-buys/{id}/join", [
            Probe(label: "join, nothing", uri: "/api/v1/group-buys/{id}/join", target: .groupBuy, rule: .sharedDown(.leadGroupBuys, households: false),
                  allowed: .badRequest, body: "{}", field: "into"),
        ]),
        ("PUT /api/v1/group-buys/{id}/orders", [
            Probe(label: "order, nothing", uri: "/api/v1/group-buys/{id}/orders", target: .groupBuy, rule: .sharedDown(nil, households: true),
                  allowed: .badRequest, body: "{}", field: "items"),
        ]),
        ("GET /api/v1/group-buys/{id}/orders", [
            Probe(label: "orders", uri: "/api/v1/group-buys/{id}/orders", target: .groupBuy, rule: .sharedDown(.handOutSupplies, households: false), allowed: .ok),
        ]),
        ("POST /api/v1/group-buys/{id}/chain-list", [
            Probe(label: "chain list, empty", uri: "/api/v1/group-buys/{id}/chain-list", target: .groupBuy, rule: .sharedDown(.leadGroupBuys, households: false),
                  allowed: .badRequest, body: #"{"text":" "}"#, field: "text"),
        ]),
        ("POST /api/v1/group-buys/{id}/sheet", [
            Probe(label: "sheet, empty", uri: "/api/v1/group-buys/{id}/sheet", target: .groupBuy, rule: .sharedDown(.leadGroupBuys, households: false),
                  allowed: .badRequest, body: "", field: "file"),
        ]),
        ("GET /api/v1/group-buys/{id}/unmatched", [
            Probe(label: "lines to fix", uri: "/api/v1/group-buys/{id}/unmatched", target: .groupBuy, rule: .sharedDown(.leadGroupBuys, households: false), allowed: .ok),
        ]),
        ("POST /api/v1/group-buys/{id}/unmatched/{line}", [
            Probe(label: "fix, nothing said", uri: "/api/v1/group-buys/{id}/unmatched/1", target: .groupBuy, rule: .sharedDown(.leadGroupBuys, households: false),
                  allowed: .badRequest, body: "{}", field: "household_id"),
        ]),
        ("POST /api/v1/group-buys/{id}/arrival", [
            Probe(label: "arrival, nothing counted", uri: "/api/v1/group-buys/{id}/arrival", target: .groupBuy, rule: .sharedDown(.leadGroupBuys, households: false),
                  allowed: .badRequest, body: "{}", field: "items"),
        ]),
        ("POST /api/v1/group-buys/{id}/deliveries", [
            Probe(label: "delivery, no household", uri: "/api/v1/group-buys/{id}/deliveries", target: .groupBuy, rule: .sharedDown(nil, households: false),
                  allowed: .badRequest, body: "{}", field: "household_id"),
        ]),
        ("POST /api/v1/group-buy-orders/{id}/problem", [
            Probe(label: "problem, unknown", uri: "/api/v1/group-buy-orders/{id}/problem", target: .groupBuyOrder, rule: .sharedDown(.leadGroupBuys, households: false),
                  allowed: .badRequest, body: #"{"kind":"late","refund_fen":0}"#, field: "kind"),
        ]),
    ]

    /// Gives every caller `.supplier`, `.groupBuy` and `.groupBuyOrder` aims: a supplier and an
    /// open buy at each place its `.place` aims name, with one order of the first household under
    /// it, and the missing id.
    static func addGroupBuys(to callers: [Caller], app: TestApp) async throws -> [Caller] {
        var made: [Int64: (supplier: Int64, buy: Int64, order: Int64)] = [:]
        let now = Date(timeIntervalSince1970: 1_650_000_000)
        var result: [Caller] = []
        for var caller in callers {
            var suppliers: [Aim] = []
            var buys: [Aim] = []
            var orders: [Aim] = []
            for aim in caller.targets[.place] ?? [] {
                guard aim.relation != .missing else { suppliers.append(aim); buys.append(aim); orders.append(aim); continue }
                if made[aim.id] == nil {
                    made[aim.id] = try await app.store.write { db -> (Int64, Int64, Int64) in
                        let place = PlaceID(aim.id)
                        let user = try #require(try await db.raw("SELECT MIN(id) AS id FROM users").first()?.decode(column: "id", as: UserID.self))
                        let supplier = try await GroupBuyRecords.createSupplier(placeID: place, name: "矩阵供应商", contact: nil, licenceNumber: "9131", deliveryPass: nil,
                                                                                driverTestDay: nil, by: user, now: now, on: db)
                        let buy = try await GroupBuyRecords.createBuy(placeID: place, supplierID: supplier.id, leader: user, leaderBasis: "proxy", proxyNamedBy: user,
                                                                      title: "矩阵团购", deliveryPlan: nil, opensAt: nil, closesAt: nil,
                                                                      items: [.init(name: "大米", specification: nil, unit: "袋", priceFen: 6500, minimumQuantity: 0, maximumQuantity: nil)],
                                                                      now: now, on: db)
                        try await GroupBuyRecords.setState(buyID: buy, to: .open, now: now, on: db)
                        let path = try #require(try await DirectoryRecords.place(id: place, on: db)?.path)
                        let range = path.descendantRange
                        let household = try #require(try await db.raw("""
                            SELECT id FROM households WHERE path > \(bind: range.after) AND path < \(bind: range.before) ORDER BY path LIMIT 1
                            """).first()?.decode(column: "id", as: PlaceID.self))
                        let item = try #require(try await GroupBuyRecords.items(buyID: buy, on: db).first)
                        try await GroupBuyRecords.setOrder(buyID: buy, item: item, householdID: household, quantity: 1, source: .volunteer, followNumber: nil, note: nil,
                                                           by: user, now: now, on: db)
                        let order = try #require(try await GroupBuyRecords.orders(buyID: buy, on: db).first)
                        return (supplier.id.rawValue, buy.rawValue, order.id.rawValue)
                    }
                }
                let ids = try #require(made[aim.id])
                suppliers.append(Aim(aim.relation, ids.supplier))
                buys.append(Aim(aim.relation, ids.buy))
                orders.append(Aim(aim.relation, ids.order))
            }
            caller.targets[.supplier] = suppliers
            caller.targets[.groupBuy] = buys
            caller.targets[.groupBuyOrder] = orders
            result.append(caller)
        }
        return result
    }
}
