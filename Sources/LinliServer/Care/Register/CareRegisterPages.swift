import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// The care register in the browser: the list with its filters, one person's entry, adding a
/// resident from their household's page, editing, recording a contact, and the file in and out.
struct CareRegisterPages {
    let services: AppServices
    var register: CareRegisterService { CareRegisterService(services: services) }

    /// Thirty rows keep a page inside its 30 KB budget.
    static let pageSize = 30

    static func fileName(place: PlaceID, format: SpreadsheetFormat) -> String { "care-register-\(place).\(format.rawValue)" }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("care/register") { request, context -> Response in
            try await listPage(request: request, context: context, identity: try context.requireUser())
        }
        router.get("care/register/new") { request, context -> Response in
            let identity = try context.requireUser()
            guard let text = request.uri.queryParameters["resident"], let raw = Int64(String(text)), raw > 0 else { throw AppError.invalid("resident_id") }
            let residentID = ResidentID(raw)
            let household = try await services.store.read { db in try await CareRegisterRecords.householdID(residentID: residentID, on: db) }
            guard let household else { throw AppError.notFound }
            let (_, resident) = try await register.newEntryTarget(householdID: household, residentID: residentID, identity: identity)
            if let existing = try await services.store.read({ db in try await CareRecords.entry(residentID: residentID, on: db) }) {
                return redirect(to: "/care/register/\(existing.id)")
            }
            return try formPage(context: context, target: .new(household: household, resident: resident), form: EntryForm(fields: ["risk": "medium", "source": "survey"]), error: nil)
        }
        router.post("care/register") { request, context -> Response in
            let identity = try context.requireUser()
            let form = EntryForm(fields: try await request.decodeForm(as: [String: String].self, context: context))
            try context.verifyCSRF(form.fields["_csrf"])
            guard let household = form.id("household_id").map({ PlaceID($0) }), let residentID = form.id("resident_id").map({ ResidentID($0) }) else { throw AppError.invalid("resident_id") }
            let (_, resident) = try await register.newEntryTarget(householdID: household, residentID: residentID, identity: identity)
            do {
                let item = try await register.create(householdID: household, residentID: residentID, draft: try form.draft(), identity: identity, traceID: context.traceID)
                return redirect(to: "/care/register/\(item.entry.id)?notice=care_saved")
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                return try formPage(context: context, target: .new(household: household, resident: resident), form: form, error: error)
            }
        }
        router.get("care/register/import") { request, context -> Response in
            let identity = try context.requireUser()
            let place = try await register.place(try Query(request: request).placeID() ?? register.defaultPlace(identity: identity), capability: .manageCare, identity: identity)
            return try await importPage(context: context, identity: identity, selected: place?.id, report: nil)
        }
        router.post("care/register/import") { request, context -> Response in
            let identity = try context.requireUser()
            let buffer = try await request.body.collect(upTo: context.maxUploadSize)
            guard let form = MultipartForm(contentType: request.headers[.contentType] ?? "", body: Data(buffer: buffer)) else { throw AppError.required("file") }
            try context.verifyCSRF(form.value("_csrf"))
            let placeID = try form.value("place").map { text -> PlaceID in
                guard let raw = Int64(text.trimmingCharacters(in: .whitespaces)), raw > 0 else { throw AppError.invalid("place") }
                return PlaceID(raw)
            }
            let place = try await register.place(placeID ?? register.defaultPlace(identity: identity), capability: .manageCare, identity: identity)
            guard let file = form.file("file"), !file.data.isEmpty else { throw AppError.required("file") }
            let report = try await register.importFile(file.data, fileName: file.fileName, placeID: place?.id, partial: form.value("partial") == "on", identity: identity, traceID: context.traceID)
            return try await importPage(context: context, identity: identity, selected: place?.id, report: report)
        }
        for format in SpreadsheetFormat.allCases {
            router.get("care/register/export.\(format.rawValue)") { request, context -> Response in
                let identity = try context.requireUser()
                let query = Query(request: request)
                let (data, place) = try await register.export(placeID: try query.placeID(), format: format, unmasked: try query.bool("unmasked"), identity: identity, traceID: context.traceID)
                return RegisterAPI.download(data, format: format, fileName: Self.fileName(place: place.id, format: format))
            }
        }
        router.get("care/register/:id") { request, context -> Response in
            let identity = try context.requireUser()
            let item = try await register.entry(id: try context.parameters.id(), identity: identity, traceID: context.traceID)
            let plan = try await services.store.read { db in try await CarePlanRecords.items(entryID: item.entry.id, on: db) }
            return try detailPage(item, plan: CarePlanPages.lines(plan, context: context), identity: identity, context: context, banner: noticeBanner(request, context))
        }
        router.get("care/register/:id/edit") { _, context -> Response in
            let identity = try context.requireUser()
            let id: CareEntryID = try context.parameters.id()
            _ = try await register.visible(id: id, capability: .manageCare, identity: identity)
            let item = try await register.entry(id: id, identity: identity, traceID: context.traceID)
            return try formPage(context: context, target: .edit(item), form: EntryForm(item.entry), error: nil)
        }
        router.post("care/register/:id/edit") { request, context -> Response in
            let identity = try context.requireUser()
            let id: CareEntryID = try context.parameters.id()
            let item = try await register.visible(id: id, capability: .manageCare, identity: identity)
            let form = EntryForm(fields: try await request.decodeForm(as: [String: String].self, context: context))
            try context.verifyCSRF(form.fields["_csrf"])
            do {
                let version = try form.fields["version"].map { text -> Int in
                    guard let version = Int(text), version > 0 else { throw AppError.invalid("version") }
                    return version
                }
                _ = try await register.update(id: id, version: version, draft: try form.draft(), identity: identity, traceID: context.traceID)
                return redirect(to: "/care/register/\(id)?notice=care_saved")
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                return try formPage(context: context, target: .edit(item), form: form, error: error)
            }
        }
        router.post("care/register/:id/contact") { request, context -> Response in
            let identity = try context.requireUser()
            let id: CareEntryID = try context.parameters.id()
            _ = try await register.visible(id: id, capability: .manageCare, identity: identity)
            let form = try await request.decodeForm(as: [String: String].self, context: context)
            try context.verifyCSRF(form["_csrf"])
            _ = try await register.recordContact(id: id, identity: identity, traceID: context.traceID)
            return redirect(to: "/care/register/\(id)?notice=care_contacted")
        }
    }

    // MARK: - The list

    struct Row {
        var href: String
        var name: String
        var address: String
        var categories: String
        var risk: Tag
        var contact: Tag
        var helper: String
    }

    struct ListContent {
        var filters: [FormField]
        var rows: [Row]
        var isEmpty: Bool
        var nextPage: String?
        var resultCount: String
        var counts: [CountLink]
        var canManage: Bool
        var importHref: String
        var exportXLSX: String
        var exportCSV: String
        var exportUnmasked: String?
        var overdueHint: String
    }

    struct CountLink {
        var href: String
        var count: String
        var label: String
        var alert: Bool
        var countID: String?
    }

    private func listPage(request: Request, context: LinliRequestContext, identity: UserIdentity) async throws -> Response {
        let query = Query(request: request)
        let parameters = try CareRegisterService.ListParameters(query: query, defaultLimit: Self.pageSize)
        let items = try await register.list(parameters, identity: identity, traceID: context.traceID)
        let (counts, place) = try await register.counts(placeID: parameters.place, identity: identity)
        let now = services.now()
        let language = context.language
        func options(_ values: [(String, String)], selected: String?) -> [FormField.Option] {
            [FormField.Option(value: "", label: context.text("requests.filter.any"), selected: selected == nil)]
                + values.map { FormField.Option(value: $0.0, label: $0.1, selected: $0.0 == selected) }
        }
        var carePlaces = try await register.carePlaces(identity: identity)
        // A place chosen from the place pages stays chosen when the filters are sent again.
        if let place, !carePlaces.contains(where: { $0.id == place.id }) { carePlaces.insert(place, at: 0) }
        var filters = [
            FormField("category", label: context.text("care.register.field.categories"), options: options(CareCategory.allCases.map { ($0.rawValue, context.text($0.catalogueKey)) }, selected: parameters.category?.rawValue)),
            FormField("risk", label: context.text("care.register.field.risk"), options: options(CareRisk.allCases.reversed().map { ($0.rawValue, context.text($0.catalogueKey)) }, selected: parameters.risk?.rawValue)),
            FormField("paired", label: context.text("care.register.filter.paired"), options: options([("true", context.text("care.register.filter.paired_yes")), ("false", context.text("care.register.filter.paired_no"))], selected: parameters.paired.map { $0 ? "true" : "false" })),
            FormField("contact_days", label: context.text("care.register.filter.contact_days"), options: options([1, 3, 7, 14].map { ("\($0)", context.text("care.register.filter.days", ["days": "\($0)"])) }, selected: parameters.contactDays.map { "\($0)" })),
        ]
        if carePlaces.count > 1 || parameters.place != nil {
            filters.insert(FormField("place", label: context.text("field.place"), options: options(carePlaces.map { ("\($0.id)", $0.name) }, selected: parameters.place.map { "\($0)" })), at: 0)
        }
        let rows = items.map { item in
            Row(
                href: "/care/register/\(item.entry.id)", name: item.residentName, address: "\(item.building) \(item.room)",
                categories: item.entry.categories.map { Catalogue.text($0.catalogueKey, language) }.joined(separator: context.text("care.register.list_separator")),
                risk: Self.riskTag(item.entry.risk, language), contact: Self.contactTag(item.entry.lastContactAt, now: now, context),
                helper: context.text(item.entry.primaryHelperID == nil ? "care.register.filter.paired_no" : "care.register.filter.paired_yes")
            )
        }
        let placeQuery = parameters.place.map { "?place=\($0)" } ?? ""
        let joiner = placeQuery.isEmpty ? "?" : "&"
        let canManage = place.map { identity.grants.allows(.manageCare, at: $0.path) } ?? !identity.grants.scopes(for: .manageCare).isEmpty
        let canUnmask = (place ?? carePlaces.first).map { identity.grants.allows(.exportUnmasked, at: $0.path) } ?? false
        let countLinks = [CountLink(href: "/care/register\(placeQuery)", count: "\(counts.total)", label: context.text("care.register.count.total"), alert: false, countID: "care-count-total")]
            + CareRisk.allCases.reversed().filter { $0 >= .high }.map { risk in
                CountLink(href: "/care/register\(placeQuery)\(joiner)risk=\(risk.rawValue)", count: "\(counts.risks[risk] ?? 0)", label: context.text(risk.catalogueKey),
                          alert: risk == .critical && (counts.risks[risk] ?? 0) > 0, countID: "care-count-\(risk.rawValue)")
            }
            + CareCategory.allCases.compactMap { category in
                guard let count = counts.categories[category], count > 0 else { return nil }
                return CountLink(href: "/care/register\(placeQuery)\(joiner)category=\(category.rawValue)", count: "\(count)", label: context.text(category.catalogueKey), alert: false, countID: nil)
            }
        let content = ListContent(
            filters: filters, rows: rows, isEmpty: rows.isEmpty,
            nextPage: items.count == parameters.limit ? DirectoryPages.nextPageLink(request, offset: parameters.offset + parameters.limit) : nil,
            resultCount: context.text("care.register.list.count", ["count": "\(parameters.offset + items.count)"]),
            counts: countLinks, canManage: canManage, importHref: "/care/register/import\(placeQuery)",
            exportXLSX: "/care/register/export.xlsx\(placeQuery)", exportCSV: "/care/register/export.csv\(placeQuery)",
            exportUnmasked: canUnmask ? "/care/register/export.xlsx\(placeQuery)\(joiner)unmasked=1" : nil,
            overdueHint: context.text("care.register.overdue_hint", ["days": "\(CareRegister.contactOverdueDays)"])
        )
        return try PageView(template: "care/register-list", title: context.text("care.register.title"), content: content).response(context)
    }

    static func riskTag(_ risk: CareRisk, _ language: Language) -> Tag {
        let tone = switch risk {
        case .critical: "life_critical"
        case .high: "urgent"
        case .medium, .low: "normal"
        }
        return Tag(risk.catalogueKey, tone: tone, language)
    }

    /// "5 天前" or "从未联系", red from `CareRegister.contactOverdueDays` on and for someone never reached.
    static func contactTag(_ lastContact: Date?, now: Date, _ context: LinliRequestContext) -> Tag {
        let overdue = CareRegister.isContactOverdue(lastContact, now: now)
        var tag = Tag("care.register.contact.never", tone: overdue ? "overdue" : "normal", context.language)
        if let days = CareRegister.daysSinceContact(lastContact, now: now) { tag.text = context.text("care.register.contact.days_ago", ["days": "\(days)"]) }
        return tag
    }

    // MARK: - One entry

    struct Fact {
        var label: String
        var value: String
        var href: String?
    }

    struct DetailContent {
        var id: CareEntryID
        var name: String
        var facts: [Fact]
        var risk: Tag
        var contact: Tag
        var canManage: Bool
        var householdHref: String
        /// The care plan's items, one line each.
        var plan: [String]
        var hasPlan: Bool
    }

    private func detailPage(_ item: CareRegisterItem, plan: [String], identity: UserIdentity, context: LinliRequestContext, banner: String?) throws -> Response {
        let entry = item.entry
        let now = services.now()
        let language = context.language
        let fullPhone = identity.grants.allows(.viewFullPhone, at: entry.path)
        let separator = context.text("care.register.list_separator")
        var facts = [
            Fact(label: context.text("care.register.field.address"), value: "\(item.compound) \(item.building) \(item.room)", href: "/households/\(entry.householdID)"),
            Fact(label: context.text("field.phone"), value: item.phone.map { fullPhone ? $0 : PhoneMask.mask($0) } ?? "", href: fullPhone ? item.phone.map { "tel:" + $0 } : nil),
            Fact(label: context.text("care.register.field.categories"), value: entry.categories.map { Catalogue.text($0.catalogueKey, language) }.joined(separator: separator)),
        ]
        if let kind = entry.disabilityKind { facts.append(Fact(label: context.text("care.register.field.disability_kind"), value: kind)) }
        facts += [
            Fact(label: context.text("care.register.field.needs"), value: entry.needs.isEmpty ? context.text("care.register.none") : entry.needs.map { Self.needLabel($0, context) }.joined(separator: separator)),
            Fact(label: context.text("care.register.field.source"), value: context.text(entry.source.catalogueKey)),
            Fact(label: context.text("care.register.field.consent_note"), value: entry.consentNote ?? ""),
            Fact(label: context.text("care.register.field.note"), value: entry.note ?? ""),
            Fact(label: context.text("care.register.field.last_contact"), value: entry.lastContactAt.map { PageTime.dateTime($0, language) } ?? context.text("care.register.contact.never")),
            Fact(label: context.text("care.register.field.helpers"), value: context.text(entry.primaryHelperID == nil ? "care.register.filter.paired_no" : "care.register.filter.paired_yes")),
        ]
        let content = DetailContent(
            id: entry.id, name: item.residentName, facts: facts, risk: Self.riskTag(entry.risk, language),
            contact: Self.contactTag(entry.lastContactAt, now: now, context),
            canManage: identity.grants.allows(.manageCare, at: entry.path), householdHref: "/households/\(entry.householdID)", plan: plan, hasPlan: !plan.isEmpty
        )
        return try PageView(template: "care/register-detail", title: item.residentName, content: content,
                            breadcrumbs: [Link(href: "/care/register", label: context.text("care.register.title"))], banner: banner).response(context)
    }

    static func needLabel(_ need: String, _ context: LinliRequestContext) -> String {
        CareRegister.knownNeeds.contains(need) ? context.text("care.register.need.\(need)") : need
    }

    // MARK: - The form

    /// What a person typed, kept as typed so a refused form comes back filled.
    struct EntryForm {
        var fields: [String: String]

        init(fields: [String: String]) { self.fields = fields }

        init(_ entry: CareEntry) {
            var fields: [String: String] = [
                "risk": entry.risk.rawValue, "source": entry.source.rawValue, "disability_kind": entry.disabilityKind ?? "",
                "consent_note": entry.consentNote ?? "", "note": entry.note ?? "", "version": "\(entry.version)",
                "needs_other": entry.needs.filter { !CareRegister.knownNeeds.contains($0) }.joined(separator: "、"),
            ]
            for category in entry.categories { fields["category_\(category.rawValue)"] = "1" }
            for need in entry.needs where CareRegister.knownNeeds.contains(need) { fields["need_\(need)"] = "1" }
            self.fields = fields
        }

        func id(_ name: String) -> Int64? {
            fields[name].flatMap { Int64($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0 > 0 ? $0 : nil }
        }

        func checked(_ name: String) -> Bool { fields[name].map { !$0.isEmpty } ?? false }

        func draft() throws -> CareEntryDraft {
            guard let risk = fields["risk"].flatMap(CareRisk.init(rawValue:)) else { throw AppError.invalid("risk") }
            guard let source = fields["source"].flatMap(CareSource.init(rawValue:)) else { throw AppError.invalid("source") }
            let other = (fields["needs_other"] ?? "").split(whereSeparator: { "、,，;；".contains($0) }).map { $0.trimmingCharacters(in: .whitespaces) }
            return CareEntryDraft(
                categories: CareCategory.allCases.filter { checked("category_\($0.rawValue)") }, disabilityKind: fields["disability_kind"],
                needs: CareRegister.knownNeeds.filter { checked("need_\($0)") } + other.map(CareRegisterFile.need(fromWord:)),
                risk: risk, source: source, consentNote: fields["consent_note"], note: fields["note"]
            )
        }
    }

    enum FormTarget {
        case new(household: PlaceID, resident: Resident)
        case edit(CareRegisterItem)
    }

    struct Choice {
        var id: String
        var label: String
        var checked: Bool
    }

    struct FormContent {
        var action: String
        var householdID: String?
        var residentID: String?
        var version: String?
        var person: String
        var categories: [Choice]
        var categoriesError: String?
        var disabilityKind: FormField
        var needs: [Choice]
        var needsError: String?
        var needsOther: FormField
        var risk: FormField
        var source: FormField
        var consentNote: FormField
        var note: FormField
        var cancelHref: String
        var conflict: Bool
    }

    private func formPage(context: LinliRequestContext, target: FormTarget, form: EntryForm, error: AppError?) throws -> Response {
        let fields = ["categories", "disability_kind", "needs", "risk", "source", "consent_note", "note", "version", "resident_id"]
        var errors = FormErrors(error, language: context.language, fields: fields, defaultField: "categories")
        // The other fields are on the page, "version" is not: its error sits at the top.
        if error?.field == "version" || error?.field == "resident_id" { errors = FormErrors(error, language: context.language, fields: ["categories"], defaultField: "categories") }
        let value = { (name: String) in form.fields[name] }
        func select<T: RawRepresentable>(_ name: String, _ all: [T], key: (T) -> String) -> FormField where T.RawValue == String {
            FormField(name, label: context.text("care.register.field.\(name)"), error: errors.message(for: name), required: true,
                      options: all.map { FormField.Option(value: $0.rawValue, label: context.text(key($0)), selected: $0.rawValue == value(name)) })
        }
        let action: String, person: String, cancel: String
        var householdID: String?, residentID: String?, version: String?
        switch target {
        case .new(let household, let resident):
            action = "/care/register"
            person = resident.name
            cancel = "/households/\(household)"
            householdID = "\(household)"
            residentID = "\(resident.id)"
        case .edit(let item):
            action = "/care/register/\(item.entry.id)/edit"
            person = item.residentName
            cancel = "/care/register/\(item.entry.id)"
            // A refused edit keeps the version it started from: saving again must still see the conflict.
            version = form.fields["version"] ?? "\(item.entry.version)"
        }
        let content = FormContent(
            action: action, householdID: householdID, residentID: residentID, version: version, person: person,
            categories: CareCategory.allCases.map { Choice(id: "category_\($0.rawValue)", label: context.text($0.catalogueKey), checked: form.checked("category_\($0.rawValue)")) },
            categoriesError: errors.message(for: "categories"),
            disabilityKind: FormField("disability_kind", label: context.text("care.register.field.disability_kind"), hint: context.text("care.register.form.disability_hint"),
                                      error: errors.message(for: "disability_kind"), value: value("disability_kind"), maxlength: CareRegister.maximumDisabilityKindLength),
            needs: CareRegister.knownNeeds.map { Choice(id: "need_\($0)", label: context.text("care.register.need.\($0)"), checked: form.checked("need_\($0)")) },
            needsError: errors.message(for: "needs"),
            needsOther: FormField("needs_other", label: context.text("care.register.form.needs_other"), hint: context.text("care.register.form.needs_other_hint"), value: value("needs_other"), maxlength: 200),
            risk: select("risk", Array(CareRisk.allCases.reversed())) { $0.catalogueKey },
            source: select("source", CareSource.allCases) { $0.catalogueKey },
            consentNote: FormField("consent_note", label: context.text("care.register.field.consent_note"), hint: context.text("care.register.form.consent_hint"),
                                   error: errors.message(for: "consent_note"), value: value("consent_note"), maxlength: CareRegister.maximumConsentNoteLength),
            note: FormField("note", label: context.text("care.register.field.note"), error: errors.message(for: "note"), value: value("note"), maxlength: CareRegister.maximumNoteLength, rows: 3),
            cancelHref: cancel, conflict: error?.status == .conflict
        )
        let title = context.text(householdID == nil ? "care.register.edit.title" : "care.register.new.title", ["name": person])
        return try PageView(template: "care/register-form", title: title, content: content, errors: errors.messages).response(context, status: error?.status ?? .ok)
    }

    // MARK: - Files

    struct ImportContent {
        var places: [FormField]
        var rejected: Bool
        var applied: String?
        var messages: [String]
        var hasMessages: Bool
        var headers: String
    }

    private func importPage(context: LinliRequestContext, identity: UserIdentity, selected: PlaceID?, report: CareRegisterImportReport?) async throws -> Response {
        let places = try await register.carePlaces(identity: identity)
        let field = FormField("place", label: context.text("field.place"), options: places.map { FormField.Option(value: "\($0.id)", label: $0.name, selected: $0.id == selected) })
        let applied = report.flatMap { report in
            report.rejected ? nil : context.text("care.register.import.applied", ["created": "\(report.created)", "updated": "\(report.updated)", "unchanged": "\(report.unchanged)"])
        }
        let messages = report?.issues.map { $0.message(in: context.language) } ?? []
        let content = ImportContent(
            places: places.count > 1 ? [field] : [], rejected: report?.rejected ?? false, applied: applied, messages: messages, hasMessages: !messages.isEmpty,
            headers: CareRegisterField.allCases.map(\.chineseHeader).joined(separator: "、")
        )
        let page = PageView(template: "care/register-import", title: context.text("care.register.import.title"), content: content,
                            breadcrumbs: [Link(href: "/care/register", label: context.text("care.register.title"))], banner: applied)
        return try page.response(context, status: report?.rejected == true ? .unprocessableContent : .ok)
    }
}
