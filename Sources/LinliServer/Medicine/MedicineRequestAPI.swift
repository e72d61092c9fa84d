import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// The medicine part of a request over JSON: its items and cash (`PUT`), the audited read, the
/// visit-record check, the money, and each item's outcome.
struct MedicineRequestAPI {
    let services: AppServices

    struct ItemBody: Decodable {
        var drug: String?
        var maker: String?
        var specification: String?
        var quantity: Int?
        var kind: String?
        var source: String?
        var hospital: String?
        var window: String?
        var cold_chain: Bool?
    }
    struct FillBody: Decodable {
        var items: [ItemBody]?
        var cash_advanced: Int?
    }
    struct MoneyBody: Decodable {
        var cash_spent: Int?
        var change_returned: Int?
        var note: String?
    }
    struct OutcomeBody: Decodable {
        var outcome: String?
        var quantity_bought: Int?
        var note: String?
    }

    /// A request lists a household's drugs for one run; thirty lines is more than any household
    /// sent, and keeps one request's labels on one bag.
    static let maximumItems = 30
    static let maximumQuantity = 999
    static let maximumTextLength = 100
    static let maximumNoteLength = 500
    /// 100,000 yuan in fen: more than any night's cash for one household, far from overflow.
    static let maximumFen = 10_000_000

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        let medicine = MedicineRequestService(services: services)
        router.put("requests/:id/medicine") { request, context -> MedicineRequestView in
            let identity = try context.requireUser()
            let id: HelpRequestID = try context.parameters.id()
            _ = try await medicine.request(id, capability: .runMedicine, identity: identity)
            let body = try await request.decodeJSON(as: FillBody.self, context: context)
            let (items, cash) = try Self.items(body, requestID: id)
            return MedicineRequestView(try await medicine.fill(id, items: items, cashAdvanced: cash, identity: identity, traceID: context.traceID))
        }
        router.get("requests/:id/medicine") { _, context -> MedicineRequestView in
            let id: HelpRequestID = try context.parameters.id()
            return MedicineRequestView(try await medicine.read(id, caller: context.caller, traceID: context.traceID))
        }
        router.post("requests/:id/medicine/verification") { _, context -> MedicineRequestView in
            let identity = try context.requireUser()
            let id: HelpRequestID = try context.parameters.id()
            return MedicineRequestView(try await medicine.verify(id, identity: identity, traceID: context.traceID))
        }
        router.put("requests/:id/medicine/money") { request, context -> MedicineRequestView in
            let identity = try context.requireUser()
            let id: HelpRequestID = try context.parameters.id()
            _ = try await medicine.request(id, capability: .runMedicine, identity: identity)
            let body = try await request.decodeJSON(as: MoneyBody.self, context: context)
            let spent = try Self.fen(body.cash_spent, field: "cash_spent")
            let change = try Self.fen(body.change_returned, field: "change_returned")
            let note = try Self.note(body.note)
            return MedicineRequestView(try await medicine.settle(id, spent: spent, changeReturned: change, note: note, identity: identity, traceID: context.traceID))
        }
        router.put("medicine/items/:id/box-photo") { request, context -> MedicineRequestView in
            let identity = try context.requireUser()
            let id: MedicineItemID = try context.parameters.id()
            let photos = MedicineBoxPhotos(services: services)
            guard let requestID = try await services.store.read({ db in try await MedicineRequestRecords.requestID(item: id, on: db) }) else { throw AppError.notFound }
            _ = try await medicine.request(requestID, capability: .runMedicine, identity: identity)
            let body = try await request.body.collect(upTo: BoxPhotoFormat.maximumBytes)
            try await photos.store(Data(buffer: body), declaredType: request.headers[.contentType], item: id, identity: identity, traceID: context.traceID)
            return MedicineRequestView(try await medicine.read(requestID, caller: context.caller, traceID: context.traceID))
        }
        router.get("medicine/items/:id/box-photo") { _, context -> Response in
            let identity = try context.requireUser()
            let (data, format) = try await MedicineBoxPhotos(services: services).read(item: try context.parameters.id(), identity: identity, traceID: context.traceID)
            return MedicineBoxPhotos.response(data, format: format)
        }
        router.post("medicine/items/:id/outcome") { request, context -> MedicineOutcomeView in
            let identity = try context.requireUser()
            let id: MedicineItemID = try context.parameters.id()
            guard let requestID = try await services.store.read({ db in try await MedicineRequestRecords.requestID(item: id, on: db) }) else { throw AppError.notFound }
            _ = try await medicine.request(requestID, capability: .runMedicine, identity: identity)
            let body = try await request.decodeJSON(as: OutcomeBody.self, context: context)
            guard let text = body.outcome, !text.isEmpty else { throw AppError.required("outcome") }
            guard let outcome = MedicineOutcome(rawValue: text) else { throw AppError.invalid("outcome") }
            if let bought = body.quantity_bought, bought < 0 || bought > Self.maximumQuantity { throw AppError.invalid("quantity_bought") }
            let recorded = try await medicine.recordOutcome(item: id, outcome: outcome, quantityBought: body.quantity_bought, note: try Self.note(body.note), identity: identity, traceID: context.traceID)
            return MedicineOutcomeView(request: MedicineRequestView(recorded.part), requestStatus: recorded.requestStatus.rawValue, followUpRequestID: recorded.followUp)
        }
    }

    static func fen(_ value: Int?, field: String) throws -> Int {
        guard let value else { throw AppError.required(field) }
        guard (0...maximumFen).contains(value) else { throw AppError.invalid(field) }
        return value
    }

    static func note(_ text: String?, field: String = "note") throws -> String? {
        guard let note = text?.trimmingWhitespace, !note.isEmpty else { return nil }
        guard note.count <= maximumNoteLength else { throw AppError.tooLong(field, max: maximumNoteLength) }
        // A note may run over lines; no other control character belongs in it.
        guard !note.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" }) else { throw AppError.invalid(field) }
        return note
    }

    /// One line of text from the form, trimmed; nil when empty.
    static func text(_ value: String?, field: String, maximum: Int = maximumTextLength) throws -> String? {
        guard let text = value?.trimmingWhitespace, !text.isEmpty else { return nil }
        guard text.count <= maximum else { throw AppError.tooLong(field, max: maximum) }
        guard !text.containsControlCharacters, !text.contains("\n") else { throw AppError.invalid(field) }
        return text
    }

    static func items(_ body: FillBody, requestID: HelpRequestID) throws -> ([MedicineItem], Int) {
        guard let lines = body.items, !lines.isEmpty else { throw AppError.required("items") }
        guard lines.count <= maximumItems else { throw AppError.invalid("items") }
        let items = try lines.enumerated().map { index, line in
            let prefix = "items[\(index)]."
            guard let drug = try text(line.drug, field: prefix + "drug") else { throw AppError.required(prefix + "drug") }
            guard let quantity = line.quantity else { throw AppError.required(prefix + "quantity") }
            guard (1...maximumQuantity).contains(quantity) else { throw AppError.invalid(prefix + "quantity") }
            guard let kindText = line.kind, !kindText.isEmpty else { throw AppError.required(prefix + "kind") }
            guard let kind = MedicineKind(rawValue: kindText) else { throw AppError.invalid(prefix + "kind") }
            guard let sourceText = line.source, !sourceText.isEmpty else { throw AppError.required(prefix + "source") }
            guard let source = MedicineSource(rawValue: sourceText) else { throw AppError.invalid(prefix + "source") }
            guard let hospital = try text(line.hospital, field: prefix + "hospital") else { throw AppError.required(prefix + "hospital") }
            return MedicineItem(
                id: 0, requestID: requestID, drug: drug, maker: try text(line.maker, field: prefix + "maker"),
                specification: try text(line.specification, field: prefix + "specification"), quantity: quantity, kind: kind, source: source,
                hospital: hospital, window: try text(line.window, field: prefix + "window") ?? "", coldChain: line.cold_chain ?? false
            )
        }
        let cash = try body.cash_advanced.map { try fen($0, field: "cash_advanced") } ?? 0
        return (items, cash)
    }
}

struct MedicineItemView: Codable, Sendable {
    var id: MedicineItemID
    var drug: String
    var maker: String?
    var specification: String?
    var quantity: Int
    var kind: String
    var source: String
    var hospital: String
    var window: String
    var coldChain: Bool
    var hasBoxPhoto: Bool
    var outcome: String?
    var quantityBought: Int?
    var outcomeNote: String?
    enum CodingKeys: String, CodingKey {
        case id, drug, maker, specification, quantity, kind, source, hospital, window, outcome
        case coldChain = "cold_chain", hasBoxPhoto = "has_box_photo", quantityBought = "quantity_bought", outcomeNote = "outcome_note"
    }

    init(_ item: MedicineItem) {
        (id, drug, maker, specification, quantity) = (item.id, item.drug, item.maker, item.specification, item.quantity)
        (kind, source, hospital, window, coldChain) = (item.kind.rawValue, item.source.rawValue, item.hospital, item.window, item.coldChain)
        (hasBoxPhoto, outcome, quantityBought, outcomeNote) = (item.boxPhoto != nil, item.outcome?.rawValue, item.quantityBought, item.outcomeNote)
    }
}

struct MedicineMoneyView: Codable, Sendable {
    var cashAdvanced: Int
    var cashSpent: Int?
    var changeReturned: Int?
    var difference: Int
    var note: String?
    enum CodingKeys: String, CodingKey {
        case cashAdvanced = "cash_advanced", cashSpent = "cash_spent", changeReturned = "change_returned", difference, note
    }

    init(_ money: MedicineMoney) {
        (cashAdvanced, cashSpent, changeReturned, difference, note) = (money.advanced, money.spent, money.changeReturned, money.difference, money.note)
    }
}

struct MedicineRequestView: ResponseCodable {
    var requestID: HelpRequestID
    var householdID: PlaceID
    var teamID: TeamID?
    var queue: String
    var batchID: MedicineBatchID?
    var batchStatus: String?
    var followUpOf: HelpRequestID?
    var verifiedBy: UserID?
    var verifiedAt: Date?
    var money: MedicineMoneyView
    var items: [MedicineItemView]
    enum CodingKeys: String, CodingKey {
        case requestID = "request_id", householdID = "household_id", teamID = "team_id", queue, batchID = "batch_id", batchStatus = "batch_status"
        case followUpOf = "follow_up_of", verifiedBy = "verified_by", verifiedAt = "verified_at", money, items
    }

    init(_ part: MedicineRequestPart) {
        (requestID, householdID, teamID, queue, batchID, batchStatus) = (part.requestID, part.householdID, part.teamID, part.queue.rawValue, part.batchID, part.batchStatus?.rawValue)
        (followUpOf, verifiedBy, verifiedAt) = (part.followUpOf, part.verifiedBy, part.verifiedAt)
        money = MedicineMoneyView(part.money)
        items = part.items.map(MedicineItemView.init)
    }
}

struct MedicineOutcomeView: ResponseCodable {
    var request: MedicineRequestView
    var requestStatus: String
    var followUpRequestID: HelpRequestID?
    enum CodingKeys: String, CodingKey { case request, requestStatus = "request_status", followUpRequestID = "follow_up_request_id" }
}
