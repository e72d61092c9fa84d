import Foundation
import LinliCore
import LinliStore
import SQLKit

/// Check-ins: made a day ahead from the care plans by a recurring job, ticked off by the helper,
/// and when nobody ticks one off, escalated like a request's deadline (`CareCheckInEscalation`).
struct CareCheckIns {
    let services: AppServices

    static let makeJobKind = "care.checkins.make"
    static let dueJobKind = "care.checkin.due"
    /// How often the check-ins of the next day are made; each run looks a day and one interval
    /// ahead, so a run that comes late misses nothing.
    static let makeInterval: TimeInterval = 3600
    static let lookAhead: TimeInterval = 24 * 3600 + makeInterval
    static let pageSize = 500

    static func dueJob(_ id: CareCheckInID, level: Int, at runAt: Date) -> (kind: String, payload: String, runAt: Date, dedupeKey: String?) {
        (dueJobKind, "\(id)", runAt, "care.checkin:\(id):\(level)")
    }

    /// Makes the check-ins of `item` due in `[from, to)` with a job at each due time; making
    /// them again adds nothing.
    static func makeCheckIns(for item: CarePlanItem, from: Date, to: Date, at now: Date, on db: any SQLDatabase) async throws -> Int {
        var made = 0
        for due in CareSchedule.dueTimes(of: item, from: from, to: to) {
            guard let id = try await CarePlanRecords.addCheckIn(item: item, dueAt: due, on: db) else { continue }
            let job = dueJob(id, level: 0, at: due)
            try await JobRecords.enqueue(kind: job.kind, payload: job.payload, runAt: job.runAt, dedupeKey: job.dedupeKey, at: now, on: db)
            made += 1
        }
        return made
    }

    /// The recurring job: every active item's check-ins of the next day.
    var makeHandler: JobHandler {
        let services = self.services
        return JobHandler(kind: Self.makeJobKind, every: Self.makeInterval) { _ in
            let now = services.now()
            var after: CarePlanItemID = 0
            while true {
                let from = after
                let last = try await services.store.write { db -> CarePlanItemID? in
                    let items = try await CarePlanRecords.activeItems(after: from, limit: Self.pageSize, on: db)
                    for item in items {
                        _ = try await Self.makeCheckIns(for: item, from: now, to: now.addingTimeInterval(Self.lookAhead), at: now, on: db)
                    }
                    return items.count == Self.pageSize ? items.last?.id : nil
                }
                guard let last else { break }
                after = last
            }
        }
    }

    /// The job at a check-in's due time and at each later rung: sends every alert that is due and
    /// not sent yet, then schedules the next rung. A check-in ticked off meanwhile stops here.
    var dueHandler: JobHandler {
        let services = self.services
        return JobHandler(kind: Self.dueJobKind) { job in
            guard let id = CareCheckInID(job.payload) else {
                services.logger.error("a check-in job names no check-in", metadata: ["job": "\(job.id)", "payload": "\(job.payload)"])
                return
            }
            let now = services.now()
            try await services.store.write { db in
                guard var line = try await CarePlanRecords.checkIn(id: id, on: db), line.checkIn.doneAt == nil,
                      let entry = try await CareRecords.entry(id: line.checkIn.entryID, on: db) else { return }
                let ancestors = try await DirectoryRecords.ancestors(of: entry.path, on: db)
                let targets = try await NotifyRecords.targets(at: ancestors.filter { $0.level != .household }.map(\.id), on: db)
                let address = try await CarePairingRecords.addresses(households: [entry.householdID], on: db)[entry.householdID] ?? ""
                while let step = CareCheckInEscalation.step(dueAt: line.checkIn.dueAt, level: line.checkIn.escalationLevel, done: false, now: now) {
                    // Raised only over the level read: a second node running the same rung changes nothing.
                    guard try await CarePlanRecords.raise(id, from: line.checkIn.escalationLevel, on: db) else { return }
                    let mentions: [String]
                    switch step.audience {
                    case .primary: mentions = try await Self.phones(of: entry.primaryHelperID, on: db)
                    case .backup: mentions = try await Self.phones(of: entry.backupHelperID, on: db)
                    case .compound:
                        mentions = try await ancestors.first { $0.level == .compound }.asyncMap { try await CarePlanRecords.leadPhones(compound: $0, on: db) } ?? []
                    }
                    if !targets.isEmpty {
                        try await NotifyRecords.enqueue(CareMessages.checkInOverdue(line, address: address, audience: step.audience, mentions: mentions), to: targets, at: now, on: db)
                    }
                    try await AuditRecords.append([AuditEntry(at: now, actor: "system", action: "care.checkin.escalate", entity: "care_checkin", entityID: "\(id)", path: line.checkIn.path.rawValue, before: "\(line.checkIn.escalationLevel)", after: "\(step.level)")], on: db)
                    line.checkIn.escalationLevel = step.level
                }
                if let next = CareCheckInEscalation.nextStep(dueAt: line.checkIn.dueAt, level: line.checkIn.escalationLevel) {
                    let job = Self.dueJob(id, level: line.checkIn.escalationLevel, at: next.at)
                    try await JobRecords.enqueue(kind: job.kind, payload: job.payload, runAt: job.runAt, dedupeKey: job.dedupeKey, at: now, on: db)
                }
            }
        }
    }

    static func phones(of helper: VolunteerID?, on db: any SQLDatabase) async throws -> [String] {
        guard let helper, let found = try await CarePairingRecords.helper(id: helper, on: db) else { return [] }
        return [found.volunteer.phone]
    }

    // MARK: - Ticking off

    struct Ticked: Sendable {
        var line: CheckInLine
        /// False when it was ticked off before: a second tick changes nothing.
        var changed: Bool
    }

    static let maximumNoteLength = 500

    /// Ticks a check-in off: the person's primary or backup helper, or someone who manages care
    /// there. Anyone else who may read the register there is refused (403); the rest find nothing.
    func tick(_ id: CareCheckInID, note: String?, identity: UserIdentity, traceID: String?) async throws -> Ticked {
        let note = note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
        if let note, note.count > Self.maximumNoteLength { throw AppError.tooLong("note", max: Self.maximumNoteLength) }
        let now = services.now()
        let actor = "user:\(identity.user.id)"
        return try await services.store.write { db in
            let (line, entry) = try await Self.tickable(id, identity: identity, on: db)
            guard try await CarePlanRecords.markDone(id, by: actor, note: note, at: now, on: db) else { return Ticked(line: line, changed: false) }
            try await CarePlanRecords.setLastContact(entryID: entry.id, at: now, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: actor, action: "care.checkin.done", entity: "care_checkin", entityID: "\(id)", path: line.checkIn.path.rawValue, traceID: traceID)], on: db)
            var done = line
            done.checkIn.doneAt = now
            done.checkIn.doneBy = actor
            done.checkIn.note = note
            return Ticked(line: done, changed: true)
        }
    }

    /// A check-in the caller may tick off, with its person; 404 or 403 otherwise (see `tick`).
    static func tickable(_ id: CareCheckInID, identity: UserIdentity, on db: any SQLDatabase) async throws -> (CheckInLine, CareEntry) {
        guard let line = try await CarePlanRecords.checkIn(id: id, on: db), let entry = try await CareRecords.entry(id: line.checkIn.entryID, on: db) else { throw AppError.notFound }
        if try await isHelper(of: entry, identity: identity, on: db) { return (line, entry) }
        guard identity.grants.allows(.viewSensitive, at: entry.path) || identity.grants.allows(.manageCare, at: entry.path) else { throw AppError.notFound }
        guard identity.grants.allows(.manageCare, at: entry.path) else { throw AppError.forbidden }
        return (line, entry)
    }

    /// Checks who may tick before what they sent is read, so nobody learns of check-ins outside their reach.
    func requireTickable(_ id: CareCheckInID, identity: UserIdentity) async throws {
        _ = try await services.store.read { db in try await Self.tickable(id, identity: identity, on: db) }
    }

    /// Whether the signed-in user is the person's primary or backup helper (the volunteer with
    /// the user's phone).
    static func isHelper(of entry: CareEntry, identity: UserIdentity, on db: any SQLDatabase) async throws -> Bool {
        let mine = Set(try await CarePairingRecords.helpers(phone: identity.user.phone, on: db).map(\.volunteer.id))
        return [entry.primaryHelperID, entry.backupHelperID].contains { $0.map(mine.contains) ?? false }
    }

    // MARK: - Plan items

    struct NewItem: Sendable {
        var entryID: CareEntryID
        var kind: CarePlanKind
        var label: String?
        var weekdays: [Int]
        var dueMinute: Int
        var onDay: String?
    }

    static let maximumLabelLength = 100

    /// Adds a plan item (manage_care at the person's place) and makes its check-ins of the next day at once.
    func addItem(_ new: NewItem, identity: UserIdentity, traceID: String?) async throws -> CarePlanItem {
        let now = services.now()
        return try await services.store.write { db in
            guard let entry = try await CareRecords.entry(id: new.entryID, on: db), identity.grants.allows(.viewDirectory, at: entry.path) else { throw AppError.notFound }
            guard identity.grants.allows(.manageCare, at: entry.path) else { throw AppError.forbidden }
            let item = try await CarePlanRecords.insert(CarePlanItem(id: 0, entryID: entry.id, kind: new.kind, label: new.label, weekdays: new.weekdays, dueMinute: new.dueMinute, onDay: new.onDay, path: entry.path), on: db)
            _ = try await Self.makeCheckIns(for: item, from: now, to: now.addingTimeInterval(Self.lookAhead), at: now, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "care.plan.add", entity: "care_plan_item", entityID: "\(item.id)", path: entry.path.rawValue, after: new.kind.rawValue, traceID: traceID)], on: db)
            return item
        }
    }
}
