import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// The survey pages: campaigns, their coverage, the walk through a building floor by floor, one
/// household's form with its finding, and closing.
struct SurveyPages {
    let services: AppServices
    var surveys: SurveyService { SurveyService(services: services) }

    /// At most this many households on one page of the walk (whole floors, at least one): a page
    /// must stay under 30 KB on a phone in a stairwell.
    static let householdsPerPage = 12

    struct CampaignForm: Decodable {
        var _csrf: String?
        var place_id: String?
        var name: String?
        var starts_on: String?
        var ends_on: String?
    }

    struct VisitForm: Decodable {
        var _csrf: String?
        var status: String?
        var note: String?
        var resident_id: String?
        var categories: [String]?
        var needs: [String]?
        var risk: String?
        var finding_note: String?
        var idempotency_key: String?
        var back: String?
    }

    struct CloseForm: Decodable {
        var _csrf: String?
        var reason: String?
    }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("care/surveys") { request, context -> Response in
            let identity = try context.requireUser()
            let list = try await surveys.campaigns(identity: identity, place: nil)
            let content = ListContent(
                campaigns: list.map { CampaignLink(href: "/care/surveys/\($0.id)", name: $0.name, days: Self.days($0), closed: $0.closedAt != nil) },
                empty: list.isEmpty,
                canCreate: !identity.grants.scopes(for: .manageCare).isEmpty
            )
            return try PageView(template: "care/survey-list", title: context.text("care.survey.list.title"), content: content, breadcrumbs: [Link(href: "/", label: context.text("nav.home"))], banner: noticeBanner(request, context)).response(context)
        }
        router.get("care/surveys/new") { _, context -> Response in
            let identity = try context.requireUser()
            return try await newPage(identity: identity, form: CampaignForm(), errors: [], context: context)
        }
        router.post("care/surveys") { request, context -> Response in
            let identity = try context.requireUser()
            let form = try await request.decodeForm(as: CampaignForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let placeID: PlaceID? = form.place_id.flatMap { Int64($0) }.map { PlaceID($0) }
            do {
                let campaign = try await surveys.create(placeID: placeID, name: form.name, startsOn: form.starts_on, endsOn: form.ends_on, identity: identity, traceID: context.traceID)
                return redirect(to: "/care/surveys/\(campaign.id)?notice=care_survey_created")
            } catch let error as AppError where error.status == .badRequest {
                return try await newPage(identity: identity, form: form, errors: [FieldMessage(field: error.field ?? "name", message: error.message(in: context.language))], context: context, status: .badRequest)
            }
        }
        router.get("care/surveys/:id") { request, context -> Response in
            let identity = try context.requireUser()
            let access = try await surveys.surveyAccess(try context.parameters.id(), identity: identity)
            return try await campaignPage(access, context: context, banner: noticeBanner(request, context))
        }
        router.post("care/surveys/:id/close") { request, context -> Response in
            let identity = try context.requireUser()
            let id: SurveyCampaignID = try context.parameters.id()
            let campaign = try await surveys.manageAccess(id, identity: identity)
            let form = try await request.decodeForm(as: CloseForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                try await surveys.close(campaign, reason: form.reason, identity: identity, traceID: context.traceID)
            } catch let error as AppError where error.field == "reason" {
                // The refusal shows the page again: the buildings still open are listed with their counts, each linking to its walk.
                let access = try await surveys.surveyAccess(id, identity: identity)
                return try await campaignPage(access, context: context, errors: [FieldMessage(field: "reason", message: error.message(in: context.language))], reason: form.reason ?? "", status: error.status)
            }
            return redirect(to: "/care/surveys/\(id)?notice=care_survey_closed")
        }
        router.get("care/surveys/:id/buildings/:building") { request, context -> Response in
            let identity = try context.requireUser()
            let access = try await surveys.surveyAccess(try context.parameters.id(), identity: identity)
            let buildingID: PlaceID = try context.parameters.id("building")
            let query = Query(request: request)
            let upward = try query.string("order", maxLength: 10) == "up"
            let page = try query.int("page", range: 1...10_000, default: 1)
            return try await walkPage(access, buildingID: buildingID, upward: upward, page: page, context: context, banner: noticeBanner(request, context))
        }
        router.get("care/surveys/:id/households/:household") { request, context -> Response in
            let identity = try context.requireUser()
            let access = try await surveys.surveyAccess(try context.parameters.id(), identity: identity)
            return try await householdPage(access, householdID: try context.parameters.id("household"), context: context, banner: noticeBanner(request, context))
        }
        router.post("care/surveys/:id/households/:household") { request, context -> Response in
            let identity = try context.requireUser()
            let access = try await surveys.surveyAccess(try context.parameters.id(), identity: identity)
            let householdID: PlaceID = try context.parameters.id("household")
            let form = try await request.decodeForm(as: VisitForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let input = try SurveyVisitInput.parse(status: form.status, note: form.note, residentID: form.resident_id, categories: form.categories, needs: form.needs, risk: form.risk, findingNote: form.finding_note, idempotencyKey: form.idempotency_key)
            let outcome = try await surveys.record(input, householdID: householdID, access: access, identity: identity, traceID: context.traceID)
            let notice = outcome == .recorded ? "care_survey_recorded" : "care_survey_replayed"
            // Back to the walk the form was on (only this campaign's own pages), at the household.
            let back = form.back.flatMap { $0.hasPrefix("/care/surveys/\(access.campaign.id)/") && !$0.contains("?") && !$0.contains("#") && $0.count < 200 ? $0 : nil }
            return redirect(to: "\(back ?? "/care/surveys/\(access.campaign.id)/households/\(householdID)")?notice=\(notice)#h\(householdID)")
        }
    }

    // MARK: - Lists and the campaign

    struct CampaignLink { var href: String; var name: String; var days: String; var closed: Bool }
    struct ListContent { var campaigns: [CampaignLink]; var empty: Bool; var canCreate: Bool }

    static func days(_ campaign: SurveyCampaign) -> String {
        "\(SurveyService.dayText(campaign.startsAt)) – \(SurveyService.dayText(campaign.endsAt.addingTimeInterval(-86_400)))"
    }

    struct NewContent { var place: FormField; var name: FormField; var startsOn: FormField; var endsOn: FormField }

    private func newPage(identity: UserIdentity, form: CampaignForm, errors: [FieldMessage], context: LinliRequestContext, status: HTTPResponse.Status = .ok) async throws -> Response {
        let scopes = identity.grants.scopes(for: .manageCare)
        guard !scopes.isEmpty else { throw AppError.forbidden }
        // The caller's own places and the places right under them: a committee surveys a compound, a compound a building.
        let places = try await services.store.read { db -> [Place] in
            var places: [Place] = []
            for scope in scopes.prefix(20) {
                guard let id = scope.ids.last, let place = try await DirectoryRecords.place(id: id, on: db) else { continue }
                places.append(place)
                if place.level < .building { places += try await DirectoryRecords.children(of: id, on: db).map(\.place).prefix(200) }
            }
            return places
        }
        let errorText = { (field: String) in errors.first { $0.field == field }?.message }
        let text = { (key: String) in context.text(key) }
        let content = NewContent(
            place: FormField("place_id", label: text("care.survey.field.place"), error: errorText("place_id"), options: places.map { FormField.Option(value: "\($0.id)", label: $0.name, selected: "\($0.id)" == form.place_id) }),
            name: FormField("name", label: text("care.survey.field.name"), error: errorText("name"), value: form.name, maxlength: SurveyRules.nameMaxLength, required: true),
            startsOn: FormField("starts_on", label: text("care.survey.field.starts_on"), error: errorText("starts_on"), value: form.starts_on ?? SurveyService.dayText(services.now()), type: "date", required: true),
            endsOn: FormField("ends_on", label: text("care.survey.field.ends_on"), error: errorText("ends_on"), value: form.ends_on ?? SurveyService.dayText(services.now().addingTimeInterval(2 * 86_400)), type: "date", required: true)
        )
        return try PageView(template: "care/survey-new", title: text("care.survey.new.title"), content: content, breadcrumbs: [Link(href: "/", label: text("nav.home")), Link(href: "/care/surveys", label: text("care.survey.list.title"))], errors: errors)
            .response(context, status: status)
    }

    struct TallyRow {
        var href: String?
        var name: String
        var households: Int
        var done: Int
        var notYet: Int
        var nobodyHome: Int
        var followUps: Int
        var percent: Int
        var open: Int
        var hasOpen: Bool
    }

    struct CampaignContent {
        var id: SurveyCampaignID
        var days: String
        var closed: Bool
        var closedReason: String?
        var total: TallyRow
        var buildings: [TallyRow]
        var surveyors: [TallyRow]
        var hasSurveyors: Bool
        var canClose: Bool
        var reason: FormField
        var coverageAPI: String
    }

    static func row(_ tally: SurveyTally, name: String, href: String?) -> TallyRow {
        TallyRow(href: href, name: name, households: tally.households, done: tally.done, notYet: tally.notYet, nobodyHome: tally.nobodyHome, followUps: tally.followUps, percent: tally.percent, open: tally.open, hasOpen: tally.open > 0)
    }

    private func campaignPage(_ access: SurveyAccess, context: LinliRequestContext, banner: String? = nil, errors: [FieldMessage] = [], reason: String = "", status: HTTPResponse.Status = .ok) async throws -> Response {
        let campaign = access.campaign
        let coverage = try await surveys.coverage(access)
        let content = CampaignContent(
            id: campaign.id,
            days: Self.days(campaign),
            closed: campaign.closedAt != nil,
            closedReason: campaign.closedReason,
            total: Self.row(coverage.total, name: context.text("care.survey.coverage.total"), href: nil),
            buildings: coverage.buildings.map { Self.row($0.tally, name: $0.name, href: "/care/surveys/\(campaign.id)/buildings/\($0.buildingID)") },
            surveyors: coverage.surveyors.map { Self.row($0.tally, name: $0.name ?? context.text("care.survey.coverage.unknown_surveyor"), href: nil) },
            hasSurveyors: !coverage.surveyors.isEmpty,
            canClose: access.canManage && campaign.closedAt == nil,
            reason: FormField("reason", label: context.text("care.survey.close.reason"), hint: context.text("care.survey.close.reason_hint"), error: errors.first?.message, value: reason, maxlength: SurveyRules.reasonMaxLength, rows: 3),
            coverageAPI: "/api/v1/care/surveys/\(campaign.id)"
        )
        return try PageView(template: "care/survey-campaign", title: campaign.name, content: content,
                            breadcrumbs: [Link(href: "/", label: context.text("nav.home")), Link(href: "/care/surveys", label: context.text("care.survey.list.title"))], banner: banner, errors: errors)
            .response(context, status: status)
    }

    // MARK: - The walk

    struct StatusOption { var value: String; var label: String; var selected: Bool }

    struct WalkHousehold {
        var id: PlaceID
        var room: String
        var status: String
        var statusText: String
        var note: String?
        var done: Bool
        var options: [StatusOption]
        var key: String
        var href: String
        var label: String
    }

    struct WalkFloor { var label: String; var households: [WalkHousehold] }

    struct WalkContent {
        var campaignID: SurveyCampaignID
        var closed: Bool
        var summary: String
        var next: Link?
        var floors: [WalkFloor]
        var orderLink: Link
        var pages: [Link]
        var hasPages: Bool
        var back: String
    }

    static func statusTag(_ status: SurveyStatus, _ context: LinliRequestContext) -> String { context.text("care.survey.status.\(status.rawValue)") }

    /// The colour of a status's tag, from the design system's tones (the words say the rest).
    static func tone(_ status: SurveyStatus) -> String {
        switch status {
        case .notYet: "normal"
        case .nobodyHome: "urgent"
        case .followUp: "overdue"
        case .visited, .phoned, .vacant, .noNeed: "done"
        }
    }

    static func statusOptions(_ current: SurveyStatus, _ context: LinliRequestContext) -> [StatusOption] {
        SurveyStatus.allCases.filter { $0 != .notYet }.map { StatusOption(value: $0.rawValue, label: statusTag($0, context), selected: $0 == current) }
    }

    static func newKey() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(generator.next() as UInt64, radix: 36) }.joined(separator: "-")
    }

    /// Floors of the walk in order (top down unless `upward`), rooms without a floor last, cut
    /// into pages of whole floors.
    static func walkPages(_ rows: [SurveyHouseholdRow], upward: Bool) -> [[(floor: Int?, rows: [SurveyHouseholdRow])]] {
        let byFloor = Dictionary(grouping: rows) { SurveyFloor.floor(ofRoom: $0.room) }
        let floors = byFloor.keys.compactMap { $0 }.sorted(by: upward ? (<) : (>))
        var groups: [(floor: Int?, rows: [SurveyHouseholdRow])] = floors.map { floor in
            (floor, (byFloor[floor] ?? []).sorted { ($0.room.count, $0.room) < ($1.room.count, $1.room) })
        }
        if let other = byFloor[nil] { groups.append((nil, other.sorted { $0.room < $1.room })) }
        var pages: [[(floor: Int?, rows: [SurveyHouseholdRow])]] = []
        var current: [(floor: Int?, rows: [SurveyHouseholdRow])] = []
        var count = 0
        for group in groups {
            // A floor larger than a page is cut into pieces of a page each.
            for piece in stride(from: 0, to: group.rows.count, by: householdsPerPage).map({ Array(group.rows[$0..<min($0 + householdsPerPage, group.rows.count)]) }) {
                if count + piece.count > householdsPerPage, !current.isEmpty {
                    pages.append(current)
                    current = []
                    count = 0
                }
                current.append((group.floor, piece))
                count += piece.count
            }
        }
        if !current.isEmpty { pages.append(current) }
        return pages
    }

    private func walkPage(_ access: SurveyAccess, buildingID: PlaceID, upward: Bool, page: Int, context: LinliRequestContext, banner: String?) async throws -> Response {
        let campaign = access.campaign
        let (building, rows) = try await services.store.read { db in
            (try await DirectoryRecords.place(id: buildingID, on: db), try await SurveyRecords.households(campaignID: campaign.id, buildingID: buildingID, on: db))
        }
        guard let building, building.level == .building, campaign.path.contains(building.path), access.scopes.contains(where: { $0.contains(building.path) }) else { throw AppError.notFound }
        let pages = Self.walkPages(rows, upward: upward)
        let index = min(page, max(pages.count, 1)) - 1
        let base = "/care/surveys/\(campaign.id)/buildings/\(buildingID)"
        let order = upward ? "&order=up" : ""
        let shown = pages.isEmpty ? [] : pages[index]
        let done = rows.filter(\.status.isFinal).count
        // The next household to knock on: the first not yet visited in walk order, else the first where nobody was home.
        let ordered = pages.enumerated().flatMap { number, groups in groups.flatMap(\.rows).map { (number + 1, $0) } }
        let next = ordered.first { $0.1.status == .notYet } ?? ordered.first { $0.1.status == .nobodyHome }
        let content = WalkContent(
            campaignID: campaign.id,
            closed: campaign.closedAt != nil,
            summary: context.text("care.survey.walk.summary", ["done": "\(done)", "total": "\(rows.count)"]),
            next: next.map { Link(href: "\(base)?page=\($0.0)\(order)#h\($0.1.householdID)", label: context.text("care.survey.walk.next", ["room": $0.1.room])) },
            floors: shown.map { group in
                WalkFloor(label: group.floor.map { context.text("care.survey.walk.floor", ["floor": "\($0)"]) } ?? context.text("care.survey.walk.other"), households: group.rows.map { row in
                    WalkHousehold(id: row.householdID, room: row.room, status: Self.tone(row.status), statusText: Self.statusTag(row.status, context), note: row.note, done: row.status.isFinal,
                                  options: Self.statusOptions(row.status, context), key: Self.newKey(), href: "/care/surveys/\(campaign.id)/households/\(row.householdID)",
                                  label: "\(building.name) \(row.room)")
                })
            },
            orderLink: Link(href: upward ? base : "\(base)?order=up", label: context.text(upward ? "care.survey.walk.order_down" : "care.survey.walk.order_up")),
            pages: pages.indices.map { number in
                let floors = pages[number].compactMap(\.floor)
                let label = floors.isEmpty ? context.text("care.survey.walk.other") : context.text("care.survey.walk.floors", ["from": "\(floors.first ?? 0)", "to": "\(floors.last ?? 0)"])
                return Link(href: "\(base)?page=\(number + 1)\(order)", label: label, current: number == index)
            },
            hasPages: pages.count > 1,
            back: base
        )
        return try PageView(template: "care/survey-walk", title: context.text("care.survey.walk.title", ["building": building.name]), content: content,
                            breadcrumbs: [Link(href: "/care/surveys", label: context.text("care.survey.list.title")), Link(href: "/care/surveys/\(campaign.id)", label: campaign.name)], banner: banner, offline: true)
            .response(context)
    }

    // MARK: - One household

    struct Choice { var value: String; var label: String; var id: String }

    struct HouseholdContent {
        var campaignID: SurveyCampaignID
        var householdID: PlaceID
        var closed: Bool
        var statusText: String
        var status: String
        var statuses: [Choice]
        var current: String
        var note: FormField
        var resident: FormField
        var hasResidents: Bool
        var categories: [Choice]
        var needs: [Choice]
        var risk: FormField
        var findingNote: FormField
        var key: String
        var label: String
        var history: [HistoryLine]
        var hasHistory: Bool
        var walk: String
    }

    struct HistoryLine { var status: String; var statusText: String; var at: String; var note: String? }

    static let needs = ["medical", "sign_language", "dialect", "driver"]

    private func householdPage(_ access: SurveyAccess, householdID: PlaceID, context: LinliRequestContext, banner: String?) async throws -> Response {
        let campaign = access.campaign
        let (detail, history) = try await services.store.read { db in
            (try await HouseholdRecords.detail(id: householdID, on: db),
             try await SurveyRecords.history(campaignID: campaign.id, householdID: householdID, within: access.scopes, limit: 100, on: db))
        }
        guard let detail, campaign.path.contains(detail.household.path), access.scopes.contains(where: { $0.contains(detail.household.path) }) else { throw AppError.notFound }
        let building = detail.ancestors.first { $0.id == detail.household.buildingID }
        let current = history.last?.status ?? .notYet
        let label = "\(building?.name ?? "") \(detail.household.room)"
        let content = HouseholdContent(
            campaignID: campaign.id, householdID: householdID, closed: campaign.closedAt != nil,
            statusText: Self.statusTag(current, context), status: Self.tone(current),
            statuses: SurveyStatus.allCases.filter { $0 != .notYet }.map { Choice(value: $0.rawValue, label: Self.statusTag($0, context), id: "status-\($0.rawValue)") },
            current: current.rawValue,
            note: FormField("note", label: context.text("care.survey.field.note"), maxlength: SurveyRules.noteMaxLength, rows: 2),
            resident: FormField("resident_id", label: context.text("care.survey.field.resident"), hint: context.text("care.survey.field.resident_hint"),
                                options: [FormField.Option(value: "", label: context.text("care.survey.field.resident_none"), selected: true)] + detail.residents.map { FormField.Option(value: "\($0.id)", label: $0.name, selected: false) }),
            hasResidents: !detail.residents.isEmpty,
            categories: CareCategory.allCases.map { Choice(value: $0.rawValue, label: context.text("care.survey.category.\($0.rawValue)"), id: "category-\($0.rawValue)") },
            needs: Self.needs.map { Choice(value: $0, label: context.text("care.survey.need.\($0)"), id: "need-\($0)") },
            risk: FormField("risk", label: context.text("care.survey.field.risk"), options: CareRisk.allCases.map { FormField.Option(value: $0.rawValue, label: context.text("care.survey.risk.\($0.rawValue)"), selected: $0 == .medium) }),
            findingNote: FormField("finding_note", label: context.text("care.survey.field.finding_note"), maxlength: SurveyRules.noteMaxLength, rows: 2),
            key: Self.newKey(), label: label,
            history: history.reversed().map { HistoryLine(status: Self.tone($0.status), statusText: Self.statusTag($0.status, context), at: PageTime.dateTime($0.at, context.language), note: $0.note) },
            hasHistory: !history.isEmpty,
            walk: "/care/surveys/\(campaign.id)/buildings/\(detail.household.buildingID)"
        )
        return try PageView(template: "care/survey-household", title: context.text("care.survey.household.title", ["household": label]), content: content,
                            breadcrumbs: [Link(href: "/care/surveys/\(campaign.id)", label: campaign.name), Link(href: content.walk, label: building?.name ?? "")], banner: banner, offline: true)
            .response(context)
    }
}
