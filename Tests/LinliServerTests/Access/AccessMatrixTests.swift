import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

/// The access matrix: every demo role, a household-code session and an anonymous
/// caller, against every JSON API route, with targets inside, outside and above the caller's
/// places and an id that does not exist.
///
/// The expected outcomes come from the tables below, written out by hand from README.md ("Who
/// sees what") and AccessPolicy's documented role table. They are never computed by calling the
/// server's own access code (`Grants`, `RoleKind.capabilities`, `PlacePath.contains`): a bug
/// there would otherwise agree with itself.
@Suite("Access matrix: every role × every API route × inside and outside its places")
struct AccessMatrixTests {
    // MARK: - The spec: roles

    struct RoleSpec: Sendable {
        /// The level of the place the demo account holds the role at.
        var level: PlaceLevel
        var capabilities: Set<Capability>
        /// The sibling of the role's place that serves as "outside": nil when the role covers
        /// the whole city (admin), so that nothing is outside it.
        var outside: PlaceLevel?
    }

    /// README "Who sees what", column by column (directory, full phones, health notes, register
    /// import/export, unmasked export, request rules) plus "create users" for admins only.
    static let roles: [RoleKind: RoleSpec] = [
        .admin: RoleSpec(level: .city, capabilities: Set(Capability.allCases), outside: nil),
        .districtStaff: RoleSpec(level: .district, capabilities: [.viewDirectory, .viewFullPhone, .viewSensitive, .manageRegister, .exportUnmasked, .configureRequests, .manageCare, .surveyHouseholds, .manageMedicine, .runMedicine, .manageSupplies, .leadGroupBuys, .handOutSupplies, .reportRumours, .verifyRumours, .publishInformation], outside: .district),
        .subdistrictStaff: RoleSpec(level: .subdistrict, capabilities: [.viewDirectory, .viewFullPhone, .viewSensitive, .manageRegister, .exportUnmasked, .manageCare, .surveyHouseholds, .manageMedicine, .runMedicine, .manageSupplies, .leadGroupBuys, .handOutSupplies, .reportRumours, .verifyRumours, .publishInformation], outside: .subdistrict),
        .committeeStaff: RoleSpec(level: .committee, capabilities: [.viewDirectory, .viewFullPhone, .viewSensitive, .manageRegister, .exportUnmasked, .manageCare, .surveyHouseholds, .manageMedicine, .runMedicine, .manageSupplies, .leadGroupBuys, .handOutSupplies, .reportRumours, .verifyRumours, .publishInformation], outside: .committee),
        .compoundLead: RoleSpec(level: .compound, capabilities: [.viewDirectory, .viewFullPhone, .viewSensitive, .manageRegister, .manageCare, .surveyHouseholds, .manageMedicine, .runMedicine, .leadGroupBuys, .handOutSupplies, .reportRumours, .verifyRumours], outside: .compound),
        .medicineRunner: RoleSpec(level: .compound, capabilities: [.viewDirectory, .viewFullPhone, .viewSensitive, .runMedicine, .reportRumours], outside: .compound),
        .buildingLeader: RoleSpec(level: .building, capabilities: [.viewDirectory, .viewFullPhone, .surveyHouseholds, .handOutSupplies, .reportRumours], outside: .building),
        .groupBuyLeader: RoleSpec(level: .compound, capabilities: [.viewDirectory, .leadGroupBuys, .handOutSupplies, .reportRumours], outside: .compound),
        .informationOfficer: RoleSpec(level: .committee, capabilities: [.viewDirectory, .reportRumours, .verifyRumours], outside: .committee),
    ]

    // MARK: - The spec: routes

    enum Target: String, Sendable {
        /// The route takes no id.
        case none
        /// A place id (a building inside, a sibling's building outside, the parent place above).
        case place
        case household
        case request
        /// A district id: the caller's own district and another one.
        case district
        /// A household id in the body (filing a request).
        case fileRequest
        /// A care register entry: one in each household the caller aims at (`addCareEntryTargets`).
        case careEntry
        /// A survey campaign over the place a `.place` aim names (AccessMatrixTests+Care).
        case surveyCampaign
        /// A medicine team, and its formed batch, at the place a `.place` aim names (AccessMatrixTests+MedicineBatches).
        case medicineTeam
        case medicineBatch
        /// A medicine request, and its item, in each household a `.request` aim names, with the
        /// same relation (AccessMatrixTests+MedicineBatches).
        case medicineRequest
        case medicineItem
        /// A group buy, a supplier, and an order of the buy, at the place each `.place` aim names,
        /// with the same relation (AccessMatrixTests+GroupBuy).
        case groupBuy
        case supplier
        case groupBuyOrder
        /// A rumour with one report, a draft correction of it, and a chat group, at the place a
        /// `.place` aim names (AccessMatrixTests+Rumours).
        case rumour
        case rumourReport
        case correction
        case chatGroup
        /// A published answer, a notice and a published briefing, at the place each `.place` aim
        /// names, with the same relation (AccessMatrixTests+Information).
        case answer
        case notice
        case briefing
    }

    enum Rule: Sendable {
        /// Anyone, even without a session.
        case open
        /// Any session, a user's or a household's.
        case session
        /// Any logged-in user, whatever the role; a household session is refused (403).
        case anyUser
        /// Only a household-code session; users are refused (403).
        case householdSession
        /// Users holding the admin role.
        case adminRole
        /// A user with the capability at the target. Outside the user's places, 404 (as if it did
        /// not exist); inside without the capability, 403. `wayDown`: the places above one's own
        /// may be named too (breadcrumbs, the tree), without their contents.
        case capability(Capability, wayDown: Bool)
        /// Users: view_directory at the request's household. A household: its own requests only.
        case request
        /// Users: view_directory at the household named in the body. A household files for
        /// itself whatever the body names.
        case fileRequest
        /// Users: the capability at the request's household, as `capability`. A household: its
        /// own requests only, as `request`.
        case ownRequestOrCapability(Capability)
        /// A record at a place that is seen from the places under it as well (a compound-wide
        /// group buy by its buildings, a sub-district's supplier by its compounds). Users: inside,
        /// the capability (any viewer when nil) or 403; above, seen (nil) or 403; elsewhere 404.
        /// A household: its own building's record when `households`, else 403.
        case sharedDown(Capability?, households: Bool)
        /// A record everyone reads, logged in or not, wherever it is (a published answer); a
        /// missing one is 404.
        case published
        /// Only a household-code session, for a record covering its own household (a notice at
        /// its building); another household's is 404. Users: 403 for one that exists.
        case ownNotice
    }

    struct Probe: Sendable {
        var label: String
        /// `{id}` is replaced by the target's id.
        var uri: String
        var target: Target
        var rule: Rule
        /// The answer when the rule allows: 2xx, or the 4xx of a body that is invalid on purpose.
        var allowed: HTTPResponse.Status
        var body: String? = nil
        /// For a body invalid on purpose: the field the 4xx must name, proving the request got
        /// past the access checks to the validation.
        var field: String? = nil
        /// Ends the caller's session: run last.
        var endsSession = false
    }

    /// Every JSON API route, "METHOD path" as the router lists it, with the probes that check it.
    /// A new route must be added here, or `everyAPIRouteIsInTheMatrix` fails.
    static var matrix: [(route: String, probes: [Probe])] { coreMatrix + careMatrix + medicineBatchMatrix + medicineCardsMatrix + groupBuyMatrix + suppliesMatrix + rumourMatrix + informationMatrix }

    static let coreMatrix: [(route: String, probes: [Probe])] = [
        ("POST /api/v1/auth/token", [
            Probe(label: "empty login", uri: "/api/v1/auth/token", target: .none, rule: .open, allowed: .badRequest, body: "{}", field: "phone"),
        ]),
        ("POST /api/v1/household-sessions", [
            Probe(label: "empty code", uri: "/api/v1/household-sessions", target: .none, rule: .open, allowed: .badRequest, body: "{}", field: "household_id"),
        ]),
        ("GET /api/v1/me", [
            Probe(label: "me", uri: "/api/v1/me", target: .none, rule: .session, allowed: .ok),
        ]),
        ("GET /api/v1/places", [
            Probe(label: "root places", uri: "/api/v1/places", target: .none, rule: .anyUser, allowed: .ok),
        ]),
        ("GET /api/v1/places/{id}", [
            Probe(label: "place", uri: "/api/v1/places/{id}", target: .place, rule: .capability(.viewDirectory, wayDown: true), allowed: .ok),
        ]),
        ("GET /api/v1/households", [
            Probe(label: "search", uri: "/api/v1/households?limit=20", target: .none, rule: .anyUser, allowed: .ok),
            Probe(label: "search within", uri: "/api/v1/households?limit=20&place={id}", target: .place, rule: .capability(.viewDirectory, wayDown: true), allowed: .ok),
        ]),
        ("GET /api/v1/households/{id}", [
            Probe(label: "household", uri: "/api/v1/households/{id}", target: .household, rule: .capability(.viewDirectory, wayDown: false), allowed: .ok),
        ]),
        ("POST /api/v1/households/{id}/code", [
            Probe(label: "rotate code", uri: "/api/v1/households/{id}/code", target: .household, rule: .capability(.manageRegister, wayDown: false), allowed: .created),
        ]),
        ("GET /api/v1/household", [
            Probe(label: "own household", uri: "/api/v1/household", target: .none, rule: .householdSession, allowed: .ok),
        ]),
        ("GET /api/v1/volunteers", [
            Probe(label: "volunteers", uri: "/api/v1/volunteers?limit=20", target: .none, rule: .anyUser, allowed: .ok),
            Probe(label: "volunteers within", uri: "/api/v1/volunteers?limit=20&place={id}", target: .place, rule: .capability(.viewDirectory, wayDown: true), allowed: .ok),
        ]),
        ("GET /api/v1/teams", [
            Probe(label: "teams", uri: "/api/v1/teams?limit=20", target: .none, rule: .anyUser, allowed: .ok),
            Probe(label: "teams within", uri: "/api/v1/teams?limit=20&place={id}", target: .place, rule: .capability(.viewDirectory, wayDown: true), allowed: .ok),
        ]),
        ("POST /api/v1/places/{id}/household-codes", [
            Probe(label: "issue codes", uri: "/api/v1/places/{id}/household-codes", target: .place, rule: .capability(.manageRegister, wayDown: false), allowed: .created),
        ]),
        ("GET /api/v1/places/{id}/register", [
            Probe(label: "masked export", uri: "/api/v1/places/{id}/register?format=csv", target: .place, rule: .capability(.manageRegister, wayDown: false), allowed: .ok),
            Probe(label: "unmasked export", uri: "/api/v1/places/{id}/register?format=csv&unmasked=true", target: .place, rule: .capability(.exportUnmasked, wayDown: false), allowed: .ok),
        ]),
        ("POST /api/v1/places/{id}/register", [
            // An empty upload: refused as such (400 "file") only once the caller may import there.
            Probe(label: "empty import", uri: "/api/v1/places/{id}/register", target: .place, rule: .capability(.manageRegister, wayDown: false), allowed: .badRequest, body: "", field: "file"),
        ]),
        ("POST /api/v1/places/{id}/webhooks", [
            Probe(label: "add webhook", uri: "/api/v1/places/{id}/webhooks", target: .place, rule: .capability(.manageUsers, wayDown: false), allowed: .created,
                  body: #"{"kind":"wecom","url":"https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=matrix"}"#),
            Probe(label: "bad webhook", uri: "/api/v1/places/{id}/webhooks", target: .place, rule: .capability(.manageUsers, wayDown: false), allowed: .badRequest,
                  body: #"{"kind":"pigeon","url":"https://example.com/hook"}"#, field: "kind"),
        ]),
        ("GET /api/v1/notifications", [
            Probe(label: "outbox", uri: "/api/v1/notifications", target: .none, rule: .adminRole, allowed: .ok),
        ]),
        ("GET /api/v1/places/{id}/request-policy", [
            Probe(label: "read policy", uri: "/api/v1/places/{id}/request-policy", target: .district, rule: .capability(.viewDirectory, wayDown: false), allowed: .ok),
        ]),
        ("PUT /api/v1/places/{id}/request-policy", [
            Probe(label: "standard policy", uri: "/api/v1/places/{id}/request-policy", target: .district, rule: .capability(.configureRequests, wayDown: false), allowed: .ok, body: "{}"),
            Probe(label: "bad policy", uri: "/api/v1/places/{id}/request-policy", target: .district, rule: .capability(.configureRequests, wayDown: false), allowed: .badRequest,
                  body: #"{"deadlines":5}"#, field: "deadlines"),
        ]),
        ("POST /api/v1/requests", [
            // A resident id that is no one's: 400 "resident_id" once the household is in scope,
            // so the probe files nothing (no duplicates, no jobs) yet tells allow from deny.
            Probe(label: "file", uri: "/api/v1/requests", target: .fileRequest, rule: .fileRequest, allowed: .badRequest,
                  body: #"{"household_id":{id},"resident_id":999999999,"category":"other","description":"矩阵探测"}"#, field: "resident_id"),
            Probe(label: "file, empty description", uri: "/api/v1/requests", target: .fileRequest, rule: .fileRequest, allowed: .badRequest,
                  body: #"{"household_id":{id},"category":"other","description":" "}"#, field: "description"),
        ]),
        ("GET /api/v1/requests/{id}", [
            Probe(label: "request", uri: "/api/v1/requests/{id}", target: .request, rule: .request, allowed: .ok),
        ]),
        ("POST /api/v1/requests/{id}/transitions", [
            Probe(label: "act", uri: "/api/v1/requests/{id}/transitions", target: .request, rule: .request, allowed: .badRequest, body: #"{"action":"matrix-probe"}"#, field: "action"),
        ]),
        ("DELETE /api/v1/auth/token", [
            Probe(label: "log out", uri: "/api/v1/auth/token", target: .none, rule: .session, allowed: .noContent, endsSession: true),
        ]),
    ]

    // MARK: - Callers and expected outcomes

    enum Relation: String, Sendable {
        case none, inside, outside, above, missing
        /// For a household session: its own household (its building, district, request) and another.
        case own, other
        /// For an anonymous caller: a record that exists.
        case existing
    }

    enum Who: Sendable, CustomStringConvertible {
        case anonymous, household, user(RoleKind)
        var description: String {
            switch self {
            case .anonymous: "anonymous"
            case .household: "household"
            case .user(let role): role.rawValue
            }
        }
    }

    enum Outcome: Equatable, CustomStringConvertible {
        case allowed
        case denied(HTTPResponse.Status)
        var description: String {
            switch self {
            case .allowed: "allowed"
            case .denied(let status): "denied \(status.code)"
            }
        }
    }

    /// The rule's answer, from the declared tables only.
    static func expected(_ rule: Rule, who: Who, relation: Relation) -> Outcome {
        switch (rule, who) {
        case (.open, _):
            return .allowed
        case (.published, _):
            return relation == .missing ? .denied(.notFound) : .allowed
        case (_, .anonymous):
            return .denied(.unauthorized)
        case (.session, _):
            return .allowed
        case (.householdSession, .household):
            return .allowed
        case (.ownNotice, .household):
            return relation == .own ? .allowed : .denied(.notFound)
        case (.ownNotice, .user):
            return relation == .missing ? .denied(.notFound) : .denied(.forbidden)
        case (.householdSession, .user):
            return .denied(.forbidden)
        case (.sharedDown(_, let households), .household):
            guard households else { return .denied(.forbidden) }
            return relation == .own ? .allowed : .denied(.notFound)
        case (.sharedDown(let capability, _), .user(let role)):
            let granted = capability.map { roles[role]?.capabilities.contains($0) == true } ?? true
            switch relation {
            case .inside: return granted ? .allowed : .denied(.forbidden)
            case .above: return capability == nil ? .allowed : .denied(.forbidden)
            default: return .denied(.notFound)
            }
        case (.request, .household), (.ownRequestOrCapability, .household):
            return relation == .own ? .allowed : .denied(.notFound)
        case (.ownRequestOrCapability(let capability), .user):
            return expected(.capability(capability, wayDown: false), who: who, relation: relation)
        case (.fileRequest, .household):
            return .allowed
        case (_, .household):
            return .denied(.forbidden)
        case (.anyUser, .user):
            return .allowed
        case (.adminRole, .user(let role)):
            return role == .admin ? .allowed : .denied(.forbidden)
        case (.capability(let capability, let wayDown), .user(let role)):
            let granted = roles[role]?.capabilities.contains(capability) == true
            switch relation {
            case .inside: return granted ? .allowed : .denied(.forbidden)
            case .above where wayDown: return granted ? .allowed : .denied(.forbidden)
            default: return .denied(.notFound)
            }
        case (.request, .user), (.fileRequest, .user):
            return relation == .inside ? .allowed : .denied(.notFound)
        }
    }

    struct Aim: Sendable {
        var relation: Relation
        var id: Int64
        init(_ relation: Relation, _ id: Int64) { (self.relation, self.id) = (relation, id) }
        init(_ relation: Relation, _ id: some IntegerIdentifier) { (self.relation, self.id) = (relation, id.rawValue) }
    }

    struct Caller: Sendable {
        var who: Who
        var token: String?
        var targets: [Target: [Aim]]
    }

    struct StoredResident: Sendable {
        var phone: String?
        var health: String?
        var disability: String?
    }

    /// An id no record has.
    static let missing: Int64 = 987_654_321

    // MARK: - Tests

    @Test("every JSON API route is in the access matrix")
    func everyAPIRouteIsInTheMatrix() async throws {
        try await withTestStore(.sqlite) { store in
            let router = buildRouter(services: TestApp.services(store: store))
            let routed = Set(router.routes.map { "\($0.method) \($0.path)" }.filter { $0.split(separator: " ", maxSplits: 1).last?.hasPrefix("/api/") == true })
            let listed = Self.matrix.map(\.route)
            #expect(Set(listed).count == listed.count, "a route is listed twice")
            #expect(routed.subtracting(listed).isEmpty, "API routes without an access rule in AccessMatrixTests.matrix: \(routed.subtracting(listed).sorted())")
            #expect(Set(listed).subtracting(routed).isEmpty, "routes in AccessMatrixTests.matrix that the router no longer has: \(Set(listed).subtracting(routed).sorted())")
            #expect(Self.matrix.allSatisfy { !$0.probes.isEmpty })
            // "Allowed" must look different from every denial.
            for probe in Self.matrix.flatMap(\.probes) {
                #expect(![.unauthorized, .forbidden, .notFound].contains(probe.allowed), "\(probe.label): an allowed answer must not be 401/403/404")
            }
        }
    }

    @Test("the spec table is the README's, and AccessPolicy still says the same")
    func specMatchesPolicy() {
        #expect(Set(Self.roles.keys) == Set(RoleKind.allCases), "every role needs a row in AccessMatrixTests.roles")
        for role in RoleKind.allCases {
            #expect(Self.roles[role]?.capabilities == role.capabilities, "\(role): AccessPolicy grants \(role.capabilities.map(\.rawValue).sorted()), the README table says \(Self.roles[role]?.capabilities.map(\.rawValue).sorted() ?? [])")
        }
    }

    @Test("every caller × every API route × inside, outside, above and missing targets answers as the tables say; sensitive fields and their audit follow the role", arguments: TestEngine.available)
    func accessMatrix(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let world = try await World.build(app, client: client)
            // A household files for itself, whatever household the body names.
            let household = try #require(world.callers.first { if case .household = $0.who { true } else { false } })
            let filed = try await client.json("/api/v1/requests", method: .post, token: household.token, body: #"{"household_id":\#(world.inside),"category":"transport","description":"矩阵测试：去医院"}"#)
            #expect(filed.status == .created, "a household's own filing answered \(filed.status)")
            #expect(try filed.jsonObject()["household_id"] as? Int == Int(world.ownHousehold.rawValue), "a household session filed for another household")
            var cases = 0
            for caller in world.callers {
                // Logging out last: it ends the session the other probes use.
                let ordered = Self.matrix.filter { !$0.probes.contains(where: \.endsSession) } + Self.matrix.filter { $0.probes.contains(where: \.endsSession) }
                for (route, probes) in ordered {
                    let method = HTTPRequest.Method(String(route.split(separator: " ")[0]))!
                    for probe in probes {
                        for aim in caller.targets[probe.target] ?? [] {
                            cases += 1
                            try await Self.run(probe, route: route, method: method, caller: caller, relation: aim.relation, id: aim.id, world: world, app: app, client: client)
                        }
                    }
                }
                // Logging out ended the session.
                if let token = caller.token {
                    #expect(try await client.json("/api/v1/me", token: token).status == .unauthorized, "\(caller.who): the token still works after DELETE /api/v1/auth/token")
                }
            }
            print("AccessMatrix[\(engine)]: \(cases) cases, \(world.callers.count) callers, \(Self.matrix.count) routes")
            #expect(cases > 500)
        }
    }

    static func run(_ probe: Probe, route: String, method: HTTPRequest.Method, caller: Caller, relation: Relation, id: Int64, world: World, app: TestApp, client: some TestClientProtocol) async throws {
        let uri = probe.uri.replacingOccurrences(of: "{id}", with: "\(id)")
        let body = probe.body?.replacingOccurrences(of: "{id}", with: "\(id)")
        let expected = Self.expected(probe.rule, who: caller.who, relation: relation)
        let auditBefore = try await world.sensitiveReads()
        let response = try await client.json(uri, method: method, token: caller.token, body: body)
        let answered: Outcome = response.status == probe.allowed ? .allowed : .denied(response.status)
        let label = "\(caller.who) \(relation.rawValue) \(method) \(uri) [\(probe.label)]: expected \(expected), got \(response.status.code) \(response.text.prefix(160))"

        #expect(answered == expected, Comment(rawValue: label))
        guard answered == expected, expected == .allowed else {
            // A refusal reads nothing sensitive.
            #expect(try await world.sensitiveReads() == auditBefore, Comment(rawValue: "a refused call left a sensitive read in the audit log: \(label)"))
            return
        }
        if let field = probe.field {
            let error = try response.jsonObject()["error"] as? [String: Any]
            #expect(error?["field"] as? String == field, Comment(rawValue: "the invalid body was refused for another reason: \(label)"))
        }
        try await world.checkContent(of: response, route: route, probe: probe, who: caller.who, relation: relation, id: id, auditBefore: auditBefore, label: label)
    }

    // MARK: - The world: places, targets, sessions

    /// The compound demo plus three sibling branches created here, so that committee, sub-district
    /// and district roles have an "outside" too (the compound demo has one committee, one
    /// sub-district and one district). Only the admin (at the city) has no outside.
    struct World: Sendable {
        var app: TestApp
        var callers: [Caller]
        /// The one household every role reaches as "inside" (the first of the first building),
        /// given residents with known phones and notes.
        var inside: PlaceID
        /// The household-code session's household (the second of the first building).
        var ownHousehold: PlaceID
        /// Residents by id: phone, health note, disability note, for the households checked.
        var residents: [Int64: StoredResident]

        static let healthMarker = "矩阵测试：每周透析"
        static let disabilityMarker = "矩阵测试：轮椅"
        static let insidePhone = "13911112222"

        func sensitiveReads() async throws -> Int {
            try await app.store.read { db in try await AuditRecords.entries(action: "resident.read_sensitive", limit: 1_000_000, on: db).count }
        }

        func sensitiveResidents(of household: PlaceID) async throws -> Int {
            try await app.store.read { db in
                try await db.raw("SELECT COUNT(*) AS n FROM residents WHERE household_id = \(bind: household) AND (health_note IS NOT NULL OR disability_note IS NOT NULL)")
                    .first().map { try $0.decode(column: "n", as: Int.self) } ?? 0
            }
        }

        static func build(_ app: TestApp, client: some TestClientProtocol) async throws -> World {
            let store = app.store
            func place(_ id: PlaceID) async throws -> Place {
                try #require(try await store.read { db in try await DirectoryRecords.place(id: id, on: db) }, "no place \(id)")
            }
            func children(_ id: PlaceID) async throws -> [Place] {
                try await store.read { db in try await DirectoryRecords.children(of: id, on: db) }.map(\.place)
            }
            /// Down the first child to the first building under a place.
            func firstBuilding(under id: PlaceID) async throws -> Place {
                var current = try await place(id)
                while current.level != .building {
                    current = try #require(try await children(current.id).first, "\(current.name) has no children")
                }
                return current
            }

            // The demo accounts and their places, checked against the declared levels.
            var accounts: [RoleKind: DemoAccount] = [:]
            for role in RoleKind.allCases {
                let account = try app.account(role)
                let at = try await place(account.placeID)
                #expect(at.level == roles[role]?.level, "demo \(role) is at a \(at.level), the spec says \(String(describing: roles[role]?.level))")
                accounts[role] = account
            }
            let city = try await place(try #require(accounts[.admin]).placeID)
            let district = try await place(try #require(accounts[.districtStaff]).placeID)
            let subdistrict = try await place(try #require(accounts[.subdistrictStaff]).placeID)
            let committee = try await place(try #require(accounts[.committeeStaff]).placeID)
            let compound = try await place(try #require(accounts[.compoundLead]).placeID)
            let building = try await place(try #require(accounts[.buildingLeader]).placeID)
            let otherBuilding = try await place(try app.account(.buildingLeader, index: 1).placeID)
            let otherCompound = try #require(try await children(committee.id).first { $0.id != compound.id && $0.level == .compound }, "the demo committee has one compound only")
            let insideHousehold = try #require(try await children(building.id).first).id
            let ownHousehold = try #require(app.demo.households.dropFirst().first).id
            #expect(insideHousehold == app.demo.households.first?.id && ownHousehold != insideHousehold)

            // Sibling branches down to a household each, and known residents in the two first
            // households of the first building.
            let created = try await Self.addBranches(app, siblings: [(committee.level, subdistrict), (subdistrict.level, district), (district.level, city)], residentsFor: [insideHousehold, ownHousehold])
            let otherBuildingHousehold = try #require(try await children(otherBuilding.id).first).id
            let otherCompoundBuilding = try await firstBuilding(under: otherCompound.id).id
            let otherCompoundHousehold = try #require(try await children(otherCompoundBuilding).first).id
            var siblings = created
            siblings[.building] = (otherBuilding.id, otherBuilding.id, otherBuildingHousehold)
            siblings[.compound] = (otherCompound.id, otherCompoundBuilding, otherCompoundHousehold)

            // One request in each household the callers aim at, filed by the admin.
            let admin = try await client.token(phone: try #require(accounts[.admin]).phone)
            var requests: [PlaceID: HelpRequestID] = [:]
            for household in [insideHousehold, ownHousehold] + siblings.values.map(\.household) where requests[household] == nil {
                let filed = try await client.json("/api/v1/requests", method: .post, token: admin, body: #"{"household_id":\#(household),"category":"food","description":"矩阵测试：买米"}"#)
                try #require(filed.status == .created, "filing for \(household) answered \(filed.status): \(filed.text)")
                requests[household] = HelpRequestID(try #require(try filed.jsonObject()["id"] as? Int).int64)
            }

            // Anonymous: an existing record of each kind, and a missing one.
            let insideRequest = try #require(requests[insideHousehold])
            var callers: [Caller] = [Caller(who: .anonymous, token: nil, targets: [
                .none: [Aim(.none, 0)],
                .place: [Aim(.existing, building.id), Aim(.missing, missing)],
                .household: [Aim(.existing, insideHousehold), Aim(.missing, missing)],
                .fileRequest: [Aim(.existing, insideHousehold), Aim(.missing, missing)],
                .request: [Aim(.existing, insideRequest), Aim(.missing, missing)],
                .district: [Aim(.existing, district.id), Aim(.missing, missing)],
            ])]

            // A household-code session: its own household against a neighbour's.
            let code = try #require(app.demo.households.first { $0.id == ownHousehold }).code
            let opened = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(ownHousehold),"code":"\#(code)"}"#)
            try #require(opened.status == .created, "household session answered \(opened.status)")
            let otherDistrict = try #require(created[.district]).top
            let householdToken = try #require(try opened.jsonObject()["token"] as? String)
            let ownRequest = try #require(requests[ownHousehold])
            callers.append(Caller(who: .household, token: householdToken, targets: [
                .none: [Aim(.none, 0)],
                .place: [Aim(.own, building.id), Aim(.other, otherBuilding.id), Aim(.missing, missing)],
                .household: [Aim(.own, ownHousehold), Aim(.other, insideHousehold), Aim(.missing, missing)],
                .fileRequest: [Aim(.own, ownHousehold), Aim(.other, insideHousehold), Aim(.missing, missing)],
                .request: [Aim(.own, ownRequest), Aim(.other, insideRequest), Aim(.missing, missing)],
                .district: [Aim(.own, district.id), Aim(.other, otherDistrict), Aim(.missing, missing)],
            ]))

            // Every role, logged in once.
            #expect(RoleKind.allCases.count + 1 < AbuseLimits().perAddress.free, "the matrix logs in more accounts than one IP may try")
            for role in RoleKind.allCases {
                let spec = try #require(roles[role])
                let account = try #require(accounts[role])
                let token: String
                if role == .admin { token = admin } else { token = try await client.token(phone: account.phone) }
                let own = try await place(account.placeID)
                let insideBuilding = try await firstBuilding(under: own.id)
                var places = [Aim(.inside, insideBuilding.id)]
                var households = [Aim(.inside, insideHousehold)]
                var requestTargets = [Aim(.inside, insideRequest)]
                if let outsideLevel = spec.outside {
                    let sibling = try #require(siblings[outsideLevel])
                    places.append(Aim(.outside, sibling.building))
                    households.append(Aim(.outside, sibling.household))
                    requestTargets.append(Aim(.outside, try #require(requests[sibling.household])))
                }
                // else: the admin holds the city, so every place is inside; there is no outside.
                if let parent = own.parentID { places.append(Aim(.above, parent)) }
                // The district itself is inside for roles at or above it, and above everyone else's place.
                let districts = role == .admin
                    ? [Aim(.inside, district.id), Aim(.inside, otherDistrict)]
                    : [Aim(spec.level == .district ? .inside : .above, district.id), Aim(.outside, otherDistrict)]
                callers.append(Caller(who: .user(role), token: token, targets: [
                    .none: [Aim(.none, 0)],
                    .place: places + [Aim(.missing, missing)],
                    .household: households + [Aim(.missing, missing)],
                    .fileRequest: households + [Aim(.missing, missing)],
                    .request: requestTargets + [Aim(.missing, missing)],
                    .district: districts + [Aim(.missing, missing)],
                ]))
            }

            callers = try await AccessMatrixTests.addCareEntryTargets(to: callers, store: store)

            callers = try await AccessMatrixTests.addSurveyCampaigns(to: callers, app: app)
            callers = try await AccessMatrixTests.addMedicineTeams(to: callers, app: app)
            callers = try await AccessMatrixTests.addMedicineRequests(to: callers, app: app)
            callers = try await AccessMatrixTests.addGroupBuys(to: callers, app: app)
            callers = try await AccessMatrixTests.addRumours(to: callers, app: app)
            callers = try await AccessMatrixTests.addInformation(to: callers, app: app)
            let residents = try await store.read { db in
                var table: [Int64: StoredResident] = [:]
                for row in try await db.raw("SELECT id, phone, health_note, disability_note FROM residents WHERE household_id IN (\(bind: insideHousehold), \(bind: ownHousehold))").all() {
                    table[try row.decode(column: "id", as: Int64.self)] = StoredResident(
                        phone: try row.decode(column: "phone", as: String?.self), health: try row.decode(column: "health_note", as: String?.self), disability: try row.decode(column: "disability_note", as: String?.self)
                    )
                }
                return table
            }
            return World(app: app, callers: callers, inside: insideHousehold, ownHousehold: ownHousehold, residents: residents)
        }

        /// Creates, for each (level, parent), a new place of that level under the parent with a
        /// chain down to one household of two residents (one with a health note, one with a
        /// disability note), and adds two such residents to each of `residentsFor`.
        static func addBranches(_ app: TestApp, siblings: [(level: PlaceLevel, parent: Place)], residentsFor households: [PlaceID]) async throws -> [PlaceLevel: (top: PlaceID, building: PlaceID, household: PlaceID)] {
            let store = app.store
            let (maxPlace, maxResident) = try await store.read { db in
                (try await db.raw("SELECT MAX(id) AS m FROM places").first().map { try $0.decode(column: "m", as: Int64.self) } ?? 0,
                 try await db.raw("SELECT MAX(id) AS m FROM residents").first().map { try $0.decode(column: "m", as: Int64.self) } ?? 0)
            }
            var nextPlace = maxPlace
            var nextResident = maxResident
            var places: [Place] = []
            var rows: [Household] = []
            var residents: [Resident] = []
            var created: [PlaceLevel: (top: PlaceID, building: PlaceID, household: PlaceID)] = [:]

            func addResidents(household: PlaceID, path: PlacePath, districtID: PlaceID?) {
                nextResident += 1
                residents.append(Resident(id: ResidentID(nextResident), householdID: household, name: "矩阵甲", phone: nextResident == maxResident + 1 ? insidePhone : "1390000\(String(format: "%04d", nextResident % 10_000))", birthYear: 1950, gender: .female, healthNote: healthMarker, path: path, districtID: districtID))
                nextResident += 1
                residents.append(Resident(id: ResidentID(nextResident), householdID: household, name: "矩阵乙", phone: "1390001\(String(format: "%04d", nextResident % 10_000))", birthYear: 1948, gender: .male, disabilityNote: disabilityMarker, path: path, districtID: districtID))
            }

            for household in households {
                let existing = try #require(try await store.read { db in try await DirectoryRecords.place(id: household, on: db) })
                addResidents(household: household, path: existing.path, districtID: existing.districtID)
            }
            for (level, parent) in siblings {
                var current = parent
                var top: PlaceID?
                var building: PlaceID?
                var levelNow: PlaceLevel? = level
                while let here = levelNow {
                    nextPlace += 1
                    let path = PlacePath(parent: current.path, id: PlaceID(nextPlace))
                    let districtID = here == .district ? PlaceID(nextPlace) : current.districtID
                    let name = here == .household ? "101" : "矩阵\(here.rawValue)\(nextPlace)"
                    let place = Place(id: PlaceID(nextPlace), parentID: current.id, level: here, name: name, path: path, districtID: districtID)
                    places.append(place)
                    top = top ?? place.id
                    if here == .building { building = place.id }
                    if here == .household {
                        rows.append(Household(id: place.id, buildingID: current.id, room: name, path: path, districtID: districtID))
                        addResidents(household: place.id, path: path, districtID: districtID)
                        created[level] = (try #require(top), try #require(building), place.id)
                    }
                    current = place
                    levelNow = here.child
                }
            }
            let (newPlaces, newHouseholds, newResidents) = (places, rows, residents)
            let engine = store.engine
            try await store.write { db in
                try await DirectoryRecords.insert(places: newPlaces, on: db)
                try await DirectoryRecords.insert(households: newHouseholds, on: db)
                try await DirectoryRecords.insert(residents: newResidents, on: db)
                try await DirectoryRecords.resetIdentitySequences(engine: engine, on: db)
            }
            return created
        }

        // MARK: What an allowed answer may contain

        func checkContent(of response: TestResponse, route: String, probe: Probe, who: Who, relation: Relation, id: Int64, auditBefore: Int, label: String) async throws {
            let spec: RoleSpec? = if case .user(let role) = who { roles[role] } else { nil }
            let auditAfter = try await sensitiveReads()
            switch route {
            case "GET /api/v1/households/{id}", "GET /api/v1/household":
                // Declared: notes for view_sensitive (never for a household session), full phones for view_full_phone.
                let sensitive = spec?.capabilities.contains(.viewSensitive) == true
                let fullPhone = spec?.capabilities.contains(.viewFullPhone) == true
                let object = try response.jsonObject()
                #expect(object["sensitive_visible"] as? Bool == sensitive, Comment(rawValue: label))
                let shown = try #require(object["residents"] as? [[String: Any]], Comment(rawValue: label))
                #expect(!shown.isEmpty)
                for resident in shown {
                    let residentID = try #require((resident["id"] as? Int).map(Int64.init))
                    let stored = try #require(residents[residentID], "resident \(residentID) not among the checked households")
                    if sensitive {
                        #expect(resident["health_note"] as? String == stored.health, Comment(rawValue: "health note of \(residentID): \(label)"))
                        #expect(resident["disability_note"] as? String == stored.disability, Comment(rawValue: "disability note of \(residentID): \(label)"))
                    } else {
                        #expect(resident["health_note"] == nil || resident["health_note"] is NSNull, Comment(rawValue: "health note shown to \(who): \(label)"))
                        #expect(resident["disability_note"] == nil || resident["disability_note"] is NSNull, Comment(rawValue: "disability note shown to \(who): \(label)"))
                    }
                    if let phone = stored.phone {
                        let answered = try #require(resident["phone"] as? String)
                        #expect((resident["phone_masked"] as? Bool) == !fullPhone, Comment(rawValue: label))
                        if fullPhone {
                            #expect(answered == phone, Comment(rawValue: "phone of \(residentID) not in full: \(label)"))
                        } else {
                            #expect(answered != phone && answered.contains("****"), Comment(rawValue: "phone of \(residentID) not masked: \(label)"))
                        }
                    }
                }
                if !sensitive {
                    #expect(!response.text.contains(Self.healthMarker) && !response.text.contains(Self.disabilityMarker), Comment(rawValue: label))
                }
                if !fullPhone { #expect(!response.text.contains(Self.insidePhone), Comment(rawValue: label)) }
                // Each sensitive read leaves one audit entry per resident with a note, and only then.
                let expectedReads = sensitive ? try await sensitiveResidents(of: PlaceID(id)) : 0
                #expect(auditAfter - auditBefore == expectedReads, Comment(rawValue: "audit grew by \(auditAfter - auditBefore), expected \(expectedReads): \(label)"))
            case "GET /api/v1/households":
                let list = try #require(try response.jsonObject()["households"] as? [[String: Any]])
                #expect(list.compactMap { $0["contact_phone"] as? String }.allSatisfy { $0.contains("****") }, Comment(rawValue: "a list shows a full phone: \(label)"))
                #expect(auditAfter == auditBefore)
            case "GET /api/v1/volunteers":
                let list = try #require(try response.jsonObject()["volunteers"] as? [[String: Any]])
                #expect(list.compactMap { $0["phone"] as? String }.allSatisfy { $0.contains("****") }, Comment(rawValue: "a list shows a full phone: \(label)"))
            case "GET /api/v1/places/{id}/register":
                // The export of the inside building holds the known residents of the inside household.
                let unmasked = probe.uri.contains("unmasked=true")
                let mayReadNotes = unmasked && spec?.capabilities.contains(.viewSensitive) == true
                #expect(response.text.contains(Self.insidePhone) == unmasked, Comment(rawValue: "full phone in the export: \(label)"))
                #expect(response.text.contains(Self.healthMarker) == mayReadNotes, Comment(rawValue: "health note in the export: \(label)"))
                #expect(response.text.contains(Self.disabilityMarker) == mayReadNotes, Comment(rawValue: "disability note in the export: \(label)"))
                if unmasked {
                    let entries = try await app.store.read { db in try await AuditRecords.entries(action: "register.export_unmasked", limit: 1, on: db) }
                    #expect(entries.first?.entityID == "\(id)", Comment(rawValue: "an unmasked export was not audited: \(label)"))
                }
            default:
                #expect(auditAfter == auditBefore, Comment(rawValue: "a call that reads no notes left a sensitive read: \(label)"))
            }
        }
    }
}

private extension Int {
    var int64: Int64 { Int64(self) }
}
