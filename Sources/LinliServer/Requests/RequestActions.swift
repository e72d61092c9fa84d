import Foundation
import LinliCore
import LinliStore
import SQLKit

/// Moving a request through its lifecycle: accept, start, done, cancel, reopen, reassign, ...
/// The rules are the core's (`RequestLifecycle`); this applies them to the stored request, with
/// the access rules, the next deadline and the audit log, in one transaction.
struct RequestActions {
    let services: AppServices

    enum Action: String, Codable, Sendable, CaseIterable {
        case accept, start, done, cancel, unable
        case resolvedElsewhere = "resolved_elsewhere"
        case reopen, reassign
        case changeUrgency = "change_urgency"
    }

    /// What some actions need besides a note: the new owner, the new urgency.
    struct ActionDetails: Sendable {
        var note: String?
        var urgency: Urgency?
        var owner: RequestOwner?
    }

    /// Applies one step of the lifecycle. A rule broken is a 409 naming the rule; a change made
    /// by someone else in the meantime is a 409 too (exactly one of two simultaneous accepts wins).
    func act(_ action: Action, on id: HelpRequestID, caller: Caller, note: String?, traceID: String) async throws -> StoredRequest {
        try await act(action, on: id, caller: caller, details: ActionDetails(note: note), traceID: traceID)
    }

    func act(_ action: Action, on id: HelpRequestID, caller: Caller, details: ActionDetails, traceID: String) async throws -> StoredRequest {
        let note = details.note
        if let note, note.count > Filing.maximumDescriptionLength { throw AppError.tooLong("note", max: Filing.maximumDescriptionLength) }
        let now = services.now()
        do {
            return try await applyAction(action, on: id, caller: caller, details: details, now: now, traceID: traceID)
        } catch where Store.isUniqueViolation(error) {
            // Reopening while another request of the same kind is open.
            throw AppError(.conflict, "requests.duplicate_open", field: "status")
        }
    }

    private func applyAction(_ action: Action, on id: HelpRequestID, caller: Caller, details: ActionDetails, now: Date, traceID: String) async throws -> StoredRequest {
        let services = self.services
        return try await services.store.write { db in
            guard let stored = try await RequestRecords.request(id: id, on: db) else { throw AppError.notFound }
            let actor = try RequestReads.authorize(caller, for: stored)
            let policy = try await services.requestPolicies.policy(district: stored.districtID, now: now, on: db).deadlines
            if action == .reassign { try await Self.checkOwner(details.owner, for: stored, on: db) }
            let change: RequestChange
            do {
                change = try Self.change(stored.request, action: action, actor: actor, details: details, policy: policy, now: now)
            } catch let error as RequestRuleError {
                throw AppError(.conflict, error.catalogueKey, field: error.field)
            }
            guard try await RequestRecords.apply(change, expectedVersion: stored.version, on: db) else {
                throw AppError(.conflict, "requests.changed_meanwhile")
            }
            try await RequestEscalation.scheduleDeadline(change.request, at: now, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: RequestRecords.encode(actor), action: "request.\(change.transition.kind.rawValue)", entity: "request", entityID: "\(id)", path: stored.path.rawValue, before: stored.request.status.rawValue, after: change.request.status.rawValue, traceID: traceID)], on: db)
            // Wrapping only matters for a corrupt row at the largest version; a later change to it
            // then answers "changed meanwhile" instead of trapping.
            return StoredRequest(request: change.request, version: stored.version &+ 1, path: stored.path, districtID: stored.districtID)
        }
    }

    static func change(_ request: HelpRequest, action: Action, actor: RequestActor, details: ActionDetails, policy: DeadlinePolicy, now: Date) throws(RequestRuleError) -> RequestChange {
        let note = details.note
        switch (action, actor) {
        case (.reassign, .user(let user)):
            guard let owner = details.owner else { throw RequestRuleError(.alreadyOwner) }
            return try request.reassign(to: owner, by: user, reason: note ?? "", at: now)
        case (.changeUrgency, .user(let user)):
            guard let urgency = details.urgency else { throw RequestRuleError(.urgencyUnchanged) }
            return try request.changeUrgency(to: urgency, by: user, reason: note ?? "", policy: policy, at: now)
        case (.accept, .user(let user)): return try request.accept(by: user, note: note, at: now)
        case (.start, .user(let user)): return try request.start(by: user, note: note, at: now)
        case (.done, _): return try request.complete(by: actor, note: note, at: now)
        case (.cancel, _): return try request.cancel(by: actor, reason: note, at: now)
        case (.unable, .user(let user)): return try request.markUnable(by: user, reason: note ?? "", at: now)
        case (.resolvedElsewhere, _): return try request.resolveElsewhere(by: actor, reason: note ?? "", at: now)
        case (.reopen, _): return try request.reopen(by: actor, reason: note, policy: policy, at: now)
        case (.accept, _), (.start, _), (.unable, _), (.reassign, _), (.changeUrgency, _): throw RequestRuleError(.notOwnHousehold)
        }
    }

    /// A request goes only to someone who can see it: a person with a role over its household, or
    /// the duty team of a place above it.
    static func checkOwner(_ owner: RequestOwner?, for stored: StoredRequest, on db: any SQLDatabase) async throws {
        switch owner {
        case nil:
            throw AppError.required("owner")
        case .user(let id):
            let roles = try await UserRecords.roles(userID: id, on: db)
            guard Grants(roles: roles).allows(.viewDirectory, at: stored.path) else { throw AppError.invalid("owner_user_id") }
        case .place(let id):
            guard let place = try await DirectoryRecords.place(id: id, on: db), place.path.contains(stored.path), place.level != .household else { throw AppError.invalid("owner_place_id") }
        }
    }
}
