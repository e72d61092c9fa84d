import Foundation
import HTTPTypes
import LinliCore
import LinliStore
import SQLKit

/// What a surveyor reports about one household: the status, a note, and optionally a finding
/// about one of its residents that goes onto the care register.
struct SurveyVisitInput: Sendable {
    var status: SurveyStatus
    var note: String?
    var residentID: ResidentID?
    var categories: [CareCategory]
    var needs: [String]
    var risk: CareRisk
    var findingNote: String?
    var idempotencyKey: String?

    static let maxNeeds = 10
    static let keyMaxLength = 100

    /// Checks every field before anything is read or written; a refusal names the field.
    static func parse(status: String?, note: String?, residentID: String?, categories: [String]?, needs: [String]?, risk: String?, findingNote: String?, idempotencyKey: String?) throws -> SurveyVisitInput {
        guard let rawStatus = status.map(clean), !rawStatus.isEmpty else { throw AppError.required("status") }
        guard let status = SurveyStatus(rawValue: rawStatus), status != .notYet else { throw AppError.invalid("status") }
        let note = note.map(clean).flatMap { $0.isEmpty ? nil : $0 }
        let findingNote = findingNote.map(clean).flatMap { $0.isEmpty ? nil : $0 }
        do {
            try SurveyRules.checkNote(note)
            try SurveyRules.checkNote(findingNote, field: "finding_note")
        } catch { throw AppError(.badRequest, error.key, field: error.field, arguments: error.arguments) }
        let key = idempotencyKey.map(clean).flatMap { $0.isEmpty ? nil : $0 }
        if let key, key.count > keyMaxLength || !key.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_") }) { throw AppError.invalid("idempotency_key") }
        var resident: ResidentID?
        if let text = residentID.map(clean), !text.isEmpty {
            guard let value = Int64(text), value > 0 else { throw AppError.invalid("resident_id") }
            resident = ResidentID(value)
        }
        var parsedCategories: [CareCategory] = []
        for raw in categories ?? [] {
            guard let category = CareCategory(rawValue: clean(raw)) else { throw AppError.invalid("categories") }
            if !parsedCategories.contains(category) { parsedCategories.append(category) }
        }
        let parsedNeeds = (needs ?? []).map(clean).filter { !$0.isEmpty }
        guard parsedNeeds.count <= maxNeeds, parsedNeeds.allSatisfy({ $0.count <= 30 && $0.allSatisfy { $0.isASCII && ($0.isLowercase || $0 == "_") } }) else { throw AppError.invalid("needs") }
        let parsedRisk: CareRisk
        if let text = risk.map(clean), !text.isEmpty {
            guard let value = CareRisk(rawValue: text) else { throw AppError.invalid("risk") }
            parsedRisk = value
        } else {
            parsedRisk = .medium
        }
        if resident != nil {
            guard [.followUp, .visited, .phoned].contains(status) else { throw AppError(.badRequest, "care.survey.error.finding_needs_contact", field: "resident_id") }
            guard !parsedCategories.isEmpty else { throw AppError(.badRequest, "care.survey.error.finding_needs_category", field: "categories") }
        }
        return SurveyVisitInput(status: status, note: note, residentID: resident, categories: parsedCategories, needs: Array(Set(parsedNeeds)).sorted(), risk: parsedRisk, findingNote: findingNote, idempotencyKey: key)
    }

    static func clean(_ text: String) -> String { text.trimmingCharacters(in: .whitespacesAndNewlines) }
}

/// What recording a visit did.
enum SurveyVisitOutcome: Sendable, Equatable {
    case recorded
    /// The same submission (its idempotency key) was recorded before: nothing changed.
    case replayed
}

/// Where a caller stands in a campaign: the places under it they survey.
struct SurveyAccess: Sendable {
    var campaign: SurveyCampaign
    /// The caller's survey places inside the campaign (the campaign's place itself when theirs is above it).
    var scopes: [PlacePath]
    var canManage: Bool
}

/// Campaigns, visits, coverage and closing; checks access and writes the audit log.
struct SurveyService {
    let services: AppServices

    static let listLimit = 100
    static let historyLimit = 2_000

    /// A campaign the caller surveys in: 404 when it touches none of their places, 403 when it
    /// does but they may not survey there. A building leader walks their building in the
    /// compound's campaign, so a campaign over a place above theirs counts.
    func surveyAccess(_ id: SurveyCampaignID, identity: UserIdentity) async throws -> SurveyAccess {
        let campaign = try await services.store.read { db in try await SurveyRecords.campaign(id: id, on: db) }
        guard let campaign, identity.grants.roles.contains(where: { Self.related($0.path, campaign.path) }) else { throw AppError.notFound }
        let scopes = identity.grants.scopes(for: .surveyHouseholds).filter { Self.related($0, campaign.path) }.map { $0.contains(campaign.path) ? campaign.path : $0 }
        guard !scopes.isEmpty else { throw AppError.forbidden }
        return SurveyAccess(campaign: campaign, scopes: scopes, canManage: identity.grants.allows(.manageCare, at: campaign.path))
    }

    /// A campaign the caller manages (creates, closes): 404 outside their places, 403 inside without manage_care.
    func manageAccess(_ id: SurveyCampaignID, identity: UserIdentity) async throws -> SurveyCampaign {
        let campaign = try await services.store.read { db in try await SurveyRecords.campaign(id: id, on: db) }
        guard let campaign, identity.grants.allows(.viewDirectory, at: campaign.path) else { throw AppError.notFound }
        guard identity.grants.allows(.manageCare, at: campaign.path) else { throw AppError.forbidden }
        return campaign
    }

    static func related(_ a: PlacePath, _ b: PlacePath) -> Bool { a.contains(b) || b.contains(a) }

    /// Campaigns touching the caller's survey places (or under `place`), newest first.
    func campaigns(identity: UserIdentity, place: PlaceID?) async throws -> [SurveyCampaign] {
        var scopes = identity.grants.scopes(for: .surveyHouseholds)
        if let place {
            let found = try await services.store.read { db in try await DirectoryRecords.place(id: place, on: db) }
            guard let found, identity.grants.roles.contains(where: { Self.related($0.path, found.path) }) else { throw AppError.notFound }
            guard scopes.contains(where: { Self.related($0, found.path) }) else { throw AppError.forbidden }
            scopes = scopes.filter { Self.related($0, found.path) }.map { $0.contains(found.path) ? found.path : $0 }
        }
        let list = scopes
        return try await services.store.read { db in try await SurveyRecords.campaigns(related: list, limit: Self.listLimit, on: db) }
    }

    /// Days are the days of Shanghai: a campaign "from 1 to 3 April" runs from midnight on the 1st to midnight after the 3rd.
    static func day(_ text: String?, field: String) throws -> Date {
        guard let text = text.map(SurveyVisitInput.clean), !text.isEmpty else { throw AppError.required(field) }
        let parts = text.split(separator: "-", omittingEmptySubsequences: false)
        guard text.count == 10, parts.count == 3, let year = Int(parts[0]), let month = Int(parts[1]), let day = Int(parts[2]), (2000...2100).contains(year) else { throw AppError.invalid(field) }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = PageTime.shanghai
        let components = DateComponents(year: year, month: month, day: day)
        guard components.isValidDate(in: calendar), let date = calendar.date(from: components) else { throw AppError.invalid(field) }
        return date
    }

    static func dayText(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = PageTime.shanghai
        let parts = calendar.dateComponents([.year, .month, .day], from: date)
        return String(format: "%04d-%02d-%02d", parts.year ?? 0, parts.month ?? 0, parts.day ?? 0)
    }

    /// Creates a campaign over a place the caller manages care at (a building or above).
    func create(placeID: PlaceID?, name: String?, startsOn: String?, endsOn: String?, identity: UserIdentity, traceID: String) async throws -> SurveyCampaign {
        guard let placeID else { throw AppError.required("place_id") }
        let place = try await services.store.read { db in try await DirectoryRecords.place(id: placeID, on: db) }
        guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
        guard identity.grants.allows(.manageCare, at: place.path) else { throw AppError.forbidden }
        guard place.level <= .building else { throw AppError(.badRequest, "care.survey.error.place_level", field: "place_id") }
        let name = SurveyVisitInput.clean(name ?? "")
        let first = try Self.day(startsOn, field: "starts_on")
        let last = try Self.day(endsOn, field: "ends_on")
        do { try SurveyRules.checkCampaign(name: name, firstDay: first, lastDay: last) } catch { throw AppError(.badRequest, error.key, field: error.field, arguments: error.arguments) }
        let now = services.now()
        let campaign = SurveyCampaign(id: SurveyCampaignID(0), name: name, placeID: place.id, path: place.path, districtID: place.districtID, startsAt: first, endsAt: last.addingTimeInterval(86_400), createdBy: identity.user.id, createdAt: now)
        return try await services.store.write { db in
            let inserted = try await SurveyRecords.insert(campaign, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "survey.create", entity: "survey_campaign", entityID: "\(inserted.id)", path: place.path.rawValue, after: inserted.name, traceID: traceID)], on: db)
            return inserted
        }
    }

    /// Records a visit. A replay of a submission already recorded (same idempotency key) answers
    /// as a success and changes nothing, even after the campaign closed.
    func record(_ input: SurveyVisitInput, householdID: PlaceID, access: SurveyAccess, identity: UserIdentity, traceID: String) async throws -> SurveyVisitOutcome {
        let campaign = access.campaign
        let now = services.now()
        let actor = "user:\(identity.user.id)"
        return try await services.store.write { db in
            guard let household = try await HouseholdRecords.household(id: householdID, on: db),
                  campaign.path.contains(household.path), access.scopes.contains(where: { $0.contains(household.path) }) else { throw AppError.notFound }
            if let key = input.idempotencyKey, try await SurveyRecords.keyUsed(campaignID: campaign.id, idempotencyKey: key, on: db) { return .replayed }
            guard try await SurveyRecords.campaign(id: campaign.id, on: db)?.closedAt == nil else { throw AppError(.conflict, "care.survey.error.closed") }
            if let residentID = input.residentID {
                let residents = try await db.raw("SELECT id FROM residents WHERE id = \(bind: residentID) AND household_id = \(bind: household.id)").all()
                guard !residents.isEmpty else { throw AppError.invalid("resident_id") }
            }
            guard try await SurveyRecords.appendVisit(campaignID: campaign.id, householdID: household.id, status: input.status, note: input.note, surveyor: identity.user.id, at: now, idempotencyKey: input.idempotencyKey, on: db) != nil else { return .replayed }
            try await SurveyRecords.setLatest(campaignID: campaign.id, household: household, status: input.status, note: input.note, surveyor: identity.user.id, at: now, idempotencyKey: input.idempotencyKey, on: db)
            var audit = [AuditEntry(at: now, actor: actor, action: "survey.visit", entity: "survey_visit", entityID: "\(campaign.id):\(household.id)", path: household.path.rawValue, after: input.status.rawValue, traceID: traceID)]
            if let residentID = input.residentID {
                audit.append(try await Self.registerFinding(input, residentID: residentID, household: household, now: now, actor: actor, traceID: traceID, on: db))
            }
            try await AuditRecords.append(audit, on: db)
            return .recorded
        }
    }

    /// Puts the finding on the care register: a new entry from the survey, or the person's entry
    /// with the categories and needs added, the higher risk kept and the contact time moved on.
    /// Nothing of an existing entry is shown to the surveyor, so this read is not audited as one.
    static func registerFinding(_ input: SurveyVisitInput, residentID: ResidentID, household: Household, now: Date, actor: String, traceID: String, on db: any SQLDatabase) async throws -> AuditEntry {
        if var entry = try await CareRecords.entry(residentID: residentID, on: db) {
            entry.categories += input.categories.filter { !entry.categories.contains($0) }
            entry.needs = Array(Set(entry.needs + input.needs)).sorted()
            entry.risk = max(entry.risk, input.risk)
            if let note = input.findingNote { entry.note = note }
            entry.lastContactAt = now
            entry.updatedAt = now
            guard let updated = try await CareRecords.update(entry, on: db) else { throw AppError(.conflict, "care.survey.error.entry_changed", field: "resident_id") }
            return AuditEntry(at: now, actor: actor, action: "care.entry.update", entity: "care_entry", entityID: "\(updated.id)", path: household.path.rawValue, after: "survey", traceID: traceID)
        }
        let entry = CareEntry(id: CareEntryID(0), residentID: residentID, householdID: household.id, categories: input.categories, needs: input.needs, risk: input.risk, source: .survey,
                              note: input.findingNote, lastContactAt: now, path: household.path, districtID: household.districtID, createdAt: now, updatedAt: now)
        let inserted = try await CareRecords.insert(entry, on: db)
        return AuditEntry(at: now, actor: actor, action: "care.entry.create", entity: "care_entry", entityID: "\(inserted.id)", path: household.path.rawValue, after: "survey", traceID: traceID)
    }

    /// Closes a campaign: refused (409, with the number still open) while some household has no
    /// final status, unless a reason is given.
    func close(_ campaign: SurveyCampaign, reason rawReason: String?, identity: UserIdentity, traceID: String) async throws {
        let reason = rawReason.map(SurveyVisitInput.clean).flatMap { $0.isEmpty ? nil : $0 }
        let now = services.now()
        try await services.store.write { db in
            guard try await SurveyRecords.campaign(id: campaign.id, on: db)?.closedAt == nil else { throw AppError(.conflict, "care.survey.error.closed") }
            let open = try await SurveyRecords.buildingTallies(campaign: campaign, scopes: [campaign.path], on: db).reduce(0) { $0 + $1.tally.open }
            do { try SurveyRules.checkClose(openHouseholds: open, reason: reason) } catch let error as SurveyRuleError {
                throw AppError(error.key == "error.field.too_long" ? .badRequest : .conflict, error.key, field: error.field, arguments: error.arguments)
            }
            guard try await SurveyRecords.close(id: campaign.id, reason: reason, at: now, on: db) else { throw AppError(.conflict, "care.survey.error.closed") }
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "survey.close", entity: "survey_campaign", entityID: "\(campaign.id)", path: campaign.path.rawValue, after: reason.map { "open \(open): \($0)" } ?? "complete", traceID: traceID)], on: db)
        }
    }

    struct Coverage: Sendable {
        var buildings: [SurveyBuildingTally]
        var surveyors: [SurveyorTally]
        var total: SurveyTally
    }

    func coverage(_ access: SurveyAccess) async throws -> Coverage {
        try await services.store.read { db in
            let buildings = try await SurveyRecords.buildingTallies(campaign: access.campaign, scopes: access.scopes, on: db)
            let surveyors = try await SurveyRecords.surveyorTallies(campaign: access.campaign, scopes: access.scopes, on: db)
            return Coverage(buildings: buildings, surveyors: surveyors, total: buildings.reduce(SurveyTally()) { $0 + $1.tally })
        }
    }
}
