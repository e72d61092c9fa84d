import Foundation
import LinliCore
import LinliStore

/// Reading requests as a caller may see them.
struct RequestReads {
    let services: AppServices

    /// Users act on requests of households in their places; a household only on its own.
    static func authorize(_ caller: Caller, for stored: StoredRequest) throws -> RequestActor {
        switch caller {
        case .user(let identity):
            guard identity.grants.allows(.viewDirectory, at: stored.path) else { throw AppError.notFound }
            return .user(id: identity.user.id)
        case .household(let identity):
            guard identity.household.id == stored.request.householdID else { throw AppError.notFound }
            return .household(id: identity.household.id)
        case .anonymous:
            throw AppError.unauthenticated
        }
    }

    /// The request, if the caller may see it (404 otherwise); checked before a body is even read.
    func visible(id: HelpRequestID, caller: Caller) async throws -> StoredRequest {
        // Anonymous callers learn nothing, not even whether a request exists.
        if case .anonymous = caller { throw AppError.unauthenticated }
        return try await services.store.read { db in
            guard let stored = try await RequestRecords.request(id: id, on: db) else { throw AppError.notFound }
            _ = try Self.authorize(caller, for: stored)
            return stored
        }
    }

    func request(id: HelpRequestID, caller: Caller) async throws -> (StoredRequest, [RequestTransition]) {
        if case .anonymous = caller { throw AppError.unauthenticated }
        return try await services.store.read { db in
            guard let stored = try await RequestRecords.request(id: id, on: db) else { throw AppError.notFound }
            _ = try Self.authorize(caller, for: stored)
            return (stored, try await RequestRecords.transitions(requestID: id, on: db))
        }
    }
}
