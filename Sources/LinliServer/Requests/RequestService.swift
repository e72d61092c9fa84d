import Foundation
import Hummingbird
import LinliCore
import LinliStore
import SQLKit

/// Filing requests and moving them through their lifecycle, with the access rules, deadlines and
/// escalation jobs. Shared by the JSON API, the pages and the job runner.
struct RequestService: Sendable {
    let services: AppServices

    /// The deadlines and routing rules of a district: its own, or the standard ones. Kept for a
    /// few seconds (`AppServices.requestPolicies`), as every filing needs them.
    static func policy(district: PlaceID?, services: AppServices, on db: any SQLDatabase) async throws -> DistrictRequestPolicy {
        guard let district else { return .standard }
        let now = services.now()
        if let cached = services.requestPolicies.value(for: district, now: now) { return cached }
        let policy = try await RequestPolicyRecords.policy(districtID: district, on: db)?.policy ?? .standard
        services.requestPolicies.store(policy, for: district, now: now)
        return policy
    }

    /// The job that checks a request's deadline; one per request, level and phase, so scheduling
    /// it twice runs it once.
    static let deadlineJobKind = "request.deadline"

    struct Filing: Sendable {
        var householdID: PlaceID
        var residentID: ResidentID?
        var category: RequestCategory
        var description: String
        var channel: RequestChannel
    }

    struct Filed: Sendable {
        var stored: StoredRequest
        /// False when the idempotency key named a request filed before.
        var created: Bool
    }

    static let maximumDescriptionLength = 2_000

    /// Files a request. `grants` are the staff member's when one files on a household's behalf:
    /// a household outside their places is a 404, checked on the same read as the rest.
    func file(_ filing: Filing, by actor: RequestActor, grants: Grants? = nil, idempotencyKey: String?, requestID httpRequestID: String) async throws -> Filed {
        let description = filing.description.trimmingCharacters(in: .whitespacesAndNewlines)
        let now = services.now()
        let scope = RequestRecords.encode(actor)
        let services = self.services
        // Reads happen on a reader, beside the writer, in two queries. A re-sent form and a second
        // open request of a kind are not looked for here: the unique indexes on idempotency keys
        // and open requests refuse them at the insert, and the handler below answers them. That
        // keeps the common case, a new request, to two reads and a share of a batched write
        // (issue 3's intake target).
        let prepared = try await services.store.read { db -> PreparedFiling in
            guard let found = try await RequestRecords.filingHousehold(id: filing.householdID, on: db) else { throw AppError.notFound }
            let household = found.household
            if let grants, !grants.allows(.viewDirectory, at: household.path) { throw AppError.notFound }
            // The form is judged only once the caller may file for this household: a household
            // outside their places is a 404 whatever the form says.
            guard !description.isEmpty else { throw AppError.required("description") }
            guard description.count <= Self.maximumDescriptionLength else { throw AppError.tooLong("description", max: Self.maximumDescriptionLength) }
            guard !description.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) else { throw AppError.invalid("description") }
            if let idempotencyKey, idempotencyKey.count > 200 || idempotencyKey.containsControlCharacters { throw AppError.invalid("idempotency_key") }
            if let residentID = filing.residentID, !found.residentIDs.contains(residentID) { throw AppError.invalid("resident_id") }
            let districtPolicy = try await Self.policy(district: household.districtID, services: services, on: db)
            let (policy, routing) = (districtPolicy.deadlines, districtPolicy.routing)
            let proposal = UrgencyRules.propose(category: filing.category, description: description, careNotes: found.careNotes)
            let above = try await RequestRecords.filingPlaces(above: household.path, roles: routing.roles(for: household.path, category: filing.category), on: db)
            let decision = routing.route(household: household.path, places: above.places, category: filing.category, candidates: above.candidates)
            let request = LinliCore.Request.filed(
                id: 0, householdID: household.id, residentID: filing.residentID, category: filing.category, urgency: proposal.urgency,
                description: description, channel: filing.channel, filedBy: actor, routing: decision, policy: policy, at: now
            )
            // A life-critical need is announced to the groups above the household as it is filed.
            let targets = request.urgency == .lifeCritical ? try await NotifyRecords.targets(at: above.places.map(\.id), on: db) : []
            return PreparedFiling(request: request, household: household, idempotencyKey: idempotencyKey, scope: scope, httpRequestID: httpRequestID, at: now, notify: targets)
        }
        do {
            return Filed(stored: try await services.filings.submit(prepared), created: true)
        } catch where Store.isUniqueViolation(error) {
            // The form was sent before, or someone filed the same kind a moment ago.
            return try await services.store.read { db in
                if let idempotencyKey, let existing = try await RequestRecords.requestID(idempotencyKey: idempotencyKey, scope: scope, on: db),
                   let stored = try await RequestRecords.request(id: existing, on: db) {
                    return Filed(stored: stored, created: false)
                }
                try await Self.refuseDuplicate(householdID: prepared.household.id, category: prepared.request.category, on: db)
                throw error
            }
        }
    }

    /// Who files and for which household: a household for itself, whatever the form says; staff
    /// for a household in their places (`grants`, checked when the household is read).
    struct Filer: Sendable {
        var householdID: PlaceID
        var actor: RequestActor
        var grants: Grants?
        var channel: RequestChannel

        init(_ caller: Caller, householdID: PlaceID?) throws {
            switch caller {
            case .household(let identity):
                (self.householdID, actor, grants, channel) = (identity.household.id, .household(id: identity.household.id), nil, .householdCode)
            case .user(let identity):
                guard let householdID else { throw AppError.required("household_id") }
                (self.householdID, actor, grants, channel) = (householdID, .user(id: identity.user.id), identity.grants, .volunteerOnBehalf)
            case .anonymous:
                throw AppError.unauthenticated
            }
        }
    }

    /// A request ready to be written: everything decided, only the id to come.
    struct PreparedFiling: Sendable {
        var request: LinliCore.Request
        var household: Household
        var idempotencyKey: String?
        var scope: String
        var httpRequestID: String
        var at: Date
        var notify: [StoredTarget]
    }

    /// Writes filings that arrived together: one insert per table for all of them.
    static func write(_ filings: [PreparedFiling], on db: any SQLDatabase) async throws -> [StoredRequest] {
        let stored = try await RequestRecords.insert(filings.map { ($0.request, $0.household) }, on: db)
        let keys = zip(filings, stored).compactMap { filing, stored in filing.idempotencyKey.map { (key: $0, scope: filing.scope, requestID: stored.request.id) } }
        guard let now = filings.first?.at else { return stored }
        try await RequestRecords.remember(idempotencyKeys: keys, at: now, on: db)
        try await JobRecords.enqueue(stored.compactMap { deadlineJob(for: $0.request) }, at: now, on: db)
        try await AuditRecords.append(zip(filings, stored).map { filing, stored in
            AuditEntry(at: filing.at, actor: filing.scope, action: "request.create", entity: "request", entityID: "\(stored.request.id)", path: filing.household.path.rawValue, after: RegisterRecords.json(AuditedRequest(stored.request)), requestID: filing.httpRequestID)
        }, on: db)
        for (filing, stored) in zip(filings, stored) where !filing.notify.isEmpty {
            try await NotifyRecords.enqueue(lifeCriticalMessage(stored.request), to: filing.notify, at: filing.at, on: db)
        }
        return stored
    }

    static func write(_ filing: PreparedFiling, on db: any SQLDatabase) async throws -> StoredRequest {
        try await write([filing], on: db)[0]
    }

    static func refuseDuplicate(householdID: PlaceID, category: RequestCategory, on db: any SQLDatabase) async throws {
        if let duplicate = try await RequestRecords.openDuplicate(householdID: householdID, category: category, on: db) {
            throw AppError(.conflict, "requests.duplicate", field: "category", arguments: ["id": "\(duplicate.request.id)"])
        }
    }

    /// The next deadline of an open request becomes a job; a closed request needs none.
    static func scheduleDeadline(_ request: LinliCore.Request, at now: Date, on db: any SQLDatabase) async throws {
        guard let job = deadlineJob(for: request) else { return }
        try await JobRecords.enqueue(kind: job.kind, payload: job.payload, runAt: job.runAt, dedupeKey: job.dedupeKey, at: now, on: db)
    }

    /// The job for a request's next deadline: one per request, level and phase, so scheduling it
    /// twice runs it once.
    static func deadlineJob(for request: LinliCore.Request) -> (kind: String, payload: String, runAt: Date, dedupeKey: String?)? {
        let phase: String
        let due: Date
        switch request.status {
        case .new: (phase, due) = ("accept", request.acceptBy)
        case .accepted, .inProgress: (phase, due) = ("done", request.doneBy)
        default: return nil
        }
        return (deadlineJobKind, "\(request.id)", due, "request:\(request.id):\(request.escalationLevel):\(phase):\(due.millisecondsSince1970)")
    }

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
    func act(_ action: Action, on id: LinliCore.RequestID, caller: Caller, note: String?, requestID httpRequestID: String) async throws -> StoredRequest {
        try await act(action, on: id, caller: caller, details: ActionDetails(note: note), requestID: httpRequestID)
    }

    func act(_ action: Action, on id: LinliCore.RequestID, caller: Caller, details: ActionDetails, requestID httpRequestID: String) async throws -> StoredRequest {
        let note = details.note
        if let note, note.count > Self.maximumDescriptionLength { throw AppError.tooLong("note", max: Self.maximumDescriptionLength) }
        let now = services.now()
        do {
            return try await applyAction(action, on: id, caller: caller, details: details, now: now, httpRequestID: httpRequestID)
        } catch where Store.isUniqueViolation(error) {
            // Reopening while another request of the same kind is open.
            throw AppError(.conflict, "requests.duplicate_open", field: "status")
        }
    }

    private func applyAction(_ action: Action, on id: LinliCore.RequestID, caller: Caller, details: ActionDetails, now: Date, httpRequestID: String) async throws -> StoredRequest {
        let services = self.services
        return try await services.store.write { db in
            guard let stored = try await RequestRecords.request(id: id, on: db) else { throw AppError.notFound }
            let actor = try Self.authorize(caller, for: stored)
            let policy = try await Self.policy(district: stored.districtID, services: services, on: db).deadlines
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
            try await Self.scheduleDeadline(change.request, at: now, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: RequestRecords.encode(actor), action: "request.\(change.transition.kind.rawValue)", entity: "request", entityID: "\(id)", path: stored.path.rawValue, before: stored.request.status.rawValue, after: change.request.status.rawValue, requestID: httpRequestID)], on: db)
            return StoredRequest(request: change.request, version: stored.version + 1, path: stored.path, districtID: stored.districtID)
        }
    }

    static func change(_ request: LinliCore.Request, action: Action, actor: RequestActor, details: ActionDetails, policy: DeadlinePolicy, now: Date) throws(RequestRuleError) -> RequestChange {
        let note = details.note
        switch (action, actor) {
        case (.reassign, .user(let user)):
            guard let owner = details.owner else { throw RequestRuleError(.alreadyOwner) }
            return try request.reassign(to: owner, by: user, reason: note ?? "", at: now)
        case (.changeUrgency, .user(let user)):
            guard let urgency = details.urgency else { throw RequestRuleError(.urgencyUnchanged) }
            return try request.changeUrgency(to: urgency, by: user, reason: note ?? "", policy: policy, at: now)
        case (.accept, .user(let user)): return try request.accept(by: user, at: now)
        case (.start, .user(let user)): return try request.start(by: user, at: now)
        case (.done, _): return try request.complete(by: actor, note: note, at: now)
        case (.cancel, _): return try request.cancel(by: actor, reason: note, at: now)
        case (.unable, .user(let user)): return try request.markUnable(by: user, reason: note ?? "", at: now)
        case (.resolvedElsewhere, _): return try request.resolveElsewhere(by: actor, reason: note ?? "", at: now)
        case (.reopen, _): return try request.reopen(by: actor, reason: note, policy: policy, at: now)
        case (.accept, _), (.start, _), (.unable, _), (.reassign, _), (.changeUrgency, _): throw RequestRuleError(.notOwnHousehold)
        }
    }

    /// The places above a household, for routing, escalation and the groups to notify.
    static func placesAbove(_ household: PlacePath, on db: any SQLDatabase) async throws -> [PlaceOnPath] {
        try await DirectoryRecords.ancestors(of: household, on: db)
            .filter { $0.level != .household }
            .map { PlaceOnPath(id: $0.id, level: $0.level) }
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
    func visible(id: LinliCore.RequestID, caller: Caller) async throws -> StoredRequest {
        // Anonymous callers learn nothing, not even whether a request exists.
        if case .anonymous = caller { throw AppError.unauthenticated }
        return try await services.store.read { db in
            guard let stored = try await RequestRecords.request(id: id, on: db) else { throw AppError.notFound }
            _ = try Self.authorize(caller, for: stored)
            return stored
        }
    }

    func request(id: LinliCore.RequestID, caller: Caller) async throws -> (StoredRequest, [RequestTransition]) {
        if case .anonymous = caller { throw AppError.unauthenticated }
        return try await services.store.read { db in
            guard let stored = try await RequestRecords.request(id: id, on: db) else { throw AppError.notFound }
            _ = try Self.authorize(caller, for: stored)
            return (stored, try await RequestRecords.transitions(requestID: id, on: db))
        }
    }

    /// The escalation job: a missed deadline moves the request one rung up the place tree, once.
    var deadlineHandler: JobHandler {
        let services = self.services
        return JobHandler(kind: Self.deadlineJobKind) { job in
            guard let id = LinliCore.RequestID(job.payload) else { return }
            let now = services.now()
            try await services.store.write { db in
                guard let stored = try await RequestRecords.request(id: id, on: db) else { return }
                let policy = try await Self.policy(district: stored.districtID, services: services, on: db).deadlines
                let places = try await Self.placesAbove(stored.path, on: db)
                guard let step = Escalation.step(for: stored.request, places: places, policy: policy, now: now) else {
                    // Not overdue (it moved on since the job was scheduled): check its next deadline then.
                    try await Self.scheduleDeadline(stored.request, at: now, on: db)
                    return
                }
                let change: RequestChange
                do {
                    change = try stored.request.escalate(step, at: now)
                } catch {
                    return
                }
                guard try await RequestRecords.apply(change, expectedVersion: stored.version, on: db) else { return }
                try await Self.scheduleDeadline(change.request, at: now, on: db)
                // The groups above the household hear of it in the same transaction (the outbox).
                let targets = try await NotifyRecords.targets(at: places.map(\.id), on: db)
                if !targets.isEmpty {
                    let ownerName = try await DirectoryRecords.place(id: step.toPlaceID, on: db)?.name ?? "\(step.toPlaceID)"
                    try await NotifyRecords.enqueue(Self.escalationMessage(change.request, ownerName: ownerName), to: targets, at: now, on: db)
                }
                try await AuditRecords.append([AuditEntry(at: now, actor: "system", action: "request.escalate", entity: "request", entityID: "\(id)", path: stored.path.rawValue, before: step.fromPlaceID.map { "\($0)" }, after: "\(step.toPlaceID)")], on: db)
            }
        }
    }
}

extension RequestService {
    /// Filed life-critical: the groups above the household hear of it at once, not at the first
    /// missed deadline. In the default language, as group chats are Chinese.
    static func lifeCriticalMessage(_ request: LinliCore.Request) -> NotificationMessage {
        let language = Language.default
        let arguments = ["id": "\(request.id)", "category": Catalogue.text(request.category.catalogueKey, language)]
        return NotificationMessage(
            kind: "request.life_critical", subjectID: "\(request.id)",
            title: Catalogue.text("notify.request.life_critical.title", language, arguments),
            text: Catalogue.text("notify.request.life_critical.text", language, arguments),
            link: "/requests/\(request.id)"
        )
    }

    /// Group chats are Chinese: the message is in the default language.
    static func escalationMessage(_ request: LinliCore.Request, ownerName: String) -> NotificationMessage {
        let language = Language.default
        let arguments = [
            "id": "\(request.id)",
            "category": Catalogue.text(request.category.catalogueKey, language),
            "urgency": Catalogue.text(request.urgency.catalogueKey, language),
            "owner": ownerName,
        ]
        return NotificationMessage(
            kind: "request.escalated", subjectID: "\(request.id)",
            title: Catalogue.text("notify.request.escalated.title", language, arguments),
            text: Catalogue.text("notify.request.escalated.text", language, arguments),
            link: "/requests/\(request.id)"
        )
    }
}

/// What the audit log keeps of a new request (no free-text health details beyond the description).
struct AuditedRequest: Encodable {
    var category: String
    var urgency: String
    var channel: String
    var ownerUserID: Int64?
    var ownerPlaceID: PlaceID?

    init(_ request: LinliCore.Request) {
        category = request.category.rawValue
        urgency = request.urgency.rawValue
        channel = request.channel.rawValue
        ownerUserID = request.ownerUserID
        ownerPlaceID = request.ownerPlaceID
    }
}
