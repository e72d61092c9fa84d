import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// An entry of the care register as the API answers with it.
struct CareEntryView: ResponseCodable {
    var id: CareEntryID
    var residentID: ResidentID
    var residentName: String
    var householdID: PlaceID
    var compound: String
    var building: String
    var room: String
    /// Masked unless the caller may see full phones at the person's place.
    var phone: String?
    var phoneMasked: Bool
    var categories: [String]
    var disabilityKind: String?
    var needs: [String]
    var risk: String
    var source: String
    var consentNote: String?
    var note: String?
    var lastContactAt: String?
    var daysSinceContact: Int?
    var contactOverdue: Bool
    var pinnedHelperID: VolunteerID?
    var primaryHelperID: VolunteerID?
    var backupHelperID: VolunteerID?
    var version: Int
    var createdAt: String
    var updatedAt: String

    init(_ item: CareRegisterItem, fullPhone: Bool, now: Date) {
        let entry = item.entry
        id = entry.id
        residentID = entry.residentID
        residentName = item.residentName
        householdID = entry.householdID
        compound = item.compound
        building = item.building
        room = item.room
        phone = item.phone.map { fullPhone ? $0 : PhoneMask.mask($0) }
        phoneMasked = !fullPhone
        categories = entry.categories.map(\.rawValue)
        disabilityKind = entry.disabilityKind
        needs = entry.needs
        risk = entry.risk.rawValue
        source = entry.source.rawValue
        consentNote = entry.consentNote
        note = entry.note
        lastContactAt = entry.lastContactAt?.ISO8601Format()
        daysSinceContact = CareRegister.daysSinceContact(entry.lastContactAt, now: now)
        contactOverdue = CareRegister.isContactOverdue(entry.lastContactAt, now: now)
        pinnedHelperID = entry.pinnedHelperID
        primaryHelperID = entry.primaryHelperID
        backupHelperID = entry.backupHelperID
        version = entry.version
        createdAt = entry.createdAt.ISO8601Format()
        updatedAt = entry.updatedAt.ISO8601Format()
    }

    enum CodingKeys: String, CodingKey {
        case id, residentID = "resident_id", residentName = "resident_name", householdID = "household_id", compound, building, room, phone, phoneMasked = "phone_masked"
        case categories, disabilityKind = "disability_kind", needs, risk, source, consentNote = "consent_note", note, lastContactAt = "last_contact_at"
        case daysSinceContact = "days_since_contact", contactOverdue = "contact_overdue", pinnedHelperID = "pinned_helper_id", primaryHelperID = "primary_helper_id"
        case backupHelperID = "backup_helper_id", version, createdAt = "created_at", updatedAt = "updated_at"
    }
}

struct CareEntryListView: ResponseCodable {
    var entries: [CareEntryView]
    var limit: Int
    var offset: Int
}

struct CareCountsView: ResponseCodable {
    var total: Int
    var categories: [String: Int]
    var risks: [String: Int]

    init(_ counts: CareRegisterCounts) {
        total = counts.total
        categories = Dictionary(uniqueKeysWithValues: CareCategory.allCases.map { ($0.rawValue, counts.categories[$0] ?? 0) })
        risks = Dictionary(uniqueKeysWithValues: CareRisk.allCases.map { ($0.rawValue, counts.risks[$0] ?? 0) })
    }
}

struct CareImportView: ResponseCodable {
    var report: CareRegisterImportReport
    var messages: [String]
}

/// `/api/v1/care/entries`: the care register.
struct CareRegisterAPI {
    let services: AppServices
    var register: CareRegisterService { CareRegisterService(services: services) }

    /// The editable fields, as the API and the pages send them.
    struct EntryBody: Decodable {
        var householdID: PlaceID?
        var residentID: ResidentID?
        var version: Int?
        var categories: [String]?
        var disabilityKind: String?
        var needs: [String]?
        var risk: String?
        var source: String?
        var consentNote: String?
        var note: String?

        enum CodingKeys: String, CodingKey {
            case householdID = "household_id", residentID = "resident_id", version, categories, disabilityKind = "disability_kind", needs, risk, source
            case consentNote = "consent_note", note
        }

        /// Unknown words name their field; the draft's own rules come after.
        func draft() throws -> CareEntryDraft {
            guard let categoryTexts = categories else { throw AppError.required("categories") }
            guard categoryTexts.count <= CareCategory.allCases.count * 2 else { throw AppError.invalid("categories") }
            let categories = try categoryTexts.map { text in
                guard let category = CareCategory(rawValue: text) else { throw AppError.invalid("categories") }
                return category
            }
            guard let riskText = risk, !riskText.isEmpty else { throw AppError.required("risk") }
            guard let risk = CareRisk(rawValue: riskText) else { throw AppError.invalid("risk") }
            guard let sourceText = source, !sourceText.isEmpty else { throw AppError.required("source") }
            guard let source = CareSource(rawValue: sourceText) else { throw AppError.invalid("source") }
            let needs = needs ?? []
            guard needs.count <= CareRegister.maximumNeeds * 2 else { throw AppError(.badRequest, "care.register.error.too_many_needs", field: "needs", arguments: ["max": "\(CareRegister.maximumNeeds)"]) }
            return CareEntryDraft(categories: categories, disabilityKind: disabilityKind, needs: needs, risk: risk, source: source, consentNote: consentNote, note: note)
        }
    }

    func addRoutes(to router: RouterGroup<LinliRequestContext>) {
        router.get("care/entries") { request, context -> CareEntryListView in
            let identity = try context.requireUser()
            let parameters = try CareRegisterService.ListParameters(query: Query(request: request), defaultLimit: 50)
            let items = try await register.list(parameters, identity: identity, traceID: context.traceID)
            return CareEntryListView(entries: items.map { view($0, identity: identity) }, limit: parameters.limit, offset: parameters.offset)
        }
        router.get("care/entries/counts") { request, context -> CareCountsView in
            let identity = try context.requireUser()
            return CareCountsView(try await register.counts(placeID: try Query(request: request).placeID(), identity: identity).counts)
        }
        router.post("care/entries") { request, context -> EditedResponse<CareEntryView> in
            let identity = try context.requireUser()
            let body = try await request.decodeJSON(as: EntryBody.self, context: context)
            guard let householdID = body.householdID else { throw AppError.required("household_id") }
            // Scope first, then the body's own faults.
            _ = try await register.newEntryTarget(householdID: householdID, residentID: body.residentID, identity: identity)
            let item = try await register.create(householdID: householdID, residentID: body.residentID, draft: try body.draft(), identity: identity, traceID: context.traceID)
            return EditedResponse(status: .created, response: view(item, identity: identity))
        }
        router.get("care/entries/export") { request, context -> Response in
            let identity = try context.requireUser()
            let query = Query(request: request)
            let format = try RegisterAPI.format(query)
            let (data, place) = try await register.export(placeID: try query.placeID(), format: format, unmasked: try query.bool("unmasked"), identity: identity, traceID: context.traceID)
            return RegisterAPI.download(data, format: format, fileName: CareRegisterPages.fileName(place: place.id, format: format))
        }
        router.post("care/entries/import") { request, context -> Response in
            let identity = try context.requireUser()
            let query = Query(request: request)
            let placeID = try query.placeID()
            // Scope first: a body sent to a place outside the caller's is not even read.
            _ = try await register.place(placeID ?? register.defaultPlace(identity: identity), capability: .manageCare, identity: identity)
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            guard buffer.readableBytes > 0 else { throw AppError.required("file") }
            let report = try await register.importFile(Data(buffer: buffer), fileName: try query.string("filename", maxLength: 200), placeID: placeID, partial: try query.bool("partial"), identity: identity, traceID: context.traceID)
            let data = try JSONEncoder().encode(CareImportView(report: report, messages: report.issues.map { $0.message(in: context.language) }))
            return Response(status: report.rejected ? .unprocessableContent : .ok, headers: [.contentType: "application/json; charset=utf-8"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
        }
        router.get("care/entries/:id") { _, context -> CareEntryView in
            let identity = try context.requireUser()
            return view(try await register.entry(id: try context.parameters.id(), identity: identity, traceID: context.traceID), identity: identity)
        }
        router.put("care/entries/:id") { request, context -> CareEntryView in
            let identity = try context.requireUser()
            let id: CareEntryID = try context.parameters.id()
            _ = try await register.visible(id: id, capability: .manageCare, identity: identity)
            let body = try await request.decodeJSON(as: EntryBody.self, context: context)
            return view(try await register.update(id: id, version: body.version, draft: try body.draft(), identity: identity, traceID: context.traceID), identity: identity)
        }
        router.post("care/entries/:id/contacts") { _, context -> CareEntryView in
            let identity = try context.requireUser()
            return view(try await register.recordContact(id: try context.parameters.id(), identity: identity, traceID: context.traceID), identity: identity)
        }
    }

    private func view(_ item: CareRegisterItem, identity: UserIdentity) -> CareEntryView {
        CareEntryView(item, fullPhone: identity.grants.allows(.viewFullPhone, at: item.entry.path), now: services.now())
    }
}
