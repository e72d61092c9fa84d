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
        router.get("/") { request, context -> Response in
            switch context.caller {
            case .anonymous: return redirect(to: "/login")
            case .household: return redirect(to: "/my-household")
            case .user(let identity): return try await homePage(request: request, context: context, identity: identity)
            }
        }
        router.get("places/:id") { _, context -> Response in
            let identity = try context.requireUser()
            let view = try await directory.place(id: try context.parameters.id(), identity: identity)
            // A place above the viewer's own shows its name and the way down, not its tools: a
            // link the viewer cannot follow would only answer 404.
            let path = PlacePath(rawValue: view.place.path)
            let inside = identity.grants.allows(.viewDirectory, at: path)
            let managesRegister = view.place.level <= .compound && identity.grants.allows(.manageRegister, at: path)
            let id = view.place.id
            var tools: [Link] = []
            if inside {
                tools += [
                    Link(href: "/requests?place=\(id)&open=1", label: context.text("place.open_requests")),
                    Link(href: "/board?place=\(id)", label: context.text("nav.board")),
                    Link(href: "/households?place=\(id)", label: context.text("directory.search_here")),
                    Link(href: "/volunteers?place=\(id)", label: context.text("nav.volunteers")),
                    Link(href: "/teams?place=\(id)", label: context.text("nav.teams")),
                    Link(href: "/places/\(id)/chain-list", label: context.text("chain_list.import.link")),
                ]
            }
            if inside, identity.grants.allows(.viewSensitive, at: path) {
                tools.append(Link(href: "/care/register?place=\(id)", label: context.text("care.register.title")))
            }
            if managesRegister {
                tools += [Link(href: "/places/\(id)/register", label: context.text("register.link")), Link(href: "/places/\(id)/codes", label: context.text("directory.codes.link"))]
            }
            let children = view.children.map { child in
                PlaceLine(href: child.level == .household ? "/households/\(child.id)" : "/places/\(child.id)", name: child.name, count: child.childCount.map { "\($0)" })
            }
            let content = PlaceContent(level: context.text("level.\(view.place.level.rawValue)"), tools: tools, children: children, childrenHeading: context.text("place.children"))
            return try PageView(template: "directory/place", title: view.place.name, content: content, breadcrumbs: view.ancestors.map { Link(href: "/places/\($0.id)", label: $0.name) })
                .response(context)
        }
        router.get("households") { request, context -> Response in
            let identity = try context.requireUser()
            let query = Query(request: request)
            let parameters = try DirectoryService.SearchParameters(query: query)
            let found = try await directory.searchHouseholds(parameters, identity: identity)
            let field = { (name: String, value: String?, inputmode: String?) in
                FormField(name, label: context.text("field.\(name)"), value: value, type: "search", inputmode: inputmode, maxlength: name == "phone_tail" ? 4 : 20)
            }
            let rows = found.map(HouseholdSummaryView.init).map { household in
                HouseholdRow(href: "/households/\(household.id)", label: "\(household.building) \(household.room)", compound: household.compound, contact: household.contactName ?? "", phone: household.contactPhone ?? "", residents: "\(household.residentCount)")
            }
            let content = HouseholdSearchContent(
                place: parameters.within.map { "\($0)" },
                fields: [field("building", parameters.building, nil), field("room", parameters.room, nil), field("name", parameters.name, nil), field("phone_tail", parameters.phoneTail, "numeric")],
                rows: rows, isEmpty: rows.isEmpty,
                nextPage: found.count == parameters.limit ? Self.nextPageLink(request, offset: parameters.offset + parameters.limit) : nil
            )
            return try PageView(template: "directory/households", title: context.text("nav.households"), content: content).response(context)
        }
        router.get("households/:id") { request, context -> Response in
            let identity = try context.requireUser()
            let id: PlaceID = try context.parameters.id()
            let view = try await directory.household(id: id, identity: identity, traceID: context.traceID)
            let canRotate = identity.grants.allows(.manageRegister, at: PlacePath(rawValue: view.path))
            let (requests, cards) = try await services.store.read { db in
                (try await RequestRecords.forHousehold(id, on: db), try await CardCustodyRecords.cards(householdID: id, on: db))
            }
            let care = try await CareRegisterService(services: services).householdLinks(householdID: id, path: PlacePath(rawValue: view.path), identity: identity, language: context.language, traceID: context.traceID)
            return try Self.householdPage(view, context: context, requests: requests, now: services.now(), rotate: canRotate, newRequestHref: "/requests/new?household=\(id)", banner: noticeBanner(request, context), care: care,
                                         medicineCards: CardCustodyPages.householdLines(cards, context: context))
        }
        router.get("households/:id/code") { _, context -> Response in
            // Rotating a code locks the household out until it has the new one: ask first.
            let identity = try context.requireUser()
            let id: PlaceID = try context.parameters.id()
            let view = try await directory.household(id: id, identity: identity, traceID: context.traceID)
            guard identity.grants.allows(.manageRegister, at: PlacePath(rawValue: view.path)) else { throw AppError.forbidden }
            let title = (view.places.first { $0.level == .building }?.name ?? "") + " " + view.room
            return try PageView(template: "directory/code-confirm", title: context.text("directory.code.confirm_title"), content: CodeConfirmContent(id: id, household: title))
                .response(context)
        }
        router.post("households/:id/code") { request, context -> Response in
            let identity = try context.requireUser()
            let form = try await request.decodeForm(as: CodeForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let id: PlaceID = try context.parameters.id()
            let code = try await directory.rotateCode(householdID: id, identity: identity, traceID: context.traceID)
            return try PageView(template: "directory/code-new", title: context.text("directory.code.new_title"), content: NewCodeContent(id: id, code: code.description), banner: context.text("notice.code_rotated"))
                .response(context)
        }
        router.get("places/:id/codes") { _, context -> Response in
            let identity = try context.requireUser()
            let view = try await directory.place(id: try context.parameters.id(), identity: identity)
            guard identity.grants.allows(.manageRegister, at: PlacePath(rawValue: view.place.path)) else { throw AppError.forbidden }
            return try PageView(template: "directory/codes", title: context.text("directory.codes.title", ["place": view.place.name]), content: CodesContent(placeID: view.place.id),
                                breadcrumbs: (view.ancestors + [view.place]).map { Link(href: "/places/\($0.id)", label: $0.name) })
                .response(context)
        }
        router.post("places/:id/codes") { request, context -> Response in
            let identity = try context.requireUser()
            let form = try await request.decodeForm(as: CodesForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let issued = try await directory.issueCodes(placeID: try context.parameters.id(), rotateAll: form.rotate == "on", identity: identity, traceID: context.traceID)
            // One notice per household, to cut out and stick on the door.
            let notices = issued.map { item in
                CodeNotice(address: "\(item.household.compound) \(item.household.building) \(item.household.room)", id: "\(item.household.id)", code: item.code.description)
            }
            return try PageView(template: "directory/codes-printed", title: context.text("directory.codes.printed_title", ["count": "\(issued.count)"]), content: PrintedCodesContent(notices: notices, isEmpty: notices.isEmpty))
                .response(context)
        }
        router.get("my-household") { request, context -> Response in
            let identity = try context.requireHousehold()
            let view = try await directory.ownHousehold(identity: identity)
            let (requests, cards, receipts) = try await services.store.read { db in
                (try await RequestRecords.forHousehold(identity.household.id, on: db), try await CardCustodyRecords.cards(householdID: identity.household.id, on: db),
                 try await SupplyRecords.receipts(householdID: identity.household.id, on: db))
            }
            return try Self.householdPage(view, context: context, requests: requests, now: services.now(), rotate: false, newRequestHref: "/requests/new", banner: noticeBanner(request, context),
                                          medicineCards: CardCustodyPages.householdLines(cards, context: context), supplies: SupplyPages.receiptLines(receipts, context: context))
        }
        router.get("volunteers") { request, context -> Response in
            let identity = try context.requireUser()
            let (within, limit, offset) = try DirectoryAPI.paging(Query(request: request))
            let volunteers = try await directory.volunteers(within: within, limit: limit, offset: offset, identity: identity).map(VolunteerView.init)
            let rows = volunteers.map { VolunteerRow(name: $0.name, phone: $0.phone, force: context.text("force.\($0.forceType.rawValue)"), skills: $0.skills.joined(separator: "、")) }
            let content = VolunteersContent(rows: rows, isEmpty: rows.isEmpty, nextPage: volunteers.count == limit ? Self.nextPageLink(request, offset: offset + limit) : nil)
            return try PageView(template: "directory/volunteers", title: context.text("nav.volunteers"), content: content).response(context)
        }
        router.get("teams") { request, context -> Response in
            let identity = try context.requireUser()
            let (within, limit, offset) = try DirectoryAPI.paging(Query(request: request))
            let teams = try await directory.teams(within: within, limit: limit, offset: offset, identity: identity)
            let rows = teams.map { TeamRow(name: $0.name, kind: context.text("team.\($0.kind.rawValue)"), place: $0.placeName, members: "\($0.memberCount)") }
            let content = TeamsContent(rows: rows, isEmpty: rows.isEmpty, nextPage: teams.count == limit ? Self.nextPageLink(request, offset: offset + limit) : nil)
            return try PageView(template: "directory/teams", title: context.text("nav.teams"), content: content).response(context)
        }
    }

    // MARK: - Home

    struct HomeContent {
        var counts: [CountLink]
        var cards: [RequestCard]
        var nothingNeeded: Bool
        var moreHref: String
        var roles: [String]
        var places: [Link]
        var tools: [Link]
    }

    struct CountLink {
        var href: String
        var label: String
        var count: Int
        var alert: Bool
        /// An id for the number, where a page names it (the board's overdue count).
        var countID: String? = nil
    }

    /// What needs this person now, most pressing first, with the counts that lead to each list.
    private func homePage(request: Request, context: LinliRequestContext, identity: UserIdentity) async throws -> Response {
        let roots = try await directory.rootPlaces(identity: identity)
        let scopes = identity.grants.scopes(for: .viewDirectory)
        let dutyPlaces = identity.grants.roles.map(\.placeID)
        let now = services.now()
        let (counts, urgent, queue) = try await services.store.read { db in
            (try await RequestRecords.counts(scopes: scopes, now: now, on: db),
             try await RequestRecords.list(scopes: scopes, filter: RequestFilter(statuses: RequestStatus.allCases.filter(\.isOpen)), now: now, limit: 8, offset: 0, on: db),
             try await RequestRecords.queue(userID: identity.user.id, dutyPlaces: dutyPlaces, limit: 100, on: db))
        }
        let countLinks = [
            CountLink(href: "/queue", label: context.text("home.count.queue"), count: queue.count, alert: false),
            CountLink(href: "/requests?overdue=1", label: context.text("home.count.overdue"), count: counts.overdue, alert: counts.overdue > 0),
            CountLink(href: "/requests?urgency=life_critical&open=1", label: context.text("home.count.life_critical"), count: counts.lifeCritical, alert: counts.lifeCritical > 0),
            CountLink(href: "/requests?status=new", label: context.text("home.count.new"), count: counts.new, alert: false),
            CountLink(href: "/requests?open=1", label: context.text("home.count.open"), count: counts.open, alert: false),
        ]
        var tools: [Link] = []
        if identity.grants.roles.contains(where: { $0.role == .admin }) {
            tools.append(Link(href: "/admin/notifications", label: context.text("nav.notifications")))
        }
        if !identity.grants.scopes(for: .surveyHouseholds).isEmpty {
            tools.append(Link(href: "/care/surveys", label: context.text("care.survey.link")))
        }
        tools.append(Link(href: "/design", label: context.text("nav.design")))
        let cards = urgent.map { RequestCard($0, now: now, context: context) }
        let content = HomeContent(
            counts: countLinks, cards: cards, nothingNeeded: cards.isEmpty, moreHref: "/requests?open=1",
            roles: identity.grants.roles.map { context.text("role.\($0.role.rawValue)") },
            places: roots.map { Link(href: "/places/\($0.id)", label: $0.name + " · " + context.text("level.\($0.level.rawValue)")) },
            tools: tools
        )
        return try PageView(template: "directory/home", title: context.text("home.title", ["name": identity.user.name]), content: content, banner: noticeBanner(request, context))
            .response(context)
    }

    // MARK: - Views

    struct PlaceLine { var href: String; var name: String; var count: String? }
    struct PlaceContent { var level: String; var tools: [Link]; var children: [PlaceLine]; var childrenHeading: String }
    struct HouseholdRow { var href: String; var label: String; var compound: String; var contact: String; var phone: String; var residents: String }
    struct HouseholdSearchContent { var place: String?; var fields: [FormField]; var rows: [HouseholdRow]; var isEmpty: Bool; var nextPage: String? }
    struct CodeConfirmContent { var id: PlaceID; var household: String }
    struct NewCodeContent { var id: PlaceID; var code: String }
    struct CodesContent { var placeID: PlaceID }
    struct CodeNotice { var address: String; var id: String; var code: String }
    struct PrintedCodesContent { var notices: [CodeNotice]; var isEmpty: Bool }
    struct VolunteerRow { var name: String; var phone: String; var force: String; var skills: String }
    struct VolunteersContent { var rows: [VolunteerRow]; var isEmpty: Bool; var nextPage: String? }
    struct TeamRow { var name: String; var kind: String; var place: String; var members: String }
    struct TeamsContent { var rows: [TeamRow]; var isEmpty: Bool; var nextPage: String? }

    static func nextPageLink(_ request: Request, offset: Int) -> String {
        var items = (URLComponents(string: request.uri.description)?.queryItems ?? []).filter { $0.name != "offset" }
        items.append(URLQueryItem(name: "offset", value: "\(offset)"))
        var components = URLComponents()
        components.path = request.uri.path
        components.queryItems = items
        return components.string ?? request.uri.path
    }

    struct ResidentRow {
        var name: String
        var phone: String
        var phoneHref: String?
        var birthYear: String
        var note: String
        var healthNote: String?
        var disabilityNote: String?
        /// The resident's care register entry, or the form to add them (`CareRegisterService.householdLinks`).
        var care: Link?
    }

    struct HouseholdContent {
        var id: PlaceID
        var residents: [ResidentRow]
        var noResidents: Bool
        var sensitive: Bool
        var requests: [RequestCard]
        var noRequests: Bool
        var newRequestHref: String
        var rotate: Bool
        var isStaff: Bool
        /// "Where your card is": the household's insurance cards and record booklets.
        var medicineCards: [CardCustodyPages.HouseholdCardLine]
        var hasMedicineCards: Bool
        /// What the household received of relief batches, on its own page.
        var supplies: [String]
        var hasSupplies: Bool
    }

    static func householdPage(_ view: HouseholdDetailView, context: LinliRequestContext, requests: [RequestListItem], now: Date, rotate: Bool, newRequestHref: String, banner: String?, care: [ResidentID: Link] = [:], medicineCards: [CardCustodyPages.HouseholdCardLine] = [], supplies: [String] = []) throws -> Response {
        // A household signed in with its code has no business on the place pages above it.
        let crumbs = context.isHousehold ? [] : view.places.filter { $0.level != .household }.map { Link(href: "/places/\($0.id)", label: $0.name) }
        let residents = view.residents.map { resident in
            ResidentRow(
                name: resident.name, phone: resident.phone ?? "",
                phoneHref: resident.phoneMasked || context.isHousehold ? nil : resident.phone.map { "tel:" + $0.filter { $0.isNumber || $0 == "+" } },
                birthYear: resident.birthYear.map(String.init) ?? "", note: resident.note ?? "",
                healthNote: view.sensitiveVisible ? resident.healthNote ?? "" : nil, disabilityNote: view.sensitiveVisible ? resident.disabilityNote ?? "" : nil,
                care: care[resident.id]
            )
        }
        let cards = RequestPages.householdCards(requests, now: now, context: context)
        let content = HouseholdContent(
            id: view.id, residents: residents, noResidents: residents.isEmpty, sensitive: view.sensitiveVisible, requests: cards, noRequests: cards.isEmpty,
            newRequestHref: newRequestHref, rotate: rotate, isStaff: !context.isHousehold, medicineCards: medicineCards, hasMedicineCards: !medicineCards.isEmpty,
            supplies: supplies, hasSupplies: !supplies.isEmpty
        )
        let title = (view.places.first { $0.level == .building }?.name ?? "") + " " + view.room
        return try PageView(template: "directory/household", title: title, content: content, breadcrumbs: crumbs, banner: banner).response(context)
    }
}
