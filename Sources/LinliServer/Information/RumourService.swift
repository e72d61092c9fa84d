import Foundation
import Hummingbird
import LinliCore
import LinliStore
import SQLKit

/// Rumours from the first report to the published correction, shared by the API and the pages:
/// matching a report to what is already known, verifying, the two-hour clock's escalations, and
/// corrections drafted, approved by another person, published to the chat groups and, when
/// wrong, retracted as loudly.
struct RumourService: Sendable {
    let services: AppServices

    static let deadlineJobKind = "rumour.deadline"
    static let maximumText = 5_000
    static let maximumNote = 2_000
    static let maximumLink = 1_000

    static let calendar: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = PageTime.shanghai
        return calendar
    }()

    static func refusal(_ refusal: RumourRefusal) -> AppError {
        AppError(.conflict, "rumour.error.\(refusal.rawValue)")
    }

    func writing<T: Sendable>(_ body: @escaping @Sendable (any SQLDatabase) async throws -> T) async throws -> T {
        do {
            return try await services.store.write(body)
        } catch RumourStoreError.refused(let refusal) {
            throw Self.refusal(refusal)
        } catch RumourStoreError.notFound {
            throw AppError.notFound
        }
    }

    func audit(_ db: any SQLDatabase, identity: UserIdentity?, action: String, entity: String, id: String, path: PlacePath, before: String? = nil, after: String? = nil,
               traceID: String?) async throws {
        let actor = identity.map { "user:\($0.user.id)" } ?? "system"
        try await AuditRecords.append([AuditEntry(at: services.now(), actor: actor, action: action, entity: entity, entityID: id, path: path.rawValue,
                                                  before: before, after: after, traceID: traceID)], on: db)
    }

    // MARK: Chat groups

    struct GroupFields: Sendable {
        var name: String
        var platform: ChatPlatform
        var officer: UserID?
        var backup: UserID?
        var targetID: Int64?
    }

    func addChatGroup(_ fields: GroupFields, at placeID: PlaceID, identity: UserIdentity, traceID: String) async throws -> StoredChatGroup {
        let place = try await services.place(placeID, capability: .verifyRumours, identity: identity)
        try await checkPeople(fields, place: place)
        let now = services.now()
        let id = try await writing { db in
            let id = try await RumourRecords.createChatGroup(placeID: placeID, name: fields.name, platform: fields.platform, officer: fields.officer, backup: fields.backup,
                                                             targetID: fields.targetID, now: now, on: db)
            try await audit(db, identity: identity, action: "chat_group.add", entity: "chat_group", id: "\(id)", path: place.path, after: fields.name, traceID: traceID)
            return id
        }
        return try await chatGroup(id, identity: identity)
    }

    func updateChatGroup(_ id: ChatGroupID, fields: GroupFields, identity: UserIdentity, traceID: String) async throws -> StoredChatGroup {
        let stored = try await chatGroup(id, identity: identity)
        guard identity.grants.allows(.verifyRumours, at: stored.path) else { throw AppError.forbidden }
        let place = try await services.place(stored.group.placeID, capability: .verifyRumours, identity: identity)
        try await checkPeople(fields, place: place)
        try await writing { db in
            try await RumourRecords.updateChatGroup(id: id, name: fields.name, platform: fields.platform, officer: fields.officer, backup: fields.backup,
                                                    targetID: fields.targetID, on: db)
            try await audit(db, identity: identity, action: "chat_group.edit", entity: "chat_group", id: "\(id)", path: stored.path,
                            before: "\(stored.group.officerUserID.map { "\($0)" } ?? "-")/\(stored.group.backupUserID.map { "\($0)" } ?? "-")",
                            after: "\(fields.officer.map { "\($0)" } ?? "-")/\(fields.backup.map { "\($0)" } ?? "-")", traceID: traceID)
        }
        return try await chatGroup(id, identity: identity)
    }

    /// Officers are users who exist; a robot must be one kept at the group's place or above.
    private func checkPeople(_ fields: GroupFields, place: Place) async throws {
        if let officer = fields.officer, let backup = fields.backup, officer == backup { throw AppError(.badRequest, "rumour.error.backup_same", field: "backup_user_id") }
        try await services.store.read { db in
            for (field, user) in [("officer_user_id", fields.officer), ("backup_user_id", fields.backup)] {
                guard let user else { continue }
                guard try await UserRecords.user(id: user, on: db) != nil else { throw AppError(.badRequest, "error.field.invalid", field: field) }
            }
            if let target = fields.targetID {
                guard let stored = try await NotifyRecords.target(id: WebhookTargetID(target), on: db), place.path.ids.contains(stored.placeID) else {
                    throw AppError(.badRequest, "error.field.invalid", field: "target_id")
                }
            }
        }
    }

    func chatGroup(_ id: ChatGroupID, identity: UserIdentity) async throws -> StoredChatGroup {
        let stored = try await services.store.read { db in try await RumourRecords.chatGroup(id: id, on: db) }
        guard let stored, identity.grants.allows(.viewDirectory, at: stored.path) else { throw AppError.notFound }
        return stored
    }

    func chatGroups(under placeID: PlaceID, identity: UserIdentity) async throws -> [StoredChatGroup] {
        let place = try await services.place(placeID, capability: .viewDirectory, identity: identity)
        return try await services.store.read { db in try await RumourRecords.chatGroups(under: [place.path], on: db) }
    }

    // MARK: Reports

    struct NewReport: Sendable {
        var text: String
        var link: String?
        var chatGroupID: ChatGroupID?
        var placeID: PlaceID
        var seenAt: Date?
    }

    struct Filed: Sendable {
        var reportID: RumourReportID
        var rumour: StoredRumour
        var match: RumourMatchKind
        var score: Double?
        var suggested: RumourID?
        /// A published correction the reporter can pass on at once.
        var correction: RumourCorrection?
    }

    /// Files a report: attached on its own to the rumour it repeats (identical once normalised,
    /// the same link, or a score at or above `sameAt`), or a new rumour, with a nearer-than-
    /// `suggestAt` rumour offered to a person. A report of a rumour already corrected is told the
    /// correction at once.
    func report(_ new: NewReport, identity: UserIdentity, traceID: String) async throws -> Filed {
        var place = try await services.place(new.placeID, capability: .reportRumours, identity: identity)
        if let groupID = new.chatGroupID {
            // A building's leader sits in the compound's group: a group above one's place is named too.
            let found = try await services.store.read { db in try await RumourRecords.chatGroup(id: groupID, on: db) }
            guard let group = found, GroupBuyService.sees(identity, path: group.path) else { throw AppError.notFound }
            // Where the group is, unless the reporter named a place inside it.
            if !group.path.contains(place.path) {
                place = try await services.place(group.group.placeID, capability: .reportRumours, identity: identity)
            }
        }
        let now = services.now()
        let seenAt = min(new.seenAt ?? now, now)
        let fingerprint = RumourFingerprint([new.text, new.link].compactMap { $0 }.joined(separator: " "))
        let record = RumourRecords.NewReport(text: new.text, link: new.link, normalizedHash: fingerprint.hash, chatGroupID: new.chatGroupID, seenPlace: place,
                                             seenAt: seenAt, reportedBy: identity.user.id, imageFile: nil, imageType: nil)
        let matcher = services.rumourMatcher
        let reportedPlace = place
        try await matcher.warm(district: place.districtID, store: services.store)
        return try await writing { db in
            var match: RumourIndex<RumourID>.Match?
            if let identical = try await RumourRecords.identical(hash: fingerprint.hash, district: reportedPlace.districtID, on: db) {
                match = .init(key: identical, score: 1, decision: .same)
            } else {
                match = try await matcher.bestMatch(for: fingerprint, district: reportedPlace.districtID, on: db)
            }
            let filed: Filed
            if let match, match.decision == .same {
                let reportID = try await RumourRecords.addReport(record, to: match.key, match: .automatic, score: match.score, suggested: nil, now: now, on: db)
                guard let rumour = try await RumourRecords.rumour(id: match.key, on: db) else { throw RumourStoreError.notFound }
                let published = try await RumourRecords.corrections(rumourID: match.key, on: db).last { $0.status == .published }
                if let published {
                    _ = try await RumourRecords.tellReporters(match.key, text: Self.toldText(correction: published), at: now, on: db)
                }
                filed = Filed(reportID: reportID, rumour: rumour, match: .automatic, score: match.score, suggested: nil, correction: published)
            } else {
                let suggestion = match.map { ($0.key, $0.score) }
                let owner = try await RumourRecords.firstOwner(of: reportedPlace, on: db)
                let (rumourID, reportID) = try await RumourRecords.createRumour(with: record, owner: owner, now: now, suggested: suggestion, on: db)
                guard let rumour = try await RumourRecords.rumour(id: rumourID, on: db) else { throw RumourStoreError.notFound }
                try await Self.scheduleDeadline(rumour.rumour, at: now, on: db)
                filed = Filed(reportID: reportID, rumour: rumour, match: .new, score: match?.score, suggested: match?.key, correction: nil)
            }
            try await audit(db, identity: identity, action: "rumour.report", entity: "rumour_report", id: "\(filed.reportID)", path: reportedPlace.path,
                            after: "rumour:\(filed.rumour.rumour.id) \(filed.match.rawValue)", traceID: traceID)
            return filed
        }
    }

    /// The rumour a report now belongs to, if the caller may move the report from it.
    func reportForMatching(_ reportID: RumourReportID, identity: UserIdentity) async throws -> StoredRumour {
        let report = try await services.store.read { db in try await RumourRecords.report(id: reportID, on: db) }
        guard let report else { throw AppError.notFound }
        let source = try await rumour(report.rumourID, identity: identity)
        try await require(.verifyRumours, on: source, identity: identity)
        return source
    }

    /// A person confirms a suggested match: the report joins the suggested rumour.
    func confirmMatch(_ reportID: RumourReportID, from source: StoredRumour, into target: RumourID, identity: UserIdentity, traceID: String) async throws -> StoredRumour {
        let destination = try await rumour(target, identity: identity)
        guard target != source.rumour.id else { throw Self.refusal(.sameRumour) }
        guard destination.rumour.status.isOpen || destination.rumour.status == .false else { throw Self.refusal(.alreadyDecided) }
        let now = services.now()
        try await writing { db in
            try await RumourRecords.moveReport(reportID, from: source.rumour.id, to: target, on: db)
            if let published = try await RumourRecords.corrections(rumourID: target, on: db).last(where: { $0.status == .published }) {
                _ = try await RumourRecords.tellReporters(target, text: Self.toldText(correction: published), at: now, on: db)
            }
            try await audit(db, identity: identity, action: "rumour.match", entity: "rumour_report", id: "\(reportID)", path: source.path,
                            before: "rumour:\(source.rumour.id)", after: "rumour:\(target)", traceID: traceID)
        }
        return try await rumour(target, identity: identity)
    }

    // MARK: Reading

    /// The rumour if the caller sees its place or the place it was escalated to.
    func rumour(_ id: RumourID, identity: UserIdentity) async throws -> StoredRumour {
        let stored = try await services.store.read { db in try await RumourRecords.rumour(id: id, on: db) }
        guard let stored else { throw AppError.notFound }
        let owner = try await ownerPath(stored)
        guard identity.grants.allows(.viewDirectory, at: stored.path) || identity.grants.allows(.viewDirectory, at: owner) else { throw AppError.notFound }
        return stored
    }

    func ownerPath(_ stored: StoredRumour) async throws -> PlacePath {
        if stored.rumour.ownerPlaceID == stored.rumour.placeID { return stored.path }
        let owner = try await services.store.read { db in try await DirectoryRecords.place(id: stored.rumour.ownerPlaceID, on: db) }
        return owner?.path ?? stored.path
    }

    /// Who may act on a rumour with `capability`: at its place, or at the place it climbed to.
    func require(_ capability: Capability, on stored: StoredRumour, identity: UserIdentity) async throws {
        if identity.grants.allows(capability, at: stored.path) { return }
        if identity.grants.allows(capability, at: try await ownerPath(stored)) { return }
        throw AppError.forbidden
    }

    struct Detail: Sendable {
        var rumour: StoredRumour
        var reports: [RumourReport]
        var evidence: [RumourEvidence]
        var corrections: [RumourCorrection]
    }

    func detail(_ id: RumourID, identity: UserIdentity) async throws -> Detail {
        let stored = try await rumour(id, identity: identity)
        return try await services.store.read { db in
            Detail(rumour: stored, reports: try await RumourRecords.reports(rumourID: id, on: db), evidence: try await RumourRecords.evidence(rumourID: id, on: db),
                   corrections: try await RumourRecords.corrections(rumourID: id, on: db))
        }
    }

    struct Board: Sendable {
        /// The rumours whose clock runs, oldest first.
        var running: [StoredRumour]
        /// The rest, newest first.
        var closed: [StoredRumour]
        var weeks: [(week: String, median: Double, count: Int)]
    }

    /// The board: open rumours by age, and the weekly median time to correction over 12 weeks.
    func board(under placeID: PlaceID, identity: UserIdentity) async throws -> Board {
        let place = try await services.place(placeID, capability: .reportRumours, identity: identity)
        let since = services.now().addingTimeInterval(-84 * 86_400)
        let (rumours, times) = try await services.store.read { db in
            // Rumours escalated to this place from below are under it already; nothing above it is shown.
            (try await RumourRecords.rumours(under: [place.path], on: db), try await RumourRecords.correctedTimes(under: [place.path], since: since, on: db))
        }
        let running = rumours.filter(\.rumour.clockRunning).sorted { $0.rumour.firstReportedAt < $1.rumour.firstReportedAt }
        let closed = rumours.filter { !$0.rumour.clockRunning }
        return Board(running: running, closed: closed, weeks: RumourClock.weeklyMedians(times, calendar: Self.calendar))
    }

    // MARK: Verifying

    func startVerifying(_ id: RumourID, identity: UserIdentity, traceID: String) async throws -> StoredRumour {
        let stored = try await rumour(id, identity: identity)
        try await require(.verifyRumours, on: stored, identity: identity)
        let next: RumourStatus
        do { next = try RumourRules.startVerifying(stored.rumour) } catch { throw Self.refusal(error) }
        let now = services.now()
        try await writing { db in
            guard try await RumourRecords.setStatus(id, to: next, expected: stored.rumour.status, note: nil, by: identity.user.id, at: now, on: db) else {
                throw RumourStoreError.refused(.alreadyDecided)
            }
            try await audit(db, identity: identity, action: "rumour.verifying", entity: "rumour", id: "\(id)", path: stored.path,
                            before: stored.rumour.status.rawValue, after: next.rawValue, traceID: traceID)
        }
        return try await rumour(id, identity: identity)
    }

    /// A verdict. False waits for its correction; the other verdicts end the clock and every
    /// reporter is told.
    func decide(_ id: RumourID, verdict: RumourStatus, note: String?, identity: UserIdentity, traceID: String) async throws -> StoredRumour {
        let stored = try await rumour(id, identity: identity)
        try await require(.verifyRumours, on: stored, identity: identity)
        do { _ = try RumourRules.decide(stored.rumour, verdict: verdict) } catch { throw Self.refusal(error) }
        let now = services.now()
        try await writing { db in
            guard try await RumourRecords.setStatus(id, to: verdict, expected: stored.rumour.status, note: note, by: identity.user.id, at: now, on: db) else {
                throw RumourStoreError.refused(.alreadyDecided)
            }
            if verdict != .false {
                let text = Catalogue.text("rumour.told.verdict", .default, ["verdict": Catalogue.text("rumour.status.\(verdict.rawValue)", .default), "note": note ?? ""])
                _ = try await RumourRecords.tellReporters(id, text: text, at: now, on: db)
            }
            try await audit(db, identity: identity, action: "rumour.verdict", entity: "rumour", id: "\(id)", path: stored.path,
                            before: stored.rumour.status.rawValue, after: verdict.rawValue, traceID: traceID)
        }
        return try await rumour(id, identity: identity)
    }

    func addEvidence(_ id: RumourID, kind: RumourEvidenceKind, text: String, url: String?, identity: UserIdentity, traceID: String) async throws -> Int64 {
        let stored = try await rumour(id, identity: identity)
        try await require(.verifyRumours, on: stored, identity: identity)
        let now = services.now()
        return try await writing { db in
            let evidenceID = try await RumourRecords.addEvidence(rumourID: id, kind: kind, text: text, url: url, by: identity.user.id, at: now, on: db)
            try await audit(db, identity: identity, action: "rumour.evidence", entity: "rumour", id: "\(id)", path: stored.path, after: kind.rawValue, traceID: traceID)
            return evidenceID
        }
    }

    // MARK: The two-hour clock

    /// The job at the rumour's next escalation: one per rumour and level, so scheduling it twice
    /// runs it once.
    static func scheduleDeadline(_ rumour: Rumour, at now: Date, on db: any SQLDatabase) async throws {
        guard rumour.clockRunning, let due = RumourClock.nextEscalation(firstReportedAt: rumour.firstReportedAt, level: rumour.escalationLevel) else { return }
        _ = try await JobRecords.enqueue(kind: deadlineJobKind, payload: "\(rumour.id)", runAt: due, dedupeKey: "rumour:\(rumour.id):\(rumour.escalationLevel + 1)",
                                         at: now, on: db)
    }

    /// One rung up the place tree, from the place that owns the rumour now; nil at the top.
    func escalate(_ stored: StoredRumour, identity: UserIdentity?, at now: Date, reason: String? = nil, traceID: String?, on db: any SQLDatabase) async throws -> Bool {
        let places = try await DirectoryRecords.ancestors(of: stored.path, on: db).filter { $0.level != .household }
        guard let ownerIndex = places.firstIndex(where: { $0.id == stored.rumour.ownerPlaceID }), ownerIndex > 0 else { return false }
        let above = places[ownerIndex - 1]
        let level = stored.rumour.escalationLevel + 1
        guard try await RumourRecords.escalate(stored.rumour.id, to: level, owner: above.id, expected: stored.rumour.escalationLevel, on: db) else { return false }
        var moved = stored.rumour
        moved.escalationLevel = level
        moved.ownerPlaceID = above.id
        try await Self.scheduleDeadline(moved, at: now, on: db)
        let targets = try await NotifyRecords.targets(at: places.map(\.id), on: db)
        if !targets.isEmpty {
            let minutes = max(0, Int(now.timeIntervalSince(stored.rumour.firstReportedAt) / 60))
            let arguments = ["claim": Self.shortClaim(stored.rumour.claim), "owner": above.name, "minutes": "\(minutes)"]
            try await NotifyRecords.enqueue(NotificationMessage(kind: "rumour.escalated", subjectID: "rumour:\(stored.rumour.id)",
                                                                title: Catalogue.text("rumour.notify.escalated.title", .default, arguments),
                                                                text: Catalogue.text("rumour.notify.escalated.text", .default, arguments),
                                                                link: "/rumours/\(stored.rumour.id)"), to: targets, at: now, on: db)
        }
        try await audit(db, identity: identity, action: "rumour.escalate", entity: "rumour", id: "\(stored.rumour.id)", path: stored.path,
                        before: "\(stored.rumour.ownerPlaceID)", after: "\(above.id)\(reason.map { " \($0)" } ?? "")", traceID: traceID)
        return true
    }

    /// Escalation asked for by a person, before the clock does it, with the reason.
    func escalateNow(_ id: RumourID, reason: String, identity: UserIdentity, traceID: String) async throws -> StoredRumour {
        let stored = try await rumour(id, identity: identity)
        try await require(.verifyRumours, on: stored, identity: identity)
        guard stored.rumour.clockRunning else { throw Self.refusal(.alreadyDecided) }
        let now = services.now()
        let moved = try await writing { db in try await escalate(stored, identity: identity, at: now, reason: reason, traceID: traceID, on: db) }
        guard moved else { throw AppError(.conflict, "rumour.error.top") }
        return try await rumour(id, identity: identity)
    }

    /// The clock's job: a rumour still uncorrected at 60 and at 90 minutes climbs a level.
    var deadlineHandler: JobHandler {
        let services = self.services
        return JobHandler(kind: Self.deadlineJobKind) { job in
            guard let id = RumourID(job.payload) else {
                services.logger.error("a rumour deadline job names no rumour", metadata: ["job": "\(job.id)", "payload": "\(job.payload)"])
                return
            }
            let now = services.now()
            let service = RumourService(services: services)
            try await services.store.write { db in
                guard let stored = try await RumourRecords.rumour(id: id, on: db), stored.rumour.clockRunning else { return }
                let due = RumourClock.level(firstReportedAt: stored.rumour.firstReportedAt, now: now)
                guard due > stored.rumour.escalationLevel else {
                    try await Self.scheduleDeadline(stored.rumour, at: now, on: db)
                    return
                }
                _ = try await service.escalate(stored, identity: nil, at: now, traceID: nil, on: db)
            }
        }
    }

    // MARK: Corrections

    /// A draft from the template: the claim, the facts, the source.
    func draftCorrection(_ id: RumourID, facts: String, source: String, title: String?, identity: UserIdentity, traceID: String) async throws -> RumourCorrection {
        let stored = try await rumour(id, identity: identity)
        try await require(.verifyRumours, on: stored, identity: identity)
        do { try RumourRules.draftCorrection(for: stored.rumour) } catch { throw Self.refusal(error) }
        let arguments = ["claim": Self.shortClaim(stored.rumour.claim), "facts": facts, "source": source]
        let heading = title ?? Catalogue.text("rumour.correction.template.title", .default, arguments)
        let body = Catalogue.text("rumour.correction.template.body", .default, arguments)
        let now = services.now()
        let correctionID = try await writing { db in
            let correctionID = try await RumourRecords.createCorrection(rumourID: id, title: heading, body: body, source: source, by: identity.user.id, at: now,
                                                                        district: stored.districtID, on: db)
            try await audit(db, identity: identity, action: "correction.draft", entity: "correction", id: "\(correctionID)", path: stored.path, after: heading, traceID: traceID)
            return correctionID
        }
        return try await correction(correctionID, identity: identity).0
    }

    func correction(_ id: RumourCorrectionID, identity: UserIdentity) async throws -> (RumourCorrection, StoredRumour) {
        let found = try await services.store.read { db in try await RumourRecords.correction(id: id, on: db) }
        guard let found else { throw AppError.notFound }
        return (found, try await rumour(found.rumourID, identity: identity))
    }

    /// Approving needs someone other than the drafter: two people read it before it goes out.
    func approveCorrection(_ id: RumourCorrectionID, identity: UserIdentity, traceID: String) async throws -> RumourCorrection {
        let (correction, stored) = try await correction(id, identity: identity)
        try await require(.publishInformation, on: stored, identity: identity)
        do { try RumourRules.approve(correction, by: identity.user.id) } catch { throw Self.refusal(error) }
        let now = services.now()
        try await writing { db in
            guard try await RumourRecords.setCorrection(id, to: .approved, expected: .draft, by: identity.user.id, at: now, on: db) else { throw RumourStoreError.refused(.notDraft) }
            try await audit(db, identity: identity, action: "correction.approve", entity: "correction", id: "\(id)", path: stored.path, traceID: traceID)
        }
        return try await self.correction(id, identity: identity).0
    }

    /// Publishing stops the clock, pushes the correction to the robots of the places concerned
    /// and the groups it was seen in, and tells every reporter, in one transaction.
    func publishCorrection(_ id: RumourCorrectionID, identity: UserIdentity, traceID: String) async throws -> RumourCorrection {
        let (correction, stored) = try await correction(id, identity: identity)
        try await require(.publishInformation, on: stored, identity: identity)
        do { try RumourRules.publish(correction) } catch { throw Self.refusal(error) }
        let now = services.now()
        try await writing { db in
            guard try await RumourRecords.setCorrection(id, to: .published, expected: .approved, by: identity.user.id, at: now, on: db) else {
                throw RumourStoreError.refused(.notApproved)
            }
            try await RumourRecords.markCorrected(stored.rumour.id, at: now, on: db)
            var published = correction
            published.publishedAt = now
            let arguments = ["title": correction.title, "body": correction.body, "source": correction.source]
            try await push(NotificationMessage(kind: "rumour.corrected", subjectID: "correction:\(id)",
                                               title: Catalogue.text("rumour.notify.corrected.title", .default, arguments),
                                               text: Catalogue.text("rumour.notify.corrected.text", .default, arguments), link: "/corrections/\(id)"),
                           about: stored, at: now, on: db)
            _ = try await RumourRecords.tellReporters(stored.rumour.id, text: Self.toldText(correction: published), at: now, on: db)
            try await audit(db, identity: identity, action: "correction.publish", entity: "correction", id: "\(id)", path: stored.path, traceID: traceID)
        }
        return try await self.correction(id, identity: identity).0
    }

    /// A correction found wrong is withdrawn with its reason, pushed where the correction went.
    func retractCorrection(_ id: RumourCorrectionID, reason: String, identity: UserIdentity, traceID: String) async throws -> RumourCorrection {
        let (correction, stored) = try await correction(id, identity: identity)
        try await require(.publishInformation, on: stored, identity: identity)
        do { try RumourRules.retract(correction) } catch { throw Self.refusal(error) }
        let now = services.now()
        try await writing { db in
            guard try await RumourRecords.setCorrection(id, to: .retracted, expected: .published, by: identity.user.id, at: now, reason: reason, on: db) else {
                throw RumourStoreError.refused(.notPublished)
            }
            let arguments = ["title": correction.title, "reason": reason]
            try await push(NotificationMessage(kind: "rumour.retracted", subjectID: "correction:\(id)",
                                               title: Catalogue.text("rumour.notify.retracted.title", .default, arguments),
                                               text: Catalogue.text("rumour.notify.retracted.text", .default, arguments), link: "/corrections/\(id)"),
                           about: stored, at: now, on: db)
            _ = try await RumourRecords.tellReporters(stored.rumour.id, text: Catalogue.text("rumour.told.retracted", .default, arguments), at: now, on: db)
            try await audit(db, identity: identity, action: "correction.retract", entity: "correction", id: "\(id)", path: stored.path, after: reason, traceID: traceID)
        }
        return try await self.correction(id, identity: identity).0
    }

    /// The robots of the rumour's place and the places above it, and of every chat group it was
    /// seen in, each once.
    private func push(_ message: NotificationMessage, about stored: StoredRumour, at now: Date, on db: any SQLDatabase) async throws {
        var targets = try await NotifyRecords.targets(at: stored.path.ids, on: db)
        let reports = try await RumourRecords.reports(rumourID: stored.rumour.id, on: db)
        var seen = Set(targets.map(\.id))
        for groupID in Set(reports.compactMap(\.chatGroupID)) {
            guard let group = try await RumourRecords.chatGroup(id: groupID, on: db), let targetID = group.group.targetID,
                  let target = try await NotifyRecords.target(id: WebhookTargetID(targetID), on: db), seen.insert(target.id).inserted else { continue }
            targets.append(target)
        }
        guard !targets.isEmpty else { return }
        try await NotifyRecords.enqueue(message, to: targets, at: now, on: db)
    }

    static func toldText(correction: RumourCorrection) -> String {
        Catalogue.text("rumour.told.corrected", .default, ["title": correction.title, "link": "/corrections/\(correction.id)"])
    }

    /// The claim as messages quote it: its first 40 characters.
    static func shortClaim(_ claim: String) -> String {
        claim.count > 40 ? String(claim.prefix(40)) + "…" : claim
    }

    /// A published or retracted correction for the public page; nil for drafts (404).
    func publicCorrection(_ id: RumourCorrectionID) async throws -> (RumourCorrection, StoredRumour)? {
        try await services.store.read { db in
            guard let correction = try await RumourRecords.correction(id: id, on: db), correction.status == .published || correction.status == .retracted,
                  let rumour = try await RumourRecords.rumour(id: correction.rumourID, on: db) else { return nil }
            return (correction, rumour)
        }
    }
}
