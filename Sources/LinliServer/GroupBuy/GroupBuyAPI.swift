import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Suppliers and group buys over JSON: the approved-supplier list, a buy from draft to settled,
/// its orders (by the household, a volunteer, a chain list or a sheet), the lines waiting to be
/// fixed, the count at the gate, problems and deliveries.
struct GroupBuyAPI {
    let services: AppServices

    struct SupplierBody: Decodable {
        var place_id: Int64?
        var name: String?
        var contact: String?
        var licence_number: String?
        var delivery_pass: String?
        var driver_test_day: String?
    }
    struct ApprovalBody: Decodable { var days: Int? }
    struct DriverTestBody: Decodable { var day: String? }
    struct ItemBody: Decodable {
        var name: String?
        var specification: String?
        var unit: String?
        var price_fen: Int?
        var minimum_quantity: Int?
        var maximum_quantity: Int?
    }
    struct BuyBody: Decodable {
        var place_id: Int64?
        var supplier_id: Int64?
        var leader_user_id: Int64?
        var title: String?
        var delivery_plan: String?
        var opens_at: String?
        var closes_at: String?
        var items: [ItemBody]?
    }
    struct ItemsBody: Decodable { var items: [ItemBody]? }
    struct StateBody: Decodable { var state: String? }
    struct JoinBody: Decodable { var into: Int64? }
    struct OrderLineBody: Decodable {
        var item_id: Int64?
        var quantity: Int?
    }
    struct OrderBody: Decodable {
        var household_id: Int64?
        var items: [OrderLineBody]?
    }
    struct ChainListBody: Decodable {
        var text: String?
        var item_id: Int64?
    }
    struct FixBody: Decodable {
        var household_id: Int64?
        var item_id: Int64?
        var quantity: Int?
        var dismiss_reason: String?
    }
    struct CountBody: Decodable {
        var item_id: Int64?
        var arrived: Int?
    }
    struct ArrivalBody: Decodable { var items: [CountBody]? }
    struct ProblemBody: Decodable {
        var kind: String?
        var refund_fen: Int?
    }
    struct DeliveryBody: Decodable {
        var household_id: Int64?
        var household_code: String?
    }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        let buys = GroupBuyService(services: services)
        let ordering = GroupBuyOrdering(services: services)
        let delivery = GroupBuyDelivery(services: services)
        router.post("suppliers") { request, context -> EditedResponse<SupplierView> in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: SupplierBody.self, context: context)
            guard let place = body.place_id else { throw AppError.required("place_id") }
            guard place > 0 else { throw AppError.notFound }
            _ = try await services.place(PlaceID(place), capability: .manageSupplies, identity: identity)
            let supplier = try await buys.addSupplier(try Self.newSupplier(body), at: PlaceID(place), identity: identity, traceID: context.traceID)
            return EditedResponse(status: .created, response: SupplierView(supplier, now: services.now()))
        }
        router.get("suppliers") { request, context -> SupplierListView in
            let identity = try context.requireUser()
            let place = try CardCustodyService.placeParameter(request)
            let now = services.now()
            return SupplierListView(suppliers: try await buys.suppliers(for: place, identity: identity).map { SupplierView($0, now: now) })
        }
        router.post("suppliers/:id/approval") { request, context -> SupplierView in
            let identity = try context.requireUser()
            let id: SupplierID = try context.parameters.id()
            let (_, path) = try await buys.supplier(id, identity: identity)
            guard identity.grants.allows(.manageSupplies, at: path) else { throw AppError.forbidden }
            let body = try await request.decodeJSON(as: ApprovalBody.self, context: context)
            guard let days = body.days else { throw AppError.required("days") }
            guard (1...GroupBuyRules.maximumApprovalDays).contains(days) else { throw AppError.invalid("days") }
            return SupplierView(try await buys.approveSupplier(id, days: days, identity: identity, traceID: context.traceID), now: services.now())
        }
        router.put("suppliers/:id/driver-test") { request, context -> SupplierView in
            let identity = try context.requireUser()
            let id: SupplierID = try context.parameters.id()
            let (_, path) = try await buys.supplier(id, identity: identity)
            guard identity.grants.allows(.leadGroupBuys, at: path) || identity.grants.allows(.manageSupplies, at: path) else { throw AppError.forbidden }
            let body = try await request.decodeJSON(as: DriverTestBody.self, context: context)
            guard let day = body.day, !day.isEmpty else { throw AppError.required("day") }
            guard LocalDay.date(day, calendar: GroupBuyService.calendar) != nil else { throw AppError.invalid("day") }
            return SupplierView(try await buys.setDriverTest(id, day: day, identity: identity, traceID: context.traceID), now: services.now())
        }
        router.post("group-buys") { request, context -> EditedResponse<GroupBuyView> in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: BuyBody.self, context: context)
            guard let place = body.place_id else { throw AppError.required("place_id") }
            guard place > 0 else { throw AppError.notFound }
            _ = try await services.place(PlaceID(place), capability: .leadGroupBuys, identity: identity)
            let id = try await buys.create(try Self.newBuy(body, place: PlaceID(place)), identity: identity, traceID: context.traceID)
            return EditedResponse(status: .created, response: try await view(id, identity: identity))
        }
        router.get("group-buys") { request, context -> GroupBuyListView in
            let identity = try context.requireUser()
            let placeID = try CardCustodyService.placeParameter(request)
            let place = try await services.store.read { db in try await DirectoryRecords.place(id: placeID, on: db) }
            guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
            let found = try await services.store.read { db in try await GroupBuyRecords.buys(visibleFrom: place.path, on: db) }
            return GroupBuyListView(buys: found.map(GroupBuyListView.Line.init))
        }
        router.get("group-buys/:id") { _, context -> GroupBuyView in
            let id: GroupBuyID = try context.parameters.id()
            switch context.caller {
            case .anonymous: throw AppError.unauthenticated
            case .user(let identity): return try await view(id, identity: identity)
            case .household(let identity): return try await householdView(id, household: identity.household)
            }
        }
        router.put("group-buys/:id/items") { request, context -> GroupBuyView in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, capability: .leadGroupBuys, identity: identity)
            let body = try await request.decodeJSON(as: ItemsBody.self, context: context)
            try await buys.setItems(id, items: try Self.items(body.items), identity: identity, traceID: context.traceID)
            return try await view(id, identity: identity)
        }
        router.post("group-buys/:id/state") { request, context -> GroupBuyView in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, identity: identity)
            let body = try await request.decodeJSON(as: StateBody.self, context: context)
            guard let text = body.state, !text.isEmpty else { throw AppError.required("state") }
            guard let state = GroupBuyState(rawValue: text), state != .joined, state != .draft else { throw AppError.invalid("state") }
            _ = try await buys.move(id, to: state, identity: identity, traceID: context.traceID)
            return try await view(id, identity: identity)
        }
        router.post("group-buys/:id/join") { request, context -> GroupBuyView in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, capability: .leadGroupBuys, identity: identity)
            let body = try await request.decodeJSON(as: JoinBody.self, context: context)
            guard let into = body.into else { throw AppError.required("into") }
            guard into > 0 else { throw AppError.invalid("into") }
            _ = try await buys.join(id, into: GroupBuyID(rawValue: into), identity: identity, traceID: context.traceID)
            return try await view(id, identity: identity)
        }
        router.put("group-buys/:id/orders") { request, context -> HouseholdOrdersView in
            let id: GroupBuyID = try context.parameters.id()
            if case .anonymous = context.caller { throw AppError.unauthenticated }
            // Read before the buy but told after its 404 (see `GroupBuyOrdering.order`).
            let asked: Result<GroupBuyOrdering.Asked, any Error>
            do {
                let body = try await request.decodeJSON(as: OrderBody.self, context: context)
                let lines = try Self.orderLines(body.items)
                if let household = body.household_id, household <= 0 { throw AppError(.badRequest, "group_buy.error.household_unknown", field: "household_id") }
                asked = .success(GroupBuyOrdering.Asked(householdID: body.household_id.map(PlaceID.init(rawValue:)), lines: lines))
            } catch {
                asked = .failure(error)
            }
            let orders = try await ordering.order(id, asked: asked, caller: context.caller, traceID: context.traceID)
            return HouseholdOrdersView(buyID: id, orders: orders.map(OrderView.init))
        }
        router.get("group-buys/:id/orders") { _, context -> OrderListView in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, capability: .handOutSupplies, identity: identity)
            let lines = try await services.store.read { db in try await GroupBuyRecords.orderLines(buyID: id, on: db) }
            return OrderListView(orders: lines.map(OrderListView.Line.init))
        }
        router.post("group-buys/:id/chain-list") { request, context -> ImportView in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, capability: .leadGroupBuys, identity: identity)
            let body = try await request.decodeJSON(as: ChainListBody.self, context: context)
            guard let text = body.text, !text.trimmingWhitespace.isEmpty else { throw AppError.required("text") }
            return ImportView(try await ordering.chainList(id, text: text, defaultItem: body.item_id.map(GroupBuyItemID.init(rawValue:)), identity: identity,
                                                           traceID: context.traceID), language: context.language)
        }
        router.post("group-buys/:id/sheet") { request, context -> ImportView in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, capability: .leadGroupBuys, identity: identity)
            let query = Query(request: request)
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            guard buffer.readableBytes > 0 else { throw AppError.required("file") }
            return ImportView(try await ordering.sheet(id, data: Data(buffer: buffer), fileName: try query.string("filename", maxLength: 200), identity: identity,
                                                       traceID: context.traceID), language: context.language)
        }
        router.get("group-buys/:id/unmatched") { _, context -> UnmatchedListView in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, capability: .leadGroupBuys, identity: identity)
            let lines = try await services.store.read { db in try await GroupBuyRecords.unmatched(buyID: id, includeResolved: true, on: db) }
            return UnmatchedListView(lines: lines.map { UnmatchedLineView($0, language: context.language) })
        }
        router.post("group-buys/:id/unmatched/:line") { request, context -> UnmatchedListView in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, capability: .leadGroupBuys, identity: identity)
            let line: ID<UnmatchedOrderLine> = try context.parameters.id("line")
            let lineID = line.rawValue
            let body = try await request.decodeJSON(as: FixBody.self, context: context)
            let reason = try Self.text(body.dismiss_reason, field: "dismiss_reason", max: GroupBuyRules.maximumTextLength)
            guard body.household_id != nil || reason != nil else { throw AppError.required("household_id") }
            if let household = body.household_id, household <= 0 { throw AppError(.badRequest, "group_buy.error.household_elsewhere", field: "household_id") }
            if let quantity = body.quantity, !(1...GroupBuyRules.maximumOrderQuantity).contains(quantity) { throw AppError.invalid("quantity") }
            try await ordering.resolve(id, lineID: lineID, householdID: body.household_id.map(PlaceID.init(rawValue:)), itemID: body.item_id.map(GroupBuyItemID.init(rawValue:)),
                                       quantity: body.quantity, dismissReason: reason, identity: identity, traceID: context.traceID)
            let lines = try await services.store.read { db in try await GroupBuyRecords.unmatched(buyID: id, includeResolved: true, on: db) }
            return UnmatchedListView(lines: lines.map { UnmatchedLineView($0, language: context.language) })
        }
        router.post("group-buys/:id/arrival") { request, context -> GroupBuyView in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, capability: .leadGroupBuys, identity: identity)
            let body = try await request.decodeJSON(as: ArrivalBody.self, context: context)
            guard let counts = body.items, !counts.isEmpty else { throw AppError.required("items") }
            guard counts.count <= GroupBuyRules.maximumItems else { throw AppError.invalid("items") }
            var arrived: [GroupBuyItemID: Int] = [:]
            for (index, count) in counts.enumerated() {
                guard let item = count.item_id else { throw AppError.required("items[\(index)].item_id") }
                guard let units = count.arrived else { throw AppError.required("items[\(index)].arrived") }
                guard (0...GroupBuyRules.maximumItemQuantity).contains(units) else { throw AppError.invalid("items[\(index)].arrived") }
                arrived[GroupBuyItemID(rawValue: item)] = units
            }
            _ = try await delivery.arrival(id, arrived: arrived, identity: identity, traceID: context.traceID)
            return try await view(id, identity: identity)
        }
        router.post("group-buy-orders/:id/problem") { request, context -> OrderView in
            let identity = try context.requireUser()
            let id: GroupBuyOrderID = try context.parameters.id()
            _ = try await delivery.orderForLeader(id, identity: identity)
            let body = try await request.decodeJSON(as: ProblemBody.self, context: context)
            guard let text = body.kind, !text.isEmpty else { throw AppError.required("kind") }
            guard let kind = GroupBuyDelivery.Problem(rawValue: text) else { throw AppError.invalid("kind") }
            guard let refund = body.refund_fen else { throw AppError.required("refund_fen") }
            guard (0...GroupBuyRules.maximumPriceFen * GroupBuyRules.maximumOrderQuantity).contains(refund) else { throw AppError.invalid("refund_fen") }
            return OrderView(try await delivery.problem(id, kind: kind, refundFen: refund, identity: identity, traceID: context.traceID))
        }
        router.post("group-buys/:id/deliveries") { request, context -> DeliveryView in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, identity: identity)
            let body = try await request.decodeJSON(as: DeliveryBody.self, context: context)
            guard let household = body.household_id else { throw AppError.required("household_id") }
            guard household > 0 else { throw AppError(.badRequest, "group_buy.error.household_elsewhere", field: "household_id") }
            let code = try Self.text(body.household_code, field: "household_code", max: 40)
            let count = try await delivery.deliver(id, householdID: PlaceID(household), code: code, identity: identity, remoteIP: context.remoteIP, traceID: context.traceID)
            return DeliveryView(householdID: PlaceID(household), ordersDelivered: count, confirmedByCode: code != nil)
        }
    }

    // MARK: Views

    func view(_ id: GroupBuyID, identity: UserIdentity) async throws -> GroupBuyView {
        let stored = try await GroupBuyService(services: services).buy(id, identity: identity)
        return try await view(stored, mine: nil)
    }

    func householdView(_ id: GroupBuyID, household: Household) async throws -> GroupBuyView {
        let stored = try await services.store.read { db in try await GroupBuyRecords.buy(id: id, on: db) }
        guard let stored, stored.path.contains(household.path) else { throw AppError.notFound }
        let mine = try await services.store.read { db in try await GroupBuyRecords.orders(buyID: id, householdID: household.id, on: db) }
        return try await view(stored, mine: mine)
    }

    func view(_ stored: StoredGroupBuy, mine: [GroupBuyOrder]?) async throws -> GroupBuyView {
        let (supplier, items, orders, waiting) = try await services.store.read { db in
            (try await GroupBuyRecords.supplier(id: stored.buy.supplierID, on: db)?.0,
             try await GroupBuyRecords.items(buyID: stored.buy.id, on: db),
             try await GroupBuyRecords.orders(buyID: stored.buy.id, on: db),
             try await GroupBuyRecords.unmatched(buyID: stored.buy.id, on: db).count)
        }
        return GroupBuyView(stored: stored, supplier: supplier, items: items, orders: orders, waiting: waiting, mine: mine, now: services.now())
    }

    // MARK: Input

    static func text(_ value: String?, field: String, max: Int) throws -> String? {
        guard let trimmed = value?.trimmingWhitespace, !trimmed.isEmpty else { return nil }
        guard trimmed.count <= max else { throw AppError.tooLong(field, max: max) }
        guard !trimmed.containsControlCharacters else { throw AppError.invalid(field) }
        return trimmed
    }

    static func required(_ value: String?, field: String, max: Int) throws -> String {
        guard let text = try text(value, field: field, max: max) else { throw AppError.required(field) }
        return text
    }

    static func newSupplier(_ body: SupplierBody) throws -> GroupBuyService.NewSupplier {
        let day = try text(body.driver_test_day, field: "driver_test_day", max: 10)
        if let day, LocalDay.date(day, calendar: GroupBuyService.calendar) == nil { throw AppError.invalid("driver_test_day") }
        return GroupBuyService.NewSupplier(name: try required(body.name, field: "name", max: GroupBuyRules.maximumTitleLength),
                                           contact: try text(body.contact, field: "contact", max: GroupBuyRules.maximumTitleLength),
                                           licenceNumber: try required(body.licence_number, field: "licence_number", max: 60),
                                           deliveryPass: try text(body.delivery_pass, field: "delivery_pass", max: 60), driverTestDay: day)
    }

    static func date(_ text: String?, field: String) throws -> Date? {
        guard let text, !text.isEmpty else { return nil }
        guard text.count <= 40, let date = ISO8601DateFormatter().date(from: text), date.isRepresentable else { throw AppError.invalid(field) }
        return date
    }

    static func newBuy(_ body: BuyBody, place: PlaceID) throws -> GroupBuyService.NewBuy {
        guard let supplier = body.supplier_id else { throw AppError.required("supplier_id") }
        guard supplier > 0 else { throw AppError.invalid("supplier_id") }
        if let leader = body.leader_user_id, leader <= 0 { throw AppError.invalid("leader_user_id") }
        let opens = try date(body.opens_at, field: "opens_at")
        let closes = try date(body.closes_at, field: "closes_at")
        if let opens, let closes, closes <= opens { throw AppError.invalid("closes_at") }
        return GroupBuyService.NewBuy(placeID: place, supplierID: SupplierID(rawValue: supplier), leaderUserID: body.leader_user_id.map(UserID.init(rawValue:)),
                                      title: try required(body.title, field: "title", max: GroupBuyRules.maximumTitleLength),
                                      deliveryPlan: try text(body.delivery_plan, field: "delivery_plan", max: GroupBuyRules.maximumTextLength),
                                      opensAt: opens, closesAt: closes, items: try items(body.items))
    }

    static func items(_ bodies: [ItemBody]?) throws -> [GroupBuyRecords.NewItem] {
        guard let bodies, !bodies.isEmpty else { throw AppError.required("items") }
        guard bodies.count <= GroupBuyRules.maximumItems else { throw AppError.invalid("items") }
        var names = Set<String>()
        return try bodies.enumerated().map { index, body in
            let field = "items[\(index)]"
            let name = try required(body.name, field: "\(field).name", max: GroupBuyRules.maximumTitleLength)
            guard names.insert(name).inserted else { throw AppError(.badRequest, "group_buy.error.item_twice", field: "\(field).name") }
            guard let price = body.price_fen else { throw AppError.required("\(field).price_fen") }
            guard (1...GroupBuyRules.maximumPriceFen).contains(price) else { throw AppError.invalid("\(field).price_fen") }
            let minimum = body.minimum_quantity ?? 0
            guard (0...GroupBuyRules.maximumItemQuantity).contains(minimum) else { throw AppError.invalid("\(field).minimum_quantity") }
            if let maximum = body.maximum_quantity, !(max(1, minimum)...GroupBuyRules.maximumItemQuantity).contains(maximum) {
                throw AppError.invalid("\(field).maximum_quantity")
            }
            return GroupBuyRecords.NewItem(name: name, specification: try text(body.specification, field: "\(field).specification", max: GroupBuyRules.maximumTitleLength),
                                           unit: try required(body.unit, field: "\(field).unit", max: 10), priceFen: price, minimumQuantity: minimum,
                                           maximumQuantity: body.maximum_quantity)
        }
    }

    static func orderLines(_ bodies: [OrderLineBody]?) throws -> [GroupBuyOrdering.Line] {
        guard let bodies, !bodies.isEmpty else { throw AppError.required("items") }
        guard bodies.count <= GroupBuyRules.maximumItems else { throw AppError.invalid("items") }
        return try bodies.enumerated().map { index, body in
            guard let item = body.item_id else { throw AppError.required("items[\(index)].item_id") }
            guard let quantity = body.quantity else { throw AppError.required("items[\(index)].quantity") }
            guard (0...GroupBuyRules.maximumOrderQuantity).contains(quantity) else { throw AppError.invalid("items[\(index)].quantity") }
            return GroupBuyOrdering.Line(itemID: GroupBuyItemID(rawValue: item), quantity: quantity)
        }
    }
}
