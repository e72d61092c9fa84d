import Foundation
import Hummingbird
import LinliCore
import LinliStore
import SQLKit

/// Filing requests and moving them through their lifecycle, with the access rules, deadlines and
/// escalation jobs. Shared by the JSON API, the pages and the job runner.
struct RequestService: Sendable {
    let services: AppServices
    var policy: DeadlinePolicy { .standard }
    var routing: RequestRouting { .standard }

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

    func file(_ filing: Filing, by actor: RequestActor, idempotencyKey: String?, requestID httpRequestID: String) async throws -> Filed {
        let description = filing.description.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !description.isEmpty else { throw AppError.required("description") }
        guard description.count <= Self.maximumDescriptionLength else { throw AppError.tooLong("description", max: Self.maximumDescriptionLength) }
        guard !description.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) else { throw AppError.invalid("description") }
        if let idempotencyKey, idempotencyKey.count > 200 || idempotencyKey.containsControlCharacters { throw AppError.invalid("idempotency_key") }
        let now = services.now()
        let scope = RequestRecords.encode(actor)
        let (policy, routing) = (self.policy, self.routing)
        // Everything that only reads happens on a reader, beside the writer; the transaction that
        // follows is a few inserts, so the single SQLite writer stays free (issue 3's intake target).
        let prepared = try await services.store.read { db -> (Filed?, Household?, LinliCore.Request?) in
            if let idempotencyKey, let existing = try await RequestRecords.requestID(idempotencyKey: idempotencyKey, scope: scope, on: db),
               let stored = try await RequestRecords.request(id: existing, on: db) {
                return (Filed(stored: stored, created: false), nil, nil)
            }
            guard let household = try await HouseholdRecords.household(id: filing.householdID, on: db) else { throw AppError.notFound }
            if let residentID = filing.residentID {
                let detail = try await HouseholdRecords.detail(id: household.id, on: db)
                guard detail?.residents.contains(where: { $0.id == residentID }) == true else { throw AppError.invalid("resident_id") }
            }
            try await Self.refuseDuplicate(householdID: household.id, category: filing.category, on: db)
            let careNotes = try await RequestRecords.careNotes(householdID: household.id, on: db)
            let proposal = UrgencyRules.propose(category: filing.category, description: description, careNotes: careNotes)
            let places = try await Self.placesAbove(household.path, on: db)
            let candidates = try await RequestRecords.candidates(roles: routing.roles(for: household.path, category: filing.category), places: places.map(\.id), on: db)
            let decision = routing.route(household: household.path, places: places, category: filing.category, candidates: candidates)
            let request = LinliCore.Request.filed(
                id: 0, householdID: household.id, residentID: filing.residentID, category: filing.category, urgency: proposal.urgency,
                description: description, channel: filing.channel, filedBy: actor, routing: decision, policy: policy, at: now
            )
            return (nil, household, request)
        }
        if let replay = prepared.0 { return replay }
        guard let household = prepared.1, let request = prepared.2 else { throw AppError.notFound }
        do {
            return try await services.store.write { db in
                let stored = try await RequestRecords.insert(request, household: household, at: now, on: db)
                if let idempotencyKey {
                    try await RequestRecords.remember(idempotencyKey: idempotencyKey, scope: scope, requestID: stored.request.id, at: now, on: db)
                }
                try await Self.scheduleDeadline(stored.request, at: now, on: db)
                try await AuditRecords.append([AuditEntry(at: now, actor: scope, action: "request.create", entity: "request", entityID: "\(stored.request.id)", path: household.path.rawValue, after: RegisterRecords.json(AuditedRequest(stored.request)), requestID: httpRequestID)], on: db)
                return Filed(stored: stored, created: true)
            }
        } catch where Store.isUniqueViolation(error) {
            // Someone filed the same kind, or re-sent the same form, a moment ago.
            return try await services.store.read { db in
                if let idempotencyKey, let existing = try await RequestRecords.requestID(idempotencyKey: idempotencyKey, scope: scope, on: db),
                   let stored = try await RequestRecords.request(id: existing, on: db) {
                    return Filed(stored: stored, created: false)
                }
                try await Self.refuseDuplicate(householdID: household.id, category: request.category, on: db)
                throw error
            }
        }
    }

    static func refuseDuplicate(householdID: PlaceID, category: RequestCategory, on db: any SQLDatabase) async throws {
        if let duplicate = try await RequestRecords.openDuplicate(householdID: householdID, category: category, on: db) {
            throw AppError(.conflict, "requests.duplicate", field: "category", arguments: ["id": "\(duplicate.request.id)"])
        }
    }

    /// The next deadline of an open request becomes a job; a closed request needs none.
    static func scheduleDeadline(_ request: LinliCore.Request, at now: Date, on db: any SQLDatabase) async throws {
        let phase: String
        let due: Date
        switch request.status {
        case .new: (phase, due) = ("accept", request.acceptBy)
        case .accepted, .inProgress: (phase, due) = ("done", request.doneBy)
        default: return
        }
        try await JobRecords.enqueue(
            kind: deadlineJobKind, payload: "\(request.id)", runAt: due,
            dedupeKey: "request:\(request.id):\(request.escalationLevel):\(phase):\(due.millisecondsSince1970)", at: now, on: db
        )
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
        let policy = self.policy
        do {
            return try await applyAction(action, on: id, caller: caller, details: details, policy: policy, now: now, httpRequestID: httpRequestID)
        } catch where Store.isUniqueViolation(error) {
            // Reopening while another request of the same kind is open.
            throw AppError(.conflict, "requests.duplicate_open", field: "status")
        }
    }

    private func applyAction(_ action: Action, on id: LinliCore.RequestID, caller: Caller, details: ActionDetails, policy: DeadlinePolicy, now: Date, httpRequestID: String) async throws -> StoredRequest {
        try await services.store.write { db in
            guard let stored = try await RequestRecords.request(id: id, on: db) else { throw AppError.notFound }
            let actor = try Self.authorize(caller, for: stored)
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
            return StoredRequest(request: change.request, version: stored.version + 1, path: stored.path)
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
        try await services.store.read { db in
            guard let stored = try await RequestRecords.request(id: id, on: db) else { throw AppError.notFound }
            _ = try Self.authorize(caller, for: stored)
            return stored
        }
    }

    func request(id: LinliCore.RequestID, caller: Caller) async throws -> (StoredRequest, [RequestTransition]) {
        try await services.store.read { db in
            guard let stored = try await RequestRecords.request(id: id, on: db) else { throw AppError.notFound }
            _ = try Self.authorize(caller, for: stored)
            return (stored, try await RequestRecords.transitions(requestID: id, on: db))
        }
    }

    /// The escalation job: a missed deadline moves the request one rung up the place tree, once.
    var deadlineHandler: JobHandler {
        let services = self.services
        let policy = self.policy
        return JobHandler(kind: Self.deadlineJobKind) { job in
            guard let id = LinliCore.RequestID(job.payload) else { return }
            let now = services.now()
            try await services.store.write { db in
                guard let stored = try await RequestRecords.request(id: id, on: db) else { return }
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
