import Foundation
import Hummingbird
import LinliCore
import LinliStore
import SQLKit

/// Scope-checked reads of the directory, shared by the JSON API and the pages. Anything outside
/// the caller's places is answered exactly like a record that does not exist (404), so scope
/// checks leak nothing about other buildings.
struct DirectoryService: Sendable {
    let services: AppServices

    func place(id: PlaceID, identity: UserIdentity) async throws -> PlaceChildrenView {
        let scopes = identity.grants.scopes(for: .viewDirectory)
        return try await services.store.read { db in
            guard let place = try await DirectoryRecords.place(id: id, on: db), Self.isVisible(place.path, scopes: scopes) else { throw AppError.notFound }
            let ancestors = try await DirectoryRecords.ancestors(of: place.path, on: db).filter { $0.id != place.id }
            let children = try await DirectoryRecords.children(of: id, on: db).filter { Self.isVisible($0.place.path, scopes: scopes) }
            // Above their own places a user sees only the way down, not how much lies beside it.
            return PlaceChildrenView(place: PlaceView(place), ancestors: ancestors.map { PlaceView($0) }, children: children.map { child in
                PlaceView(child.place, childCount: scopes.contains { $0.contains(child.place.path) } ? child.childCount : nil)
            })
        }
    }

    /// The starting places of a user's tree: their role places.
    func rootPlaces(identity: UserIdentity) async throws -> [Place] {
        let scopes = identity.grants.scopes(for: .viewDirectory)
        return try await services.store.read { db in
            var places: [Place] = []
            for scope in scopes {
                if let id = scope.ids.last, let place = try await DirectoryRecords.place(id: id, on: db) { places.append(place) }
            }
            return places
        }
    }

    /// A place is visible if it lies in a scope, or leads down to one (so the tree can be walked).
    static func isVisible(_ path: PlacePath, scopes: [PlacePath]) -> Bool {
        scopes.contains { $0.contains(path) || path.contains($0) }
    }

    struct SearchParameters: Sendable {
        var within: PlaceID?
        var building: String?
        var room: String?
        var name: String?
        var phoneTail: String?
        var limit: Int
        var offset: Int

        init(query: Query) throws {
            within = try query.placeID()
            building = try query.string("building", maxLength: 20).map(RegisterValue.building)
            room = try query.string("room", maxLength: 20)
            name = try query.string("name", maxLength: 40)
            phoneTail = try query.string("phone_tail", maxLength: 4)
            if let phoneTail, phoneTail.count != 4 || !phoneTail.allSatisfy(\.isASCII) || !phoneTail.allSatisfy(\.isNumber) {
                throw AppError.invalid("phone_tail")
            }
            limit = try query.int("limit", range: 1...200, default: 50)
            offset = try query.int("offset", range: 0...1_000_000, default: 0)
        }
    }

    func searchHouseholds(_ parameters: SearchParameters, identity: UserIdentity) async throws -> [HouseholdSummary] {
        let scopes = identity.grants.scopes(for: .viewDirectory)
        return try await services.store.read { db in
            var within: PlacePath?
            if let placeID = parameters.within {
                guard let place = try await DirectoryRecords.place(id: placeID, on: db), Self.isVisible(place.path, scopes: scopes) else { throw AppError.notFound }
                within = place.path
            }
            let search = HouseholdSearch(scopes: scopes, within: within, building: parameters.building, room: parameters.room, name: parameters.name, phoneTail: parameters.phoneTail, limit: parameters.limit, offset: parameters.offset)
            return try await HouseholdRecords.search(search, on: db)
        }
    }

    /// A household with its residents, shown as the caller's roles allow. Reading health or
    /// disability notes leaves an audit entry per resident: they are the most sensitive data Linli
    /// holds, and the log must show who read whose.
    func household(id: PlaceID, identity: UserIdentity, traceID: String) async throws -> HouseholdDetailView {
        let detail = try await services.store.read { db in try await HouseholdRecords.detail(id: id, on: db) }
        guard let detail, identity.grants.allows(.viewDirectory, at: detail.household.path) else { throw AppError.notFound }
        let sensitive = identity.grants.allows(.viewSensitive, at: detail.household.path)
        let fullPhone = identity.grants.allows(.viewFullPhone, at: detail.household.path)
        let view = Self.view(detail, sensitive: sensitive, fullPhone: fullPhone)
        if sensitive {
            let now = services.now()
            let reads = detail.residents.filter { $0.healthNote != nil || $0.disabilityNote != nil }.map { resident in
                AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "resident.read_sensitive", entity: "resident", entityID: "\(resident.id)", path: resident.path.rawValue, traceID: traceID)
            }
            try await services.audit(reads)
        }
        return view
    }

    /// A household's own view through its code: names and masked phones, no sensitive notes.
    func ownHousehold(identity: HouseholdIdentity) async throws -> HouseholdDetailView {
        let detail = try await services.store.read { db in try await HouseholdRecords.detail(id: identity.household.id, on: db) }
        guard let detail else { throw AppError.notFound }
        return Self.view(detail, sensitive: false, fullPhone: false)
    }

    static func view(_ detail: HouseholdDetail, sensitive: Bool, fullPhone: Bool) -> HouseholdDetailView {
        HouseholdDetailView(
            id: detail.household.id,
            room: detail.household.room,
            buildingID: detail.household.buildingID,
            path: detail.household.path.rawValue,
            places: detail.ancestors.map { PlaceView($0) },
            residents: detail.residents.map { resident in
                ResidentView(
                    id: resident.id,
                    name: resident.name,
                    phone: resident.phone.map { fullPhone ? $0 : PhoneMask.mask($0) },
                    phoneMasked: !fullPhone,
                    birthYear: resident.birthYear,
                    gender: resident.gender,
                    note: resident.note,
                    healthNote: sensitive ? resident.healthNote : nil,
                    disabilityNote: sensitive ? resident.disabilityNote : nil
                )
            },
            sensitiveVisible: sensitive
        )
    }

    /// Issues a new code for a household; the old one and every session opened with it stop working.
    func rotateCode(householdID: PlaceID, identity: UserIdentity, traceID: String) async throws -> HouseholdCode {
        var generator = SystemRandomNumberGenerator()
        let code = HouseholdCode.generate(using: &generator)
        let codeHash = services.householdCodeKey.digest(code)
        let now = services.now()
        let engine = services.store.engine
        try await services.store.write { db in
            // Scope first: nobody locks a household's row they may not touch.
            guard let household = try await HouseholdRecords.household(id: householdID, on: db),
                  identity.grants.allows(.viewDirectory, at: household.path) else { throw AppError.notFound }
            guard identity.grants.allows(.manageRegister, at: household.path) else { throw AppError.forbidden }
            _ = try await HouseholdRecords.codeHash(householdID: householdID, forUpdate: engine == .postgres, on: db)
            try await HouseholdRecords.setCode(householdID: householdID, codeHash: codeHash, at: now, on: db)
            try await SessionRecords.deleteHouseholdSessions(householdID: householdID, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "household.code.rotate", entity: "household", entityID: "\(householdID)", path: household.path.rawValue, traceID: traceID)], on: db)
        }
        services.forgetSessions { caller in
            if case .household(let identity) = caller { return identity.household.id == householdID }
            return false
        }
        return code
    }

    struct IssuedCode: Sendable {
        var household: HouseholdLabel
        var code: HouseholdCode
    }

    /// At most this many codes in one go: a printable batch for a committee, not a district.
    static let codeBatchLimit = 5_000

    /// Gives every household under a place that has no code yet a new one (or every household, with
    /// `rotateAll`), for printing the door notices. Codes are stored hashed, so this answer is the
    /// only time they can be read.
    func issueCodes(placeID: PlaceID, rotateAll: Bool, identity: UserIdentity, traceID: String) async throws -> [IssuedCode] {
        let now = services.now()
        let actor = "user:\(identity.user.id)"
        let key = services.householdCodeKey
        let issued = try await services.store.write { db in
            guard let place = try await DirectoryRecords.place(id: placeID, on: db), identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
            guard identity.grants.allows(.manageRegister, at: place.path) else { throw AppError.forbidden }
            let households = try await HouseholdRecords.labels(under: place, withoutCodeOnly: !rotateAll, on: db)
            guard households.count <= Self.codeBatchLimit else {
                throw AppError(.unprocessableContent, "directory.codes.too_many", field: "place", arguments: ["max": "\(Self.codeBatchLimit)"])
            }
            var generator = SystemRandomNumberGenerator()
            var issued: [IssuedCode] = []
            var audit: [AuditEntry] = []
            for household in households {
                let code = HouseholdCode.generate(using: &generator)
                try await HouseholdRecords.setCode(householdID: household.id, codeHash: key.digest(code), at: now, on: db)
                if rotateAll { try await SessionRecords.deleteHouseholdSessions(householdID: household.id, on: db) }
                issued.append(IssuedCode(household: household, code: code))
                audit.append(AuditEntry(at: now, actor: actor, action: rotateAll ? "household.code.rotate" : "household.code.issue", entity: "household", entityID: "\(household.id)", path: place.path.rawValue, traceID: traceID))
            }
            try await AuditRecords.append(audit, on: db)
            return issued
        }
        if rotateAll {
            let rotated = Set(issued.map(\.household.id))
            services.forgetSessions { caller in
                if case .household(let identity) = caller { return rotated.contains(identity.household.id) }
                return false
            }
        }
        return issued
    }

    func volunteers(within: PlaceID?, limit: Int, offset: Int, identity: UserIdentity) async throws -> [Volunteer] {
        let scopes = identity.grants.scopes(for: .viewDirectory)
        return try await services.store.read { db in
            let withinPath = try await Self.withinPath(within, scopes: scopes, on: db)
            return try await VolunteerRecords.volunteers(scopes: scopes, within: withinPath, limit: limit, offset: offset, on: db)
        }
    }

    func teams(within: PlaceID?, limit: Int, offset: Int, identity: UserIdentity) async throws -> [TeamSummary] {
        let scopes = identity.grants.scopes(for: .viewDirectory)
        return try await services.store.read { db in
            let withinPath = try await Self.withinPath(within, scopes: scopes, on: db)
            return try await VolunteerRecords.teams(scopes: scopes, within: withinPath, limit: limit, offset: offset, on: db)
        }
    }

    private static func withinPath(_ placeID: PlaceID?, scopes: [PlacePath], on db: any SQLDatabase) async throws -> PlacePath? {
        guard let placeID else { return nil }
        guard let place = try await DirectoryRecords.place(id: placeID, on: db), isVisible(place.path, scopes: scopes) else { throw AppError.notFound }
        return place.path
    }
}
