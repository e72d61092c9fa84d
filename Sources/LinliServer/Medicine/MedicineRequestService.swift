import Foundation
import LinliCore
import LinliStore
import SQLKit

/// The medicine part of a request, as volunteers fill it in and runners work it: the items, the
/// visit-record check, the money, and the outcomes that close the request and open its
/// follow-up one level up.
struct MedicineRequestService {
    let services: AppServices

    /// A request the caller may work on as a medicine request: in their places (404 otherwise),
    /// with `capability` there (403), of category medicine (409).
    func request(_ id: HelpRequestID, capability: Capability, identity: UserIdentity) async throws -> StoredRequest {
        let stored = try await services.store.read { db in try await RequestRecords.request(id: id, on: db) }
        guard let stored, identity.grants.allows(.viewDirectory, at: stored.path) else { throw AppError.notFound }
        guard identity.grants.allows(capability, at: stored.path) else { throw AppError.forbidden }
        guard stored.request.category == .medicine else { throw AppError(.conflict, "medicine.request.error.not_medicine", field: "category") }
        return stored
    }

    /// Stores what the volunteer wrote down: the items and the cash handed over. The household's
    /// nearest medicine team runs it; a drug that cannot wait puts it on the same-day queue and
    /// makes the request urgent; a nightly one joins the team's batch collecting for the night.
    func fill(_ id: HelpRequestID, items: [MedicineItem], cashAdvanced: Int, identity: UserIdentity, traceID: String) async throws -> MedicineRequestPart {
        let stored = try await request(id, capability: .runMedicine, identity: identity)
        let now = services.now()
        let services = self.services
        return try await services.store.write { db in
            guard let current = try await RequestRecords.request(id: id, on: db), current.request.status.isOpen else {
                throw AppError(.conflict, "medicine.request.error.closed", field: "status")
            }
            let existing = try await MedicineRequestRecords.part(requestID: id, on: db)
            if let status = existing?.batchStatus, status != .collecting { throw AppError(.conflict, "medicine.request.error.in_run", field: "items") }
            let teams = try await MedicineRequestRecords.teams(onPath: stored.path, on: db)
            let team = existing?.teamID.flatMap { id in teams.first { $0.id == id } } ?? MedicineRules.team(for: stored.path, among: teams)
            guard let team else { throw AppError(.conflict, "medicine.request.error.no_team", field: "household_id") }
            let entries = try await CareRecords.entries(householdID: stored.request.householdID, on: db)
            let onDialysis = entries.contains { entry in
                entry.categories.contains(.dialysis) && (current.request.residentID == nil || entry.residentID == current.request.residentID)
            }
            let queue = MedicineRules.queue(items: items, residentOnDialysis: onDialysis)
            var batch: MedicineBatchID?
            if queue == .nightly {
                let cutoff = try await MedicineRequestRecords.cutoff(team: team.id, on: db)
                batch = try await MedicineNightlyForming.collectingBatch(team: team.id, night: MedicineBatch.night(filedAt: now, cutoffMinute: cutoff), at: now, on: db)
            }
            try await MedicineRecords.store(
                requestID: id, householdID: stored.request.householdID, teamID: team.id, queue: queue, cashAdvanced: cashAdvanced, followUpOf: existing?.followUpOf,
                path: stored.path, districtID: stored.districtID, items: items, batchID: batch, on: db
            )
            if queue == .sameDay, current.request.urgency == .normal {
                let policy = try await services.requestPolicies.policy(district: stored.districtID, now: now, on: db).deadlines
                let change: RequestChange
                do {
                    change = try current.request.changeUrgency(to: .urgent, by: identity.user.id, reason: Catalogue.text("medicine.request.same_day_reason", .default), policy: policy, at: now)
                } catch let error as RequestRuleError {
                    throw AppError(.conflict, error.catalogueKey, field: error.field)
                }
                guard try await RequestRecords.apply(change, expectedVersion: current.version, on: db) else { throw AppError(.conflict, "requests.changed_meanwhile") }
                try await RequestEscalation.scheduleDeadline(change.request, at: now, on: db)
            }
            try await AuditRecords.append([AuditEntry(
                at: now, actor: "user:\(identity.user.id)", action: "medicine_request.fill", entity: "request", entityID: "\(id)", path: stored.path.rawValue,
                after: "\(items.count) items, \(queue.rawValue)", traceID: traceID
            )], on: db)
            guard let part = try await MedicineRequestRecords.part(requestID: id, on: db) else { throw StoreError.conflict("a medicine part just written is missing") }
            return part
        }
    }

    /// The medicine part for a reader: the household itself, or staff who may see health data at
    /// its place. Every staff read is audited (the drugs tell an illness).
    func read(_ id: HelpRequestID, caller: Caller, traceID: String) async throws -> MedicineRequestPart {
        let stored = try await RequestReads(services: services).visible(id: id, caller: caller)
        if case .user(let identity) = caller {
            guard identity.grants.allows(.viewSensitive, at: stored.path) || identity.grants.allows(.runMedicine, at: stored.path) else { throw AppError.forbidden }
        }
        guard let part = try await services.store.read({ db in try await MedicineRequestRecords.part(requestID: id, on: db) }) else { throw AppError.notFound }
        if case .user(let identity) = caller {
            try await services.audit([AuditEntry(
                at: services.now(), actor: "user:\(identity.user.id)", action: "medicine_request.read", entity: "request", entityID: "\(id)",
                path: stored.path.rawValue, traceID: traceID
            )])
        }
        return part
    }

    /// The medicine part of a request in the caller's places, for the runner's steps: refused
    /// (409) once the request is closed or when it has no medicine part yet.
    private func workable(_ id: HelpRequestID, identity: UserIdentity, on db: any SQLDatabase) async throws -> (StoredRequest, MedicineRequestPart) {
        guard let stored = try await RequestRecords.request(id: id, on: db) else { throw AppError.notFound }
        guard let part = try await MedicineRequestRecords.part(requestID: id, on: db) else { throw AppError(.conflict, "medicine.request.error.no_items", field: "items") }
        guard stored.request.status.isOpen else { throw AppError(.conflict, "medicine.request.error.closed", field: "status") }
        return (stored, part)
    }

    /// Records that the resident's visit record was checked at the hospital.
    func verify(_ id: HelpRequestID, identity: UserIdentity, traceID: String) async throws -> MedicineRequestPart {
        let stored = try await request(id, capability: .runMedicine, identity: identity)
        let now = services.now()
        return try await services.store.write { db in
            _ = try await workable(id, identity: identity, on: db)
            try await MedicineRequestRecords.verify(requestID: id, by: identity.user.id, at: now, on: db)
            try await AuditRecords.append([AuditEntry(
                at: now, actor: "user:\(identity.user.id)", action: "medicine_request.verify", entity: "request", entityID: "\(id)", path: stored.path.rawValue, traceID: traceID
            )], on: db)
            guard let part = try await MedicineRequestRecords.part(requestID: id, on: db) else { throw AppError.notFound }
            return part
        }
    }

    /// Records what the runner spent for the request and gave back. Allowed until the batch
    /// closes, because receipts are often counted the morning after.
    func settle(_ id: HelpRequestID, spent: Int, changeReturned: Int, note: String?, identity: UserIdentity, traceID: String) async throws -> MedicineRequestPart {
        let stored = try await request(id, capability: .runMedicine, identity: identity)
        let now = services.now()
        return try await services.store.write { db in
            guard let part = try await MedicineRequestRecords.part(requestID: id, on: db) else { throw AppError(.conflict, "medicine.request.error.no_items", field: "items") }
            if part.batchStatus == .closed { throw AppError(.conflict, "medicine.batch.error.already_closed", field: "batch_id") }
            try await MedicineRequestRecords.settle(requestID: id, spent: spent, changeReturned: changeReturned, note: note, on: db)
            try await AuditRecords.append([AuditEntry(
                at: now, actor: "user:\(identity.user.id)", action: "medicine_request.money", entity: "request", entityID: "\(id)", path: stored.path.rawValue,
                before: "\(part.money.spent.map(String.init) ?? "-")/\(part.money.changeReturned.map(String.init) ?? "-")", after: "\(spent)/\(changeReturned)", traceID: traceID
            )], on: db)
            guard let settled = try await MedicineRequestRecords.part(requestID: id, on: db) else { throw AppError.notFound }
            return settled
        }
    }

    /// What an outcome did: the request's medicine part after it, and the follow-up request that
    /// carries what fell short.
    struct Recorded: Sendable {
        var part: MedicineRequestPart
        var requestStatus: RequestStatus
        var followUp: HelpRequestID?
    }

    /// Records what came of an item. Once every item of the request has an outcome the request
    /// is done, and whatever fell short goes on one follow-up request for the medicine team one
    /// level up, all in one transaction: no outcome is recorded without its follow-up.
    func recordOutcome(item: MedicineItemID, outcome: MedicineOutcome, quantityBought: Int?, note: String?, identity: UserIdentity, traceID: String) async throws -> Recorded {
        guard let requestID = try await services.store.read({ db in try await MedicineRequestRecords.requestID(item: item, on: db) }) else { throw AppError.notFound }
        _ = try await request(requestID, capability: .runMedicine, identity: identity)
        let now = services.now()
        let services = self.services
        return try await services.store.write { db in
            let (stored, part) = try await workable(requestID, identity: identity, on: db)
            guard part.batchStatus == .formed else { throw AppError(.conflict, "medicine.item.error.not_in_run", field: "batch_id") }
            guard let current = part.items.first(where: { $0.id == item }) else { throw AppError.notFound }
            let bought: Int?
            switch outcome {
            case .bought: bought = current.quantity
            case .partial:
                guard let quantityBought else { throw AppError.required("quantity_bought") }
                guard quantityBought > 0, quantityBought < current.quantity else { throw AppError.invalid("quantity_bought") }
                bought = quantityBought
            case .outOfStock, .wrongDrug, .refused: bought = 0
            }
            try await MedicineRequestRecords.recordOutcome(item: item, outcome: outcome, quantityBought: bought, note: note, by: identity.user.id, at: now, on: db)
            try await AuditRecords.append([AuditEntry(
                at: now, actor: "user:\(identity.user.id)", action: "medicine_item.outcome", entity: "request", entityID: "\(requestID)", path: stored.path.rawValue,
                before: current.outcome?.rawValue, after: "\(item): \(outcome.rawValue)", traceID: traceID
            )], on: db)
            guard let updated = try await MedicineRequestRecords.part(requestID: requestID, on: db) else { throw AppError.notFound }
            guard updated.everyItemHasOutcome else { return Recorded(part: updated, requestStatus: stored.request.status, followUp: nil) }
            let done = try await complete(stored, part: updated, runner: identity.user.id, now: now, traceID: traceID, on: db)
            let followUp = try await fileFollowUp(of: stored, part: updated, runner: identity.user.id, now: now, traceID: traceID, on: db)
            return Recorded(part: updated, requestStatus: done.status, followUp: followUp)
        }
    }

    /// Marks the request done by the runner; one nobody had accepted is accepted first, so its
    /// history shows who took it.
    private func complete(_ stored: StoredRequest, part: MedicineRequestPart, runner: UserID, now: Date, traceID: String, on db: any SQLDatabase) async throws -> HelpRequest {
        var request = stored.request
        var version = stored.version
        let bought = part.items.filter { $0.outcome == .bought }.count
        let note = Catalogue.text("medicine.request.done_note", .default, ["bought": "\(bought)", "items": "\(part.items.count)"])
        var changes: [RequestChange] = []
        do {
            if request.status == .new {
                let accepted = try request.accept(by: runner, note: nil, at: now)
                changes.append(accepted)
                request = accepted.request
            }
            changes.append(try request.complete(by: .user(id: runner), note: note, at: now))
        } catch {
            throw AppError(.conflict, error.catalogueKey, field: error.field)
        }
        for change in changes {
            guard try await RequestRecords.apply(change, expectedVersion: version, on: db) else { throw AppError(.conflict, "requests.changed_meanwhile") }
            version &+= 1
            request = change.request
            try await AuditRecords.append([AuditEntry(
                at: now, actor: "user:\(runner)", action: "request.\(change.transition.kind.rawValue)", entity: "request", entityID: "\(request.id)",
                path: stored.path.rawValue, after: change.request.status.rawValue, traceID: traceID
            )], on: db)
        }
        try await RequestEscalation.scheduleDeadline(request, at: now, on: db)
        return request
    }

    /// Files the follow-up of a request whose items fell short, for the medicine team one level
    /// above the one that ran it. The request it follows was closed just before, in the same
    /// transaction, so the household has no other open medicine request (one per household and
    /// kind) and the follow-up always goes in.
    private func fileFollowUp(of stored: StoredRequest, part: MedicineRequestPart, runner: UserID, now: Date, traceID: String, on db: any SQLDatabase) async throws -> HelpRequestID? {
        let missing = MedicineRules.followUpItems(part.items)
        guard !missing.isEmpty else { return nil }
        let teams = try await MedicineRequestRecords.teams(onPath: stored.path, on: db)
        let ranBy = part.teamID.flatMap { id in teams.first { $0.id == id } } ?? MedicineRules.team(for: stored.path, among: teams)
        let upTeam = ranBy.map { MedicineRules.teamAbove($0, among: teams) }
        guard let household = try await HouseholdRecords.household(id: stored.request.householdID, on: db) else { throw AppError.notFound }
        // A request on the same-day queue for the resident's dialysis stays there; otherwise the
        // missing drugs decide, as they did when it was filed.
        let queue = part.queue == .sameDay ? .sameDay : MedicineRules.queue(items: missing, residentOnDialysis: false)
        let urgency: Urgency = queue == .sameDay ? max(stored.request.urgency, .urgent) : stored.request.urgency
        let policy = try await services.requestPolicies.policy(district: stored.districtID, now: now, on: db).deadlines
        let deadlines = policy.deadlines(for: urgency, from: now)
        let description = Catalogue.text("medicine.request.follow_up_description", .default, [
            "id": "\(stored.request.id)", "drugs": missing.map { "\($0.drug) ×\($0.quantity)" }.joined(separator: "、"),
        ])
        let followUp = HelpRequest(
            id: 0, householdID: household.id, residentID: stored.request.residentID, category: .medicine, urgency: urgency, description: description,
            channel: .volunteerOnBehalf, filedBy: .user(id: runner), ownerPlaceID: upTeam?.placeID, status: .new, createdAt: now,
            acceptBy: deadlines.acceptBy, doneBy: deadlines.doneBy
        )
        let inserted = try await RequestRecords.insert(followUp, household: household, on: db)
        try await RequestEscalation.scheduleDeadline(inserted.request, at: now, on: db)
        var batch: MedicineBatchID?
        if let upTeam, queue == .nightly {
            let cutoff = try await MedicineRequestRecords.cutoff(team: upTeam.id, on: db)
            batch = try await MedicineNightlyForming.collectingBatch(team: upTeam.id, night: MedicineBatch.night(filedAt: now, cutoffMinute: cutoff), at: now, on: db)
        }
        try await MedicineRecords.store(
            requestID: inserted.request.id, householdID: household.id, teamID: upTeam?.id, queue: queue, cashAdvanced: 0, followUpOf: stored.request.id,
            path: stored.path, districtID: stored.districtID, items: missing, batchID: batch, on: db
        )
        try await AuditRecords.append([AuditEntry(
            at: now, actor: "user:\(runner)", action: "request.create", entity: "request", entityID: "\(inserted.request.id)", path: inserted.path.rawValue,
            after: AuditedRequest(inserted.request).json, traceID: traceID
        )], on: db)
        return inserted.request.id
    }
}
