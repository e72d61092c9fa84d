import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// The care register with its access rules, shared by the JSON API and the pages.
///
/// Everything on the register is sensitive: reading needs `viewSensitive` at the person's place
/// and leaves an audit row per person read (a list writes one per person it shows); writing needs
/// `manageCare` and records the entry before and after. Anything outside the caller's places
/// answers 404, like a record that does not exist.
struct CareRegisterService: Sendable {
    let services: AppServices

    struct ListParameters: Sendable {
        var place: PlaceID?
        var category: CareCategory?
        var risk: CareRisk?
        var paired: Bool?
        /// Only people not reached for at least this many days (never reached included).
        var contactDays: Int?
        var limit: Int
        var offset: Int

        init(query: Query, defaultLimit: Int) throws {
            place = try query.placeID()
            category = try query.string("category", maxLength: 40).map { text in
                guard let category = CareCategory(rawValue: text) else { throw AppError.invalid("category") }
                return category
            }
            risk = try query.string("risk", maxLength: 20).map { text in
                guard let risk = CareRisk(rawValue: text) else { throw AppError.invalid("risk") }
                return risk
            }
            paired = try query.string("paired", maxLength: 10).map { text in
                switch text.lowercased() {
                case "1", "true", "yes": return true
                case "0", "false", "no": return false
                default: throw AppError.invalid("paired")
                }
            }
            contactDays = try query.string("contact_days", maxLength: 4).map { text in
                guard let days = Int(text), (0...3650).contains(days) else { throw AppError.invalid("contact_days") }
                return days
            }
            limit = try query.int("limit", range: 1...200, default: defaultLimit)
            offset = try query.int("offset", range: 0...1_000_000, default: 0)
        }
    }

    // MARK: Reading

    /// The place a list or file is about: the one named (which must lie in the caller's scope of
    /// `capability`), or nil for all of the caller's places.
    func place(_ id: PlaceID?, capability: Capability, identity: UserIdentity) async throws -> Place? {
        guard let id else {
            guard !identity.grants.scopes(for: capability).isEmpty else { throw AppError.forbidden }
            return nil
        }
        let place = try await services.store.read { db in try await DirectoryRecords.place(id: id, on: db) }
        guard let place, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
        guard identity.grants.allows(capability, at: place.path) else { throw AppError.forbidden }
        return place
    }

    func list(_ parameters: ListParameters, identity: UserIdentity, traceID: String) async throws -> [CareRegisterItem] {
        let place = try await self.place(parameters.place, capability: .viewSensitive, identity: identity)
        let now = services.now()
        let filter = CareRegisterFilter(
            scopes: place.map { [$0.path] } ?? identity.grants.scopes(for: .viewSensitive), category: parameters.category, risk: parameters.risk, paired: parameters.paired,
            notContactedSince: parameters.contactDays.map { now.addingTimeInterval(-Double($0) * 86_400) }, limit: parameters.limit, offset: parameters.offset
        )
        let items = try await services.store.read { db in try await CareRegisterRecords.list(filter, on: db) }
        try await services.audit(items.map { read($0.entry, action: "care_entry.read_list", identity: identity, at: now, traceID: traceID) })
        return items
    }

    func counts(placeID: PlaceID?, identity: UserIdentity) async throws -> (counts: CareRegisterCounts, place: Place?) {
        let place = try await self.place(placeID, capability: .viewSensitive, identity: identity)
        let scopes = place.map { [$0.path] } ?? identity.grants.scopes(for: .viewSensitive)
        let counts = try await services.store.read { db in
            var total = CareRegisterCounts(total: 0, categories: [:], risks: [:])
            for scope in scopes {
                let counts = try await CareRegisterRecords.counts(under: scope, on: db)
                total.total += counts.total
                total.categories.merge(counts.categories, uniquingKeysWith: +)
                total.risks.merge(counts.risks, uniquingKeysWith: +)
            }
            return total
        }
        return (counts, place)
    }

    func entry(id: CareEntryID, identity: UserIdentity, traceID: String) async throws -> CareRegisterItem {
        let item = try await visible(id: id, capability: .viewSensitive, identity: identity)
        try await services.audit([read(item.entry, action: "care_entry.read", identity: identity, at: services.now(), traceID: traceID)])
        return item
    }

    /// The entry, if the caller may see its place (else 404) and holds `capability` there (else 403).
    func visible(id: CareEntryID, capability: Capability, identity: UserIdentity) async throws -> CareRegisterItem {
        let item = try await services.store.read { db in try await CareRegisterRecords.item(id: id, on: db) }
        guard let item, identity.grants.allows(.viewDirectory, at: item.entry.path) else { throw AppError.notFound }
        guard identity.grants.allows(capability, at: item.entry.path) else { throw AppError.forbidden }
        return item
    }

    /// For the household page: a link to each resident's entry, or to the form adding them for
    /// those who keep the register. Only roles that may read the register see either, and a link
    /// to an entry is an audited read (`care_entry.read_link`): that someone is on the register
    /// is itself sensitive.
    func householdLinks(householdID: PlaceID, path: PlacePath, identity: UserIdentity, language: Language, traceID: String) async throws -> [ResidentID: Link] {
        guard identity.grants.allows(.viewSensitive, at: path) else { return [:] }
        let (entries, residents) = try await services.store.read { db in
            (try await CareRecords.entries(householdID: householdID, on: db), try await HouseholdRecords.detail(id: householdID, on: db)?.residents ?? [])
        }
        let canAdd = identity.grants.allows(.manageCare, at: path)
        var links: [ResidentID: Link] = [:]
        for resident in residents {
            if let entry = entries.first(where: { $0.residentID == resident.id }) {
                links[resident.id] = Link(href: "/care/register/\(entry.id)", label: Catalogue.text("care.register.household.open", language))
            } else if canAdd {
                links[resident.id] = Link(href: "/care/register/new?resident=\(resident.id)", label: Catalogue.text("care.register.household.add", language))
            }
        }
        try await services.audit(entries.map { read($0, action: "care_entry.read_link", identity: identity, at: services.now(), traceID: traceID) })
        return links
    }

    private func read(_ entry: CareEntry, action: String, identity: UserIdentity, at now: Date, traceID: String) -> AuditEntry {
        AuditEntry(at: now, actor: "user:\(identity.user.id)", action: action, entity: "care_entry", entityID: "\(entry.id)", path: entry.path.rawValue, traceID: traceID)
    }

    // MARK: Writing

    /// The resident of `householdID` that a new entry is for: the household must lie in the
    /// caller's places (404) where they may keep the register (403), and the resident must live there.
    func newEntryTarget(householdID: PlaceID, residentID: ResidentID?, identity: UserIdentity) async throws -> (household: HouseholdDetail, resident: Resident) {
        let detail = try await services.store.read { db in try await HouseholdRecords.detail(id: householdID, on: db) }
        guard let detail, identity.grants.allows(.viewDirectory, at: detail.household.path) else { throw AppError.notFound }
        guard identity.grants.allows(.manageCare, at: detail.household.path) else { throw AppError.forbidden }
        guard let residentID else { throw AppError.required("resident_id") }
        guard let resident = detail.residents.first(where: { $0.id == residentID }) else { throw AppError.invalid("resident_id") }
        return (detail, resident)
    }

    func create(householdID: PlaceID, residentID: ResidentID?, draft: CareEntryDraft, identity: UserIdentity, traceID: String) async throws -> CareRegisterItem {
        let (detail, resident) = try await newEntryTarget(householdID: householdID, residentID: residentID, identity: identity)
        let valid = try Self.validated(draft)
        let now = services.now()
        let created = try await services.store.write { db in
            if let existing = try await CareRecords.entry(residentID: resident.id, on: db) {
                throw AppError(.conflict, "care.register.error.already_registered", field: "resident_id", arguments: ["id": "\(existing.id)"])
            }
            let entry = valid.applied(to: CareEntry(id: 0, residentID: resident.id, householdID: detail.household.id, categories: [], risk: .medium, source: .survey,
                                                    path: resident.path, districtID: resident.districtID, createdAt: now, updatedAt: now))
            let inserted = try await CareRecords.insert(entry, on: db)
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "care_entry.create", entity: "care_entry", entityID: "\(inserted.id)",
                                                      path: inserted.path.rawValue, after: CareEntryAudit(inserted).json, traceID: traceID)], on: db)
            return inserted
        }
        return try await reload(created.id)
    }

    /// Writes `draft` over the entry if it is still at `version`; 409 when someone changed it first.
    func update(id: CareEntryID, version: Int?, draft: CareEntryDraft, identity: UserIdentity, traceID: String) async throws -> CareRegisterItem {
        let item = try await visible(id: id, capability: .manageCare, identity: identity)
        let valid = try Self.validated(draft)
        guard let version else { throw AppError.required("version") }
        guard version > 0, version < Int(Int32.max) else { throw AppError.invalid("version") }
        let now = services.now()
        try await services.store.write { db in
            guard let before = try await CareRecords.entry(id: id, on: db) else { throw AppError.notFound }
            guard before.version == version else { throw Self.conflict(current: before.version) }
            var after = valid.applied(to: before)
            after.updatedAt = now
            guard let updated = try await CareRecords.update(after, on: db) else { throw Self.conflict(current: nil) }
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "care_entry.update", entity: "care_entry", entityID: "\(id)",
                                                      path: item.entry.path.rawValue, before: CareEntryAudit(before).json, after: CareEntryAudit(updated).json, traceID: traceID)], on: db)
        }
        return try await reload(id)
    }

    /// Someone reached the person now.
    func recordContact(id: CareEntryID, identity: UserIdentity, traceID: String) async throws -> CareRegisterItem {
        let item = try await visible(id: id, capability: .manageCare, identity: identity)
        let now = services.now()
        try await services.store.write { db in
            guard let before = try await CareRecords.entry(id: id, on: db), let after = try await CareRegisterRecords.recordContact(id: id, at: now, on: db) else { throw AppError.notFound }
            try await AuditRecords.append([AuditEntry(at: now, actor: "user:\(identity.user.id)", action: "care_entry.contact", entity: "care_entry", entityID: "\(id)",
                                                      path: item.entry.path.rawValue, before: CareEntryAudit(before).json, after: CareEntryAudit(after).json, traceID: traceID)], on: db)
        }
        return try await reload(id)
    }

    private func reload(_ id: CareEntryID) async throws -> CareRegisterItem {
        guard let item = try await services.store.read({ db in try await CareRegisterRecords.item(id: id, on: db) }) else { throw AppError.notFound }
        return item
    }

    static func validated(_ draft: CareEntryDraft) throws -> CareEntryDraft {
        do {
            return try draft.validated()
        } catch {
            throw AppError(.badRequest, error.key, field: error.field, arguments: error.arguments)
        }
    }

    static func conflict(current: Int?) -> AppError {
        AppError(.conflict, "care.register.error.conflict", field: "version", arguments: ["version": current.map { "\($0)" } ?? ""])
    }

    // MARK: Files

    /// The register of a place as a file. Phones are masked unless `unmasked` (which needs
    /// `exportUnmasked`, as the household register's does); every person in it is an audited read.
    func export(placeID: PlaceID?, format: SpreadsheetFormat, unmasked: Bool, identity: UserIdentity, traceID: String) async throws -> (data: Data, place: Place) {
        guard let place = try await self.place(placeID ?? defaultPlace(identity: identity), capability: .manageCare, identity: identity) else { throw AppError.required("place") }
        guard identity.grants.allows(.viewSensitive, at: place.path) else { throw AppError.forbidden }
        if unmasked, !identity.grants.allows(.exportUnmasked, at: place.path) { throw AppError.forbidden }
        let items = try await services.store.read { db in try await CareRegisterRecords.items(under: place, on: db) }
        let lines = items.map { CareRegisterFile.Line(compound: $0.compound, building: $0.building, room: $0.room, name: $0.residentName, phone: $0.phone, entry: $0.entry) }
        let now = services.now()
        let action = unmasked ? "care_entry.export_unmasked" : "care_entry.export"
        try await services.audit(items.map { read($0.entry, action: action, identity: identity, at: now, traceID: traceID) } + [
            AuditEntry(at: now, actor: "user:\(identity.user.id)", action: unmasked ? "care_register.export_unmasked" : "care_register.export", entity: "place", entityID: "\(place.id)",
                       path: place.path.rawValue, after: #"{"rows":\#(items.count)}"#, traceID: traceID),
        ])
        do {
            return (try Spreadsheet.encode(CareRegisterFile.rows(lines, maskPhones: !unmasked), format: format, sheetName: Catalogue.text("care.register.sheet_name", .zhHans)), place)
        } catch {
            throw AppError(.internalServerError, "error.internal")
        }
    }

    func importFile(_ data: Data, fileName: String?, placeID: PlaceID?, partial: Bool, identity: UserIdentity, traceID: String) async throws -> CareRegisterImportReport {
        guard let place = try await self.place(placeID ?? defaultPlace(identity: identity), capability: .manageCare, identity: identity) else { throw AppError.required("place") }
        guard !data.isEmpty else { throw AppError.required("file") }
        let rows: [[String]]
        do {
            rows = try Spreadsheet.decode(data, fileName: fileName)
        } catch {
            throw AppError(.badRequest, error.catalogueKey, field: "file")
        }
        do {
            return try await CareRegisterImporter(store: services.store).run(rows: rows, into: place, partial: partial, actor: "user:\(identity.user.id)", now: services.now(), traceID: traceID)
        } catch CareRegisterImportError.changedMeanwhile {
            throw Self.conflict(current: nil)
        }
    }

    /// The caller's first place where they keep the register, for forms that name none.
    func defaultPlace(identity: UserIdentity) -> PlaceID? {
        identity.grants.scopes(for: .manageCare).first?.ids.last
    }

    /// The places the caller keeps the register at, for the import and export forms.
    func carePlaces(identity: UserIdentity) async throws -> [Place] {
        let ids = identity.grants.scopes(for: .manageCare).compactMap(\.ids.last)
        return try await services.store.read { db in
            var places: [Place] = []
            for id in ids.prefix(20) { if let place = try await DirectoryRecords.place(id: id, on: db) { places.append(place) } }
            return places
        }
    }
}
