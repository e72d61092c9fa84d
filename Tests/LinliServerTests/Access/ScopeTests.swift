import Foundation
import HTTPTypes
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import Testing

@Suite("Who sees which household")
struct ScopeTests {
    /// Every route that takes a household (or any place) id, with how to call it. A new route of
    /// that shape must be added here, or `everyHouseholdRouteIsChecked` fails.
    static let householdRoutes: [(method: HTTPRequest.Method, path: String, api: Bool)] = [
        (.get, "/api/v1/households/{id}", true),
        (.post, "/api/v1/households/{id}/code", true),
        (.get, "/api/v1/places/{id}", true),
        (.get, "/api/v1/places/{id}/register", true),
        (.post, "/api/v1/places/{id}/register", true),
        (.post, "/api/v1/places/{id}/household-codes", true),
        (.post, "/api/v1/places/{id}/webhooks", true),
        (.get, "/api/v1/places/{id}/request-policy", true),
        (.put, "/api/v1/places/{id}/request-policy", true),
        (.get, "/api/v1/requests/{id}", true),
        (.post, "/api/v1/requests/{id}/transitions", true),
        (.get, "/places/{id}/chain-list", false),
        (.post, "/places/{id}/chain-list", false),
        (.get, "/requests/{id}", false),
        (.post, "/requests/{id}/act", false),
        (.get, "/households/{id}", false),
        (.get, "/households/{id}/code", false),
        (.post, "/households/{id}/code", false),
        (.get, "/places/{id}", false),
        (.get, "/places/{id}/register", false),
        (.post, "/places/{id}/register", false),
        (.get, "/places/{id}/register/download", false),
        (.get, "/places/{id}/codes", false),
        (.post, "/places/{id}/codes", false),
        // Supplies: a household's id names no batch or shelf item the leader may see, no place
        // with public figures (buildings and households have none), no pool the leader holds.
        (.get, "/api/v1/supplies/batches/{id}", true),
        (.post, "/api/v1/supplies/batches/{id}/handouts", true),
        (.post, "/api/v1/supplies/batches/{id}/write-offs", true),
        (.get, "/api/v1/supplies/places/{id}/transparency", true),
        (.get, "/api/v1/supplies/places/{id}/pool", true),
        (.post, "/api/v1/supplies/shelf/{id}/take", true),
        (.get, "/api/v1/households/{id}/supplies", true),
        (.get, "/supplies/batches/{id}", false),
        (.post, "/supplies/batches/{id}/handouts", false),
        (.get, "/supplies/places/{id}", false),
        (.get, "/supplies/places/{id}/shelf", false),
        (.post, "/supplies/places/{id}/shelf", false),
        (.post, "/supplies/shelf/{id}/take", false),
        // Care register entries: an id that is no entry in the leader's places answers 404 too.
        (.get, "/api/v1/care/entries/{id}", true),
        (.put, "/api/v1/care/entries/{id}", true),
        (.post, "/api/v1/care/entries/{id}/contacts", true),
        (.get, "/care/register/{id}", false),
        (.get, "/care/register/{id}/edit", false),
        (.post, "/care/register/{id}/edit", false),
        (.post, "/care/register/{id}/contact", false),
        (.get, "/care/register/{id}/plan", false),
        (.post, "/care/register/{id}/plan", false),
        // Survey campaigns: a household's id names no campaign the leader may see.
        (.get, "/api/v1/care/surveys/{id}", true),
        (.get, "/api/v1/care/surveys/{id}/visits", true),
        (.post, "/api/v1/care/surveys/{id}/visits", true),
        (.post, "/api/v1/care/surveys/{id}/close", true),
        (.get, "/care/surveys/{id}", false),
        (.post, "/care/surveys/{id}/close", false),
        (.get, "/care/surveys/{id}/buildings/{building}", false),
        (.get, "/care/surveys/{id}/households/{household}", false),
        (.post, "/care/surveys/{id}/households/{household}", false),
        // Care: ids of helpers (volunteers) and check-ins, which a building leader may not change either.
        (.post, "/api/v1/care/helpers/{id}/availability", true),
        (.post, "/api/v1/care/checkins/{id}/done", true),
        (.get, "/care/helpers/{id}", false),
        (.post, "/care/helpers/{id}/availability", false),
        (.post, "/care/checkins/{id}/done", false),
        // Medicine: ids of teams and batches, which a building leader may not see.
        (.post, "/api/v1/medicine/teams/{id}/batches", true),
        (.get, "/api/v1/medicine/batches/{id}", true),
        (.get, "/medicine/batches/{id}/list", false),
        (.get, "/medicine/batches/{id}/labels", false),
        (.get, "/medicine/batches/{id}/list.csv", false),
        (.get, "/medicine/batches/{id}/list.xlsx", false),
        (.get, "/medicine/batches/{id}/run", false),
        (.get, "/medicine/batches/{id}/run/{request}", false),
        (.post, "/medicine/batches/{id}/run/card", false),
        (.post, "/medicine/batches/{id}/run/cards/{card}", false),
        (.post, "/medicine/batches/{id}/close", false),
        (.post, "/medicine/batches/{id}/runners", false),
        (.post, "/medicine/teams/{id}/cutoff", false),
        (.post, "/medicine/items/{id}/outcome", false),
        (.get, "/requests/{id}/medicine", false),
        (.post, "/requests/{id}/medicine/items/{item}/photo", false),
        (.get, "/medicine/items/{id}/box-photo", false),
        (.get, "/api/v1/medicine/items/{id}/box-photo", true),
        (.put, "/api/v1/medicine/items/{id}/box-photo", true),
        (.post, "/requests/{id}/medicine", false),
        (.post, "/requests/{id}/medicine/verify", false),
        (.post, "/requests/{id}/medicine/money", false),
        (.put, "/api/v1/medicine/teams/{id}/cutoff", true),
        (.put, "/api/v1/medicine/batches/{id}/runners", true),
        (.post, "/api/v1/medicine/batches/{id}/close", true),
        (.post, "/api/v1/medicine/items/{id}/outcome", true),
        // A medicine request's part: request ids, which the leader may see only for the
        // households under their building.
        (.put, "/api/v1/requests/{id}/medicine", true),
        (.get, "/api/v1/requests/{id}/medicine", true),
        (.post, "/api/v1/requests/{id}/medicine/verification", true),
        (.put, "/api/v1/requests/{id}/medicine/money", true),
        // Medicine cards: a household's id names no card the leader may see.
        (.get, "/api/v1/medicine/cards/{id}", true),
        (.get, "/api/v1/medicine/cards/{id}/number", true),
        (.post, "/api/v1/medicine/cards/{id}/custody", true),
        (.get, "/api/v1/households/{id}/cards", true),
        (.post, "/api/v1/suppliers/{id}/approval", true),
        (.put, "/api/v1/suppliers/{id}/driver-test", true),
        (.get, "/api/v1/group-buys/{id}", true),
        (.put, "/api/v1/group-buys/{id}/items", true),
        (.post, "/api/v1/group-buys/{id}/state", true),
        (.post, "/api/v1/group-buys/{id}/join", true),
        (.put, "/api/v1/group-buys/{id}/orders", true),
        (.get, "/api/v1/group-buys/{id}/orders", true),
        (.post, "/api/v1/group-buys/{id}/chain-list", true),
        (.post, "/api/v1/group-buys/{id}/sheet", true),
        (.get, "/api/v1/group-buys/{id}/unmatched", true),
        (.post, "/api/v1/group-buys/{id}/unmatched/{line}", true),
        (.post, "/api/v1/group-buys/{id}/arrival", true),
        (.post, "/api/v1/group-buys/{id}/deliveries", true),
        (.post, "/api/v1/group-buy-orders/{id}/problem", true),
        // Rumours, their reports and corrections, chat groups: an id that is none of the leader's.
        (.get, "/api/v1/rumours/{id}", true),
        (.post, "/api/v1/rumours/{id}/status", true),
        (.post, "/api/v1/rumours/{id}/evidence", true),
        (.post, "/api/v1/rumours/{id}/escalation", true),
        (.post, "/api/v1/rumours/{id}/corrections", true),
        (.post, "/api/v1/rumours/reports/{id}/match", true),
        (.put, "/api/v1/rumours/reports/{id}/image", true),
        (.get, "/api/v1/rumours/reports/{id}/image", true),
        (.post, "/api/v1/corrections/{id}/status", true),
        (.put, "/api/v1/chat-groups/{id}", true),
        (.get, "/rumours/{id}", false),
        (.post, "/rumours/{id}/step", false),
        (.post, "/corrections/{id}/step", false),
        (.get, "/corrections/{id}", false),
        (.get, "/group-buys/{id}", false),
        (.post, "/group-buys/{id}/order", false),
        (.post, "/group-buys/{id}/state", false),
        (.post, "/group-buys/{id}/chain-list", false),
        (.post, "/group-buys/{id}/sheet", false),
        (.post, "/group-buys/{id}/lines/{line}/dismiss", false),
        (.get, "/group-buys/{id}/supplier-sheet", false),
        (.get, "/group-buys/{id}/buildings/{building}", false),
        (.post, "/group-buys/{id}/deliveries", false),
        (.get, "/group-buys/{id}/slips", false),
        (.post, "/api/v1/supplies/batches/{id}/handouts/bulk", true),
        (.post, "/supplies/batches/{id}/buildings/{building}/handouts", false),
        (.post, "/suppliers/{id}/approval", false),
        (.post, "/suppliers/{id}/driver-test", false),
        // Answers and notices: a household's id names no answer or notice the leader may see.
        (.get, "/api/v1/answers/{id}", true),
        (.put, "/api/v1/answers/{id}", true),
        (.post, "/api/v1/answers/{id}/publish", true),
        (.post, "/api/v1/answers/{id}/retire", true),
        (.post, "/api/v1/notices/{id}/read", true),
        (.get, "/api/v1/notices/{id}/unread", true),
        (.get, "/answers/{id}", false),
        (.get, "/notices/{id}", false),
        (.post, "/notices/{id}/read", false),
        (.get, "/api/v1/briefings/{id}", true),
        (.put, "/api/v1/briefings/{id}", true),
        (.post, "/api/v1/briefings/{id}/publish", true),
        (.get, "/briefings/{id}", false),
        (.get, "/briefings/{id}/charts/{chart}", false),
        (.post, "/briefings/{id}/step", false),
    ]

    @Test("every route that takes a place or household id is in the scope table")
    func everyHouseholdRouteIsChecked() async throws {
        try await withTestStore(.sqlite) { store in
            let router = buildRouter(services: TestApp.services(store: store))
            let routed = Set(router.routes.map { "\($0.method) \($0.path)" }.filter { $0.contains("{id}") })
            let listed = Set(Self.householdRoutes.map { "\($0.method) \($0.path)" })
            #expect(routed == listed)
        }
    }

    @Test("a building leader opens households of their building and gets 404 for any other, via every route", arguments: TestEngine.available)
    func buildingLeaderScope(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let leader = try app.account(.buildingLeader, index: 0)
            let otherBuilding = try app.account(.buildingLeader, index: 1).placeID
            let own = try await app.household(under: leader.placeID)
            let foreign = try await app.household(under: otherBuilding)
            let token = try await client.token(phone: leader.phone)
            var browser = Browser()
            try await browser.logIn(phone: leader.phone, client: client)

            #expect(try await client.json("/api/v1/households/\(own)", token: token).status == .ok)
            let ownPage = try await browser.get("/households/\(own)", client: client)
            #expect(ownPage.status == .ok)
            let csrf = try Browser.csrfToken(in: ownPage)

            for route in Self.householdRoutes {
                let uri = route.path.replacingOccurrences(of: "{id}", with: "\(foreign)")
                let status: HTTPResponse.Status
                if route.api {
                    status = try await client.json(uri, method: route.method, token: token, body: route.method == .post ? "" : nil).status
                } else if route.method == .post {
                    status = try await browser.post(uri, form: ["_csrf": csrf], client: client).status
                } else {
                    status = try await browser.get(uri, client: client).status
                }
                #expect(status == .notFound, "\(route.method) \(uri) answered \(status)")
            }
            // Searching narrows to the leader's building whatever the filters say.
            let search = try await client.json("/api/v1/households?limit=200", token: token)
            let ids = try #require(try search.jsonObject()["households"] as? [[String: Any]]).compactMap { $0["id"] as? Int64 ?? ($0["id"] as? Int).map(Int64.init) }
            #expect(!ids.isEmpty && ids.contains(own.rawValue) && !ids.contains(foreign.rawValue))
            #expect(try await client.json("/api/v1/households?place=\(otherBuilding)", token: token).status == .notFound)
            #expect(try await browser.get("/households?place=\(otherBuilding)", client: client).status == .notFound)
        }
    }

    @Test("a household code opens its own household and nothing else", arguments: TestEngine.available)
    func householdCode(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let first = try #require(app.demo.households.first)
            let second = try #require(app.demo.households.dropFirst().first)
            let opened = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(first.id),"code":"\#(first.code.description.lowercased())"}"#)
            #expect(opened.status == .created)
            let token = try #require(try opened.jsonObject()["token"] as? String)
            let own = try await client.json("/api/v1/household", token: token)
            #expect(own.status == .ok)
            #expect(try own.jsonObject()["id"] as? Int == Int(first.id.rawValue))
            #expect(!own.text.contains("health_note\":\""), "no sensitive notes through a household code")
            for uri in ["/api/v1/households/\(second.id)", "/api/v1/households/\(first.id)", "/api/v1/households", "/api/v1/places/\(first.id)", "/api/v1/volunteers"] {
                let status = try await client.json(uri, token: token).status
                #expect(status == .forbidden, "\(uri) answered \(status)")
            }
            // One household's code does not open another.
            let wrong = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(second.id),"code":"\#(first.code)"}"#)
            #expect(wrong.status == .unauthorized)
        }
    }

    @Test("wrong household codes from one address are answered 429 with Retry-After, even the right code from that address", arguments: TestEngine.available)
    func codeGuessing(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let target = try #require(app.demo.households.first)
            var statuses: [HTTPResponse.Status] = []
            for attempt in 0..<6 {
                let response = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(target.id),"code":"2222-22\#(attempt)2"}"#)
                statuses.append(response.status)
                if response.status == .tooManyRequests { #expect(response.headers[.retryAfter] != nil) }
            }
            #expect(statuses.prefix(5).allSatisfy { $0 == .unauthorized || $0 == .badRequest })
            #expect(statuses.last == .tooManyRequests)
            // The guesser's own address waits, whatever it sends; the owner elsewhere does not
            // (`GuessLimitTests.ownerGetsIn`).
            let right = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(target.id),"code":"\#(target.code)"}"#)
            #expect(right.status == .tooManyRequests)
        }
    }

    @Test("a rotated code locks out the old code and its sessions", arguments: [TestEngine.sqlite])
    func rotation(engine: TestEngine) async throws {
        try await TestApp.run(engine) { app, client in
            let target = try #require(app.demo.households.first)
            let opened = try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(target.id),"code":"\#(target.code)"}"#)
            let householdToken = try #require(try opened.jsonObject()["token"] as? String)
            let staff = try await client.token(phone: try app.account(.committeeStaff).phone)
            let rotated = try await client.json("/api/v1/households/\(target.id)/code", method: .post, token: staff)
            #expect(rotated.status == .created)
            let newCode = try #require(try rotated.jsonObject()["code"] as? String)
            #expect(newCode != target.code.description)
            #expect(try await client.json("/api/v1/household", token: householdToken).status == .unauthorized)
            #expect(try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(target.id),"code":"\#(target.code)"}"#).status == .unauthorized)
            #expect(try await client.json("/api/v1/household-sessions", method: .post, body: #"{"household_id":\#(target.id),"code":"\#(newCode)"}"#).status == .created)
            // A building leader may not rotate codes.
            let leader = try await client.token(phone: try app.account(.buildingLeader).phone)
            #expect(try await client.json("/api/v1/households/\(target.id)/code", method: .post, token: leader).status == .forbidden)
        }
    }
}
