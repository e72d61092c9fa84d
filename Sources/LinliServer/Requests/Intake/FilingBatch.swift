import Foundation
import LinliCore
import LinliStore
import SQLKit

/// The write of the filings that arrive together (`Store.write(_:batchedBy:)` hands them over).
/// One per server: it holds the cache of the districts' rules, which every filing needs.
final class FilingBatch: BatchedWrite {
    /// Districts' deadlines and routing rules, kept for a few seconds.
    let policies: ExpiringCache<PlaceID, DistrictRequestPolicy>

    init(policies: ExpiringCache<PlaceID, DistrictRequestPolicy>) {
        self.policies = policies
    }

    /// Files the filings that arrived together, in one transaction: one query per kind of fact
    /// for all of them, then the inserts. Each filing has its own outcome; a refusal (a household
    /// outside the caller's places, a duplicate) affects no other.
    func write(_ submissions: [FilingSubmission], on db: any SQLDatabase) async throws -> [FilingOutcome] {
        guard let now = submissions.first?.at else { return [] }
        var outcomes = [FilingOutcome?](repeating: nil, count: submissions.count)
        // The three reads that need nothing but the submissions go to the connection at once: on
        // PostgreSQL each then follows the one before as soon as it is answered, with no wait for
        // this task to be scheduled in between, and the batch behind this one waits less. They
        // read for every submission, refused or not: the refusals are decided on what they find.
        let householdIDs = Array(Set(submissions.map(\.filing.householdID)))
        let keyed = submissions.indices.filter { submissions[$0].idempotencyKey != nil }
        let sentKeys = keyed.compactMap { index in submissions[index].idempotencyKey.map { (submissions[index].scope, $0) } }
        async let householdsRead = RequestRecords.filingHouseholds(ids: householdIDs, on: db)
        async let keysRead = RequestRecords.requestIDs(idempotencyKeys: sentKeys, on: db)
        async let openRead = RequestRecords.openRequests(households: householdIDs, on: db)
        let (households, known, open) = try await (householdsRead, keysRead, openRead)
        for (index, submission) in submissions.enumerated() {
            outcomes[index] = Self.refusal(of: submission, household: households[submission.filing.householdID]).map(FilingOutcome.refused)
        }

        // A form sent again answers with the request it created.
        for index in keyed where outcomes[index] == nil {
            guard let key = submissions[index].idempotencyKey, let id = known[IdempotencyKey(scope: submissions[index].scope, key: key)] else { continue }
            guard let stored = try await RequestRecords.request(id: id, on: db) else { throw StoreError.conflict("an idempotency key names a missing request") }
            outcomes[index] = Self.replay(stored, to: submissions[index])
        }

        // One open request per household and kind: a second is offered for merging. Within the
        // batch, the first of a form sent twice or of a kind filed twice goes in; the rest follow it.
        // A form counts as sent before only once it went in: one refused leaves no key behind.
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
                outcomes[index] = .refused(Self.duplicate(of: existing))
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
            districtPolicies[district] = try await policies.policy(district: district, now: now, on: db)
        }
        func policy(for household: Household) -> DistrictRequestPolicy { household.districtID.flatMap { districtPolicies[$0] } ?? .standard }
        var roles = Set<RoleKind>()
        for (index, found) in toFile {
            roles.formUnion(policy(for: found.household).routing.roles(for: found.household.path, category: submissions[index].filing.category))
        }
        let places = try await RequestRecords.filingPlaces(above: toFile.map(\.household.household.path), roles: roles, on: db)
        // Open requests each person is given in this batch, so the least loaded stays least loaded.
        var given: [UserID: Int] = [:]
        var filed: [(index: Int, request: HelpRequest, household: Household, notify: [StoredTarget])] = []
        var placesToNotify: [Int: [PlaceID]] = [:]
        for (index, found) in toFile {
            let submission = submissions[index]
            let household = found.household
            let districtPolicy = policy(for: household)
            let proposal = UrgencyRules.propose(category: submission.filing.category, described: submission.described, careNotes: found.careNotes, care: found.care)
            let (above, candidates) = places.above(household.path)
            let loaded = candidates.map { candidate in
                var candidate = candidate
                candidate.openRequests += given[candidate.userID] ?? 0
                return candidate
            }
            let decision = districtPolicy.routing.route(household: household.path, places: above, category: submission.filing.category, candidates: loaded)
            let request = HelpRequest.filed(
                id: 0, householdID: household.id, residentID: submission.filing.residentID, category: submission.filing.category, urgency: proposal.urgency,
                description: submission.filing.description, channel: submission.filing.channel, filedBy: submission.actor, routing: decision,
                policy: districtPolicy.deadlines, at: submission.at
            )
            if let owner = request.ownerUserID { given[owner, default: 0] += 1 }
            // A life-critical need is announced to the groups above the household as it is filed.
            if request.urgency == .lifeCritical { placesToNotify[filed.count] = above.map(\.id) }
            filed.append((index, request, household, []))
        }
        // The groups of every life-critical filing in the batch, read at once.
        if !placesToNotify.isEmpty {
            let targets = try await NotifyRecords.targets(at: Array(Set(placesToNotify.values.joined())), on: db)
            for (position, places) in placesToNotify {
                let above = Set(places)
                filed[position].notify = targets.filter { above.contains($0.placeID) }
            }
        }

        // In the order of the unique keys: two transactions in flight (two nodes, or two batches of
        // one node on PostgreSQL) then take their row locks in the same order, so one waits for the
        // other instead of both waiting in a circle until PostgreSQL aborts one.
        filed.sort { ($0.request.householdID, $0.request.category.rawValue) < ($1.request.householdID, $1.request.category.rawValue) }
        let stored = try await RequestRecords.insert(filed.map { ($0.request, $0.household) }, on: db)
        let keys = zip(filed, stored).compactMap { filing, stored in
            submissions[filing.index].idempotencyKey.map { (key: $0, scope: submissions[filing.index].scope, requestID: stored.request.id) }
        }
        // What hangs off the new requests, in one statement on PostgreSQL: a round trip fewer per table.
        try await db.insertRows([
            RequestRecords.rows(idempotencyKeys: keys.sorted { ($0.scope, $0.key) < ($1.scope, $1.key) }, at: now),
            JobRecords.rows(stored.compactMap { RequestEscalation.deadlineJob(for: $0.request) }, at: now),
            AuditRecords.rows(zip(filed, stored).map { filing, stored in
                let submission = submissions[filing.index]
                return AuditEntry(at: submission.at, actor: submission.scope, action: "request.create", entity: "request", entityID: "\(stored.request.id)", path: stored.path.rawValue, after: AuditedRequest(stored.request).json, traceID: submission.traceID)
            }),
        ])
        for (filing, stored) in zip(filed, stored) {
            outcomes[filing.index] = .created(stored)
            if !filing.notify.isEmpty {
                try await NotifyRecords.enqueue(RequestMessages.lifeCritical(stored.request), to: filing.notify, at: submissions[filing.index].at, on: db)
            }
        }
        for (index, first) in sameKind {
            guard case .created(let stored) = outcomes[first] else { throw StoreError.conflict("a filing's first of its kind was not filed") }
            outcomes[index] = .refused(Self.duplicate(of: stored.request.id))
        }
        for (index, first) in sameKey {
            guard case .created(let stored) = outcomes[first] else { throw StoreError.conflict("a form sent twice in one batch was not filed the first time") }
            outcomes[index] = Self.replay(stored, to: submissions[index])
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
    static func replay(_ stored: StoredRequest, to submission: FilingSubmission) -> FilingOutcome {
        if let grants = submission.grants, !grants.allows(.viewDirectory, at: stored.path) { return .refused(.notFound) }
        let filing = submission.filing
        guard stored.request.householdID == filing.householdID, stored.request.category == filing.category,
              stored.request.description == filing.description else {
            return .refused(AppError(.unprocessableContent, "requests.idempotency_key_reused", field: "Idempotency-Key"))
        }
        return .replayed(stored)
    }

    static func duplicate(of id: HelpRequestID) -> AppError {
        AppError(.conflict, "requests.duplicate", field: "category", arguments: ["id": "\(id)"])
    }

    static func refuseDuplicate(householdID: PlaceID, category: RequestCategory, on db: any SQLDatabase) async throws {
        if let duplicate = try await RequestRecords.openDuplicate(householdID: householdID, category: category, on: db) {
            throw Self.duplicate(of: duplicate.request.id)
        }
    }

}
