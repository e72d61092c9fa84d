import Foundation
import Hummingbird
import LinliCore
import LinliStore

/// Requests in the browser: residents file, follow, add to and confirm their own (no JavaScript
/// needed, for basic phones); volunteers and staff work their queue and their places' lists.
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
        /// "yes" once the person has seen the confirmation step of an action that cannot be undone.
        var confirmed: String?
    }

    /// Closing a request for good asks first: one stray tap must not cancel a life-critical need.
    static let confirmFirst: Set<RequestActions.Action> = [.cancel, .unable, .resolvedElsewhere]

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("requests/new") { request, context -> Response in
            if case .anonymous = context.caller { throw AppError.unauthenticated }
            let household = request.uri.queryParameters["household"].map(String.init)
            return try newRequestPage(context: context, form: FileForm(household_id: household), error: nil)
        }
        router.post("requests") { request, context -> Response in
            let form = try await request.decodeForm(as: FileForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            do {
                guard let categoryText = form.category, !categoryText.isEmpty else { throw AppError.required("category") }
                guard let category = RequestCategory(rawValue: categoryText) else { throw AppError.invalid("category") }
                let householdID = try form.household_id.map { text in
                    guard let id = PlaceID(text.trimmingCharacters(in: .whitespaces)) else { throw AppError.invalid("household_id") }
                    return id
                }
                let filer = try Filer(context.caller, householdID: householdID)
                let filing = Filing(householdID: filer.householdID, residentID: nil, category: category, description: form.description ?? "", channel: filer.channel)
                let filed = try await intake.file(filing, by: filer.actor, grants: filer.grants, idempotencyKey: form.idempotency_key, traceID: context.traceID)
                return redirect(to: "/requests/\(filed.stored.request.id)?notice=filed")
            } catch let error as AppError where error.status == .badRequest || error.status == .conflict || error.status == .notFound {
                // Whatever was typed comes back with the error beside its field.
                return try newRequestPage(context: context, form: form, error: error)
            }
        }
        router.get("requests") { request, context -> Response in
            let identity = try context.requireUser()
            return try await listPage(request: request, context: context, identity: identity)
        }
        router.get("requests/:id") { request, context -> Response in
            let id: HelpRequestID = try context.parameters.id()
            return try await detailPage(id: id, context: context, banner: noticeBanner(request, context), note: nil, error: nil)
        }
        router.post("requests/:id/act") { request, context -> Response in
            let id: HelpRequestID = try context.parameters.id()
            let stored = try await reads.visible(id: id, caller: context.caller)
            let form = try await request.decodeForm(as: ActForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            guard let actionText = form.action, let action = RequestActions.Action(rawValue: actionText) else { throw AppError.invalid("action") }
            let note = form.note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : $0 }
            if Self.confirmFirst.contains(action), form.confirmed != "yes" {
                return try confirmPage(stored, action: action, note: note, context: context)
            }
            do {
                _ = try await actions.act(action, on: id, caller: context.caller, note: note, traceID: context.traceID)
                return redirect(to: "/requests/\(id)?notice=\(action.rawValue)")
            } catch let error as AppError where error.status == .conflict || error.status == .badRequest {
                return try await detailPage(id: id, context: context, banner: nil, note: form.note, error: error).withStatus(error.status)
            }
        }
        router.get("queue") { request, context -> Response in
            let identity = try context.requireUser()
            let dutyPlaces = identity.grants.roles.map(\.placeID)
            let items = try await services.store.read { db in try await RequestRecords.queue(userID: identity.user.id, dutyPlaces: dutyPlaces, limit: Self.listLimit, on: db) }
            let now = services.now()
            let cards = items.map { item in
                QueueCard(card: RequestCard(item, now: now, context: context), next: Self.nextStep(for: item.stored.request.status).map { action in
                    ActionButton(action: action.rawValue, label: context.text("requests.action.\(action.rawValue)"), style: "button")
                })
            }
            let content = QueueContent(cards: cards, isEmpty: cards.isEmpty, more: items.count == Self.listLimit ? context.text("requests.queue.more", ["count": "\(Self.listLimit)"]) : nil)
            return try PageView(template: "requests/queue", title: context.text("requests.page.queue"), content: content, banner: noticeBanner(request, context))
                .response(context)
        }
    }

    static func nextStep(for status: RequestStatus) -> RequestActions.Action? {
        switch status {
        case .new: .accept
        case .accepted: .start
        case .inProgress: .done
        default: nil
        }
    }

    // MARK: - The list

    struct ListContent {
        var filters: [FormField]
        var overdueOnly: Bool
        var place: String?
        var recent: Bool
        var cards: [RequestCard]
        var isEmpty: Bool
        var nextPage: String?
        var resultCount: String
    }

    /// Thirty cards keep a list page inside its 30 KB budget; the rest are a "next page" away.
    static let listLimit = 30

    private func listPage(request: Request, context: LinliRequestContext, identity: UserIdentity) async throws -> Response {
        let query = Query(request: request)
        let now = services.now()
        let language = context.language
        let status = try query.string("status").map { text in
            guard let status = RequestStatus(rawValue: text) else { throw AppError.invalid("status") }
            return status
        }
        let urgency = try query.string("urgency").map { text in
            guard let urgency = Urgency(rawValue: text) else { throw AppError.invalid("urgency") }
            return urgency
        }
        let category = try query.string("category").map { text in
            guard let category = RequestCategory(rawValue: text) else { throw AppError.invalid("category") }
            return category
        }
        let (within, _, offset) = try DirectoryAPI.paging(query)
        let overdueOnly = try query.bool("overdue")
        let recent = try query.bool("recent")
        let open = try query.bool("open")
        let filter = RequestFilter(
            statuses: status.map { [$0] } ?? (open ? RequestStatus.allCases.filter(\.isOpen) : []), urgency: urgency, category: category,
            overdueAt: overdueOnly ? now : nil, recentSince: recent ? now.addingTimeInterval(-BoardPage.windowDays * 24 * 3600) : nil
        )
        let scopes = identity.grants.scopes(for: .viewDirectory)
        let items = try await services.store.read { db -> [RequestListItem] in
            var effective = scopes
            if let within {
                guard let place = try await DirectoryRecords.place(id: within, on: db), scopes.contains(where: { $0.contains(place.path) }) else { throw AppError.notFound }
                effective = [place.path]
            }
            return try await RequestRecords.list(scopes: effective, filter: filter, now: now, limit: Self.listLimit, offset: offset, on: db)
        }
        func options<T: RawRepresentable>(_ all: [T], selected: T?, key: (T) -> String) -> [FormField.Option] where T.RawValue == String {
            [FormField.Option(value: "", label: Catalogue.text("requests.filter.any", language), selected: selected == nil)]
                + all.map { FormField.Option(value: $0.rawValue, label: Catalogue.text(key($0), language), selected: $0.rawValue == selected?.rawValue) }
        }
        let filters = [
            FormField("status", label: context.text("field.status"), options: options(RequestStatus.allCases, selected: status) { $0.catalogueKey }),
            FormField("urgency", label: context.text("field.urgency"), options: options(Urgency.allCases.reversed(), selected: urgency) { $0.catalogueKey }),
            FormField("category", label: context.text("field.category"), options: options(RequestCategory.allCases, selected: category) { $0.catalogueKey }),
        ]
        let cards = items.map { RequestCard($0, now: now, context: context) }
        let content = ListContent(
            filters: filters, overdueOnly: overdueOnly, place: within.map { "\($0)" }, recent: recent, cards: cards, isEmpty: cards.isEmpty,
            nextPage: items.count == Self.listLimit ? DirectoryPages.nextPageLink(request, offset: offset + Self.listLimit) : nil,
            resultCount: context.text("requests.list.count", ["count": "\(offset + items.count)"])
        )
        return try PageView(template: "requests/list", title: context.text("requests.list.title"), content: content).response(context)
    }

    // MARK: - Filing

    struct NewContent {
        var idempotencyKey: String
        var household: FormField?
        var category: FormField
        var description: FormField
        var duplicateHref: String?
        var duplicateLabel: String?
    }

    private func newRequestPage(context: LinliRequestContext, form: FileForm, error: AppError?) throws -> Response {
        let fields = ["household_id", "category", "description"]
        let errors = FormErrors(error, language: context.language, fields: fields, defaultField: "description")
        let selected = form.category.flatMap(RequestCategory.init(rawValue:))
        var household: FormField?
        if case .user = context.caller {
            household = FormField("household_id", label: context.text("field.household_id"), hint: context.text("requests.new.household_hint"), error: errors.message(for: "household_id"),
                                  value: form.household_id, inputmode: "numeric", maxlength: 20, required: true)
        }
        let options = [FormField.Option(value: "", label: context.text("form.choose"), selected: selected == nil)]
            + RequestCategory.allCases.map { FormField.Option(value: $0.rawValue, label: context.text($0.catalogueKey), selected: $0 == selected) }
        let duplicate = error?.key == "requests.duplicate" ? error?.arguments["id"].flatMap(HelpRequestID.init) : nil
        let content = NewContent(
            // A refused form keeps its key: sent again, it still files once.
            idempotencyKey: form.idempotency_key.flatMap { $0.count <= 200 ? $0 : nil } ?? Tokens.random(),
            household: household,
            category: FormField("category", label: context.text("field.category"), error: errors.message(for: "category"), required: true, options: options),
            description: FormField("description", label: context.text("field.description"), hint: context.text("requests.new.description_hint"), error: errors.message(for: "description"),
                                   value: form.description, maxlength: Filing.maximumDescriptionLength, required: true, rows: 5),
            duplicateHref: duplicate.map { "/requests/\($0)" },
            duplicateLabel: duplicate.map { context.text("requests.new.open_duplicate", ["id": "\($0)"]) }
        )
        return try PageView(template: "requests/new", title: context.text("requests.page.new"), content: content, errors: errors.messages)
            .response(context, status: error?.status ?? .ok)
    }

    // MARK: - One request

    struct DetailContent {
        var id: HelpRequestID
        var status: Tag
        var urgency: Tag
        var category: String
        var overdue: Bool
        var escalated: String?
        var description: String
        var facts: [Fact]
        var history: [HistoryLine]
        var form: ActionPanel?
        /// A medicine request's items, for those who may read them.
        var medicineHref: String?
        var backHref: String
        var backLabel: String
    }

    /// One line of the request's summary: a label and its value, a link or a phone to call.
    struct Fact {
        /// For tests and for people who link to one line of the summary.
        var id: String
        var label: String
        var value: String
        var href: String?
        var userData: Bool
    }

    struct HistoryLine {
        var when: String
        var what: String
        var note: String?
    }

    struct ActionButton {
        /// The raw value: templates print a value's description, which for an enum is its case name.
        var action: String
        var label: String
        var style: String
    }

    struct ActionPanel {
        var id: HelpRequestID
        var note: FormField
        var buttons: [ActionButton]
    }

    private func detailPage(id: HelpRequestID, context: LinliRequestContext, banner: String?, note: String?, error: AppError?) async throws -> Response {
        let (stored, transitions) = try await reads.request(id: id, caller: context.caller)
        let request = stored.request
        let (detail, ownerName) = try await services.store.read { db -> (HouseholdDetail?, String?) in
            let detail = try await HouseholdRecords.detail(id: request.householdID, on: db)
            let owner = try await request.ownerUserID.asyncMap { try await UserRecords.user(id: $0, on: db)?.name } ?? nil
            return (detail, owner)
        }
        let now = services.now()
        let language = context.language
        var facts: [Fact] = []
        if let detail {
            let building = detail.ancestors.first { $0.level == .building }?.name ?? ""
            let compound = detail.ancestors.first { $0.level == .compound }?.name ?? ""
            let address = [compound, building, detail.household.room].filter { !$0.isEmpty }.joined(separator: " ")
            var householdHref: String?
            if case .user = context.caller { householdHref = "/households/\(request.householdID)" }
            facts.append(Fact(id: "request-address", label: context.text("field.address"), value: address, href: householdHref, userData: true))
            if case .user(let identity) = context.caller {
                let resident = detail.residents.first { $0.id == request.residentID } ?? detail.residents.first { $0.phone != nil } ?? detail.residents.first
                if let resident {
                    facts.append(Fact(id: "request-resident", label: context.text("field.resident"), value: resident.name, href: nil, userData: true))
                    if let phone = resident.phone {
                        // Only roles that may see a whole number get one to call; others see it masked.
                        let mayCall = identity.grants.allows(.viewFullPhone, at: stored.path)
                        facts.append(Fact(id: "request-phone", label: context.text("field.phone"), value: mayCall ? phone : PhoneMask.mask(phone), href: mayCall ? "tel:\(phone.filter { $0.isNumber || $0 == "+" })" : nil, userData: false))
                    }
                }
            }
        }
        let owner: String
        if let ownerName {
            // A household sees only the surname of whoever has its request: enough to recognise them.
            if case .household = context.caller { owner = String(ownerName.prefix(1)) + context.text("requests.page.owner_suffix") } else { owner = ownerName }
        } else {
            owner = context.text("requests.page.duty_team")
        }
        facts.append(Fact(id: "request-owner", label: context.text("field.owner"), value: owner, href: nil, userData: true))
        facts.append(Fact(id: "request-filed", label: context.text("requests.page.filed_at"), value: PageTime.dateTime(request.createdAt, language), href: nil, userData: false))
        if request.status.isOpen {
            let deadline = request.status == .new ? request.acceptBy : request.doneBy
            let label = context.text(request.status == .new ? "requests.page.accept_by" : "requests.page.done_by")
            facts.append(Fact(id: "request-deadline", label: label, value: PageTime.dateTime(deadline, language) + " · " + PageTime.span(until: deadline, now: now, language), href: nil, userData: false))
        } else if let closed = request.closedAt {
            facts.append(Fact(id: "request-closed", label: context.text("field.closed_at"), value: PageTime.dateTime(closed, language), href: nil, userData: false))
        }
        // The history starts where the request did: filed, and how.
        let filing = HistoryLine(when: PageTime.dateTime(request.createdAt, language), what: context.text(request.channel.catalogueKey), note: nil)
        let history = [filing] + transitions.map { transition in
            HistoryLine(when: PageTime.dateTime(transition.at, language), what: context.text(transition.kind.catalogueKey), note: transition.note)
        }
        let confirmed = transitions.contains { $0.kind == .confirm }
        let buttons = Self.buttons(for: request.status, caller: context.caller, confirmed: confirmed).map { action, style in
            ActionButton(action: action.rawValue, label: context.text("requests.action.\(action.rawValue)"), style: style)
        }
        let errors = FormErrors(error.map { error in
            // The rules name the reason "reason"; on this page it is typed in the note.
            var error = error
            if error.field == "reason" || error.field == "status" || error.field == nil { error.field = "note" }
            return error
        }, language: language, fields: ["note"], defaultField: "note")
        let form = buttons.isEmpty ? nil : ActionPanel(
            id: request.id,
            note: FormField("note", label: context.text(context.isHousehold ? "requests.page.note_household" : "field.note"), hint: context.text(context.isHousehold ? "requests.page.note_household_hint" : "requests.page.note_hint"),
                            error: errors.message(for: "note"), value: note, maxlength: Filing.maximumDescriptionLength, rows: 3),
            buttons: buttons
        )
        let back: (String, String) = context.isHousehold ? ("/my-household", context.text("requests.page.back_household")) : ("/requests", context.text("requests.page.back_list"))
        let content = DetailContent(
            id: request.id, status: .status(request.status, language), urgency: .urgency(request.urgency, language), category: context.text(request.category.catalogueKey),
            overdue: RequestBoard.Line(request).isLate(at: now),
            escalated: request.escalationLevel > 0 ? context.text("requests.page.escalated", ["n": "\(request.escalationLevel)"]) : nil,
            description: request.description, facts: facts, history: history, form: form, medicineHref: Self.medicineHref(stored, caller: context.caller), backHref: back.0, backLabel: back.1
        )
        return try PageView(template: "requests/detail", title: context.text("requests.page.title", ["id": "\(request.id)"]), content: content, banner: banner, errors: errors.messages)
            .response(context)
    }

    /// The medicine page of a medicine request, for the household itself and for staff who may
    /// read health data at its place.
    static func medicineHref(_ stored: StoredRequest, caller: Caller) -> String? {
        guard stored.request.category == .medicine else { return nil }
        switch caller {
        case .household: return "/requests/\(stored.request.id)/medicine"
        case .user(let identity): return identity.grants.allows(.viewSensitive, at: stored.path) ? "/requests/\(stored.request.id)/medicine" : nil
        case .anonymous: return nil
        }
    }

    /// What each person may do next, the usual next step first (the one primary button), and
    /// what closes a request for good last, in red.
    static func buttons(for status: RequestStatus, caller: Caller, confirmed: Bool) -> [(RequestActions.Action, String)] {
        let primary = "button", secondary = "button button-secondary", warning = "button button-warning"
        switch caller {
        case .household:
            switch status {
            case .new: return [(.comment, primary), (.cancel, warning)]
            case .accepted, .inProgress: return [(.comment, primary), (.done, secondary), (.cancel, warning)]
            case .done: return confirmed ? [(.reopen, secondary)] : [(.confirm, primary), (.reopen, secondary)]
            case .cancelled, .unable, .resolvedElsewhere: return [(.reopen, secondary)]
            }
        case .user:
            switch status {
            case .new: return [(.accept, primary), (.comment, secondary), (.resolvedElsewhere, secondary), (.unable, warning)]
            case .accepted: return [(.start, primary), (.done, secondary), (.comment, secondary), (.unable, warning)]
            case .inProgress: return [(.done, primary), (.comment, secondary), (.unable, warning)]
            case .done, .cancelled, .unable, .resolvedElsewhere: return []
            }
        case .anonymous:
            return []
        }
    }

    struct ConfirmContent {
        var id: HelpRequestID
        var action: String
        var question: String
        var warning: String
        var note: FormField
        var confirmLabel: String
        var backLabel: String
    }

    private func confirmPage(_ stored: StoredRequest, action: RequestActions.Action, note: String?, context: LinliRequestContext) throws -> Response {
        let request = stored.request
        let content = ConfirmContent(
            id: request.id, action: action.rawValue,
            question: context.text("requests.confirm.\(action.rawValue)", ["id": "\(request.id)", "category": context.text(request.category.catalogueKey)]),
            warning: context.text(request.urgency == .lifeCritical ? "requests.confirm.life_critical" : "requests.confirm.cannot_undo"),
            note: FormField("note", label: context.text(context.isHousehold ? "requests.confirm.reason_household" : "requests.confirm.reason"), value: note, maxlength: Filing.maximumDescriptionLength, required: !context.isHousehold, rows: 3),
            confirmLabel: context.text("requests.confirm.yes.\(action.rawValue)"), backLabel: context.text("requests.confirm.no")
        )
        return try PageView(template: "requests/confirm", title: context.text("requests.confirm.title"), content: content).response(context)
    }

    // MARK: - The household's own list

    /// The household's requests, newest first, for the household pages.
    static func householdCards(_ items: [RequestListItem], now: Date, context: LinliRequestContext) -> [RequestCard] {
        items.map { RequestCard($0, now: now, context: context, showAddress: false) }
    }
}

struct QueueContent {
    var cards: [QueueCard]
    var isEmpty: Bool
    /// Said when the queue holds more than the page shows: the most pressing come first.
    var more: String?
}

struct QueueCard {
    var card: RequestCard
    var next: RequestPages.ActionButton?
}

/// A request in a list: what it is, how urgent, where, and how much time is left.
struct RequestCard {
    var id: HelpRequestID
    var href: String
    var category: String
    var urgency: Tag?
    var status: Tag
    var overdue: Bool
    var escalated: String?
    var address: String?
    var deadline: String
    var cardTone: String

    /// A card as it is written: the design page shows cards of requests that do not exist.
    init(id: HelpRequestID, href: String, category: String, urgency: Tag?, status: Tag, overdue: Bool, escalated: String?, address: String?, deadline: String, cardTone: String) {
        (self.id, self.href, self.category, self.urgency, self.status) = (id, href, category, urgency, status)
        (self.overdue, self.escalated, self.address, self.deadline, self.cardTone) = (overdue, escalated, address, deadline, cardTone)
    }

    init(_ item: RequestListItem, now: Date, context: LinliRequestContext, showAddress: Bool = true) {
        let request = item.stored.request
        let language = context.language
        id = request.id
        href = "/requests/\(request.id)"
        category = Catalogue.text(request.category.catalogueKey, language)
        urgency = request.urgency == .normal ? nil : .urgency(request.urgency, language)
        status = .status(request.status, language)
        overdue = RequestBoard.Line(request).isLate(at: now)
        escalated = request.escalationLevel > 0 ? Catalogue.text("requests.page.escalated", language, ["n": "\(request.escalationLevel)"]) : nil
        address = showAddress ? item.householdLabel : nil
        if request.status.isOpen {
            let deadline = request.status == .new ? request.acceptBy : request.doneBy
            self.deadline = PageTime.span(until: deadline, now: now, language)
        } else {
            deadline = Catalogue.text("requests.page.filed_on", language, ["date": PageTime.dateTime(request.createdAt, language)])
        }
        cardTone = overdue ? "overdue" : request.urgency.rawValue
    }
}

extension LinliRequestContext {
    var isHousehold: Bool {
        if case .household = caller { true } else { false }
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let value = self else { return nil }
        return try await transform(value)
    }
}
