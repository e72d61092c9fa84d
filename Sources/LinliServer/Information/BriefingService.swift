import Foundation
import Hummingbird
import LinliCore
import LinliStore
import SQLKit

/// Daily briefings, shared by the API, the pages, the morning job and `linli briefings draft`:
/// drafted from the data, edited and published by committee staff, pushed to the robots of the
/// place and of its residents' chat groups, and public once published.
struct BriefingService: Sendable {
    let services: AppServices

    static let draftJobKind = "briefings.draft"
    /// The morning job looks every hour; from this Shanghai hour on it drafts yesterday's
    /// briefing of every compound that has none, so staff find the drafts when they start.
    static let draftHour = 6
    static let draftInterval: TimeInterval = 3_600

    static func refusal(_ refusal: BriefingRefusal) -> AppError {
        AppError(.conflict, "briefing.error.\(refusal.rawValue)")
    }

    /// A `yyyy-MM-dd` day, or yesterday in Shanghai when none is given: the briefing is of a
    /// whole day, written the morning after.
    func day(_ label: String?) throws -> BriefingDay {
        guard let label = label?.trimmingWhitespace, !label.isEmpty else { return BriefingDay(containing: services.now()).before(1) }
        guard let day = BriefingDay(label) else { throw AppError.invalid("day") }
        // A day that has not ended yet has no figures to brief.
        guard day.start < BriefingDay(containing: services.now()).start else { throw AppError(.badRequest, "briefing.error.future_day", field: "day") }
        return day
    }

    /// Drafts (or drafts afresh) `placeID`'s briefing of `day` from the data.
    func draft(placeID: PlaceID, day: BriefingDay, identity: UserIdentity, traceID: String) async throws -> StoredBriefing {
        let place = try await services.place(placeID, capability: .publishInformation, identity: identity)
        let figures = try await services.store.read { db in try await BriefingRecords.figures(place: place, day: day, on: db) }
        let now = services.now()
        let id = try await services.store.write { db -> BriefingID in
            guard let id = try await BriefingRecords.draft(place: place, figures: figures, text: BriefingRules.draftText(figures), at: now, replacing: true, on: db) else {
                throw Self.refusal(.published)
            }
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "briefing.draft", entity: "briefing", entityID: "\(id)",
                                                      path: place.path.rawValue, after: day.label, traceID: traceID)], on: db)
            return id
        }
        return try await briefing(id, identity: identity)
    }

    /// A briefing the caller may see: a published one wherever they see the place, a draft only
    /// where they publish information.
    func briefing(_ id: BriefingID, identity: UserIdentity) async throws -> StoredBriefing {
        let stored = try await services.store.read { db in try await BriefingRecords.briefing(id: id, on: db) }
        guard let stored, identity.grants.allows(.viewDirectory, at: stored.path) else { throw AppError.notFound }
        guard stored.briefing.state == .published || identity.grants.allows(.publishInformation, at: stored.path) else { throw AppError.forbidden }
        return stored
    }

    /// The briefings of a place and the places under it, newest day first.
    func briefings(at placeID: PlaceID, identity: UserIdentity) async throws -> (Place, [StoredBriefing]) {
        let place = try await services.place(placeID, capability: .viewDirectory, identity: identity)
        let drafts = identity.grants.allows(.publishInformation, at: place.path)
        return (place, try await services.store.read { db in try await BriefingRecords.briefings(at: place.path, drafts: drafts, limit: 100, on: db) })
    }

    /// `rawText` is checked once the caller may edit the briefing, so a refusal says why.
    func edit(_ id: BriefingID, rawText: String?, identity: UserIdentity, traceID: String) async throws -> StoredBriefing {
        let stored = try await editable(id, identity: identity)
        let text = try BriefingAPI.text(rawText)
        let now = services.now()
        try await services.store.write { db in
            guard try await BriefingRecords.setText(id, text: text, by: identity.user.id, at: now, on: db) else { throw Self.refusal(.published) }
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "briefing.edit", entity: "briefing", entityID: "\(id)",
                                                      path: stored.path.rawValue, before: stored.briefing.text, after: text, traceID: traceID)], on: db)
        }
        return try await briefing(id, identity: identity)
    }

    /// Approving publishes: the page becomes public and the robots of the place and of the
    /// chat groups covering it get the briefing, in the transaction that publishes it.
    func publish(_ id: BriefingID, identity: UserIdentity, traceID: String) async throws -> StoredBriefing {
        let stored = try await editable(id, identity: identity)
        let now = services.now()
        try await services.store.write { db in
            guard try await BriefingRecords.publish(id, by: identity.user.id, at: now, on: db) else { throw Self.refusal(.published) }
            var published = stored.briefing
            published.publishedAt = now
            let message = BriefingRules.message(published, placeName: stored.placeName, link: "/briefings/\(id)")
            let targets = try await Self.robots(for: stored.path, on: db)
            if !targets.isEmpty { try await NotifyRecords.enqueue(message, to: targets, at: now, on: db) }
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "briefing.publish", entity: "briefing", entityID: "\(id)",
                                                      path: stored.path.rawValue, after: "\(targets.count) robots", traceID: traceID)], on: db)
        }
        return try await briefing(id, identity: identity)
    }

    /// The robots registered at the place itself and those of the chat groups at or under it,
    /// each once: the residents' groups, not every office above.
    static func robots(for path: PlacePath, on db: any SQLDatabase) async throws -> [StoredTarget] {
        guard let placeID = path.ids.last else { return [] }
        var targets = try await NotifyRecords.targets(at: [placeID], on: db)
        var seen = Set(targets.map(\.id))
        for group in try await RumourRecords.chatGroups(under: [path], on: db) {
            guard let targetID = group.group.targetID, let target = try await NotifyRecords.target(id: WebhookTargetID(targetID), on: db),
                  seen.insert(target.id).inserted else { continue }
            targets.append(target)
        }
        return targets
    }

    private func editable(_ id: BriefingID, identity: UserIdentity) async throws -> StoredBriefing {
        let stored = try await briefing(id, identity: identity)
        guard identity.grants.allows(.publishInformation, at: stored.path) else { throw AppError.forbidden }
        do { try BriefingRules.edit(stored.briefing) } catch { throw Self.refusal(error) }
        return stored
    }

    /// A published briefing for its public page; nil for drafts (404).
    func publicBriefing(_ id: BriefingID) async throws -> StoredBriefing? {
        let stored = try await services.store.read { db in try await BriefingRecords.briefing(id: id, on: db) }
        return stored?.briefing.state == .published ? stored : nil
    }

    // MARK: Every compound's draft

    /// Drafts `day`'s briefing of every compound that has none yet (a person's draft or edits
    /// are kept), reading a compound's figures and writing its draft in turn. Returns how many
    /// compounds there are and how many were drafted now.
    func draftEveryCompound(day: BriefingDay, progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> (compounds: Int, drafted: Int) {
        // The compounds without one, found once: the job looks every hour all day.
        let (all, briefed) = try await services.store.read { db in
            (try await BriefingRecords.compounds(on: db), try await BriefingRecords.placesBriefed(day: day.label, on: db))
        }
        let compounds = all.filter { !briefed.contains($0.id) }
        let now = services.now()
        var drafted = 0
        // A batch's figures are read first, then its drafts written in one transaction: one
        // commit per batch, and the writer is never held while figures are counted.
        for start in stride(from: 0, to: compounds.count, by: 100) {
            let batch = Array(compounds[start..<min(start + 100, compounds.count)])
            let missing = try await services.store.read { db in
                var missing: [(Place, BriefingFigures)] = []
                for place in batch {
                    missing.append((place, try await BriefingRecords.figures(place: place, day: day, on: db)))
                }
                return missing
            }
            drafted += try await services.store.write { db in
                var made = 0
                for (place, figures) in missing
                where try await BriefingRecords.draft(place: place, figures: figures, text: BriefingRules.draftText(figures), at: now, replacing: false, on: db) != nil {
                    made += 1
                }
                return made
            }
            progress?(min(start + batch.count, compounds.count), compounds.count)
        }
        return (all.count, drafted)
    }

    /// The recurring morning job: yesterday's drafts, once the morning has come.
    var draftHandler: JobHandler {
        let services = self.services
        return JobHandler(kind: Self.draftJobKind, every: Self.draftInterval) { _ in
            let now = services.now()
            let today = BriefingDay(containing: now)
            guard now.timeIntervalSince(today.start) >= TimeInterval(Self.draftHour * 3_600) else { return }
            let result = try await BriefingService(services: services).draftEveryCompound(day: today.before(1))
            if result.drafted > 0 {
                services.logger.info("briefings drafted", metadata: ["day": "\(today.before(1).label)", "drafted": "\(result.drafted)", "compounds": "\(result.compounds)"])
            }
        }
    }
}

/// `linli briefings draft`: the morning job's work, run by hand or by the benchmark.
public enum BriefingDrafting {
    /// Drafts `day` (`yyyy-MM-dd`; yesterday in Shanghai when nil) for every compound without a
    /// briefing that day. Throws `AppError` 400 for a day that is not one or has not ended.
    public static func draftEveryCompound(services: AppServices, day label: String?,
                                          progress: (@Sendable (Int, Int) -> Void)? = nil) async throws -> (day: String, compounds: Int, drafted: Int) {
        let service = BriefingService(services: services)
        let day = try service.day(label)
        let result = try await service.draftEveryCompound(day: day, progress: progress)
        return (day.label, result.compounds, result.drafted)
    }
}
