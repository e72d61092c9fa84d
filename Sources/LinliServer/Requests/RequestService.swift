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
        try await policy(district: district, cache: services.requestPolicies, now: services.now(), on: db)
    }

    static func policy(district: PlaceID?, cache: ExpiringCache<PlaceID, DistrictRequestPolicy>, now: Date, on db: any SQLDatabase) async throws -> DistrictRequestPolicy {
        guard let district else { return .standard }
        if let cached = cache.value(for: district, now: now) { return cached }
        let generation = cache.generation
        let policy = try await RequestPolicyRecords.policy(districtID: district, on: db)?.policy ?? .standard
        cache.store(policy, for: district, now: now, lookedUpAt: generation)
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
    /// a household outside their places is a 404.
    ///
    /// Everything that needs no database is done here; the rest (the household, the care
    /// register, routing, the writes) is done for all filings that arrive together at once, in
    /// one transaction (`write(_:policies:on:)`), so a surge of filings costs a few statements per
    /// batch rather than per filing (a surge of thousands a second).
    func file(_ form: Filing, by actor: RequestActor, grants: Grants? = nil, idempotencyKey: String?, requestID httpRequestID: String) async throws -> Filed {
        var filing = form
        filing.description = form.description.trimmingWhitespace
        let formError = Self.formError(description: filing.description, idempotencyKey: idempotencyKey)
        let submission = FilingSubmission(
            filing: filing, actor: actor, scope: RequestRecords.encode(actor), grants: grants, idempotencyKey: idempotencyKey, formError: formError,
            described: formError == nil ? UrgencyRules.described(category: filing.category, description: filing.description) : [],
            httpRequestID: httpRequestID, at: services.now()
        )
        var attempts = 0
        while true {
            attempts += 1
            do {
                switch try await services.filings.submit(submission) {
                case .created(let stored): return Filed(stored: stored, created: true)
                case .replayed(let stored): return Filed(stored: stored, created: false)
                case .refused(let error): throw error
                }
            } catch where Store.isUniqueViolation(error) {
                // Another node took the same form, or filed the same kind, between this batch's
                // reads and its insert (PostgreSQL); the unique indexes refused ours.
                let settled = try await services.store.read { db -> Filed? in
                    if let key = idempotencyKey, let existing = try await RequestRecords.requestID(idempotencyKey: key, scope: submission.scope, on: db),
                       let stored = try await RequestRecords.request(id: existing, on: db) {
                        switch Self.replay(stored, to: submission) {
                        case .replayed(let stored), .created(let stored): return Filed(stored: stored, created: false)
                        case .refused(let error): throw error
                        }
                    }
                    try await Self.refuseDuplicate(householdID: submission.filing.householdID, category: submission.filing.category, on: db)
                    return nil
                }
                if let settled { return settled }
                // Neither the form nor an open request of its kind is there any more: the other
                // node's request was closed in the meantime, and this one may go in now.
                // Still refused after that: the form is not lost, and the phone may send it again.
                if attempts == Self.filingAttempts { throw AppError(.serviceUnavailable, "requests.busy", headers: [.retryAfter: "1"]) }
            }
        }
    }

    /// How often a filing refused by a race it then cannot find is sent again before it is answered
    /// 503, to be sent again by the caller.
    static let filingAttempts = 3

    /// What is wrong with the form itself; answered only once the caller may file for the
    /// household (a household outside their places is a 404 whatever the form says).
    static func formError(description: String, idempotencyKey: String?) -> AppError? {
        if description.isEmpty { return .required("description") }
        if description.count > maximumDescriptionLength { return .tooLong("description", max: maximumDescriptionLength) }
        if description.unicodeScalars.contains(where: { $0.properties.generalCategory == .control && $0 != "\n" && $0 != "\t" }) { return .invalid("description") }
        if let idempotencyKey, idempotencyKey.count > 200 || idempotencyKey.containsControlCharacters { return .invalid("idempotency_key") }
        return nil
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

    /// A filing as it reaches the batch: the form, who sent it, and what could be decided
    /// without the database.
    struct FilingSubmission: Sendable {
        var filing: Filing
        var actor: RequestActor
        /// The actor as the audit log and idempotency keys name it.
        var scope: String
        var grants: Grants?
        var idempotencyKey: String?
        var formError: AppError?
        /// What the description says about urgency (the care register is read with the household).
        var described: [UrgencyFinding]
        var httpRequestID: String
        var at: Date
    }

    enum FilingOutcome: Sendable {
        case created(StoredRequest)
        /// The idempotency key named a request filed before.
        case replayed(StoredRequest)
        case refused(AppError)
    }

    /// Files the filings that arrived together, in one transaction: one query per kind of fact
    /// for all of them, then the inserts. Each filing has its own outcome; a refusal (a household
    /// outside the caller's places, a duplicate) affects no other.
    static func write(_ submissions: [FilingSubmission], policies: ExpiringCache<PlaceID, DistrictRequestPolicy>, on db: any SQLDatabase) async throws -> [FilingOutcome] {
        guard let now = submissions.first?.at else { return [] }
        var outcomes = [FilingOutcome?](repeating: nil, count: submissions.count)
        let households = try await RequestRecords.filingHouseholds(ids: Array(Set(submissions.map(\.filing.householdID))), on: db)
        for (index, submission) in submissions.enumerated() {
            outcomes[index] = refusal(of: submission, household: households[submission.filing.householdID]).map(FilingOutcome.refused)
        }

        // A form sent again answers with the request it created.
        let keyed = submissions.indices.filter { outcomes[$0] == nil && submissions[$0].idempotencyKey != nil }
        let known = try await RequestRecords.requestIDs(idempotencyKeys: keyed.compactMap { index in submissions[index].idempotencyKey.map { (submissions[index].scope, $0) } }, on: db)
        for index in keyed {
            guard let key = submissions[index].idempotencyKey, let id = known[IdempotencyKey(scope: submissions[index].scope, key: key)] else { continue }
            guard let stored = try await RequestRecords.request(id: id, on: db) else { throw StoreError.conflict("an idempotency key names a missing request") }
            outcomes[index] = replay(stored, to: submissions[index])
        }

        // One open request per household and kind: a second is offered for merging. Within the
        // batch, the first of a form sent twice or of a kind filed twice goes in; the rest follow it.
        // A form counts as sent before only once it went in: one refused leaves no key behind.
        let open = try await RequestRecords.openRequests(households: Array(Set(submissions.indices.filter { outcomes[$0] == nil }.map { submissions[$0].filing.householdID })), on: db)
        var firstOfKey: [IdempotencyKey: Int] = [:]
        var firstOfKind: [OpenKind: Int] = [:]
        var sameKey: [(index: Int, first: Int)] = []
        var sameKind: [(index: Int, first: Int)] = []
        var toFile: [(index: Int, household: FilingHousehold)] = []
        for index in submissions.indices where outcomes[index] == nil {
            let submission = submissions[index]
            let key = submission.idempotencyKey.map { IdempotencyKey(scope: submission.scope, key: $0) }
            if let key, let first = firstOfKey[key] {
                sameKey.append((index, first))
                continue
            }
            let kind = OpenKind(householdID: submission.filing.householdID, category: submission.filing.category)
            if let existing = open[kind] {
                outcomes[index] = .refused(duplicate(of: existing))
            } else if let first = firstOfKind[kind] {
                sameKind.append((index, first))
            } else if let household = households[submission.filing.householdID] {
                firstOfKind[kind] = index
                if let key { firstOfKey[key] = index }
                toFile.append((index, household))
            }
        }

        // Routing, with the places above every household read at once.
        var districtPolicies: [PlaceID: DistrictRequestPolicy] = [:]
        for district in Set(toFile.compactMap(\.household.household.districtID)) {
            districtPolicies[district] = try await Self.policy(district: district, cache: policies, now: now, on: db)
        }
        func policy(for household: Household) -> DistrictRequestPolicy { household.districtID.flatMap { districtPolicies[$0] } ?? .standard }
        var roles = Set<RoleKind>()
        for (index, found) in toFile {
            roles.formUnion(policy(for: found.household).routing.roles(for: found.household.path, category: submissions[index].filing.category))
        }
        let places = try await RequestRecords.filingPlaces(above: toFile.map(\.household.household.path), roles: roles, on: db)
        // Open requests each person is given in this batch, so the least loaded stays least loaded.
        var given: [Int64: Int] = [:]
        var filed: [(index: Int, request: LinliCore.Request, household: Household, notify: [StoredTarget])] = []
        for (index, found) in toFile {
            let submission = submissions[index]
            let household = found.household
            let districtPolicy = policy(for: household)
            let proposal = UrgencyRules.propose(category: submission.filing.category, described: submission.described, careNotes: found.careNotes)
            let (above, candidates) = places.above(household.path)
            let loaded = candidates.map { candidate in
                var candidate = candidate
                candidate.openRequests += given[candidate.userID] ?? 0
                return candidate
            }
            let decision = districtPolicy.routing.route(household: household.path, places: above, category: submission.filing.category, candidates: loaded)
            let request = LinliCore.Request.filed(
                id: 0, householdID: household.id, residentID: submission.filing.residentID, category: submission.filing.category, urgency: proposal.urgency,
                description: submission.filing.description, channel: submission.filing.channel, filedBy: submission.actor, routing: decision,
                policy: districtPolicy.deadlines, at: submission.at
            )
            if let owner = request.ownerUserID { given[owner, default: 0] += 1 }
            // A life-critical need is announced to the groups above the household as it is filed.
            let targets = request.urgency == .lifeCritical ? try await NotifyRecords.targets(at: above.map(\.id), on: db) : []
            filed.append((index, request, household, targets))
        }

        let stored = try await RequestRecords.insert(filed.map { ($0.request, $0.household) }, on: db)
        let keys = zip(filed, stored).compactMap { filing, stored in
            submissions[filing.index].idempotencyKey.map { (key: $0, scope: submissions[filing.index].scope, requestID: stored.request.id) }
        }
        try await RequestRecords.remember(idempotencyKeys: keys, at: now, on: db)
        try await JobRecords.enqueue(stored.compactMap { deadlineJob(for: $0.request) }, at: now, on: db)
        try await AuditRecords.append(zip(filed, stored).map { filing, stored in
            let submission = submissions[filing.index]
            return AuditEntry(at: submission.at, actor: submission.scope, action: "request.create", entity: "request", entityID: "\(stored.request.id)", path: stored.path.rawValue, after: AuditedRequest(stored.request).json, requestID: submission.httpRequestID)
        }, on: db)
        for (filing, stored) in zip(filed, stored) {
            outcomes[filing.index] = .created(stored)
            if !filing.notify.isEmpty {
                try await NotifyRecords.enqueue(lifeCriticalMessage(stored.request), to: filing.notify, at: submissions[filing.index].at, on: db)
            }
        }
        for (index, first) in sameKind {
            guard case .created(let stored) = outcomes[first] else { throw StoreError.conflict("a filing's first of its kind was not filed") }
            outcomes[index] = .refused(duplicate(of: stored.request.id))
        }
        for (index, first) in sameKey {
            guard case .created(let stored) = outcomes[first] else { throw StoreError.conflict("a form sent twice in one batch was not filed the first time") }
            outcomes[index] = replay(stored, to: submissions[index])
        }
        return try outcomes.map { outcome in
            guard let outcome else { throw StoreError.conflict("a filing in a batch has no outcome") }
            return outcome
        }
    }

    /// Why a filing cannot go in, before anything else is read: the household is not there or
    /// not the caller's to file for (404 either way), then the form, then a resident who is not
    /// of the household.
    private static func refusal(of submission: FilingSubmission, household found: FilingHousehold?) -> AppError? {
        guard let found else { return .notFound }
        if let grants = submission.grants, !grants.allows(.viewDirectory, at: found.household.path) { return .notFound }
        if let formError = submission.formError { return formError }
        if let residentID = submission.filing.residentID, !found.residentIDs.contains(residentID) { return .invalid("resident_id") }
        return nil
    }

    /// The answer to a form whose key named `stored`. Staff who have since lost the request's place
    /// no longer see it (404, as for any request outside their places). A key sent again with
    /// another household, kind or text is not a re-send but a reused key: answering with the first
    /// request would leave the second household without one, so it is refused (422, as the IETF
    /// Idempotency-Key draft says) and nothing is filed.
    private static func replay(_ stored: StoredRequest, to submission: FilingSubmission) -> FilingOutcome {
        if let grants = submission.grants, !grants.allows(.viewDirectory, at: stored.path) { return .refused(.notFound) }
        let filing = submission.filing
        guard stored.request.householdID == filing.householdID, stored.request.category == filing.category,
              stored.request.description == filing.description else {
            return .refused(AppError(.unprocessableContent, "requests.idempotency_key_reused", field: "Idempotency-Key"))
        }
        return .replayed(stored)
    }

    static func duplicate(of id: LinliCore.RequestID) -> AppError {
        AppError(.conflict, "requests.duplicate", field: "category", arguments: ["id": "\(id)"])
    }

    static func refuseDuplicate(householdID: PlaceID, category: RequestCategory, on db: any SQLDatabase) async throws {
        if let duplicate = try await RequestRecords.openDuplicate(householdID: householdID, category: category, on: db) {
            throw Self.duplicate(of: duplicate.request.id)
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
            // Wrapping only matters for a corrupt row at the largest version; a later change to it
            // then answers "changed meanwhile" instead of trapping.
            return StoredRequest(request: change.request, version: stored.version &+ 1, path: stored.path, districtID: stored.districtID)
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
struct AuditedRequest {
    /// JSON with sorted keys and absent owners left out, written directly: every filing writes
    /// one, inside the batch's transaction. The values are raw values of enums and numbers, which
    /// need no escaping.
    var json: String {
        var json = #"{"category":"\#(category)","channel":"\#(channel)""#
        if let ownerPlaceID { json += #","ownerPlaceID":\#(ownerPlaceID)"# }
        if let ownerUserID { json += #","ownerUserID":\#(ownerUserID)"# }
        return json + #","urgency":"\#(urgency)"}"#
    }

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
