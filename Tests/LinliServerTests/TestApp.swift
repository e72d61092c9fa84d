import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import LinliCore
import LinliServer
import LinliStore
import LinliTestSupport
import NIOCore
import Testing

/// The compound-scale demo data in a fresh database, and Linli built around it, driven in-process.
struct TestApp {
    let store: Store
    let services: AppServices
    let demo: DemoSeeder.Outcome

    /// Cheap bcrypt: these tests are about access, not about hashing cost.
    static let passwords = Passwords(cost: 4)
    /// The key the test apps store household codes under; a real server reads it from a file.
    static let householdCodeKey = HouseholdCodeKey.random()

    /// `trustedProxies` with `.live`: requests come from 127.0.0.1, so trusting it lets a test
    /// send from any address it names in X-Forwarded-For.
    static func run(
        _ engine: TestEngine, now: @escaping @Sendable () -> Date = { Date() }, pacing: DeliveryPacing = .standard,
        trustedProxies: TrustedProxies = .none, testing: TestingSetup = .router,
        webhookNetworks: WebhookNetworkPolicy = WebhookNetworkPolicy(), metricsToken: String? = nil,
        _ body: @escaping @Sendable (TestApp, any TestClientProtocol) async throws -> Void
    ) async throws {
        try await withTestStore(engine) { store in
            // Without the demo's two weeks of requests: these tests file, count and escalate their
            // own, on a clock they move (DemoHistorySeedingTests covers the history).
            let demo = try await DemoSeeder.seed(store: store, householdCodeKey: householdCodeKey, scale: .compound, history: false, passwords: passwords)
            let services = services(store: store, now: now, pacing: pacing, trustedProxies: trustedProxies, webhookNetworks: webhookNetworks, metricsToken: metricsToken)
            let app = buildApplication(ServerConfiguration(port: 0), services: services, runJobs: false)
            let testApp = TestApp(store: store, services: services, demo: demo)
            try await app.test(testing) { client in try await body(testApp, client) }
        }
    }

    /// A node's services on `store` as the test apps build them: another node, or the same one
    /// after a restart, is another call.
    static func services(
        store: Store, now: @escaping @Sendable () -> Date = { Date() }, pacing: DeliveryPacing = .standard, trustedProxies: TrustedProxies = .none,
        webhookNetworks: WebhookNetworkPolicy = WebhookNetworkPolicy(), metricsToken: String? = nil
    ) -> AppServices {
        AppServices(
            store: store, householdCodeKey: householdCodeKey, now: now, passwords: passwords, trustedProxies: trustedProxies, deliveryPacing: pacing,
            webhookNetworks: webhookNetworks, metricsToken: metricsToken
        )
    }

    func account(_ role: RoleKind, index: Int = 0) throws -> DemoAccount {
        let matching = demo.generator.accounts.filter { $0.role == role }
        return try #require(index < matching.count ? matching[index] : nil, "no demo account \(role) #\(index)")
    }

    /// The first household (id order) under a place.
    func household(under placeID: PlaceID, index: Int = 0) async throws -> PlaceID {
        let children = try await store.read { db in try await DirectoryRecords.children(of: placeID, on: db) }
        return try #require(index < children.count ? children[index].place.id : nil)
    }
}

extension TestClientProtocol {
    /// `from`: the client address a trusted proxy reports (X-Forwarded-For).
    func json(_ uri: String, method: HTTPRequest.Method = .get, token: String? = nil, body: String? = nil, language: String? = nil, from address: String? = nil) async throws -> TestResponse {
        var headers: HTTPFields = [:]
        if let address, let name = HTTPField.Name("X-Forwarded-For") { headers[name] = address }
        if let token { headers[.authorization] = "Bearer \(token)" }
        if body != nil { headers[.contentType] = "application/json" }
        if let language { headers[.acceptLanguage] = language }
        return try await execute(uri: uri, method: method, headers: headers, body: body.map { ByteBuffer(string: $0) })
    }

    /// Logs in through the JSON API and returns the bearer token.
    func token(phone: String, password: String = DemoSeeder.password) async throws -> String {
        let response = try await json("/api/v1/auth/token", method: .post, body: #"{"phone":"\#(phone)","password":"\#(password)"}"#)
        try #require(response.status == .created, "login of \(phone) answered \(response.status)")
        return try #require(try response.jsonObject()["token"] as? String)
    }
}

extension TestResponse {
    func jsonObject() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(buffer: body))
        return try #require(object as? [String: Any], "not a JSON object: \(String(buffer: body))")
    }

    var text: String { String(buffer: body) }
}

/// A browser's cookie jar, enough for the pages: the session and CSRF cookies.
struct Browser {
    var cookies: [String: String] = [:]

    mutating func remember(_ response: TestResponse) {
        for field in response.headers where field.name == .setCookie {
            let pair = field.value.split(separator: ";")[0].split(separator: "=", maxSplits: 1).map(String.init)
            if pair.count == 2 { cookies[pair[0]] = pair[1] }
        }
    }

    var cookieHeader: String { cookies.map { "\($0.key)=\($0.value)" }.sorted().joined(separator: "; ") }

    mutating func get(_ uri: String, client: some TestClientProtocol) async throws -> TestResponse {
        let response = try await client.execute(uri: uri, method: .get, headers: cookies.isEmpty ? [:] : [.cookie: cookieHeader], body: nil)
        remember(response)
        return response
    }

    mutating func post(_ uri: String, form: [String: String], client: some TestClientProtocol) async throws -> TestResponse {
        try await post(uri, fields: form.map { ($0.key, $0.value) }, client: client)
    }

    /// A form whose names repeat (`drug[]` once per row), in the order given.
    mutating func post(_ uri: String, fields: [(String, String)], client: some TestClientProtocol) async throws -> TestResponse {
        var components = URLComponents()
        components.queryItems = fields.map { URLQueryItem(name: $0.0, value: $0.1) }
        let body = (components.percentEncodedQuery ?? "").replacingOccurrences(of: "+", with: "%2B")
        var headers: HTTPFields = [.contentType: "application/x-www-form-urlencoded"]
        if !cookies.isEmpty { headers[.cookie] = cookieHeader }
        let response = try await client.execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
        remember(response)
        return response
    }

    /// The CSRF token of the last form page.
    static func csrfToken(in page: TestResponse) throws -> String {
        let html = page.text
        let marker = "name=\"_csrf\" value=\""
        let start = try #require(html.range(of: marker)?.upperBound, "no CSRF field in the page")
        return String(html[start...].prefix { $0 != "\"" })
    }

    /// Opens a household with its code through the code page, as a resident does; the answer to the form.
    @discardableResult
    mutating func openHousehold(_ household: DemoSeeder.DemoHousehold, client: some TestClientProtocol) async throws -> TestResponse {
        let form = try await get("/code", client: client)
        return try await post("/code", form: ["household_id": "\(household.id)", "code": household.code.description, "_csrf": try Self.csrfToken(in: form)], client: client)
    }

    mutating func logIn(phone: String, client: some TestClientProtocol) async throws {
        let form = try await get("/login", client: client)
        let response = try await post("/login", form: ["phone": phone, "password": DemoSeeder.password, "_csrf": try Self.csrfToken(in: form), "next": "/"], client: client)
        try #require(response.status == .seeOther, "web login answered \(response.status)")
    }
}

/// Holds tasks until all of them have arrived, then lets them go at once, so calls meant to race
/// really run side by side instead of one after another as they were started.
actor StartingLine {
    private let runners: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []

    init(runners: Int) { self.runners = runners }

    func ready() async {
        if waiting.count + 1 >= runners {
            for runner in waiting { runner.resume() }
            waiting = []
            return
        }
        await withCheckedContinuation { waiting.append($0) }
    }

    /// Runs `call` `count` times in parallel, all started together; returns the results.
    static func race<T: Sendable>(_ count: Int, _ call: @escaping @Sendable (Int) async throws -> T) async throws -> [T] {
        let line = StartingLine(runners: count)
        return try await withThrowingTaskGroup(of: T.self) { group in
            for index in 0..<count {
                group.addTask {
                    await line.ready()
                    return try await call(index)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
    }
}
