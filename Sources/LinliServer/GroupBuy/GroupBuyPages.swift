import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Group buys on the phone and on paper: the list, a buy's page (its offer and totals; the
/// household's order form; the leader's steps, chain-list paste, sheet upload and lines to fix),
/// the supplier's order sheet, each building's distribution sheet with the delivery tick, and
/// one slip per household. Phone numbers are masked everywhere.
struct GroupBuyPages {
    let services: AppServices
    var buys: GroupBuyService { GroupBuyService(services: services) }

    struct StateForm: Decodable {
        var _csrf: String?
        var state: String?
        /// "yes" once the person has seen the question: failing and settling cannot be undone.
        var confirmed: String?
    }
    struct OrderForm: Decodable {
        var _csrf: String?
        var household_id: String?
        var item: [String]?
        var quantity: [String]?
    }
    struct PasteForm: Decodable {
        var _csrf: String?
        var text: String?
    }
    struct DismissForm: Decodable {
        var _csrf: String?
        var reason: String?
    }
    struct DeliveryForm: Decodable {
        var _csrf: String?
        var household_id: String?
        var household_code: String?
    }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("group-buys") { request, context -> Response in
            try await list(request, context: context)
        }
        router.get("group-buys/:id") { request, context -> Response in
            let id: GroupBuyID = try context.parameters.id()
            return try await page(id, context: context, banner: noticeBanner(request, context), errors: [])
        }
        router.post("group-buys/:id/order") { request, context -> Response in
            let id: GroupBuyID = try context.parameters.id()
            let household = try await orderingHousehold(id, context: context)
            let form = try await request.decodeForm(as: OrderForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                let items = form.item ?? [], quantities = form.quantity ?? []
                guard items.count == quantities.count, items.count <= GroupBuyRules.maximumItems else { throw AppError.invalid("quantity") }
                var lines: [GroupBuyOrdering.Line] = []
                for (item, typed) in zip(items, quantities) {
                    guard let itemID = Int64(item), itemID > 0 else { throw AppError.invalid("quantity") }
                    let trimmed = typed.trimmingWhitespace
                    let quantity = trimmed.isEmpty || trimmed == "0" ? 0 : OrderSheet.quantity(trimmed) ?? -1
                    guard (0...GroupBuyRules.maximumOrderQuantity).contains(quantity) else { throw AppError(.badRequest, "group_buy.error.quantity", field: "quantity") }
                    lines.append(GroupBuyOrdering.Line(itemID: GroupBuyItemID(rawValue: itemID), quantity: quantity))
                }
                _ = try await GroupBuyOrdering(services: services).order(id, householdID: household, lines: lines, caller: context.caller, traceID: context.traceID)
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                return try await page(id, context: context, banner: nil, errors: [FieldMessage(field: error.field ?? "quantity", message: error.message(in: context.language))],
                                      typed: Dictionary(zip(form.item ?? [], form.quantity ?? []), uniquingKeysWith: { first, _ in first })).withStatus(error.status)
            }
            return redirect(to: "/group-buys/\(id)?notice=group_buy_ordered")
        }
        router.post("group-buys/:id/state") { request, context -> Response in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            let stored = try await buys.buy(id, identity: identity)
            let form = try await request.decodeForm(as: StateForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            guard let text = form.state, let target = GroupBuyState(rawValue: text), GroupBuyRules.next(from: stored.buy.state).contains(target) else {
                throw AppError.invalid("state")
            }
            if (target == .failed || target == .settled) && form.confirmed != "yes" {
                let content = Confirm(id: id, state: target.rawValue, question: context.text("group_buy.page.confirm_\(target.rawValue)"),
                                      warning: context.text("group_buy.page.confirm_\(target.rawValue)_warning"))
                return try PageView(template: "group-buy/confirm", title: stored.buy.title, content: content).response(context)
            }
            do {
                _ = try await buys.move(id, to: target, identity: identity, traceID: context.traceID)
            } catch let error as AppError where error.status == .conflict {
                return try await page(id, context: context, banner: nil, errors: [FieldMessage(field: "state", message: error.message(in: context.language))]).withStatus(.conflict)
            }
            return redirect(to: "/group-buys/\(id)?notice=group_buy_moved")
        }
        router.post("group-buys/:id/chain-list") { request, context -> Response in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, capability: .leadGroupBuys, identity: identity)
            let form = try await request.decodeForm(as: PasteForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                guard let text = form.text, !text.trimmingWhitespace.isEmpty else { throw AppError.required("text") }
                _ = try await GroupBuyOrdering(services: services).chainList(id, text: text, defaultItem: nil, identity: identity, traceID: context.traceID)
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                return try await page(id, context: context, banner: nil, errors: [FieldMessage(field: "text", message: error.message(in: context.language))],
                                      pasted: form.text ?? "").withStatus(error.status)
            }
            return redirect(to: "/group-buys/\(id)?notice=group_buy_imported#to-fix")
        }
        router.post("group-buys/:id/sheet") { request, context -> Response in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, capability: .leadGroupBuys, identity: identity)
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            guard let form = MultipartForm(contentType: request.headers[.contentType] ?? "", body: Data(buffer: buffer)) else { throw AppError.required("file") }
            try context.verifyCSRF(form.value("_csrf"))
            do {
                guard let file = form.file("file"), !file.data.isEmpty else { throw AppError.required("file") }
                _ = try await GroupBuyOrdering(services: services).sheet(id, data: file.data, fileName: file.fileName, identity: identity, traceID: context.traceID)
            } catch let error as AppError where [.badRequest, .conflict, .unprocessableContent].contains(error.status) {
                return try await page(id, context: context, banner: nil, errors: [FieldMessage(field: "file", message: error.message(in: context.language))]).withStatus(error.status)
            }
            return redirect(to: "/group-buys/\(id)?notice=group_buy_imported#to-fix")
        }
        router.post("group-buys/:id/lines/:line/dismiss") { request, context -> Response in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, capability: .leadGroupBuys, identity: identity)
            let line: ID<UnmatchedOrderLine> = try context.parameters.id("line")
            let form = try await request.decodeForm(as: DismissForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let reason = try GroupBuyAPI.text(form.reason, field: "reason", max: GroupBuyRules.maximumTextLength) ?? context.text("group_buy.page.dismissed_default")
            try await GroupBuyOrdering(services: services).resolve(id, lineID: line.rawValue, householdID: nil, itemID: nil, quantity: nil, dismissReason: reason,
                                                                   identity: identity, traceID: context.traceID)
            return redirect(to: "/group-buys/\(id)?notice=group_buy_line_dismissed#to-fix")
        }
        router.get("group-buys/:id/supplier-sheet") { _, context -> Response in
            let identity = try context.requireUser()
            return try await supplierSheet(try context.parameters.id(), identity: identity, context: context)
        }
        router.get("group-buys/:id/buildings/:building") { request, context -> Response in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, identity: identity)
            return try await buildingSheet(id, building: try context.parameters.id("building"), identity: identity, context: context,
                                           banner: noticeBanner(request, context), errors: [])
        }
        router.post("group-buys/:id/deliveries") { request, context -> Response in
            let identity = try context.requireUser()
            let id: GroupBuyID = try context.parameters.id()
            _ = try await buys.buy(id, identity: identity)
            let form = try await request.decodeForm(as: DeliveryForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            guard let raw = form.household_id.flatMap({ Int64($0) }), raw > 0 else { throw AppError.invalid("household_id") }
            let household = PlaceID(raw)
            let building = try await services.store.read { db in try await HouseholdRecords.household(id: household, on: db)?.buildingID }
            guard let building else { throw AppError.notFound }
            do {
                let code = try GroupBuyAPI.text(form.household_code, field: "household_code", max: 40)
                _ = try await GroupBuyDelivery(services: services).deliver(id, householdID: household, code: code, identity: identity, remoteIP: context.remoteIP, traceID: context.traceID)
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                return try await buildingSheet(id, building: building, identity: identity, context: context, banner: nil,
                                               errors: [FieldMessage(field: "code-\(household)", message: error.message(in: context.language))]).withStatus(error.status)
            }
            return redirect(to: "/group-buys/\(id)/buildings/\(building)?notice=group_buy_delivered#household-\(household)")
        }
        router.get("group-buys/:id/slips") { _, context -> Response in
            let identity = try context.requireUser()
            return try await slips(try context.parameters.id(), identity: identity, context: context)
        }
    }

    // MARK: The list

    struct ListLine {
        var href: String
        var title: String
        var place: String
        var state: String
        var tone: String
    }
    struct ListContent {
        var buys: [ListLine]
        var isEmpty: Bool
        var canOpen: Bool
        var seesSuppliers: Bool
    }

    static func tone(_ state: GroupBuyState) -> String {
        switch state {
        case .open: "new"
        case .failed: "overdue"
        case .settled, .joined: "done"
        default: "accepted"
        }
    }

    func list(_ request: Request, context: LinliRequestContext) async throws -> Response {
        let path: PlacePath
        switch context.caller {
        case .anonymous: throw AppError.unauthenticated
        case .household(let identity): path = identity.household.path
        case .user(let identity):
            if let id = try Query(request: request).placeID("place") {
                let place = try await services.store.read { db in try await DirectoryRecords.place(id: id, on: db) }
                guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
                path = place.path
            } else {
                guard let scope = identity.grants.scopes(for: .viewDirectory).first else { throw AppError.forbidden }
                path = scope
            }
        }
        var found = try await services.store.read { db in try await GroupBuyRecords.buys(visibleFrom: path, on: db) }
        // A household sees the buys covering it that it can still order from or has ordered from.
        if case .household = context.caller {
            found = found.filter { path.ids.contains($0.buy.placeID) && ($0.buy.state == .open || !$0.buy.state.isFinished) }
        }
        let lines = found.map {
            ListLine(href: "/group-buys/\($0.buy.id)", title: $0.buy.title, place: $0.placeName, state: context.text("group_buy.state.\($0.buy.state.rawValue)"),
                     tone: Self.tone($0.buy.state))
        }
        var canOpen = false, seesSuppliers = false
        if case .user(let identity) = context.caller {
            canOpen = !identity.grants.scopes(for: .leadGroupBuys).isEmpty
            seesSuppliers = canOpen || !identity.grants.scopes(for: .manageSupplies).isEmpty
        }
        return try PageView(template: "group-buy/list", title: context.text("group_buy.page.list_title"),
                            content: ListContent(buys: lines, isEmpty: lines.isEmpty, canOpen: canOpen, seesSuppliers: seesSuppliers),
                            banner: noticeBanner(request, context)).response(context)
    }

    // MARK: A buy's page

    struct ItemLine {
        var id: GroupBuyItemID
        var name: String
        var specification: String
        var price: String
        var minimum: Int
        var ordered: Int
        var arrived: String
        var typed: String
        var inputID: String
    }
    struct MyLine {
        var text: String
    }
    struct StateButton {
        var state: String
        var label: String
        var warning: Bool
    }
    struct BuildingLink {
        var href: String
        var label: String
    }
    struct WaitingLine {
        var lineID: Int64
        var text: String
        var message: String
        var settled: String?
    }
    struct PageContent {
        var id: GroupBuyID
        var summary: String
        var state: String
        var tone: String
        var deliveryPlan: String?
        var items: [ItemLine]
        var canOrder: Bool
        var forHousehold: Bool
        var householdField: FormField?
        var mine: [MyLine]
        var hasMine: Bool
        var money: String?
        var leads: Bool
        var steps: [StateButton]
        var pasted: String
        var waiting: [WaitingLine]
        var hasWaiting: Bool
        var buildings: [BuildingLink]
        var printable: Bool
    }

    /// The household a page order is for: the household session's own, or the one a volunteer names.
    func orderingHousehold(_ id: GroupBuyID, context: LinliRequestContext) async throws -> PlaceID? {
        switch context.caller {
        case .anonymous: throw AppError.unauthenticated
        case .household(let identity):
            let stored = try await services.store.read { db in try await GroupBuyRecords.buy(id: id, on: db) }
            guard let stored, stored.path.contains(identity.household.path) else { throw AppError.notFound }
            return nil
        case .user(let identity):
            _ = try await buys.buy(id, identity: identity)
            return nil
        }
    }

    func page(_ id: GroupBuyID, context: LinliRequestContext, banner: String?, errors: [FieldMessage], typed: [String: String] = [:], pasted: String = "") async throws -> Response {
        let stored: StoredGroupBuy
        var household: Household?
        var identity: UserIdentity?
        switch context.caller {
        case .anonymous: throw AppError.unauthenticated
        case .household(let session):
            guard let found = try await services.store.read({ db in try await GroupBuyRecords.buy(id: id, on: db) }), found.path.contains(session.household.path) else {
                throw AppError.notFound
            }
            stored = found
            household = session.household
        case .user(let user):
            stored = try await buys.buy(id, identity: user)
            identity = user
        }
        let buy = stored.buy
        let householdID = household?.id
        let (supplier, items, orders, waiting, buildings) = try await services.store.read { db in
            (try await GroupBuyRecords.supplier(id: buy.supplierID, on: db)?.0,
             try await GroupBuyRecords.items(buyID: id, on: db),
             try await GroupBuyRecords.orders(buyID: id, on: db),
             try await GroupBuyRecords.unmatched(buyID: id, includeResolved: true, on: db),
             try await GroupBuyRecords.buildings(buyID: id, on: db))
        }
        let totals = GroupBuyRules.totals(orders)
        let now = services.now()
        let leads = identity?.grants.allows(.leadGroupBuys, at: stored.path) == true
        let approves = identity?.grants.allows(.manageSupplies, at: stored.path) == true
        let accepting = GroupBuyRules.acceptsOrders(state: buy.state, opensAt: buy.opensAt, closesAt: buy.closesAt, now: now)
        let mineOrders = householdID.map { own in orders.filter { $0.householdID == own } } ?? []
        let itemLines = items.map { item in
            let mine = mineOrders.first { $0.itemID == item.id }?.quantity
            return ItemLine(id: item.id, name: item.name, specification: [item.specification, item.unit].compactMap { $0 }.joined(separator: " / "),
                            price: MedicineYuan.text(fen: item.priceFen), minimum: item.minimumQuantity, ordered: totals[item.id, default: 0],
                            arrived: item.arrived.map(String.init) ?? "—", typed: typed["\(item.id)"] ?? mine.map(String.init) ?? "", inputID: "quantity-\(item.id)")
        }
        let names = Dictionary(items.map { ($0.id, $0.name) }, uniquingKeysWith: { first, _ in first })
        let mine = mineOrders.map { order in
            MyLine(text: context.text("group_buy.page.my_order", [
                "item": names[order.itemID] ?? "", "quantity": "\(order.quantity)",
                "share": order.allocated.map { "\($0)" } ?? "—", "refund": MedicineYuan.text(fen: order.refundFen + order.problemRefundFen),
                "delivered": context.text(order.deliveredAt == nil ? "group_buy.page.not_delivered" : "group_buy.page.delivered"),
            ]))
        }
        let money = GroupBuyDelivery.money(items: items, orders: orders)
        let steps = GroupBuyRules.next(from: buy.state).filter { GroupBuyRules.needsApproval($0) ? approves : leads }.map {
            StateButton(state: $0.rawValue, label: context.text("group_buy.page.to_\($0.rawValue)"), warning: $0 == .failed)
        }
        let summary = context.text("group_buy.page.summary", [
            "place": stored.placeName, "supplier": supplier?.name ?? "", "households": "\(Set(orders.map(\.householdID)).count)",
            "basis": context.text("group_buy.page.basis_\(stored.leaderBasis == "proxy" ? "proxy" : "resident")"),
        ])
        let content = PageContent(
            id: id, summary: summary, state: context.text("group_buy.state.\(buy.state.rawValue)"), tone: Self.tone(buy.state), deliveryPlan: buy.deliveryPlan,
            items: itemLines, canOrder: accepting && (household != nil || identity?.grants.allows(.handOutSupplies, at: stored.path) == true || leads),
            forHousehold: household != nil,
            householdField: household == nil ? FormField("household_id", label: context.text("group_buy.page.household_id"), hint: context.text("group_buy.page.household_id_hint"),
                                                         error: errors.first { $0.field == "household_id" }?.message, inputmode: "numeric", maxlength: 20) : nil,
            mine: mine, hasMine: !mine.isEmpty,
            money: leads || approves ? context.text("group_buy.page.money", [
                "ordered": MedicineYuan.text(fen: money.orderedFen), "refunds": MedicineYuan.text(fen: money.refundsFen),
                "due": MedicineYuan.text(fen: money.dueFen), "supplier": MedicineYuan.text(fen: money.supplierFen),
            ]) : nil,
            leads: leads && buy.state.takesOrders, steps: steps, pasted: pasted,
            waiting: leads ? waiting.map { WaitingLine(lineID: $0.id, text: $0.text, message: context.text($0.problem),
                                                        settled: $0.resolution.map { context.text("group_buy.page.line_\($0)") }) } : [],
            hasWaiting: leads && !waiting.isEmpty,
            buildings: identity == nil ? [] : buildings.map { BuildingLink(href: "/group-buys/\(id)/buildings/\($0.id)", label: context.text("group_buy.page.building_link", ["building": $0.name, "households": "\($0.households)"])) },
            printable: identity != nil && !orders.isEmpty
        )
        return try PageView(template: "group-buy/buy", title: buy.title, content: content,
                            breadcrumbs: [Link(href: "/group-buys", label: context.text("nav.group_buys"))], banner: banner, errors: errors).response(context)
    }

    struct Confirm {
        var id: GroupBuyID
        var state: String
        var question: String
        var warning: String
    }

    // MARK: Papers

    struct SheetColumn {
        var name: String
    }
    struct SheetRow {
        var label: String
        var cells: [String]
    }
    struct SupplierSheet {
        var summary: String
        var columns: [SheetColumn]
        var rows: [SheetRow]
        var totals: [String]
    }

    /// What to load and where: item totals per building, for the supplier to pack by building.
    func supplierSheet(_ id: GroupBuyID, identity: UserIdentity, context: LinliRequestContext) async throws -> Response {
        let stored = try await buys.buy(id, capability: .handOutSupplies, identity: identity)
        let (supplier, items, lines) = try await services.store.read { db in
            (try await GroupBuyRecords.supplier(id: stored.buy.supplierID, on: db)?.0, try await GroupBuyRecords.items(buyID: id, on: db),
             try await GroupBuyRecords.orderLines(buyID: id, on: db))
        }
        var buildings: [String] = []
        var counts: [String: [GroupBuyItemID: Int]] = [:]
        for line in lines {
            if counts[line.building] == nil { buildings.append(line.building) }
            counts[line.building, default: [:]][line.order.itemID, default: 0] += line.order.toDeliver
        }
        let content = SupplierSheet(
            summary: context.text("group_buy.page.supplier_summary", ["supplier": supplier?.name ?? "", "place": stored.placeName, "title": stored.buy.title]),
            columns: items.map { SheetColumn(name: [$0.name, $0.specification].compactMap { $0 }.joined(separator: " ")) },
            rows: buildings.map { building in SheetRow(label: building, cells: items.map { "\(counts[building]?[$0.id] ?? 0)" }) },
            totals: items.map { item in "\(lines.filter { $0.order.itemID == item.id }.reduce(0) { $0 + $1.order.toDeliver })" })
        return try PageView(template: "group-buy/supplier-sheet", title: context.text("group_buy.page.supplier_sheet"), content: content,
                            breadcrumbs: [Link(href: "/group-buys/\(id)", label: stored.buy.title)]).response(context)
    }

    struct DeliveryRow {
        var householdID: PlaceID
        var room: String
        var phone: String
        var cells: [String]
        var delivered: String?
        var canTick: Bool
        var codeError: String?
    }
    struct BuildingSheet {
        var id: GroupBuyID
        var summary: String
        var columns: [SheetColumn]
        var rows: [DeliveryRow]
        var isEmpty: Bool
    }

    /// One building's sheet: a row per household, a column per item, the delivery tick (with the
    /// household's code) once the goods are disinfected.
    func buildingSheet(_ id: GroupBuyID, building: PlaceID, identity: UserIdentity, context: LinliRequestContext, banner: String?, errors: [FieldMessage]) async throws -> Response {
        let stored = try await buys.buy(id, identity: identity)
        let place = try await services.store.read { db in try await DirectoryRecords.place(id: building, on: db) }
        guard let place, place.level == .building, identity.grants.allows(.viewDirectory, at: place.path), stored.path.contains(place.path) else { throw AppError.notFound }
        guard identity.grants.allows(.handOutSupplies, at: place.path) else { throw AppError.forbidden }
        let (items, lines) = try await services.store.read { db in
            (try await GroupBuyRecords.items(buyID: id, on: db), try await GroupBuyRecords.orderLines(buyID: id, under: place.path, on: db))
        }
        var rows: [DeliveryRow] = []
        for line in lines {
            let index = rows.firstIndex { $0.householdID == line.order.householdID } ?? {
                rows.append(DeliveryRow(householdID: line.order.householdID, room: line.room, phone: line.phone.map(PhoneMask.mask) ?? "", cells: items.map { _ in "" },
                                        delivered: nil, canTick: false, codeError: errors.first { $0.field == "code-\(line.order.householdID)" }?.message))
                return rows.count - 1
            }()
            if let column = items.firstIndex(where: { $0.id == line.order.itemID }) { rows[index].cells[column] = "\(line.order.toDeliver)" }
            if let at = line.order.deliveredAt {
                rows[index].delivered = context.text(line.order.deliveryConfirmedBy == "household_code" ? "group_buy.page.delivered_code" : "group_buy.page.delivered_signed",
                                                     ["time": PageTime.dateTime(at, context.language)])
            }
        }
        for index in rows.indices { rows[index].canTick = rows[index].delivered == nil && stored.buy.state == .disinfected }
        let content = BuildingSheet(id: id, summary: context.text("group_buy.page.building_summary", ["title": stored.buy.title, "building": place.name, "households": "\(rows.count)"]),
                                    columns: items.map { SheetColumn(name: $0.name) }, rows: rows, isEmpty: rows.isEmpty)
        return try PageView(template: "group-buy/building", title: context.text("group_buy.page.building_sheet", ["building": place.name]), content: content,
                            breadcrumbs: [Link(href: "/group-buys/\(id)", label: stored.buy.title)], banner: banner, errors: errors).response(context)
    }

    struct Slip {
        var place: String
        var phone: String
        var items: [String]
    }
    struct SlipsContent {
        var summary: String
        var slips: [Slip]
    }

    /// One slip per household, to tape on its bag.
    func slips(_ id: GroupBuyID, identity: UserIdentity, context: LinliRequestContext) async throws -> Response {
        let stored = try await buys.buy(id, capability: .handOutSupplies, identity: identity)
        let (items, lines) = try await services.store.read { db in
            (try await GroupBuyRecords.items(buyID: id, on: db), try await GroupBuyRecords.orderLines(buyID: id, on: db))
        }
        let names = Dictionary(items.map { ($0.id, "\($0.name) \($0.unit)") }, uniquingKeysWith: { first, _ in first })
        var slips: [Slip] = []
        var last: PlaceID?
        for line in lines {
            if line.order.householdID != last {
                slips.append(Slip(place: "\(line.building) \(line.room)", phone: line.phone.map(PhoneMask.mask) ?? "", items: []))
                last = line.order.householdID
            }
            slips[slips.count - 1].items.append("\(names[line.order.itemID] ?? "") × \(line.order.toDeliver)")
        }
        let content = SlipsContent(summary: context.text("group_buy.page.slips_summary", ["title": stored.buy.title, "households": "\(slips.count)"]), slips: slips)
        return try PageView(template: "group-buy/slips", title: context.text("group_buy.page.slips"), content: content,
                            breadcrumbs: [Link(href: "/group-buys/\(id)", label: stored.buy.title)]).response(context)
    }
}
