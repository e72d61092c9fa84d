import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Requests in the browser: residents file and follow their own (no JavaScript needed, for basic
/// phones); volunteers work their queue with one tap per step.
struct RequestPages {
    let services: AppServices
    var intake: RequestIntake { RequestIntake(services: services) }
    var actions: RequestActions { RequestActions(services: services) }
    var reads: RequestReads { RequestReads(services: services) }

    struct FileForm: Decodable {
        var _csrf: String?
        var idempotency_key: String?
        var household_id: String?
        var category: String?
        var description: String?
    }

    struct ActForm: Decodable {
        var _csrf: String?
        var action: String?
        var note: String?
    }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("requests/new") { request, context -> Response in
            let household = request.uri.queryParameters["household"].map(String.init)
            if case .anonymous = context.caller { throw AppError.unauthenticated }
            return newRequestPage(context: context, householdID: household, error: nil)
        }
        router.post("requests") { request, context -> Response in
            let form = try await request.decodeForm(as: FileForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            guard let categoryText = form.category, let category = RequestCategory(rawValue: categoryText) else { throw AppError.invalid("category") }
            let householdID = try form.household_id.map { text in
                guard let id = PlaceID(text.trimmingCharacters(in: .whitespaces)) else { throw AppError.invalid("household_id") }
                return id
            }
            let filer = try Filer(context.caller, householdID: householdID)
            let filing = Filing(householdID: filer.householdID, residentID: nil, category: category, description: form.description ?? "", channel: filer.channel)
            do {
                let filed = try await intake.file(filing, by: filer.actor, grants: filer.grants, idempotencyKey: form.idempotency_key, traceID: context.traceID)
                return redirect(to: "/requests/\(filed.stored.request.id)")
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict {
                return newRequestPage(context: context, householdID: form.household_id, error: error)
            }
        }
        router.get("requests/:id") { _, context -> Response in
            let (stored, transitions) = try await reads.request(id: try context.parameters.id(), caller: context.caller)
            let ownerName = try await services.store.read { db -> String? in
                guard let owner = stored.request.ownerUserID else { return nil }
                return try await UserRecords.user(id: owner, on: db)?.name
            }
            return detailPage(stored, transitions: transitions, ownerName: ownerName, context: context, error: nil)
        }
        router.post("requests/:id/act") { request, context -> Response in
            let id: HelpRequestID = try context.parameters.id()
            _ = try await reads.visible(id: id, caller: context.caller)
            let form = try await request.decodeForm(as: ActForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            guard let actionText = form.action, let action = RequestActions.Action(rawValue: actionText) else { throw AppError.invalid("action") }
            let note = form.note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            do {
                _ = try await actions.act(action, on: id, caller: context.caller, note: note, traceID: context.traceID)
                return redirect(to: "/requests/\(id)")
            } catch let error as AppError where error.status == .conflict || error.status == .badRequest {
                let (stored, transitions) = try await reads.request(id: id, caller: context.caller)
                return detailPage(stored, transitions: transitions, ownerName: nil, context: context, error: error).withStatus(error.status)
            }
        }
        router.get("queue") { _, context -> Response in
            let identity = try context.requireUser()
            let dutyPlaces = identity.grants.roles.map(\.placeID)
            let items = try await services.store.read { db in try await RequestRecords.queue(userID: identity.user.id, dutyPlaces: dutyPlaces, on: db) }
            let now = services.now()
            let rows = items.map { item -> String in
                let request = item.stored.request
                let deadline = request.status == .new ? request.acceptBy : request.doneBy
                let overdue = deadline < now ? " class=\"error\"" : ""
                let next: RequestActions.Action? = switch request.status {
                case .new: .accept
                case .accepted: .start
                case .inProgress: .done
                default: nil
                }
                let button = next.map { action in
                    "<form method=\"post\" action=\"/requests/\(request.id)/act\" class=\"inline\">\(context.csrfField)<input type=\"hidden\" name=\"action\" value=\"\(action.rawValue)\"><button>\(context.t("requests.action.\(action.rawValue)"))</button></form>"
                } ?? ""
                return """
                <tr><td><a href="/requests/\(request.id)">#\(request.id)</a> \(context.t(request.urgency.catalogueKey))</td><td>\(escape(item.householdLabel))</td><td>\(context.t(request.category.catalogueKey))</td><td\(overdue)>\(Self.format(deadline, now: now, context: context))</td><td>\(button)</td></tr>
                """
            }.joined()
            return Page(title: Catalogue.text("requests.page.queue", context.language), context: context) {
                """
                <table><thead><tr><th>\(context.t("requests.page.request"))</th><th>\(context.t("field.household"))</th><th>\(context.t("field.category"))</th><th>\(context.t("requests.page.deadline"))</th><th></th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td colspan=\"5\">\(context.t("list.empty"))</td></tr>" : rows)</tbody></table>
                """
            }.response()
        }
    }

    /// "in 2 h 5 min" or "overdue by 15 min", for deadlines at a glance.
    static func format(_ deadline: Date, now: Date, context: LinliRequestContext) -> String {
        guard deadline.isRepresentable, now.isRepresentable else { return escape(Catalogue.text("time.invalid", context.language)) }
        let minutes = Int((abs(deadline.timeIntervalSince(now)) / 60).rounded(.up))
        let span = minutes >= 60 ? Catalogue.text("requests.page.hours_minutes", context.language, ["h": "\(minutes / 60)", "m": "\(minutes % 60)"]) : Catalogue.text("requests.page.minutes", context.language, ["m": "\(minutes)"])
        return escape(Catalogue.text(deadline < now ? "requests.page.overdue_by" : "requests.page.due_in", context.language, ["span": span]))
    }

    private func newRequestPage(context: LinliRequestContext, householdID: String?, error: AppError?) -> Response {
        let options = RequestCategory.allCases.map { "<option value=\"\($0.rawValue)\">\(context.t($0.catalogueKey))</option>" }.joined()
        let householdField: String
        if case .user = context.caller {
            householdField = "<label for=\"household_id\">\(context.t("field.household_id"))</label><input id=\"household_id\" name=\"household_id\" inputmode=\"numeric\" required value=\"\(escape(householdID ?? ""))\">"
        } else {
            householdField = ""
        }
        return Page(title: Catalogue.text("requests.page.new", context.language), context: context) {
            """
            \(error.map { "<p class=\"error\" role=\"alert\">\(escape($0.message(in: context.language)))</p>" } ?? "")
            <form method="post" action="/requests">
            \(context.csrfField)
            <input type="hidden" name="idempotency_key" value="\(Tokens.random())">
            \(householdField)
            <label for="category">\(context.t("field.category"))</label>
            <select id="category" name="category">\(options)</select>
            <label for="description">\(context.t("field.description"))</label>
            <textarea id="description" name="description" rows="4" maxlength="\(Filing.maximumDescriptionLength)" required style="width:100%"></textarea>
            <p><button type="submit">\(context.t("requests.page.submit"))</button></p>
            </form>
            """
        }.response(status: error?.status ?? .ok)
    }

    private func detailPage(_ stored: StoredRequest, transitions: [RequestTransition], ownerName: String?, context: LinliRequestContext, error: AppError?) -> Response {
        let request = stored.request
        // A household sees only the surname of whoever has its request: enough to recognise them.
        let owner: String
        if let ownerName {
            if case .household = context.caller { owner = String(ownerName.prefix(1)) + Catalogue.text("requests.page.owner_suffix", context.language) } else { owner = ownerName }
        } else {
            owner = Catalogue.text("requests.page.duty_team", context.language)
        }
        let actions: [RequestActions.Action]
        switch context.caller {
        case .household:
            actions = request.status.isOpen ? (request.status == .new ? [.cancel] : [.done, .cancel]) : [.reopen]
        case .user:
            switch request.status {
            case .new: actions = [.accept, .resolvedElsewhere, .unable]
            case .accepted: actions = [.start, .done, .unable]
            case .inProgress: actions = [.done, .unable]
            default: actions = []
            }
        case .anonymous:
            actions = []
        }
        let buttons = actions.map { action in
            "<button name=\"action\" value=\"\(action.rawValue)\">\(context.t("requests.action.\(action.rawValue)"))</button>"
        }.joined(separator: " ")
        let history = transitions.map { "<li>\(escape(Self.timestamp($0.at))) \(context.t($0.kind.catalogueKey))\($0.note.map { "：\(escape($0))" } ?? "")</li>" }.joined()
        return Page(title: Catalogue.text("requests.page.title", context.language, ["id": "\(request.id)"]), context: context) {
            """
            \(error.map { "<p class=\"error\" role=\"alert\">\(escape($0.message(in: context.language)))</p>" } ?? "")
            <p><strong id="request-status">\(context.t(request.status.catalogueKey))</strong> · \(context.t(request.urgency.catalogueKey)) · \(context.t(request.category.catalogueKey))</p>
            <p>\(escape(request.description))</p>
            <p>\(context.t("field.owner")): <span id="request-owner">\(escape(owner))</span></p>
            \(actions.isEmpty ? "" : "<form method=\"post\" action=\"/requests/\(request.id)/act\">\(context.csrfField)<label for=\"note\">\(context.t("field.note"))</label><input id=\"note\" name=\"note\" maxlength=\"2000\"><p>\(buttons)</p></form>")
            <h2>\(context.t("requests.page.history"))</h2><ul>\(history)</ul>
            """
        }.response()
    }

    static func timestamp(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Foundation.Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "Asia/Shanghai")
        formatter.dateFormat = "MM-dd HH:mm"
        return formatter.string(from: date)
    }

    /// The household's requests, for its own page.
    static func householdSection(_ items: [RequestListItem], context: LinliRequestContext) -> String {
        let rows = items.map { item in
            "<li><a href=\"/requests/\(item.stored.request.id)\">#\(item.stored.request.id) \(context.t(item.stored.request.category.catalogueKey))</a> · \(context.t(item.stored.request.status.catalogueKey))</li>"
        }.joined()
        return "<h2>\(context.t("requests.page.mine"))</h2><p><a href=\"/requests/new\">\(context.t("requests.page.new"))</a></p><ul>\(rows)</ul>"
    }
}

extension Response {
    func withStatus(_ status: HTTPResponse.Status) -> Response {
        var response = self
        response.status = status
        return response
    }
}
