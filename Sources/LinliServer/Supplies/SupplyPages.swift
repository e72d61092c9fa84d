import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Relief supplies in the browser: the batches a leader hands out, a batch's per-building door
/// list (ticked with the household's code or signed off), the mutual-aid shelf, and the public
/// figures of a place, which need no login.
struct SupplyPages {
    let services: AppServices

    struct Fact { var label: String; var value: String }
    struct BatchLine { var href: String; var title: String; var detail: String }
    struct PlaceLinks { var name: String; var shelf: String; var publicPage: String? }
    struct IndexContent { var batches: [BatchLine]; var isEmpty: Bool; var places: [PlaceLinks] }

    struct BuildingRow { var name: String; var href: String; var progress: String; var current: Bool }
    struct DoorRow { var householdID: PlaceID; var room: String; var done: String?; var entitled: String?; var open: Bool }
    struct BatchContent {
        var id: SupplyBatchID
        var contents: String
        var details: [String]
        var facts: [Fact]
        var buildings: [BuildingRow]
        var building: String?
        var buildingID: PlaceID?
        var doors: [DoorRow]
        /// Doors still open: the leader may sign the whole building off at once.
        var canSignOff: Bool
    }

    struct SignOffForm: Decodable { var _csrf: String?; var note: String?; var confirmed: String? }
    struct SignOffQuestion { var id: SupplyBatchID; var building: PlaceID; var question: String; var note: String }

    struct ShelfRow { var id: ShelfItemID; var item: String; var note: String?; var offered: String }
    struct ShelfContent { var placeID: PlaceID; var items: [ShelfRow]; var isEmpty: Bool; var fields: [FormField] }

    struct PublicBatch { var title: String; var contents: String; var details: [String]; var facts: [Fact] }
    struct PublicContent { var intro: String; var batches: [PublicBatch]; var isEmpty: Bool }

    struct HandOutForm: Decodable { var _csrf: String?; var household_id: String?; var household_code: String?; var note: String? }
    struct OfferForm: Decodable { var _csrf: String?; var item: String?; var quantity: String?; var note: String? }
    struct TakeForm: Decodable { var _csrf: String? }

    func addRoutes(to router: Router<LinliRequestContext>) {
        let supplies = SupplyService(services: services)
        router.get("supplies") { request, context -> Response in
            let identity = try context.requireUser()
            let scopes = identity.grants.scopes(for: .handOutSupplies)
            guard !scopes.isEmpty else { throw AppError.forbidden }
            return try await index(scopes: scopes, context: context, banner: noticeBanner(request, context))
        }
        router.get("supplies/batches/:id") { request, context -> Response in
            let identity = try context.requireUser()
            let (batch, path) = try await supplies.visibleBatch(try context.parameters.id(), identity: identity)
            let building = request.uri.queryParameters["building"].flatMap { Int64(String($0)) }.map { PlaceID(rawValue: $0) }
            return try await batchPage(batch, path: path, building: building, identity: identity, context: context, banner: noticeBanner(request, context), error: nil)
        }
        router.post("supplies/batches/:id/handouts") { request, context -> Response in
            let identity = try context.requireUser()
            let (batch, path) = try await supplies.visibleBatch(try context.parameters.id(), identity: identity)
            let form = try await request.decodeForm(as: HandOutForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            guard let raw = form.household_id.flatMap({ Int64($0) }), raw > 0 else { throw AppError.invalid("household_id") }
            let household = try await services.store.read { db in try await HouseholdRecords.household(id: PlaceID(raw), on: db) }
            let building = household?.buildingID
            do {
                let handOut = try SupplyAPI.handOut(SupplyAPI.HandOutBody(household_id: raw, household_code: form.household_code?.trimmingWhitespace, note: form.note))
                _ = try await supplies.handOut(batch.id, handOut, identity: identity, remoteIP: context.remoteIP, traceID: context.traceID)
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                return try await batchPage(batch, path: path, building: building, identity: identity, context: context, banner: nil, error: error).withStatus(error.status)
            }
            return redirect(to: "/supplies/batches/\(batch.id)?building=\(building?.rawValue ?? 0)&notice=supplies_handed_out#household-\(raw)")
        }
        router.post("supplies/batches/:id/buildings/:building/handouts") { request, context -> Response in
            let identity = try context.requireUser()
            let (batch, path) = try await supplies.visibleBatch(try context.parameters.id(), identity: identity)
            let building: PlaceID = try context.parameters.id("building")
            let form = try await request.decodeForm(as: SignOffForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let note = form.note?.trimmingWhitespace ?? ""
            guard note.count <= 500, !note.containsControlCharacters else { throw AppError.tooLong("note", max: 500) }
            // Every door at once cannot be taken back: the leader is asked first.
            guard form.confirmed == "yes" else {
                let place = try await services.store.read { db in try await DirectoryRecords.place(id: building, on: db) }
                guard let place, identity.grants.allows(.handOutSupplies, at: place.path) else { throw AppError.notFound }
                let question = SignOffQuestion(id: batch.id, building: building, question: context.text("supplies.page.sign_off_question", ["building": place.name]), note: note)
                return try PageView(template: "supplies/sign-off", title: context.text("supplies.page.sign_off"), content: question).response(context)
            }
            do {
                _ = try await supplies.handOutAll(batch.id, under: building, note: note.isEmpty ? nil : note, identity: identity, traceID: context.traceID)
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                return try await batchPage(batch, path: path, building: building, identity: identity, context: context, banner: nil, error: error).withStatus(error.status)
            }
            return redirect(to: "/supplies/batches/\(batch.id)?building=\(building)&notice=supplies_signed_off#doors")
        }
        router.get("supplies/places/:id") { _, context -> Response in
            let place = try await supplies.transparencyPlace(try context.parameters.id())
            let batches = try await supplies.transparency(place)
            let content = PublicContent(intro: context.text("supplies.public.intro"), batches: batches.map { figured in
                PublicBatch(title: Self.title(figured.batch, context), contents: Self.contents(figured.batch), details: Self.details(figured.batch, context),
                            facts: Self.facts(figured.figures, context))
            }, isEmpty: batches.isEmpty)
            return try PageView(template: "supplies/public", title: context.text("supplies.public.title", ["place": place.name]), content: content).response(context)
        }
        router.get("supplies/places/:id/shelf") { request, context -> Response in
            let identity = try context.requireUser()
            let place = try await services.place(try context.parameters.id(), capability: .handOutSupplies, identity: identity)
            return try await shelfPage(place, form: OfferForm(), errors: [], context: context, banner: noticeBanner(request, context))
        }
        router.post("supplies/places/:id/shelf") { request, context -> Response in
            let identity = try context.requireUser()
            let place = try await services.place(try context.parameters.id(), capability: .handOutSupplies, identity: identity)
            let form = try await request.decodeForm(as: OfferForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                guard let item = try SupplyAPI.text(form.item, field: "item", max: SupplyRules.maximumTextLength) else { throw AppError.required("item") }
                let quantity = try SupplyAPI.quantity(form.quantity.flatMap { Int($0.trimmingWhitespace) } ?? (form.quantity?.isEmpty == false ? 0 : nil),
                                                      field: "quantity", max: SupplyRules.maximumLineQuantity)
                _ = try await supplies.offer(place: place, item: item, quantity: quantity, note: try SupplyAPI.text(form.note, field: "note", max: SupplyRules.maximumNoteLength),
                                             identity: identity, traceID: context.traceID)
            } catch let error as AppError where error.status == .badRequest {
                let message = FieldMessage(field: error.field ?? "item", message: error.message(in: context.language))
                return try await shelfPage(place, form: form, errors: [message], context: context, banner: nil).withStatus(.badRequest)
            }
            return redirect(to: "/supplies/places/\(place.id)/shelf?notice=supplies_shelf_offered")
        }
        router.post("supplies/shelf/:id/take") { request, context -> Response in
            let identity = try context.requireUser()
            let id: ShelfItemID = try context.parameters.id()
            let found = try await services.store.read { db in try await SupplyRecords.shelfItem(id: id, on: db) }
            guard let found, identity.grants.allows(.viewDirectory, at: found.path) else { throw AppError.notFound }
            let form = try await request.decodeForm(as: TakeForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let notice: String
            do {
                _ = try await supplies.take(id, identity: identity, traceID: context.traceID)
                notice = "supplies_shelf_taken"
            } catch let error as AppError where error.status == .conflict {
                notice = "supplies_shelf_gone"
            }
            return redirect(to: "/supplies/places/\(found.item.placeID)/shelf?notice=\(notice)")
        }
    }

    // MARK: - Pages

    func index(scopes: [PlacePath], context: LinliRequestContext, banner: String?) async throws -> Response {
        let (batches, places) = try await services.store.read { db in
            var batches: [SupplyBatch] = []
            var places: [Place] = []
            for scope in scopes.prefix(20) {
                for batch in try await SupplyRecords.batches(concerning: scope, limit: 100, on: db) where !batches.contains(where: { $0.id == batch.id }) { batches.append(batch) }
                if let id = scope.ids.last, let place = try await DirectoryRecords.place(id: id, on: db) { places.append(place) }
            }
            return (batches.sorted { $0.receivedAt > $1.receivedAt }, places)
        }
        let content = IndexContent(
            batches: batches.map { BatchLine(href: "/supplies/batches/\($0.id)", title: Self.title($0, context), detail: Self.contents($0)) },
            isEmpty: batches.isEmpty,
            places: places.map { PlaceLinks(name: $0.name, shelf: "/supplies/places/\($0.id)/shelf", publicPage: $0.level <= .compound ? "/supplies/places/\($0.id)" : nil) })
        return try PageView(template: "supplies/index", title: context.text("supplies.page.title"), content: content, banner: banner).response(context)
    }

    func batchPage(_ batch: SupplyBatch, path: PlacePath, building: PlaceID?, identity: UserIdentity, context: LinliRequestContext, banner: String?, error: AppError?) async throws -> Response {
        let scopes = identity.grants.scopes(for: .handOutSupplies)
        let figured = try await SupplyService(services: services).figured(batch, path: path)
        let progress = try await services.store.read { db in try await SupplyRecords.buildingProgress(batchID: batch.id, under: path, scopes: scopes, on: db) }
        var doors: [DoorRow] = []
        var buildingName: String?
        if let building, let chosen = progress.first(where: { $0.buildingID == building }) {
            buildingName = chosen.name
            let (lines, facts) = try await services.store.read { db in
                var facts: [PlaceID: HouseholdFacts] = [:]
                if let place = try await DirectoryRecords.place(id: building, on: db) { facts = try await SupplyRecords.householdFacts(under: place.path, on: db) }
                return (try await SupplyRecords.doors(batchID: batch.id, buildingID: building, on: db), facts)
            }
            doors = lines.map { line in
                let entitled = SupplyRules.entitlement(batch.allocation, facts[line.householdID] ?? HouseholdFacts(residents: 0))
                guard let handout = line.handout else {
                    return DoorRow(householdID: line.householdID, room: line.room, done: nil,
                                   entitled: context.text(entitled > 0 ? "supplies.page.entitled" : "supplies.page.not_entitled", ["quantity": "\(entitled)"]), open: entitled > 0)
                }
                let how = context.text(handout.confirmedBy == "household_code" ? "supplies.page.by_code" : "supplies.page.signed_off")
                return DoorRow(householdID: line.householdID, room: line.room,
                               done: context.text("supplies.page.done", ["quantity": "\(handout.quantity)", "time": PageTime.dateTime(handout.at, context.language), "how": how]),
                               entitled: nil, open: false)
            }
        }
        let content = BatchContent(
            id: batch.id, contents: Self.contents(batch), details: Self.details(batch, context), facts: Self.facts(figured.figures, context),
            buildings: progress.map { BuildingRow(name: $0.name, href: "/supplies/batches/\(batch.id)?building=\($0.buildingID)",
                                                  progress: context.text("supplies.page.building_progress", ["received": "\($0.received)", "households": "\($0.households)"]),
                                                  current: $0.buildingID == building) },
            building: buildingName.map { context.text("supplies.page.doors", ["building": $0]) }, buildingID: building, doors: doors,
            canSignOff: doors.contains { $0.open })
        let errors = error.map { [FieldMessage(field: $0.field ?? "household_code", message: $0.message(in: context.language))] } ?? []
        return try PageView(template: "supplies/batch", title: Self.title(batch, context), content: content,
                            breadcrumbs: [Link(href: "/supplies", label: context.text("supplies.page.title"))], banner: banner, errors: errors).response(context)
    }

    func shelfPage(_ place: Place, form: OfferForm, errors: [FieldMessage], context: LinliRequestContext, banner: String?) async throws -> Response {
        let (_, shelf) = try await SupplyService(services: services).pool(place)
        func field(_ id: String, _ value: String?, maxlength: Int, inputmode: String? = nil) -> FormField {
            FormField(id, label: context.text("field.\(id)"), error: errors.first { $0.field == id }?.message, value: value, inputmode: inputmode, autocomplete: "off",
                      maxlength: maxlength)
        }
        let content = ShelfContent(
            placeID: place.id,
            items: shelf.map { ShelfRow(id: $0.id, item: context.text("supplies.shelf.item", ["item": $0.item, "quantity": "\($0.quantity)"]), note: $0.note,
                                        offered: PageTime.dateTime($0.offeredAt, context.language)) },
            isEmpty: shelf.isEmpty,
            fields: [field("item", form.item, maxlength: SupplyRules.maximumTextLength), field("quantity", form.quantity, maxlength: 6, inputmode: "numeric"),
                     field("note", form.note, maxlength: SupplyRules.maximumNoteLength)])
        return try PageView(template: "supplies/shelf", title: context.text("supplies.shelf.title", ["place": place.name]), content: content,
                            breadcrumbs: [Link(href: "/supplies", label: context.text("supplies.page.title"))], banner: banner, errors: errors).response(context)
    }

    // MARK: - Texts

    /// One line per receipt for the household's own page: what, how many, when.
    static func receiptLines(_ receipts: [HouseholdReceipt], context: LinliRequestContext) -> [String] {
        receipts.map { receipt in
            context.text("supplies.household.line", ["batch": title(receipt.batch, context), "contents": contents(receipt.batch),
                                                     "quantity": "\(receipt.handout.quantity)", "time": PageTime.dateTime(receipt.handout.at, context.language)])
        }
    }

    static func title(_ batch: SupplyBatch, _ context: LinliRequestContext) -> String {
        context.text("supplies.page.batch_title", ["kind": context.text("supplies.kind.\(batch.kind.rawValue)"), "source": batch.source,
                                                   "day": PageTime.dateTime(batch.receivedAt, context.language)])
    }

    static func contents(_ batch: SupplyBatch) -> String {
        batch.contents.map { "\($0.item) \($0.quantity)\($0.unit)" }.joined(separator: "、")
    }

    static func details(_ batch: SupplyBatch, _ context: LinliRequestContext) -> [String] {
        [batch.supplier.map { context.text("supplies.page.supplier", ["supplier": $0]) }, batch.lot.map { context.text("supplies.page.lot", ["lot": $0]) },
         batch.expiry.map { context.text("supplies.page.expiry", ["day": $0]) }, batch.licences.map { context.text("supplies.page.licences", ["licences": $0]) }]
            .compactMap { $0 }
    }

    static func facts(_ figures: LedgerFigures, _ context: LinliRequestContext) -> [Fact] {
        [("received", figures.received), ("households_received", figures.householdsReceived), ("handed_out", figures.handedOut),
         ("written_off", figures.writtenOff), ("left", figures.left)]
            .map { Fact(label: context.text("supplies.figure.\($0.0)"), value: "\($0.1)") }
    }
}
