import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Rumours in the browser: the board of a place (the report form, running rumours by age, the
/// weekly median time to correction), a rumour's page with the steps the caller may take, and
/// the public page of a correction, which needs no login and prints.
struct RumourPages {
    let services: AppServices

    struct RumourLine { var href: String; var claim: String; var meta: String; var late: Bool }
    struct BoardContent {
        var placeID: PlaceID
        var text: FormField
        var link: FormField
        var group: FormField
        var running: [RumourLine]
        var noneRunning: Bool
        var closed: [RumourLine]
        var weeks: [String]
    }
    struct ReportForm: Decodable { var _csrf: String?; var place_id: String?; var text: String?; var link: String?; var chat_group_id: String? }

    struct Line { var text: String; var meta: String }
    struct CorrectionLine {
        var id: RumourCorrectionID
        var title: String
        var body: String
        var meta: String
        var canApprove: Bool
        var canPublish: Bool
        var canRetract: Bool
        var page: String?
    }
    struct DetailContent {
        var id: RumourID
        var claim: String
        var facts: [String]
        var verdictNote: String?
        var reports: [Line]
        var evidence: [Line]
        var corrections: [CorrectionLine]
        var canVerify: Bool
        var canStart: Bool
        var canDecide: Bool
        var canEscalate: Bool
        var canDraft: Bool
        var verdicts: FormField
        var note: FormField
        var evidenceText: FormField
        var evidenceURL: FormField
        var reason: FormField
        var facts2: FormField
        var source: FormField
    }
    struct StepForm: Decodable {
        var _csrf: String?
        var status: String?
        var note: String?
        var kind: String?
        var text: String?
        var url: String?
        var reason: String?
        var facts: String?
        var source: String?
        var confirmed: String?
    }
    struct Question { var action: String; var question: String; var warning: String; var yes: String; var back: String; var status: String; var reason: String }
    struct PublicContent { var title: String; var body: String; var source: String; var published: String; var retracted: String? }

    func addRoutes(to router: Router<LinliRequestContext>) {
        let rumours = RumourService(services: services)
        router.get("rumours") { request, context -> Response in
            let identity = try context.requireUser()
            let place = try await boardPlace(request, identity: identity)
            return try await boardPage(place, form: ReportForm(), error: nil, context: context, banner: noticeBanner(request, context))
        }
        router.post("rumours") { request, context -> Response in
            let identity = try context.requireUser()
            let form = try await request.decodeForm(as: ReportForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            guard let raw = form.place_id.flatMap({ Int64($0) }), raw > 0 else { throw AppError.invalid("place_id") }
            let place = try await services.place(PlaceID(raw), capability: .reportRumours, identity: identity)
            do {
                let group = form.chat_group_id.flatMap { Int64($0) }.flatMap { $0 > 0 ? $0 : nil }
                let new = try RumourAPI.newReport(RumourAPI.ReportBody(place_id: raw, chat_group_id: group, text: form.text, link: form.link, seen_at: nil))
                let filed = try await rumours.report(new, identity: identity, traceID: context.traceID)
                let notice = filed.correction != nil ? "rumour_already_corrected" : filed.match == .automatic ? "rumour_matched" : "rumour_reported"
                let seen = identity.grants.allows(.viewDirectory, at: filed.rumour.path)
                return redirect(to: seen ? "/rumours/\(filed.rumour.rumour.id)?notice=\(notice)" : "/rumours?place=\(place.id)&notice=\(notice)")
            } catch let error as AppError where error.status == .badRequest {
                return try await boardPage(place, form: form, error: error, context: context, banner: nil).withStatus(error.status)
            }
        }
        router.get("rumours/:id") { request, context -> Response in
            let identity = try context.requireUser()
            return try await detailPage(try context.parameters.id(), form: StepForm(), error: nil, identity: identity, context: context, banner: noticeBanner(request, context))
        }
        router.post("rumours/:id/step") { request, context -> Response in
            let identity = try context.requireUser()
            let id: RumourID = try context.parameters.id()
            let stored = try await rumours.rumour(id, identity: identity)
            try await rumours.require(.verifyRumours, on: stored, identity: identity)
            let form = try await request.decodeForm(as: StepForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                let notice: String
                switch form.status ?? "" {
                case "evidence":
                    let text = try RumourAPI.required(form.text, field: "text", max: RumourService.maximumNote)
                    _ = try await rumours.addEvidence(id, kind: form.url?.isEmpty == false ? .officialSource : .note, text: text, url: try RumourAPI.link(form.url, field: "url"),
                                                      identity: identity, traceID: context.traceID)
                    notice = "rumour_evidence_added"
                case "escalate":
                    let reason = try RumourAPI.required(form.reason, field: "reason", max: RumourService.maximumNote)
                    _ = try await rumours.escalateNow(id, reason: reason, identity: identity, traceID: context.traceID)
                    notice = "rumour_escalated"
                case "draft":
                    let facts = try RumourAPI.required(form.facts, field: "facts", max: RumourService.maximumNote)
                    let source = try RumourAPI.required(form.source, field: "source", max: 200)
                    _ = try await rumours.draftCorrection(id, facts: facts, source: source, title: nil, identity: identity, traceID: context.traceID)
                    notice = "correction_drafted"
                case let text:
                    guard let status = RumourStatus(rawValue: text), status != .reported else { throw AppError.invalid("status") }
                    let note = try RumourAPI.text(form.note, field: "note", max: RumourService.maximumNote)
                    _ = status == .verifying ? try await rumours.startVerifying(id, identity: identity, traceID: context.traceID)
                                             : try await rumours.decide(id, verdict: status, note: note, identity: identity, traceID: context.traceID)
                    notice = "rumour_status_set"
                }
                return redirect(to: "/rumours/\(id)?notice=\(notice)")
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                return try await detailPage(id, form: form, error: error, identity: identity, context: context, banner: nil).withStatus(error.status)
            }
        }
        router.post("corrections/:id/step") { request, context -> Response in
            let identity = try context.requireUser()
            let id: RumourCorrectionID = try context.parameters.id()
            let (_, stored) = try await rumours.correction(id, identity: identity)
            try await rumours.require(.publishInformation, on: stored, identity: identity)
            let form = try await request.decodeForm(as: StepForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                switch form.status ?? "" {
                case "approved":
                    _ = try await rumours.approveCorrection(id, identity: identity, traceID: context.traceID)
                case "published", "retracted":
                    let retracting = form.status == "retracted"
                    let reason = retracting ? try RumourAPI.required(form.reason, field: "reason", max: RumourService.maximumNote) : ""
                    // Publishing and retracting reach every group at once and cannot be called back: asked first.
                    guard form.confirmed == "yes" else {
                        let key = retracting ? "retract" : "publish"
                        let question = Question(action: "/corrections/\(id)/step", question: context.text("rumour.page.\(key)_question"),
                                                warning: context.text("rumour.page.\(key)_warning"), yes: context.text("rumour.page.\(key)_yes"),
                                                back: "/rumours/\(stored.rumour.id)", status: form.status ?? "", reason: reason)
                        return try PageView(template: "information/confirm", title: context.text("rumour.page.\(key)"), content: question).response(context)
                    }
                    _ = retracting ? try await rumours.retractCorrection(id, reason: reason, identity: identity, traceID: context.traceID)
                                   : try await rumours.publishCorrection(id, identity: identity, traceID: context.traceID)
                default:
                    throw AppError.invalid("status")
                }
                return redirect(to: "/rumours/\(stored.rumour.id)?notice=correction_\(form.status ?? "")")
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                return try await detailPage(stored.rumour.id, form: form, error: error, identity: identity, context: context, banner: nil).withStatus(error.status)
            }
        }
        router.get("corrections/:id") { _, context -> Response in
            guard let (correction, _) = try await rumours.publicCorrection(try context.parameters.id()) else { throw AppError.notFound }
            let content = PublicContent(title: correction.title, body: correction.body, source: context.text("rumour.page.source", ["source": correction.source]),
                                        published: correction.publishedAt.map { context.text("rumour.page.published_at", ["time": PageTime.dateTime($0, context.language)]) } ?? "",
                                        retracted: correction.retractedAt.map { context.text("rumour.page.retracted_at", ["time": PageTime.dateTime($0, context.language),
                                                                                                                        "reason": correction.retractionReason ?? ""]) })
            return try PageView(template: "information/correction", title: correction.title, content: content).response(context)
        }
    }

    /// `?place=` when the caller may report there, else the first place they report at.
    func boardPlace(_ request: Request, identity: UserIdentity) async throws -> Place {
        if let text = request.uri.queryParameters["place"] {
            guard let raw = Int64(String(text)), raw > 0 else { throw AppError.invalid("place") }
            return try await services.place(PlaceID(raw), capability: .reportRumours, identity: identity)
        }
        guard let scope = identity.grants.scopes(for: .reportRumours).first, let id = scope.ids.last else { throw AppError.forbidden }
        return try await services.place(id, capability: .reportRumours, identity: identity)
    }

    static func line(_ stored: StoredRumour, now: Date, context: LinliRequestContext) -> RumourLine {
        let rumour = stored.rumour
        let minutes = CardCustodyService.minutesOut(since: rumour.firstReportedAt, now: rumour.correctedAt ?? now)
        let meta = context.text("rumour.page.line", ["status": context.text("rumour.status.\(rumour.status.rawValue)"), "minutes": "\(minutes)",
                                                     "reports": "\(rumour.reportCount)", "level": "\(rumour.escalationLevel)"])
        return RumourLine(href: "/rumours/\(rumour.id)", claim: RumourService.shortClaim(rumour.claim), meta: meta, late: rumour.clockRunning && minutes >= RumourClock.escalationMinutes[0])
    }

    func boardPage(_ place: Place, form: ReportForm, error: AppError?, context: LinliRequestContext, banner: String?) async throws -> Response {
        let identity = try context.requireUser()
        let rumours = RumourService(services: services)
        let board = try await rumours.board(under: place.id, identity: identity)
        let groups = try await services.store.read { db in try await RumourRecords.chatGroups(under: [place.path], on: db) }
        let errors = FormErrors(error, language: context.language, fields: ["text", "link", "chat_group_id"], defaultField: "text")
        let now = services.now()
        let options = [FormField.Option(value: "", label: context.text("rumour.page.no_group"), selected: (form.chat_group_id ?? "").isEmpty)]
            + groups.map { FormField.Option(value: "\($0.group.id)", label: "\($0.group.name)（\($0.placeName)）", selected: form.chat_group_id == "\($0.group.id)") }
        let content = BoardContent(
            placeID: place.id,
            text: FormField("text", label: context.text("rumour.field.text"), hint: context.text("rumour.field.text_hint"), error: errors.message(for: "text"), value: form.text,
                            maxlength: RumourService.maximumText, rows: 5),
            link: FormField("link", label: context.text("rumour.field.link"), error: errors.message(for: "link"), value: form.link, type: "url", inputmode: "url",
                            maxlength: RumourService.maximumLink),
            group: FormField("chat_group_id", label: context.text("rumour.field.group"), error: errors.message(for: "chat_group_id"), options: options),
            running: board.running.map { Self.line($0, now: now, context: context) }, noneRunning: board.running.isEmpty,
            closed: board.closed.prefix(50).map { Self.line($0, now: now, context: context) },
            weeks: board.weeks.map { context.text("rumour.page.week", ["week": $0.week, "median": String(format: "%.0f", $0.median), "count": "\($0.count)"]) })
        return try PageView(template: "information/board", title: context.text("rumour.page.board", ["place": place.name]), content: content, banner: banner,
                            errors: errors.messages).response(context)
    }

    func detailPage(_ id: RumourID, form: StepForm, error: AppError?, identity: UserIdentity, context: LinliRequestContext, banner: String?) async throws -> Response {
        let rumours = RumourService(services: services)
        let detail = try await rumours.detail(id, identity: identity)
        let stored = detail.rumour
        let rumour = stored.rumour
        let ownerPath = try await rumours.ownerPath(stored)
        let canVerify = identity.grants.allows(.verifyRumours, at: stored.path) || identity.grants.allows(.verifyRumours, at: ownerPath)
        let canPublish = identity.grants.allows(.publishInformation, at: stored.path) || identity.grants.allows(.publishInformation, at: ownerPath)
        let now = services.now()
        let owner = try await services.store.read { db in try await DirectoryRecords.place(id: rumour.ownerPlaceID, on: db) }
        var facts = [context.text("rumour.page.status", ["status": context.text("rumour.status.\(rumour.status.rawValue)")]),
                     context.text("rumour.page.first_reported", ["time": PageTime.dateTime(rumour.firstReportedAt, context.language)]),
                     context.text("rumour.page.owner", ["owner": owner?.name ?? "—"])]
        if let corrected = rumour.correctedAt {
            facts.append(context.text("rumour.page.corrected_in", ["minutes": "\(RumourClock.minutesToCorrection(firstReportedAt: rumour.firstReportedAt, correctedAt: corrected))"]))
        } else if rumour.clockRunning {
            facts.append(context.text("rumour.page.open_for", ["minutes": "\(CardCustodyService.minutesOut(since: rumour.firstReportedAt, now: now))"]))
        }
        let errors = FormErrors(error, language: context.language, fields: ["note", "text", "url", "reason", "facts", "source"], defaultField: "note")
        let verdictOptions = ([RumourStatus.false, .true, .unverifiable, .outOfScope]).map {
            FormField.Option(value: $0.rawValue, label: context.text("rumour.status.\($0.rawValue)"), selected: form.status == $0.rawValue)
        }
        let content = DetailContent(
            id: id, claim: rumour.claim, facts: facts, verdictNote: rumour.verdictNote,
            reports: detail.reports.map { Line(text: $0.text, meta: context.text("rumour.page.report_meta", ["time": PageTime.dateTime($0.reportedAt, context.language),
                                                                                                             "match": context.text("rumour.match.\($0.match.rawValue)")])) },
            evidence: detail.evidence.map { Line(text: $0.text, meta: [$0.url, PageTime.dateTime($0.addedAt, context.language)].compactMap { $0 }.joined(separator: " · ")) },
            corrections: detail.corrections.map { correction in
                CorrectionLine(id: correction.id, title: correction.title, body: correction.body,
                               meta: context.text("rumour.correction_status.\(correction.status.rawValue)"),
                               canApprove: canPublish && correction.status == .draft && correction.draftedBy != identity.user.id,
                               canPublish: canPublish && correction.status == .approved, canRetract: canPublish && correction.status == .published,
                               page: correction.status == .published || correction.status == .retracted ? "/corrections/\(correction.id)" : nil)
            },
            canVerify: canVerify, canStart: canVerify && rumour.status == .reported, canDecide: canVerify && rumour.status.isOpen,
            canEscalate: canVerify && rumour.clockRunning, canDraft: canVerify && rumour.status == .false,
            verdicts: FormField("status", label: context.text("rumour.field.verdict"), options: verdictOptions),
            note: FormField("note", label: context.text("rumour.field.note"), error: errors.message(for: "note"), value: form.note, maxlength: RumourService.maximumNote, rows: 3),
            evidenceText: FormField("text", label: context.text("rumour.field.evidence"), error: errors.message(for: "text"), value: form.text, maxlength: RumourService.maximumNote, rows: 3),
            evidenceURL: FormField("url", label: context.text("rumour.field.evidence_url"), error: errors.message(for: "url"), value: form.url, type: "url", inputmode: "url",
                                   maxlength: RumourService.maximumLink),
            reason: FormField("reason", label: context.text("rumour.field.reason"), error: errors.message(for: "reason"), value: form.reason, maxlength: RumourService.maximumNote),
            facts2: FormField("facts", label: context.text("rumour.field.facts"), hint: context.text("rumour.field.facts_hint"), error: errors.message(for: "facts"),
                              value: form.facts, maxlength: RumourService.maximumNote, rows: 4),
            source: FormField("source", label: context.text("rumour.field.source"), error: errors.message(for: "source"), value: form.source, maxlength: 200))
        return try PageView(template: "information/rumour", title: context.text("rumour.page.title"), content: content,
                            breadcrumbs: [Link(href: "/rumours", label: context.text("nav.information"))], banner: banner, errors: errors.messages).response(context)
    }
}
