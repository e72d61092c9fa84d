import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Relief batches and donations: receiving, handing out, writing off, the recall by lot, the
/// donation pool and shelf, a household's receipts and the public transparency figures.
struct SupplyAPI {
    let services: AppServices

    struct LineBody: Decodable {
        var item: String?
        var quantity: Int?
        var unit: String?
    }
    struct AllocationBody: Decodable {
        var rule: String?
        var categories: [String]?
    }
    struct BatchBody: Decodable {
        var place_id: Int64?
        var kind: String?
        var source: String?
        var supplier: String?
        var lot: String?
        var contents: [LineBody]?
        var licences: String?
        var expiry: String?
        var unit: String?
        var quantity: Int?
        var allocation: AllocationBody?
        var note: String?
    }
    struct HandOutBody: Decodable {
        var household_id: Int64?
        var household_code: String?
        var note: String?
    }
    struct HandOutAllBody: Decodable {
        var place_id: Int64?
        var note: String?
    }
    struct WriteOffBody: Decodable {
        var quantity: Int?
        var reason: String?
        var note: String?
    }
    struct OfferBody: Decodable {
        var place_id: Int64?
        var item: String?
        var quantity: Int?
        var note: String?
    }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        let supplies = SupplyService(services: services)
        router.post("supplies/batches") { request, context -> EditedResponse<BatchView> in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: BatchBody.self, context: context)
            // Who may comes before what was sent, so nobody learns about places outside their own.
            let place = try await services.place(try Self.placeID(body.place_id), capability: .manageSupplies, identity: identity)
            let batch = try await supplies.receive(try Self.newBatch(body, placeID: place.id), identity: identity, traceID: context.traceID)
            return EditedResponse(status: .created, response: BatchView(try await supplies.figured(batch, path: place.path)))
        }
        router.get("supplies/batches/:id") { _, context -> BatchView in
            let identity = try context.requireUser()
            let (batch, path) = try await supplies.visibleBatch(try context.parameters.id(), identity: identity)
            return BatchView(try await supplies.figured(batch, path: path))
        }
        router.post("supplies/batches/:id/handouts") { request, context -> EditedResponse<HandOutView> in
            let identity = try context.requireUser()
            let (batch, _) = try await supplies.visibleBatch(try context.parameters.id(), identity: identity)
            let body = try await request.decodeJSON(as: HandOutBody.self, context: context)
            let done = try await supplies.handOut(batch.id, try Self.handOut(body), identity: identity, remoteIP: context.remoteIP, traceID: context.traceID)
            return EditedResponse(status: .created, response: HandOutView(done))
        }
        router.post("supplies/batches/:id/handouts/bulk") { request, context -> BulkHandOutView in
            let identity = try context.requireUser()
            let (batch, _) = try await supplies.visibleBatch(try context.parameters.id(), identity: identity)
            let body = try await request.decodeJSON(as: HandOutAllBody.self, context: context)
            guard let place = body.place_id else { throw AppError.required("place_id") }
            guard place > 0 else { throw AppError(.badRequest, "supplies.error.place_outside", field: "place_id") }
            let note = try GroupBuyAPI.text(body.note, field: "note", max: 500)
            let done = try await supplies.handOutAll(batch.id, under: PlaceID(place), note: note, identity: identity, traceID: context.traceID)
            return BulkHandOutView(handedOut: done.handedOut, quantity: done.quantity, skipped: done.skipped)
        }
        router.post("supplies/batches/:id/write-offs") { request, context -> BatchView in
            let identity = try context.requireUser()
            let (batch, path) = try await supplies.visibleBatch(try context.parameters.id(), identity: identity)
            guard identity.grants.allows(.manageSupplies, at: path) else { throw AppError.forbidden }
            let body = try await request.decodeJSON(as: WriteOffBody.self, context: context)
            let quantity = try Self.quantity(body.quantity, field: "quantity", max: SupplyRules.maximumQuantity)
            guard let reasonText = body.reason, !reasonText.isEmpty else { throw AppError.required("reason") }
            guard let reason = WriteOffReason(rawValue: reasonText) else { throw AppError.invalid("reason") }
            let written = try await supplies.writeOff(batch.id, quantity: quantity, reason: reason, note: try Self.text(body.note, field: "note", max: SupplyRules.maximumNoteLength),
                                                      identity: identity, traceID: context.traceID)
            return BatchView(try await supplies.figured(written, path: path))
        }
        router.get("supplies/recall") { request, context -> RecallView in
            let identity = try context.requireUser()
            let place = try await services.place(try CardCustodyService.placeParameter(request), capability: .manageSupplies, identity: identity)
            guard let lot = try Self.text(request.uri.queryParameters["lot"].map(String.init), field: "lot", max: SupplyRules.maximumTextLength) else { throw AppError.required("lot") }
            let lines = try await supplies.recall(place: place, lot: lot, identity: identity, traceID: context.traceID)
            return RecallView(placeID: place.id, lot: lot, households: lines.map(RecallView.Line.init))
        }
        router.get("supplies/places/:id/transparency") { _, context -> TransparencyView in
            let place = try await supplies.transparencyPlace(try context.parameters.id())
            return TransparencyView(place: place, batches: try await supplies.transparency(place))
        }
        router.get("supplies/places/:id/pool") { _, context -> PoolView in
            let identity = try context.requireUser()
            let place = try await services.place(try context.parameters.id(), capability: .handOutSupplies, identity: identity)
            let (donations, shelf) = try await supplies.pool(place)
            return PoolView(placeID: place.id, donations: donations.map(PoolView.Donation.init), shelf: shelf.map(ShelfItemView.init))
        }
        router.post("supplies/shelf") { request, context -> EditedResponse<ShelfItemView> in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: OfferBody.self, context: context)
            let place = try await services.place(try Self.placeID(body.place_id), capability: .handOutSupplies, identity: identity)
            guard let item = try Self.text(body.item, field: "item", max: SupplyRules.maximumTextLength) else { throw AppError.required("item") }
            let quantity = try Self.quantity(body.quantity, field: "quantity", max: SupplyRules.maximumLineQuantity)
            let offered = try await supplies.offer(place: place, item: item, quantity: quantity, note: try Self.text(body.note, field: "note", max: SupplyRules.maximumNoteLength),
                                                   identity: identity, traceID: context.traceID)
            return EditedResponse(status: .created, response: ShelfItemView(offered))
        }
        router.post("supplies/shelf/:id/take") { _, context -> ShelfItemView in
            let identity = try context.requireUser()
            return ShelfItemView(try await supplies.take(try context.parameters.id(), identity: identity, traceID: context.traceID))
        }
        router.get("households/:id/supplies") { _, context -> HouseholdSuppliesView in
            let id: PlaceID = try context.parameters.id()
            let receipts = try await supplies.receipts(id, caller: context.caller)
            return HouseholdSuppliesView(householdID: id, receipts: receipts.map(HouseholdSuppliesView.Receipt.init))
        }
    }

    // MARK: - Input, bounded where it enters

    static func placeID(_ raw: Int64?) throws -> PlaceID {
        guard let raw else { throw AppError.required("place_id") }
        guard raw > 0 else { throw AppError.notFound }
        return PlaceID(raw)
    }

    /// Trimmed text, nil when empty; too long or with control characters is a 400 naming `field`.
    static func text(_ raw: String?, field: String, max: Int) throws -> String? {
        guard let trimmed = raw?.trimmingWhitespace, !trimmed.isEmpty else { return nil }
        guard trimmed.count <= max else { throw AppError.tooLong(field, max: max) }
        guard !trimmed.containsControlCharacters else { throw AppError.invalid(field) }
        return trimmed
    }

    static func quantity(_ raw: Int?, field: String, max: Int) throws -> Int {
        guard let raw else { throw AppError.required(field) }
        guard (1...max).contains(raw) else { throw AppError(.badRequest, "supplies.error.quantity_range", field: field, arguments: ["max": "\(max)"]) }
        return raw
    }

    static func newBatch(_ body: BatchBody, placeID: PlaceID) throws -> NewSupplyBatch {
        guard let kindText = body.kind, !kindText.isEmpty else { throw AppError.required("kind") }
        guard let kind = SupplyBatchKind(rawValue: kindText) else { throw AppError.invalid("kind") }
        guard let source = try text(body.source, field: "source", max: SupplyRules.maximumTextLength) else { throw AppError.required("source") }
        let lines = body.contents ?? []
        guard !lines.isEmpty else { throw AppError.required("contents") }
        guard lines.count <= SupplyRules.maximumLines else { throw AppError(.badRequest, "supplies.error.too_many_lines", field: "contents", arguments: ["max": "\(SupplyRules.maximumLines)"]) }
        let contents = try lines.map { line in
            guard let item = try text(line.item, field: "contents", max: SupplyRules.maximumTextLength) else { throw AppError.required("contents") }
            let quantity = try quantity(line.quantity, field: "contents", max: SupplyRules.maximumLineQuantity)
            return SupplyLine(item: item, quantity: quantity, unit: try text(line.unit, field: "contents", max: 20) ?? "")
        }
        var expiry: String?
        if let typed = try text(body.expiry, field: "expiry", max: 10) {
            guard let day = SupplyRules.day(typed) else { throw AppError.invalid("expiry") }
            expiry = day
        }
        var unit = SupplyUnit.package
        if let unitText = body.unit, !unitText.isEmpty {
            guard let typed = SupplyUnit(rawValue: unitText) else { throw AppError.invalid("unit") }
            unit = typed
        }
        return NewSupplyBatch(kind: kind, source: source, supplier: try text(body.supplier, field: "supplier", max: SupplyRules.maximumTextLength),
                              lot: try text(body.lot, field: "lot", max: SupplyRules.maximumTextLength), contents: contents,
                              licences: try text(body.licences, field: "licences", max: SupplyRules.maximumNoteLength), expiry: expiry, unit: unit,
                              received: try quantity(body.quantity, field: "quantity", max: SupplyRules.maximumQuantity), placeID: placeID,
                              allocation: try allocation(body.allocation), note: try text(body.note, field: "note", max: SupplyRules.maximumNoteLength))
    }

    static func allocation(_ body: AllocationBody?) throws -> AllocationRule {
        guard let rule = body?.rule, !rule.isEmpty else { throw AppError.required("allocation") }
        switch rule {
        case AllocationRule.perHousehold.kind: return .perHousehold
        case AllocationRule.perPerson.kind: return .perPerson
        case AllocationRule.careCategories([]).kind:
            let names = body?.categories ?? []
            guard !names.isEmpty, names.count <= CareCategory.allCases.count else { throw AppError.required("categories") }
            let categories = names.compactMap(CareCategory.init(rawValue:))
            guard categories.count == names.count else { throw AppError.invalid("categories") }
            return .careCategories(Set(categories))
        default: throw AppError.invalid("allocation")
        }
    }

    static func handOut(_ body: HandOutBody) throws -> SupplyService.HandOut {
        guard let household = body.household_id else { throw AppError.required("household_id") }
        guard household > 0 else { throw AppError.invalid("household_id") }
        let code = body.household_code.flatMap { $0.isEmpty ? nil : $0 }
        if let code, code.count > 64 { throw AppError.tooLong("household_code", max: 64) }
        return SupplyService.HandOut(householdID: PlaceID(household), householdCode: code,
                                     note: try text(body.note, field: "note", max: SupplyRules.maximumNoteLength))
    }
}
