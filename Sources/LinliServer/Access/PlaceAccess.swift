import LinliCore
import LinliStore

extension AppServices {
    /// The place if the caller sees it and holds `capability` there: 404 for a place out of sight
    /// (it is not there for them), 403 for one they see but may not act at.
    func place(_ id: PlaceID, capability: Capability, identity: UserIdentity) async throws -> Place {
        let place = try await store.read { db in try await DirectoryRecords.place(id: id, on: db) }
        guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
        guard identity.grants.allows(capability, at: place.path) else { throw AppError.forbidden }
        return place
    }
}
