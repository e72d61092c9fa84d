import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// The directory as pages: the place tree, household search and detail, volunteers and teams.
struct DirectoryPages {
    let services: AppServices
    var directory: DirectoryService { DirectoryService(services: services) }

    struct CodeForm: Decodable { var _csrf: String? }
    struct CodesForm: Decodable { var _csrf: String?; var rotate: String? }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("/") { _, context -> Response in
            switch context.caller {
            case .anonymous: return redirect(to: "/login")
            case .household: return redirect(to: "/my-household")
            case .user(let identity):
                let roots = try await directory.rootPlaces(identity: identity)
                let roles = identity.grants.roles.map { "<li>\(context.t("role.\($0.role.rawValue)"))</li>" }.joined()
                return Page(title: Catalogue.text("home.title", context.language, ["name": identity.user.name]), context: context) {
                    """
                    <h2>\(context.t("home.my_roles"))</h2><ul>\(roles)</ul>
                    <h2>\(context.t("home.my_places"))</h2>
                    <ul>\(roots.map { "<li><a href=\"/places/\($0.id)\">\(escape($0.name))</a> <span class=\"muted\">\(context.t("level.\($0.level.rawValue)"))</span></li>" }.joined())</ul>
                    <p><a href="/households">\(context.t("nav.households"))</a></p>
                    """
                }.response()
            }
        }
        router.get("places/:id") { _, context -> Response in
            let identity = try context.requireUser()
            let view = try await directory.place(id: try context.parameters.id(), identity: identity)
            let crumbs = view.ancestors.map { "<a href=\"/places/\($0.id)\">\(escape($0.name))</a>" }.joined(separator: " › ")
            let children = view.children.map { child -> String in
                let link = child.level == .household ? "/households/\(child.id)" : "/places/\(child.id)"
                let count = child.childCount.map { " <span class=\"muted\">(\($0))</span>" } ?? ""
                return "<li><a href=\"\(link)\">\(escape(child.name))</a>\(count)</li>"
            }.joined()
            // A place above the viewer's own shows its name and the way down, not its tools: a
            // link the viewer cannot follow would only answer 404.
            let inside = identity.grants.allows(.viewDirectory, at: PlacePath(rawValue: view.place.path))
            let chainListLink = inside ? " · <a href=\"/places/\(view.place.id)/chain-list\">\(context.t("chain_list.import.link"))</a>" : ""
            let managesRegister = view.place.level <= .compound && identity.grants.allows(.manageRegister, at: PlacePath(rawValue: view.place.path))
            let registerLink = managesRegister ? " · <a href=\"/places/\(view.place.id)/register\">\(context.t("register.link"))</a> · <a href=\"/places/\(view.place.id)/codes\">\(context.t("directory.codes.link"))</a>" : ""
            return Page(title: view.place.name, context: context) {
                """
                <p class="muted">\(crumbs) · \(context.t("level.\(view.place.level.rawValue)"))</p>
                <p><a href="/households?place=\(view.place.id)">\(context.t("directory.search_here"))</a> · <a href="/volunteers?place=\(view.place.id)">\(context.t("nav.volunteers"))</a> · <a href="/teams?place=\(view.place.id)">\(context.t("nav.teams"))</a>\(chainListLink)\(registerLink)</p>
                <ul>\(children)</ul>
                """
            }.response()
        }
        router.get("households") { request, context -> Response in
            let identity = try context.requireUser()
            let query = Query(request: request)
            let parameters = try DirectoryService.SearchParameters(query: query)
            let found = try await directory.searchHouseholds(parameters, identity: identity)
            let field = { (name: String, value: String?) in
                "<label for=\"\(name)\">\(context.t("field.\(name)"))</label><input id=\"\(name)\" name=\"\(name)\" value=\"\(escape(value ?? ""))\">"
            }
            let rows = found.map(HouseholdSummaryView.init).map { household in
                """
                <tr><td><a href="/households/\(household.id)">\(escape(household.building)) \(escape(household.room))</a></td><td>\(escape(household.compound))</td><td>\(escape(household.contactName ?? ""))</td><td>\(escape(household.contactPhone ?? ""))</td><td>\(household.residentCount)</td></tr>
                """
            }.joined()
            let more = found.count == parameters.limit ? "<p><a href=\"\(Self.nextPageLink(request, offset: parameters.offset + parameters.limit))\">\(context.t("list.next_page"))</a></p>" : ""
            return Page(title: Catalogue.text("nav.households", context.language), context: context) {
                """
                <form method="get" action="/households">
                \(parameters.within.map { "<input type=\"hidden\" name=\"place\" value=\"\($0)\">" } ?? "")
                \(field("building", parameters.building))\(field("room", parameters.room))\(field("name", parameters.name))\(field("phone_tail", parameters.phoneTail))
                <p><button type="submit">\(context.t("directory.search"))</button></p>
                </form>
                <table><thead><tr><th>\(context.t("field.room"))</th><th>\(context.t("level.compound"))</th><th>\(context.t("field.contact"))</th><th>\(context.t("field.phone"))</th><th>\(context.t("field.resident_count"))</th></tr></thead>
                <tbody>\(rows.isEmpty ? "<tr><td colspan=\"5\">\(context.t("list.empty"))</td></tr>" : rows)</tbody></table>
                \(more)
                """
            }.response()
        }
        router.get("households/:id") { _, context -> Response in
            let identity = try context.requireUser()
            let id: PlaceID = try context.parameters.id()
            let view = try await directory.household(id: id, identity: identity, traceID: context.traceID)
            let canRotate = identity.grants.allows(.manageRegister, at: PlacePath(rawValue: view.path))
            return Self.householdPage(view, context: context, rotateForm: canRotate, extra: "<p><a href=\"/requests/new?household=\(id)\">\(context.t("requests.page.new_for_household"))</a></p>")
        }
        router.post("households/:id/code") { request, context -> Response in
            let identity = try context.requireUser()
            let form = try await request.decodeForm(as: CodeForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let id: PlaceID = try context.parameters.id()
            let code = try await directory.rotateCode(householdID: id, identity: identity, traceID: context.traceID)
            return Page(title: Catalogue.text("directory.code.new_title", context.language), context: context) {
                """
                <p>\(context.t("field.household_id")): <strong id="household-id">\(id)</strong></p>
                <p>\(context.t("field.code")): <strong id="household-code" style="font-size:2em;letter-spacing:.1em">\(escape(code.description))</strong></p>
                <p class="muted">\(context.t("directory.code.print_hint"))</p>
                <p><a href="/households/\(id)">\(context.t("directory.back_to_household"))</a></p>
                """
            }.response()
        }
        router.get("places/:id/codes") { _, context -> Response in
            let identity = try context.requireUser()
            let view = try await directory.place(id: try context.parameters.id(), identity: identity)
            guard identity.grants.allows(.manageRegister, at: PlacePath(rawValue: view.place.path)) else { throw AppError.forbidden }
            return Page(title: Catalogue.text("directory.codes.title", context.language, ["place": view.place.name]), context: context) {
                """
                <p>\(context.t("directory.codes.explain"))</p>
                <form method="post" action="/places/\(view.place.id)/codes">
                \(context.csrfField)
                <label><input type="checkbox" name="rotate" value="on"> \(context.t("directory.codes.rotate_all"))</label>
                <p><button type="submit">\(context.t("directory.codes.submit"))</button></p>
                </form>
                """
            }.response()
        }
        router.post("places/:id/codes") { request, context -> Response in
            let identity = try context.requireUser()
            let form = try await request.decodeForm(as: CodesForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let issued = try await directory.issueCodes(placeID: try context.parameters.id(), rotateAll: form.rotate == "on", identity: identity, traceID: context.traceID)
            // One notice per household, to cut out and stick on the door.
            let notices = issued.map { item in
                """
                <div class="notice"><strong>\(escape(item.household.compound)) \(escape(item.household.building)) \(escape(item.household.room))</strong><br>
                \(context.t("field.household_id")): <span class="household-id">\(item.household.id)</span><br>
                \(context.t("field.code")): <span class="code">\(escape(item.code.description))</span><br>
                <small>\(context.t("directory.codes.notice_hint"))</small></div>
                """
            }.joined()
            return Page(title: Catalogue.text("directory.codes.printed_title", context.language, ["count": "\(issued.count)"]), context: context) {
                """
                <style>.notice{border:1px dashed #999;padding:8px;margin:6px 0;break-inside:avoid}.code{font-size:1.6em;letter-spacing:.1em}</style>
                <p class="muted">\(context.t("directory.code.print_hint"))</p>
                \(issued.isEmpty ? "<p>\(context.t("directory.codes.none_missing"))</p>" : notices)
                """
            }.response()
        }
        router.get("my-household") { _, context -> Response in
            let identity = try context.requireHousehold()
            let view = try await directory.ownHousehold(identity: identity)
            let requests = try await services.store.read { db in try await RequestRecords.forHousehold(identity.household.id, on: db) }
            return Self.householdPage(view, context: context, rotateForm: false, extra: RequestPages.householdSection(requests, context: context))
        }
        router.get("volunteers") { request, context -> Response in
            let identity = try context.requireUser()
            let (within, limit, offset) = try DirectoryAPI.paging(Query(request: request))
            let volunteers = try await directory.volunteers(within: within, limit: limit, offset: offset, identity: identity).map(VolunteerView.init)
            let rows = volunteers.map { "<tr><td>\(escape($0.name))</td><td>\(escape($0.phone))</td><td>\(context.t("force.\($0.forceType.rawValue)"))</td><td>\(escape($0.skills.joined(separator: "、")))</td></tr>" }.joined()
            let more = volunteers.count == limit ? "<p><a href=\"\(Self.nextPageLink(request, offset: offset + limit))\">\(context.t("list.next_page"))</a></p>" : ""
            return Page(title: Catalogue.text("nav.volunteers", context.language), context: context) {
                "<table><thead><tr><th>\(context.t("field.name"))</th><th>\(context.t("field.phone"))</th><th>\(context.t("field.force_type"))</th><th>\(context.t("field.skills"))</th></tr></thead><tbody>\(rows.isEmpty ? "<tr><td colspan=\"4\">\(context.t("list.empty"))</td></tr>" : rows)</tbody></table>\(more)"
            }.response()
        }
        router.get("teams") { request, context -> Response in
            let identity = try context.requireUser()
            let (within, limit, offset) = try DirectoryAPI.paging(Query(request: request))
            let teams = try await directory.teams(within: within, limit: limit, offset: offset, identity: identity)
            let rows = teams.map { "<tr><td>\(escape($0.name))</td><td>\(context.t("team.\($0.kind.rawValue)"))</td><td>\(escape($0.placeName))</td><td>\($0.memberCount)</td></tr>" }.joined()
            let more = teams.count == limit ? "<p><a href=\"\(Self.nextPageLink(request, offset: offset + limit))\">\(context.t("list.next_page"))</a></p>" : ""
            return Page(title: Catalogue.text("nav.teams", context.language), context: context) {
                "<table><thead><tr><th>\(context.t("field.name"))</th><th>\(context.t("field.team_kind"))</th><th>\(context.t("field.place"))</th><th>\(context.t("field.member_count"))</th></tr></thead><tbody>\(rows.isEmpty ? "<tr><td colspan=\"4\">\(context.t("list.empty"))</td></tr>" : rows)</tbody></table>\(more)"
            }.response()
        }
    }

    static func nextPageLink(_ request: Request, offset: Int) -> String {
        var items = (URLComponents(string: request.uri.description)?.queryItems ?? []).filter { $0.name != "offset" }
        items.append(URLQueryItem(name: "offset", value: "\(offset)"))
        var components = URLComponents()
        components.path = request.uri.path
        components.queryItems = items
        return escape(components.string ?? request.uri.path)
    }

    static func householdPage(_ view: HouseholdDetailView, context: LinliRequestContext, rotateForm: Bool, extra: String = "") -> Response {
        let crumbs = view.places.filter { $0.level != .household }.map { "<a href=\"/places/\($0.id)\">\(escape($0.name))</a>" }.joined(separator: " › ")
        let residents = view.residents.map { resident -> String in
            var cells = "<td>\(escape(resident.name))</td><td>\(escape(resident.phone ?? ""))</td><td>\(resident.birthYear.map(String.init) ?? "")</td><td>\(escape(resident.note ?? ""))</td>"
            if view.sensitiveVisible {
                cells += "<td class=\"sensitive\">\(escape(resident.healthNote ?? ""))</td><td class=\"sensitive\">\(escape(resident.disabilityNote ?? ""))</td>"
            }
            return "<tr>\(cells)</tr>"
        }.joined()
        let sensitiveHeaders = view.sensitiveVisible ? "<th>\(context.t("field.health_note"))</th><th>\(context.t("field.disability_note"))</th>" : ""
        let title = (view.places.first { $0.level == .building }?.name ?? "") + " " + view.room
        return Page(title: title, context: context) {
            """
            <p class="muted" id="breadcrumbs">\(crumbs)</p>
            <p>\(context.t("field.household_id")): <span id="household-number">\(view.id)</span></p>
            <table id="residents"><thead><tr><th>\(context.t("field.name"))</th><th>\(context.t("field.phone"))</th><th>\(context.t("field.birth_year"))</th><th>\(context.t("field.note"))</th>\(sensitiveHeaders)</tr></thead>
            <tbody>\(residents.isEmpty ? "<tr><td colspan=\"4\">\(context.t("list.empty"))</td></tr>" : residents)</tbody></table>
            \(view.sensitiveVisible ? "<p class=\"muted\">\(context.t("directory.sensitive_audited"))</p>" : "")
            \(rotateForm ? "<form method=\"post\" action=\"/households/\(view.id)/code\">\(context.csrfField)<button>\(context.t("directory.code.rotate"))</button></form>" : "")
            \(extra)
            """
        }.response()
    }
}
