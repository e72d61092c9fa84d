import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Setting buys up on a phone: the supplier list (add, approve, the driver's latest test) and
/// opening a buy with its items. A refused form comes back as typed, naming the field.
struct GroupBuySetupPages {
    let services: AppServices
    var buys: GroupBuyService { GroupBuyService(services: services) }

    /// Item rows the new-buy form offers; a buy of more items is set up over the API.
    static let itemRows = 4
    /// The most compounds the form offers to choose from.
    static let compoundChoices = 300

    struct SupplierForm: Decodable {
        var _csrf: String?
        var place: String?
        var name: String?
        var licence_number: String?
        var delivery_pass: String?
        var driver_test_day: String?
    }
    struct ApproveForm: Decodable {
        var _csrf: String?
        var days: String?
    }
    struct DriverTestForm: Decodable {
        var _csrf: String?
        var day: String?
    }
    struct BuyForm: Decodable {
        var _csrf: String?
        var place: String?
        var supplier: String?
        var title: String?
        var delivery_plan: String?
        var name: [String]?
        var specification: [String]?
        var unit: [String]?
        var price: [String]?
        var minimum: [String]?
        var maximum: [String]?
    }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("suppliers") { request, context -> Response in
            let identity = try context.requireUser()
            return try await suppliersPage(identity: identity, context: context, banner: noticeBanner(request, context), errors: [], typed: nil)
        }
        router.post("suppliers") { request, context -> Response in
            let identity = try context.requireUser()
            let form = try await request.decodeForm(as: SupplierForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                guard let place = form.place.flatMap({ Int64($0) }), place > 0 else { throw AppError.required("place") }
                let new = try GroupBuyAPI.newSupplier(GroupBuyAPI.SupplierBody(place_id: place, name: form.name, contact: nil, licence_number: form.licence_number,
                                                                                delivery_pass: form.delivery_pass, driver_test_day: form.driver_test_day))
                _ = try await buys.addSupplier(new, at: PlaceID(place), identity: identity, traceID: context.traceID)
            } catch let error as AppError where error.status == .badRequest || error.status == .forbidden {
                return try await suppliersPage(identity: identity, context: context, banner: nil,
                                               errors: [FieldMessage(field: error.field ?? "name", message: error.message(in: context.language))], typed: form).withStatus(error.status)
            }
            return redirect(to: "/suppliers?notice=supplier_added")
        }
        router.post("suppliers/:id/approval") { request, context -> Response in
            let identity = try context.requireUser()
            let id: SupplierID = try context.parameters.id()
            let (_, path) = try await buys.supplier(id, identity: identity)
            guard identity.grants.allows(.manageSupplies, at: path) else { throw AppError.forbidden }
            let form = try await request.decodeForm(as: ApproveForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            guard let days = form.days.flatMap({ Int($0) }), (1...GroupBuyRules.maximumApprovalDays).contains(days) else { throw AppError.invalid("days") }
            _ = try await buys.approveSupplier(id, days: days, identity: identity, traceID: context.traceID)
            return redirect(to: "/suppliers?notice=supplier_approved#supplier-\(id)")
        }
        router.post("suppliers/:id/driver-test") { request, context -> Response in
            let identity = try context.requireUser()
            let id: SupplierID = try context.parameters.id()
            let (_, path) = try await buys.supplier(id, identity: identity)
            guard identity.grants.allows(.leadGroupBuys, at: path) || identity.grants.allows(.manageSupplies, at: path) else { throw AppError.forbidden }
            let form = try await request.decodeForm(as: DriverTestForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            guard let day = form.day?.trimmingWhitespace, LocalDay.date(day, calendar: GroupBuyService.calendar) != nil else {
                return try await suppliersPage(identity: identity, context: context, banner: nil,
                                               errors: [FieldMessage(field: "day-\(id)", message: AppError.invalid("day").message(in: context.language))], typed: nil).withStatus(.badRequest)
            }
            _ = try await buys.setDriverTest(id, day: day, identity: identity, traceID: context.traceID)
            return redirect(to: "/suppliers?notice=supplier_driver_test#supplier-\(id)")
        }
        router.get("group-buys/new") { _, context -> Response in
            let identity = try context.requireUser()
            return try await newBuyPage(identity: identity, context: context, errors: [], typed: nil)
        }
        router.post("group-buys") { request, context -> Response in
            let identity = try context.requireUser()
            let form = try await request.decodeForm(as: BuyForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                let id = try await buys.create(try Self.newBuy(form), identity: identity, traceID: context.traceID)
                return redirect(to: "/group-buys/\(id)?notice=group_buy_created")
            } catch let error as AppError where [.badRequest, .conflict, .forbidden, .notFound].contains(error.status) {
                return try await newBuyPage(identity: identity, context: context,
                                            errors: [FieldMessage(field: Self.formField(error.field), message: error.message(in: context.language))], typed: form)
                    .withStatus(error.status == .notFound ? .badRequest : error.status)
            }
        }
    }

    /// The API names an item's field `items[1].price_fen`; the form's box for it is `price-1`.
    static func formField(_ field: String?) -> String {
        guard let field else { return "title" }
        if let match = field.wholeMatch(of: /items\[(\d+)\]\.(\w+)/) {
            let column = ["price_fen": "price", "minimum_quantity": "minimum", "maximum_quantity": "maximum"][String(match.2)] ?? String(match.2)
            return "\(column)-\(match.1)"
        }
        return ["place_id": "place", "supplier_id": "supplier", "items": "name-0"][field] ?? field
    }

    /// The form as the API's body: yuan typed as people type them, rows left empty skipped.
    static func newBuy(_ form: BuyForm) throws -> GroupBuyService.NewBuy {
        guard let place = form.place.flatMap({ Int64($0) }), place > 0 else { throw AppError.required("place_id") }
        guard let supplier = form.supplier.flatMap({ Int64($0) }), supplier > 0 else { throw AppError.required("supplier_id") }
        func column(_ values: [String]?, _ index: Int) -> String { index < (values?.count ?? 0) ? values?[index].trimmingWhitespace ?? "" : "" }
        var items: [GroupBuyAPI.ItemBody] = []
        for index in 0..<min(form.name?.count ?? 0, GroupBuyRules.maximumItems) {
            let name = column(form.name, index)
            guard !name.isEmpty else { continue }
            let priceText = column(form.price, index)
            var price: Int?
            if !priceText.isEmpty {
                guard let fen = MedicineYuan.fen(priceText, maximumFen: GroupBuyRules.maximumPriceFen) else { throw AppError.invalid("items[\(index)].price_fen") }
                price = fen
            }
            func count(_ text: String, field: String) throws -> Int? {
                guard !text.isEmpty else { return nil }
                guard text.count <= 7, let value = Int(text) else { throw AppError.invalid("items[\(index)].\(field)") }
                return value
            }
            items.append(GroupBuyAPI.ItemBody(name: name, specification: column(form.specification, index), unit: column(form.unit, index), price_fen: price,
                                              minimum_quantity: try count(column(form.minimum, index), field: "minimum_quantity"),
                                              maximum_quantity: try count(column(form.maximum, index), field: "maximum_quantity")))
        }
        return try GroupBuyAPI.newBuy(GroupBuyAPI.BuyBody(place_id: place, supplier_id: supplier, leader_user_id: nil, title: form.title, delivery_plan: form.delivery_plan,
                                                          opens_at: nil, closes_at: nil, items: items), place: PlaceID(place))
    }

    // MARK: Pages

    struct SupplierLine {
        var id: SupplierID
        var name: String
        var documents: String
        var status: String
        var tone: String
        var canApprove: Bool
        var canTest: Bool
        var dayError: String?
    }
    struct SuppliersContent {
        var suppliers: [SupplierLine]
        var isEmpty: Bool
        var canAdd: Bool
        var place: FormField
        var name: FormField
        var licence: FormField
        var pass: FormField
        var test: FormField
    }

    /// Places the caller may keep a supplier list at or open a buy at: their own scopes and, for
    /// a scope above compounds, the compounds under it.
    func places(for capability: Capability, identity: UserIdentity, compoundsOnly: Bool) async throws -> [Place] {
        var found: [Place] = []
        for scope in identity.grants.scopes(for: capability) {
            guard let id = scope.ids.last, let place = try await services.store.read({ db in try await DirectoryRecords.place(id: id, on: db) }) else { continue }
            if !compoundsOnly || place.level == .compound || place.level == .building {
                found.append(place)
            }
            if compoundsOnly, place.level != .compound, place.level != .building, place.level != .household {
                // Staff above the compounds choose among those under them (the first few hundred).
                let compounds = try await services.store.read { db in
                    var places: [Place] = []
                    for id in try await GroupBuyRecords.compounds(under: place.path, limit: Self.compoundChoices, on: db) {
                        if let compound = try await DirectoryRecords.place(id: id, on: db) { places.append(compound) }
                    }
                    return places
                }
                found += compounds
            }
        }
        return found
    }

    func suppliersPage(identity: UserIdentity, context: LinliRequestContext, banner: String?, errors: [FieldMessage], typed: SupplierForm?) async throws -> Response {
        guard let scope = identity.grants.scopes(for: .viewDirectory).first, let placeID = scope.ids.last else { throw AppError.forbidden }
        let suppliers = try await buys.suppliers(for: placeID, identity: identity)
        let now = services.now()
        let keepAt = try await places(for: .manageSupplies, identity: identity, compoundsOnly: false)
        func error(_ field: String) -> String? { errors.first { $0.field == field }?.message }
        var lines: [SupplierLine] = []
        for supplier in suppliers {
            let (_, path) = try await buys.supplier(supplier.id, identity: identity)
            let approved = supplier.isApproved(at: now)
            lines.append(SupplierLine(
                id: supplier.id, name: supplier.name,
                documents: context.text("group_buy.supplier.documents", ["licence": supplier.licenceNumber, "pass": supplier.deliveryPass ?? "—", "test": supplier.driverTestDay ?? "—"]),
                status: approved ? context.text("group_buy.supplier.approved_until", ["date": PageTime.dateTime(supplier.approvedUntil ?? now, context.language)])
                    : context.text("group_buy.supplier.not_approved"),
                tone: approved ? "done" : "overdue", canApprove: identity.grants.allows(.manageSupplies, at: path),
                canTest: identity.grants.allows(.manageSupplies, at: path) || identity.grants.allows(.leadGroupBuys, at: path), dayError: error("day-\(supplier.id)")))
        }
        let content = SuppliersContent(
            suppliers: lines, isEmpty: lines.isEmpty, canAdd: !keepAt.isEmpty,
            place: FormField("place", label: context.text("group_buy.supplier.place"), error: error("place"),
                             options: keepAt.map { .init(value: "\($0.id)", label: $0.name, selected: typed?.place == "\($0.id)") }),
            name: FormField("name", label: context.text("group_buy.supplier.name"), error: error("name"), value: typed?.name, maxlength: GroupBuyRules.maximumTitleLength),
            licence: FormField("licence_number", label: context.text("group_buy.supplier.licence"), error: error("licence_number"), value: typed?.licence_number, maxlength: 60),
            pass: FormField("delivery_pass", label: context.text("group_buy.supplier.pass"), error: error("delivery_pass"), value: typed?.delivery_pass, maxlength: 60),
            test: FormField("driver_test_day", label: context.text("group_buy.supplier.test_day"), hint: context.text("group_buy.supplier.test_day_hint"),
                            error: error("driver_test_day"), value: typed?.driver_test_day, type: "date"))
        return try PageView(template: "group-buy/suppliers", title: context.text("group_buy.supplier.title"), content: content,
                            breadcrumbs: [Link(href: "/group-buys", label: context.text("nav.group_buys"))], banner: banner, errors: errors).response(context)
    }

    struct ItemRow {
        var index: Int
        var name: String
        var specification: String
        var unit: String
        var price: String
        var minimum: String
        var maximum: String
        var error: String?
    }
    struct NewBuyContent {
        var place: FormField
        var supplier: FormField
        var title: FormField
        var plan: FormField
        var rows: [ItemRow]
        var hasSuppliers: Bool
    }

    func newBuyPage(identity: UserIdentity, context: LinliRequestContext, errors: [FieldMessage], typed: BuyForm?) async throws -> Response {
        let places = try await places(for: .leadGroupBuys, identity: identity, compoundsOnly: true)
        guard let first = places.first else { throw AppError.forbidden }
        let now = services.now()
        let suppliers = try await buys.suppliers(for: first.id, identity: identity).filter { $0.isApproved(at: now) }
        func error(_ field: String) -> String? { errors.first { $0.field == field }?.message }
        func cell(_ values: [String]?, _ index: Int) -> String { index < (values?.count ?? 0) ? values?[index] ?? "" : "" }
        let rows = (0..<Self.itemRows).map { index in
            ItemRow(index: index, name: cell(typed?.name, index), specification: cell(typed?.specification, index), unit: cell(typed?.unit, index),
                    price: cell(typed?.price, index), minimum: cell(typed?.minimum, index), maximum: cell(typed?.maximum, index),
                    error: errors.first { $0.field.hasSuffix("-\(index)") }?.message)
        }
        let content = NewBuyContent(
            place: FormField("place", label: context.text("group_buy.new.place"), error: error("place"),
                             options: places.map { .init(value: "\($0.id)", label: $0.name, selected: typed?.place == "\($0.id)") }),
            supplier: FormField("supplier", label: context.text("group_buy.new.supplier"), hint: context.text("group_buy.new.supplier_hint"), error: error("supplier"),
                                options: suppliers.map { .init(value: "\($0.id)", label: $0.name, selected: typed?.supplier == "\($0.id)") }),
            title: FormField("title", label: context.text("group_buy.new.title"), error: error("title"), value: typed?.title, maxlength: GroupBuyRules.maximumTitleLength),
            plan: FormField("delivery_plan", label: context.text("group_buy.new.plan"), error: error("delivery_plan"), value: typed?.delivery_plan,
                            maxlength: GroupBuyRules.maximumTextLength),
            rows: rows, hasSuppliers: !suppliers.isEmpty)
        return try PageView(template: "group-buy/new", title: context.text("group_buy.new.page_title"), content: content,
                            breadcrumbs: [Link(href: "/group-buys", label: context.text("nav.group_buys"))], errors: errors).response(context)
    }
}
