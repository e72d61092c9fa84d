import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Insurance cards and record booklets carried for medicine runs: registering, custody steps,
/// the masked view, the holder's full-number read, the cards-out board and a household's cards.
struct CardCustodyAPI {
    let services: AppServices

    struct CardBody: Decodable {
        var household_id: Int64?
        var resident_id: Int64?
        var kind: String?
        var number: String?
        var request_id: Int64?
        var note: String?
    }
    struct CustodyBody: Decodable {
        var event: String?
        var holder_user_id: Int64?
        var household_code: String?
        var note: String?
    }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        let cards = CardCustodyService(services: services)
        router.post("medicine/cards") { request, context -> EditedResponse<CardView> in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: CardBody.self, context: context)
            // Who may comes before what was sent, so nobody learns about households outside their places.
            guard let household = body.household_id else { throw AppError.required("household_id") }
            guard household > 0 else { throw AppError.notFound }
            let path = try await cards.household(PlaceID(household), capability: .runMedicine, identity: identity)
            let card = try await cards.register(try Self.newCard(body), path: path, identity: identity, traceID: context.traceID)
            return EditedResponse(status: .created, response: try await cards.view(card, identity: identity))
        }
        router.post("medicine/cards/:id/custody") { request, context -> CardView in
            let identity = try context.requireUser()
            let id: MedicineCardID = try context.parameters.id()
            _ = try await cards.visible(id, capability: .runMedicine, identity: identity)
            let body = try await request.decodeJSON(as: CustodyBody.self, context: context)
            let card = try await cards.step(id, try Self.step(body), identity: identity, remoteIP: context.remoteIP, traceID: context.traceID)
            return try await cards.view(card, identity: identity)
        }
        router.get("medicine/cards/out") { request, context -> CardsOutView in
            let identity = try context.requireUser()
            let place = try await cards.boardPlace(try CardCustodyService.placeParameter(request), identity: identity)
            return CardsOutView(place: place, groups: try await cards.board(place: place), now: services.now())
        }
        router.get("medicine/cards/:id") { _, context -> CardView in
            let identity = try context.requireUser()
            let id: MedicineCardID = try context.parameters.id()
            let (card, _) = try await cards.visible(id, capability: .viewDirectory, identity: identity)
            return try await cards.view(card, identity: identity)
        }
        router.get("medicine/cards/:id/number") { _, context -> CardNumberView in
            let identity = try context.requireUser()
            let id: MedicineCardID = try context.parameters.id()
            let card = try await cards.fullNumber(id, identity: identity, traceID: context.traceID)
            return CardNumberView(id: card.id, number: card.number)
        }
        router.get("households/:id/cards") { _, context -> HouseholdCardsView in
            let id: PlaceID = try context.parameters.id()
            let lines = try await cards.householdCards(id, caller: context.caller)
            return HouseholdCardsView(householdID: id, cards: lines.map { HouseholdCardLine($0.card, holderName: $0.holderName) })
        }
    }

    static let maximumNumberLength = 40
    static let maximumNoteLength = 500

    static func newCard(_ body: CardBody) throws -> CardCustodyService.NewCard {
        guard let household = body.household_id else { throw AppError.required("household_id") }
        guard household > 0 else { throw AppError.notFound }
        guard let kindText = body.kind, !kindText.isEmpty else { throw AppError.required("kind") }
        guard let kind = MedicineCardKind(rawValue: kindText) else { throw AppError.invalid("kind") }
        let number = (body.number ?? "").filter { !$0.isWhitespace }
        guard !number.isEmpty else { throw AppError.required("number") }
        guard number.count <= maximumNumberLength else { throw AppError.tooLong("number", max: maximumNumberLength) }
        guard number.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber) }) else { throw AppError.invalid("number") }
        if let resident = body.resident_id, resident <= 0 { throw AppError.invalid("resident_id") }
        if let request = body.request_id, request <= 0 { throw AppError.invalid("request_id") }
        return CardCustodyService.NewCard(householdID: PlaceID(household), residentID: body.resident_id.map { ResidentID(rawValue: $0) }, kind: kind, number: number,
                                          requestID: body.request_id.map { HelpRequestID(rawValue: $0) }, note: try note(body.note))
    }

    static func step(_ body: CustodyBody) throws -> CardCustodyService.Step {
        guard let eventText = body.event, !eventText.isEmpty else { throw AppError.required("event") }
        guard let event = CustodyEvent(rawValue: eventText), event != .receivedFromHousehold else { throw AppError.invalid("event") }
        var holder: UserID?
        if event == .withRunner {
            guard let raw = body.holder_user_id else { throw AppError.required("holder_user_id") }
            guard raw > 0 else { throw AppError.invalid("holder_user_id") }
            holder = UserID(raw)
        }
        let code = body.household_code.flatMap { $0.isEmpty ? nil : $0 }
        if let code, code.count > 64 { throw AppError.tooLong("household_code", max: 64) }
        return CardCustodyService.Step(event: event, holder: holder, householdCode: event == .returnedToHousehold ? code : nil, note: try note(body.note))
    }

    static func note(_ text: String?) throws -> String? {
        guard let trimmed = text?.trimmingCharacters(in: .whitespacesAndNewlines), !trimmed.isEmpty else { return nil }
        guard trimmed.count <= maximumNoteLength else { throw AppError.tooLong("note", max: maximumNoteLength) }
        guard !trimmed.containsControlCharacters else { throw AppError.invalid("note") }
        return trimmed
    }
}

/// A card as everyone but its holder sees it: the number masked.
struct CardView: ResponseCodable {
    struct Entry: Codable, Sendable {
        var seq: Int64
        var event: String
        var actor: String
        var holderUserID: UserID?
        var confirmedBy: String?
        var at: Date
        var note: String?
        enum CodingKeys: String, CodingKey { case seq, event, actor, holderUserID = "holder_user_id", confirmedBy = "confirmed_by", at, note }
    }
    var id: MedicineCardID
    var householdID: PlaceID
    var residentID: ResidentID?
    var kind: String
    var maskedNumber: String
    var requestID: HelpRequestID?
    var batchID: MedicineBatchID?
    var state: String
    var holderUserID: UserID?
    var since: Date
    var custody: [Entry]
    enum CodingKeys: String, CodingKey {
        case id, householdID = "household_id", residentID = "resident_id", kind, maskedNumber = "masked_number", requestID = "request_id",
             batchID = "batch_id", state, holderUserID = "holder_user_id", since, custody
    }
}

struct CardNumberView: ResponseCodable {
    var id: MedicineCardID
    var number: String
}

struct CardsOutView: ResponseCodable {
    struct Card: Codable, Sendable {
        var id: MedicineCardID
        var kind: String
        var maskedNumber: String
        var householdID: PlaceID
        var building: String
        var room: String
        var state: String
        var since: Date
        var minutesOut: Int
        enum CodingKeys: String, CodingKey { case id, kind, maskedNumber = "masked_number", householdID = "household_id", building, room, state, since, minutesOut = "minutes_out" }
    }
    struct Holder: Codable, Sendable {
        var holderUserID: UserID?
        var holderName: String?
        var cards: [Card]
        enum CodingKeys: String, CodingKey { case holderUserID = "holder_user_id", holderName = "holder_name", cards }
    }
    var placeID: PlaceID
    var holders: [Holder]
    enum CodingKeys: String, CodingKey { case placeID = "place_id", holders }

    init(place: Place, groups: [CardCustodyService.HolderGroup], now: Date) {
        placeID = place.id
        holders = groups.map { group in
            Holder(holderUserID: group.holderUserID, holderName: group.holderName, cards: group.cards.map { out in
                Card(id: out.card.id, kind: out.card.kind.rawValue, maskedNumber: out.card.maskedNumber, householdID: out.card.householdID, building: out.building,
                     room: out.room, state: out.card.state.rawValue, since: out.card.since, minutesOut: CardCustodyService.minutesOut(since: out.card.since, now: now))
            })
        }
    }
}

struct HouseholdCardLine: Codable, Sendable {
    var id: MedicineCardID
    var kind: String
    var maskedNumber: String
    var state: String
    var holderName: String?
    var since: Date
    enum CodingKeys: String, CodingKey { case id, kind, maskedNumber = "masked_number", state, holderName = "holder_name", since }

    init(_ card: MedicineCard, holderName: String?) {
        id = card.id
        kind = card.kind.rawValue
        maskedNumber = card.maskedNumber
        state = card.state.rawValue
        self.holderName = card.state == .returnedToHousehold ? nil : holderName
        since = card.since
    }
}

struct HouseholdCardsView: ResponseCodable {
    var householdID: PlaceID
    var cards: [HouseholdCardLine]
    enum CodingKeys: String, CodingKey { case householdID = "household_id", cards }
}
