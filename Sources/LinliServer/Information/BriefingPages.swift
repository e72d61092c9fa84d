import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Briefings in the browser: a place's briefings with the form that drafts one, a draft's page
/// where staff edit the text and publish it (asked first), and the public page of a published
/// briefing with its charts, which needs no login and prints.
struct BriefingPages {
    let services: AppServices

    struct BriefingLine { var href: String; var title: String; var meta: String; var draft: Bool }
    struct PlaceLink { var href: String; var name: String }
    struct ListContent {
        var placeName: String
        var canDraft: Bool
        var place: FormField
        var day: FormField
        var briefings: [BriefingLine]
        var isEmpty: Bool
        var below: [PlaceLink]
    }
    struct Chart { var title: String; var src: String }
    struct BriefingContent {
        var id: BriefingID
        var draft: Bool
        var lines: [String]
        var meta: String
        var charts: [Chart]
        var canEdit: Bool
        var text: FormField
        var back: String
    }
    struct DraftForm: Decodable { var _csrf: String?; var place_id: String?; var day: String? }
    struct StepForm: Decodable { var _csrf: String?; var status: String?; var text: String?; var confirmed: String? }

    func addRoutes(to router: Router<LinliRequestContext>) {
        let briefings = BriefingService(services: services)
        router.get("briefings") { request, context -> Response in
            let identity = try context.requireUser()
            return try await listPage(try listPlace(request, identity: identity), form: DraftForm(), error: nil, context: context, banner: noticeBanner(request, context))
        }
        router.post("briefings") { request, context -> Response in
            let identity = try context.requireUser()
            let form = try await request.decodeForm(as: DraftForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            guard let raw = form.place_id.flatMap({ Int64($0) }), raw > 0 else { throw AppError.invalid("place_id") }
            do {
                let day = try briefings.day(form.day)
                let drafted = try await briefings.draft(placeID: PlaceID(raw), day: day, identity: identity, traceID: context.traceID)
                return redirect(to: "/briefings/\(drafted.briefing.id)?notice=briefing_drafted")
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                let place = try await services.place(PlaceID(raw), capability: .viewDirectory, identity: identity)
                return try await listPage(place, form: form, error: error, context: context, banner: nil).withStatus(error.status)
            }
        }
        router.get("briefings/:id") { request, context -> Response in
            let id: BriefingID = try context.parameters.id()
            // A published briefing is public, so a resident follows the robot's link without a login.
            if let stored = try await briefings.publicBriefing(id) {
                return try page(stored, form: StepForm(), error: nil, canEdit: false, context: context, banner: noticeBanner(request, context))
            }
            let stored = try await briefings.briefing(id, identity: try context.requireUser())
            return try page(stored, form: StepForm(), error: nil, canEdit: true, context: context, banner: noticeBanner(request, context))
        }
        // The charts as SVG images of their own: pages print no markup unescaped, and an image
        // prints and scales like one.
        router.get("briefings/:id/charts/:chart") { _, context -> Response in
            let id: BriefingID = try context.parameters.id()
            let published = try await briefings.publicBriefing(id)
            let stored: StoredBriefing
            if let published { stored = published } else { stored = try await briefings.briefing(id, identity: try context.requireUser()) }
            let charts = BriefingCharts.charts(stored.briefing.figures, context.language)
            guard let index = context.parameters.get("chart").flatMap({ Int($0) }), charts.indices.contains(index) else { throw AppError.notFound }
            // Not cached: its words follow the reader's language, which browsers do not key images by.
            let headers: HTTPFields = [.contentType: "image/svg+xml; charset=utf-8", .cacheControl: "no-store"]
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: charts[index].svg)))
        }
        router.post("briefings/:id/step") { request, context -> Response in
            let identity = try context.requireUser()
            let id: BriefingID = try context.parameters.id()
            let stored = try await briefings.briefing(id, identity: identity)
            guard identity.grants.allows(.publishInformation, at: stored.path) else { throw AppError.forbidden }
            let form = try await request.decodeForm(as: StepForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                switch form.status ?? "" {
                case "edit":
                    _ = try await briefings.edit(id, rawText: form.text, identity: identity, traceID: context.traceID)
                    return redirect(to: "/briefings/\(id)?notice=briefing_saved")
                case "publish":
                    // Publishing reaches every group at once and cannot be called back: asked first.
                    guard form.confirmed == "yes" else {
                        let question = RumourPages.Question(action: "/briefings/\(id)/step", question: context.text("briefing.page.publish_question"),
                                                            warning: context.text("briefing.page.publish_warning"), yes: context.text("briefing.page.publish_yes"),
                                                            back: "/briefings/\(id)", status: "publish", reason: "")
                        return try PageView(template: "information/confirm", title: context.text("briefing.page.publish"), content: question).response(context)
                    }
                    _ = try await briefings.publish(id, identity: identity, traceID: context.traceID)
                    return redirect(to: "/briefings/\(id)?notice=briefing_published")
                default:
                    throw AppError.invalid("status")
                }
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                let current = try await briefings.briefing(id, identity: identity)
                return try page(current, form: form, error: error, canEdit: true, context: context, banner: nil).withStatus(error.status)
            }
        }
    }

    /// `?place=` when the caller sees it, else the first place they publish at, else the first they see.
    func listPlace(_ request: Request, identity: UserIdentity) async throws -> Place {
        if let placeID = try Query(request: request).placeID() { return try await services.place(placeID, capability: .viewDirectory, identity: identity) }
        let scope = identity.grants.scopes(for: .publishInformation).first ?? identity.grants.scopes(for: .viewDirectory).first
        guard let id = scope?.ids.last else { throw AppError.forbidden }
        return try await services.place(id, capability: .viewDirectory, identity: identity)
    }

    func listPage(_ place: Place, form: DraftForm, error: AppError?, context: LinliRequestContext, banner: String?) async throws -> Response {
        let identity = try context.requireUser()
        let (_, stored) = try await BriefingService(services: services).briefings(at: place.id, identity: identity)
        let canDraft = identity.grants.allows(.publishInformation, at: place.path)
        // The places one level down, to draft for a compound from the committee's page; a
        // compound's buildings get no briefing of their own.
        let children = place.level < .compound
            ? try await services.store.read { db in try await DirectoryRecords.children(of: place.id, on: db) }.map(\.place) : []
        let errors = FormErrors(error, language: context.language, fields: ["place_id", "day"], defaultField: "day")
        let chosen = form.place_id ?? "\(place.id)"
        let options = ([place] + children.prefix(300)).map { FormField.Option(value: "\($0.id)", label: $0.name, selected: chosen == "\($0.id)") }
        let yesterday = BriefingDay(containing: services.now()).before(1).label
        let content = ListContent(
            placeName: place.name, canDraft: canDraft,
            place: FormField("place_id", label: context.text("briefing.field.place"), error: errors.message(for: "place_id"), options: options),
            day: FormField("day", label: context.text("briefing.field.day"), hint: context.text("briefing.field.day_hint"), error: errors.message(for: "day"),
                           value: form.day ?? yesterday, type: "date"),
            briefings: stored.map { entry in
                BriefingLine(href: "/briefings/\(entry.briefing.id)",
                             title: context.text("briefing.page.line_title", ["place": entry.placeName, "day": BriefingRules.dayLabel(entry.briefing.day, context.language)]),
                             meta: context.text("briefing.state.\(entry.briefing.state.rawValue)"), draft: entry.briefing.state == .draft)
            },
            isEmpty: stored.isEmpty,
            below: children.prefix(300).map { PlaceLink(href: "/briefings?place=\($0.id)", name: $0.name) })
        return try PageView(template: "information/briefings", title: context.text("briefing.page.list_title", ["place": place.name]), content: content,
                            breadcrumbs: [Link(href: "/rumours", label: context.text("nav.information"))], banner: banner, errors: errors.messages).response(context)
    }

    func page(_ stored: StoredBriefing, form: StepForm, error: AppError?, canEdit: Bool, context: LinliRequestContext, banner: String?) throws -> Response {
        let briefing = stored.briefing
        let errors = FormErrors(error, language: context.language, fields: ["text"], defaultField: "text")
        let meta = briefing.publishedAt.map { context.text("briefing.page.published_at", ["time": PageTime.dateTime($0, context.language)]) }
            ?? context.text("briefing.page.drafted_at", ["time": PageTime.dateTime(briefing.draftedAt, context.language)])
        let content = BriefingContent(
            id: briefing.id, draft: briefing.state == .draft, lines: briefing.lines, meta: meta,
            charts: BriefingCharts.charts(briefing.figures, context.language).enumerated().map { Chart(title: $1.title, src: "/briefings/\(briefing.id)/charts/\($0)") },
            canEdit: canEdit && briefing.state == .draft,
            text: FormField("text", label: context.text("briefing.field.text"), hint: context.text("briefing.field.text_hint"), error: errors.message(for: "text"),
                            value: form.text ?? briefing.text, maxlength: BriefingRules.maximumText, rows: 8),
            back: "/briefings?place=\(briefing.placeID)")
        let title = context.text("briefing.page.title", ["place": stored.placeName, "day": BriefingRules.dayLabel(briefing.day, context.language)])
        let crumbs = canEdit ? [Link(href: "/briefings?place=\(briefing.placeID)", label: context.text("briefing.page.list"))] : []
        return try PageView(template: "information/briefing", title: title, content: content, breadcrumbs: crumbs, banner: banner, errors: errors.messages)
            .response(context)
    }
}
