import Foundation
import Hummingbird
import LinliCore
import LinliStore
import SQLKit

/// The rules around cards shared by the API and the pages: who may see, move and read a card.
struct CardCustodyService: Sendable {
    let services: AppServices

    struct NewCard: Sendable {
        var householdID: PlaceID
        var residentID: ResidentID?
        var kind: MedicineCardKind
        var number: String
        var requestID: HelpRequestID?
        var note: String?
    }

    struct Step: Sendable {
        var event: CustodyEvent
        var holder: UserID?
        var householdCode: String?
        var note: String?
    }

    struct HolderGroup: Sendable {
        var holderUserID: UserID?
        var holderName: String?
        var cards: [CardOut]
    }

    static func placeParameter(_ request: Request) throws -> PlaceID {
        guard let text = request.uri.queryParameters["place"], !text.isEmpty else { throw AppError.required("place") }
        guard let raw = Int64(String(text)), raw > 0 else { throw AppError.invalid("place") }
        return PlaceID(raw)
    }

    static func minutesOut(since: Date, now: Date) -> Int {
        max(0, Int(min(now.timeIntervalSince(since) / 60, Double(Int32.max))))
    }

    static func refusalError(_ error: CardCustodyError) -> AppError {
        switch error {
        case .notFound: AppError.notFound
        case .refused(let refusal): AppError(.conflict, "medicine.card.error.\(refusal.rawValue)", field: "event")
        case .requestMismatch: AppError(.badRequest, "medicine.card.error.request_mismatch", field: "request_id")
        case .notInserted: AppError(.conflict, "medicine.card.error.not_saved")
        }
    }

    /// Runs a write, turning the store's refusals into answers.
    func writing<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await services.store.write(body)
        } catch let error as CardCustodyError {
            throw Self.refusalError(error)
        }
    }

    /// The household's path if it is within the caller's places (else 404) and they hold
    /// `capability` there (else 403).
    func household(_ id: PlaceID, capability: Capability, identity: UserIdentity) async throws -> PlacePath {
        let household = try await services.store.read { db in try await HouseholdRecords.household(id: id, on: db) }
        guard let household, identity.grants.allows(.viewDirectory, at: household.path) else { throw AppError.notFound }
        guard identity.grants.allows(capability, at: household.path) else { throw AppError.forbidden }
        return household.path
    }

    func register(_ new: NewCard, path: PlacePath, identity: UserIdentity, traceID: String) async throws -> MedicineCard {
        if let resident = new.residentID {
            let belongs = try await services.store.read { db in
                try await db.raw("SELECT 1 AS one FROM residents WHERE id = \(bind: resident) AND household_id = \(bind: new.householdID)").first() != nil
            }
            guard belongs else { throw AppError.invalid("resident_id") }
        }
        let now = services.now()
        let engine = services.store.engine
        let user = identity.user.id
        return try await writing { db in
            let card = try await CardCustodyRecords.register(householdID: new.householdID, residentID: new.residentID, kind: new.kind, number: new.number,
                                                             requestID: new.requestID, by: user, note: new.note, now: now, engine: engine, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(user)", action: "medicine_card.register", entity: "medicine_card", entityID: "\(card.id)",
                                                      path: path.rawValue, after: card.state.rawValue, traceID: traceID)], on: db)
            return card
        }
    }

    /// The card if its household is within the caller's places (else 404) and they hold
    /// `capability` there (else 403).
    func visible(_ id: MedicineCardID, capability: Capability, identity: UserIdentity) async throws -> (MedicineCard, PlacePath) {
        let found = try await services.store.read { db in try await CardCustodyRecords.card(id: id, on: db) }
        guard let found, identity.grants.allows(.viewDirectory, at: found.path) else { throw AppError.notFound }
        guard identity.grants.allows(capability, at: found.path) else { throw AppError.forbidden }
        return (found.card, found.path)
    }

    func step(_ id: MedicineCardID, _ step: Step, identity: UserIdentity, remoteIP: String, traceID: String) async throws -> MedicineCard {
        let (card, path) = try await visible(id, capability: .runMedicine, identity: identity)
        if let holder = step.holder {
            let roles = try await services.store.read { db in try await UserRecords.roles(userID: holder, on: db) }
            guard Grants(roles: roles).allows(.runMedicine, at: path) else { throw AppError(.badRequest, "medicine.card.error.holder_not_runner", field: "holder_user_id") }
        }
        var confirmedBy: String?
        if step.event == .returnedToHousehold {
            if let code = step.householdCode {
                try await checkHouseholdCode(code, householdID: card.householdID, remoteIP: remoteIP)
                confirmedBy = "household_code"
            } else {
                confirmedBy = CardCustodyRecords.actor(identity.user.id)
            }
        }
        let now = services.now()
        let engine = services.store.engine
        let user = identity.user.id
        let confirmation = confirmedBy
        return try await writing { db in
            let moved = try await CardCustodyRecords.step(cardID: id, event: step.event, by: user, holder: step.holder, confirmedBy: confirmation, note: step.note,
                                                          now: now, engine: engine, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(user)", action: "medicine_card.custody", entity: "medicine_card", entityID: "\(id)",
                                                      path: path.rawValue, before: card.state.rawValue, after: step.event.rawValue, traceID: traceID)], on: db)
            return moved
        }
    }

    /// The household's own code, checked the way opening the household checks it: guesses are
    /// limited per household and per address, and a right code clears the count.
    func checkHouseholdCode(_ code: String, householdID: PlaceID, remoteIP: String) async throws {
        let now = services.now()
        let attempt = try await services.limits.attempt(.code, target: "\(householdID)", address: remoteIP, store: services.store, now: now)
        let typed = HouseholdCode(typed: code).map(services.householdCodeKey.digest)
        let stored = try await services.store.read { db in try await HouseholdRecords.codeHash(householdID: householdID, on: db) }
        guard let typed, let stored, Tokens.equalInConstantTime(stored, typed) else {
            throw AppError(.badRequest, "medicine.card.error.code_wrong", field: "household_code")
        }
        try await services.limits.succeeded(attempt, store: services.store)
    }

    func view(_ card: MedicineCard, identity: UserIdentity) async throws -> CardView {
        let history = try await services.store.read { db in try await CardCustodyRecords.history(cardID: card.id, on: db) }
        return CardView(id: card.id, householdID: card.householdID, residentID: card.residentID, kind: card.kind.rawValue, maskedNumber: card.maskedNumber,
                        requestID: card.requestID, batchID: card.batchID, state: card.state.rawValue, holderUserID: card.holderUserID, since: card.since,
                        custody: history.map { CardView.Entry(seq: $0.seq, event: $0.event.rawValue, actor: $0.actor, holderUserID: $0.holderUserID,
                                                              confirmedBy: $0.confirmedBy, at: $0.at, note: $0.note) })
    }

    /// The full number, only for the user holding the card now; every read is audited.
    func fullNumber(_ id: MedicineCardID, identity: UserIdentity, traceID: String) async throws -> MedicineCard {
        let (card, path) = try await visible(id, capability: .viewDirectory, identity: identity)
        guard card.holderUserID == identity.user.id, card.state.cardIsOut else { throw AppError.forbidden }
        try await services.audit([AuditEntry(at: services.now(), actor: "user:\(identity.user.id)", action: "medicine_card.read_number", entity: "medicine_card",
                                             entityID: "\(id)", path: path.rawValue, traceID: traceID)])
        return card
    }

    func boardPlace(_ id: PlaceID, identity: UserIdentity) async throws -> Place {
        let place = try await services.store.read { db in try await DirectoryRecords.place(id: id, on: db) }
        guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
        guard identity.grants.allows(.runMedicine, at: place.path) || identity.grants.allows(.manageMedicine, at: place.path) else { throw AppError.forbidden }
        return place
    }

    /// Cards out under `place`, grouped per holder, the group holding the oldest card first.
    func board(place: Place) async throws -> [HolderGroup] {
        let out = try await services.store.read { db in try await CardCustodyRecords.cardsOut(under: place.path, on: db) }
        var groups: [HolderGroup] = []
        for card in out {
            if let index = groups.firstIndex(where: { $0.holderUserID == card.card.holderUserID }) {
                groups[index].cards.append(card)
            } else {
                groups.append(HolderGroup(holderUserID: card.card.holderUserID, holderName: card.holderName, cards: [card]))
            }
        }
        return groups
    }

    /// A household's cards for staff who see its directory entry, or for the household itself.
    func householdCards(_ id: PlaceID, caller: Caller) async throws -> [(card: MedicineCard, holderName: String?)] {
        switch caller {
        case .anonymous: throw AppError.unauthenticated
        case .household(let identity): guard identity.household.id == id else { throw AppError.notFound }
        case .user(let identity):
            let household = try await services.store.read { db in try await HouseholdRecords.household(id: id, on: db) }
            guard let household, identity.grants.allows(.viewDirectory, at: household.path) else { throw AppError.notFound }
        }
        return try await services.store.read { db in try await CardCustodyRecords.cards(householdID: id, on: db) }
    }
}
