import Foundation
import Hummingbird
import LinliCore
import LinliStore
import SQLKit

/// Care in the browser: the committee's dashboard, a helper's "my people today", helpers and
/// their availability, and the printable pairing list of a building.
struct CarePages {
    let services: AppServices

    struct PairingForm: Decodable { var _csrf: String?; var place_id: String?; var confirmed: String? }
    struct AvailabilityForm: Decodable { var _csrf: String?; var availability: String?; var confirmed: String? }
    struct DoneForm: Decodable { var _csrf: String?; var note: String?; var idempotency_key: String? }

    func addRoutes(to router: Router<LinliRequestContext>) {
        router.get("care") { request, context -> Response in
            let identity = try context.requireUser()
            // Someone who may not read the register anywhere is a helper at most: their own page.
            guard !identity.grants.scopes(for: .viewSensitive).isEmpty else { return redirect(to: "/care/mine") }
            return try await dashboard(request: request, context: context, identity: identity)
        }
        router.post("care/pairing") { request, context -> Response in
            let identity = try context.requireUser()
            let form = try await request.decodeForm(as: PairingForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            guard let text = form.place_id, let raw = Int64(text), raw > 0 else { throw AppError.invalid("place_id") }
            let place = try await CareAPI.pairingPlace(PlaceID(raw), identity: identity, services: services)
            guard form.confirmed == "yes" else {
                let content = CareConfirmContent(
                    action: "/care/pairing", question: context.text("care.pairing.confirm.question", ["place": place.name]), warning: context.text("care.pairing.confirm.warning"),
                    fields: [HiddenField(name: "place_id", value: "\(place.id)")], confirmLabel: context.text("care.pairing.confirm.yes"), backHref: "/care?place=\(place.id)", backLabel: context.text("care.pairing.confirm.no")
                )
                return try PageView(template: "care/pairing-confirm", title: context.text("care.pairing.confirm.title"), content: content).response(context)
            }
            _ = try await CarePairingService(services: services).run(place: place, actor: context.actor, traceID: context.traceID)
            return redirect(to: "/care?place=\(place.id)&notice=care_pairing_run")
        }
        router.get("care/helpers") { request, context -> Response in
            let identity = try context.requireUser()
            return try await helpersPage(request: request, context: context, identity: identity)
        }
        router.get("care/helpers/:id") { request, context -> Response in
            let identity = try context.requireUser()
            let id: VolunteerID = try context.parameters.id()
            return try await helperPage(id: id, context: context, identity: identity, banner: noticeBanner(request, context))
        }
        router.post("care/helpers/:id/availability") { request, context -> Response in
            let identity = try context.requireUser()
            let id: VolunteerID = try context.parameters.id()
            let form = try await request.decodeForm(as: AvailabilityForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            let helper = try await visibleHelper(id, identity: identity, capability: .manageCare)
            let availability = try CareAPI.availability(form.availability)
            guard form.confirmed == "yes" else {
                let content = CareConfirmContent(
                    action: "/care/helpers/\(id)/availability",
                    question: context.text("care.pairing.availability.confirm_question", ["name": helper.volunteer.name, "availability": context.text("care.pairing.availability.\(availability.rawValue)")]),
                    warning: context.text(availability == .available ? "care.pairing.availability.confirm_available" : "care.pairing.availability.confirm_unavailable"),
                    fields: [HiddenField(name: "availability", value: availability.rawValue)], confirmLabel: context.text("care.pairing.availability.confirm_yes"),
                    backHref: "/care/helpers/\(id)", backLabel: context.text("care.pairing.confirm.no")
                )
                return try PageView(template: "care/pairing-confirm", title: context.text("care.pairing.availability.confirm_title"), content: content).response(context)
            }
            _ = try await CarePairingService(services: services).setAvailability(availability, of: id, identity: identity, actor: context.actor, traceID: context.traceID)
            return redirect(to: "/care/helpers/\(id)?notice=care_pairing_availability")
        }
        router.get("care/mine") { request, context -> Response in
            let identity = try context.requireUser()
            return try await minePage(context: context, identity: identity, banner: noticeBanner(request, context))
        }
        router.post("care/checkins/:id/done") { request, context -> Response in
            let identity = try context.requireUser()
            let id: CareCheckInID = try context.parameters.id()
            let form = try await request.decodeForm(as: DoneForm.self, context: context)
            try context.verifyCSRF(form._csrf)
            try CareAPI.checkKey(form.idempotency_key)
            _ = try await CareCheckIns(services: services).tick(id, note: form.note, identity: identity, traceID: context.traceID)
            return redirect(to: "/care/mine?notice=care_checkin_done")
        }
        router.get("care/pairing/print") { request, context -> Response in
            let identity = try context.requireUser()
            guard let building = try Query(request: request).placeID("building") else { throw AppError.required("building") }
            return try await printPage(building: building, context: context, identity: identity)
        }
    }

    /// The primary and backup helpers of `people`, by id.
    static func helpers(of people: [PairingPerson], on db: any SQLDatabase) async throws -> [VolunteerID: CareHelper] {
        let ids = Set(people.flatMap { [$0.entry.primaryHelperID, $0.entry.backupHelperID].compactMap { $0 } })
        return Dictionary(try await CarePairingRecords.helpers(ids: ids.sorted(), on: db).map { ($0.volunteer.id, $0) }, uniquingKeysWith: { first, _ in first })
    }

    // MARK: - The dashboard

    struct DashboardContent {
        var place: String
        var counts: [DirectoryPages.CountLink]
        var overdue: [OverdueRow]
        var hasOverdue: Bool
        var unavailable: [HelperRow]
        var overloaded: [HelperRow]
        var compounds: [CompoundRow]
        var buildings: [Link]
        var helpersHref: String
        var mayPair: Bool
        var areas: [Link]
        var hasUnavailable: Bool
        var hasOverloaded: Bool
        var hasBuildings: Bool
        var hasAreas: Bool
    }

    struct OverdueRow { var person: String; var address: String; var what: String; var when: String; var escalated: String?; var contact: String; var contactOverdue: Bool }
    struct CompoundRow { var id: PlaceID; var name: String }
    struct HelperRow { var href: String; var name: String; var phone: String; var load: String; var availability: Tag }

    private func dashboard(request: Request, context: LinliRequestContext, identity: UserIdentity) async throws -> Response {
        let scopes = identity.grants.scopes(for: .viewSensitive)
        let now = services.now()
        let language = context.language
        let requested = try Query(request: request).placeID()
        let data = try await services.store.read { db -> (Place, [PairingPerson], [CareHelper], [CheckInLine], [Place], [PairingBuilding], [Place], [PlaceID: String]) in
            let place: Place
            if let requested {
                guard let found = try await DirectoryRecords.place(id: requested, on: db), identity.grants.allows(.viewSensitive, at: found.path) else { throw AppError.notFound }
                place = found
            } else {
                guard let first = scopes.first?.ids.last, let found = try await DirectoryRecords.place(id: first, on: db) else { throw AppError.notFound }
                place = found
            }
            let people = try await CarePairingRecords.people(under: place.path, on: db)
            let helpers = try await CarePairingRecords.helpers(under: place.path, on: db)
            let overdue = try await CarePlanRecords.overdue(scopes: [place.path], now: now, limit: 20, on: db)
            var (compounds, buildings, areas): ([Place], [PairingBuilding], [Place]) = ([], [], [])
            if place.level <= .compound { compounds = try await CarePairingRecords.compounds(at: place, on: db) }
            if place.level == .compound { buildings = try await CarePairingRecords.buildings(under: place, on: db) }
            if place.level < .compound { areas = try await DirectoryRecords.children(of: place.id, on: db).map(\.place) }
            let overduePeople = Set(overdue.map(\.checkIn.entryID))
            let addresses = try await CarePairingRecords.addresses(households: people.filter { overduePeople.contains($0.entry.id) }.map(\.entry.householdID), on: db)
            return (place, people, helpers, overdue, compounds, buildings, areas, addresses)
        }
        let (place, people, helpers, overdueLines, compounds, buildings, areas, addresses) = data
        let coverage = CareCoverage(people: people, helpers: helpers)
        let overdueCount = try await services.store.read { db in try await CarePlanRecords.overdueCount(scopes: [place.path], now: now, on: db) }
        let placeQuery = "?place=\(place.id)"
        let counts = [
            DirectoryPages.CountLink(href: "/care/register" + placeQuery, label: context.text("care.pairing.dashboard.registered"), count: people.count, alert: false, countID: "care-registered"),
            DirectoryPages.CountLink(href: "/care/register" + placeQuery, label: context.text("care.pairing.dashboard.paired"), count: coverage.paired, alert: false, countID: "care-paired"),
            DirectoryPages.CountLink(href: "/care/register" + placeQuery, label: context.text("care.pairing.dashboard.unpaired"), count: people.count - coverage.paired, alert: false, countID: "care-unpaired"),
            DirectoryPages.CountLink(href: "/care/register" + placeQuery, label: context.text("care.pairing.dashboard.unpaired_with_capacity"), count: coverage.unpairedWithCapacity, alert: coverage.unpairedWithCapacity > 0, countID: "care-unpaired-capacity"),
            DirectoryPages.CountLink(href: "#care-overdue", label: context.text("care.pairing.dashboard.overdue"), count: overdueCount, alert: overdueCount > 0, countID: "care-overdue-count"),
            DirectoryPages.CountLink(href: "/care/helpers" + placeQuery, label: context.text("care.pairing.dashboard.over_capacity"), count: coverage.overloaded.count, alert: !coverage.overloaded.isEmpty, countID: "care-over-capacity"),
            DirectoryPages.CountLink(href: "/care/helpers" + placeQuery, label: context.text("care.pairing.dashboard.unavailable"), count: coverage.unavailable.count, alert: false, countID: "care-unavailable"),
        ]
        let byID = Dictionary(people.map { ($0.entry.id, $0) }, uniquingKeysWith: { first, _ in first })
        let overdue = overdueLines.compactMap { line -> OverdueRow? in
            guard let person = byID[line.checkIn.entryID] else { return nil }
            return OverdueRow(
                person: person.residentName, address: addresses[person.entry.householdID] ?? "", what: line.label ?? context.text("care.plan.kind.\(line.kind.rawValue)"),
                when: PageTime.span(until: line.checkIn.dueAt, now: now, language),
                escalated: line.checkIn.escalationLevel > 1 ? context.text("care.checkin.escalated", ["n": "\(line.checkIn.escalationLevel - 1)"]) : nil,
                contact: CareRegister.daysSinceContact(person.entry.lastContactAt, now: now).map { context.text("care.pairing.contact.days", ["n": "\($0)"]) } ?? context.text("care.pairing.contact.never"),
                contactOverdue: CareRegister.isContactOverdue(person.entry.lastContactAt, now: now)
            )
        }
        try await services.auditCareReads(overdueLines.compactMap { byID[$0.checkIn.entryID]?.entry }, identity: identity, view: "dashboard", traceID: context.traceID)
        let content = DashboardContent(
            place: place.name, counts: counts, overdue: overdue, hasOverdue: !overdue.isEmpty,
            unavailable: coverage.unavailable.prefix(30).map { helperRow($0, load: coverage.loads[$0.volunteer.id] ?? 0, context: context) },
            overloaded: coverage.overloaded.prefix(30).map { helperRow($0, load: coverage.loads[$0.volunteer.id] ?? 0, context: context) },
            compounds: compounds.map { CompoundRow(id: $0.id, name: $0.name) },
            buildings: buildings.map { Link(href: "/care/pairing/print?building=\($0.id)", label: context.text("care.pairing.dashboard.print", ["building": $0.name])) },
            helpersHref: "/care/helpers" + placeQuery, mayPair: identity.grants.allows(.manageCare, at: place.path) && !compounds.isEmpty,
            areas: areas.map { Link(href: "/care?place=\($0.id)", label: $0.name) },
            hasUnavailable: !coverage.unavailable.isEmpty, hasOverloaded: !coverage.overloaded.isEmpty, hasBuildings: !buildings.isEmpty, hasAreas: !areas.isEmpty
        )
        return try PageView(template: "care/dashboard", title: context.text("care.pairing.dashboard.title", ["place": place.name]), content: content, banner: noticeBanner(request, context))
            .response(context)
    }

    private func helperRow(_ helper: CareHelper, load: Int, context: LinliRequestContext) -> HelperRow {
        HelperRow(
            href: "/care/helpers/\(helper.volunteer.id)", name: helper.volunteer.name, phone: PhoneMask.mask(helper.volunteer.phone),
            load: context.text("care.pairing.helper.load", ["n": "\(load)", "capacity": "\(helper.capacity ?? PairingInstance.defaultCapacity)"]),
            availability: Tag("care.pairing.availability.\(helper.availability.rawValue)", tone: helper.availability == .available ? "done" : "overdue", context.language)
        )
    }

    // MARK: - Helpers

    struct HelpersContent {
        var place: String
        var rows: [HelperRow]
        var isEmpty: Bool
        var more: String?
    }

    /// Fifty rows keep the page inside its 30 KB budget; those who need a look come first.
    static let helpersLimit = 50

    private func helpersPage(request: Request, context: LinliRequestContext, identity: UserIdentity) async throws -> Response {
        let requested = try Query(request: request).placeID()
        let (place, people, helpers) = try await services.store.read { db -> (Place, [PairingPerson], [CareHelper]) in
            let id = requested ?? identity.grants.scopes(for: .viewSensitive).first?.ids.last
            guard let id, let place = try await DirectoryRecords.place(id: id, on: db), identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
            guard identity.grants.allows(.viewSensitive, at: place.path) else { throw AppError.forbidden }
            return (place, try await CarePairingRecords.people(under: place.path, on: db), try await CarePairingRecords.helpers(under: place.path, on: db))
        }
        let coverage = CareCoverage(people: people, helpers: helpers)
        // Those who need a look first: unavailable, then over capacity, then by load.
        let ordered = helpers.sorted { a, b in
            let (la, lb) = (coverage.loads[a.volunteer.id] ?? 0, coverage.loads[b.volunteer.id] ?? 0)
            if (a.availability == .available) != (b.availability == .available) { return a.availability != .available }
            if la != lb { return la > lb }
            return a.volunteer.id < b.volunteer.id
        }
        let rows = ordered.prefix(Self.helpersLimit).map { helperRow($0, load: coverage.loads[$0.volunteer.id] ?? 0, context: context) }
        let content = HelpersContent(place: place.name, rows: Array(rows), isEmpty: rows.isEmpty, more: helpers.count > Self.helpersLimit ? context.text("care.pairing.helpers.more", ["n": "\(Self.helpersLimit)"]) : nil)
        return try PageView(template: "care/helpers", title: context.text("care.pairing.helpers.title", ["place": place.name]), content: content).response(context)
    }

    private func visibleHelper(_ id: VolunteerID, identity: UserIdentity, capability: Capability) async throws -> CareHelper {
        try await CarePairingService(services: services).requireHelper(id, identity: identity, capability: capability)
    }

    struct HelperContent {
        var id: VolunteerID
        var name: String
        var phone: String
        var availability: Tag
        var load: String
        var skills: String
        var people: [CarePersonView]
        var isEmpty: Bool
        var form: FormField?
        var formAction: String
    }

    private func helperPage(id: VolunteerID, context: LinliRequestContext, identity: UserIdentity, banner: String?) async throws -> Response {
        let helper = try await visibleHelper(id, identity: identity, capability: .viewSensitive)
        let now = services.now()
        let (people, addresses, names) = try await services.store.read { db -> ([PairingPerson], [PlaceID: String], [VolunteerID: String]) in
            let people = try await CarePairingRecords.people(helper: id, on: db)
            let addresses = try await CarePairingRecords.addresses(households: people.map(\.entry.householdID), on: db)
            let names = try await Self.helpers(of: people, on: db).mapValues(\.volunteer.name)
            return (people, addresses, names)
        }
        try await services.auditCareReads(people.map(\.entry), identity: identity, view: "helper", traceID: context.traceID)
        let language = context.language
        let views = people.map { person in
            CarePersonView(person, address: addresses[person.entry.householdID] ?? "", helperNames: names, role: context.text(person.entry.primaryHelperID == id ? "care.pairing.role.primary" : "care.pairing.role.backup"), checkIns: [], now: now, language: language)
        }
        let primaryLoad = people.filter { $0.entry.primaryHelperID == id }.count
        var form: FormField?
        if identity.grants.allows(.manageCare, at: helper.volunteer.path) {
            form = FormField("availability", label: context.text("care.pairing.availability.label"), hint: context.text("care.pairing.availability.hint"), options: HelperAvailability.allCases.map {
                FormField.Option(value: $0.rawValue, label: context.text("care.pairing.availability.\($0.rawValue)"), selected: $0 == helper.availability)
            })
        }
        let skills = HelperSkills.skills(from: helper.volunteer.skills).map { context.text("care.pairing.skill.\($0)") }.joined(separator: context.text("care.register.list_separator"))
        let content = HelperContent(
            id: id, name: helper.volunteer.name, phone: PhoneMask.mask(helper.volunteer.phone),
            availability: Tag("care.pairing.availability.\(helper.availability.rawValue)", tone: helper.availability == .available ? "done" : "overdue", language),
            load: context.text("care.pairing.helper.load", ["n": "\(primaryLoad)", "capacity": "\(helper.capacity ?? PairingInstance.defaultCapacity)"]),
            skills: skills.isEmpty ? context.text("care.pairing.helper.no_skills") : skills, people: views, isEmpty: views.isEmpty, form: form,
            formAction: "/care/helpers/\(id)/availability"
        )
        return try PageView(template: "care/helper", title: helper.volunteer.name, content: content, banner: banner, offline: true).response(context)
    }

    // MARK: - My people today

    struct MineContent {
        var isHelper: Bool
        var people: [CarePersonView]
        var isEmpty: Bool
        var unavailable: String?
    }

    private func minePage(context: LinliRequestContext, identity: UserIdentity, banner: String?) async throws -> Response {
        let now = services.now()
        let language = context.language
        let today = CareSchedule.localDay(now)
        let (me, people, addresses, names, checkIns) = try await services.store.read { db -> ([CareHelper], [PairingPerson], [PlaceID: String], [VolunteerID: String], [CheckInLine]) in
            let me = try await CarePairingRecords.helpers(phone: identity.user.phone, on: db)
            var people: [PairingPerson] = []
            for helper in me { people += try await CarePairingRecords.people(helper: helper.volunteer.id, on: db) }
            let addresses = try await CarePairingRecords.addresses(households: people.map(\.entry.householdID), on: db)
            let names = try await Self.helpers(of: people, on: db).mapValues(\.volunteer.name)
            let checkIns = try await CarePlanRecords.checkIns(entries: people.map(\.entry.id), from: CareSchedule.start(ofLocalDay: today), to: CareSchedule.start(ofLocalDay: today + 1), on: db)
            return (me, people, addresses, names, checkIns)
        }
        try await services.auditCareReads(people.map(\.entry), identity: identity, view: "mine", traceID: context.traceID)
        let mine = Set(me.map(\.volunteer.id))
        // Primary people first; within each, whoever was out of touch longest.
        let ordered = people.sorted { a, b in
            let (pa, pb) = (a.entry.primaryHelperID.map(mine.contains) ?? false, b.entry.primaryHelperID.map(mine.contains) ?? false)
            if pa != pb { return pa }
            return (a.entry.lastContactAt ?? .distantPast) < (b.entry.lastContactAt ?? .distantPast)
        }
        let views = ordered.map { person in
            let isPrimary = person.entry.primaryHelperID.map(mine.contains) ?? false
            let rows = checkIns.filter { $0.checkIn.entryID == person.entry.id }.map { CheckInRow($0, now: now, language: language) }
            return CarePersonView(person, address: addresses[person.entry.householdID] ?? "", helperNames: names, role: context.text(isPrimary ? "care.pairing.role.primary" : "care.pairing.role.backup"), checkIns: rows, now: now, language: language)
        }
        let away = me.first { $0.availability != .available }
        let content = MineContent(
            isHelper: !me.isEmpty, people: views, isEmpty: views.isEmpty,
            unavailable: away.map { context.text("care.pairing.mine.unavailable", ["availability": context.text("care.pairing.availability.\($0.availability.rawValue)")]) }
        )
        return try PageView(template: "care/mine", title: context.text("care.pairing.mine.title"), content: content, banner: banner, offline: true).response(context)
    }

    // MARK: - The printed list

    struct PrintContent {
        var building: String
        var compound: String
        var rows: [PrintRow]
        var isEmpty: Bool
        var printedAt: String
    }

    struct PrintRow { var room: String; var name: String; var needs: String?; var primary: String; var backup: String }

    private func printPage(building: PlaceID, context: LinliRequestContext, identity: UserIdentity) async throws -> Response {
        let (place, compound, people, helpers) = try await services.store.read { db -> (Place, String, [PairingPerson], [VolunteerID: CareHelper]) in
            guard let place = try await DirectoryRecords.place(id: building, on: db), place.level == .building, identity.grants.allows(.viewDirectory, at: place.path) else { throw AppError.notFound }
            guard identity.grants.allows(.viewSensitive, at: place.path) else { throw AppError.forbidden }
            let compound = try await place.parentID.asyncMap { try await DirectoryRecords.place(id: $0, on: db)?.name } ?? nil
            let people = try await CarePairingRecords.people(under: place.path, on: db).sorted { RoomFloor.floor(ofRoom: $0.room) == RoomFloor.floor(ofRoom: $1.room) ? $0.room < $1.room : RoomFloor.floor(ofRoom: $0.room) < RoomFloor.floor(ofRoom: $1.room) }
            let helpers = try await Self.helpers(of: people, on: db)
            return (place, compound ?? "", people, helpers)
        }
        try await services.auditCareReads(people.map(\.entry), identity: identity, view: "print", traceID: context.traceID)
        let language = context.language
        func helper(_ id: VolunteerID?) -> String {
            guard let id, let helper = helpers[id] else { return context.text("care.pairing.print.nobody") }
            // A sheet on a noticeboard or left in a stairwell: phones masked.
            return "\(helper.volunteer.name) \(PhoneMask.mask(helper.volunteer.phone))"
        }
        let rows = people.map { person in
            PrintRow(room: person.room, name: person.residentName, needs: CarePersonView(person, address: "", helperNames: [:], role: nil, checkIns: [], now: services.now(), language: language).needs,
                     primary: helper(person.entry.primaryHelperID), backup: helper(person.entry.backupHelperID))
        }
        let content = PrintContent(building: place.name, compound: compound, rows: rows, isEmpty: rows.isEmpty, printedAt: PageTime.dateTime(services.now(), language))
        return try PageView(template: "care/pairing-print", title: context.text("care.pairing.print.title", ["building": place.name]), content: content).response(context)
    }
}

struct HiddenField { var name: String; var value: String }

struct CareConfirmContent {
    var action: String
    var question: String
    var warning: String
    var fields: [HiddenField]
    var confirmLabel: String
    var backHref: String
    var backLabel: String
}

/// How well a place's register is covered: who is paired, who could be and is not, who carries
/// more than they said they could, who is away.
struct CareCoverage {
    var paired: Int
    /// Unpaired people for whom an available helper of their compound with every skill they need
    /// still has room: pairing should have taken them, so the dashboard shows them in red.
    var unpairedWithCapacity: Int
    var loads: [VolunteerID: Int]
    var overloaded: [CareHelper]
    var unavailable: [CareHelper]

    init(people: [PairingPerson], helpers: [CareHelper]) {
        var loads: [VolunteerID: Int] = [:]
        for person in people { if let primary = person.entry.primaryHelperID { loads[primary, default: 0] += 1 } }
        self.loads = loads
        paired = people.filter { $0.entry.primaryHelperID != nil }.count
        func capacity(_ helper: CareHelper) -> Int { helper.capacity ?? PairingInstance.defaultCapacity }
        overloaded = helpers.filter { (loads[$0.volunteer.id] ?? 0) > capacity($0) }
        unavailable = helpers.filter { $0.availability != .available }
        let compoundDepth = PlaceLevel.compound.depth
        func compound(_ path: PlacePath) -> PlaceID? { let ids = path.ids; return ids.count > compoundDepth ? ids[compoundDepth] : nil }
        let withRoom = helpers.filter { $0.availability == .available && (loads[$0.volunteer.id] ?? 0) < capacity($0) }
            .map { (compound: compound($0.volunteer.path), skills: Set(HelperSkills.skills(from: $0.volunteer.skills))) }
        unpairedWithCapacity = people.filter { person in
            guard person.entry.primaryHelperID == nil else { return false }
            let place = compound(person.entry.path)
            return withRoom.contains { $0.compound == place && Set(person.entry.needs).isSubset(of: $0.skills) }
        }.count
    }
}
