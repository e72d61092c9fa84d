import Foundation
import LinliCore
import LinliStore
import SQLKit

/// Deadlines and escalation: every open request has a job at its next deadline, and a missed
/// deadline moves the request one rung up the place tree, telling the groups above.
struct RequestEscalation {
    let services: AppServices

    /// The job that checks a request's deadline; one per request, level and phase, so scheduling
    /// it twice runs it once.
    static let deadlineJobKind = "request.deadline"

    /// The next deadline of an open request becomes a job; a closed request needs none.
    static func scheduleDeadline(_ request: HelpRequest, at now: Date, on db: any SQLDatabase) async throws {
        guard let job = deadlineJob(for: request) else { return }
        try await JobRecords.enqueue(kind: job.kind, payload: job.payload, runAt: job.runAt, dedupeKey: job.dedupeKey, at: now, on: db)
    }

    /// The job for a request's next deadline: one per request, level and phase, so scheduling it
    /// twice runs it once.
    static func deadlineJob(for request: HelpRequest) -> (kind: String, payload: String, runAt: Date, dedupeKey: String?)? {
        let phase: String
        let due: Date
        switch request.status {
        case .new: (phase, due) = ("accept", request.acceptBy)
        case .accepted, .inProgress: (phase, due) = ("done", request.doneBy)
        default: return nil
        }
        return (deadlineJobKind, "\(request.id)", due, "request:\(request.id):\(request.escalationLevel):\(phase):\(due.millisecondsSince1970)")
    }

    /// The places above a household, for routing, escalation and the groups to notify.
    static func placesAbove(_ household: PlacePath, on db: any SQLDatabase) async throws -> [PlaceOnPath] {
        try await DirectoryRecords.ancestors(of: household, on: db)
            .filter { $0.level != .household }
            .map { PlaceOnPath(id: $0.id, level: $0.level) }
    }

    /// The escalation job: a missed deadline moves the request one rung up the place tree, once.
    var deadlineHandler: JobHandler {
        let services = self.services
        return JobHandler(kind: Self.deadlineJobKind) { job in
            guard let id = HelpRequestID(job.payload) else {
                // A payload this job never writes: nothing to escalate, and nothing to retry.
                services.logger.error("a deadline job names no request", metadata: ["job": "\(job.id)", "payload": "\(job.payload)"])
                return
            }
            let now = services.now()
            try await services.store.write { db in
                guard let stored = try await RequestRecords.request(id: id, on: db) else { return }
                let policy = try await services.requestPolicies.policy(district: stored.districtID, now: now, on: db).deadlines
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
                    // `Escalation.step` found it overdue, so the request's own rules refusing the
                    // step means the two disagree: worth a look, and no reason to retry.
                    services.logger.error("an overdue request refused its escalation", metadata: ["request": "\(id)", "error": "\(error)"])
                    return
                }
                // Changed by someone in the meantime: that change scheduled its own deadline.
                guard try await RequestRecords.apply(change, expectedVersion: stored.version, on: db) else { return }
                try await Self.scheduleDeadline(change.request, at: now, on: db)
                // The groups above the household hear of it in the same transaction (the outbox).
                let targets = try await NotifyRecords.targets(at: places.map(\.id), on: db)
                if !targets.isEmpty {
                    let ownerName = try await DirectoryRecords.place(id: step.toPlaceID, on: db)?.name ?? "\(step.toPlaceID)"
                    try await NotifyRecords.enqueue(RequestMessages.escalation(change.request, ownerName: ownerName), to: targets, at: now, on: db)
                }
                try await AuditRecords.append([AuditEntry(at: now, actor: "system", action: "request.escalate", entity: "request", entityID: "\(id)", path: stored.path.rawValue, before: step.fromPlaceID.map { "\($0)" }, after: "\(step.toPlaceID)")], on: db)
            }
        }
    }
}
