import Foundation
import LinliCore
import LinliStore
import SQLKit

/// Writes the demo's two weeks (`DemoHistory`) inside the caller's transaction, through the
/// records the server's own paths write with: each filing as the intake writes it (the request,
/// its deadline job, its audit entry, a life-critical one's messages to the groups above, a
/// chain-list line's idempotency key), each step as `RequestActions` applies it and each
/// escalation as the escalation job does (`RequestRecords.apply` over the version read, the next
/// deadline job, the outbox, the audit entry by `system`). Then the jobs the runner ran before
/// it fell behind are recorded as run, and each message it sent got its robot's answer.
///
/// Requests and their changes go in one by one, in time order, so the store checks every step
/// as it would the real one (the version, one open request per household and kind). What only
/// hangs off them (deadline jobs, audit entries, idempotency keys) is collected and inserted at
/// the end in a few statements: on PostgreSQL each statement is a round trip.
enum DemoHistoryWriter {
    static func write(_ history: DemoHistory, on db: any SQLDatabase) async throws -> DemoHistorySummary {
        var audit: [AuditEntry] = []
        var jobs: [(kind: String, payload: String, runAt: Date, dedupeKey: String?, createdAt: Date)] = []
        var keys: [(key: String, scope: String, requestID: HelpRequestID)] = []
        var targetsAbove = TargetsAbove()
        // Scheduled as `RequestEscalation.scheduleDeadline` schedules it.
        func scheduleDeadline(_ request: HelpRequest, at: Date) {
            if let job = RequestEscalation.deadlineJob(for: request) { jobs.append((job.kind, job.payload, job.runAt, job.dedupeKey, at)) }
        }
        var replies: [WebhookTargetID: DemoWebhookTarget] = [:]
        for demo in history.webhookTargets {
            let id = try await NotifyRecords.addTarget(demo.target, placeID: demo.placeID, at: demo.addedAt, on: db)
            replies[id] = demo
            let path = try await DirectoryRecords.place(id: demo.placeID, on: db)?.path.rawValue
            audit.append(AuditEntry(at: demo.addedAt, actor: RequestRecords.encode(.user(id: demo.addedBy)), action: "webhook.create", entity: "webhook_target", entityID: "\(id)", path: path, after: demo.target.kind.rawValue))
        }

        // The plan numbers requests 1, 2, ... in filing order; the store gives its own ids.
        var stored: [Int64: StoredRequest] = [:]
        for event in history.events {
            switch event {
            case .filed(let filing):
                let request = try await RequestRecords.insert(filing.request, household: filing.household, on: db)
                stored[filing.request.id.rawValue] = request
                let at = filing.request.createdAt
                if let line = filing.chainListLine, let paste = history.chainList {
                    keys.append((ChainListImport.idempotencyKey(message: paste.message, line: line), RequestRecords.encode(filing.request.filedBy), request.request.id))
                }
                scheduleDeadline(request.request, at: at)
                audit.append(AuditEntry(at: at, actor: RequestRecords.encode(filing.request.filedBy), action: "request.create", entity: "request", entityID: "\(request.request.id)", path: request.path.rawValue, after: AuditedRequest(request.request).json))
                if request.request.urgency == .lifeCritical {
                    let targets = try await targetsAbove.of(request, on: db)
                    if !targets.isEmpty { try await NotifyRecords.enqueue(RequestMessages.lifeCritical(request.request), to: targets, at: at, on: db) }
                }
            case .changed(var change, let before):
                guard let current = stored[before.id.rawValue] else { throw StoreError.conflict("the demo history changes a request it never filed") }
                let id = current.request.id
                change.request.id = id
                change.transition.requestID = id
                let at = change.transition.at
                guard try await RequestRecords.apply(change, expectedVersion: current.version, on: db) else {
                    throw StoreError.conflict("the demo history's request \(id) changed under it")
                }
                stored[before.id.rawValue] = StoredRequest(request: change.request, version: current.version + 1, path: current.path, districtID: current.districtID)
                scheduleDeadline(change.request, at: at)
                if change.transition.kind == .escalate {
                    let targets = try await targetsAbove.of(current, on: db)
                    if !targets.isEmpty, let owner = change.request.ownerPlaceID {
                        let ownerName = try await DirectoryRecords.place(id: owner, on: db)?.name ?? "\(owner)"
                        try await NotifyRecords.enqueue(RequestMessages.escalation(change.request, ownerName: ownerName), to: targets, at: at, on: db)
                    }
                    audit.append(AuditEntry(at: at, actor: "system", action: "request.escalate", entity: "request", entityID: "\(id)", path: current.path.rawValue, before: before.ownerPlaceID.map { "\($0)" }, after: change.request.ownerPlaceID.map { "\($0)" }))
                } else {
                    audit.append(AuditEntry(at: at, actor: RequestRecords.encode(change.transition.actor), action: "request.\(change.transition.kind.rawValue)", entity: "request", entityID: "\(id)", path: current.path.rawValue, before: before.status.rawValue, after: change.request.status.rawValue))
                }
            }
        }
        try await JobRecords.enqueue(scheduled: jobs, on: db)
        if let paste = history.chainList { try await RequestRecords.remember(idempotencyKeys: keys, at: paste.at, on: db) }
        // In time order, like entries written as things happened.
        try await AuditRecords.append(audit.enumerated().sorted { ($0.element.at, $0.offset) < ($1.element.at, $1.offset) }.map(\.element), on: db)

        try await JobRecords.recordRun(
            dueBefore: history.runnerCaughtUpTo, after: DemoHistory.runnerDelay,
            kinds: [RequestEscalation.deadlineJobKind, NotifyRecords.deliverJobKind], on: db
        )
        let (delivered, dead) = try await deliver(before: history.runnerCaughtUpTo, replies: replies, on: db)

        let requests = history.requestsNow
        let overdue = requests.filter { request in
            RequestBoard.Line(request).isOverdue(at: history.now)
        }
        return DemoHistorySummary(
            requests: requests.count,
            byStatus: Dictionary(grouping: requests, by: \.status).mapValues(\.count),
            byUrgency: Dictionary(grouping: requests, by: \.urgency).mapValues(\.count),
            overdue: overdue.count,
            escalated: requests.count { $0.escalationLevel > 0 },
            reopened: Set(history.transitions.filter { $0.kind == .reopen }.map(\.requestID)).count,
            notificationsDelivered: delivered, notificationsDead: dead
        )
    }

    /// The group robots that hear about a household: those at any place above it, looked up
    /// once per household.
    private struct TargetsAbove {
        var found: [PlacePath: [StoredTarget]] = [:]

        mutating func of(_ request: StoredRequest, on db: any SQLDatabase) async throws -> [StoredTarget] {
            if let targets = found[request.path] { return targets }
            let places = try await RequestEscalation.placesAbove(request.path, on: db)
            let targets = try await NotifyRecords.targets(at: places.map(\.id), on: db)
            found[request.path] = targets
            return targets
        }
    }

    /// The first attempt at every message put in the outbox before `cutoff`, made when its job
    /// ran, answered as the demo's robot answers: what `NotifyService` records for one attempt.
    private static func deliver(before cutoff: Date, replies: [WebhookTargetID: DemoWebhookTarget], on db: any SQLDatabase) async throws -> (delivered: Int, dead: Int) {
        let policy = DeliveryPolicy.standard
        var (delivered, dead) = (0, 0)
        let pending = try await NotifyRecords.notifications(status: "pending", limit: 100_000, on: db).sorted { $0.id < $1.id }
        for notification in pending where notification.createdAt < cutoff {
            guard let demo = replies[notification.targetID] else { continue }
            let attemptedAt = notification.createdAt.addingTimeInterval(DemoHistory.runnerDelay)
            let outcome = DeliveryOutcome.classify(target: demo.target, status: 200, body: Data(demo.reply.utf8))
            switch policy.decide(outcome, attempt: 1, at: attemptedAt) {
            case .delivered:
                try await NotifyRecords.record(notification.id, status: "delivered", attempts: 1, error: nil, deliveredAt: attemptedAt, attemptedAt: attemptedAt, on: db)
                delivered += 1
            case .retry(let at, let failure):
                try await NotifyRecords.record(notification.id, status: "pending", attempts: 1, error: failure.detail, deliveredAt: nil, attemptedAt: attemptedAt, on: db)
                try await JobRecords.enqueue(kind: NotifyRecords.deliverJobKind, payload: "\(notification.id)", runAt: at, dedupeKey: "notify:\(notification.id):2", at: attemptedAt, on: db)
            case .deadLetter(let failure, _):
                try await NotifyRecords.record(notification.id, status: "dead", attempts: 1, error: failure.detail, deliveredAt: nil, attemptedAt: attemptedAt, on: db)
                dead += 1
            }
        }
        return (delivered, dead)
    }
}

/// What the demo's history holds at `now`, for the command line and the tests.
public struct DemoHistorySummary: Sendable, Hashable {
    public var requests: Int
    public var byStatus: [RequestStatus: Int]
    public var byUrgency: [Urgency: Int]
    /// Open and past the deadline they wait on.
    public var overdue: Int
    public var escalated: Int
    public var reopened: Int
    public var notificationsDelivered: Int
    public var notificationsDead: Int
}
