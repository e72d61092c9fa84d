import Foundation
import Hummingbird
import LinliCore
import LinliStore
import SQLKit

/// Notices: published at a place by those who may speak for it, confirmed as read by each
/// household with its code, and the households that have not read one listed for the leaders
/// who knock on their doors.
struct NoticeService: Sendable {
    let services: AppServices

    /// Notices listed at once: a lockdown publishes a few a day.
    static let listLimit = 50
    /// Doors listed for one notice; a committee has a few thousand households, a building fewer
    /// than two hundred.
    static let unreadLimit = 500

    func publish(placeID: PlaceID, title: String, body: String, source: String, identity: UserIdentity, traceID: String) async throws -> NoticeID {
        let place = try await services.place(placeID, capability: .publishInformation, identity: identity)
        let now = services.now()
        return try await AnswerService(services: services).writing { db in
            let id = try await NoticeRecords.publish(placeID: placeID, title: title, body: body, source: source, by: identity.user.id, now: now, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "notice.publish", entity: "notice", entityID: "\(id)",
                                                      path: place.path.rawValue, after: title, traceID: traceID)], on: db)
            return id
        }
    }

    /// The notice, 404 when there is none.
    func notice(_ id: NoticeID) async throws -> StoredNotice {
        guard let found = try await services.store.read({ db in try await NoticeRecords.notice(id: id, on: db) }) else { throw AppError.notFound }
        return found
    }

    /// The household confirming notice `id`: anonymous callers are asked to log in; a user
    /// learns whether the notice exists (404) and that confirming is for households (403).
    func confirmingHousehold(_ id: NoticeID, caller: Caller) async throws -> HouseholdIdentity {
        switch caller {
        case .anonymous: throw AppError.unauthenticated
        case .household(let identity): return identity
        case .user:
            _ = try await notice(id)
            throw AppError.forbidden
        }
    }

    /// The notice if it covers the household, else 404: a household reads only its own.
    func notice(_ id: NoticeID, household: Household) async throws -> StoredNotice {
        let found = try await notice(id)
        guard found.path.contains(household.path) else { throw AppError.notFound }
        return found
    }

    /// The notice if the user's places see it (at, under or above them), else 404.
    func notice(_ id: NoticeID, identity: UserIdentity) async throws -> StoredNotice {
        let found = try await notice(id)
        guard GroupBuyService.sees(identity, path: found.path) else { throw AppError.notFound }
        return found
    }

    func notices(for household: Household) async throws -> [(StoredNotice, Date?)] {
        try await services.store.read { db in try await NoticeRecords.notices(covering: household.path, limit: Self.listLimit, on: db) }
    }

    func notices(for identity: UserIdentity) async throws -> [StoredNotice] {
        let scopes = identity.grants.scopes(for: .viewDirectory)
        return try await services.store.read { db in try await NoticeRecords.notices(related: scopes, limit: Self.listLimit, on: db) }
    }

    /// Confirms that the household read the notice: true the first time; again changes nothing
    /// (a resident taps twice on a slow network).
    func confirm(_ id: NoticeID, household: Household) async throws -> Bool {
        _ = try await notice(id, household: household)
        let now = services.now()
        return try await services.store.write { db in try await NoticeRecords.confirm(noticeID: id, householdID: household.id, now: now, on: db) }
    }

    /// The households under `place` (within the notice's places) that have not read it, with
    /// phones masked, and how many have.
    func unread(_ notice: StoredNotice, under place: Place) async throws -> (unread: [UnreadHousehold], read: Int) {
        guard let path = Self.within(notice, place) else { return ([], 0) }
        let (unread, read) = try await services.store.read { db in
            (try await NoticeRecords.unread(noticeID: notice.notice.id, under: path, limit: Self.unreadLimit, on: db),
             try await NoticeRecords.readCount(noticeID: notice.notice.id, under: path, on: db))
        }
        return (unread.map { household in
            var masked = household
            masked.phone = household.phone.map(PhoneMask.mask)
            return masked
        }, read)
    }

    /// Above a building, the buildings with doors still unread instead of the doors: a
    /// committee's thousands of doors are no page for a phone.
    static let buildingsListed = 50

    func unreadBuildings(_ notice: StoredNotice, under place: Place) async throws -> [(building: PlaceID, name: String, unread: Int)] {
        guard let path = Self.within(notice, place) else { return [] }
        return try await services.store.read { db in
            try await NoticeRecords.unreadBuildings(noticeID: notice.notice.id, under: path, limit: Self.buildingsListed, on: db)
        }
    }

    /// The deeper of the notice's place and the place asked about (a building's doors for a
    /// committee's notice, a compound's notice's doors when a committee asks), nil when neither
    /// holds the other.
    static func within(_ notice: StoredNotice, _ place: Place) -> PlacePath? {
        notice.path.contains(place.path) ? place.path : place.path.contains(notice.path) ? notice.path : nil
    }

    /// The place whose doors a user asks about: 404 unless the user sees its households.
    func place(_ id: PlaceID, identity: UserIdentity) async throws -> Place {
        let place = try await services.store.read { db in try await DirectoryRecords.place(id: id, on: db) }
        guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
        return place
    }
}
